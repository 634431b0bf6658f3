using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using RnnGen.Benchmarks.Models;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--cell-anatomy</c>: a profiling experiment for docs/performance.md ("Where the time goes"), for the machines
/// without hardware performance counters. Splits one streaming step of LSTM(16) and LSTM(32) with 8 inputs (512-bit
/// kernels) into its parts by timing copies of the generated cell kernel (<see cref="CellAnatomyKernels"/>): the
/// whole cell, the cell with every activation replaced by the identity (what the multiply-adds and the element-wise
/// state update cost), and the cell without its multiply-add loops (what the five activations and the update cost),
/// next to the model's own <c>Step</c> (the cell plus the Dense(1) head and the call). Each cell runs as in a stream:
/// its output state is the next step's input state; and once "not chained", every step reading the same state, so
/// that consecutive steps can overlap. Best of 7 rounds of 200,000 steps. The cells are called through a delegate
/// (about 1 ns more than the direct call of the generated code).
/// </summary>
public static class CellAnatomyMode
{
    private const int StepsPerRound = 200_000;
    private const int Rounds = 7;
    private const int Inputs = 8;

    private delegate void Cell(ref float x, ref float hPrev, ref float hNext, ref float c, ref float weights, bool reverse);

    public static int Run()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Console.WriteLine("--cell-anatomy times the 512-bit kernels, which this machine does not run.");
            return 0;
        }

        Console.WriteLine("LSTM step, 8 inputs, 512-bit kernels: ns per step, best of 7 rounds of 200,000 steps");
        Console.WriteLine();
        Console.WriteLine("| Units | Model Step (cell + Dense(1) head + call) | Cell | Cell, weights 16 bytes off alignment | Cell, not chained | Cell, activations replaced by identity | Cell without the multiply-adds |");
        Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|");
        Measure(new LstmStep16x8(), 16, CellAnatomyKernels.Lstm16Full, CellAnatomyKernels.Lstm16NoActivations, CellAnatomyKernels.Lstm16ActivationsOnly);
        Measure(new LstmStep32x8(), 32, CellAnatomyKernels.Lstm32Full, CellAnatomyKernels.Lstm32NoActivations, CellAnatomyKernels.Lstm32ActivationsOnly);
        return 0;
    }

    private static void Measure<TIn, TOut>(IStreamingModel<TIn, TOut> model, int units, Cell full, Cell noActivations, Cell activationsOnly)
        where TIn : struct
        where TOut : struct
    {
        // The generated kernel's packing of this model's weights (kernel, recurrent kernel, bias; then the Dense head).
        float[][] weights = model.GetWeights();
        // Aligned to 64 bytes as the generated model aligns its packed weights; and 16 bytes past that, as an ordinary
        // float[] often starts, to show what the alignment is worth.
        int length = KernelPacking.RecurrentLength(Inputs, units, 4, 16, 1);
        var aligned = new Weights(length, 0);
        var unaligned = new Weights(length, 4);
        KernelPacking.PackRecurrent(weights[0], weights[1], weights[2], aligned.Span, Inputs, units, 4, 16, 1);
        KernelPacking.PackRecurrent(weights[0], weights[1], weights[2], unaligned.Span, Inputs, units, 4, 16, 1);
        float[] input = new float[Inputs], output = new float[1];
        for (int i = 0; i < Inputs; i++)
        {
            input[i] = 0.1f * i - 0.3f;
        }

        CheckCopyAgainstModel(model, units, full, aligned, weights, input);

        double step = Best(() =>
        {
            for (int i = 0; i < StepsPerRound; i++)
            {
                model.Step(input, output);
            }
        });
        Console.WriteLine($"| {units} | {step:F1} | {Chained(full, aligned, units, input):F1} | {Chained(full, unaligned, units, input):F1} | {Unchained(full, aligned, units, input):F1} | {Chained(noActivations, aligned, units, input):F1} | {Chained(activationsOnly, aligned, units, input):F1} |");
    }

    // The copy must still be the model's kernel: one step from a zero state through the copy and the Dense head gives
    // the model's own first output.
    private static void CheckCopyAgainstModel<TIn, TOut>(IStreamingModel<TIn, TOut> model, int units, Cell full, Weights packed, float[][] weights, float[] input)
        where TIn : struct
        where TOut : struct
    {
        float[] h = new float[units], hNext = new float[units], c = new float[units], output = new float[1];
        full(ref input[0], ref h[0], ref hNext[0], ref c[0], ref packed.Start, false);
        double head = weights[4][0];
        for (int u = 0; u < units; u++)
        {
            head += hNext[u] * weights[3][u];
        }

        model.ResetStates();
        model.Step(input, output);
        if (Math.Abs(head - output[0]) > 1e-4)
        {
            throw new InvalidOperationException($"The copied LSTM({units}) kernel gives {head} where the model's Step gives {output[0]}: regenerate CellAnatomyKernels.cs.");
        }
    }

    private static double Chained(Cell cell, Weights packed, int units, float[] input)
    {
        float[] h = new float[units], hNext = new float[units], c = new float[units];
        return Best(() =>
        {
            for (int i = 0; i < StepsPerRound; i += 2)
            {
                cell(ref input[0], ref h[0], ref hNext[0], ref c[0], ref packed.Start, false);
                cell(ref input[0], ref hNext[0], ref h[0], ref c[0], ref packed.Start, true);
            }
        });
    }

    // The same cell with every step reading one fixed state and writing another: no step waits for the previous one,
    // so the out-of-order core can overlap consecutive steps. Equal to Chained when a step is bound by its work, not by
    // its dependency chain.
    private static double Unchained(Cell cell, Weights packed, int units, float[] input)
    {
        float[] h = new float[units], hNext = new float[units], c = new float[units], cOther = new float[units];
        return Best(() =>
        {
            for (int i = 0; i < StepsPerRound; i += 2)
            {
                cell(ref input[0], ref h[0], ref hNext[0], ref c[0], ref packed.Start, false);
                cell(ref input[0], ref h[0], ref hNext[0], ref cOther[0], ref packed.Start, true);
            }
        });
    }

    /// <summary>Packed weights at a chosen distance (in floats) from a 64-byte boundary.</summary>
    private sealed class Weights
    {
        private readonly float[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        public Weights(int length, int offset)
        {
            _buffer = GeneratedModelSupport.AllocateAligned(length + offset);
            _offset = offset;
            _length = length;
        }

        public ref float Start => ref System.Runtime.CompilerServices.Unsafe.Add(ref GeneratedModelSupport.AlignedStart(_buffer), _offset);

        public Span<float> Span => GeneratedModelSupport.AlignedSpan(_buffer, _length + _offset).Slice(_offset);
    }

    private static double Best(Action round)
    {
        round();
        double best = double.MaxValue;
        for (int r = 0; r < Rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            round();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / StepsPerRound);
        }

        return best;
    }
}
