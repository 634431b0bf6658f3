using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using RnnGen.Reference;
using RnnGen.Shared;
using RnnGen.Testing;

namespace RnnGen.Numerics.Tests.Properties;

/// <summary>
/// Every activation at NaN and at +-infinity, in the three places RnnGen computes it: the scalar formulas
/// (<see cref="Activations"/>), the reference model (float32 and float64), and the generated SIMD kernels (a recurrent
/// layer, a narrow Dense layer that takes one dot product per output, and a wide one that broadcasts). The expected
/// values are the Keras formulas (keras/src/activations/activations.py) evaluated in IEEE double arithmetic, written
/// out here independently of RnnGen: NaN propagates, as in Keras and TensorFlow, and an infinity gives what the formula
/// gives (silu(-inf) = -inf * sigmoid(-inf) = -inf * 0 = NaN, softsign(inf) = inf / inf = NaN).
/// </summary>
public class NonFiniteActivationTests
{
    private const double SeluAlpha = 1.6732632423543772848170429916717;
    private const double SeluScale = 1.0507009873554804934193349852946;

    private static readonly double[] s_inputs = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -2.5, 3.0 };

    private static readonly Lazy<Assembly> s_models = new(CompileModels);

    private static readonly string[] s_elementWise = ActivationCatalog.Names.Where(n => n != "softmax" && ActivationCatalog.Canonical(n) == n).ToArray();

    public static TheoryData<string> ElementWise => new(s_elementWise);

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static double Softplus(double x) => Math.Log(1.0 + Math.Exp(x));

    private static double Relu6(double x) => Math.Min(Math.Max(x, 0.0), 6.0);

    // Keras 3's definitions, in double: NaN propagates through every IEEE operation and through Math.Max/Min.
    private static double Keras(string activation, double x) => activation switch
    {
        "tanh" => Math.Tanh(x),
        "sigmoid" => Sigmoid(x),
        "hard_sigmoid" => Relu6(x + 3.0) / 6.0,
        "hard_sigmoid_keras2" => Math.Min(Math.Max(0.2 * x + 0.5, 0.0), 1.0),
        "relu" => Math.Max(x, 0.0),
        "relu6" => Relu6(x),
        "leaky_relu" => Math.Max(x, 0.2 * x), // tf.nn.leaky_relu for alpha < 1
        "linear" => x,
        "elu" => x > 0 ? x : Math.Exp(x) - 1.0,
        "selu" => SeluScale * (x > 0 ? x : SeluAlpha * (Math.Exp(x) - 1.0)),
        "celu" => Math.Max(0.0, x) + Math.Min(0.0, Math.Exp(x) - 1.0),
        "softplus" => double.IsPositiveInfinity(x) ? x : Softplus(x), // log(1 + exp(inf)) = inf
        "softsign" => x / (Math.Abs(x) + 1.0),
        "silu" => x * Sigmoid(x),
        "hard_silu" => x * Relu6(x + 3.0) / 6.0,
        "mish" => x * Math.Tanh(double.IsPositiveInfinity(x) ? x : Softplus(x)),
        "log_sigmoid" => -(double.IsPositiveInfinity(-x) ? -x : Softplus(-x)),
        "hard_tanh" => Math.Min(Math.Max(x, -1.0), 1.0),
        "exponential" => Math.Exp(x),
        _ => throw new ArgumentException("no formula for " + activation),
    };

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void Scalar_formula_reference_and_kernels_agree_with_Keras_at_NaN_and_infinities(string activation)
    {
        var failures = new List<string>();
        Func<float, float> scalar = Activations.Get(activation);
        foreach (double x in s_inputs)
        {
            double expected = Keras(activation, x);
            Check(failures, $"Activations.Get(\"{activation}\")", x, expected, scalar((float)x));

            foreach (string model in new[] { "Recurrent", "Rows", "Broadcast" })
            {
                IRnnModel generated = Create(model, activation);
                float[][] outputs = generated.Predict(new[] { (float)x });
                foreach (float value in outputs[0])
                {
                    Check(failures, $"generated {model} kernel", x, expected, value);
                }

                foreach (ReferencePrecision precision in new[] { ReferencePrecision.Float32, ReferencePrecision.Float64 })
                {
                    var reference = new ReferenceModel(generated.Info, generated.GetWeights(), precision);
                    foreach (float value in reference.Predict(new[] { (float)x })[0])
                    {
                        Check(failures, $"reference {model} ({precision})", x, expected, value);
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Relu_of_NaN_is_NaN_and_of_negative_zero_is_positive_zero_everywhere()
    {
        // The case the fuzzing found: the kernels kept NaN while the scalar relu and the reference turned it into 0.
        Assert.True(float.IsNaN(Activations.Relu(float.NaN)));
        Assert.Equal(0f, Activations.Relu(-0f));
        Assert.False(float.IsNegative(Activations.Relu(-0f)));
        Assert.True(float.IsNaN(Create("Recurrent", "relu").Predict(new[] { float.NaN })[0][0]));
    }

    private static void Check(List<string> failures, string where, double x, double expected, float actual)
    {
        bool ok = double.IsNaN(expected) ? float.IsNaN(actual)
            : double.IsInfinity(expected) ? actual == expected
            : !float.IsNaN(actual) && Math.Abs(actual - expected) <= 1e-5 * Math.Max(1.0, Math.Abs(expected));
        if (!ok)
        {
            failures.Add($"{where} at {x}: {actual}, expected {expected}");
        }
    }

    private static IRnnModel Create(string shape, string activation)
    {
        Type type = s_models.Value.GetType($"Cases.{shape}_{ClassSuffix(activation)}", throwOnError: true)!;
        var model = (IRnnModel)Activator.CreateInstance(type)!;

        // Weights that make each output act(x): kernels of ones, recurrent kernel and biases of zeros, so that over one
        // timestep from a zero state no infinity meets a zero in a product.
        model.SetWeights(model.Info.Weights.Select(w => Enumerable.Repeat(w.Name.EndsWith("/kernel", StringComparison.Ordinal) ? 1f : 0f, w.Length).ToArray()).ToArray());
        return model;
    }

    private static string ClassSuffix(string activation) => activation.Replace('_', 'X');

    private static Assembly CompileModels()
    {
        var source = new StringBuilder("using RnnGen;\nnamespace Cases;\n");
        foreach (string activation in s_elementWise)
        {
            string suffix = ClassSuffix(activation);
            // Units 9: more than one vector block on every width. Dense(2) takes the one-dot-product-per-output path,
            // Dense(9) the broadcast one.
            source.Append($"[SimpleRnn(9, Timesteps = 1, InputDim = 1, Activation = \"{activation}\")] public partial class Recurrent_{suffix};\n");
            source.Append($"[Sequential(Timesteps = 1, InputDim = 1)] [Dense(2, Activation = \"{activation}\")] public partial class Rows_{suffix};\n");
            source.Append($"[Sequential(Timesteps = 1, InputDim = 1)] [Dense(9, Activation = \"{activation}\")] public partial class Broadcast_{suffix};\n");
        }

        GeneratorRun run = CompilationHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        return run.Load();
    }
}
