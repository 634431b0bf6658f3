using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras 2 <c>"hard_sigmoid"</c>: <c>clip(0.2x + 0.5, 0, 1)</c> (the Keras 2.x and tf.keras 2.x backend,
/// <c>keras/backend.py</c> <c>hard_sigmoid</c>, and TensorFlow.js). Declared as <c>"hard_sigmoid_keras2"</c>.
/// The vector path fuses the multiply-add where the hardware has FMA (one rounding instead of two), as it always has.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct HardSigmoidKeras2Operator : IActivationOperator
{
    /// <summary>The slope and the value at 0 of the Keras 2 ramp.</summary>
    public const float Slope = 0.2f, Offset = 0.5f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => Math.Clamp(Slope * x + Offset, 0f, 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max(VectorMath.MultiplyAdd(x, Vector512.Create(Slope), Vector512.Create(Offset)), Vector512<float>.Zero), Vector512<float>.One);
}
