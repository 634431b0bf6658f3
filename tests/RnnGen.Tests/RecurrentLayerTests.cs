using System;
using System.Linq;
using RnnGen.Kernels;
using Xunit;

namespace RnnGen.Tests;

/// <summary>
/// The layer driver every generated recurrent layer runs through (<see cref="RecurrentLayer.Run{TCell}"/>), on cells
/// whose step is simple enough to follow by hand: h' = h / 2 + x + j for unit j, and a second state that counts the
/// steps. The expected values come from Keras's rules written out in each test (keras/src/backend/tensorflow/rnn.py: a
/// masked step keeps the states and repeats the previous output, zeros before any; Bidirectional puts the backward
/// outputs back in time order, zeros at masked steps, then merges), not from the driver. The generated models' own
/// outputs are checked against Keras and TensorFlow.js elsewhere; this is the driver alone.
/// </summary>
public class RecurrentLayerTests
{
    private const int Timesteps = 5;
    private const int Units = 2;
    private const int Padded = 4;

    private static readonly float[] s_input = { 1f, -2f, 0.5f, 3f, -1f };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sequences_come_in_processing_order_and_the_final_states_end_in_the_first_buffer(bool goBackwards)
    {
        float[] output = new float[Timesteps * Units];
        float[] memory = new float[4 * Padded];
        Run(goBackwards, memory, default, RecurrentOutput.Single(output, 0, returnSequences: true));

        float[][] expected = Expected(goBackwards, mask: null, initial: null, out float[] h, out float[] steps);
        Assert.Equal(expected.SelectMany(row => row), output); // processing order: a go_backwards layer's first row is its last timestep's
        Assert.Equal(h, memory.AsSpan(0, Units).ToArray()); // 5 steps: an odd number of swaps, copied back
        Assert.Equal(steps, memory.AsSpan(2 * Padded, Units).ToArray());
    }

    [Fact]
    public void A_masked_step_keeps_the_states_and_repeats_the_output_with_zeros_before_the_first_kept_step()
    {
        bool[] mask = { false, true, false, false, true };
        float[] output = new float[Timesteps * Units];
        float[] memory = new float[4 * Padded];
        Run(goBackwards: false, memory, mask, RecurrentOutput.Single(output, 0, returnSequences: true));

        float[][] expected = Expected(goBackwards: false, mask, initial: null, out float[] h, out float[] steps);
        Assert.Equal(new float[Units], expected[0]); // the rule itself: zeros before the first kept step
        Assert.Equal(expected[1], expected[2]);
        Assert.Equal(expected.SelectMany(row => row), output);
        Assert.Equal(h, memory.AsSpan(0, Units).ToArray());
        Assert.Equal(new float[] { 2, 2 }, steps); // two kept steps
        Assert.Equal(steps, memory.AsSpan(2 * Padded, Units).ToArray());
    }

    [Fact]
    public void The_last_output_of_a_sequence_with_every_step_masked_is_zeros_whatever_the_initial_state()
    {
        float[] output = { 9f, 9f };
        float[] memory = new float[4 * Padded];
        float[] initial = { 0.25f, -0.5f, 7f, 8f };
        RecurrentLayer.Run(new ForwardCell(), s_input, Buffers(memory), RecurrentOutput.Single(output, 0, returnSequences: false),
            initialState: initial, mask: new bool[Timesteps]);

        Assert.Equal(new float[Units], output);
        Assert.Equal(new[] { 0.25f, -0.5f }, memory.AsSpan(0, Units).ToArray()); // the states stayed as given
        Assert.Equal(new[] { 7f, 8f }, memory.AsSpan(2 * Padded, Units).ToArray());
    }

    [Theory]
    [InlineData(MergeMode.Concat)]
    [InlineData(MergeMode.Sum)]
    [InlineData(MergeMode.Mul)]
    [InlineData(MergeMode.Ave)]
    [InlineData(MergeMode.None)]
    public void Bidirectional_copies_merge_in_time_order_with_zeros_at_masked_steps(MergeMode mode)
    {
        bool[] mask = { true, false, true, true, false };
        int width = mode == MergeMode.Concat ? 2 * Units : Units;
        float[] output = Enumerable.Repeat(9f, Timesteps * width).ToArray(); // every row must be written
        float[] backwardOutput = mode == MergeMode.None ? Enumerable.Repeat(9f, Timesteps * Units).ToArray() : Array.Empty<float>();
        float[] forwardMemory = new float[4 * Padded], backwardMemory = new float[4 * Padded];
        RecurrentLayer.Run(new ForwardCell(), s_input, Buffers(forwardMemory),
            RecurrentOutput.Bidirectional(output, 0, returnSequences: true, mode, direction: 0, backwardOutput), mask: mask);
        RecurrentLayer.Run(new BackwardCell(), s_input, Buffers(backwardMemory),
            RecurrentOutput.Bidirectional(output, 0, returnSequences: true, mode, direction: 1, backwardOutput), mask: mask);

        float[][] forward = InTimeOrder(Expected(goBackwards: false, mask, null, out _, out _), goBackwards: false, mask);
        float[][] backward = InTimeOrder(Expected(goBackwards: true, mask, null, out _, out _), goBackwards: true, mask);
        for (int t = 0; t < Timesteps; t++)
        {
            float[] f = forward[t], b = backward[t];
            float[] expected = mode switch
            {
                MergeMode.Concat => f.Concat(b).ToArray(),
                MergeMode.Sum => f.Zip(b, (x, y) => x + y).ToArray(),
                MergeMode.Mul => f.Zip(b, (x, y) => x * y).ToArray(),
                MergeMode.Ave => f.Zip(b, (x, y) => (x + y) / 2f).ToArray(),
                _ => f,
            };
            Assert.Equal(expected, output.AsSpan(t * width, width).ToArray());
            if (mode == MergeMode.None)
            {
                Assert.Equal(b, backwardOutput.AsSpan(t * Units, Units).ToArray());
            }
        }
    }

    [Fact]
    public void Initial_states_win_over_stored_ones_and_stored_states_are_read_and_written_per_batch_row()
    {
        // Two sequences advancing together, batch rows 1 and 2 of a stateful layer: each row stores h then the count,
        // 2 states x 2 units.
        const int stride = 2 * Units;
        float[] stored = { 0, 0, 0, 0, /* row 1 */ 0.5f, 1f, 10f, 20f, /* row 2 */ -1f, 2f, 30f, 40f };
        float[] before = (float[])stored.Clone();
        float[] input = s_input.Concat(s_input.Select(x => -x)).ToArray();
        float[] output = new float[2 * Units];
        float[] memory = new float[4 * 2 * Padded];
        var buffers = new CellBuffers(memory.AsSpan(0, 2 * Padded), memory.AsSpan(2 * Padded, 2 * Padded), memory.AsSpan(4 * Padded, 2 * Padded));
        RecurrentLayer.Run(new ChunkCell(), input, buffers, RecurrentOutput.Single(output, Units, returnSequences: false),
            storedStates: stored.AsSpan(stride), storedStateStride: stride);

        for (int r = 0; r < 2; r++)
        {
            float[] x = input.Skip(r * Timesteps).Take(Timesteps).ToArray();
            float[] h = before.Skip((r + 1) * stride).Take(Units).ToArray();
            float[] steps = before.Skip((r + 1) * stride + Units).Take(Units).ToArray();
            foreach (float value in x)
            {
                h = Step(h, value);
                steps = steps.Select(s => s + 1).ToArray();
            }

            Assert.Equal(h, output.AsSpan(r * Units, Units).ToArray());
            Assert.Equal(h.Concat(steps), stored.AsSpan((r + 1) * stride, stride).ToArray()); // written back for the next call
        }

        Assert.Equal(new float[stride], stored.AsSpan(0, stride).ToArray()); // row 0 is not this chunk's

        // An initial state overrides the stored ones (Keras 3) and the stored ones are still written at the end.
        float[] singleOutput = new float[Units];
        float[] singleMemory = new float[4 * Padded];
        RecurrentLayer.Run(new ForwardCell(), s_input, Buffers(singleMemory), RecurrentOutput.Single(singleOutput, 0, returnSequences: false),
            initialState: new[] { 0f, 0f, 0f, 0f }, storedStates: stored.AsSpan(stride), storedStateStride: stride);
        Expected(goBackwards: false, mask: null, initial: null, out float[] fromZeros, out float[] counted);
        Assert.Equal(fromZeros, singleOutput);
        Assert.Equal(fromZeros.Concat(counted), stored.AsSpan(stride, stride).ToArray());
    }

    [Fact]
    public void The_cell_walks_its_weights_in_alternating_order_step_by_step()
    {
        ForwardCell.Reverses.Clear();
        Run(goBackwards: false, new float[4 * Padded], default, RecurrentOutput.Single(new float[Units], 0, returnSequences: false));
        Assert.Equal(new[] { false, true, false, true, false }, ForwardCell.Reverses);
    }

    private static void Run(bool goBackwards, float[] memory, ReadOnlySpan<bool> mask, RecurrentOutput output)
    {
        if (goBackwards)
        {
            RecurrentLayer.Run(new BackwardCell(), s_input, Buffers(memory), output, mask: mask);
        }
        else
        {
            RecurrentLayer.Run(new ForwardCell(), s_input, Buffers(memory), output, mask: mask);
        }
    }

    private static CellBuffers Buffers(float[] memory) =>
        new(memory.AsSpan(0, Padded), memory.AsSpan(Padded, Padded), memory.AsSpan(2 * Padded, Padded));

    private static float[] Step(float[] h, float x) => h.Select((value, j) => value / 2 + x + j).ToArray();

    /// <summary>Keras's outputs for one sequence, in processing order, and the final states.</summary>
    private static float[][] Expected(bool goBackwards, bool[]? mask, float[]? initial, out float[] h, out float[] steps)
    {
        h = initial?.Take(Units).ToArray() ?? new float[Units];
        steps = initial?.Skip(Units).ToArray() ?? new float[Units];
        float[] previous = new float[Units];
        var rows = new float[Timesteps][];
        for (int step = 0; step < Timesteps; step++)
        {
            int t = goBackwards ? Timesteps - 1 - step : step;
            if (mask is null || mask[t])
            {
                h = Step(h, s_input[t]);
                steps = steps.Select(s => s + 1).ToArray();
                previous = h;
            }

            rows[step] = previous;
        }

        return rows;
    }

    /// <summary>A bidirectional copy's rows: back in time order, and zeros at masked steps (zero_output_for_mask).</summary>
    private static float[][] InTimeOrder(float[][] rows, bool goBackwards, bool[] mask) =>
        Enumerable.Range(0, Timesteps)
            .Select(t => mask[t] ? rows[goBackwards ? Timesteps - 1 - t : t] : new float[Units])
            .ToArray();

    /// <summary>h' = h / 2 + x + j for each sequence of the chunk; the second state counts the steps.</summary>
    private static void Apply(int sequences, ref float x, ref float h, ref float hNext, ref float c)
    {
        for (int r = 0; r < sequences; r++)
        {
            float input = System.Runtime.CompilerServices.Unsafe.Add(ref x, r * Timesteps);
            for (int j = 0; j < Units; j++)
            {
                System.Runtime.CompilerServices.Unsafe.Add(ref hNext, r * Padded + j) = System.Runtime.CompilerServices.Unsafe.Add(ref h, r * Padded + j) / 2 + input + j;
                System.Runtime.CompilerServices.Unsafe.Add(ref c, r * Padded + j) += 1;
            }
        }
    }

    private readonly struct ForwardCell : IRecurrentCell
    {
        public static readonly System.Collections.Generic.List<bool> Reverses = new();

        public static int Timesteps => RecurrentLayerTests.Timesteps;
        public static int InputWidth => 1;
        public static int Units => RecurrentLayerTests.Units;
        public static int Padded => RecurrentLayerTests.Padded;
        public static int Sequences => 1;
        public static int States => 2;
        public static bool ReadsBackwards => false;

        public void Step(ref float x, ref float h, ref float hNext, ref float c, ref float gates, bool reverse)
        {
            Reverses.Add(reverse);
            Apply(1, ref x, ref h, ref hNext, ref c);
        }
    }

    private readonly struct BackwardCell : IRecurrentCell
    {
        public static int Timesteps => RecurrentLayerTests.Timesteps;
        public static int InputWidth => 1;
        public static int Units => RecurrentLayerTests.Units;
        public static int Padded => RecurrentLayerTests.Padded;
        public static int Sequences => 1;
        public static int States => 2;
        public static bool ReadsBackwards => true;

        public void Step(ref float x, ref float h, ref float hNext, ref float c, ref float gates, bool reverse) =>
            Apply(1, ref x, ref h, ref hNext, ref c);
    }

    private readonly struct ChunkCell : IRecurrentCell
    {
        public static int Timesteps => RecurrentLayerTests.Timesteps;
        public static int InputWidth => 1;
        public static int Units => RecurrentLayerTests.Units;
        public static int Padded => RecurrentLayerTests.Padded;
        public static int Sequences => 2;
        public static int States => 2;
        public static bool ReadsBackwards => false;

        public void Step(ref float x, ref float h, ref float hNext, ref float c, ref float gates, bool reverse) =>
            Apply(2, ref x, ref h, ref hNext, ref c);
    }
}
