using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// The kernels of the global pooling layers generated models call: a sequence of <c>rows x width</c> floats, row-major
/// (timestep by timestep, as every sequence between layers is stored), reduced over its rows to one row. Each row is
/// combined into the output over the widest vector this machine accelerates, then the scalar path for the tail. Not for
/// direct use: generated code calls these with its sizes as constants.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolingKernels
{
    /// <summary>
    /// Keras <c>GlobalAveragePooling1D.call</c> without a mask: <c>ops.mean(inputs, axis=1)</c>, the sum of the rows
    /// divided by their count.
    /// </summary>
    public static void GlobalAverage(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int width = output.Length;
        input.Slice(0, width).CopyTo(output);
        for (int t = 1; t < rows; t++)
        {
            Training.TrainingMath.Add(input.Slice(t * width, width), output); // sum += row
        }

        Divide(output, rows);
    }

    /// <summary>
    /// Keras <c>GlobalAveragePooling1D.call</c> with a mask: the sum of the unmasked rows divided by their count. With
    /// every row masked that is 0 / 0, NaN, as Keras computes it.
    /// </summary>
    public static void GlobalAverage(ReadOnlySpan<float> input, int rows, Span<float> output, ReadOnlySpan<bool> mask)
    {
        int width = output.Length;
        output.Clear();
        int count = 0;
        for (int t = 0; t < rows; t++)
        {
            if (mask[t])
            {
                Training.TrainingMath.Add(input.Slice(t * width, width), output); // sum += row
                count++;
            }
        }

        Divide(output, count);
    }

    /// <summary>Keras <c>GlobalMaxPooling1D.call</c>: <c>ops.max(inputs, axis=1)</c>, the maximum of each column.</summary>
    public static void GlobalMax(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int width = output.Length;
        input.Slice(0, width).CopyTo(output);
        for (int t = 1; t < rows; t++)
        {
            Max(input.Slice(t * width, width), output);
        }
    }

    // max = max(max, row), column by column (MaxPooling1D's windows too: ConvolutionKernels).
    internal static void Max(ReadOnlySpan<float> row, Span<float> max)
    {
        int width = max.Length;
        ref float source = ref MemoryMarshal.GetReference(row);
        ref float target = ref MemoryMarshal.GetReference(max);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.LoadUnsafe(ref target, (nuint)i), Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= width - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.Max(Vector128.LoadUnsafe(ref target, (nuint)i), Vector128.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < width; i++)
        {
            Unsafe.Add(ref target, i) = MathF.Max(Unsafe.Add(ref target, i), Unsafe.Add(ref source, i));
        }
    }

    // values = values / count: a division, as the mean's sum / count is, not a multiplication by 1 / count.
    private static void Divide(Span<float> values, int count)
    {
        float divisor = count;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= divisor;
        }
    }
}
