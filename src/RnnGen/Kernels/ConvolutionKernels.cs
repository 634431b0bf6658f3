using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        // Bounds once, up front: the loops below read through refs.
        if (input.Length < inputTimesteps * inputWidth || kernel.Length < kernelSize * groupInputs * filters
            || output.Length < outputTimesteps * filters || (!bias.IsEmpty && bias.Length < filters))
        {
            throw new ArgumentException("Conv1D: a span is shorter than its sizes.");
        }

        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float w0 = ref MemoryMarshal.GetReference(kernel);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        ref float y0 = ref MemoryMarshal.GetReference(output);
        var window = new Window(inputTimesteps, inputWidth, groupInputs, filters, kernelSize, strides, dilation, padBefore, !bias.IsEmpty);
        for (int t = 0; t < outputTimesteps; t++)
        {
            for (int g = 0; g < groups; g++)
            {
                // The group's filters in blocks held in registers through every tap (no store between two taps), each
                // element summed as before: the bias, then the taps in order of k and c, y += x * w unfused.
                int f = g * groupFilters, end = f + groupFilters;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; f + 64 <= end; f += 64)
                    {
                        window.Block512x4(t, g, f, ref x0, ref w0, ref b0, ref y0);
                    }

                    for (; f + 16 <= end; f += 16)
                    {
                        window.Block512x1(t, g, f, ref x0, ref w0, ref b0, ref y0);
                    }
                }

                if (Vector.IsHardwareAccelerated)
                {
                    for (; f + Vector<float>.Count <= end; f += Vector<float>.Count)
                    {
                        window.BlockVector(t, g, f, ref x0, ref w0, ref b0, ref y0);
                    }
                }

                for (; f < end; f++)
                {
                    window.Single(t, g, f, ref x0, ref w0, ref b0, ref y0);
                }
            }
        }
    }

    // The sizes of one Conv1D call, with the filter blocks it sums.
    private readonly struct Window(int inputTimesteps, int inputWidth, int groupInputs, int filters, int kernelSize, int strides, int dilation, int padBefore, bool hasBias)
    {
        // Group g's inputs at the timestep tap k of output timestep t reads, or a null ref for a padded timestep.
        private ref float TapRow(int t, int k, int g, ref float x0)
        {
            int source = t * strides + k * dilation - padBefore;
            return ref (uint)source >= (uint)inputTimesteps ? ref Unsafe.NullRef<float>() : ref Unsafe.Add(ref x0, source * inputWidth + g * groupInputs);
        }

        public void Block512x4(int t, int g, int f, ref float x0, ref float w0, ref float b0, ref float y0)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            if (hasBias)
            {
                a0 = Vector512.LoadUnsafe(ref b0, (nuint)f);
                a1 = Vector512.LoadUnsafe(ref b0, (nuint)f + 16);
                a2 = Vector512.LoadUnsafe(ref b0, (nuint)f + 32);
                a3 = Vector512.LoadUnsafe(ref b0, (nuint)f + 48);
            }

            for (int k = 0; k < kernelSize; k++)
            {
                ref float x = ref TapRow(t, k, g, ref x0);
                if (Unsafe.IsNullRef(ref x))
                {
                    continue; // a padded timestep: zeros
                }

                for (int c = 0; c < groupInputs; c++)
                {
                    var scale = Vector512.Create(Unsafe.Add(ref x, c));
                    ref float w = ref Unsafe.Add(ref w0, (k * groupInputs + c) * filters + f);
                    a0 += scale * Vector512.LoadUnsafe(ref w);
                    a1 += scale * Vector512.LoadUnsafe(ref w, 16);
                    a2 += scale * Vector512.LoadUnsafe(ref w, 32);
                    a3 += scale * Vector512.LoadUnsafe(ref w, 48);
                }
            }

            ref float y = ref Unsafe.Add(ref y0, t * filters + f);
            a0.StoreUnsafe(ref y);
            a1.StoreUnsafe(ref y, 16);
            a2.StoreUnsafe(ref y, 32);
            a3.StoreUnsafe(ref y, 48);
        }

        public void Block512x1(int t, int g, int f, ref float x0, ref float w0, ref float b0, ref float y0)
        {
            Vector512<float> a0 = hasBias ? Vector512.LoadUnsafe(ref b0, (nuint)f) : Vector512<float>.Zero;
            for (int k = 0; k < kernelSize; k++)
            {
                ref float x = ref TapRow(t, k, g, ref x0);
                if (Unsafe.IsNullRef(ref x))
                {
                    continue;
                }

                for (int c = 0; c < groupInputs; c++)
                {
                    a0 += Vector512.Create(Unsafe.Add(ref x, c)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref w0, (k * groupInputs + c) * filters + f));
                }
            }

            a0.StoreUnsafe(ref Unsafe.Add(ref y0, t * filters + f));
        }

        public void BlockVector(int t, int g, int f, ref float x0, ref float w0, ref float b0, ref float y0)
        {
            Vector<float> a0 = hasBias ? Vector.LoadUnsafe(ref b0, (nuint)f) : Vector<float>.Zero;
            for (int k = 0; k < kernelSize; k++)
            {
                ref float x = ref TapRow(t, k, g, ref x0);
                if (Unsafe.IsNullRef(ref x))
                {
                    continue;
                }

                for (int c = 0; c < groupInputs; c++)
                {
                    a0 += new Vector<float>(Unsafe.Add(ref x, c)) * Vector.LoadUnsafe(ref Unsafe.Add(ref w0, (k * groupInputs + c) * filters + f));
                }
            }

            a0.StoreUnsafe(ref Unsafe.Add(ref y0, t * filters + f));
        }

        public void Single(int t, int g, int f, ref float x0, ref float w0, ref float b0, ref float y0)
        {
            float a = hasBias ? Unsafe.Add(ref b0, f) : 0f;
            for (int k = 0; k < kernelSize; k++)
            {
                ref float x = ref TapRow(t, k, g, ref x0);
                if (Unsafe.IsNullRef(ref x))
                {
                    continue;
                }

                for (int c = 0; c < groupInputs; c++)
                {
                    a += Unsafe.Add(ref x, c) * Unsafe.Add(ref w0, (k * groupInputs + c) * filters + f);
                }
            }

            Unsafe.Add(ref y0, t * filters + f) = a;
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
