using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.KerasReference;

/// <summary>
/// keras-js's layer vectors (KerasReference/keras-js): outputs computed by standalone Keras 2.0 with random weights,
/// batch of one. Keras 2 semantics: hard_sigmoid is clip(0.2x + 0.5) and GRU has no reset_after. Each case's
/// configuration comes from the notebooks that produced it (see that folder's README).
/// </summary>
public class KerasJsTests
{
    private static readonly Lazy<List<(string Name, CaseModel Model, Fixture Data)>> s_cases = new(Load);
    private static readonly Lazy<DynamicModels> s_models = new(() => new DynamicModels(s_cases.Value.Select(c => (c.Name, c.Model))));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Name });

    [Fact]
    public void Every_applicable_case_is_covered()
    {
        // 9 cases for each recurrent layer, 8 Bidirectional, 6 Dense and the TimeDistributed(Dense) one (the other
        // TimeDistributed case wraps a Conv2D).
        Assert.Equal(3 * 9 + 8 + 6 + 1, s_cases.Value.Count);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_model_matches_keras(string name)
    {
        var (_, model, data) = s_cases.Value.Single(c => c.Name == name);
        IRnnModel generated = s_models.Value.Create(name);
        generated.SetWeights(data.Weights);
        bool stateful = model.Layers.Any(l => l.Stateful);
        float[][] outputs = generated.Predict(data.Input);
        if (stateful)
        {
            // keras-js called predict twice; the expected output is the second call's.
            outputs = generated.Predict(data.Input);
        }

        Tolerance.AssertClose(data.Expected, outputs[0], name);
    }

    private sealed record Fixture(float[] Input, int[] InputShape, float[][] Weights, float[] Expected);

    private static List<(string, CaseModel, Fixture)> Load()
    {
        var cases = new List<(string, CaseModel, Fixture)>();
        foreach (string layer in new[] { "SimpleRNN", "LSTM", "GRU" })
        {
            foreach (var (key, fixture) in Read(layer))
            {
                int index = int.Parse(key.Split('.').Last(), System.Globalization.CultureInfo.InvariantCulture);
                cases.Add((key, new CaseModel(fixture.InputShape[0], fixture.InputShape[1], new[] { Recurrent(layer, index, fixture) }), fixture));
            }
        }

        foreach (var (key, fixture) in Read("Bidirectional"))
        {
            int index = int.Parse(key.Split('.').Last(), System.Globalization.CultureInfo.InvariantCulture);
            cases.Add((key, new CaseModel(fixture.InputShape[0], fixture.InputShape[1], new[] { Bidirectional(index) }), fixture));
        }

        foreach (var (key, fixture) in Read("Dense"))
        {
            // Dense on a vector of 6: the same numbers as on a one-step sequence [1, 6].
            int index = int.Parse(key.Split('.').Last(), System.Globalization.CultureInfo.InvariantCulture);
            string activation = (index % 3) switch { 0 => "linear", 1 => "sigmoid", _ => "softplus" };
            cases.Add((key, new CaseModel(1, fixture.InputShape[0], new[] { new CaseLayer("Dense", 2, activation, UseBias: index % 3 != 2) }), fixture));
        }

        foreach (var (key, fixture) in Read("TimeDistributed").Where(c => c.Key.EndsWith(".0", StringComparison.Ordinal)))
        {
            // TimeDistributed(Dense(4)) is what Keras's Dense does on a sequence: the kernel applied at every timestep.
            cases.Add((key, new CaseModel(fixture.InputShape[0], fixture.InputShape[1], new[] { new CaseLayer("Dense", 4, "linear") }), fixture));
        }

        return cases;
    }

    // README table: .0 defaults (4 units, tanh, hard_sigmoid); .1 5 units, sigmoid/sigmoid; .2 return_sequences;
    // .3 go_backwards; .4 both; .5-.8 stateful variants; .8 has no bias for GRU and SimpleRNN.
    private static CaseLayer Recurrent(string layer, int index, Fixture fixture)
    {
        string kind = layer switch { "SimpleRNN" => "SimpleRnn", "LSTM" => "Lstm", _ => "Gru" };
        int units = fixture.Weights[1].Length switch { var n => (int)Math.Sqrt(n / (kind == "Lstm" ? 4 : kind == "Gru" ? 3 : 1)) };
        bool returnSequences = index is 2 or 4 or 6 or 8;
        bool goBackwards = index is 3 or 4 or 7 or 8;
        return new CaseLayer(
            kind,
            units,
            index == 1 ? "sigmoid" : "tanh",
            kind == "SimpleRnn" ? null : index == 1 ? "sigmoid" : "hard_sigmoid_keras2",
            UseBias: fixture.Weights.Length == 3,
            ResetAfter: false,
            ReturnSequences: returnSequences,
            GoBackwards: goBackwards,
            Stateful: index >= 5);
    }

    // README: 0 SimpleRNN(4) sum; 1 mul; 2 concat; 3 ave; 4 SimpleRNN return_sequences concat; 5 GRU(4, tanh,
    // hard_sigmoid) return_sequences concat; 6 LSTM(4, tanh, hard_sigmoid) return_sequences concat; 7 SimpleRNN
    // return_sequences sum.
    private static CaseLayer Bidirectional(int index)
    {
        string kind = index switch { 5 => "Gru", 6 => "Lstm", _ => "SimpleRnn" };
        string merge = index switch { 0 or 7 => "Sum", 1 => "Mul", 3 => "Ave", _ => "Concat" };
        return new CaseLayer(
            kind,
            4,
            "tanh",
            kind == "SimpleRnn" ? null : "hard_sigmoid_keras2",
            ResetAfter: false,
            ReturnSequences: index >= 4,
            Bidirectional: true,
            MergeMode: merge);
    }

    private static IEnumerable<(string Key, Fixture Data)> Read(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KerasReference", "keras-js", file + ".json")));
        foreach (JsonProperty c in document.RootElement.EnumerateObject())
        {
            JsonElement input = c.Value.GetProperty("input");
            yield return (c.Name, new Fixture(
                Floats(input.GetProperty("data")),
                input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                c.Value.GetProperty("weights").EnumerateArray().Select(w => Floats(w.GetProperty("data"))).ToArray(),
                Floats(c.Value.GetProperty("expected").GetProperty("data"))));
        }
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();
}
