using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Npz;

/// <summary>
/// An .npz file: a zip of .npy arrays, as <c>numpy.savez(path, *model.get_weights())</c> writes it (entries
/// <c>arr_0.npy</c>, <c>arr_1.npy</c>, ..., stored; <c>savez_compressed</c> deflates them).
/// </summary>
internal static class NpzArchive
{
    /// <summary>The arrays in get_weights order: by index for <c>arr_N</c> names, otherwise in archive order.</summary>
    /// <param name="zip">The archive.</param>
    /// <param name="maxBytes">The most bytes read out of all arrays together.</param>
    /// <param name="limit">What <paramref name="maxBytes"/> is, for the error when an array would pass it.</param>
    public static List<NpyArray> Read(ZipContainer zip, long maxBytes, string? limit = null)
    {
        var names = zip.EntryNames.Where(n => n.EndsWith(".npy", StringComparison.Ordinal)).ToList();
        var indexed = names
            .Select(n => (Name: n, Index: n.StartsWith("arr_", StringComparison.Ordinal) && int.TryParse(n.AsSpan(4, n.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1))
            .ToList();
        if (indexed.Count > 0 && indexed.All(e => e.Index >= 0))
        {
            indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
            for (int i = 0; i < indexed.Count; i++)
            {
                if (indexed[i].Index != i)
                {
                    throw new InvalidDataException(indexed[i].Index < i
                        ? $"The .npz archive has two arrays numbered {indexed[i].Index} ('{ZipContainer.Shorten(indexed[i - 1].Name)}' and '{ZipContainer.Shorten(indexed[i].Name)}'); numpy.savez numbers them once each."
                        : $"The .npz archive has arrays arr_0 to arr_{indexed[^1].Index} with arr_{i} missing; numpy.savez numbers them without gaps.");
                }
            }

            names = indexed.Select(e => e.Name).ToList();
        }

        var arrays = new List<NpyArray>(names.Count);
        long remaining = maxBytes;
        foreach (string name in names)
        {
            byte[] bytes = zip.Read(name, remaining, limit is null ? null : $"what is left of {limit} after the arrays before it");
            remaining -= bytes.Length;
            arrays.Add(NpyArray.Parse(name[..^4], bytes));
        }

        return arrays;
    }

    /// <summary>Writes <paramref name="weights"/> as <c>numpy.savez</c> would: <c>arr_i.npy</c>, float32, C order.</summary>
    public static void Write(Stream destination, IReadOnlyList<float[]> weights, IReadOnlyList<WeightShape> shapes)
    {
        using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        for (int i = 0; i < weights.Count; i++)
        {
            ZipArchiveEntry entry = archive.CreateEntry("arr_" + i.ToString(CultureInfo.InvariantCulture) + ".npy", CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero); // deterministic output
            using Stream stream = entry.Open();
            stream.Write(NpyArray.Encode(weights[i], shapes[i].Dimensions));
        }
    }
}
