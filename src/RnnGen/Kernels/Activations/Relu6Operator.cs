using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"relu6"</c>: <c>min(max(x, 0), 6)</c> (<c>keras/src/activations/activations.py</c>). Every path takes the
/// IEEE 754:2019 maximum and minimum, as <see cref="ReluOperator"/> does: relu6(-0) = +0 (a clamp would keep -0).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct Relu6Operator : IActivationOperator
{
    /// <summary>The upper bound of relu6.</summary>
    public const float Cap = 6f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => MathF.Min(MathF.Max(x, 0f), Cap);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(Cap));
}
