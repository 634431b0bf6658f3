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
