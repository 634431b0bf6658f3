using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"softsign"</c>: <c>x / (|x| + 1)</c> (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct SoftsignOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x / (MathF.Abs(x) + 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        x / (Vector512.Abs(x) + Vector512<float>.One);
}
