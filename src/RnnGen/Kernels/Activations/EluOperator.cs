using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"elu"</c> with <c>alpha=1</c>: <c>x</c> if positive, else <c>exp(x) - 1</c> (<c>keras/src/activations/activations.py</c>).
/// The scalar path computes <c>exp(x) - 1</c> as <see cref="double.ExpM1(double)"/>, exact near 0; the vector path as
/// <see cref="ExponentialOperator"/> minus 1.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct EluOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x > 0f ? x : (float)double.ExpM1(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, ExponentialOperator.Invoke(x) - Vector512<float>.One);
}
