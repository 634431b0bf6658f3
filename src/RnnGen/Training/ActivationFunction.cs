using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Training;

/// <summary>
/// An element-wise Keras activation and its derivative, applied to whole spans: a layer resolves its activation's
/// name once (<see cref="ActivationFunctions.Resolve"/>) and each call switches once to a loop specialized for that activation (a generic
/// method over a struct operator, which the JIT compiles per activation), so no element goes through a delegate.
/// <c>tanh</c> and <c>sigmoid</c> run as the inference kernels compute them (<see cref="VectorMath"/>: Eigen's
/// rational tanh, <c>sigmoid(x) = 0.5 + 0.5 tanh(x / 2)</c>) on 512- or 256-bit vectors; a span's last partial vector
/// goes through a padded vector, so every element gets the same approximation. The other activations are the scalar
/// <see cref="Activations"/> functions.
/// The derivatives are written in terms of the input <c>x</c> and the output <c>y</c> (whichever is cheaper). At the
/// kinks of piecewise activations the value follows TensorFlow's gradient kernels: <c>relu</c>, <c>relu6</c> and the
/// hard activations have derivative 0 exactly at a boundary (their gradients test <c>x &gt; 0</c> and <c>x &lt; 6</c>
/// strictly).
/// </summary>
internal enum ActivationFunction
{
    Tanh,
    Sigmoid,
    Relu,
    Linear,
    HardSigmoid,
    HardSigmoidKeras2,
    Relu6,
    LeakyRelu,
    Elu,
    Selu,
    Softplus,
    Softsign,
    Silu,
    HardSilu,
    Mish,
    LogSigmoid,
    HardTanh,
    Exponential,
}

/// <summary>The span operations of <see cref="ActivationFunction"/>.</summary>
internal static class ActivationFunctions
{
    /// <summary>The activation for a Keras name (aliases allowed).</summary>
    /// <exception cref="ArgumentException">The name is not an element-wise activation RnnGen knows (softmax is handled by the Dense layer).</exception>
    public static ActivationFunction Resolve(string name) => Shared.ActivationCatalog.Canonical(name) switch
    {
        "tanh" => ActivationFunction.Tanh,
        "sigmoid" => ActivationFunction.Sigmoid,
        "relu" => ActivationFunction.Relu,
        "linear" => ActivationFunction.Linear,
        "hard_sigmoid" => ActivationFunction.HardSigmoid,
        "hard_sigmoid_keras2" => ActivationFunction.HardSigmoidKeras2,
        "relu6" => ActivationFunction.Relu6,
        "leaky_relu" => ActivationFunction.LeakyRelu,
        "elu" or "celu" => ActivationFunction.Elu, // keras celu with its default alpha 1 is elu
        "selu" => ActivationFunction.Selu,
        "softplus" => ActivationFunction.Softplus,
        "softsign" => ActivationFunction.Softsign,
        "silu" => ActivationFunction.Silu,
        "hard_silu" => ActivationFunction.HardSilu,
        "mish" => ActivationFunction.Mish,
        "log_sigmoid" => ActivationFunction.LogSigmoid,
        "hard_tanh" => ActivationFunction.HardTanh,
        "exponential" => ActivationFunction.Exponential,
        _ => throw new ArgumentException($"No gradient for activation '{name}': not an element-wise Keras activation RnnGen knows.", nameof(name)),
    };

    /// <summary><c>y = f(x)</c> element by element; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Apply(ActivationFunction function, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (function)
        {
            case ActivationFunction.Tanh: ApplyVector<TanhOp>(x, y); break;
            case ActivationFunction.Sigmoid: ApplyVector<SigmoidOp>(x, y); break;
            case ActivationFunction.Relu: ApplyVector<ReluOp>(x, y); break;
            case ActivationFunction.Linear: x.CopyTo(y); break;
            case ActivationFunction.HardSigmoid: ApplyScalar<HardSigmoidOp>(x, y); break;
            case ActivationFunction.HardSigmoidKeras2: ApplyScalar<HardSigmoidKeras2Op>(x, y); break;
            case ActivationFunction.Relu6: ApplyScalar<Relu6Op>(x, y); break;
            case ActivationFunction.LeakyRelu: ApplyScalar<LeakyReluOp>(x, y); break;
            case ActivationFunction.Elu: ApplyScalar<EluOp>(x, y); break;
            case ActivationFunction.Selu: ApplyScalar<SeluOp>(x, y); break;
            case ActivationFunction.Softplus: ApplyScalar<SoftplusOp>(x, y); break;
            case ActivationFunction.Softsign: ApplyScalar<SoftsignOp>(x, y); break;
            case ActivationFunction.Silu: ApplyScalar<SiluOp>(x, y); break;
            case ActivationFunction.HardSilu: ApplyScalar<HardSiluOp>(x, y); break;
            case ActivationFunction.Mish: ApplyScalar<MishOp>(x, y); break;
            case ActivationFunction.LogSigmoid: ApplyScalar<LogSigmoidOp>(x, y); break;
            case ActivationFunction.HardTanh: ApplyScalar<HardTanhOp>(x, y); break;
            default: ApplyScalar<ExponentialOp>(x, y); break;
        }
    }

    /// <summary><c>gradient *= f'(x)</c> element by element, with <paramref name="y"/> = <c>f(x)</c>.</summary>
    public static void MultiplyByDerivative(ActivationFunction function, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
    {
        switch (function)
        {
            case ActivationFunction.Tanh: DerivativeVector<TanhOp>(x, y, gradient); break;
            case ActivationFunction.Sigmoid: DerivativeVector<SigmoidOp>(x, y, gradient); break;
            case ActivationFunction.Relu: DerivativeVector<ReluOp>(x, y, gradient); break;
            case ActivationFunction.Linear: break;
            case ActivationFunction.HardSigmoid: DerivativeScalar<HardSigmoidOp>(x, y, gradient); break;
            case ActivationFunction.HardSigmoidKeras2: DerivativeScalar<HardSigmoidKeras2Op>(x, y, gradient); break;
            case ActivationFunction.Relu6: DerivativeScalar<Relu6Op>(x, y, gradient); break;
            case ActivationFunction.LeakyRelu: DerivativeScalar<LeakyReluOp>(x, y, gradient); break;
            case ActivationFunction.Elu: DerivativeScalar<EluOp>(x, y, gradient); break;
            case ActivationFunction.Selu: DerivativeScalar<SeluOp>(x, y, gradient); break;
            case ActivationFunction.Softplus: DerivativeScalar<SoftplusOp>(x, y, gradient); break;
            case ActivationFunction.Softsign: DerivativeScalar<SoftsignOp>(x, y, gradient); break;
            case ActivationFunction.Silu: DerivativeScalar<SiluOp>(x, y, gradient); break;
            case ActivationFunction.HardSilu: DerivativeScalar<HardSiluOp>(x, y, gradient); break;
            case ActivationFunction.Mish: DerivativeScalar<MishOp>(x, y, gradient); break;
            case ActivationFunction.LogSigmoid: DerivativeScalar<LogSigmoidOp>(x, y, gradient); break;
            case ActivationFunction.HardTanh: DerivativeScalar<HardTanhOp>(x, y, gradient); break;
            default: DerivativeScalar<ExponentialOp>(x, y, gradient); break;
        }
    }

    /// <summary>Keras softmax over each row of <paramref name="width"/> values of <paramref name="values"/>, in place.</summary>
    public static void SoftmaxRows(Span<float> values, int width)
    {
        for (int r = 0; r + width <= values.Length; r += width)
        {
            Activations.Softmax(values.Slice(r, width));
        }
    }

    /// <summary>
    /// <paramref name="gradient"/> (of a softmax's output <paramref name="y"/>, rows of <paramref name="width"/>) becomes
    /// the gradient of its input: <c>dz_j = y_j (dy_j - sum_k dy_k y_k)</c>, the softmax's Jacobian applied row by row.
    /// </summary>
    public static void MultiplyBySoftmaxDerivative(ReadOnlySpan<float> y, Span<float> gradient, int width)
    {
        for (int r = 0; r + width <= gradient.Length; r += width)
        {
            Span<float> row = gradient.Slice(r, width);
            ReadOnlySpan<float> yr = y.Slice(r, width);
            float weighted = TrainingMath.Dot(row, yr);
            for (int j = 0; j < width; j++)
            {
                row[j] = yr[j] * (row[j] - weighted);
            }
        }
    }

    private static void ApplyScalar<T>(ReadOnlySpan<float> x, Span<float> y)
        where T : struct, IScalarActivation
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.Value(x[i]);
        }
    }

    private static void DerivativeScalar<T>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
        where T : struct, IScalarActivation
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] *= T.Derivative(x[i], y[i]);
        }
    }

    private static void ApplyVector<T>(ReadOnlySpan<float> x, Span<float> y)
        where T : struct, IVectorActivation
    {
        int n = x.Length;
        ref float from = ref MemoryMarshal.GetReference(x);
        ref float to = ref MemoryMarshal.GetReference(y.Slice(0, n));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                T.Value(Vector512.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }

            if (i < n)
            {
                Span<float> lanes = stackalloc float[16];
                x.Slice(i).CopyTo(lanes);
                T.Value(Vector512.Create<float>(lanes)).CopyTo(lanes);
                lanes.Slice(0, n - i).CopyTo(y.Slice(i));
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                T.Value(Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }

            if (i < n)
            {
                Span<float> lanes = stackalloc float[8];
                x.Slice(i).CopyTo(lanes);
                T.Value(Vector256.Create<float>(lanes)).CopyTo(lanes);
                lanes.Slice(0, n - i).CopyTo(y.Slice(i));
            }

            return;
        }

        for (; i < n; i++)
        {
            y[i] = T.Value(x[i]);
        }
    }

    private static void DerivativeVector<T>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> gradient)
        where T : struct, IVectorActivation
    {
        int n = gradient.Length;
        ref float xs = ref MemoryMarshal.GetReference(x.Slice(0, n));
        ref float ys = ref MemoryMarshal.GetReference(y.Slice(0, n));
        ref float gs = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.LoadUnsafe(ref gs, (nuint)i) * T.Derivative(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i))).StoreUnsafe(ref gs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref gs, (nuint)i) * T.Derivative(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i))).StoreUnsafe(ref gs, (nuint)i);
            }
        }

        // The derivatives below are exact formulas (no approximation), so the scalar tail agrees with the vectors.
        for (; i < n; i++)
        {
            gradient[i] *= T.Derivative(x[i], y[i]);
        }
    }

    private interface IScalarActivation
    {
        static abstract float Value(float x);

        static abstract float Derivative(float x, float y);
    }

    private interface IVectorActivation : IScalarActivation
    {
        static abstract Vector512<float> Value(Vector512<float> x);

        static abstract Vector256<float> Value(Vector256<float> x);

        static abstract Vector512<float> Derivative(Vector512<float> x, Vector512<float> y);

        static abstract Vector256<float> Derivative(Vector256<float> x, Vector256<float> y);
    }

    private struct TanhOp : IVectorActivation
    {
        public static float Value(float x) => Activations.Tanh(x);
        public static float Derivative(float x, float y) => 1f - y * y;
        public static Vector512<float> Value(Vector512<float> x) => TanhOperator.Invoke(x);
        public static Vector256<float> Value(Vector256<float> x) => TanhOperator.Invoke(x);
        public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.Create(1f) - y * y;
        public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.Create(1f) - y * y;
    }

    private struct SigmoidOp : IVectorActivation
    {
        public static float Value(float x) => Activations.Sigmoid(x);
        public static float Derivative(float x, float y) => y * (1f - y);
        public static Vector512<float> Value(Vector512<float> x) => SigmoidOperator.Invoke(x);
        public static Vector256<float> Value(Vector256<float> x) => SigmoidOperator.Invoke(x);
        public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => y * (Vector512.Create(1f) - y);
        public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => y * (Vector256.Create(1f) - y);
    }

    private struct ReluOp : IVectorActivation
    {
        public static float Value(float x) => Activations.Relu(x);
        public static float Derivative(float x, float y) => x > 0f ? 1f : 0f;
        public static Vector512<float> Value(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
        public static Vector256<float> Value(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
        public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512.Create(1f);
        public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.Create(1f);
    }

    private struct HardSigmoidOp : IScalarActivation
    {
        public static float Value(float x) => Activations.HardSigmoid(x);
        public static float Derivative(float x, float y) => x > -3f && x < 3f ? 1f / 6f : 0f; // relu6(x + 3) / 6
    }

    private struct HardSigmoidKeras2Op : IScalarActivation
    {
        public static float Value(float x) => Activations.HardSigmoidKeras2(x);
        public static float Derivative(float x, float y) => x > -2.5f && x < 2.5f ? 0.2f : 0f;
    }

    private struct Relu6Op : IScalarActivation
    {
        public static float Value(float x) => Activations.Relu6(x);
        public static float Derivative(float x, float y) => x > 0f && x < 6f ? 1f : 0f;
    }

    private struct LeakyReluOp : IScalarActivation
    {
        public static float Value(float x) => Activations.LeakyRelu(x);
        public static float Derivative(float x, float y) => x > 0f ? 1f : 0.2f;
    }

    private struct EluOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Elu(x);
        public static float Derivative(float x, float y) => x > 0f ? 1f : y + 1f; // exp(x) = y + 1 for x <= 0
    }

    private struct SeluOp : IScalarActivation
    {
        private const float Alpha = 1.6732632423543772848170429916717f;
        private const float Scale = 1.0507009873554804934193349852946f;
        public static float Value(float x) => Activations.Selu(x);
        public static float Derivative(float x, float y) => x > 0f ? Scale : y + Scale * Alpha;
    }

    private struct SoftplusOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Softplus(x);
        public static float Derivative(float x, float y) => Activations.Sigmoid(x);
    }

    private struct SoftsignOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Softsign(x);
        public static float Derivative(float x, float y) => 1f / ((1f + MathF.Abs(x)) * (1f + MathF.Abs(x)));
    }

    private struct SiluOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Silu(x);

        public static float Derivative(float x, float y)
        {
            float s = Activations.Sigmoid(x);
            return s + x * s * (1f - s);
        }
    }

    private struct HardSiluOp : IScalarActivation
    {
        public static float Value(float x) => Activations.HardSilu(x);
        public static float Derivative(float x, float y) => x <= -3f ? 0f : x >= 3f ? 1f : (x + 3f) / 6f + x / 6f;
    }

    private struct MishOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Mish(x);

        public static float Derivative(float x, float y)
        {
            float t = MathF.Tanh(Activations.Softplus(x));
            return t + x * (1f - t * t) * Activations.Sigmoid(x);
        }
    }

    private struct LogSigmoidOp : IScalarActivation
    {
        public static float Value(float x) => Activations.LogSigmoid(x);
        public static float Derivative(float x, float y) => Activations.Sigmoid(-x);
    }

    private struct HardTanhOp : IScalarActivation
    {
        public static float Value(float x) => Activations.HardTanh(x);
        public static float Derivative(float x, float y) => x > -1f && x < 1f ? 1f : 0f;
    }

    private struct ExponentialOp : IScalarActivation
    {
        public static float Value(float x) => Activations.Exponential(x);
        public static float Derivative(float x, float y) => y;
    }
}
