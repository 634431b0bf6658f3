using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras 3 <c>"hard_sigmoid"</c>: <c>relu6(x + 3) / 6 = clip((x + 3) / 6, 0, 1)</c> (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct HardSigmoidOperator : IActivationOperator
{
    /// <summary>The shift of the input, and the width of the ramp (Keras 3: <c>relu6(x + 3) / 6</c>).</summary>
    public const float Shift = 3f, Width = 6f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => Math.Clamp((x + Shift) / Width, 0f, 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max((x + Vector512.Create(Shift)) / Vector512.Create(Width), Vector512<float>.Zero), Vector512<float>.One);
}
