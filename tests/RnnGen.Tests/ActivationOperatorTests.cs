using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;
using RnnGen.Shared;

namespace RnnGen.Tests;

/// <summary>
/// Each activation operator's vector paths (128, 256 and 512 bits, every lane holding a different input) beside its
/// scalar path, the Keras formula <see cref="Activations"/> computes. Where the vector path is the same formula the two
/// must agree bit for bit; where it goes through the tanh or exp approximation (tested against double precision in
/// <see cref="VectorMathTests"/>) the bound is a few ulp of the scale that approximation's error lives on.
/// </summary>
public class ActivationOperatorTests
{
    private const float MinNormal = 1.17549435e-38f; // 2^-126

    // A dense sweep over the range where activations differ from their asymptotes, then the values where formulas
    // tend to break: signed zeros, infinities, NaN, the extremes of float, and the edges of the clamps.
    private static readonly float[] s_inputs = Enumerable.Range(0, 48_001).Select(i => -12f + 24f * i / 48_000)
        .Concat(new[]
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue,
            float.Epsilon, -float.Epsilon, 1e-6f, -1e-6f, 3f, -3f, 6f, 9f, -9f, 88f, -87f, 100f, -100f,
        })
        .ToArray();

    [Fact]
    public void Every_element_wise_keras_activation_has_an_operator_named_as_the_generator_calls_it()
    {
        // The generator writes "<MemberName>Operator.Invoke(...)" for every activation but linear.
        foreach (string name in ActivationCatalog.Names.Where(n => ActivationCatalog.Canonical(n) == n && !ActivationCatalog.IsVectorWise(n)))
        {
            Type? type = typeof(IActivationOperator).Assembly.GetType($"RnnGen.Kernels.{ActivationCatalog.MemberName(name)}Operator");
            Assert.True(type is not null, $"no operator for '{name}'");
            Assert.True(type!.IsValueType && typeof(IActivationOperator).IsAssignableFrom(type), $"{type} is not an IActivationOperator struct");
        }
    }

    [Fact]
    public void Scalar_paths_are_the_activations_by_name()
    {
        foreach (string name in ActivationCatalog.Names.Where(n => ActivationCatalog.Canonical(n) == n && !ActivationCatalog.IsVectorWise(n)))
        {
            Func<float, float> byName = Activations.Get(name);
            MethodInfo invoke = typeof(IActivationOperator).Assembly.GetType($"RnnGen.Kernels.{ActivationCatalog.MemberName(name)}Operator")!
                .GetMethod("Invoke", new[] { typeof(float) })!;
            foreach (float x in s_inputs.Where((_, i) => i % 97 == 0))
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(byName(x)), BitConverter.SingleToInt32Bits((float)invoke.Invoke(null, new object[] { x })!));
            }
        }
    }

    // The same formula on every path: identical bits.
    [Fact] public void Linear() => AssertExact<LinearOperator>();
    [Fact] public void Relu() => AssertExact<ReluOperator>();
    [Fact] public void Relu6() => AssertExact<Relu6Operator>();
    [Fact] public void HardTanh() => AssertExact<HardTanhOperator>();
    [Fact] public void HardSigmoid() => AssertExact<HardSigmoidOperator>();
    [Fact] public void HardSilu() => AssertExact<HardSiluOperator>();
    [Fact] public void LeakyRelu() => AssertExact<LeakyReluOperator>();
    [Fact] public void Softsign() => AssertExact<SoftsignOperator>();

    // No vector form: the vector paths apply the scalar path lane by lane.
    [Fact] public void Softplus() => AssertExact<SoftplusOperator>();
    [Fact] public void Mish() => AssertExact<MishOperator>();
    [Fact] public void LogSigmoid() => AssertExact<LogSigmoidOperator>();

    // The vector path fuses 0.2x + 0.5 into one rounding where the scalar rounds twice: within one ulp of 0.5.
    [Fact] public void HardSigmoidKeras2() => AssertWithin<HardSigmoidKeras2Operator>(1, (_, y) => Math.Max(Math.Abs(y), 0.5));

    // Eigen's rational tanh against MathF.Tanh: relative, floored where tanh(x) = x takes over.
    [Fact] public void Tanh() => AssertWithin<TanhOperator>(5, (_, y) => Math.Max(Math.Abs(y), 1e-7));

    // 0.5 + 0.5 tanh(x/2): the error is absolute, a few ulp of 0.5 (what a gate in [0, 1] sees).
    [Fact] public void Sigmoid() => AssertWithin<SigmoidOperator>(5, (_, y) => Math.Max(Math.Abs(y), 0.5));

    // Near saturation the rational function alone leaves [-1, 1]: on every float with 8.125 <= |x| < 9 some quotients are
    // 1 or 2 ulp above 1 in magnitude (40,650 of them, found by evaluating the 512-bit path on all 2^32 floats), and at
    // the input clamp |x| = 9 it is one ulp below 1. The result clamp and the select at the input clamp are what keep
    // tanh in [-1, 1] and exactly +-1 there (Keras's tanh in float is +-1 from |x| ~ 9.01); the 5-ulp bound of Tanh()
    // above would not notice either going. So every float of that band, at every width:
    [Fact]
    public void Tanh_stays_within_minus_one_and_one_and_is_exactly_one_from_the_clamp() =>
        ForEachFloatOfBand<TanhOperator>(8f, 9.5f, (x, y) =>
            Math.Abs(y) <= 1f && (Math.Abs(x) < TanhOperator.Clamp || y == MathF.CopySign(1f, x)));

    // sigmoid(x) = 0.5 + 0.5 tanh(x/2): the same band at twice the input; a gate stays in [0, 1] and is exactly 0 or 1 there.
    [Fact]
    public void Sigmoid_stays_within_zero_and_one_and_is_exactly_zero_or_one_from_the_clamp() =>
        ForEachFloatOfBand<SigmoidOperator>(16f, 19f, (x, y) =>
            y >= 0f && y <= 1f && (Math.Abs(x) < 2 * TanhOperator.Clamp || y == (x > 0 ? 1f : 0f)));

    // An LSTM of 5 to 8 units activates its candidate and output gates in one 512-bit register (TanhSigmoidPair): each
    // half must be what the 8-lane kernel computed before, TanhOperator's and SigmoidOperator's 256-bit paths, to the bit.
    // The inputs: the sweep above, then every 4099th float pattern (NaNs, infinities, subnormals and both zeros among them).
    [Fact]
    public void TanhSigmoidPair_is_tanh_in_the_lower_half_and_sigmoid_in_the_upper_half_bit_for_bit()
    {
        float[] inputs = s_inputs.Concat(Enumerable.Range(0, (int)(uint.MaxValue / 4099)).Select(i => BitConverter.Int32BitsToSingle((int)((uint)i * 4099u)))).ToArray();
        Span<float> lanes = stackalloc float[16];
        Span<float> pair = stackalloc float[16];
        Span<float> expected = stackalloc float[16];
        for (int start = 0; start < inputs.Length; start += 8)
        {
            for (int i = 0; i < 8; i++)
            {
                lanes[i] = lanes[8 + i] = inputs[Math.Min(start + i, inputs.Length - 1)];
            }

            TanhSigmoidPair.Invoke(Vector512.Create<float>(lanes)).CopyTo(pair);
            TanhOperator.Invoke(Vector256.Create<float>(lanes.Slice(0, 8))).CopyTo(expected);
            SigmoidOperator.Invoke(Vector256.Create<float>(lanes.Slice(8, 8))).CopyTo(expected.Slice(8));
            for (int i = 0; i < 16; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(pair[i]),
                    $"{(i < 8 ? "tanh" : "sigmoid")}({lanes[i]:R}): {pair[i]:R}, expected {expected[i]:R}");
            }
        }
    }

    // Runs check(input, vector path) on every float with from <= |x| <= to, both signs, at 128, 256 and 512 bits.
    private static void ForEachFloatOfBand<T>(float from, float to, Func<float, float, bool> check)
        where T : IActivationOperator
    {
        int first = BitConverter.SingleToInt32Bits(from);
        int last = BitConverter.SingleToInt32Bits(to);
        Span<float> lanes = stackalloc float[16];
        Span<float> output = stackalloc float[16];
        for (int sign = 1; sign >= -1; sign -= 2)
        {
            for (int bits = first; bits <= last; bits += 16)
            {
                for (int i = 0; i < 16; i++)
                {
                    lanes[i] = sign * BitConverter.Int32BitsToSingle(Math.Min(bits + i, last));
                }

                T.Invoke(Vector512.Create<float>(lanes)).CopyTo(output);
                Check(lanes, output, 16, 512);
                for (int i = 0; i < 16; i += 8)
                {
                    T.Invoke(Vector256.Create<float>(lanes.Slice(i, 8))).CopyTo(output.Slice(i, 8));
                }

                Check(lanes, output, 16, 256);
                for (int i = 0; i < 16; i += 4)
                {
                    T.Invoke(Vector128.Create<float>(lanes.Slice(i, 4))).CopyTo(output.Slice(i, 4));
                }

                Check(lanes, output, 16, 128);
            }
        }

        void Check(Span<float> lanesIn, Span<float> lanesOut, int count, int width)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(check(lanesIn[i], lanesOut[i]), $"{typeof(T).Name}({lanesIn[i]:R}) = {lanesOut[i]:R} at {width} bits");
            }
        }
    }

    // Cephes expf against MathF.Exp: relative down to the smallest normal float; below ln(2^-126) the vector path
    // flushes the subnormal results to 0 (documented, and checked in VectorMathTests), so those inputs are left out.
    [Fact] public void Exponential() => AssertWithin<ExponentialOperator>(3, (_, y) => Math.Max(Math.Abs(y), MinNormal), from: -87.33654f);

    // exp(x) - 1 from the vector exp: near 0 the subtraction leaves the error of exp(x) ~ 1, a few ulp of 1, where the
    // scalar path's expm1 is exact; selu scales that by scale * alpha.
    [Fact] public void Elu() => AssertWithin<EluOperator>(3, (_, y) => Math.Max(Math.Abs(y), 1));
    [Fact] public void Celu() => AssertWithin<CeluOperator>(3, (_, y) => Math.Max(Math.Abs(y), 1));
    [Fact] public void Selu() => AssertWithin<SeluOperator>(3, (_, y) => Math.Max(Math.Abs(y), SeluOperator.Scale * SeluOperator.Alpha));

    // x * sigmoid(x): sigmoid's absolute error times |x|.
    [Fact] public void Silu() => AssertWithin<SiluOperator>(5, (x, y) => Math.Max(Math.Max(Math.Abs(y), 0.5 * Math.Abs(x)), 1e-7));

    private static void AssertExact<T>()
        where T : IActivationOperator =>
        ForEachLane<T>(float.NegativeInfinity, (x, scalar, vector, width) =>
            Assert.True(BitConverter.SingleToInt32Bits(scalar) == BitConverter.SingleToInt32Bits(vector) || float.IsNaN(scalar) && float.IsNaN(vector),
                $"{typeof(T).Name}({x:R}): scalar {scalar:R}, {width}-bit {vector:R}"));

    private static void AssertWithin<T>(double maxUlp, Func<float, double, double> scale, float from = float.NegativeInfinity)
        where T : IActivationOperator =>
        ForEachLane<T>(from, (x, scalar, vector, width) =>
        {
            if (scalar.Equals(vector) || float.IsNaN(scalar) && float.IsNaN(vector))
            {
                return;
            }

            float s = (float)scale(x, scalar);
            double ulp = MathF.BitIncrement(s) - s;
            double error = Math.Abs((double)vector - scalar) / ulp;
            Assert.True(error <= maxUlp, $"{typeof(T).Name}({x:R}): scalar {scalar:R}, {width}-bit {vector:R}, {error:F2} ulp");
        });

    // Runs check(input, scalar path, vector path, width) on every input not below `from` (NaN included).
    private static void ForEachLane<T>(float from, Action<float, float, float, int> check)
        where T : IActivationOperator
    {
        float[] inputs = s_inputs.Where(x => !(x < from)).ToArray();
        var output = new float[16];
        for (int start = 0; start < inputs.Length; start += 16)
        {
            Span<float> chunk = new float[16];
            inputs.AsSpan(start, Math.Min(16, inputs.Length - start)).CopyTo(chunk);
            T.Invoke(Vector128.Create<float>(chunk)).CopyTo(output);
            Compare(chunk, output, 4, 128);
            T.Invoke(Vector256.Create<float>(chunk)).CopyTo(output);
            Compare(chunk, output, 8, 256);
            T.Invoke(Vector512.Create<float>(chunk)).CopyTo(output);
            Compare(chunk, output, 16, 512);
        }

        void Compare(Span<float> lanesIn, float[] lanesOut, int count, int width)
        {
            for (int i = 0; i < count; i++)
            {
                check(lanesIn[i], T.Invoke(lanesIn[i]), lanesOut[i], width);
            }
        }
    }
}
