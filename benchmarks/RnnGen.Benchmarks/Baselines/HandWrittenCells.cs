using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RnnGen.Benchmarks.Harness;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>A size known when the JIT compiles a generic instantiation: <c>TH.Value</c> folds to a constant.</summary>
public interface ISize
{
    static abstract int Value { get; }
}

#pragma warning disable CS1591 // the sizes of the Step benchmarks, named by their value
public readonly struct S1 : ISize { public static int Value => 1; }
public readonly struct S8 : ISize { public static int Value => 8; }
public readonly struct S16 : ISize { public static int Value => 16; }
public readonly struct S32 : ISize { public static int Value => 32; }
public readonly struct S64 : ISize { public static int Value => 64; }
public readonly struct S128 : ISize { public static int Value => 128; }
#pragma warning restore CS1591

/// <summary>
/// The hand-written fixed-size baseline of issue 15: what a careful person writes for one streaming LSTM or GRU step
/// with a Dense(1) head when the sizes are constants, so that RnnGen's generated Step is measured against it in the same
/// run. Sizes are generic struct parameters (<see cref="ISize"/>), so every loop bound is a JIT constant. The gate
/// pre-activations are computed output-block by output-block: for a block of 2 <see cref="Vector512{T}"/> (32 gate
/// outputs), every input and every hidden value is broadcast and multiplied into the block's kernel rows, with two
/// partial sums per vector (4 independent FMA chains) that meet at the end. Weights are Keras's
/// <c>[inputs, gates * units]</c>, copied once into rows padded to whole blocks. Activations are RnnGen's vector
/// operators (rational tanh; sigmoid as <c>0.5 + 0.5 tanh(x / 2)</c>), the head one dot product. No bounds checks
/// (<see cref="Unsafe"/> refs). AVX-512 only: elsewhere <see cref="IsSupported"/> is false and the benchmark skips it.
/// </summary>
public abstract class HandWrittenCell : StreamingRunner
{
    /// <summary>Floats per gate-output block: two 512-bit vectors.</summary>
    protected const int Block = 32;

    private readonly float[] _signal;

    protected HandWrittenCell(int inputDim, int units, int gates, float[][] weights)
    {
        InputDim = inputDim;
        Units = units;
        Width = (gates * units + Block - 1) / Block * Block;
        _signal = Signal(inputDim);
        Kernel = Pad(weights[0], inputDim, gates * units, Width);
        Recurrent = Pad(weights[1], units, gates * units, Width);
        DenseKernel = weights[^2];
        DenseBias = weights[^1][0];
        H = new float[units];
        Gates = new float[Width];
        HiddenGates = new float[Width];
    }

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    protected int InputDim { get; }

    protected int Units { get; }

    /// <summary>Gate outputs padded to whole blocks.</summary>
    protected int Width { get; }

    protected float[] Kernel { get; }

    protected float[] Recurrent { get; }

    protected float[] DenseKernel { get; }

    protected float DenseBias { get; }

    protected float[] H { get; }

    /// <summary>x·W + b (and, for the LSTM, + h·U) for each gate output.</summary>
    protected float[] Gates { get; }

    /// <summary>The GRU's h·U + recurrent bias, kept apart for reset_after.</summary>
    protected float[] HiddenGates { get; }

    private static float[] Pad(float[] matrix, int rows, int columns, int width)
    {
        var padded = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(matrix, r * columns, padded, r * width, columns);
        }

        return padded;
    }

    /// <summary>
    /// <paramref name="output"/>[0..Width) = <paramref name="start"/> + x·<paramref name="matrix"/> over
    /// <typeparamref name="TRows"/> rows: per block, 2 vectors with 2 partial sums each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void MultiplyAdd<TRows>(ref float x, ref float matrix, int width, ref float start, ref float output)
        where TRows : struct, ISize
    {
        for (int block = 0; block < width; block += Block)
        {
            Vector512<float> a0 = Vector512.LoadUnsafe(ref start, (nuint)block);
            Vector512<float> a1 = Vector512.LoadUnsafe(ref start, (nuint)(block + 16));
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero;
            int k = 0;
            for (; k + 1 < TRows.Value; k += 2)
            {
                ref float row = ref Unsafe.Add(ref matrix, k * width + block);
                ref float next = ref Unsafe.Add(ref row, width);
                Vector512<float> xk = Vector512.Create(Unsafe.Add(ref x, k));
                Vector512<float> xn = Vector512.Create(Unsafe.Add(ref x, k + 1));
                a0 = Vector512.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row), a0);
                a1 = Vector512.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 16), a1);
                b0 = Vector512.FusedMultiplyAdd(xn, Vector512.LoadUnsafe(ref next), b0);
                b1 = Vector512.FusedMultiplyAdd(xn, Vector512.LoadUnsafe(ref next, 16), b1);
            }

            if (k < TRows.Value)
            {
                ref float row = ref Unsafe.Add(ref matrix, k * width + block);
                Vector512<float> xk = Vector512.Create(Unsafe.Add(ref x, k));
                a0 = Vector512.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row), a0);
                a1 = Vector512.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 16), a1);
            }

            (a0 + b0).StoreUnsafe(ref output, (nuint)block);
            (a1 + b1).StoreUnsafe(ref output, (nuint)(block + 16));
        }
    }

    /// <summary>The Dense(1) head: one dot product of h with the kernel column, plus the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected float Head<TH>()
        where TH : struct, ISize
    {
        ref float h = ref MemoryMarshal.GetArrayDataReference(H);
        ref float w = ref MemoryMarshal.GetArrayDataReference(DenseKernel);
        if (TH.Value >= 16)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (int j = 0; j < TH.Value; j += 16)
            {
                sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref h, (nuint)j), Vector512.LoadUnsafe(ref w, (nuint)j), sum);
            }

            return Vector512.Sum(sum) + DenseBias;
        }

        return Vector256.Sum(Vector256.LoadUnsafe(ref h) * Vector256.LoadUnsafe(ref w)) + DenseBias;
    }

    protected ref float Input(int index) => ref _signal[index * InputDim];

    public override void ResetStates() => ResetCellStates();

    protected abstract void ResetCellStates();
}

/// <summary>The hand-written LSTM step (gates i, f, c, o; Keras's defaults: tanh, sigmoid) and its Dense(1) head.</summary>
public sealed class HandWrittenLstm<TH, TD> : HandWrittenCell
    where TH : struct, ISize
    where TD : struct, ISize
{
    private readonly float[] _bias;
    private readonly float[] _c;

    /// <param name="weights">Keras get_weights(): LSTM kernel, recurrent kernel, bias; Dense kernel, bias.</param>
    public HandWrittenLstm(float[][] weights)
        : base(TD.Value, TH.Value, 4, weights)
    {
        _bias = new float[Width];
        Array.Copy(weights[2], _bias, 4 * TH.Value);
        _c = new float[TH.Value];
    }

    protected override void ResetCellStates()
    {
        Array.Clear(H);
        Array.Clear(_c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the generated kernels: optimized from the first call (--small-steps)
    protected override float StepAt(int index)
    {
        const int Gates4 = 4;
        int width = (Gates4 * TH.Value + Block - 1) / Block * Block;
        ref float z = ref MemoryMarshal.GetArrayDataReference(Gates);
        MultiplyAdd<TD>(ref Input(index), ref MemoryMarshal.GetArrayDataReference(Kernel), width, ref MemoryMarshal.GetArrayDataReference(_bias), ref z);
        MultiplyAdd<TH>(ref MemoryMarshal.GetArrayDataReference(H), ref MemoryMarshal.GetArrayDataReference(Recurrent), width, ref z, ref z);
        ref float h = ref MemoryMarshal.GetArrayDataReference(H);
        ref float c = ref MemoryMarshal.GetArrayDataReference(_c);
        int u = TH.Value;
        if (u >= 16)
        {
            for (int j = 0; j < u; j += 16)
            {
                Vector512<float> i = SigmoidOperator.Invoke(Vector512.LoadUnsafe(ref z, (nuint)j));
                Vector512<float> f = SigmoidOperator.Invoke(Vector512.LoadUnsafe(ref z, (nuint)(u + j)));
                Vector512<float> g = TanhOperator.Invoke(Vector512.LoadUnsafe(ref z, (nuint)(2 * u + j)));
                Vector512<float> o = SigmoidOperator.Invoke(Vector512.LoadUnsafe(ref z, (nuint)(3 * u + j)));
                Vector512<float> cNext = Vector512.FusedMultiplyAdd(f, Vector512.LoadUnsafe(ref c, (nuint)j), i * g);
                cNext.StoreUnsafe(ref c, (nuint)j);
                (o * TanhOperator.Invoke(cNext)).StoreUnsafe(ref h, (nuint)j);
            }
        }
        else
        {
            // 8 units: each gate is one 256-bit vector.
            Vector256<float> i = SigmoidOperator.Invoke(Vector256.LoadUnsafe(ref z));
            Vector256<float> f = SigmoidOperator.Invoke(Vector256.LoadUnsafe(ref z, 8));
            Vector256<float> g = TanhOperator.Invoke(Vector256.LoadUnsafe(ref z, 16));
            Vector256<float> o = SigmoidOperator.Invoke(Vector256.LoadUnsafe(ref z, 24));
            Vector256<float> cNext = Vector256.FusedMultiplyAdd(f, Vector256.LoadUnsafe(ref c), i * g);
            cNext.StoreUnsafe(ref c);
            (o * TanhOperator.Invoke(cNext)).StoreUnsafe(ref h);
        }

        return Head<TH>();
    }
}

/// <summary>
/// The hand-written GRU step with Keras's default <c>reset_after=True</c> (gates z, r, h; input and recurrent biases
/// apart: <c>hh = tanh(x·W_h + b_h + r * (h·U_h + b'_h))</c>, <c>h = z * h + (1 - z) * hh</c>) and its Dense(1) head.
/// </summary>
public sealed class HandWrittenGru<TH, TD> : HandWrittenCell
    where TH : struct, ISize
    where TD : struct, ISize
{
    private readonly float[] _inputBias;
    private readonly float[] _recurrentBias;

    /// <param name="weights">Keras get_weights(): GRU kernel, recurrent kernel, bias [2, 3 * units]; Dense kernel, bias.</param>
    public HandWrittenGru(float[][] weights)
        : base(TD.Value, TH.Value, 3, weights)
    {
        _inputBias = new float[Width];
        _recurrentBias = new float[Width];
        Array.Copy(weights[2], 0, _inputBias, 0, 3 * TH.Value);
        Array.Copy(weights[2], 3 * TH.Value, _recurrentBias, 0, 3 * TH.Value);
    }

    protected override void ResetCellStates() => Array.Clear(H);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the generated kernels: optimized from the first call (--small-steps)
    protected override float StepAt(int index)
    {
        const int Gates3 = 3;
        int width = (Gates3 * TH.Value + Block - 1) / Block * Block;
        ref float zx = ref MemoryMarshal.GetArrayDataReference(Gates);
        ref float zh = ref MemoryMarshal.GetArrayDataReference(HiddenGates);
        ref float h = ref MemoryMarshal.GetArrayDataReference(H);
        MultiplyAdd<TD>(ref Input(index), ref MemoryMarshal.GetArrayDataReference(Kernel), width, ref MemoryMarshal.GetArrayDataReference(_inputBias), ref zx);
        MultiplyAdd<TH>(ref h, ref MemoryMarshal.GetArrayDataReference(Recurrent), width, ref MemoryMarshal.GetArrayDataReference(_recurrentBias), ref zh);
        int u = TH.Value;
        if (u >= 16)
        {
            for (int j = 0; j < u; j += 16)
            {
                Vector512<float> z = SigmoidOperator.Invoke(Vector512.LoadUnsafe(ref zx, (nuint)j) + Vector512.LoadUnsafe(ref zh, (nuint)j));
                Vector512<float> r = SigmoidOperator.Invoke(Vector512.LoadUnsafe(ref zx, (nuint)(u + j)) + Vector512.LoadUnsafe(ref zh, (nuint)(u + j)));
                Vector512<float> hh = TanhOperator.Invoke(Vector512.FusedMultiplyAdd(r, Vector512.LoadUnsafe(ref zh, (nuint)(2 * u + j)), Vector512.LoadUnsafe(ref zx, (nuint)(2 * u + j))));
                Vector512<float> previous = Vector512.LoadUnsafe(ref h, (nuint)j);
                Vector512.FusedMultiplyAdd(z, previous - hh, hh).StoreUnsafe(ref h, (nuint)j); // z h + (1 - z) hh
            }
        }
        else
        {
            Vector256<float> z = SigmoidOperator.Invoke(Vector256.LoadUnsafe(ref zx) + Vector256.LoadUnsafe(ref zh));
            Vector256<float> r = SigmoidOperator.Invoke(Vector256.LoadUnsafe(ref zx, 8) + Vector256.LoadUnsafe(ref zh, 8));
            Vector256<float> hh = TanhOperator.Invoke(Vector256.FusedMultiplyAdd(r, Vector256.LoadUnsafe(ref zh, 16), Vector256.LoadUnsafe(ref zx, 16)));
            Vector256<float> previous = Vector256.LoadUnsafe(ref h);
            Vector256.FusedMultiplyAdd(z, previous - hh, hh).StoreUnsafe(ref h);
        }

        return Head<TH>();
    }
}
