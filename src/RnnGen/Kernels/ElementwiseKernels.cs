using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// The kernels of the Activation, Rescaling and Masking layers generated models call: one function of every value of a row,
/// over the widest vector this machine accelerates, then the scalar path for the tail. Not for direct use: generated
/// code calls these with its sizes as constants.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ElementwiseKernels
{
    /// <summary>
    /// <c>y = TOperator(x)</c> for every value (Keras <c>Activation.call</c>); <paramref name="y"/> may be
    /// <paramref name="x"/>.
    /// </summary>
    public static void Activate<TOperator>(ReadOnlySpan<float> x, Span<float> y)
        where TOperator : IActivationOperator
    {
        int width = x.Length;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y.Slice(0, width));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= width - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= width - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < width; i++)
        {
            Unsafe.Add(ref target, i) = TOperator.Invoke(Unsafe.Add(ref source, i));
        }
    }

    /// <summary>
    /// Softmax over the row (Keras <c>activations.softmax</c>, <c>axis=-1</c>): <see cref="Activations.Softmax"/>,
    /// the formula a Dense layer with softmax uses.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        y = y.Slice(0, x.Length);
        x.CopyTo(y);
        Activations.Softmax(y);
    }

    /// <summary>
    /// <c>y = x * scale + offset</c> for every value (Keras <c>Rescaling.call</c>: <c>inputs * scale + offset</c>, a
    /// multiply then an add, not fused, as Keras rounds it); <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Rescale(ReadOnlySpan<float> x, Span<float> y, float scale, float offset)
    {
        int width = x.Length;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y.Slice(0, width));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> scales = Vector256.Create(scale), offsets = Vector256.Create(offset);
            for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref source, (nuint)i) * scales + offsets).StoreUnsafe(ref target, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> scales = Vector128.Create(scale), offsets = Vector128.Create(offset);
            for (; i <= width - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref source, (nuint)i) * scales + offsets).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < width; i++)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i) * scale + offset;
        }
    }

    /// <summary>
    /// One row of Keras's <c>Masking</c> (<c>Masking.call</c>: <c>inputs * cast(any(inputs != mask_value))</c>): the row
    /// itself where <see cref="KerasMask.IsKept"/> keeps it, else the row times zero (zeros; NaN for an infinite mask
    /// value, as Keras's product gives). <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Mask(ReadOnlySpan<float> x, Span<float> y, float maskValue)
    {
        y = y.Slice(0, x.Length);
        if (KerasMask.IsKept(x, maskValue))
        {
            x.CopyTo(y);
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * 0f;
        }
    }
}
