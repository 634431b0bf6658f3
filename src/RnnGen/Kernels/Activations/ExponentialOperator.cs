using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Keras <c>"exponential"</c>: <c>exp(x)</c> (<c>keras/src/activations/activations.py</c>). The scalar path is
/// <see cref="MathF.Exp(float)"/>. The vector paths are Cephes <c>expf</c> (S. Moshier): <c>x = n ln2 + r</c> with a two-part ln2 (Cody-Waite), a
/// degree-5 polynomial for <c>e^r</c> on [-ln2/2, ln2/2] with Cephes's coefficients, scaled by <c>2^n</c> through the
/// exponent bits; about 1 ulp, 0 below -87.3, +inf above 88.7, NaN for NaN.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly partial struct ExponentialOperator : IActivationOperator
{
    /// <summary>Above this, e^x overflows float: the result is +inf.</summary>
    public const float High = 88.7228391f;

    /// <summary>Below this, e^x is below the smallest normal float: the result is 0.</summary>
    public const float Low = -87.3365447f;

    private const float Log2E = 1.44269504088896341f;

    // ln 2 in two parts (Cody-Waite): Ln2High has few enough bits that n * Ln2High is exact.
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // Cephes expf's polynomial: e^r = 1 + r + r^2 (P5 + P4 r + P3 r^2 + P2 r^3 + P1 r^4 + P0 r^5).
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;

    /// <summary>The exponent bias of float.</summary>
    private const int ExponentBias = 127;

    /// <summary>The bits of a float's mantissa, below its exponent.</summary>
    private const int MantissaBits = 23;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x) => MathF.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(Low)), Vector512.Create(High));
        Vector512<float> n = Vector512.Floor(VectorMath.MultiplyAdd(clamped, Vector512.Create(Log2E), Vector512.Create(0.5f)));
        Vector512<float> r = VectorMath.MultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = VectorMath.MultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> r2 = r * r;
        Vector512<float> y = VectorMath.MultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        y = VectorMath.MultiplyAdd(y, r, Vector512.Create(P2));
        y = VectorMath.MultiplyAdd(y, r, Vector512.Create(P3));
        y = VectorMath.MultiplyAdd(y, r, Vector512.Create(P4));
        y = VectorMath.MultiplyAdd(y, r, Vector512.Create(P5));
        y = VectorMath.MultiplyAdd(y, r2, r) + Vector512<float>.One;

        // 2^n built in the exponent field, as two factors 2^(n/2) 2^(n - n/2): n is in [-126, 128] after the clamp, and
        // for x in [88.38, 88.72] (n = 128) e^x is finite but 2^128 alone is not a float. Eigen splits 2^n into factors
        // for the same reason (pldexp, Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h).
        Vector512<int> whole = Vector512.ConvertToInt32(n);
        Vector512<int> half = Vector512.ShiftRightArithmetic(whole, 1);
        Vector512<float> scale = Vector512.ShiftLeft(half + Vector512.Create(ExponentBias), MantissaBits).AsSingle();
        Vector512<float> rest = Vector512.ShiftLeft(whole - half + Vector512.Create(ExponentBias), MantissaBits).AsSingle();
        Vector512<float> result = y * scale * rest;
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(High)), Vector512.Create(float.PositiveInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Low)), Vector512<float>.Zero, result);

        // NaN in, NaN out (Min/Max above would have turned it into a number).
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
