using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"hard_tanh"</c>: <c>clip(x, -1, 1)</c> (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct HardTanhOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => Math.Clamp(x, -1f, 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max(x, Vector512.Create(-1f)), Vector512<float>.One);
}
