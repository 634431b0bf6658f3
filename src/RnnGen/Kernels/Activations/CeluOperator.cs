using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"celu"</c> with <c>alpha=1</c>: <c>max(x, 0) + min(0, exp(x) - 1)</c> (<c>keras/src/activations/activations.py</c>), which is
/// <see cref="EluOperator"/> for <c>alpha=1</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct CeluOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => EluOperator.Invoke(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        EluOperator.Invoke(x);
}
