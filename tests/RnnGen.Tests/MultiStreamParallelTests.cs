using System;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// The parallel StepStreams overload: its results are the one-core call's bit for bit, and once warm it allocates
/// nothing on any thread (counted with <see cref="GC.GetTotalAllocatedBytes(bool)"/>, in the collection that runs
/// alone, taking the quietest of several rounds as ParallelAllocationTests explains).
/// </summary>
[Collection(nameof(ParallelAllocationTests))]
public class MultiStreamParallelTests
{
    private const int Seed = 5;

    private static float[] Inputs(int floats, int step)
    {
        var random = new Random(500 + step);
        float[] inputs = new float[floats];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return inputs;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Parallel_call_equals_the_one_core_call(int degree)
    {
        // 23 streams: five chunks over the workers, three streams alone; LSTM(128) alternates its summation order.
        const int Streams = 23;
        var serial = new StreamLstm128(Seed);
        var parallel = new StreamLstm128(Seed);
        float[] serialStates = new float[Streams * StreamLstm128.StreamStateLength];
        float[] parallelStates = new float[serialStates.Length];
        float[] expected = new float[Streams * StreamLstm128.OutputDim];
        float[] actual = new float[expected.Length];
        for (int t = 0; t < 4; t++)
        {
            float[] inputs = Inputs(Streams * StreamLstm128.InputDim, t);
            serial.StepStreams(inputs, expected, serialStates);
            parallel.StepStreams(inputs, actual, parallelStates, degree);
            Assert.Equal(expected, actual);
            Assert.Equal(serialStates, parallelStates);
        }
    }

    [Fact]
    public void Parallel_call_checks_its_arguments()
    {
        var model = new StreamForecaster(Seed);
        float[] inputs = new float[8 * StreamForecaster.InputDim];
        float[] outputs = new float[8];
        float[] states = new float[8 * StreamForecaster.StreamStateLength];
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentException>(() => model.StepStreams(inputs, outputs, states, 0)).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentException>(() => model.StepStreams(inputs, outputs, new float[3], 2)).ParamName);
    }

    [Fact]
    public void Parallel_call_allocates_nothing_on_any_thread()
    {
        const int Streams = 18;
        var model = new StreamGruResetBefore(Seed);
        float[] inputs = Inputs(Streams * StreamGruResetBefore.InputDim, 0);
        float[] outputs = new float[Streams * StreamGruResetBefore.OutputDim];
        float[] states = new float[Streams * StreamGruResetBefore.StreamStateLength];
        void Call() => model.StepStreams(inputs, outputs, states, maxDegreeOfParallelism: 2);
        Assert.Equal(0, ParallelAllocationTests.FewestBytesAllocatedBy(Call));
        Assert.Equal(1f, outputs[0] + outputs[1] + outputs[2], 5); // softmax: it did run
    }

    [Fact]
    public void Parallel_call_of_a_masking_model_allocates_nothing_on_any_thread()
    {
        // Each worker steps its streams one at a time (a masked step skips the cells) on its own scratch.
        const int Streams = 18;
        var model = new PaddedForecaster(Seed);
        float[] inputs = Inputs(Streams * PaddedForecaster.InputDim, 0);
        inputs.AsSpan(0, PaddedForecaster.InputDim).Clear(); // stream 0 masked at this step
        float[] outputs = new float[Streams * PaddedForecaster.OutputDim];
        float[] states = new float[Streams * PaddedForecaster.StreamStateLength];
        void Call() => model.StepStreams(inputs, outputs, states, maxDegreeOfParallelism: 2);
        Assert.Equal(0, ParallelAllocationTests.FewestBytesAllocatedBy(Call));
        Assert.NotEqual(0f, outputs[PaddedForecaster.OutputDim]); // stream 1 ran
    }
}
