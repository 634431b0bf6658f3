using System;
using System.Runtime.CompilerServices;

namespace RnnGen;

/// <summary>
/// The Keras activations, one float at a time, as defined by Keras 3 (<c>keras/src/activations/activations.py</c>)
/// unless the name says otherwise. Generated models and the reference layers both call these, so a formula lives in
/// one place. Where float32 would lose accuracy (softplus, elu near 0) the value is computed in double and rounded once.
/// </summary>
public static class Activations
{
    private const float SeluAlpha = 1.67326324235437728481f; // keras selu: alpha
    private const float SeluScale = 1.05070098735548049342f; // keras selu: scale

    /// <summary>Keras <c>"tanh"</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>Keras <c>"sigmoid"</c>: <c>1 / (1 + exp(-x))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    /// <summary>Keras 3 <c>"hard_sigmoid"</c>: <c>relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSigmoid(float x) => Math.Clamp((x + 3f) / 6f, 0f, 1f);

    /// <summary>
    /// Keras 2 <c>"hard_sigmoid"</c>: <c>clip(0.2x + 0.5, 0, 1)</c> (Keras 2.x and tf.keras 2.x backend, and
    /// TensorFlow.js). Declare it as <c>"hard_sigmoid_keras2"</c> for models trained with Keras 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSigmoidKeras2(float x) => Math.Clamp(0.2f * x + 0.5f, 0f, 1f);

    /// <summary>Keras <c>"relu"</c>: <c>max(x, 0)</c>; NaN stays NaN, as in TensorFlow and in the generated kernels.</summary>
    /// <remarks>
    /// <see cref="MathF.Max(float, float)"/> is IEEE 754:2019 <c>maximum</c>: NaN in, NaN out, and max(-0, 0) = +0, the
    /// semantics of the kernels' <c>Vector128.Max</c>. (<c>x &gt; 0 ? x : 0</c> would turn NaN into 0.)
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float x) => MathF.Max(x, 0f);

    /// <summary>Keras <c>"relu6"</c>: <c>min(max(x, 0), 6)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu6(float x) => Math.Clamp(x, 0f, 6f);

    /// <summary>Keras 3 <c>"leaky_relu"</c> with its default <c>negative_slope=0.2</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyRelu(float x) => x >= 0f ? x : 0.2f * x;

    /// <summary>Keras <c>"linear"</c> (also <c>activation=None</c>): the identity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Linear(float x) => x;

    /// <summary>Keras <c>"elu"</c> with <c>alpha=1</c>: <c>x</c> if positive, else <c>exp(x) - 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Elu(float x) => x > 0f ? x : (float)double.ExpM1(x);

    /// <summary>Keras <c>"selu"</c>: <c>scale * elu(x, alpha)</c> with Klambauer et al. (2017)'s constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Selu(float x) => SeluScale * (x > 0f ? x : SeluAlpha * (float)double.ExpM1(x));

    /// <summary>Keras <c>"celu"</c> with <c>alpha=1</c>: <c>max(x, 0) + min(0, exp(x) - 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Celu(float x) => x > 0f ? x : (float)double.ExpM1(x);

    /// <summary>Keras <c>"softplus"</c>: <c>log(1 + exp(x))</c>, computed without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x)
    {
        double v = x;
        return (float)(v > 0 ? v + double.LogP1(Math.Exp(-v)) : double.LogP1(Math.Exp(v)));
    }

    /// <summary>Keras <c>"softsign"</c>: <c>x / (|x| + 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softsign(float x) => x / (MathF.Abs(x) + 1f);

    /// <summary>Keras <c>"silu"</c> (alias <c>"swish"</c>): <c>x * sigmoid(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Silu(float x) => x * Sigmoid(x);

    /// <summary>Keras <c>"hard_silu"</c> (alias <c>"hard_swish"</c>): <c>x * relu6(x + 3) / 6</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSilu(float x) => x * HardSigmoid(x);

    /// <summary>Keras <c>"mish"</c>: <c>x * tanh(softplus(x))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mish(float x) => x * MathF.Tanh(Softplus(x));

    /// <summary>Keras <c>"log_sigmoid"</c>: <c>-softplus(-x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float x) => -Softplus(-x);

    /// <summary>Keras <c>"hard_tanh"</c>: <c>clip(x, -1, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardTanh(float x) => Math.Clamp(x, -1f, 1f);

    /// <summary>Keras <c>"exponential"</c>: <c>exp(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exponential(float x) => MathF.Exp(x);

    /// <summary>
    /// Keras <c>"softmax"</c> over <paramref name="values"/> in place: <c>exp(x - max) / sum(exp(x - max))</c>
    /// (subtracting the maximum, as Keras backends do, so large logits do not overflow).
    /// </summary>
    public static void Softmax(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        float max = float.NegativeInfinity;
        foreach (float v in values)
        {
            max = MathF.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float e = MathF.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }

        float scale = (float)(1.0 / sum);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }

    /// <summary>
    /// The element-wise activation for a Keras name (aliases allowed), for code that picks it at run time such as the
    /// reference layers. Throws <see cref="ArgumentException"/> for an unknown name or for <c>"softmax"</c>, which is
    /// not element-wise (use <see cref="Softmax"/>).
    /// </summary>
    public static Func<float, float> Get(string name)
    {
        string? canonical = Shared.ActivationCatalog.Canonical(name);
        return canonical switch
        {
            "tanh" => Tanh,
            "sigmoid" => Sigmoid,
            "hard_sigmoid" => HardSigmoid,
            "hard_sigmoid_keras2" => HardSigmoidKeras2,
            "relu" => Relu,
            "relu6" => Relu6,
            "leaky_relu" => LeakyRelu,
            "linear" => Linear,
            "elu" => Elu,
            "selu" => Selu,
            "celu" => Celu,
            "softplus" => Softplus,
            "softsign" => Softsign,
            "silu" => Silu,
            "hard_silu" => HardSilu,
            "mish" => Mish,
            "log_sigmoid" => LogSigmoid,
            "hard_tanh" => HardTanh,
            "exponential" => Exponential,
            "softmax" => throw new ArgumentException("softmax is not element-wise; use Activations.Softmax.", nameof(name)),
            _ => throw new ArgumentException(
                $"'{name}' is not a Keras activation RnnGen knows. Valid names: {Shared.ActivationCatalog.ListForMessage(true)}.",
                nameof(name)),
        };
    }
}
