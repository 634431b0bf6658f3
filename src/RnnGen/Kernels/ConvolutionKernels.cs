using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Kernels;

/// <summary>
/// The kernels of the layers that slide a window over the time axis (Conv1D, MaxPooling1D, AveragePooling1D). Every
/// sequence is row-major, <c>timesteps x width</c>, as sequences pass between layers; the output timesteps and the
/// padding before the first input come from the generated code as constants (Shared/TimeWindows.cs computes them).
/// Padded timesteps are zeros for Conv1D, and are left out of a pooling window, as Keras's backends do. Not for direct
/// use: generated code calls these with its sizes as constants.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConvolutionKernels
{
    /// <summary>
    /// Keras <c>Conv1D.call</c> before its activation: for each output timestep t and filter f,
    /// <c>y[t, f] = bias[f] + sum over k, c of x[t * strides + k * dilation - padBefore, g * C + c] * kernel[k, c, f]</c>,
    /// where g is the group of filter f and C the input features per group; taps on padded timesteps add nothing.
    /// Each tap adds one input value times a kernel row to the output row (the kernel's filters are its last axis, so
    /// the row is contiguous and vectorizes).
    /// </summary>
    public static void Conv1D(ReadOnlySpan<float> input, int inputTimesteps, int inputWidth, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias,
        Span<float> output, int outputTimesteps, int filters, int kernelSize, int strides, int dilation, int padBefore, int groups)
    {
        int groupInputs = inputWidth / groups;
        int groupFilters = filters / groups;
        for (int t = 0; t < outputTimesteps; t++)
        {
            Span<float> y = output.Slice(t * filters, filters);
            if (bias.IsEmpty)
            {
                y.Clear();
            }
            else
            {
                bias.Slice(0, filters).CopyTo(y);
            }

            for (int k = 0; k < kernelSize; k++)
            {
                int source = t * strides + k * dilation - padBefore;
                if ((uint)source >= (uint)inputTimesteps)
                {
                    continue; // a padded timestep: zeros
                }

                ReadOnlySpan<float> x = input.Slice(source * inputWidth, inputWidth);
                for (int g = 0; g < groups; g++)
                {
                    Span<float> yGroup = y.Slice(g * groupFilters, groupFilters);
                    for (int c = 0; c < groupInputs; c++)
                    {
                        MultiplyAdd(x[g * groupInputs + c], kernel.Slice(((k * groupInputs) + c) * filters + g * groupFilters, groupFilters), yGroup);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Keras <c>MaxPooling1D.call</c>: <c>y[t] = max over the window's timesteps of x</c>, the window of output t
    /// starting at <c>t * strides - padBefore</c>; padded timesteps are not in it (TensorFlow pads max pooling with
    /// -infinity).
    /// </summary>
    public static void MaxPool1D(ReadOnlySpan<float> input, int inputTimesteps, Span<float> output, int outputTimesteps, int width, int poolSize, int strides, int padBefore)
    {
        for (int t = 0; t < outputTimesteps; t++)
        {
            (int first, int end) = Shared.TimeWindows.PoolingWindow(t, inputTimesteps, poolSize, strides, padBefore);
            Span<float> y = output.Slice(t * width, width);
            input.Slice(first * width, width).CopyTo(y);
            for (int s = first + 1; s < end; s++)
            {
                PoolingKernels.Max(input.Slice(s * width, width), y);
            }
        }
    }

    /// <summary>
    /// Keras <c>AveragePooling1D.call</c>: <c>y[t] = the sum over the window's timesteps of x, divided by their
    /// count</c>; a window that reaches into the padding averages only the timesteps it covers (TensorFlow's SAME
    /// average pooling, which Keras's other backends reproduce).
    /// </summary>
    public static void AveragePool1D(ReadOnlySpan<float> input, int inputTimesteps, Span<float> output, int outputTimesteps, int width, int poolSize, int strides, int padBefore)
    {
        for (int t = 0; t < outputTimesteps; t++)
        {
            (int first, int end) = Shared.TimeWindows.PoolingWindow(t, inputTimesteps, poolSize, strides, padBefore);
            Span<float> y = output.Slice(t * width, width);
            input.Slice(first * width, width).CopyTo(y);
            for (int s = first + 1; s < end; s++)
            {
                Training.TrainingMath.Add(input.Slice(s * width, width), y);
            }

            // A division, as the mean's sum / count is, not a multiplication by 1 / count.
            float count = end - first;
            for (int i = 0; i < y.Length; i++)
            {
                y[i] /= count;
            }
        }
    }

    // y += a * w, over Vector<float> then a scalar tail; not fused, so each element rounds as the scalar expression.
    // The trainer's Conv1D gradient adds its kernel rows with it too.
    internal static void MultiplyAdd(float a, ReadOnlySpan<float> w, Span<float> y)
    {
        int n = y.Length, i = 0;
        ref float source = ref MemoryMarshal.GetReference(w.Slice(0, n));
        ref float target = ref MemoryMarshal.GetReference(y);
        var scale = new Vector<float>(a);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref target, (nuint)i) + scale * Vector.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref target, i) += a * Unsafe.Add(ref source, i);
        }
    }
}
