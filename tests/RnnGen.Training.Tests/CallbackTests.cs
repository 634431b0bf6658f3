using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>
/// Callbacks against Keras's rules. A scripted callback placed first overwrites the monitored value at each epoch end,
/// so the expected stopping epoch can be worked out by hand from keras/src/callbacks/early_stopping.py (the comments
/// show the working).
/// </summary>
public class CallbackTests
{
    private sealed class Scripted : Callback
    {
        private readonly string _key;
        private readonly float[] _values;

        public Scripted(string key, params float[] values)
        {
            _key = key;
            _values = values;
        }

        public override void OnEpochEnd(int epoch, IDictionary<string, float> logs) => logs[_key] = _values[epoch];
    }

    private sealed class WeightRecorder : Callback
    {
        public List<float[][]> Weights { get; } = new();

        public override void OnEpochEnd(int epoch, IDictionary<string, float> logs) => Weights.Add(Trainer!.Model.GetWeights());
    }

    private static (Rnn Model, float[] X, float[] Y) Data()
    {
        var model = new Rnn(1);
        model.Compile(new Sgd(learningRate: 0.05f), new MeanSquaredError());
        return (model, GradientTests.Random(6 * Rnn.Info.InputLength, 1), GradientTests.Random(6 * Rnn.OutputLength, 2, 0.5));
    }

    private static (History History, EarlyStopping Callback) RunEarlyStopping(EarlyStopping earlyStopping, params float[] losses)
    {
        (Rnn model, float[] x, float[] y) = Data();
        History history = model.Fit(x, y, epochs: losses.Length, batchSize: 2, callbacks: new Callback[] { new Scripted("loss", losses), earlyStopping }, seed: 1);
        return (history, earlyStopping);
    }

    [Fact]
    public void Early_stopping_stops_when_wait_reaches_patience()
    {
        // e0: 5 < inf, best 5, wait 0. e1: 4 < 5, wait 0. e2: 4.5, wait 1. e3: 4.2, wait 2 >= 2: stop at epoch 3.
        (History history, EarlyStopping es) = RunEarlyStopping(new EarlyStopping(monitor: "loss", patience: 2), 5, 4, 4.5f, 4.2f, 3.9f, 3, 2, 1);
        Assert.Equal(3, es.StoppedEpoch);
        Assert.Equal(new[] { 0, 1, 2, 3 }, history.Epoch);
        Assert.Contains("early stopping", history.StopReason);
    }

    [Fact]
    public void Early_stopping_min_delta_is_the_margin_an_improvement_needs()
    {
        // minDelta 0.5: e0 best 5. e1: 4.8 + 0.5 < 5 fails, wait 1. e2: 4.6 + 0.5 < 5 fails, wait 2: stop at epoch 2.
        (_, EarlyStopping es) = RunEarlyStopping(new EarlyStopping(monitor: "loss", minDelta: 0.5f, patience: 2), 5, 4.8f, 4.6f, 3, 2);
        Assert.Equal(2, es.StoppedEpoch);
    }

    [Fact]
    public void Early_stopping_ignores_epochs_before_start_from_epoch()
    {
        // e0-e2 skipped. e3: 8 < inf, wait 0. e4: 9, wait 1 >= 0: stop at epoch 4.
        (History history, EarlyStopping es) = RunEarlyStopping(new EarlyStopping(monitor: "loss", patience: 0, startFromEpoch: 3), 5, 6, 7, 8, 9, 10);
        Assert.Equal(4, es.StoppedEpoch);
        Assert.Equal(5, history.Epoch.Count);
    }

    [Fact]
    public void Early_stopping_baseline_keeps_wait_running_until_beaten()
    {
        // baseline 2: e0: wait 1, 5 improves on inf (best 5) but not on 2, so wait stays 1. e1: wait 2, 6 no
        // improvement, 2 >= 1 and epoch > 0: stop at epoch 1.
        (_, EarlyStopping es) = RunEarlyStopping(new EarlyStopping(monitor: "loss", patience: 1, baseline: 2f), 5, 6, 7, 1);
        Assert.Equal(1, es.StoppedEpoch);
    }

    [Fact]
    public void Early_stopping_max_mode_and_zero_patience()
    {
        // mode max: e0 0.5 best. e1 0.4: wait 1 >= 0: stop at epoch 1.
        (_, EarlyStopping es) = RunEarlyStopping(new EarlyStopping(monitor: "loss", mode: "max"), 0.5f, 0.4f, 0.6f);
        Assert.Equal(1, es.StoppedEpoch);
    }

    [Fact]
    public void Early_stopping_restores_the_best_epochs_weights()
    {
        // e0 5 best, e1 3 best, e2 4 wait 1, e3 4.5 wait 2: stop; the weights of the end of epoch 1 come back.
        (Rnn model, float[] x, float[] y) = Data();
        var recorder = new WeightRecorder();
        var es = new EarlyStopping(monitor: "loss", patience: 2, restoreBestWeights: true);
        model.Fit(x, y, epochs: 10, batchSize: 2, seed: 1, callbacks: new Callback[] { new Scripted("loss", 5, 3, 4, 4.5f, 1, 1, 1, 1, 1, 1), recorder, es });
        Assert.Equal(3, es.StoppedEpoch);
        Assert.Equal(1, es.BestEpoch);
        Assert.Equal(recorder.Weights[1], model.GetWeights());
        Assert.NotEqual(recorder.Weights[3], model.GetWeights());
    }

    [Fact]
    public void Early_stopping_on_an_unknown_metric_in_auto_mode_says_so()
    {
        (Rnn model, float[] x, float[] y) = Data();
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, epochs: 2, callbacks: new[] { new EarlyStopping(monitor: "val_f1") }));
        Assert.Contains("cannot tell whether it should be maximized or minimized", error.Message);
    }

    [Fact]
    public void Reduce_lr_on_plateau_follows_keras()
    {
        // lr 0.1, patience 2, factor 0.5, cooldown 1, flat loss: e0 best. e1 wait 1. e2 wait 2: lr 0.05, cooldown 1.
        // e3 cooldown counts down to 0 and resets wait, then wait 1. e4 wait 2: lr 0.025. e5 cooldown, wait 1.
        // learning_rate is logged before the epoch's change.
        (Rnn model, float[] x, float[] y) = Data();
        model.Compile(new Sgd(learningRate: 0.1f), new MeanSquaredError());
        var reduce = new ReduceLROnPlateau(monitor: "loss", factor: 0.5f, patience: 2, cooldown: 1);
        History history = model.Fit(x, y, epochs: 6, batchSize: 3, callbacks: new Callback[] { new Scripted("loss", 1, 1, 1, 1, 1, 1), reduce });
        Assert.Equal(new[] { 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.025f }, history["learning_rate"]);
        Assert.Equal(0.025f, model.Trainer.Optimizer.LearningRate);
    }

    [Theory]
    [InlineData("best.npz")]
    [InlineData("best.weights.h5")]
    [InlineData("best.keras")]
    public void Model_checkpoint_saves_the_best_weights_to_a_file_the_model_loads(string file)
    {
        // The extension picks the format, as in Keras 3 (the .weights.h5 and .keras layouts are checked against Keras's own
        // files in the formats tests); the best epoch's weights must come back from each.
        string directory = Path.Combine(Path.GetTempPath(), "rnngen-checkpoint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            (Rnn model, float[] x, float[] y) = Data();
            var recorder = new WeightRecorder();
            string path = Path.Combine(directory, file);
            var checkpoint = new ModelCheckpoint(path, monitor: "loss", saveBestOnly: true);
            model.Fit(x, y, epochs: 4, batchSize: 2, seed: 1, callbacks: new Callback[] { new Scripted("loss", 3, 2, 2.5f, 4), recorder, checkpoint });
            var loaded = new Rnn(99);
            loaded.LoadWeights(path);
            Assert.Equal(recorder.Weights[1], loaded.GetWeights());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Model_checkpoint_refuses_a_path_whose_format_it_cannot_tell()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelCheckpoint("best.h5", monitor: "loss"));
        Assert.Contains("'best.h5'", error.Message);
        Assert.Contains(".weights.h5", error.Message);
        Assert.Equal("filepath", error.ParamName);
        _ = new ModelCheckpoint("best.h5", monitor: "loss", save: (model, path) => { }); // a save function decides for itself
    }
}
