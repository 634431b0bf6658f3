using System;

namespace RnnGen.Training;

/// <summary>
/// The derivative of each element-wise Keras activation, written in terms of its input <c>x</c> and its output
/// <c>y</c> (whichever is cheaper). At the kinks of piecewise activations the value follows TensorFlow's gradient
/// kernels: <c>relu</c>, <c>relu6</c> and the hard activations have derivative 0 exactly at a boundary (their
/// gradients test <c>x &gt; 0</c> and <c>x &lt; 6</c> strictly).
/// </summary>
internal static class ActivationDerivatives
{
    /// <summary>The derivative <c>dy/dx</c> of the activation <paramref name="name"/> as a function of <c>(x, y)</c>.</summary>
    /// <exception cref="ArgumentException">The name is not an element-wise activation RnnGen knows (softmax is handled by the Dense layer).</exception>
    public static Func<float, float, float> Get(string name)
    {
        const float SeluAlpha = 1.6732632423543772848170429916717f;
        const float SeluScale = 1.0507009873554804934193349852946f;
        return Shared.ActivationCatalog.Canonical(name) switch
        {
            "tanh" => static (_, y) => 1f - y * y,
            "sigmoid" => static (_, y) => y * (1f - y),
            "hard_sigmoid" => static (x, _) => x > -3f && x < 3f ? 1f / 6f : 0f, // relu6(x + 3) / 6
            "hard_sigmoid_keras2" => static (x, _) => x > -2.5f && x < 2.5f ? 0.2f : 0f,
            "relu" => static (x, _) => x > 0f ? 1f : 0f,
            "relu6" => static (x, _) => x > 0f && x < 6f ? 1f : 0f,
            "leaky_relu" => static (x, _) => x > 0f ? 1f : 0.2f,
            "linear" => static (_, _) => 1f,
            "elu" or "celu" => static (x, y) => x > 0f ? 1f : y + 1f, // exp(x) = y + 1 for x <= 0
            "selu" => static (x, y) => x > 0f ? SeluScale : y + SeluScale * SeluAlpha,
            "softplus" => static (x, _) => Activations.Sigmoid(x),
            "softsign" => static (x, _) => 1f / ((1f + MathF.Abs(x)) * (1f + MathF.Abs(x))),
            "silu" => static (x, _) =>
            {
                float s = Activations.Sigmoid(x);
                return s + x * s * (1f - s);
            },
            "hard_silu" => static (x, _) => x <= -3f ? 0f : x >= 3f ? 1f : (x + 3f) / 6f + x / 6f,
            "mish" => static (x, _) =>
            {
                float t = MathF.Tanh(Activations.Softplus(x));
                return t + x * (1f - t * t) * Activations.Sigmoid(x);
            },
            "log_sigmoid" => static (x, _) => Activations.Sigmoid(-x),
            "hard_tanh" => static (x, _) => x > -1f && x < 1f ? 1f : 0f,
            "exponential" => static (_, y) => y,
            _ => throw new ArgumentException($"No gradient for activation '{name}': not an element-wise Keras activation RnnGen knows.", nameof(name)),
        };
    }
}
