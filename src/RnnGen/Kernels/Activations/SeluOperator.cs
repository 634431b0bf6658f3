using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"selu"</c>: <c>scale * elu(x, alpha)</c> with the constants of Klambauer et al. (2017), as Keras writes
/// them (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct SeluOperator : IActivationOperator
{
    /// <summary>Keras selu's <c>alpha</c>.</summary>
    public const float Alpha = 1.67326324235437728481f;

    /// <summary>Keras selu's <c>scale</c>.</summary>
    public const float Scale = 1.05070098735548049342f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => Scale * (x > 0f ? x : Alpha * (float)double.ExpM1(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Create(Scale) * Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(Alpha) * (ExponentialOperator.Invoke(x) - Vector512<float>.One));
}
