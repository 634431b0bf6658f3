using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>The generated training members: what they change, what they refuse and what they allocate.</summary>
public class TrainingApiTests
{
    [Fact]
    public void Fit_before_compile_says_to_compile()
    {
        var model = new Rnn();
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(new float[Rnn.Info.InputLength], new float[Rnn.OutputLength]));
        Assert.Contains("Rnn is not compiled: call Compile(optimizer, loss)", error.Message);
        Assert.Throws<InvalidOperationException>(() => model.TrainOnBatch(new float[Rnn.Info.InputLength], new float[Rnn.OutputLength]));
    }

    [Fact]
    public void Lengths_that_do_not_fit_are_refused_with_the_expected_shape()
    {
        var model = new Rnn();
        model.Compile(new Adam(), new MeanSquaredError());
        float[][] before = model.GetWeights();
        var badX = Assert.Throws<ArgumentException>(() => model.Fit(new float[13], new float[5]));
        Assert.Contains("samples of 4 x 3 = 12 floats", badX.Message);
        var badY = Assert.Throws<ArgumentException>(() => model.TrainOnBatch(new float[24], new float[5]));
        Assert.Contains("x holds 2 sample(s), so y must hold 2 x 5 = 10 floats", badY.Message);
        Assert.Equal(before, model.GetWeights());
    }

    [Fact]
    public void A_sparse_target_that_is_not_a_class_is_refused_before_anything_trains()
    {
        var model = new Classifier(1);
        model.Compile(new Adam(), new SparseCategoricalCrossentropy());
        float[][] before = model.GetWeights();
        float[] x = GradientTests.Random(4 * Classifier.Info.InputLength, 1);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(x, new float[] { 0, 2, 1, 3 }, batchSize: 1, shuffle: false));
        Assert.Contains("Sparse categorical target 3 is not a class index in [0, 2]", error.Message);
        Assert.Equal(before, model.GetWeights());
    }

    [Fact]
    public void Batch_size_zero_is_refused()
    {
        var model = new Rnn();
        model.Compile(new Adam(), new MeanSquaredError());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(new float[12], new float[5], batchSize: 0));
        Assert.Contains("batchSize must be at least 1", error.Message);
    }

    [Fact]
    public void Layers_that_cannot_be_trained_are_refused_at_compile()
    {
        var stateful = Assert.Throws<NotSupportedException>(() => new StatefulModel().Compile(new Adam(), new MeanSquaredError()));
        Assert.Contains("Layer 'gru' is stateful", stateful.Message);
        var model = new StatefulModel();
        float[][] before = model.GetWeights();
        Assert.Throws<NotSupportedException>(() => model.Compile(new Adam(), new MeanSquaredError()));
        Assert.Equal(before, model.GetWeights());
    }

    [Fact]
    public void A_loss_that_is_not_finite_stops_training_and_keeps_the_last_good_epochs_weights()
    {
        // Plain SGD with a huge learning rate on far-away targets diverges within a few epochs.
        var model = new LogitClassifier(2);
        model.Compile(new Sgd(learningRate: 50f), new MeanSquaredError());
        float[] x = GradientTests.Random(8 * LogitClassifier.Info.InputLength, 3);
        float[] y = Enumerable.Repeat(1000f, 8 * LogitClassifier.OutputLength).ToArray();
        var recorder = new List<float[][]>();
        var callback = new Recorder(recorder);
        History history = model.Fit(x, y, epochs: 50, batchSize: 2, shuffle: false, callbacks: new[] { callback });
        Assert.NotNull(history.StopReason);
        Assert.Contains("invalid loss", history.StopReason);
        Assert.True(history.Epoch.Count < 50);
        Assert.All(history.Loss, loss => Assert.True(float.IsFinite(loss)));
        Assert.Equal(recorder[^1], model.GetWeights());
    }

    private sealed class Recorder : Callback
    {
        private readonly List<float[][]> _weights;

        public Recorder(List<float[][]> weights) => _weights = weights;

        public override void OnEpochEnd(int epoch, IDictionary<string, float> logs) => _weights.Add(Trainer!.Model.GetWeights());
    }

    [Fact]
    public void Predict_uses_the_trained_weights()
    {
        var model = new GruResetAfter(4);
        model.Compile(new Adam(learningRate: 0.01f), new MeanSquaredError());
        float[] x = GradientTests.Random(5 * GruResetAfter.Info.InputLength, 8);
        float[] y = GradientTests.Random(5 * GruResetAfter.OutputLength, 9, 0.5);
        float[] before = model.Predict(x)[0];
        float first = model.TrainOnBatch(x, y);
        for (int i = 0; i < 20; i++)
        {
            model.TrainOnBatch(x, y);
        }

        float[] after = model.Predict(x)[0];
        Assert.NotEqual(before, after);
        double predictLoss = after.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Average();
        Assert.Equal(predictLoss, model.Evaluate(x, y), 4);
        Assert.True(predictLoss < first, $"loss went from {first} to {predictLoss}");
    }

    [Fact]
    public void Compute_gradients_leaves_the_weights_alone_and_train_on_batch_moves_them_by_the_sgd_rule()
    {
        var model = new Lstm(3);
        model.Compile(new Sgd(learningRate: 0.1f), new MeanSquaredError());
        float[] x = GradientTests.Random(2 * Lstm.Info.InputLength, 4);
        float[] y = GradientTests.Random(2 * Lstm.OutputLength, 5);
        float[][] weights = model.GetWeights();
        float[][] gradients = model.ComputeGradients(x, y);
        Assert.Equal(weights, model.GetWeights());
        model.TrainOnBatch(x, y);
        float[][] after = model.GetWeights();
        for (int a = 0; a < weights.Length; a++)
        {
            for (int i = 0; i < weights[a].Length; i++)
            {
                Assert.Equal(weights[a][i] - 0.1f * gradients[a][i], after[a][i], 6);
            }
        }
    }

    [Fact]
    public void Fit_logs_keras_style_lines_metrics_and_validation()
    {
        var model = new SeedForecaster(1);
        model.Compile(new Adam(), new MeanSquaredError(), Metric.Mae);
        float[] x = GradientTests.Random(10 * SeedForecaster.Info.InputLength, 1);
        float[] y = GradientTests.Random(10, 2);
        var lines = new List<EpochLog>();
        History history = model.Fit(x, y, epochs: 3, batchSize: 4, validationSplit: 0.2, seed: 3, progress: new Collect(lines));
        Assert.Equal(new[] { "loss", "mae", "val_loss", "val_mae" }, history.Keys);
        Assert.Equal(3, history.Loss.Count);
        Assert.Matches(@"^Epoch 3/3 - loss: \d+\.\d{4} - mae: \d+\.\d{4} - val_loss: \d+\.\d{4} - val_mae: \d+\.\d{4}$", lines[^1].ToString());
        // keras train_validation_split: the last 2 of 10 samples validate; val_loss is their loss after the last epoch.
        Assert.Equal(model.Evaluate(x.AsSpan(8 * 3).ToArray(), y.AsSpan(8).ToArray()), history["val_loss"][^1], 5);
        var missing = Assert.Throws<KeyNotFoundException>(() => history["accuracy"]);
        Assert.Contains("loss, mae, val_loss, val_mae", missing.Message);
    }

    private sealed class Collect : IProgress<EpochLog>
    {
        private readonly List<EpochLog> _lines;

        public Collect(List<EpochLog> lines) => _lines = lines;

        public void Report(EpochLog value) => _lines.Add(value);
    }

    [Fact]
    public void The_same_seed_trains_the_same_way()
    {
        History Run()
        {
            var model = new SequenceTagger(2);
            model.Compile(new RmsProp(), new CategoricalCrossentropy(), Metric.Accuracy);
            float[] x = GradientTests.Random(12 * SequenceTagger.Info.InputLength, 4);
            float[] y = Enumerable.Range(0, 12 * SequenceTagger.Timesteps).SelectMany(r => Enumerable.Range(0, 4).Select(k => k == r % 4 ? 1f : 0f)).ToArray();
            return model.Fit(x, y, epochs: 3, batchSize: 5, seed: 42);
        }

        History first = Run(), second = Run();
        Assert.Equal(first.Loss, second.Loss);
        Assert.Equal(first["accuracy"], second["accuracy"]);
    }

    [Theory]
    [InlineData(nameof(SeedForecaster), 1)]
    [InlineData(nameof(SequenceTagger), 4)]
    [InlineData(nameof(RecurrentDropoutStack), 3)]
    [InlineData(nameof(BiMulSequences), 2)]
    [InlineData(nameof(GruResetBefore), 5)]
    [InlineData(nameof(FullRecurrentDropoutStack), 3)]
    [InlineData(nameof(NormalizedAveragePool), 3)]
    [InlineData(nameof(NormalizedMaxPool), 2)]
    [InlineData(nameof(GoldenEmbeddedTokens), 3)] // random values in (-1, 1) are token 0 (truncation, as Keras's int32 cast)
    public void Train_on_batch_allocates_nothing_once_warm(string name, int batch)
    {
        IRnnModel model = GradientTests.Create(name, 1);
        GradientTests.Compile(model, new Adam(clipnorm: 1f), new MeanSquaredError());
        Trainer trainer = GradientTests.TrainerOf(model);
        float[] x = GradientTests.Random(batch * model.Info.InputLength, 1);
        float[] y = GradientTests.Random(batch * model.Info.Outputs[0].Length, 2);
        trainer.TrainOnBatch(x, y);
        trainer.TrainOnBatch(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            trainer.TrainOnBatch(x, y);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
