using System;

namespace RnnGen.Training.Tests;

/// <summary>Seed notebook 001's training run: the C# model lands near Keras's 55.21 for [25, 35, 45].</summary>
public class SeedNotebookTests
{
    private static readonly float[] X =
    {
        1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 5, 6, 7, 6, 7, 8, 7, 8, 9, 8, 9, 10, 9, 10, 11, 10, 11, 12,
        20, 30, 40, 30, 40, 50, 40, 50, 60,
    };

    private static readonly float[] Y = { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 50, 60, 70 };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Prediction_for_25_35_45_lands_near_55(int seed)
    {
        var model = new SeedForecaster(seed);
        model.Compile(new Adam(), new MeanSquaredError());
        History history = model.Fit(X, Y, epochs: 1000, batchSize: 1, seed: seed, callbacks: new[] { new EarlyStopping(monitor: "loss", patience: 10) });
        float prediction = model.Predict(new float[] { 25, 35, 45 })[0][0];
        // The band: Keras's own run printed 55.21; the data continue the last windows' step of 10, so 55 is the target.
        // Seeds 0 to 10 of this trainer landed between 51.5 and 60.0 (batch-1 Adam with early stopping on a noisy loss
        // stops at different points), so [48, 62] holds training noise. An untrained model predicts about 13 and one
        // that learned only the mean of y about 20; a wrong gradient that still lowers the loss stops far off too,
        // and the final training loss must also be small (the notebook's data fit to MSE well under 10).
        Assert.InRange(prediction, 48f, 62f);
        Assert.True(history.Loss[^1] < 10, $"final loss {history.Loss[^1]}");
        Assert.Contains("early stopping", history.StopReason);
    }
}
