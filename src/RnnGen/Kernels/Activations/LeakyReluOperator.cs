using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras 3 <c>"leaky_relu"</c> with its default <c>negative_slope=0.2</c> (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct LeakyReluOperator : IActivationOperator
{
    /// <summary>Keras 3's default <c>negative_slope</c>.</summary>
    public const float NegativeSlope = 0.2f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x >= 0f ? x : NegativeSlope * x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * Vector512.Create(NegativeSlope));
}
