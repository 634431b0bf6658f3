using System;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Tests;

/// <summary>
/// The vector paths of the approximated activations (tanh, sigmoid, exp) against double-precision math over dense sweeps, for each vector
/// width. Errors are in units of float32's spacing at the exact result (ulp), floored at the spacing of 1e-7: below
/// that, a recurrent layer cannot tell the difference, and the rational tanh switches to tanh(x) = x.
/// </summary>
public class VectorMathTests
{
    private delegate float Lane(float x);

    private const float MinNormal = 1.17549435e-38f; // 2^-126, the smallest normal float

    public static TheoryData<string> Widths => new() { "128", "256", "512" };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Tanh_is_within_a_few_ulp(string width) =>
        AssertWithin(Evaluate(width, v128 => TanhOperator.Invoke(v128), v256 => TanhOperator.Invoke(v256), v512 => TanhOperator.Invoke(v512)), Math.Tanh, -12f, 12f, maxUlp: TanhUlp);

    // Where the CPU has FMA, VectorMath.MultiplyAdd fuses and the rational tanh stays within 5 ulp. Without it (a CPU
    // without AVX2, DOTNET_EnableAVX2=0, or NativeAOT's default x86-64-v2 target) every multiply and add of the
    // polynomials rounds twice, and the error reaches 5.10 ulp just inside the input clamp (x = -8.13228, where tanh is
    // 2.9e-7 from -1): measured at every width with DOTNET_EnableAVX2=0. The bound is 5.5 there, for that reason only.
    private static double TanhUlp =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? 5 : 5.5;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Sigmoid_is_within_a_few_ulp_of_its_absolute_scale(string width) =>
        // 0.5 + 0.5 tanh(x/2): the error is absolute (a few ulp of 0.5), which is what a gate in [0, 1] sees.
        AssertWithin(Evaluate(width, v => SigmoidOperator.Invoke(v), v => SigmoidOperator.Invoke(v), v => SigmoidOperator.Invoke(v)), x => 1 / (1 + Math.Exp(-x)), -30f, 30f, maxUlp: 5, absoluteScale: 0.5);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_is_within_a_few_ulp(string width) =>
        AssertWithin(Evaluate(width, v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v)), Math.Exp, -80f, 80f, maxUlp: 3);

    // The "exponential" activation is ExponentialOperator applied to a whole pre-activation (the generator emits nothing
    // else for it), so unlike Exp inside elu or selu its relative error matters at every magnitude: measured here in ulp
    // of the result itself, floored only at the smallest normal float, over every input whose exp is a finite normal
    // float: [ln(2^-126), ln(float.MaxValue)].
    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_is_within_a_few_ulp_of_every_finite_normal_result(string width) =>
        AssertWithin(Evaluate(width, v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v)), Math.Exp, -87.33654f, 88.72283f, maxUlp: 3, floor: MinNormal);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_agrees_with_MathF_Exp_up_to_its_documented_flush_to_zero(string width)
    {
        // Against the platform's float exp, from past the overflow down through the subnormal results, which
        // ExponentialOperator flushes to 0 (documented; the absolute difference is then below the smallest normal float).
        Lane exp = Evaluate(width, v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v), v => ExponentialOperator.Invoke(v));
        const int Samples = 100_000;
        for (int i = 0; i <= Samples; i++)
        {
            float x = -104f + (90f + 104f) * i / Samples;
            float expected = MathF.Exp(x), actual = exp(x);
            float bound = expected < MinNormal ? MinNormal : 4 * (MathF.BitIncrement(expected) - expected);
            bool agrees = float.IsPositiveInfinity(expected) ? float.IsPositiveInfinity(actual) : float.IsFinite(actual) && Math.Abs(actual - expected) <= bound;
            Assert.True(agrees, $"exp({x:R}): {actual:R}, MathF.Exp {expected:R}");
        }
    }

    [Fact]
    public void Exp_saturates_like_expf_and_keeps_nan()
    {
        Vector256<float> result = ExponentialOperator.Invoke(Vector256.Create(100f, -100f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 1f, -1f));
        Assert.Equal(float.PositiveInfinity, result[0]);
        Assert.Equal(0f, result[1]);
        Assert.True(float.IsNaN(result[2]));
        Assert.Equal(float.PositiveInfinity, result[3]);
        Assert.Equal(0f, result[4]);
        Assert.Equal(1f, result[5]);
    }

    [Fact]
    public void Tanh_is_odd_bounded_and_exact_at_the_ends()
    {
        Vector128<float> result = TanhOperator.Invoke(Vector128.Create(50f, -50f, 0f, 1e-6f));
        Assert.Equal(1f, result[0]);
        Assert.Equal(-1f, result[1]);
        Assert.Equal(0f, result[2]);
        Assert.Equal(1e-6f, result[3]);
    }

    private static Lane Evaluate(string width, Func<Vector128<float>, Vector128<float>> f128, Func<Vector256<float>, Vector256<float>> f256, Func<Vector512<float>, Vector512<float>> f512) => width switch
    {
        "128" => x => f128(Vector128.Create(x))[1],
        "256" => x => f256(Vector256.Create(x))[5],
        _ => x => f512(Vector512.Create(x))[13],
    };

    private static void AssertWithin(Lane actual, Func<double, double> exact, float from, float to, double maxUlp, double absoluteScale = 0, double floor = 1e-7)
    {
        double worst = 0;
        float worstAt = 0;
        const int Samples = 200_000;
        for (int i = 0; i <= Samples; i++)
        {
            float x = from + (to - from) * i / Samples;
            double expected = exact(x);
            double scale = Math.Max(Math.Max(Math.Abs(expected), absoluteScale), floor);
            double ulp = MathF.BitIncrement((float)scale) - (float)scale;
            double error = Math.Abs(actual(x) - expected) / ulp;
            if (error > worst)
            {
                worst = error;
                worstAt = x;
            }
        }

        Assert.True(worst <= maxUlp, $"{worst:F2} ulp at x = {worstAt:R}");
    }
}
