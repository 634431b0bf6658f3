using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Training;

/// <summary>
/// The element-wise span arithmetic of the forward and backward passes, with <see cref="Vector{T}"/> over the span
/// and a scalar tail. Products and sums are not fused, so each element rounds as the scalar expression would. The
/// matrix products are <see cref="Gemm"/>.
/// </summary>
internal static class TrainingMath
{
    /// <summary><c>destination += source</c>.</summary>
    public static void Add(ReadOnlySpan<float> source, Span<float> destination)
    {
        int n = source.Length, i = 0;
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination.Slice(0, n));
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
        }
    }

    /// <summary><c>destination = x * y</c>.</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        int n = destination.Length, i = 0;
        ref float a = ref MemoryMarshal.GetReference(x.Slice(0, n));
        ref float b = ref MemoryMarshal.GetReference(y.Slice(0, n));
        ref float d = ref MemoryMarshal.GetReference(destination);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
    }

    /// <summary><c>destination += x * y</c>.</summary>
    public static void AddProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        int n = destination.Length, i = 0;
        ref float a = ref MemoryMarshal.GetReference(x.Slice(0, n));
        ref float b = ref MemoryMarshal.GetReference(y.Slice(0, n));
        ref float d = ref MemoryMarshal.GetReference(destination);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) + Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
    }

    /// <summary><c>destination = x * y + z * w</c> (the LSTM carry <c>f * c + i * g</c>).</summary>
    public static void SumOfProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> w, Span<float> destination)
    {
        int n = destination.Length, i = 0;
        ref float a = ref MemoryMarshal.GetReference(x.Slice(0, n));
        ref float b = ref MemoryMarshal.GetReference(y.Slice(0, n));
        ref float c = ref MemoryMarshal.GetReference(z.Slice(0, n));
        ref float e = ref MemoryMarshal.GetReference(w.Slice(0, n));
        ref float d = ref MemoryMarshal.GetReference(destination);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i) + Vector.LoadUnsafe(ref c, (nuint)i) * Vector.LoadUnsafe(ref e, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i) + Unsafe.Add(ref c, i) * Unsafe.Add(ref e, i);
        }
    }

    /// <summary><c>destination = gate * previous + (1 - gate) * candidate</c> (the GRU state update).</summary>
    public static void Interpolate(ReadOnlySpan<float> gate, ReadOnlySpan<float> previous, ReadOnlySpan<float> candidate, Span<float> destination)
    {
        int n = destination.Length, i = 0;
        ref float z = ref MemoryMarshal.GetReference(gate.Slice(0, n));
        ref float p = ref MemoryMarshal.GetReference(previous.Slice(0, n));
        ref float c = ref MemoryMarshal.GetReference(candidate.Slice(0, n));
        ref float d = ref MemoryMarshal.GetReference(destination);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            Vector<float> zv = Vector.LoadUnsafe(ref z, (nuint)i);
            (zv * Vector.LoadUnsafe(ref p, (nuint)i) + (Vector<float>.One - zv) * Vector.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            float zs = Unsafe.Add(ref z, i);
            Unsafe.Add(ref d, i) = zs * Unsafe.Add(ref p, i) + (1f - zs) * Unsafe.Add(ref c, i);
        }
    }

    /// <summary><c>destination[j, i] = source[i, j]</c> for a <c>rows x columns</c> row-major source.</summary>
    public static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> row = source.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                destination[j * rows + i] = row[j];
            }
        }
    }

    /// <summary>The inner product of two spans of equal length.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0f;
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
            ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b.Slice(0, a.Length));
            Vector<float> acc = Vector<float>.Zero;
            for (int v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// The backward pass of a normalization's <c>y = x̂ * gamma + beta</c> for one row: adds <c>dy * x̂</c> to
    /// <paramref name="gammaGradient"/> and <c>dy</c> to <paramref name="betaGradient"/> (each skipped when empty: no
    /// <c>scale</c> / <c>center</c>), then turns <paramref name="dy"/> into <c>dx̂ = dy * gamma</c> in place.
    /// LayerNormalization and BatchNormalization share it; they differ in the axis their statistics run over.
    /// </summary>
    public static void ScaleAndShiftBackward(Span<float> dy, ReadOnlySpan<float> normalized, ReadOnlySpan<float> gamma, Span<float> gammaGradient, Span<float> betaGradient)
    {
        for (int j = 0; j < dy.Length; j++)
        {
            if (!gammaGradient.IsEmpty)
            {
                gammaGradient[j] += dy[j] * normalized[j];
            }

            if (!betaGradient.IsEmpty)
            {
                betaGradient[j] += dy[j];
            }

            if (!gamma.IsEmpty)
            {
                dy[j] *= gamma[j];
            }
        }
    }
}
