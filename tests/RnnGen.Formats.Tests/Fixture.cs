using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RnnGen.Formats.Tests;

/// <summary>Paths of the fixtures copied next to the test assembly, and readers for the expected-value JSON files.</summary>
internal static class Fixture
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static JsonDocument Json(string relative) => JsonDocument.Parse(File.ReadAllBytes(Path(relative)));

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
