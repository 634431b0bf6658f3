using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>
/// Models that declare <c>[Masking]</c> (docs/masking.md) against TensorFlow.js (tests/golden/masking.mjs,
/// tfjs-masking-layer-golden.json): the C# side gets the padded input alone and computes the mask itself, through every
/// call (Forward, Predict, the batch and parallel overloads, Step, StepStreams). The valid timesteps of the inputs have
/// some features equal to the mask value (kept: Masking masks a timestep only when all its features equal it).
/// </summary>
public class MaskingLayerGoldenTests
{
    // Adapters: the typed and span overloads, which reflection cannot pass.
    private const string Adapters = """
            public float[] ForwardOne(float[] input)
            {
                Input x = default;
                new System.Span<float>(input).CopyTo(x.AsSpan());
                Forward(in x, out Output y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public float[] ForwardBatch(float[] input, int degree)
            {
                int batch = input.Length / InputLength;
                var inputs = new Input[batch];
                new System.Span<float>(input).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<Input, float>(inputs));
                var outputs = new Output[batch];
                if (degree == 0)
                {
                    Forward(new System.ReadOnlySpan<Input>(inputs), new System.Span<Output>(outputs));
                }
                else
                {
                    Forward(new System.ReadOnlyMemory<Input>(inputs), new System.Memory<Output>(outputs), degree);
                }

                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(outputs).ToArray();
            }
            public float[] PredictInto(float[] input, int outputFloats)
            {
                var output = new float[outputFloats];
                Predict(input, output);
                return output;
            }
            public long BytesAllocatedByForward(float[] input)
            {
                Input x = default;
                new System.Span<float>(input).CopyTo(x.AsSpan());
                Forward(in x, out Output y);
                // The fewest bytes of three windows, for the reason MaskedGoldenTests gives.
                long fewest = long.MaxValue;
                for (int window = 0; window < 3; window++)
                {
                    long before = System.GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 100; i++)
                    {
                        Forward(in x, out y);
                    }

                    fewest = System.Math.Min(fewest, System.GC.GetAllocatedBytesForCurrentThread() - before);
                }

                return fewest;
            }

        """;

    // StepStreams over arrays, for the streaming cases.
    private const string StepAdapters = """
            public void StepStreamsArrays(float[] inputs, float[] outputs) => StepStreams(inputs, outputs);

        """;

    private static readonly Lazy<IReadOnlyList<MaskedCase>> s_cases = new(() => MaskedGoldenTests.Load("tfjs-masking-layer-golden.json"));

    private static readonly Lazy<IReadOnlyList<MaskedCase>> s_stepCases = new(() => MaskedGoldenTests.Load("tfjs-masking-layer-golden.json", "stepCases"));

    private static readonly Lazy<DynamicModels> s_models = new(() =>
        new DynamicModels(s_cases.Value.Select(c => (c.Case.Name, c.Case.Model)), Adapters));

    private static readonly Lazy<DynamicModels> s_stepModels = new(() =>
        new DynamicModels(s_stepCases.Value.Select(c => (c.Case.Name, c.Case.Model)), StepAdapters));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Case.Name });

    public static IEnumerable<object[]> StepCaseNames => s_stepCases.Value.Select(c => new object[] { c.Case.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Predict_computes_the_mask_from_the_data_and_matches_tfjs(string name)
    {
        MaskedCase masked = s_cases.Value.Single(c => c.Case.Name == name);
        GoldenCase golden = masked.Case;
        Assert.Equal("Masking", golden.Model.Layers[0].Kind);
        Assert.Equal(masked.Mask, KerasMask.Compute(golden.Input.Data, golden.Model.InputDim, (float)golden.Model.Layers[0].MaskValue));
        Assert.Contains(false, masked.Mask);

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

            // Keras's Bidirectional returns zeros at a masked timestep (zero_output_for_mask), TensorFlow.js the
            // previous output: as MaskedGoldenTests, the unmasked timesteps are compared and the masked ones are zeros.
            int width = expected.Shape[^1], timesteps = golden.Model.Timesteps;
            for (int step = 0; step < golden.Batch * timesteps; step++)
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
    public void Forward_and_the_batch_overloads_give_what_predict_gives(string name)
    {
        GoldenCase golden = s_cases.Value.Single(c => c.Case.Name == name).Case;
        IRnnModel model = Create(golden);
        float[][] predicted = model.Predict(golden.Input.Data);
        int row = model.Info.InputLength;

        // Every output of every row, in the order an array of Output structs holds them.
        float[] expected = Enumerable.Range(0, golden.Batch)
            .SelectMany(b => model.Info.Outputs.SelectMany((o, i) => predicted[i].AsSpan(b * o.Length, o.Length).ToArray()))
            .ToArray();
        float[] singles = Enumerable.Range(0, golden.Batch)
            .SelectMany(b => Call<float[]>(model, "ForwardOne", golden.Input.Data.AsSpan(b * row, row).ToArray()))
            .ToArray();
        // Not bit for bit where a chunk of four sequences has no masked step: the batch runs it through the batched
        // kernels, which sum the products in another order than the single-sequence kernels (as MaskedGoldenTests
        // states for unmasked rows); the other rows run the same single-sequence code either way.
        Tolerance.AssertClose(expected, singles, $"{name} singles", 1e-6);
        Assert.Equal(expected, Call<float[]>(model, "ForwardBatch", golden.Input.Data, 0));
        Assert.Equal(expected, Call<float[]>(model, "ForwardBatch", golden.Input.Data, 2));
        Assert.Equal(predicted[0], Call<float[]>(model, "PredictInto", golden.Input.Data, predicted[0].Length));
    }

    [Fact]
    public void A_model_with_Masking_has_no_mask_or_lengths_overloads_and_its_Forward_allocates_nothing()
    {
        foreach (MaskedCase masked in s_cases.Value.Where(c => c.Case.Model.Layers.Any(l => l.Kind is "SimpleRnn" or "Lstm" or "Gru")))
        {
            GoldenCase golden = masked.Case;
            IRnnModel model = Create(golden);
            // The mask comes from the data, as Keras's Masking.compute_mask ignores a mask passed to it.
            Assert.DoesNotContain(model.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance), m =>
                m.GetParameters().Any(p => p.ParameterType == typeof(ReadOnlySpan<bool>) || p.ParameterType == typeof(ReadOnlySpan<int>) || p.Name == "length"));
            Assert.Equal(0L, Call<long>(model, "BytesAllocatedByForward", golden.Input.Data.AsSpan(model.Info.InputLength, model.Info.InputLength).ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(StepCaseNames))]
    public void Step_on_a_masked_timestep_keeps_the_states_and_returns_what_Keras_returns(string name)
    {
        MaskedCase masked = s_stepCases.Value.Single(c => c.Case.Name == name);
        GoldenCase golden = masked.Case;
        var model = (IStreamingModel)Create(golden);
        int inputDim = golden.Model.InputDim, outputDim = golden.Expected[0].Shape[1];
        CaseLayer last = golden.Model.Layers[^1];
        // Keras on one masked timestep: the recurrent layers' output is prev_output, zeros in a call of one timestep
        // (keras/src/backend/tensorflow/rnn.py), so the model returns what the layers after the last recurrent one
        // make of zeros: a Dense layer's bias, the last weight array. TensorFlow.js returns the carried h there instead.
        float[] maskedOutput = last.Kind == "Dense" ? golden.Weights[^1].Data : new float[outputDim];
        var output = new float[outputDim];
        for (int t = 0; t < masked.Mask.Length; t++)
        {
            model.Step(golden.Input.Data.AsSpan(t * inputDim, inputDim), output);
            float[] expected = masked.Mask[t] ? golden.Expected[0].Data.AsSpan(t * outputDim, outputDim).ToArray() : maskedOutput;
            // A valid step after masked ones matches TensorFlow.js only if the masked steps kept the states.
            Tolerance.AssertClose(expected, output, $"{name} step {t}");
        }
    }

    [Theory]
    [MemberData(nameof(StepCaseNames))]
    public void StepStreams_gives_each_stream_what_Step_gives_it(string name)
    {
        // Five streams (a chunk of four and one more), each the case's sequence started at another step, so that at
        // every call some streams are masked and some are not.
        const int Streams = 5;
        GoldenCase golden = s_stepCases.Value.Single(c => c.Case.Name == name).Case;
        int inputDim = golden.Model.InputDim, outputDim = golden.Expected[0].Shape[1], steps = golden.Batch;
        var streamsModel = (IStreamingModel)Create(golden);
        var stepModels = Enumerable.Range(0, Streams).Select(_ => (IStreamingModel)Create(golden)).ToArray();
        MethodInfo resetStreams = streamsModel.GetType().GetMethod("ResetStreams")!;
        resetStreams.Invoke(streamsModel, new object[] { Streams });
        var expected = new float[outputDim];
        for (int call = 0; call < 2 * steps; call++)
        {
            var inputs = new float[Streams * inputDim];
            for (int s = 0; s < Streams; s++)
            {
                golden.Input.Data.AsSpan((call + s) % steps * inputDim, inputDim).CopyTo(inputs.AsSpan(s * inputDim));
            }

            var outputs = new float[Streams * outputDim];
            Call<object?>(streamsModel, "StepStreamsArrays", inputs, outputs);
            for (int s = 0; s < Streams; s++)
            {
                stepModels[s].Step(inputs.AsSpan(s * inputDim, inputDim), expected);
                Assert.Equal(expected, outputs.AsSpan(s * outputDim, outputDim).ToArray());
            }
        }
    }

    private static IRnnModel Create(GoldenCase golden)
    {
        IRnnModel model = (golden.Model.Timesteps == 1 ? s_stepModels : s_models).Value.Create(golden.Name);
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
}
