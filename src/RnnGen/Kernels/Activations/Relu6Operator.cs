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
public readonly struct Relu6Operator : IActivationOperator
{
    /// <summary>The upper bound of relu6.</summary>
    public const float Cap = 6f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => MathF.Min(MathF.Max(x, 0f), Cap);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.Min(Vector128.Max(x, Vector128<float>.Zero), Vector128.Create(Cap));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256.Create(Cap));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(Cap));
}
