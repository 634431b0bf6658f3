using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"relu"</c>: <c>max(x, 0)</c> (<c>keras/src/activations/activations.py</c>).
/// Both paths use IEEE 754:2019 <c>maximum</c> (<see cref="MathF.Max(float, float)"/>, <c>VectorNNN.Max</c>): NaN in,
/// NaN out, and max(-0, 0) = +0, as in TensorFlow (<c>x &gt; 0 ? x : 0</c> would turn NaN into 0).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct ReluOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => MathF.Max(x, 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Max(x, Vector512<float>.Zero);
}
