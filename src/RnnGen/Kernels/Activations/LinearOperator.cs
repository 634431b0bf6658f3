using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"linear"</c> (also <c>activation=None</c>): the identity. The generator writes the operand itself
/// instead of calling this; it is here so that every activation has an operator.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct LinearOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        x;
}
