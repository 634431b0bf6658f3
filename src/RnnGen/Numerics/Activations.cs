using System;
using System.Runtime.CompilerServices;
using RnnGen.Kernels;

namespace RnnGen;

/// <summary>
/// The Keras activations, one float at a time, as defined by Keras 3 (<c>keras/src/activations/activations.py</c>)
/// unless the name says otherwise. Each element-wise one is the scalar path of its operator in <c>RnnGen.Kernels</c>
/// (<see cref="IActivationOperator"/>, one file per activation: the formula, its constants and its source), whose
/// vector paths the generated kernels call; the reference layers call these. Where float32 would lose accuracy
/// (softplus, elu near 0) the value is computed in double and rounded once.
/// </summary>
public static class Activations
{
    /// <summary>Keras <c>"tanh"</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => TanhOperator.Invoke(x);

    /// <summary>Keras <c>"sigmoid"</c>: <c>1 / (1 + exp(-x))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => SigmoidOperator.Invoke(x);

    /// <summary>Keras 3 <c>"hard_sigmoid"</c>: <c>relu6(x + 3) / 6 = clip((x + 3) / 6, 0, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSigmoid(float x) => HardSigmoidOperator.Invoke(x);

    /// <summary>
    /// Keras 2 <c>"hard_sigmoid"</c>: <c>clip(0.2x + 0.5, 0, 1)</c> (Keras 2.x and tf.keras 2.x backend, and
    /// TensorFlow.js). Declare it as <c>"hard_sigmoid_keras2"</c> for models trained with Keras 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSigmoidKeras2(float x) => HardSigmoidKeras2Operator.Invoke(x);

    /// <summary>Keras <c>"relu"</c>: <c>max(x, 0)</c>; NaN stays NaN, as in TensorFlow and in the generated kernels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float x) => ReluOperator.Invoke(x);

    /// <summary>Keras <c>"relu6"</c>: <c>min(max(x, 0), 6)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu6(float x) => Relu6Operator.Invoke(x);

    /// <summary>Keras 3 <c>"leaky_relu"</c> with its default <c>negative_slope=0.2</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyRelu(float x) => LeakyReluOperator.Invoke(x);

    /// <summary>Keras <c>"linear"</c> (also <c>activation=None</c>): the identity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Linear(float x) => LinearOperator.Invoke(x);

    /// <summary>Keras <c>"elu"</c> with <c>alpha=1</c>: <c>x</c> if positive, else <c>exp(x) - 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Elu(float x) => EluOperator.Invoke(x);

    /// <summary>Keras <c>"selu"</c>: <c>scale * elu(x, alpha)</c> with Klambauer et al. (2017)'s constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Selu(float x) => SeluOperator.Invoke(x);

    /// <summary>Keras <c>"celu"</c> with <c>alpha=1</c>: <c>max(x, 0) + min(0, exp(x) - 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Celu(float x) => CeluOperator.Invoke(x);

    /// <summary>Keras <c>"softplus"</c>: <c>log(1 + exp(x))</c>, computed without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => SoftplusOperator.Invoke(x);

    /// <summary>Keras <c>"softsign"</c>: <c>x / (|x| + 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softsign(float x) => SoftsignOperator.Invoke(x);

    /// <summary>Keras <c>"silu"</c> (alias <c>"swish"</c>): <c>x * sigmoid(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Silu(float x) => SiluOperator.Invoke(x);

    /// <summary>Keras <c>"hard_silu"</c> (alias <c>"hard_swish"</c>): <c>x * relu6(x + 3) / 6</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSilu(float x) => HardSiluOperator.Invoke(x);

    /// <summary>Keras <c>"mish"</c>: <c>x * tanh(softplus(x))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mish(float x) => MishOperator.Invoke(x);

    /// <summary>Keras <c>"log_sigmoid"</c>: <c>-softplus(-x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float x) => LogSigmoidOperator.Invoke(x);

    /// <summary>Keras <c>"hard_tanh"</c>: <c>clip(x, -1, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardTanh(float x) => HardTanhOperator.Invoke(x);

    /// <summary>Keras <c>"exponential"</c>: <c>exp(x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exponential(float x) => ExponentialOperator.Invoke(x);

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
