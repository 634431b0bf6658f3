using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"sigmoid"</c>: <c>1 / (1 + exp(-x))</c> (<c>keras/src/activations/activations.py</c>). The scalar path computes it in double and
/// rounds once; the vector paths as <c>0.5 + 0.5 tanh(x/2)</c> with <see cref="TanhOperator"/>, an identity, so their
/// absolute error is half the tanh approximation's.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct SigmoidOperator : IActivationOperator
{
    /// <summary>The half in <c>0.5 + 0.5 tanh(x/2)</c>.</summary>
    private const float Half = 0.5f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        VectorMath.MultiplyAdd(TanhOperator.Invoke(x * Vector512.Create(Half)), Vector512.Create(Half), Vector512.Create(Half));
}
