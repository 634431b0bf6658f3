using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>One case of tests/golden/masking.mjs: a golden case with its mask [batch, timesteps].</summary>
public sealed record MaskedCase(GoldenCase Case, bool[] Mask, bool[] KerasZerosAtMaskedSteps);

/// <summary>
/// Masked calls (docs/masking.md) against TensorFlow.js (tests/golden/masking.mjs): every recurrent kind, go_backwards,
/// return_sequences, return_state, every Bidirectional merge mode and stacks, on a batch whose rows are none masked,
/// padded at the end, masked at the start, masked here and there, and all masked. Then the rules Keras states that
/// TensorFlow.js cannot check: a length call equals the model of that many timesteps on the prefix, and bad lengths
/// and masks change nothing.
/// </summary>
public class MaskedGoldenTests
{
    // Adapters: the masked overloads take spans, which reflection cannot pass.
    private const string Adapters = """
            public float[][] PredictWithMask(float[] input, bool[] mask) => Predict(input, mask);
            public float[][] PredictWithLengths(float[] input, int[] lengths) => Predict(input, lengths);
            public float[] ForwardWithMask(float[] input, bool[] mask)
            {
                Input x = default;
                new System.Span<float>(input).CopyTo(x.AsSpan());
                Forward(in x, mask, out Output y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public float[] ForwardWithLength(float[] input, int length)
            {
                Input x = default;
                new System.Span<float>(input).CopyTo(x.AsSpan());
                Forward(in x, length, out Output y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public long BytesAllocatedByMaskedForward(float[] input, bool[] mask, int length)
            {
                Input x = default;
                new System.Span<float>(input).CopyTo(x.AsSpan());
                Forward(in x, mask, out Output y);
                Forward(in x, length, out y);
                // The fewest bytes of three windows, as AllocationTests (RnnGen.Tests) takes them: a call that allocates does
                // so in every window; what the runtime allocates on this thread once (a tier-up or on-stack-replacement
                // compilation reached in the loop) lands in one. Seen once in a full run on a loaded machine: 4240 bytes.
                long fewest = long.MaxValue;
                for (int window = 0; window < 3; window++)
                {
                    long before = System.GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 100; i++)
                    {
                        Forward(in x, mask, out y);
                        Forward(in x, length, out y);
                    }

                    fewest = System.Math.Min(fewest, System.GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return fewest;
            }

        """;

    private static readonly Lazy<IReadOnlyList<MaskedCase>> s_cases = new(() => Load());

    private static readonly Lazy<DynamicModels> s_models = new(() =>
        new DynamicModels(s_cases.Value.Select(c => (c.Case.Name, c.Case.Model)), Adapters));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Case.Name });

    private static MaskedCase Get(string name) => s_cases.Value.Single(c => c.Case.Name == name);

    // The cases with an initial state as well (masking.mjs's initialStateCases), with the typed overload that takes both.
    private static readonly Lazy<IReadOnlyList<MaskedCase>> s_initialStateCases = new(() => Load(property: "initialStateCases"));

    private static readonly Lazy<DynamicModels> s_initialStateModels = new(() =>
        new DynamicModels(s_initialStateCases.Value.Select(c => (c.Case.Name, c.Case.Model)), """
                public float[] ForwardWithStateAndMask(float[] input, float[] state, bool[] mask)
                {
                    Input x = default;
                    new System.Span<float>(input).CopyTo(x.AsSpan());
                    InitialState s = default;
                    new System.Span<float>(state).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<InitialState, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref s, 1)));
                    Forward(in x, in s, mask, out Output y);
                    return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
                }
                public float[][] PredictWithMaskAndState(float[] input, bool[] mask, float[][] state) => Predict(input, mask, state);

            """));

    public static IEnumerable<object[]> InitialStateCaseNames => s_initialStateCases.Value.Select(c => new object[] { c.Case.Name });

    [Theory]
    [MemberData(nameof(InitialStateCaseNames))]
    public void A_mask_with_an_initial_state_matches_keras(string name)
    {
        // Each sequence of the batch through Forward(in x, in initialState, mask, out y): its states start from the
        // case's and stay at masked steps; its outputs at masked steps before the first kept one are Keras's zeros (the
        // script writes them over TF.js's carried state, which is the one difference between the two engines here).
        MaskedCase masked = s_initialStateCases.Value.Single(c => c.Case.Name == name);
        GoldenCase golden = masked.Case;
        IRnnModel model = s_initialStateModels.Value.Create(name);
        model.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
        int timesteps = golden.Model.Timesteps, inputLength = timesteps * golden.Model.InputDim;
        int outputLength = golden.Expected[0].Data.Length / golden.Batch;
        bool sawLeadingMask = false;
        for (int b = 0; b < golden.Batch; b++)
        {
            float[] state = golden.InitialState!.SelectMany(s => s.Data.Skip(b * (s.Data.Length / golden.Batch)).Take(s.Data.Length / golden.Batch)).ToArray();
            bool[] mask = masked.Mask.Skip(b * timesteps).Take(timesteps).ToArray();
            sawLeadingMask |= !mask[0];
            float[] output = Call<float[]>(model, "ForwardWithStateAndMask", golden.Input.Data.Skip(b * inputLength).Take(inputLength).ToArray(), state, mask);
            Tolerance.AssertClose(golden.Expected[0].Data.Skip(b * outputLength).Take(outputLength).ToArray(), output.Take(outputLength).ToArray(), $"{name} sequence {b}");
        }

        Assert.True(sawLeadingMask, "some sequence starts with masked steps, where Keras and TF.js differ");

        // The batch overload, Predict(input, mask, initialState), gives the same.
        float[][] batch = Call<float[][]>(model, "PredictWithMaskAndState", golden.Input.Data, masked.Mask, golden.InitialState!.Select(s => s.Data).ToArray());
        Tolerance.AssertClose(golden.Expected[0].Data, batch[0], $"{name} batch");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void KerasMask_computes_from_the_input_the_mask_the_tfjs_Masking_layer_computed(string name)
    {
        // masking.mjs runs Masking(mask_value=0) on the TF.js side: its masked timesteps are all-zero rows and its valid
        // ones have no zero feature, so the mask that layer computed is the case's mask, which Masked_predict_matches_tfjs
        // checks the outputs with.
        MaskedCase masked = Get(name);
        GoldenCase golden = masked.Case;
        Assert.Equal(masked.Mask, KerasMask.Compute(golden.Input.Data, golden.Model.InputDim));
        Assert.Contains(false, masked.Mask);
        Assert.Contains(true, masked.Mask);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Masked_predict_matches_tfjs(string name)
    {
        MaskedCase masked = Get(name);
        GoldenCase golden = masked.Case;
        IRnnModel model = Create(golden);
        float[][] outputs = Call<float[][]>(model, "PredictWithMask", golden.Input.Data, masked.Mask);

        Assert.Equal(golden.Expected.Length, outputs.Length);
        int timesteps = golden.Model.Timesteps;
        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tensor expected = golden.Expected[i];
            Assert.Equal(expected.Data.Length, outputs[i].Length);
            if (!masked.KerasZerosAtMaskedSteps[i])
            {
                Tolerance.AssertClose(expected.Data, outputs[i], $"{name} {expected.Name}");
                continue;
            }

            // Keras's Bidirectional sets zero_output_for_mask on both copies (keras/src/layers/rnn/bidirectional.py):
            // zeros at a masked timestep, where TensorFlow.js repeats the previous output. The unmasked ones must agree.
            int width = expected.Shape[^1];
            for (int b = 0; b < golden.Batch; b++)
            {
                for (int t = 0; t < timesteps; t++)
                {
                    int at = (b * timesteps + t) * width;
                    if (masked.Mask[b * timesteps + t])
                    {
                        Tolerance.AssertClose(expected.Data.AsSpan(at, width), outputs[i].AsSpan(at, width), $"{name} {expected.Name} row {b} step {t}");
                    }
                    else
                    {
                        Assert.All(outputs[i].AsSpan(at, width).ToArray(), v => Assert.Equal(0f, v));
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_with_a_mask_and_with_lengths_give_what_predict_gives(string name)
    {
        MaskedCase masked = Get(name);
        GoldenCase golden = masked.Case;
        IRnnModel model = Create(golden);
        int timesteps = golden.Model.Timesteps, row = model.Info.InputLength;
        float[][] batch = Call<float[][]>(model, "PredictWithMask", golden.Input.Data, masked.Mask);
        for (int b = 0; b < golden.Batch; b++)
        {
            float[] input = golden.Input.Data.AsSpan(b * row, row).ToArray();
            bool[] mask = masked.Mask.AsSpan(b * timesteps, timesteps).ToArray();
            float[] single = Call<float[]>(model, "ForwardWithMask", input, mask);
            float[] expected = model.Info.Outputs.SelectMany((o, i) => batch[i].AsSpan(b * o.Length, o.Length).ToArray()).ToArray();
            Assert.Equal(expected, single);

            // A row that is valid timesteps then padding is a length: the same numbers through Forward(input, length).
            int length = Array.IndexOf(mask, false) is int end and >= 0 ? end : timesteps;
            if (mask.Skip(length).All(m => !m))
            {
                Assert.Equal(expected, Call<float[]>(model, "ForwardWithLength", input, length));
            }
        }

        int[] lengths = Enumerable.Range(0, golden.Batch).Select(b => masked.Mask.Skip(b * timesteps).Take(timesteps).TakeWhile(m => m).Count()).ToArray();
        bool[] prefixMask = lengths.SelectMany(l => Enumerable.Range(0, timesteps).Select(t => t < l)).ToArray();
        float[][] byLength = Call<float[][]>(model, "PredictWithLengths", golden.Input.Data, lengths);
        float[][] byMask = Call<float[][]>(model, "PredictWithMask", golden.Input.Data, prefixMask);
        for (int i = 0; i < byMask.Length; i++)
        {
            Assert.Equal(byMask[i], byLength[i]);
        }
    }

    [Fact]
    public void Forward_with_a_mask_or_a_length_allocates_nothing()
    {
        foreach (MaskedCase masked in s_cases.Value)
        {
            GoldenCase golden = masked.Case;
            IRnnModel model = Create(golden);
            int timesteps = golden.Model.Timesteps;
            float[] input = golden.Input.Data.AsSpan(0, model.Info.InputLength).ToArray();
            bool[] mask = masked.Mask.AsSpan(timesteps, timesteps).ToArray(); // row 1: padded at the end
            Assert.Equal(0L, Call<long>(model, "BytesAllocatedByMaskedForward", input, mask, 3));
        }
    }

    [Fact]
    public void A_mask_of_all_true_gives_the_unmasked_outputs()
    {
        foreach (MaskedCase masked in s_cases.Value)
        {
            GoldenCase golden = masked.Case;
            IRnnModel model = Create(golden);
            float[][] plain = model.Predict(golden.Input.Data);
            float[][] all = Call<float[][]>(model, "PredictWithMask", golden.Input.Data, Enumerable.Repeat(true, masked.Mask.Length).ToArray());
            for (int i = 0; i < plain.Length; i++)
            {
                // Not bit for bit: the unmasked Predict runs four of the five rows through the batched kernels, which
                // sum the products in another order than the single-sequence kernels a masked call runs.
                Tolerance.AssertClose(plain[i], all[i], $"{golden.Name} output {i}", 1e-6);
            }
        }
    }

    // Keras skips a masked step: with valid timesteps first, the final states and last output of a length-L call are
    // those of the same layers over the first L timesteps alone (go_backwards and Bidirectional included: the padding
    // is read first and skipped). Checked on every case that returns the last output, against models of 3 timesteps.
    [Fact]
    public void A_length_call_equals_the_model_of_that_many_timesteps_on_the_prefix()
    {
        const int Length = 3;
        List<MaskedCase> cases = s_cases.Value.Where(c => !c.Case.Model.Layers.Last(l => l.Kind is "SimpleRnn" or "Lstm" or "Gru").ReturnSequences).ToList();
        Assert.NotEmpty(cases);
        var shortModels = new DynamicModels(cases.Select(c => (c.Case.Name, c.Case.Model with { Timesteps = Length })));
        foreach (MaskedCase masked in cases)
        {
            GoldenCase golden = masked.Case;
            IRnnModel model = Create(golden);
            IRnnModel shortModel = shortModels.Create(golden.Name);
            shortModel.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
            int row = model.Info.InputLength, shortRow = shortModel.Info.InputLength;
            float[] input = golden.Input.Data.AsSpan(0, row).ToArray(); // row 0 has no masked timestep
            float[] prefix = input.AsSpan(0, shortRow).ToArray();
            float[][] full = Call<float[][]>(model, "PredictWithLengths", input, new[] { Length });
            float[][] expected = shortModel.Predict(prefix);
            for (int i = 0; i < expected.Length; i++)
            {
                if (model.Info.Outputs[i].Dimensions.Count == 1) // the sequences have another length
                {
                    Assert.Equal(expected[i], full[i]);
                }
            }
        }
    }

    [Fact]
    public void Bad_lengths_and_masks_are_errors_that_name_what_was_expected_and_change_nothing()
    {
        var stateful = new DynamicModels(new[] { ("stateful", new CaseModel(4, 2, new[] { new CaseLayer("Lstm", 3, "tanh", "sigmoid", Stateful: true, ReturnSequences: true) })) }, Adapters);
        IRnnModel model = stateful.Create("stateful");
        IRnnModel fresh = stateful.Create("stateful");
        float[] input = Enumerable.Range(0, 2 * 4 * 2).Select(i => (float)Math.Sin(i)).ToArray();

        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => Call<float[][]>(model, "PredictWithMask", input, new bool[7]));
        Assert.Contains("mask of 2 x 4 values", e.Message);
        Assert.Equal("mask", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => Call<float[][]>(model, "PredictWithLengths", input, new[] { 4 }));
        Assert.Contains("one length per sequence (2), but has 1", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Call<float[][]>(model, "PredictWithLengths", input, new[] { 4, 5 }));
        Assert.Contains("Length 1 of a sequence", e.Message);
        Assert.Contains("from 0 to Timesteps (4), but is 5", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Call<float[][]>(model, "PredictWithLengths", input, new[] { -1, 2 }));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Call<float[]>(model, "ForwardWithLength", input.AsSpan(0, 8).ToArray(), 5));
        Assert.Equal("length", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => Call<float[]>(model, "ForwardWithMask", input.AsSpan(0, 8).ToArray(), new bool[3]));
        Assert.Contains("mask of 1 x 4 values", e.Message);

        // The stored states are untouched: the model still computes what a fresh one does, twice in a row.
        for (int call = 0; call < 2; call++)
        {
            Assert.Equal(fresh.Predict(input)[0], model.Predict(input)[0]);
        }
    }

    private static IRnnModel Create(GoldenCase golden)
    {
        IRnnModel model = s_models.Value.Create(golden.Name);
        model.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
        return model;
    }

    private static T Call<T>(IRnnModel model, string method, params object[] arguments)
    {
        try
        {
            return (T)model.GetType().GetMethod(method)!.Invoke(model, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>The cases of a file masking.mjs writes: <paramref name="property"/> is "cases", or "stepCases" of the [Masking] file.</summary>
    internal static IReadOnlyList<MaskedCase> Load(string file = "tfjs-masking-golden.json", string property = "cases")
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)));
        var cases = new List<MaskedCase>();
        foreach (JsonElement c in document.RootElement.GetProperty(property).EnumerateArray())
        {
            JsonElement model = c.GetProperty("model");
            var golden = new GoldenCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("engine").GetString()!,
                new CaseModel(model.GetProperty("timesteps").GetInt32(), model.GetProperty("inputDim").GetInt32(), model.GetProperty("layers").EnumerateArray().Select(GoldenCases.ReadLayer).ToList()),
                c.GetProperty("batch").GetInt32(),
                c.GetProperty("calls").GetInt32(),
                c.GetProperty("weights").EnumerateArray().Select(GoldenCases.ReadTensor).ToArray(),
                GoldenCases.ReadTensor(c.GetProperty("input")),
                c.TryGetProperty("initialState", out JsonElement state) && state.ValueKind == JsonValueKind.Array ? state.EnumerateArray().Select(GoldenCases.ReadTensor).ToArray() : null,
                c.GetProperty("expected").EnumerateArray().Select(GoldenCases.ReadTensor).ToArray());
            cases.Add(new MaskedCase(
                golden,
                c.GetProperty("mask").EnumerateArray().Select(m => m.GetInt32() != 0).ToArray(),
                c.GetProperty("expected").EnumerateArray().Select(e => e.GetProperty("kerasZerosAtMaskedSteps").GetBoolean()).ToArray()));
        }

        return cases;
    }
}
