using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"silu"</c> (alias <c>"swish"</c>): <c>x * sigmoid(x)</c> (<c>keras/src/activations/activations.py</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct SiluOperator : IActivationOperator
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => x * SigmoidOperator.Invoke(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        x * SigmoidOperator.Invoke(x);
}
