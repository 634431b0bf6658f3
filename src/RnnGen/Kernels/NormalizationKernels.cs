using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;

namespace RnnGen.Kernels;

/// <summary>
/// The LayerNormalization, BatchNormalization and Normalization kernels generated models call, over vectors of
/// <see cref="Vector{T}"/> width, and the packing that prepares their weights. Not for direct use: generated code calls
/// these with its sizes as constants.
/// </summary>
/// <remarks>
/// BatchNormalization at inference follows Keras's arrangement of the arithmetic
/// (<c>keras/src/layers/normalization/batch_normalization.py</c> calls <c>ops.batch_normalization</c>, which is
/// <c>tf.nn.batch_normalization</c>): <c>inv = gamma / sqrt(moving_variance + epsilon)</c>,
/// <c>y = x * inv + (beta - moving_mean * inv)</c>, so the two per-feature vectors are computed once, when weights are
/// set. LayerNormalization (<c>layer_normalization.py</c>, <c>call</c>) takes the mean and variance of each vector (the
/// variance as the mean squared difference from the mean, as <c>ops.moments</c>) and computes
/// <c>(x - mean) / sqrt(variance + epsilon) * gamma + beta</c>, which equals Keras's <c>x * inv + (beta - mean * inv)</c>
/// up to float32 rounding.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizationKernels
{
    /// <summary>
    /// Packs LayerNormalization weights as <c>gamma</c> then <c>beta</c>, each <paramref name="width"/> floats; an empty
    /// span (scale or center false) packs as ones or zeros.
    /// </summary>
    public static void PackLayerNormalization(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> packed, int width)
    {
        Span<float> scale = packed.Slice(0, width);
        Span<float> shift = packed.Slice(width, width);
        if (gamma.IsEmpty)
        {
            scale.Fill(1f);
        }
        else
        {
            gamma.Slice(0, width).CopyTo(scale);
        }

        if (beta.IsEmpty)
        {
            shift.Clear();
        }
        else
        {
            beta.Slice(0, width).CopyTo(shift);
        }
    }

    /// <summary>
    /// Packs BatchNormalization weights as the per-feature scale <c>gamma / sqrt(moving_variance + epsilon)</c> then the
    /// shift <c>beta - moving_mean * scale</c>; an empty <paramref name="gamma"/> or <paramref name="beta"/> (scale or
    /// center false) counts as ones or zeros. Computed in float64 and rounded once.
    /// </summary>
    public static void PackBatchNormalization(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> movingMean,
        ReadOnlySpan<float> movingVariance, Span<float> packed, int width, float epsilon)
    {
        for (int i = 0; i < width; i++)
        {
            double inv = (gamma.IsEmpty ? 1.0 : gamma[i]) / Math.Sqrt((double)movingVariance[i] + epsilon);
            packed[i] = (float)inv;
            packed[width + i] = (float)((beta.IsEmpty ? 0.0 : beta[i]) - movingMean[i] * inv);
        }
    }

    /// <summary>
    /// Packs Normalization statistics as Keras's <c>call</c> reads them: the deviation
    /// <c>max(sqrt(variance), 1e-7)</c> in float32, as Keras computes it, and the mean. For <see cref="Standardize"/>
    /// the mean comes first, then the deviation; <paramref name="invert"/> packs the deviation first, then the mean, for
    /// <see cref="ScaleShift"/> (<c>x * deviation + mean</c>, Keras's <c>mean + x * deviation</c>).
    /// </summary>
    public static void PackNormalization(ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, Span<float> packed, int width, bool invert)
    {
        Span<float> means = packed.Slice(invert ? width : 0, width);
        Span<float> deviations = packed.Slice(invert ? 0 : width, width);
        for (int i = 0; i < width; i++)
        {
            means[i] = mean[i];
            deviations[i] = Deviation(variance[i]);
        }
    }

    /// <summary>
    /// Keras Normalization's divisor for one feature, <c>maximum(sqrt(variance), epsilon())</c> in float32. A NaN or
    /// negative variance gives a NaN deviation.
    /// </summary>
    public static float Deviation(float variance)
    {
        float deviation = MathF.Sqrt(variance);
        return deviation < Shared.LayerOptions.BackendEpsilon ? Shared.LayerOptions.BackendEpsilon : deviation;
    }

    /// <summary>
    /// Keras Normalization, <c>y = (x - mean) / deviation</c> per feature (a subtraction and a division in float32, the
    /// operations of <c>normalization.py</c>'s <c>call</c>), with <paramref name="packed"/> from
    /// <see cref="PackNormalization"/>.
    /// </summary>
    public static void Standardize(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> packed)
    {
        int width = x.Length;
        ReadOnlySpan<float> mean = packed.Slice(0, width);
        ReadOnlySpan<float> deviation = packed.Slice(width, width);
        y = y.Slice(0, width);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            ReadOnlySpan<Vector<float>> means = MemoryMarshal.Cast<float, Vector<float>>(mean);
            ReadOnlySpan<Vector<float>> deviations = MemoryMarshal.Cast<float, Vector<float>>(deviation);
            Span<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] = (xs[v] - means[v]) / deviations[v];
            }

            i = xs.Length * Vector<float>.Count;
        }

        for (; i < width; i++)
        {
            y[i] = (x[i] - mean[i]) / deviation[i];
        }
    }

    /// <summary><c>y = x * scale + shift</c> per feature, with <paramref name="packed"/> from <see cref="PackBatchNormalization"/>.</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> packed)
    {
        int width = x.Length;
        ReadOnlySpan<float> scale = packed.Slice(0, width);
        ReadOnlySpan<float> shift = packed.Slice(width, width);
        y = y.Slice(0, width);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            ReadOnlySpan<Vector<float>> scales = MemoryMarshal.Cast<float, Vector<float>>(scale);
            ReadOnlySpan<Vector<float>> shifts = MemoryMarshal.Cast<float, Vector<float>>(shift);
            Span<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] = xs[v] * scales[v] + shifts[v];
            }

            i = xs.Length * Vector<float>.Count;
        }

        for (; i < width; i++)
        {
            y[i] = x[i] * scale[i] + shift[i];
        }
    }

    /// <summary>
    /// LayerNormalization of one vector: <c>y = (x - mean) / sqrt(variance + epsilon) * gamma + beta</c>, with
    /// <paramref name="packed"/> from <see cref="PackLayerNormalization"/>. The sums run in float64, so a wide vector
    /// loses no precision to the order of summation.
    /// </summary>
    public static void LayerNormalize(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> packed, float epsilon)
    {
        int width = x.Length;
        double sum = 0;
        for (int i = 0; i < width; i++)
        {
            sum += x[i];
        }

        double mean = sum / width;
        double squares = 0;
        for (int i = 0; i < width; i++)
        {
            double d = x[i] - mean;
            squares += d * d;
        }

        float inv = (float)(1.0 / Math.Sqrt(squares / width + epsilon));
        float meanF = (float)mean;
        ReadOnlySpan<float> gamma = packed.Slice(0, width);
        ReadOnlySpan<float> beta = packed.Slice(width, width);
        y = y.Slice(0, width);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            ReadOnlySpan<Vector<float>> gammas = MemoryMarshal.Cast<float, Vector<float>>(gamma);
            ReadOnlySpan<Vector<float>> betas = MemoryMarshal.Cast<float, Vector<float>>(beta);
            Span<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            var meanV = new Vector<float>(meanF);
            var invV = new Vector<float>(inv);
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] = (xs[v] - meanV) * invV * gammas[v] + betas[v];
            }

            j = xs.Length * Vector<float>.Count;
        }

        for (; j < width; j++)
        {
            y[j] = (x[j] - meanF) * inv * gamma[j] + beta[j];
        }
    }
}
