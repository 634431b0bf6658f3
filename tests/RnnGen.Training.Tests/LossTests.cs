using System;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>Each loss against Keras's formula written out here in float64, and its gradient against finite differences.</summary>
public class LossTests
{
    public static TheoryData<string> Names => new() { "mse", "mae", "huber", "bce", "bce_logits", "cce", "cce_logits", "sparse", "sparse_logits" };

    private static (Loss Loss, float[] Target, float[] Prediction, double Expected) Case(string name)
    {
        float[] probabilities = { 0.2f, 0.5f, 0.3f };
        float[] logits = { 1.5f, -0.4f, 0.3f };
        float[] oneHot = { 0, 1, 0 };
        double logSumExp = Math.Log(logits.Sum(v => Math.Exp(v)));
        return name switch
        {
            "mse" => (new MeanSquaredError(), new float[] { 1, 2, 3 }, new float[] { 1.5f, 1, 4 }, (0.25 + 1 + 1) / 3),
            "mae" => (new MeanAbsoluteError(), new float[] { 1, 2, 3 }, new float[] { 1.5f, 1, 4.25f }, (0.5 + 1 + 1.25) / 3),
            // delta 1: 0.5 e^2 inside, |e| - 0.5 outside
            "huber" => (new Huber(), new float[] { 1, 2, 3 }, new float[] { 1.5f, 0, 4.25f }, (0.125 + 1.5 + 0.75) / 3),
            "bce" => (new BinaryCrossentropy(), new float[] { 1, 0 }, new float[] { 0.8f, 0.3f }, -(Math.Log(0.8f) + Math.Log(1 - 0.3f)) / 2),
            "bce_logits" => (new BinaryCrossentropy(fromLogits: true), new float[] { 1, 0 }, new float[] { 1.2f, -0.4f },
                (Math.Log(1 + Math.Exp(-1.2)) + Math.Log(1 + Math.Exp(-0.4))) / 2),
            "cce" => (new CategoricalCrossentropy(), oneHot, probabilities, -Math.Log(0.5)),
            "cce_logits" => (new CategoricalCrossentropy(fromLogits: true), oneHot, logits, logSumExp - logits[1]),
            "sparse" => (new SparseCategoricalCrossentropy(), new float[] { 1 }, probabilities, -Math.Log(0.5)),
            "sparse_logits" => (new SparseCategoricalCrossentropy(fromLogits: true), new float[] { 1 }, logits, logSumExp - logits[1]),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Loss_is_the_keras_formula_and_its_gradient_the_derivative(string name)
    {
        (Loss loss, float[] target, float[] prediction, double expected) = Case(name);
        var gradient = new float[prediction.Length];
        Assert.Equal(expected, loss.Compute(target, prediction, gradient), 5);
        var scratch = new float[prediction.Length];
        for (int i = 0; i < prediction.Length; i++)
        {
            // float32 loss: step 1e-2 keeps rounding (1e-7 / 2e-2) and truncation (1e-4 relative) under the 2e-3 tolerance.
            float[] plus = (float[])prediction.Clone(), minus = (float[])prediction.Clone();
            plus[i] += 1e-2f;
            minus[i] -= 1e-2f;
            double numeric = (loss.Compute(target, plus, scratch) - loss.Compute(target, minus, scratch)) / ((double)plus[i] - minus[i]);
            Assert.True(Math.Abs(numeric - gradient[i]) < 2e-3 + 1e-2 * Math.Abs(numeric), $"{name}[{i}]: gradient {gradient[i]}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Sparse_target_that_is_not_a_class_index_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Compute(new float[] { 3 }, new float[] { 0.5f, 0.5f }, new float[2]));
        Assert.Contains("not a class index in [0, 1]", error.Message);
    }
}
