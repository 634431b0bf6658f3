using System;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// StepStreams steps N independent streams in one call: each stream's output and state must be what Step gives that
/// stream on a model of its own, bit for bit (the multi-stream kernels keep Step's partial sums and summation order),
/// for every recurrent cell, with chunks of four and the streams left over, with the states held by the model or by
/// the caller; and a warm call allocates nothing.
/// </summary>
public class MultiStreamTests
{
    private const int Seed = 11;

    // Stream counts: fewer than a chunk, exactly one, chunks plus a remainder.
    public static readonly TheoryData<int> StreamCounts = new() { 1, 3, 4, 9 };

    /// <summary>Deterministic inputs in [-2, 2) for a step of every stream.</summary>
    private static float[] Inputs(int floats, int step)
    {
        var random = new Random(1000 + step);
        float[] inputs = new float[floats];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return inputs;
    }

    /// <summary>
    /// Steps <paramref name="streams"/> streams for <paramref name="steps"/> timesteps with one model per stream (Step)
    /// and with one model for all of them (StepStreams, model-held states), asserting equal bits at every step.
    /// </summary>
    private static void AssertStreamsEqualSteps<TModel>(int streams, int steps, Func<TModel> create, int inputDim, int outputDim,
        Action<TModel, float[], float[]> step, Action<TModel, float[], float[]> stepStreams, Action<TModel, int> resetStreams)
    {
        var single = new TModel[streams];
        for (int i = 0; i < streams; i++)
        {
            single[i] = create();
        }

        TModel many = create();
        resetStreams(many, streams);
        float[] expected = new float[streams * outputDim];
        float[] actual = new float[streams * outputDim];
        float[] oneOutput = new float[outputDim];
        for (int t = 0; t < steps; t++)
        {
            float[] inputs = Inputs(streams * inputDim, t);
            for (int i = 0; i < streams; i++)
            {
                step(single[i], inputs.AsSpan(i * inputDim, inputDim).ToArray(), oneOutput);
                oneOutput.CopyTo(expected, i * outputDim);
            }

            stepStreams(many, inputs, actual);
            AssertSameBits(expected, actual, $"step {t}");
        }
    }

    private static void AssertSameBits(float[] expected, float[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{where}, float {i}: Step gives {expected[i]:R}, StepStreams {actual[i]:R}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Lstm_with_dense_layers_equals_step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamForecaster(Seed), StreamForecaster.InputDim, StreamForecaster.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Lstm_past_the_l1_budget_equals_step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamLstm128(Seed), StreamLstm128.InputDim, StreamLstm128.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Gru_reset_after_equals_step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamGruResetAfter(Seed), StreamGruResetAfter.InputDim, StreamGruResetAfter.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Gru_reset_before_equals_step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamGruResetBefore(Seed), StreamGruResetBefore.InputDim, StreamGruResetBefore.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Stack_of_dense_simple_rnn_gru_equals_step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamStack(Seed), StreamStack.InputDim, StreamStack.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Theory]
    [MemberData(nameof(StreamCounts))]
    public void Normalization_layers_between_the_cells_equal_Step(int streams) =>
        AssertStreamsEqualSteps(streams, 5, () => new StreamNormalized(Seed), StreamNormalized.InputDim, StreamNormalized.OutputDim,
            (m, x, y) => m.Step(x, y), (m, x, y) => m.StepStreams(x, y), (m, n) => m.ResetStreams(n));

    [Fact]
    public void Typed_overloads_equal_the_span_overloads()
    {
        const int Streams = 6;
        var spans = new StreamForecaster(Seed);
        var typed = new StreamForecaster(Seed);
        spans.ResetStreams(Streams);
        typed.ResetStreams(Streams);
        var typedInputs = new StreamForecaster.InputStep[Streams];
        var typedOutputs = new StreamForecaster.OutputStep[Streams];
        float[] outputs = new float[Streams * StreamForecaster.OutputDim];
        float[] callerStates = new float[Streams * StreamForecaster.StreamStateLength];
        var callerOutputs = new StreamForecaster.OutputStep[Streams];
        var callerHeld = new StreamForecaster(Seed);
        for (int t = 0; t < 4; t++)
        {
            float[] inputs = Inputs(Streams * StreamForecaster.InputDim, t);
            for (int i = 0; i < Streams; i++)
            {
                inputs.AsSpan(i * StreamForecaster.InputDim, StreamForecaster.InputDim).CopyTo(typedInputs[i].AsSpan());
            }

            spans.StepStreams(inputs, outputs);
            typed.StepStreams(typedInputs, typedOutputs);
            callerHeld.StepStreams(typedInputs, callerOutputs, callerStates);
            for (int i = 0; i < Streams; i++)
            {
                AssertSameBits(outputs.AsSpan(i * StreamForecaster.OutputDim, StreamForecaster.OutputDim).ToArray(), typedOutputs[i].AsSpan().ToArray(), $"step {t}, stream {i}, model-held");
                AssertSameBits(outputs.AsSpan(i * StreamForecaster.OutputDim, StreamForecaster.OutputDim).ToArray(), callerOutputs[i].AsSpan().ToArray(), $"step {t}, stream {i}, caller-held");
            }
        }
    }

    [Fact]
    public void Caller_held_states_let_a_server_step_any_set_of_users()
    {
        // Users 0..4, each with its own state array, stepped in changing groups; each must follow its own Step model.
        // StreamForecaster's weights fit the L1 budget, so its sums run in one order whatever the call's parity.
        const int Users = 5;
        int dim = StreamForecaster.InputDim;
        var reference = new StreamForecaster[Users];
        var states = new float[Users][];
        for (int u = 0; u < Users; u++)
        {
            reference[u] = new StreamForecaster(Seed);
            states[u] = new float[StreamForecaster.StreamStateLength];
        }

        var server = new StreamForecaster(Seed);
        int[][] groups = { new[] { 0, 1, 2, 3, 4 }, new[] { 1, 3 }, new[] { 4, 0, 2, 1 }, new[] { 2 }, new[] { 3, 4, 0, 1, 2 } };
        float[] expected = new float[StreamForecaster.OutputDim];
        for (int t = 0; t < groups.Length; t++)
        {
            int[] group = groups[t];
            float[] inputs = Inputs(group.Length * dim, t);
            float[] groupStates = new float[group.Length * StreamForecaster.StreamStateLength];
            for (int g = 0; g < group.Length; g++)
            {
                states[group[g]].CopyTo(groupStates, g * StreamForecaster.StreamStateLength);
            }

            float[] outputs = new float[group.Length * StreamForecaster.OutputDim];
            server.StepStreams(inputs, outputs, groupStates);
            for (int g = 0; g < group.Length; g++)
            {
                groupStates.AsSpan(g * StreamForecaster.StreamStateLength, StreamForecaster.StreamStateLength).CopyTo(states[group[g]]);
                reference[group[g]].Step(inputs.AsSpan(g * dim, dim), expected);
                AssertSameBits(expected, outputs.AsSpan(g * StreamForecaster.OutputDim, StreamForecaster.OutputDim).ToArray(), $"call {t}, user {group[g]}");
            }
        }
    }

    [Fact]
    public void Reset_streams_starts_every_stream_again()
    {
        var model = new StreamGruResetAfter(Seed);
        model.ResetStreams(5);
        Assert.Equal(5, model.StreamCount);
        float[] inputs = Inputs(5 * StreamGruResetAfter.InputDim, 0);
        float[] first = new float[5 * StreamGruResetAfter.OutputDim];
        float[] again = new float[first.Length];
        model.StepStreams(inputs, first);
        model.StepStreams(inputs, again);
        Assert.NotEqual(first, again); // the state carried over
        model.ResetStreams(5);
        model.StepStreams(inputs, again);
        AssertSameBits(first, again, "after ResetStreams");
    }

    [Fact]
    public void Wrong_lengths_throw_and_change_nothing()
    {
        var model = new StreamForecaster(Seed);
        model.ResetStreams(3);
        float[] inputs = Inputs(3 * StreamForecaster.InputDim, 0);
        float[] outputs = new float[3];
        float[] states = new float[3 * StreamForecaster.StreamStateLength];
        Assert.Contains("ResetStreams", Assert.Throws<ArgumentException>(() => model.StepStreams(new float[2 * StreamForecaster.InputDim], new float[2])).Message);
        Assert.Contains("not a multiple", Assert.Throws<ArgumentException>(() => model.StepStreams(new float[4], outputs, states)).Message);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => model.StepStreams(inputs, new float[2], states)).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentException>(() => model.StepStreams(inputs, outputs, new float[5])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ResetStreams(-1));
        Assert.Equal(3, model.StreamCount);

        // The failed calls stepped nothing: the next call gives what a fresh model gives.
        var fresh = new StreamForecaster(Seed);
        fresh.ResetStreams(3);
        float[] expected = new float[3];
        fresh.StepStreams(inputs, expected);
        model.StepStreams(inputs, outputs);
        AssertSameBits(expected, outputs, "after the failed calls");
    }

    [Fact]
    public void A_warm_call_allocates_nothing()
    {
        const int Streams = 9;
        var model = new StreamLstm128(Seed);
        model.ResetStreams(Streams);
        var inputs = new StreamLstm128.InputStep[Streams];
        var outputs = new StreamLstm128.OutputStep[Streams];
        float[] floats = new float[Streams * StreamLstm128.InputDim];
        float[] results = new float[Streams];
        float[] states = new float[Streams * StreamLstm128.StreamStateLength];
        for (int warm = 0; warm < 2; warm++)
        {
            model.StepStreams(inputs, outputs);
            model.StepStreams(floats, results, states);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            model.StepStreams(inputs, outputs);
            model.StepStreams(floats, results);
            model.StepStreams(floats, results, states);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
