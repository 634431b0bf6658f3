using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.KerasReference;

/// <summary>
/// Keras 3's own unit-test expectations (KerasReference/keras, from keras/src/layers/rnn/*_test.py): go_backwards,
/// stateful second calls, initial_state, return_state, reset_after True/False, use_bias False, unit_forget_bias and
/// every merge mode. The masking cases are left out: RnnGen has no masking.
/// </summary>
public class Keras3VectorTests
{
    private static readonly Lazy<List<Keras3Case>> s_cases = new(Load);
    private static readonly Lazy<DynamicModels> s_models = new(() => new DynamicModels(s_cases.Value.Select(c => (c.Name, c.Model))));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Name });

    /// <summary>The cases, for the tests that run them through other model variants (BFloat16WeightTests).</summary>
    internal static IReadOnlyList<Keras3Case> Cases => s_cases.Value;

    [Fact]
    public void Every_case_without_a_mask_is_covered()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KerasReference", "keras", "keras3_rnn_test_vectors.json")));
        var all = document.RootElement.GetProperty("cases").EnumerateArray().ToList();
        var left = all.Where(c => c.GetProperty("mask").ValueKind != JsonValueKind.Null).Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.Equal(all.Count - left.Count, s_cases.Value.Count);
        Assert.All(left, name => Assert.Contains("mask", name, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_model_matches_keras(string name)
    {
        Keras3Case c = s_cases.Value.Single(x => x.Name == name);
        IRnnModel model = s_models.Value.Create(name);
        model.SetWeights(c.Weights);
        float[][] outputs = null!;
        for (int call = 0; call < c.Calls; call++)
        {
            outputs = c.InitialState is null ? model.Predict(c.Input) : DynamicModels.PredictWithInitialState(model, c.Input, c.InitialState);
        }

        Assert.Equal(c.Expected.Count, outputs.Length);
        for (int i = 0; i < c.Expected.Count; i++)
        {
            Assert.Equal(c.Expected[i].Name, model.Info.Outputs[i].Name);
            Tolerance.AssertClose(c.Expected[i].Data, outputs[i], $"{name} {c.Expected[i].Name}");
        }
    }

    internal sealed record Keras3Case(string Name, CaseModel Model, float[][] Weights, float[] Input, float[][]? InitialState, int Calls, List<(string Name, float[] Data)> Expected);

    private static List<Keras3Case> Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KerasReference", "keras", "keras3_rnn_test_vectors.json")));
        var cases = new List<Keras3Case>();
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("mask").ValueKind != JsonValueKind.Null)
            {
                continue;
            }

            string layer = c.GetProperty("layer").GetString()!;
            JsonElement config = c.GetProperty("config");
            JsonElement input = c.GetProperty("input");
            int timesteps = input[0].GetArrayLength(), inputDim = input[0][0].GetArrayLength();
            CaseLayer caseLayer;
            float[][] weights;
            if (layer == "Bidirectional")
            {
                JsonElement forward = c.GetProperty("bidirectional").GetProperty("forward");
                JsonElement backward = c.GetProperty("bidirectional").GetProperty("backward");
                string merge = config.GetProperty("merge_mode").ValueKind == JsonValueKind.Null ? "None" : config.GetProperty("merge_mode").GetString()!;
                caseLayer = Layer(forward.GetProperty("layer").GetString()!, forward.GetProperty("config")) with
                {
                    Bidirectional = true,
                    MergeMode = char.ToUpperInvariant(merge[0]) + merge.Substring(1),
                };
                weights = forward.GetProperty("weights").EnumerateArray().Concat(backward.GetProperty("weights").EnumerateArray()).Select(Flatten).ToArray();
            }
            else
            {
                caseLayer = Layer(layer, config);
                weights = c.GetProperty("weights").EnumerateArray().Select(Flatten).ToArray();
            }

            JsonElement initial = c.GetProperty("initial_state");
            var expected = c.GetProperty("expected").EnumerateObject()
                .Select(p => (Name: KerasOutputName(p.Name), Data: Flatten(p.Value)))
                .ToList();
            cases.Add(new Keras3Case(
                c.GetProperty("name").GetString()!,
                new CaseModel(timesteps, inputDim, new[] { caseLayer }),
                weights,
                Flatten(input),
                initial.ValueKind == JsonValueKind.Null ? null : initial.EnumerateArray().Select(Flatten).ToArray(),
                c.GetProperty("calls").GetInt32(),
                expected));
        }

        return cases;
    }

    // Keras's names for Bidirectional states in the fixture, to RnnGen's output names.
    private static string KerasOutputName(string name) => name switch
    {
        "h_forward" => "forward_h",
        "c_forward" => "forward_c",
        "h_backward" => "backward_h",
        "c_backward" => "backward_c",
        _ => name,
    };

    private static CaseLayer Layer(string kerasClass, JsonElement config)
    {
        bool Flag(string name, bool otherwise) => config.TryGetProperty(name, out JsonElement v) ? v.GetBoolean() : otherwise;
        string kind = kerasClass switch { "SimpleRNN" => "SimpleRnn", "LSTM" => "Lstm", _ => "Gru" };
        return new CaseLayer(
            kind,
            config.GetProperty("units").GetInt32(),
            "tanh",
            kind == "SimpleRnn" ? null : "sigmoid",
            UseBias: Flag("use_bias", true),
            ResetAfter: Flag("reset_after", true),
            ReturnSequences: Flag("return_sequences", false),
            ReturnState: Flag("return_state", false),
            GoBackwards: Flag("go_backwards", false),
            Stateful: Flag("stateful", false));
    }

    private static float[] Flatten(JsonElement element)
    {
        var values = new List<float>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else
            {
                values.Add(e.GetSingle());
            }
        }

        Walk(element);
        return values.ToArray();
    }
}
