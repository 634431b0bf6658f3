using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"tanh"</c> (<c>keras/src/activations/activations.py</c>). The scalar path is <see cref="MathF.Tanh(float)"/>. The vector paths
/// are the rational minimax approximation Eigen uses for float (<c>Eigen/src/Core/MathFunctionsImpl.h</c>,
/// <c>generic_fast_tanh_float</c>; also TensorFlow's CPU tanh): an odd numerator of degree 13 over an even denominator
/// of degree 6, with Eigen's coefficients <c>alpha_1 ... alpha_13</c> and <c>beta_0 ... beta_6</c>; the input is clamped
/// to +-9, where tanh is 1 in float, and the result to [-1, 1] (Eigen clamps the input at 7.9053, where its Horner
/// evaluation without FMA gives exactly 1); within a few ulp of tanh. The polynomials are evaluated by Estrin's scheme,
/// which halves the dependent chain.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct TanhOperator : IActivationOperator
{
    /// <summary>Beyond this magnitude tanh is +-1 in float.</summary>
    public const float Clamp = 9f;

    /// <summary>Below this magnitude tanh(x) = x to float precision, where the quotient would underflow.</summary>
    public const float Tiny = 0.0004f;

    // Eigen's numerator coefficients: p(x) = x (Alpha1 + Alpha3 x^2 + ... + Alpha13 x^12).
    private const float Alpha1 = 4.89352455891786e-03f;
    private const float Alpha3 = 6.37261928875436e-04f;
    private const float Alpha5 = 1.48572235717979e-05f;
    private const float Alpha7 = 5.12229709037114e-08f;
    private const float Alpha9 = -8.60467152213735e-11f;
    private const float Alpha11 = 2.00018790482477e-13f;
    private const float Alpha13 = -2.76076847742355e-16f;

    // Eigen's denominator coefficients: q(x) = Beta0 + Beta2 x^2 + Beta4 x^4 + Beta6 x^6.
    private const float Beta0 = 4.89352518554385e-03f;
    private const float Beta2 = 2.26843463243900e-03f;
    private const float Beta4 = 1.18534705686654e-04f;
    private const float Beta6 = 1.19825839466702e-06f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => MathF.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
#if NET9_0_OR_GREATER
        // Min and Max order NaN and signed zeros the IEEE way, which x86 has no single instruction for (vrangeps and two
        // vfixupimmps each, on the critical path). MinNative / MaxNative are vminps / vmaxps, which return their second
        // operand when either is NaN: with the constant first, a NaN input passes through as before, and the constants
        // are not zeros, so every other input is clamped to the same bits.
        Vector512<float> clamped = Vector512.MinNative(Vector512.Create(Clamp), Vector512.MaxNative(Vector512.Create(-Clamp), x));
#else
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
#endif
        // Estrin's scheme: the same polynomials as Horner's rule, but the terms are paired so that the dependent chain
        // is 3 multiply-adds deep instead of 6 (tanh sits on the recurrent critical path of every step).
        Vector512<float> x2 = clamped * clamped;
        Vector512<float> x4 = x2 * x2;
        Vector512<float> x8 = x4 * x4;
        Vector512<float> p01 = VectorMath.MultiplyAdd(x2, Vector512.Create(Alpha3), Vector512.Create(Alpha1));
        Vector512<float> p23 = VectorMath.MultiplyAdd(x2, Vector512.Create(Alpha7), Vector512.Create(Alpha5));
        Vector512<float> p45 = VectorMath.MultiplyAdd(x2, Vector512.Create(Alpha11), Vector512.Create(Alpha9));
        Vector512<float> p03 = VectorMath.MultiplyAdd(x4, p23, p01);
        Vector512<float> p46 = VectorMath.MultiplyAdd(x4, Vector512.Create(Alpha13), p45);
        Vector512<float> p = VectorMath.MultiplyAdd(x8, p46, p03) * clamped;
        Vector512<float> q01 = VectorMath.MultiplyAdd(x2, Vector512.Create(Beta2), Vector512.Create(Beta0));
        Vector512<float> q23 = VectorMath.MultiplyAdd(x2, Vector512.Create(Beta6), Vector512.Create(Beta4));
        Vector512<float> q = VectorMath.MultiplyAdd(x4, q23, q01);
        Vector512<float> result = Vector512.Min(Vector512.Max(p / q, Vector512.Create(-1f)), Vector512<float>.One);

        // Beyond the clamp tanh is +-1 in float, which the rational function only approaches; near 0 the quotient
        // underflows for tiny inputs, and tanh(x) = x to float precision there.
        Vector512<float> magnitude = Vector512.Abs(x);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(Clamp)), Vector512.ConditionalSelect(Vector512.Create(-0f), x, Vector512<float>.One), result);
        return Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(Tiny)), x, result);
    }
}
