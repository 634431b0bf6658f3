using System;
using System.Linq;
using RnnGen.Reference;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// The typed entry points of generated models (batch Forward, its parallel overload, Forward with an initial state,
/// and the class-typed tensors of a large model) against the plain reference model in float64, at 1e-5.
/// </summary>
public class TypedApiTests
{
    [Fact]
    public void Batch_forward_and_its_parallel_overload_match_the_reference()
    {
        // 9 sequences: two chunks through the batched kernels and one alone.
        var model = new StackedClassifier(seed: 5);
        var reference = new ReferenceModel(StackedClassifier.Info, model.GetWeights(), ReferencePrecision.Float64);
        var random = new Random(11);
        var inputs = new StackedClassifier.Input[9];
        for (int i = 0; i < inputs.Length; i++)
        {
            Span<float> values = inputs[i].AsSpan();
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = (float)(random.NextDouble() * 2 - 1);
            }
        }

        float[] flat = inputs.SelectMany(x => x.AsSpan().ToArray()).ToArray();
        float[] expected = reference.Predict(flat)[0];

        var outputs = new StackedClassifier.Output[inputs.Length];
        model.Forward(inputs, outputs);
        AssertClose(expected, outputs.SelectMany(o => o.Result.AsSpan().ToArray()).ToArray());

        var parallel = new StackedClassifier.Output[inputs.Length];
        model.Forward(inputs, parallel, maxDegreeOfParallelism: 2);
        AssertClose(expected, parallel.SelectMany(o => o.Result.AsSpan().ToArray()).ToArray());
    }

    [Theory]
    [InlineData(23, 3)] // 5 chunks over 3 workers (1, 2 and 2 chunks), then 3 sequences alone
    [InlineData(64, 2)]
    [InlineData(17, 16)] // more workers asked for than chunks: 4 workers
    public void The_parallel_overload_matches_the_reference_at_every_split(int batch, int degree)
    {
        var model = new StackedClassifier(seed: 8);
        var reference = new ReferenceModel(StackedClassifier.Info, model.GetWeights(), ReferencePrecision.Float64);
        var random = new Random(batch * 100 + degree);
        var inputs = new StackedClassifier.Input[batch];
        foreach (ref StackedClassifier.Input input in inputs.AsSpan())
        {
            Span<float> values = input.AsSpan();
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = (float)(random.NextDouble() * 2 - 1);
            }
        }

        float[] expected = reference.Predict(inputs.SelectMany(x => x.AsSpan().ToArray()).ToArray())[0];

        // Twice, with another degree in between, so that the reused workers and scratch are exercised.
        for (int round = 0; round < 2; round++)
        {
            var outputs = new StackedClassifier.Output[batch];
            model.Forward(inputs, outputs, degree);
            AssertClose(expected, outputs.SelectMany(o => o.Result.AsSpan().ToArray()).ToArray());
            model.Forward(inputs, new StackedClassifier.Output[batch], maxDegreeOfParallelism: 2);
        }
    }

    [Fact]
    public void Forward_with_an_initial_state_matches_the_reference()
    {
        var model = new SmallLstm(seed: 3);
        SmallLstm.Input input = default;
        SmallLstm.InitialState initial = default;
        for (int i = 0; i < input.AsSpan().Length; i++)
        {
            input.AsSpan()[i] = MathF.Cos(i);
        }

        initial.StateH.AsSpan().Fill(0.5f);
        initial.StateC.AsSpan().Fill(-1.5f);
        model.Forward(in input, in initial, out SmallLstm.Output output);

        float[][] expected = new ReferenceModel(SmallLstm.Info, model.GetWeights(), ReferencePrecision.Float64)
            .Predict(input.AsSpan(), new[] { initial.StateH.AsSpan().ToArray(), initial.StateC.AsSpan().ToArray() });
        AssertClose(expected[0], output.Result.AsSpan().ToArray());
        AssertClose(expected[1], output.StateH.AsSpan().ToArray());
        AssertClose(expected[2], output.StateC.AsSpan().ToArray());
    }

    [Fact]
    public void A_large_model_with_class_tensors_matches_the_reference()
    {
        // 100 x 50 inputs: above 4096 floats, so Input and Output are classes and Forward writes into a given Output.
        var model = new LongSequenceRnn(seed: 9);
        var input = new LongSequenceRnn.Input();
        for (int t = 0; t < LongSequenceRnn.Timesteps; t++)
        {
            for (int d = 0; d < LongSequenceRnn.InputDim; d++)
            {
                input[t][d] = MathF.Sin(t * 0.37f + d * 0.11f);
            }
        }

        var output = new LongSequenceRnn.Output();
        model.Forward(in input, output);
        float[] expected = new ReferenceModel(LongSequenceRnn.Info, model.GetWeights(), ReferencePrecision.Float64).Predict(input.AsSpan())[0];
        AssertClose(expected, output.Result.AsSpan().ToArray());
        Assert.Throws<ArgumentNullException>(() => model.Forward(in input, null!));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {actual[i]:R}, reference {expected[i]:R}");
        }
    }
}
