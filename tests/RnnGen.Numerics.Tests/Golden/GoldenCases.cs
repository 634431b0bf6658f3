using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>An array of a fixture: its shape and row-major data.</summary>
public sealed record Tensor(int[] Shape, float[] Data, string? Name = null);

/// <summary>One case of tests/golden/generate.mjs: a model, weights, input and the engine's outputs.</summary>
public sealed record GoldenCase(string Name, string Engine, CaseModel Model, int Batch, int Calls, Tensor[] Weights, Tensor Input, Tensor[]? InitialState, Tensor[] Expected);

/// <summary>Reads the golden-vector fixtures (format: tests/golden/README.md).</summary>
public static class GoldenCases
{
    public static readonly Lazy<IReadOnlyList<GoldenCase>> All = new(() =>
        Load("tfjs-golden.json").Concat(Load("onnxruntime-golden.json")).ToList());

    public static GoldenCase Get(string name) => All.Value.Single(c => c.Name == name);

    private static IEnumerable<GoldenCase> Load(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)));
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            JsonElement model = c.GetProperty("model");
            var layers = model.GetProperty("layers").EnumerateArray().Select(ReadLayer).ToList();
            yield return new GoldenCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("engine").GetString()!,
                new CaseModel(model.GetProperty("timesteps").GetInt32(), model.GetProperty("inputDim").GetInt32(), layers),
                c.GetProperty("batch").GetInt32(),
                c.GetProperty("calls").GetInt32(),
                c.GetProperty("weights").EnumerateArray().Select(ReadTensor).ToArray(),
                ReadTensor(c.GetProperty("input")),
                c.GetProperty("initialState").ValueKind == JsonValueKind.Null ? null : c.GetProperty("initialState").EnumerateArray().Select(ReadTensor).ToArray(),
                c.GetProperty("expected").EnumerateArray().Select(ReadTensor).ToArray());
        }
    }

    internal static CaseLayer ReadLayer(JsonElement layer)
    {
        string? Text(string name) => layer.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool Flag(string name, bool otherwise = false) => layer.TryGetProperty(name, out JsonElement v) ? v.GetBoolean() : otherwise;
        return new CaseLayer(
            Text("kind")!,
            layer.TryGetProperty("units", out JsonElement units) ? units.GetInt32() : 0,
            Text("activation"),
            Text("recurrentActivation"),
            Flag("useBias", true),
            Flag("resetAfter"),
            Flag("returnSequences"),
            Flag("returnState"),
            Flag("goBackwards"),
            Flag("stateful"),
            Flag("bidirectional"),
            Text("mergeMode") ?? "Concat",
            layer.TryGetProperty("rate", out JsonElement rate) ? rate.GetDouble() : 0,
            layer.TryGetProperty("epsilon", out JsonElement epsilon) ? epsilon.GetDouble() : 0.001,
            Flag("center", true),
            Flag("scale", true),
            layer.TryGetProperty("rescalingScale", out JsonElement rescalingScale) ? rescalingScale.GetDouble() : 1,
            layer.TryGetProperty("rescalingOffset", out JsonElement rescalingOffset) ? rescalingOffset.GetDouble() : 0,
            layer.TryGetProperty("maskValue", out JsonElement maskValue) ? maskValue.GetDouble() : 0,
            layer.TryGetProperty("inputDim", out JsonElement embeddingInputDim) ? embeddingInputDim.GetInt32() : 0,
            Flag("maskZero"),
            layer.TryGetProperty("kernelSize", out JsonElement kernelSize) ? kernelSize.GetInt32() : 0,
            layer.TryGetProperty("poolSize", out JsonElement poolSize) ? poolSize.GetInt32() : 0,
            layer.TryGetProperty("strides", out JsonElement strides) ? strides.GetInt32() : 1,
            Text("padding") ?? "valid",
            layer.TryGetProperty("dilationRate", out JsonElement dilationRate) ? dilationRate.GetInt32() : 1,
            layer.TryGetProperty("targetShape", out JsonElement targetShape) ? targetShape.EnumerateArray().Select(d => d.GetInt32()).ToArray() : null,
            layer.TryGetProperty("n", out JsonElement repeats) ? repeats.GetInt32() : 0,
            Flag("invert"));
    }

    // JSON has no NaN: the generators write null where Keras computes NaN (GlobalAveragePooling1D of an all-masked row).
    internal static Tensor ReadTensor(JsonElement tensor) => new(
        tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
        tensor.GetProperty("data").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? float.NaN : d.GetSingle()).ToArray(),
        tensor.TryGetProperty("name", out JsonElement name) ? name.GetString() : null);
}
