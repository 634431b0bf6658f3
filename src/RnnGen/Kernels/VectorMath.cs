using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
#if !NET9_0_OR_GREATER
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace RnnGen.Kernels;

/// <summary>
/// Vectorized float math for the generated kernels, for each vector width (128, 256 and 512 bits; the generated code
/// picks one with <c>IsHardwareAccelerated</c>). Every method is inlined into the caller.
/// <list type="bullet">
/// <item><see cref="Tanh(Vector512{float})"/>: the rational minimax approximation Eigen uses for float
/// (<c>Eigen/src/Core/MathFunctionsImpl.h</c>, <c>generic_fast_tanh_float</c>; also TensorFlow's CPU tanh): numerator
/// of degree 13, denominator of degree 6; the input is clamped to +-9, where tanh is 1 in float, and the result to
/// [-1, 1] (Eigen clamps the input at 7.9053, where its Horner evaluation without FMA gives exactly 1); within a few
/// ulp of tanh. The polynomials are evaluated by Estrin's scheme, which halves the dependent chain.</item>
/// <item><see cref="Sigmoid(Vector512{float})"/>: <c>0.5 + 0.5 tanh(x/2)</c>, an identity, so its absolute error is half
/// the tanh approximation's.</item>
/// <item><see cref="Exp(Vector512{float})"/>: Cephes <c>expf</c> (S. Moshier): <c>x = n ln2 + r</c> with a two-part ln2
/// (Cody-Waite), a degree-5 polynomial for <c>e^r</c> on [-ln2/2, ln2/2], scaled by <c>2^n</c> through the exponent
/// bits; about 1 ulp, 0 below -87.3, +inf above 88.7.</item>
/// </list>
/// Public only because generated code calls it; not a general-purpose API.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    private const float TanhClamp = 9f;
    private const float TanhTiny = 0.0004f;
    private const float ExpHigh = 88.7228391f;
    private const float ExpLow = -87.3365447f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // ---- 512-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector512.FusedMultiplyAdd(a, b, c);
#else
        return Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <summary>tanh, Eigen's rational approximation (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> value)
    {
        Vector512<float> x = Vector512.Min(Vector512.Max(value, Vector512.Create(-TanhClamp)), Vector512.Create(TanhClamp));
        // Estrin's scheme: the same polynomials as Horner's rule, but the terms are paired so that the dependent chain
        // is 3 multiply-adds deep instead of 6 (tanh sits on the recurrent critical path of every step).
        Vector512<float> x2 = x * x;
        Vector512<float> x4 = x2 * x2;
        Vector512<float> x8 = x4 * x4;
        Vector512<float> p01 = MultiplyAdd(x2, Vector512.Create(6.37261928875436e-04f), Vector512.Create(4.89352455891786e-03f));
        Vector512<float> p23 = MultiplyAdd(x2, Vector512.Create(5.12229709037114e-08f), Vector512.Create(1.48572235717979e-05f));
        Vector512<float> p45 = MultiplyAdd(x2, Vector512.Create(2.00018790482477e-13f), Vector512.Create(-8.60467152213735e-11f));
        Vector512<float> p03 = MultiplyAdd(x4, p23, p01);
        Vector512<float> p46 = MultiplyAdd(x4, Vector512.Create(-2.76076847742355e-16f), p45);
        Vector512<float> p = MultiplyAdd(x8, p46, p03) * x;
        Vector512<float> q01 = MultiplyAdd(x2, Vector512.Create(2.26843463243900e-03f), Vector512.Create(4.89352518554385e-03f));
        Vector512<float> q23 = MultiplyAdd(x2, Vector512.Create(1.19825839466702e-06f), Vector512.Create(1.18534705686654e-04f));
        Vector512<float> q = MultiplyAdd(x4, q23, q01);
        Vector512<float> result = Vector512.Min(Vector512.Max(p / q, Vector512.Create(-1f)), Vector512.Create(1f));

        // Beyond the clamp tanh is +-1 in float, which the rational function only approaches; near 0 the quotient
        // underflows for tiny inputs, and tanh(x) = x to float precision there.
        Vector512<float> magnitude = Vector512.Abs(value);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(TanhClamp)), Vector512.ConditionalSelect(Vector512.Create(-0f), value, Vector512.Create(1f)), result);
        return Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(TanhTiny)), value, result);
    }

    /// <summary>The logistic sigmoid, as <c>0.5 + 0.5 tanh(x/2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> value) =>
        MultiplyAdd(Tanh(value * Vector512.Create(0.5f)), Vector512.Create(0.5f), Vector512.Create(0.5f));

    /// <summary>e^x, Cephes expf (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> value)
    {
        Vector512<float> x = Vector512.Min(Vector512.Max(value, Vector512.Create(ExpLow)), Vector512.Create(ExpHigh));
        Vector512<float> n = Vector512.Floor(MultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(0.5f)));
        Vector512<float> r = MultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = MultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> r2 = r * r;
        Vector512<float> y = MultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        y = MultiplyAdd(y, r, Vector512.Create(8.3334519073e-3f));
        y = MultiplyAdd(y, r, Vector512.Create(4.1665795894e-2f));
        y = MultiplyAdd(y, r, Vector512.Create(1.6666665459e-1f));
        y = MultiplyAdd(y, r, Vector512.Create(5.0000001201e-1f));
        y = MultiplyAdd(y, r2, r) + Vector512.Create(1f);

        // 2^n built in the exponent field, as two factors 2^(n/2) 2^(n - n/2): n is in [-126, 128] after the clamp, and
        // for x in [88.38, 88.72] (n = 128) e^x is finite but 2^128 alone is not a float. Eigen splits 2^n into factors
        // for the same reason (pldexp, Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h).
        Vector512<int> whole = Vector512.ConvertToInt32(n);
        Vector512<int> half = Vector512.ShiftRightArithmetic(whole, 1);
        Vector512<float> scale = Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle();
        Vector512<float> rest = Vector512.ShiftLeft(whole - half + Vector512.Create(127), 23).AsSingle();
        Vector512<float> result = y * scale * rest;
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512.Create(ExpHigh)), Vector512.Create(float.PositiveInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.LessThan(value, Vector512.Create(ExpLow)), Vector512<float>.Zero, result);

        // NaN in, NaN out (Min/Max above would have turned it into a number).
        return Vector512.ConditionalSelect(Vector512.Equals(value, value), result, value);
    }

    /// <summary>Applies a scalar function lane by lane: for the rarely used activations that have no vector form here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Map(Vector512<float> value, Func<float, float> function)
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        value.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = function(lanes[i]);
        }

        return Vector512.Create<float>(lanes);
    }

    // ---- 256-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector256.FusedMultiplyAdd(a, b, c);
#else
        return Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <summary>tanh, Eigen's rational approximation (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> value)
    {
        Vector256<float> x = Vector256.Min(Vector256.Max(value, Vector256.Create(-TanhClamp)), Vector256.Create(TanhClamp));
        // Estrin's scheme: the same polynomials as Horner's rule, but the terms are paired so that the dependent chain
        // is 3 multiply-adds deep instead of 6 (tanh sits on the recurrent critical path of every step).
        Vector256<float> x2 = x * x;
        Vector256<float> x4 = x2 * x2;
        Vector256<float> x8 = x4 * x4;
        Vector256<float> p01 = MultiplyAdd(x2, Vector256.Create(6.37261928875436e-04f), Vector256.Create(4.89352455891786e-03f));
        Vector256<float> p23 = MultiplyAdd(x2, Vector256.Create(5.12229709037114e-08f), Vector256.Create(1.48572235717979e-05f));
        Vector256<float> p45 = MultiplyAdd(x2, Vector256.Create(2.00018790482477e-13f), Vector256.Create(-8.60467152213735e-11f));
        Vector256<float> p03 = MultiplyAdd(x4, p23, p01);
        Vector256<float> p46 = MultiplyAdd(x4, Vector256.Create(-2.76076847742355e-16f), p45);
        Vector256<float> p = MultiplyAdd(x8, p46, p03) * x;
        Vector256<float> q01 = MultiplyAdd(x2, Vector256.Create(2.26843463243900e-03f), Vector256.Create(4.89352518554385e-03f));
        Vector256<float> q23 = MultiplyAdd(x2, Vector256.Create(1.19825839466702e-06f), Vector256.Create(1.18534705686654e-04f));
        Vector256<float> q = MultiplyAdd(x4, q23, q01);
        Vector256<float> result = Vector256.Min(Vector256.Max(p / q, Vector256.Create(-1f)), Vector256.Create(1f));

        // Beyond the clamp tanh is +-1 in float, which the rational function only approaches; near 0 the quotient
        // underflows for tiny inputs, and tanh(x) = x to float precision there.
        Vector256<float> magnitude = Vector256.Abs(value);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(TanhClamp)), Vector256.ConditionalSelect(Vector256.Create(-0f), value, Vector256.Create(1f)), result);
        return Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(TanhTiny)), value, result);
    }

    /// <summary>The logistic sigmoid, as <c>0.5 + 0.5 tanh(x/2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> value) =>
        MultiplyAdd(Tanh(value * Vector256.Create(0.5f)), Vector256.Create(0.5f), Vector256.Create(0.5f));

    /// <summary>e^x, Cephes expf (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> value)
    {
        Vector256<float> x = Vector256.Min(Vector256.Max(value, Vector256.Create(ExpLow)), Vector256.Create(ExpHigh));
        Vector256<float> n = Vector256.Floor(MultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(0.5f)));
        Vector256<float> r = MultiplyAdd(n, Vector256.Create(-Ln2High), x);
        r = MultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> r2 = r * r;
        Vector256<float> y = MultiplyAdd(Vector256.Create(1.9875691500e-4f), r, Vector256.Create(1.3981999507e-3f));
        y = MultiplyAdd(y, r, Vector256.Create(8.3334519073e-3f));
        y = MultiplyAdd(y, r, Vector256.Create(4.1665795894e-2f));
        y = MultiplyAdd(y, r, Vector256.Create(1.6666665459e-1f));
        y = MultiplyAdd(y, r, Vector256.Create(5.0000001201e-1f));
        y = MultiplyAdd(y, r2, r) + Vector256.Create(1f);

        // 2^n built in the exponent field, as two factors 2^(n/2) 2^(n - n/2): n is in [-126, 128] after the clamp, and
        // for x in [88.38, 88.72] (n = 128) e^x is finite but 2^128 alone is not a float. Eigen splits 2^n into factors
        // for the same reason (pldexp, Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h).
        Vector256<int> whole = Vector256.ConvertToInt32(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(whole, 1);
        Vector256<float> scale = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        Vector256<float> rest = Vector256.ShiftLeft(whole - half + Vector256.Create(127), 23).AsSingle();
        Vector256<float> result = y * scale * rest;
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256.Create(ExpHigh)), Vector256.Create(float.PositiveInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(value, Vector256.Create(ExpLow)), Vector256<float>.Zero, result);

        // NaN in, NaN out (Min/Max above would have turned it into a number).
        return Vector256.ConditionalSelect(Vector256.Equals(value, value), result, value);
    }

    /// <summary>Applies a scalar function lane by lane: for the rarely used activations that have no vector form here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Map(Vector256<float> value, Func<float, float> function)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        value.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = function(lanes[i]);
        }

        return Vector256.Create<float>(lanes);
    }

    // ---- 128-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector128.FusedMultiplyAdd(a, b, c);
#else
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, c);
        }

        return AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;
#endif
    }

    /// <summary>tanh, Eigen's rational approximation (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> value)
    {
        Vector128<float> x = Vector128.Min(Vector128.Max(value, Vector128.Create(-TanhClamp)), Vector128.Create(TanhClamp));
        // Estrin's scheme: the same polynomials as Horner's rule, but the terms are paired so that the dependent chain
        // is 3 multiply-adds deep instead of 6 (tanh sits on the recurrent critical path of every step).
        Vector128<float> x2 = x * x;
        Vector128<float> x4 = x2 * x2;
        Vector128<float> x8 = x4 * x4;
        Vector128<float> p01 = MultiplyAdd(x2, Vector128.Create(6.37261928875436e-04f), Vector128.Create(4.89352455891786e-03f));
        Vector128<float> p23 = MultiplyAdd(x2, Vector128.Create(5.12229709037114e-08f), Vector128.Create(1.48572235717979e-05f));
        Vector128<float> p45 = MultiplyAdd(x2, Vector128.Create(2.00018790482477e-13f), Vector128.Create(-8.60467152213735e-11f));
        Vector128<float> p03 = MultiplyAdd(x4, p23, p01);
        Vector128<float> p46 = MultiplyAdd(x4, Vector128.Create(-2.76076847742355e-16f), p45);
        Vector128<float> p = MultiplyAdd(x8, p46, p03) * x;
        Vector128<float> q01 = MultiplyAdd(x2, Vector128.Create(2.26843463243900e-03f), Vector128.Create(4.89352518554385e-03f));
        Vector128<float> q23 = MultiplyAdd(x2, Vector128.Create(1.19825839466702e-06f), Vector128.Create(1.18534705686654e-04f));
        Vector128<float> q = MultiplyAdd(x4, q23, q01);
        Vector128<float> result = Vector128.Min(Vector128.Max(p / q, Vector128.Create(-1f)), Vector128.Create(1f));

        // Beyond the clamp tanh is +-1 in float, which the rational function only approaches; near 0 the quotient
        // underflows for tiny inputs, and tanh(x) = x to float precision there.
        Vector128<float> magnitude = Vector128.Abs(value);
        result = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(magnitude, Vector128.Create(TanhClamp)), Vector128.ConditionalSelect(Vector128.Create(-0f), value, Vector128.Create(1f)), result);
        return Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create(TanhTiny)), value, result);
    }

    /// <summary>The logistic sigmoid, as <c>0.5 + 0.5 tanh(x/2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> value) =>
        MultiplyAdd(Tanh(value * Vector128.Create(0.5f)), Vector128.Create(0.5f), Vector128.Create(0.5f));

    /// <summary>e^x, Cephes expf (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> value)
    {
        Vector128<float> x = Vector128.Min(Vector128.Max(value, Vector128.Create(ExpLow)), Vector128.Create(ExpHigh));
        Vector128<float> n = Vector128.Floor(MultiplyAdd(x, Vector128.Create(Log2E), Vector128.Create(0.5f)));
        Vector128<float> r = MultiplyAdd(n, Vector128.Create(-Ln2High), x);
        r = MultiplyAdd(n, Vector128.Create(-Ln2Low), r);
        Vector128<float> r2 = r * r;
        Vector128<float> y = MultiplyAdd(Vector128.Create(1.9875691500e-4f), r, Vector128.Create(1.3981999507e-3f));
        y = MultiplyAdd(y, r, Vector128.Create(8.3334519073e-3f));
        y = MultiplyAdd(y, r, Vector128.Create(4.1665795894e-2f));
        y = MultiplyAdd(y, r, Vector128.Create(1.6666665459e-1f));
        y = MultiplyAdd(y, r, Vector128.Create(5.0000001201e-1f));
        y = MultiplyAdd(y, r2, r) + Vector128.Create(1f);

        // 2^n built in the exponent field, as two factors 2^(n/2) 2^(n - n/2): n is in [-126, 128] after the clamp, and
        // for x in [88.38, 88.72] (n = 128) e^x is finite but 2^128 alone is not a float. Eigen splits 2^n into factors
        // for the same reason (pldexp, Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h).
        Vector128<int> whole = Vector128.ConvertToInt32(n);
        Vector128<int> half = Vector128.ShiftRightArithmetic(whole, 1);
        Vector128<float> scale = Vector128.ShiftLeft(half + Vector128.Create(127), 23).AsSingle();
        Vector128<float> rest = Vector128.ShiftLeft(whole - half + Vector128.Create(127), 23).AsSingle();
        Vector128<float> result = y * scale * rest;
        result = Vector128.ConditionalSelect(Vector128.GreaterThan(value, Vector128.Create(ExpHigh)), Vector128.Create(float.PositiveInfinity), result);
        result = Vector128.ConditionalSelect(Vector128.LessThan(value, Vector128.Create(ExpLow)), Vector128<float>.Zero, result);

        // NaN in, NaN out (Min/Max above would have turned it into a number).
        return Vector128.ConditionalSelect(Vector128.Equals(value, value), result, value);
    }

    /// <summary>Applies a scalar function lane by lane: for the rarely used activations that have no vector form here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Map(Vector128<float> value, Func<float, float> function)
    {
        Span<float> lanes = stackalloc float[Vector128<float>.Count];
        value.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = function(lanes[i]);
        }

        return Vector128.Create<float>(lanes);
    }
}
