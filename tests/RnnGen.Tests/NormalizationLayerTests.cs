using System;
using System.Linq;
using RnnGen.Training;

namespace RnnGen.Tests;

/// <summary>Fresh weights on every timestep (Keras's initializers: gamma and moving_variance ones, beta and moving_mean zeros).</summary>
[Sequential(Timesteps = 3, InputDim = 5)]
[BatchNormalization]
public partial class FreshBatchNormalization;

/// <summary>LayerNormalization of the model input, every option away from its default.</summary>
[Sequential(Timesteps = 2, InputDim = 7)]
[LayerNormalization(Epsilon = 0.25f)]
public partial class InputLayerNormalization;

/// <summary>A forecaster with normalization after the LSTM, as Keras users build them.</summary>
[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(3)]
[LayerNormalization]
[Dense(1)]
public partial class NormalizedForecaster;

/// <summary>Keras's Normalization on three features, as its docstring's examples build it.</summary>
[Sequential(Timesteps = 1, InputDim = 3)]
[Normalization]
public partial class DocstringNormalization;

/// <inheritdoc cref="DocstringNormalization"/>
[Sequential(Timesteps = 1, InputDim = 3)]
[Normalization(Invert = true)]
public partial class DocstringDenormalization;

/// <summary>One feature over three timesteps: the docstring's <c>Normalization(mean=3., variance=2.)</c> example.</summary>
[Sequential(Timesteps = 3, InputDim = 1)]
[Normalization]
public partial class ScalarNormalization;

/// <summary>
/// The normalization layers through the generated API, checked against the Keras formulas written out here (the
/// golden vectors from TensorFlow.js and the Keras files check them against Keras itself).
/// </summary>
public sealed class NormalizationLayerTests
{
    [Fact]
    public void Fresh_BatchNormalization_divides_by_sqrt_of_one_plus_epsilon()
    {
        // gamma 1, beta 0, moving_mean 0, moving_variance 1: y = x / sqrt(1 + 0.001).
        var model = new FreshBatchNormalization(seed: 7);
        float[] input = Enumerable.Range(0, 15).Select(i => MathF.Sin(i) * 3).ToArray();
        float[] output = model.Predict(input)[0];
        for (int i = 0; i < input.Length; i++)
        {
            Assert.Equal(input[i] / Math.Sqrt(1.001), output[i], 5e-6);
        }

        Assert.Equal(new[] { "gamma", "beta", "moving_mean", "moving_variance" }, FreshBatchNormalization.Info.Layers[0].Weights.Select(w => w.Name.Split('/')[^1]));
    }

    [Fact]
    public void LayerNormalization_normalizes_each_timestep_by_its_own_statistics()
    {
        var model = new InputLayerNormalization();
        float[] gamma = { 0.5f, -1f, 2f, 1f, 0f, 1.5f, 3f };
        float[] beta = { 0.1f, 0.2f, -0.3f, 0f, 1f, 0f, -2f };
        model.SetWeights(new[] { gamma, beta });
        float[] input = { 1, 2, 3, 4, 5, 6, 7, -0.5f, 0.25f, 8, -3, 0, 0, 1 };
        float[] output = model.Predict(input)[0];
        for (int t = 0; t < 2; t++)
        {
            double[] x = input.Skip(7 * t).Take(7).Select(v => (double)v).ToArray();
            double mean = x.Average();
            double variance = x.Select(v => (v - mean) * (v - mean)).Average();
            for (int i = 0; i < 7; i++)
            {
                double expected = (x[i] - mean) / Math.Sqrt(variance + 0.25) * gamma[i] + beta[i];
                Assert.Equal(expected, output[7 * t + i], 1e-5);
            }
        }

        Assert.Equal(0.25, InputLayerNormalization.Info.Layers[0].Epsilon, 7);
    }

    [Fact]
    public void Summary_and_parameter_count_follow_Keras()
    {
        // LSTM(3) on 2 features: 4 * 3 * (2 + 3 + 1) = 72; LayerNormalization(3): 6; Dense(1): 4.
        Assert.Equal(82, NormalizedForecaster.ParameterCount);
        Assert.Contains("layer_normalization (LayerNo (None, 3)                 6", NormalizedForecaster.Summary);
        // BatchNormalization(5): 20 parameters, of which the moving statistics (10) are not trained.
        Assert.Contains("Trainable params: 10", FreshBatchNormalization.Summary);
        Assert.Contains("Non-trainable params: 10", FreshBatchNormalization.Summary);
    }

    [Fact]
    public void A_model_with_a_normalization_layer_trains_and_predicts_with_what_it_learned()
    {
        // The gradients themselves are checked in RnnGen.Training.Tests (finite differences and TensorFlow.js); here
        // the user's path: Compile, Fit, Evaluate, Predict on the trained weights.
        var model = new NormalizedForecaster(seed: 1);
        model.Compile(new Adam(learningRate: 0.01f), new MeanSquaredError());
        var random = new Random(4);
        float[] x = Enumerable.Range(0, 32 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = Enumerable.Range(0, 32).Select(b => x[b * 8] + x[b * 8 + 7]).ToArray();
        History history = model.Fit(x, y, epochs: 30, batchSize: 8, shuffle: false);
        Assert.True(history.Loss[^1] < history.Loss[0] / 2, $"loss {history.Loss[0]} -> {history.Loss[^1]}");
        float[] predicted = model.Predict(x)[0];
        double mse = predicted.Select((p, i) => (p - y[i]) * (double)(p - y[i])).Average();
        Assert.Equal(mse, model.Evaluate(x, y), 4);
    }

    // Keras's own examples for Normalization (keras/src/layers/preprocessing/normalization.py, the class docstring):
    // adapt() of [[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]] stores mean [1, 8, 5] and variance [1, 1, 1] (numpy's
    // population variance); Keras prints the outputs below for them.
    private static readonly float[][] s_adapted = { new[] { 1f, 8f, 5f }, new[] { 1f, 1f, 1f }, new[] { 4f } };

    [Fact]
    public void Normalization_gives_the_outputs_of_Keras_docstring_examples()
    {
        var normalize = new DocstringNormalization();
        normalize.SetWeights(s_adapted);
        Assert.Equal(new[] { -1f, -1f, -1f }, normalize.Predict(new[] { 0f, 7f, 4f })[0]);

        var denormalize = new DocstringDenormalization();
        denormalize.SetWeights(s_adapted);
        Assert.Equal(new[] { 2f, 10f, 8f }, denormalize.Predict(new[] { 1f, 2f, 3f })[0]);

        // Normalization(mean=3., variance=2.) on [[1.], [2.], [3.]]: Keras prints -1.4142135, -0.70710677, 0. (float32
        // repr); RnnGen's adapted layer with the same statistics computes the same float32 values.
        var scalar = new ScalarNormalization();
        scalar.SetWeights(new[] { new[] { 3f }, new[] { 2f }, new[] { 0f } });
        Assert.Equal(new[] { -1.4142135f, -0.70710677f, 0f }, scalar.Predict(new[] { 1f, 2f, 3f })[0]);
    }

    [Fact]
    public void Normalization_divides_by_at_least_1e_minus_7_and_starts_as_the_identity()
    {
        // A fresh layer has Keras's initial statistics (mean zeros, variance ones, count zero): the identity. A zero
        // variance divides by backend.epsilon() = 1e-7, not by zero.
        var model = new DocstringNormalization(seed: 1);
        Assert.Equal(new[] { 0.5f, -2f, 3f }, model.Predict(new[] { 0.5f, -2f, 3f })[0]);
        Assert.Equal(new[] { new[] { 0f, 0f, 0f }, new[] { 1f, 1f, 1f }, new[] { 0f } }, model.GetWeights());
        model.SetWeights(new[] { new[] { 1f, 0f, 0f }, new[] { 0f, 4f, 1e-16f }, new[] { 1f } });
        float[] output = model.Predict(new[] { 1f, 3f, 2e-7f })[0];
        Assert.Equal(new[] { 0f, 1.5f, 2e-7f / 1e-7f }, output);
        Assert.Equal(new[] { "mean", "variance", "count" }, DocstringNormalization.Info.Layers[0].Weights.Select(w => w.Name.Split('/')[^1]));
        Assert.Equal(new int[0], DocstringNormalization.Info.Layers[0].Weights[2].Dimensions);
    }
}
