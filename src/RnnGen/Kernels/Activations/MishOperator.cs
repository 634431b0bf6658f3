using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"mish"</c>: <c>x * tanh(softplus(x))</c> (<c>keras/src/activations/activations.py</c>). No vector form: rare in recurrent layers,
/// the vector paths apply the scalar one lane by lane.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct MishOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x * TanhOperator.Invoke(SoftplusOperator.Invoke(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        VectorMath.Map<MishOperator>(x);
}
