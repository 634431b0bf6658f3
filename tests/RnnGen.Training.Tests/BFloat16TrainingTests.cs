using System;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>
/// Training a <c>WeightPrecision.BFloat16</c> model: the trainer updates the float32 weights, and the next inference
/// call repacks them rounded to bfloat16, so the model predicts exactly what a float32 model given its reported
/// (rounded) weights predicts.
/// </summary>
public class BFloat16TrainingTests
{
    [Fact]
    public void After_training_the_model_predicts_with_its_trained_weights_rounded()
    {
        var model = new SeedForecasterBFloat16();
        model.Compile(new Adam(learningRate: 0.01f), new MeanSquaredError());
        float[][] before = model.GetWeights();
        float[] x = { 1, 2, 3, 2, 3, 4, 3, 4, 5 }, y = { 4, 5, 6 };
        for (int step = 0; step < 3; step++)
        {
            model.TrainOnBatch(x, y);
        }

        float[][] after = model.GetWeights();
        Assert.Contains(Enumerable.Range(0, after.Length), i => !after[i].SequenceEqual(before[i])); // training happened

        // The LSTM's kernel and recurrent kernel (the first two arrays) come back as bfloat16 values; the rest as trained.
        foreach (float w in after[0].Concat(after[1]))
        {
            Assert.Equal(0u, BitConverter.SingleToUInt32Bits(w) & 0xFFFFu);
        }

        var reference = new SeedForecaster();
        reference.SetWeights(after);
        float[] input = GradientTests.Random(9 * SeedForecaster.Info.InputLength, 21);
        Assert.Equal(reference.Predict(input)[0], model.Predict(input)[0]);
    }
}

// Models.cs's SeedForecaster with its LSTM kernels stored as bfloat16.
[Sequential(Timesteps = 3, InputDim = 1, WeightPrecision = WeightPrecision.BFloat16)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class SeedForecasterBFloat16;
