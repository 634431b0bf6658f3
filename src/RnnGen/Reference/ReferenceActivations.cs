using System;

namespace RnnGen.Reference;

/// <summary>
/// The Keras activations for the reference model, in either precision: float32 through <see cref="Activations"/>
/// (the same code generated models call), float64 from the same Keras formulas evaluated in double.
/// </summary>
internal static class ReferenceActivations
{
    public static Func<double, double> Get(string name, ReferencePrecision precision)
    {
        if (precision == ReferencePrecision.Float32)
        {
            Func<float, float> single = Activations.Get(name);
            return x => single((float)x);
        }

        const double SeluAlpha = 1.6732632423543772848170429916717;
        const double SeluScale = 1.0507009873554804934193349852946;
        static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
        static double Softplus(double x) => x > 0 ? x + Math.Log(1.0 + Math.Exp(-x)) : Math.Log(1.0 + Math.Exp(x));
        return Shared.ActivationCatalog.Canonical(name) switch
        {
            "tanh" => Math.Tanh,
            "sigmoid" => Sigmoid,
            "hard_sigmoid" => x => Math.Clamp(x / 6.0 + 0.5, 0.0, 1.0),
            "hard_sigmoid_keras2" => x => Math.Clamp(0.2 * x + 0.5, 0.0, 1.0),
            "relu" => x => Math.Max(x, 0.0),
            "relu6" => x => Math.Clamp(x, 0.0, 6.0),
            "leaky_relu" => x => x >= 0 ? x : 0.2 * x,
            "linear" => x => x,
            "elu" or "celu" => x => x > 0 ? x : Math.Exp(x) - 1.0,
            "selu" => x => SeluScale * (x > 0 ? x : SeluAlpha * (Math.Exp(x) - 1.0)),
            "softplus" => Softplus,
            "softsign" => x => x / (Math.Abs(x) + 1.0),
            "silu" => x => x * Sigmoid(x),
            "hard_silu" => x => x * Math.Clamp(x / 6.0 + 0.5, 0.0, 1.0),
            "mish" => x => x * Math.Tanh(Softplus(x)),
            "log_sigmoid" => x => -Softplus(-x),
            "hard_tanh" => x => Math.Clamp(x, -1.0, 1.0),
            "exponential" => Math.Exp,
            _ => throw new ArgumentException($"'{name}' is not an element-wise Keras activation RnnGen knows.", nameof(name)),
        };
    }
}
