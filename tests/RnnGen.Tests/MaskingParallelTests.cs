using System;
using System.Linq;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// The parallel overloads of a model with <c>[Masking]</c> (batch <c>Forward</c> and <c>StepStreams</c>) spread their
/// chunks over workers, each on working memory of its own: in the batch overload a chunk none of whose timesteps is
/// masked runs through the chunk kernels and the others one sequence at a time; <c>StepStreams</c> steps each stream
/// by itself. Whichever thread runs a sequence or stream, it goes through the same code, so every degree of
/// parallelism gives the serial call's results bit for bit; two workers sharing memory would not (checked by making
/// them share it: the tests below fail), given enough work per call for the workers to overlap.
/// </summary>
public class MaskingParallelTests
{
    private const int Batch = 64 * 4 + 3; // 64 chunks of four, then three sequences on the caller's thread

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Every_degree_gives_the_serial_outputs_bit_for_bit(int degree)
    {
        var model = new PaddedForecaster(seed: 7);
        PaddedForecaster.Input[] inputs = PaddedInputs();
        var serial = new PaddedForecaster.Output[Batch];
        model.Forward(inputs, serial);

        var parallel = new PaddedForecaster.Output[Batch];
        for (int call = 0; call < 30; call++)
        {
            Array.Clear(parallel);
            model.Forward(inputs, parallel, maxDegreeOfParallelism: degree);
            for (int b = 0; b < Batch; b++)
            {
                Assert.True(serial[b].Result.AsSpan().SequenceEqual(parallel[b].Result.AsSpan()), $"call {call}, sequence {b}");
            }
        }
    }

    [Fact]
    public void Each_sequence_gives_what_the_single_sequence_Forward_gives()
    {
        // Forward of one sequence masks its padding (MaskingLayerGoldenTests check it against TensorFlow.js), so the
        // parallel overload must give each sequence the same. To 1e-6 rather than bit for bit: a chunk with no masked
        // step runs through the chunk kernels, which sum in another order (docs/masking.md); a padded sequence runs
        // the single-sequence code on a worker's memory and matches exactly.
        var model = new PaddedForecaster(seed: 7);
        PaddedForecaster.Input[] inputs = PaddedInputs();
        var parallel = new PaddedForecaster.Output[Batch];
        model.Forward(inputs, parallel, maxDegreeOfParallelism: 2);
        for (int b = 0; b < Batch; b++)
        {
            model.Forward(in inputs[b], out PaddedForecaster.Output alone);
            bool padded = inputs[b].AsSpan()[^1] == 0f;
            for (int i = 0; i < 2; i++)
            {
                if (padded)
                {
                    Assert.Equal(alone.Result[i], parallel[b].Result[i]);
                }
                else
                {
                    Assert.InRange(Math.Abs(alone.Result[i] - parallel[b].Result[i]), 0f, 1e-6f);
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Parallel_StepStreams_gives_the_serial_outputs_and_states_bit_for_bit(int degree)
    {
        // 2051 streams (enough work per call for the workers to overlap) over 12 timesteps, some of them masked at each
        // step (all features equal to mask_value 0): a masked step keeps the stream's states, and each stream runs by
        // itself on its worker's memory. With 259 streams, workers sharing memory were not caught.
        const int Streams = 2051;
        var serial = new PaddedForecaster(seed: 7);
        var parallel = new PaddedForecaster(seed: 7);
        float[] serialStates = new float[Streams * PaddedForecaster.StreamStateLength];
        float[] parallelStates = new float[serialStates.Length];
        float[] expected = new float[Streams * PaddedForecaster.OutputDim];
        float[] actual = new float[expected.Length];
        var random = new Random(11);
        for (int t = 0; t < 12; t++)
        {
            float[] inputs = new float[Streams * PaddedForecaster.InputDim];
            for (int stream = 0; stream < Streams; stream++)
            {
                if ((stream + t) % 5 != 0)
                {
                    for (int i = 0; i < PaddedForecaster.InputDim; i++)
                    {
                        inputs[stream * PaddedForecaster.InputDim + i] = (float)(random.NextDouble() * 2 - 1);
                    }
                }
            }

            serial.StepStreams(inputs, expected, serialStates);
            parallel.StepStreams(inputs, actual, parallelStates, degree);
            Assert.Equal(expected, actual);
            Assert.Equal(serialStates, parallelStates);
        }
    }

    // One chunk in four has no padding (chunk kernels); the others ragged padding at the end (one sequence at a time).
    private static PaddedForecaster.Input[] PaddedInputs()
    {
        var random = new Random(3);
        var inputs = new PaddedForecaster.Input[Batch];
        for (int b = 0; b < Batch; b++)
        {
            int chunk = b / 4;
            int padding = chunk % 4 == 0 ? 0 : 1 + (b * 5 % 11);
            float[] values = new float[12 * 3];
            for (int i = 0; i < (12 - padding) * 3; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1);
            }

            values.CopyTo(inputs[b].AsSpan());
        }

        return inputs;
    }
}
