using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>
/// Models that start with <c>[Embedding]</c> (docs/embedding.md) against TensorFlow.js (tests/golden/embedding.mjs,
/// tfjs-embedding-golden.json): Embedding before Dense, LSTM, GRU, SimpleRNN and Bidirectional(LSTM), with and without
/// mask_zero, on token rows with no zero, zeros at the end, at the start, here and there, and all zeros. The float and
/// int overloads, Forward and the batch calls all give the same outputs; a token out of range is refused before anything
/// runs.
/// </summary>
public class EmbeddingGoldenTests
{
    // Adapters: the span and typed overloads, which reflection cannot pass.
    private const string Adapters = """
            public float[][] PredictTokens(int[] tokens) => Predict(tokens);
            public float[] ForwardTokens(int[] tokens)
            {
                Forward(tokens, out Output y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public float[] ForwardBatch(float[] input)
            {
                int batch = input.Length / InputLength;
                var inputs = new Input[batch];
                new System.Span<float>(input).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<Input, float>(inputs));
                var outputs = new Output[batch];
                Forward(new System.ReadOnlySpan<Input>(inputs), new System.Span<Output>(outputs));
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(outputs).ToArray();
            }
            public long BytesAllocatedByForwardTokens(int[] tokens)
            {
                Forward(tokens, out Output y);
                // The fewest bytes of three windows, for the reason MaskedGoldenTests gives.
                long fewest = long.MaxValue;
                for (int window = 0; window < 3; window++)
                {
                    long before = System.GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 100; i++)
                    {
                        Forward(tokens, out y);
                    }

                    fewest = System.Math.Min(fewest, System.GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return fewest;
            }

        """;

    private static readonly Lazy<IReadOnlyList<MaskedCase>> s_cases = new(() => MaskedGoldenTests.Load("tfjs-embedding-golden.json"));

    private static readonly Lazy<DynamicModels> s_models = new(() =>
        new DynamicModels(s_cases.Value.Select(c => (c.Case.Name, c.Case.Model)), Adapters));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Case.Name });

    [Fact]
    public void The_cases_cover_every_token_pattern_with_and_without_mask_zero()
    {
        Assert.Equal(16, s_cases.Value.Count);
        Assert.Equal(8, s_cases.Value.Count(c => c.Case.Model.Layers[0].MaskZero));
        foreach (MaskedCase masked in s_cases.Value)
        {
            CaseLayer embedding = masked.Case.Model.Layers[0];
            Assert.Equal("Embedding", embedding.Kind);
            float[] tokens = masked.Case.Input.Data;
            Assert.Contains(0f, tokens);
            Assert.Contains(embedding.EmbeddingInputDim - 1f, tokens);
            // The case's mask is Keras's compute_mask: not_equal(inputs, 0) with mask_zero, nothing masked without.
            Assert.Equal(tokens.Select(t => !embedding.MaskZero || t != 0).ToArray(), masked.Mask);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Predict_matches_tfjs(string name)
    {
        MaskedCase masked = s_cases.Value.Single(c => c.Case.Name == name);
        GoldenCase golden = masked.Case;
        float[][] outputs = Create(golden).Predict(golden.Input.Data);
        Assert.Equal(golden.Expected.Length, outputs.Length);
        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tensor expected = golden.Expected[i];
            if (!masked.KerasZerosAtMaskedSteps[i])
            {
                Tolerance.AssertClose(expected.Data, outputs[i], $"{name} {expected.Name}");
                continue;
            }

            // Keras's Bidirectional returns zeros at a masked timestep (zero_output_for_mask), TensorFlow.js the previous
            // output: the unmasked timesteps are compared and the masked ones must be zeros (as MaskingLayerGoldenTests).
            int width = expected.Shape[^1];
            for (int step = 0; step < golden.Batch * golden.Model.Timesteps; step++)
            {
                if (masked.Mask[step])
                {
                    Tolerance.AssertClose(expected.Data.AsSpan(step * width, width), outputs[i].AsSpan(step * width, width), $"{name} {expected.Name} step {step}");
                }
                else
                {
                    Assert.All(outputs[i].AsSpan(step * width, width).ToArray(), v => Assert.Equal(0f, v));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_int_overloads_Forward_and_the_batch_call_give_what_predict_gives(string name)
    {
        GoldenCase golden = s_cases.Value.Single(c => c.Case.Name == name).Case;
        IRnnModel model = Create(golden);
        float[][] predicted = model.Predict(golden.Input.Data);
        int[] tokens = golden.Input.Data.Select(t => (int)t).ToArray();

        float[][] fromTokens = Call<float[][]>(model, "PredictTokens", tokens);
        Assert.Equal(predicted.Length, fromTokens.Length);
        for (int i = 0; i < predicted.Length; i++)
        {
            Assert.Equal(predicted[i], fromTokens[i]);
        }

        float[] expected = Enumerable.Range(0, golden.Batch)
            .SelectMany(b => model.Info.Outputs.SelectMany((o, i) => predicted[i].AsSpan(b * o.Length, o.Length).ToArray()))
            .ToArray();
        int timesteps = golden.Model.Timesteps;
        float[] singles = Enumerable.Range(0, golden.Batch)
            .SelectMany(b => Call<float[]>(model, "ForwardTokens", tokens.AsSpan(b * timesteps, timesteps).ToArray()))
            .ToArray();
        // Predict advances four sequences together through the batched kernels, whose sums may round differently from
        // the one-sequence kernels of Forward (a unit in the last place); the typed batch call takes Predict's path.
        Tolerance.AssertClose(expected, singles, $"{name} Forward(tokens)");
        Assert.Equal(expected, Call<float[]>(model, "ForwardBatch", golden.Input.Data));
    }

    [Fact]
    public void Forward_with_tokens_allocates_nothing()
    {
        foreach (MaskedCase masked in s_cases.Value)
        {
            int[] tokens = masked.Case.Input.Data.Take(masked.Case.Model.Timesteps * 2).Skip(masked.Case.Model.Timesteps).Select(t => (int)t).ToArray();
            Assert.Equal(0L, Call<long>(Create(masked.Case), "BytesAllocatedByForwardTokens", tokens));
        }
    }

    [Fact]
    public void Keras_casts_a_float_token_to_int32_so_a_fraction_selects_the_row_below_it()
    {
        // Embedding.call: ops.cast(inputs, "int32"), which truncates toward zero: 2.75 reads row 2, -0.5 reads row 0.
        GoldenCase golden = s_cases.Value.Single(c => c.Case.Name == "embedding_no_mask_dense").Case;
        IRnnModel model = Create(golden);
        float[] whole = golden.Input.Data;
        float[] fractional = whole.Select(t => t == 0 ? -0.5f : t + 0.75f * (t < 6 ? 1 : 0)).ToArray();
        float[][] expected = model.Predict(whole);
        float[][] actual = model.Predict(fractional);
        Assert.Equal(expected[0], actual[0]);
    }

    private static IRnnModel Create(GoldenCase golden)
    {
        IRnnModel model = s_models.Value.Create(golden.Name);
        model.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
        return model;
    }

    internal static T Call<T>(object model, string method, params object[] arguments)
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
}
