using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"softplus"</c>: <c>log(1 + exp(x))</c> (<c>keras/src/activations/activations.py</c>), computed in double without overflow
/// (<c>x + log1p(exp(-x))</c> for positive x) and rounded once. No vector form: rare in recurrent layers, the vector paths apply
/// the scalar one lane by lane.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct SoftplusOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x)
    {
        double v = x;
        return (float)(v > 0 ? v + double.LogP1(Math.Exp(-v)) : double.LogP1(Math.Exp(v)));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        VectorMath.Map<SoftplusOperator>(x);
}
