using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>The sizes of a hand-written cell, as constants the JIT folds (one struct per size).</summary>
public interface IStepSize
{
    static abstract int Units { get; }

    static abstract int Inputs { get; }
}

#pragma warning disable SA1402, SA1649, CS1591
public struct H8x1 : IStepSize { public static int Units => 8; public static int Inputs => 1; }
public struct H8x8 : IStepSize { public static int Units => 8; public static int Inputs => 8; }
public struct H16x1 : IStepSize { public static int Units => 16; public static int Inputs => 1; }
public struct H16x8 : IStepSize { public static int Units => 16; public static int Inputs => 8; }
public struct H32x1 : IStepSize { public static int Units => 32; public static int Inputs => 1; }
public struct H32x8 : IStepSize { public static int Units => 32; public static int Inputs => 8; }
public struct H64x1 : IStepSize { public static int Units => 64; public static int Inputs => 1; }
public struct H64x8 : IStepSize { public static int Units => 64; public static int Inputs => 8; }
public struct H128x1 : IStepSize { public static int Units => 128; public static int Inputs => 1; }
public struct H128x8 : IStepSize { public static int Units => 128; public static int Inputs => 8; }
#pragma warning restore SA1402, SA1649, CS1591

/// <summary>
/// Baseline (c), second form: a fixed-size LSTM or GRU step and Dense(1) head written by hand, the way a careful person writes one
/// for a single model: the sizes are constants (a generic struct parameter, <see cref="IStepSize"/>), the Keras
/// weights are packed once into a 64-byte aligned, gate-interleaved layout (for each block of one vector of units,
/// row by row over [x | h], the gate slices side by side), so one pass over the weights accumulates every gate of the
/// block; two accumulator sets over alternate rows; a rational tanh (sigmoid from it) with a clamp; the head as one
/// dot product; raw pointers into pinned buffers, so no bounds checks. Vector512 when accelerated and the units fill
/// one, else Vector256.
/// </summary>
public abstract unsafe class PackedHandWrittenCell
{
    public abstract int InputDim { get; }

    /// <summary>Zeroes the state.</summary>
    public abstract void Reset();

    /// <summary>One timestep on <paramref name="x"/> (InputDim floats); returns the Dense(1) output.</summary>
    public abstract float Step(ReadOnlySpan<float> x);

    /// <summary>The state as Keras orders it (h, then c for LSTM).</summary>
    public abstract float[][] States();

    /// <summary>The hand-written cell of a streaming model [recurrent layer, Dense(1)] with its weights.</summary>
    public static PackedHandWrittenCell Create(IRnnModel model)
    {
        LayerInfo layer = model.Info.Layers[0];
        float[][] w = model.GetWeights();
        bool lstm = layer.Kind == LayerKind.Lstm;
        if ((!lstm && layer.Kind != LayerKind.Gru) || model.Info.Layers.Count != 2 || model.Info.Layers[1].Units != 1)
        {
            throw new NotSupportedException($"{model.Info.Name}: the hand-written baseline covers LSTM or GRU and Dense(1).");
        }

        return (lstm, layer.Units, layer.InputWidth) switch
        {
            (true, 8, 1) => new PackedHandWrittenLstm<H8x1>(w),
            (true, 8, 8) => new PackedHandWrittenLstm<H8x8>(w),
            (true, 16, 1) => new PackedHandWrittenLstm<H16x1>(w),
            (true, 16, 8) => new PackedHandWrittenLstm<H16x8>(w),
            (true, 32, 1) => new PackedHandWrittenLstm<H32x1>(w),
            (true, 32, 8) => new PackedHandWrittenLstm<H32x8>(w),
            (true, 64, 1) => new PackedHandWrittenLstm<H64x1>(w),
            (true, 64, 8) => new PackedHandWrittenLstm<H64x8>(w),
            (true, 128, 1) => new PackedHandWrittenLstm<H128x1>(w),
            (true, 128, 8) => new PackedHandWrittenLstm<H128x8>(w),
            (false, 8, 1) => new PackedHandWrittenGru<H8x1>(w),
            (false, 8, 8) => new PackedHandWrittenGru<H8x8>(w),
            (false, 16, 1) => new PackedHandWrittenGru<H16x1>(w),
            (false, 16, 8) => new PackedHandWrittenGru<H16x8>(w),
            (false, 32, 1) => new PackedHandWrittenGru<H32x1>(w),
            (false, 32, 8) => new PackedHandWrittenGru<H32x8>(w),
            (false, 64, 1) => new PackedHandWrittenGru<H64x1>(w),
            (false, 64, 8) => new PackedHandWrittenGru<H64x8>(w),
            (false, 128, 1) => new PackedHandWrittenGru<H128x1>(w),
            (false, 128, 8) => new PackedHandWrittenGru<H128x8>(w),
            _ => throw new NotSupportedException($"{model.Info.Name}: no hand-written size {layer.Units}x{layer.InputWidth}."),
        };
    }

    /// <summary>A pinned buffer of <paramref name="length"/> floats whose returned pointer is 64-byte aligned.</summary>
    protected static float* Aligned(int length, out float[] keepAlive)
    {
        keepAlive = GC.AllocateArray<float>(length + 16, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref keepAlive[0]);
        return (float*)((address + 63) & ~(nint)63);
    }

    /// <summary>
    /// Packs Keras kernel [I, G*H] and recurrent kernel [H, G*H] as [block of V units][row of x|h][gate][V lanes].
    /// </summary>
    protected static void Pack(float* packed, float[] kernel, float[] recurrent, int inputs, int units, int gates, int lanes)
    {
        int rows = inputs + units, columns = gates * units;
        for (int block = 0; block < units; block += lanes)
        {
            for (int k = 0; k < rows; k++)
            {
                for (int g = 0; g < gates; g++)
                {
                    for (int l = 0; l < lanes; l++)
                    {
                        int column = g * units + block + l;
                        *packed++ = k < inputs ? kernel[k * columns + column] : recurrent[(k - inputs) * columns + column];
                    }
                }
            }
        }
    }

    // Rational tanh (the [13/6] minimax fit Eigen uses for float), clamped where it reaches +-1 in float.
    private const float Clamp = 7.90531110763549805f;
    private const float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f,
        A7 = 5.12229709037114e-08f, A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private const float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<float> Tanh(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
        Vector512<float> x2 = x * x;
        Vector512<float> p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(A13), Vector512.Create(A11));
        p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(A9));
        p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(A7));
        p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(A5));
        p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(A3));
        p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(A1));
        Vector512<float> q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(B6), Vector512.Create(B4));
        q = Vector512.FusedMultiplyAdd(q, x2, Vector512.Create(B2));
        q = Vector512.FusedMultiplyAdd(q, x2, Vector512.Create(B0));
        return p * x / q;
    }

    /// <summary>sigmoid(x) = 0.5 + 0.5 tanh(x / 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<float> Sigmoid(Vector512<float> x)
    {
        Vector512<float> half = Vector512.Create(0.5f);
        return Vector512.FusedMultiplyAdd(Tanh(x * half), half, half);
    }

    /// <summary>h . w + b over H floats (H a multiple of the vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static float Dot512(float* h, float* w, int units, float bias)
    {
        Vector512<float> sum = Vector512<float>.Zero;
        for (int j = 0; j < units; j += Vector512<float>.Count)
        {
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(h + j), Vector512.LoadAligned(w + j), sum);
        }

        return Vector512.Sum(sum) + bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector256<float> Tanh(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        Vector256<float> x2 = x * x;
        Vector256<float> p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(A1));
        Vector256<float> q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(q, x2, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(q, x2, Vector256.Create(B0));
        return p * x / q;
    }

    /// <summary>sigmoid(x) = 0.5 + 0.5 tanh(x / 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector256<float> Sigmoid(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        return Vector256.FusedMultiplyAdd(Tanh(x * half), half, half);
    }

    /// <summary>h . w + b over H floats (H a multiple of the vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static float Dot256(float* h, float* w, int units, float bias)
    {
        Vector256<float> sum = Vector256<float>.Zero;
        for (int j = 0; j < units; j += Vector256<float>.Count)
        {
            sum = Vector256.FusedMultiplyAdd(Vector256.Load(h + j), Vector256.LoadAligned(w + j), sum);
        }

        return Vector256.Sum(sum) + bias;
    }
}

/// <summary>Keras LSTM (gates i, f, c, o) and Dense(1), sizes from <typeparamref name="T"/>.</summary>
public sealed unsafe class PackedHandWrittenLstm<T> : PackedHandWrittenCell
    where T : struct, IStepSize
{
    private readonly float* _c;

    private readonly float[] _keep0, _keep1, _keep2, _keep3, _keep4, _keep5;
    private readonly float* _w, _b, _dense;
    private float* _xh, _next;
    private readonly float _denseBias;
    private readonly bool _wide = Vector512.IsHardwareAccelerated && T.Units % 16 == 0;

    public override int InputDim => T.Inputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the generated kernels: optimized from the first call (--small-steps)
    public override float Step(ReadOnlySpan<float> x)
    {
        int inputs = T.Inputs;
        float* xh = _xh, next = _next;
        fixed (float* source = x)
        {
            for (int k = 0; k < inputs; k++)
            {
                xh[k] = source[k];
            }
        }

        float y;
        if (_wide)
        {
            Step512(xh, next);
            y = Dot512(next + inputs, _dense, T.Units, _denseBias);
        }
        else
        {
            Step256(xh, next);
            y = Dot256(next + inputs, _dense, T.Units, _denseBias);
        }

        _xh = next;
        _next = xh;
        return y;
    }

    public PackedHandWrittenLstm(float[][] weights)
    {
        int units = T.Units, inputs = T.Inputs, lanes = _wide ? 16 : 8;
        _w = Aligned((inputs + units) * 4 * units, out _keep0);
        Pack(_w, weights[0], weights[1], inputs, units, 4, lanes);
        _b = Aligned(4 * units, out _keep1);
        for (int block = 0, n = 0; block < units; block += lanes)
        {
            for (int g = 0; g < 4; g++)
            {
                for (int l = 0; l < lanes; l++)
                {
                    _b[n++] = weights[2][g * units + block + l];
                }
            }
        }

        _dense = Aligned(units, out _keep2);
        weights[3].AsSpan(0, units).CopyTo(new Span<float>(_dense, units));
        _denseBias = weights[4][0];
        _xh = Aligned(inputs + units + 16, out _keep3);
        _next = Aligned(inputs + units + 16, out _keep4);
        _c = Aligned(units, out _keep5);
    }

    public override void Reset()
    {
        new Span<float>(_xh, T.Inputs + T.Units).Clear();
        new Span<float>(_next, T.Inputs + T.Units).Clear();
        new Span<float>(_c, T.Units).Clear();
    }

    public override float[][] States() => new[] { new Span<float>(_xh + T.Inputs, T.Units).ToArray(), new Span<float>(_c, T.Units).ToArray() };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step512(float* xh, float* next)
    {
        const int V = 16;
        int units = T.Units, inputs = T.Inputs, rows = inputs + units;
        float* w = _w, b = _b, c = _c;
        for (int block = 0; block < units; block += V, b += 4 * V)
        {
            Vector512<float> i0 = Vector512.LoadAligned(b), f0 = Vector512.LoadAligned(b + V), g0 = Vector512.LoadAligned(b + 2 * V), o0 = Vector512.LoadAligned(b + 3 * V);
            Vector512<float> i1 = Vector512<float>.Zero, f1 = i1, g1 = i1, o1 = i1;
            int k = 0;
            for (; k + 1 < rows; k += 2, w += 8 * V)
            {
                Vector512<float> s0 = Vector512.Create(xh[k]), s1 = Vector512.Create(xh[k + 1]);
                i0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w), s0, i0);
                f0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + V), s0, f0);
                g0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 2 * V), s0, g0);
                o0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 3 * V), s0, o0);
                i1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 4 * V), s1, i1);
                f1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 5 * V), s1, f1);
                g1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 6 * V), s1, g1);
                o1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 7 * V), s1, o1);
            }

            if (k < rows)
            {
                Vector512<float> s0 = Vector512.Create(xh[k]);
                i0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w), s0, i0);
                f0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + V), s0, f0);
                g0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 2 * V), s0, g0);
                o0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 3 * V), s0, o0);
                w += 4 * V;
            }

            Vector512<float> cell = Vector512.LoadAligned(c + block);
            cell = Vector512.FusedMultiplyAdd(Sigmoid(f0 + f1), cell, Sigmoid(i0 + i1) * Tanh(g0 + g1));
            cell.StoreAligned(c + block);
            (Sigmoid(o0 + o1) * Tanh(cell)).Store(next + inputs + block);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step256(float* xh, float* next)
    {
        const int V = 8;
        int units = T.Units, inputs = T.Inputs, rows = inputs + units;
        float* w = _w, b = _b, c = _c;
        for (int block = 0; block < units; block += V, b += 4 * V)
        {
            Vector256<float> i0 = Vector256.LoadAligned(b), f0 = Vector256.LoadAligned(b + V), g0 = Vector256.LoadAligned(b + 2 * V), o0 = Vector256.LoadAligned(b + 3 * V);
            Vector256<float> i1 = Vector256<float>.Zero, f1 = i1, g1 = i1, o1 = i1;
            int k = 0;
            for (; k + 1 < rows; k += 2, w += 8 * V)
            {
                Vector256<float> s0 = Vector256.Create(xh[k]), s1 = Vector256.Create(xh[k + 1]);
                i0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w), s0, i0);
                f0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + V), s0, f0);
                g0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 2 * V), s0, g0);
                o0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 3 * V), s0, o0);
                i1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 4 * V), s1, i1);
                f1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 5 * V), s1, f1);
                g1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 6 * V), s1, g1);
                o1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 7 * V), s1, o1);
            }

            if (k < rows)
            {
                Vector256<float> s0 = Vector256.Create(xh[k]);
                i0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w), s0, i0);
                f0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + V), s0, f0);
                g0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 2 * V), s0, g0);
                o0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 3 * V), s0, o0);
                w += 4 * V;
            }

            Vector256<float> cell = Vector256.LoadAligned(c + block);
            cell = Vector256.FusedMultiplyAdd(Sigmoid(f0 + f1), cell, Sigmoid(i0 + i1) * Tanh(g0 + g1));
            cell.StoreAligned(c + block);
            (Sigmoid(o0 + o1) * Tanh(cell)).Store(next + inputs + block);
        }
    }
}

/// <summary>Keras GRU, reset_after=True (gates z, r, h; bias [2, 3H]), and Dense(1), sizes from <typeparamref name="T"/>.</summary>
public sealed unsafe class PackedHandWrittenGru<T> : PackedHandWrittenCell
    where T : struct, IStepSize
{

    private readonly float[] _keep0, _keep1, _keep2, _keep3, _keep4, _keep5;
    private readonly float* _w, _b, _dense;
    private float* _xh, _next;
    private readonly float _denseBias;
    private readonly bool _wide = Vector512.IsHardwareAccelerated && T.Units % 16 == 0;

    public override int InputDim => T.Inputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the generated kernels: optimized from the first call (--small-steps)
    public override float Step(ReadOnlySpan<float> x)
    {
        int inputs = T.Inputs;
        float* xh = _xh, next = _next;
        fixed (float* source = x)
        {
            for (int k = 0; k < inputs; k++)
            {
                xh[k] = source[k];
            }
        }

        float y;
        if (_wide)
        {
            Step512(xh, next);
            y = Dot512(next + inputs, _dense, T.Units, _denseBias);
        }
        else
        {
            Step256(xh, next);
            y = Dot256(next + inputs, _dense, T.Units, _denseBias);
        }

        _xh = next;
        _next = xh;
        return y;
    }

    public PackedHandWrittenGru(float[][] weights)
    {
        int units = T.Units, inputs = T.Inputs, lanes = _wide ? 16 : 8;
        _w = Aligned((inputs + units) * 3 * units, out _keep0);
        Pack(_w, weights[0], weights[1], inputs, units, 3, lanes);
        // Per block: z and r with both biases summed, then the input and the recurrent bias of the candidate.
        float[] bias = weights[2];
        _b = Aligned(4 * units, out _keep1);
        for (int block = 0, n = 0; block < units; block += lanes)
        {
            for (int g = 0; g < 4; g++)
            {
                for (int l = 0; l < lanes; l++)
                {
                    int j = block + l;
                    _b[n++] = g switch
                    {
                        0 => bias[j] + bias[3 * units + j],
                        1 => bias[units + j] + bias[4 * units + j],
                        2 => bias[2 * units + j],
                        _ => bias[5 * units + j],
                    };
                }
            }
        }

        _dense = Aligned(units, out _keep2);
        weights[3].AsSpan(0, units).CopyTo(new Span<float>(_dense, units));
        _denseBias = weights[4][0];
        _xh = Aligned(inputs + units + 16, out _keep3);
        _next = Aligned(inputs + units + 16, out _keep4);
        _keep5 = _keep4;
    }

    public override void Reset()
    {
        new Span<float>(_xh, T.Inputs + T.Units).Clear();
        new Span<float>(_next, T.Inputs + T.Units).Clear();
    }

    public override float[][] States() => new[] { new Span<float>(_xh + T.Inputs, T.Units).ToArray() };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step512(float* xh, float* next)
    {
        const int V = 16;
        int units = T.Units, inputs = T.Inputs, rows = inputs + units;
        float* w = _w, b = _b;
        float* h = xh + inputs;
        for (int block = 0; block < units; block += V, b += 4 * V)
        {
            Vector512<float> z0 = Vector512.LoadAligned(b), r0 = Vector512.LoadAligned(b + V), xc = Vector512.LoadAligned(b + 2 * V), hc0 = Vector512.LoadAligned(b + 3 * V);
            Vector512<float> z1 = Vector512<float>.Zero, r1 = z1, hc1 = z1;
            for (int k = 0; k < inputs; k++, w += 3 * V)
            {
                Vector512<float> s = Vector512.Create(xh[k]);
                z0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w), s, z0);
                r0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + V), s, r0);
                xc = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 2 * V), s, xc);
            }

            for (int k = inputs; k < rows; k += 2, w += 6 * V)
            {
                Vector512<float> s0 = Vector512.Create(xh[k]), s1 = Vector512.Create(xh[k + 1]);
                z0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w), s0, z0);
                r0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + V), s0, r0);
                hc0 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 2 * V), s0, hc0);
                z1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 3 * V), s1, z1);
                r1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 4 * V), s1, r1);
                hc1 = Vector512.FusedMultiplyAdd(Vector512.LoadAligned(w + 5 * V), s1, hc1);
            }

            Vector512<float> z = Sigmoid(z0 + z1);
            Vector512<float> candidate = Tanh(Vector512.FusedMultiplyAdd(Sigmoid(r0 + r1), hc0 + hc1, xc));
            Vector512<float> old = Vector512.Load(h + block);
            Vector512.FusedMultiplyAdd(z, old - candidate, candidate).Store(next + inputs + block);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step256(float* xh, float* next)
    {
        const int V = 8;
        int units = T.Units, inputs = T.Inputs, rows = inputs + units;
        float* w = _w, b = _b;
        float* h = xh + inputs;
        for (int block = 0; block < units; block += V, b += 4 * V)
        {
            Vector256<float> z0 = Vector256.LoadAligned(b), r0 = Vector256.LoadAligned(b + V), xc = Vector256.LoadAligned(b + 2 * V), hc0 = Vector256.LoadAligned(b + 3 * V);
            Vector256<float> z1 = Vector256<float>.Zero, r1 = z1, hc1 = z1;
            for (int k = 0; k < inputs; k++, w += 3 * V)
            {
                Vector256<float> s = Vector256.Create(xh[k]);
                z0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w), s, z0);
                r0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + V), s, r0);
                xc = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 2 * V), s, xc);
            }

            for (int k = inputs; k < rows; k += 2, w += 6 * V)
            {
                Vector256<float> s0 = Vector256.Create(xh[k]), s1 = Vector256.Create(xh[k + 1]);
                z0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w), s0, z0);
                r0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + V), s0, r0);
                hc0 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 2 * V), s0, hc0);
                z1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 3 * V), s1, z1);
                r1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 4 * V), s1, r1);
                hc1 = Vector256.FusedMultiplyAdd(Vector256.LoadAligned(w + 5 * V), s1, hc1);
            }

            Vector256<float> z = Sigmoid(z0 + z1);
            Vector256<float> candidate = Tanh(Vector256.FusedMultiplyAdd(Sigmoid(r0 + r1), hc0 + hc1, xc));
            Vector256<float> old = Vector256.Load(h + block);
            Vector256.FusedMultiplyAdd(z, old - candidate, candidate).Store(next + inputs + block);
        }
    }
}

/// <summary>A <see cref="PackedHandWrittenCell"/> fed from the benchmark signal.</summary>
public sealed class PackedHandWrittenRunner : StreamingRunner
{
    private readonly PackedHandWrittenCell _cell;
    private readonly float[] _signal;

    public PackedHandWrittenRunner(PackedHandWrittenCell cell)
    {
        _cell = cell;
        _signal = Signal(cell.InputDim);
    }

    public override void ResetStates() => _cell.Reset();

    protected override float StepAt(int index) => _cell.Step(_signal.AsSpan(index * _cell.InputDim, _cell.InputDim));
}
