using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Training;

/// <summary>
/// The vector and matrix products of the backward pass, row-major, with <see cref="Vector{T}"/> over the contiguous
/// axis. Each accumulates into its destination, so gradients of several timesteps and batch rows add up in place.
/// </summary>
internal static class TrainingMath
{
    /// <summary><c>destination[j] += sum_k vector[k] * matrix[k, j]</c> for a <c>[vector.Length, destination.Length]</c> matrix whose rows are <paramref name="stride"/> apart.</summary>
    public static void AddVectorTimesMatrix(ReadOnlySpan<float> vector, ReadOnlySpan<float> matrix, int stride, Span<float> destination)
    {
        for (int k = 0; k < vector.Length; k++)
        {
            float scale = vector[k];
            if (scale != 0f)
            {
                AddScaled(matrix.Slice(k * stride, destination.Length), scale, destination);
            }
        }
    }

    /// <summary><c>destination[k] += sum_j vector[j] * matrix[k, j]</c>: the vector times the transposed matrix, rows <paramref name="stride"/> apart.</summary>
    public static void AddVectorTimesTransposed(ReadOnlySpan<float> vector, ReadOnlySpan<float> matrix, int stride, Span<float> destination)
    {
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] += Dot(vector, matrix.Slice(k * stride, vector.Length));
        }
    }

    /// <summary><c>matrix[k, j] += left[k] * right[j]</c>: the outer product added to a matrix whose rows are <paramref name="stride"/> apart.</summary>
    public static void AddOuterProduct(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> matrix, int stride)
    {
        for (int k = 0; k < left.Length; k++)
        {
            float scale = left[k];
            if (scale != 0f)
            {
                AddScaled(right, scale, matrix.Slice(k * stride, right.Length));
            }
        }
    }

    /// <summary><c>destination += scale * source</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ReadOnlySpan<float> source, float scale, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<float>.Count)
        {
            var factor = new Vector<float>(scale);
            ReadOnlySpan<Vector<float>> from = MemoryMarshal.Cast<float, Vector<float>>(source);
            Span<Vector<float>> to = MemoryMarshal.Cast<float, Vector<float>>(destination.Slice(0, source.Length));
            for (int v = 0; v < from.Length; v++)
            {
                to[v] += from[v] * factor;
            }

            i = from.Length * Vector<float>.Count;
        }

        for (; i < source.Length; i++)
        {
            destination[i] += source[i] * scale;
        }
    }

    /// <summary><c>destination += source</c>.</summary>
    public static void Add(ReadOnlySpan<float> source, Span<float> destination) => AddScaled(source, 1f, destination);

    /// <summary>The inner product of two spans of equal length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
}
