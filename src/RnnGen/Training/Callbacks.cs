using System;
using System.Collections.Generic;

namespace RnnGen.Training;

/// <summary>
/// A Keras callback: <c>Fit</c> calls it at the start and end of training and of every epoch with the epoch's logs.
/// <see cref="Trainer"/> is the compiled model's trainer during <c>Fit</c> (Keras's <c>self.model</c>): its weights,
/// optimizer and <see cref="Training.Trainer.StopTraining"/>.
/// </summary>
public abstract class Callback
{
    /// <summary>The trainer running <c>Fit</c>; set before <see cref="OnTrainBegin"/>.</summary>
    public Trainer? Trainer { get; internal set; }

    /// <summary>Keras <c>on_train_begin</c>.</summary>
    public virtual void OnTrainBegin()
    {
    }

    /// <summary>Keras <c>on_epoch_begin</c>; <paramref name="epoch"/> counts from 0.</summary>
    public virtual void OnEpochBegin(int epoch)
    {
    }

    /// <summary>Keras <c>on_epoch_end</c>: <paramref name="logs"/> holds the epoch's loss, metrics and validation values; a callback may add to it.</summary>
    public virtual void OnEpochEnd(int epoch, IDictionary<string, float> logs)
    {
    }

    /// <summary>Keras <c>on_train_end</c>.</summary>
    public virtual void OnTrainEnd()
    {
    }

    /// <summary>The trainer, or a clear error when the callback is used outside <c>Fit</c>.</summary>
    protected Trainer RequireTrainer() => Trainer ?? throw new InvalidOperationException($"{GetType().Name} is used outside Fit: it has no model.");

    /// <summary>Whether <paramref name="monitor"/> improves upward under Keras's <c>mode="auto"</c> rule, or <see langword="null"/> if it cannot tell.</summary>
    internal static bool? AutoHigherIsBetter(string monitor, Trainer trainer)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor.Substring(4) : monitor;
        if (name == "loss")
        {
            return false;
        }

        foreach (Metric metric in trainer.Metrics)
        {
            if (metric.Name == name)
            {
                return metric.HigherIsBetter;
            }
        }

        return null;
    }

    internal static void CheckMode(string mode)
    {
        if (mode is not ("auto" or "min" or "max"))
        {
            throw new ArgumentException($"mode must be \"auto\", \"min\" or \"max\", not \"{mode}\".", nameof(mode));
        }
    }
}

/// <summary>
/// Keras <c>EarlyStopping</c>, rule for rule (<c>keras/src/callbacks/early_stopping.py</c>): at each epoch end from
/// <c>startFromEpoch</c> on, <c>wait</c> grows by one and resets to 0 on an improvement (better than the best by more
/// than <c>minDelta</c>, and than <c>baseline</c> if given); training stops when <c>wait &gt;= patience</c> after the
/// first epoch. With <c>restoreBestWeights</c> the best epoch's weights are put back at the end.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private bool? _higherIsBetter;
    private float _best;
    private float[][]? _bestWeights;

    /// <summary>Creates the callback with Keras's defaults.</summary>
    public EarlyStopping(string monitor = "val_loss", float minDelta = 0f, int patience = 0, int verbose = 0, string mode = "auto", float? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        CheckMode(mode);
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        MinDelta = Math.Abs(minDelta);
        Patience = patience;
        Verbose = verbose;
        Mode = mode;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
    }

    /// <summary>Keras <c>monitor</c>.</summary>
    public string Monitor { get; }

    /// <summary>Keras <c>min_delta</c> (its absolute value).</summary>
    public float MinDelta { get; }

    /// <summary>Keras <c>patience</c>.</summary>
    public int Patience { get; }

    /// <summary>Keras <c>verbose</c>: above 0, prints when it stops and restores.</summary>
    public int Verbose { get; }

    /// <summary>Keras <c>mode</c>.</summary>
    public string Mode { get; }

    /// <summary>Keras <c>baseline</c>.</summary>
    public float? Baseline { get; }

    /// <summary>Keras <c>restore_best_weights</c>.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Keras <c>start_from_epoch</c>.</summary>
    public int StartFromEpoch { get; }

    /// <summary>Keras <c>wait</c>: epochs since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <summary>Keras <c>stopped_epoch</c>: the 0-based epoch at which it stopped training, 0 if it did not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>Keras <c>best_epoch</c>.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        Wait = 0;
        StoppedEpoch = 0;
        _bestWeights = null;
        BestEpoch = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, float> logs)
    {
        Trainer trainer = RequireTrainer();
        if (_higherIsBetter is null)
        {
            // keras _set_monitor_op, run once at the first epoch end; best starts at +-inf there.
            _higherIsBetter = Mode switch
            {
                "min" => false,
                "max" => true,
                _ => AutoHigherIsBetter(Monitor, trainer) ?? throw new InvalidOperationException(
                    $"EarlyStopping received monitor={Monitor} but cannot tell whether it should be maximized or minimized; pass mode: \"max\" or \"min\"."),
            };
            _best = _higherIsBetter.Value ? float.NegativeInfinity : float.PositiveInfinity;
        }

        if (!logs.TryGetValue(Monitor, out float current) || epoch < StartFromEpoch)
        {
            return;
        }

        if (RestoreBestWeights && _bestWeights is null)
        {
            _bestWeights = trainer.Model.GetWeights();
            BestEpoch = epoch;
        }

        Wait++;
        if (IsImprovement(current, _best))
        {
            _best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights)
            {
                _bestWeights = trainer.Model.GetWeights();
            }

            if (Baseline is null || IsImprovement(current, Baseline.Value))
            {
                Wait = 0;
            }

            return;
        }

        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            trainer.StopTraining = true;
            trainer.StopReason = $"Epoch {epoch + 1}: early stopping ({Monitor} did not improve for {Wait} epoch(s))";
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd()
    {
        Trainer trainer = RequireTrainer();
        if (StoppedEpoch > 0 && Verbose > 0)
        {
            trainer.Write($"Epoch {StoppedEpoch + 1}: early stopping");
        }

        if (RestoreBestWeights && _bestWeights is not null)
        {
            if (Verbose > 0)
            {
                trainer.Write($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
            }

            trainer.Model.SetWeights(_bestWeights);
        }
    }

    // keras: monitor_op(current - min_delta, reference), min_delta negated when lower is better.
    private bool IsImprovement(float current, float reference) =>
        _higherIsBetter == true ? current - MinDelta > reference : current + MinDelta < reference;
}

/// <summary>
/// Keras <c>ReduceLROnPlateau</c> (<c>keras/src/callbacks/reduce_lr_on_plateau.py</c>): when the monitored value
/// has not improved by <c>minDelta</c> for <c>patience</c> epochs, the learning rate is multiplied by <c>factor</c>
/// (not below <c>minLr</c>), then <c>cooldown</c> epochs pass before counting again. Logs <c>learning_rate</c>.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private readonly bool _explicitMax;
    private bool? _higherIsBetter;
    private float _best;
    private int _wait;
    private int _cooldownCounter;

    /// <summary>Creates the callback with Keras's defaults.</summary>
    public ReduceLROnPlateau(string monitor = "val_loss", float factor = 0.1f, int patience = 10, int verbose = 0, string mode = "auto", float minDelta = 1e-4f, int cooldown = 0, float minLr = 0f)
    {
        CheckMode(mode);
        if (!(factor < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau does not support a factor >= 1.0 (Keras's check).");
        }

        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        Factor = factor;
        Patience = patience;
        Verbose = verbose;
        MinDelta = minDelta;
        Cooldown = cooldown;
        MinLr = minLr;
        // keras _reset: "min", "max", or auto: max when the monitor's name contains "acc", else min.
        _explicitMax = mode == "max" || (mode == "auto" && monitor.Contains("acc", StringComparison.Ordinal));
    }

    /// <summary>Keras <c>monitor</c>.</summary>
    public string Monitor { get; }

    /// <summary>Keras <c>factor</c>.</summary>
    public float Factor { get; }

    /// <summary>Keras <c>patience</c>.</summary>
    public int Patience { get; }

    /// <summary>Keras <c>verbose</c>.</summary>
    public int Verbose { get; }

    /// <summary>Keras <c>min_delta</c>.</summary>
    public float MinDelta { get; }

    /// <summary>Keras <c>cooldown</c>.</summary>
    public int Cooldown { get; }

    /// <summary>Keras <c>min_lr</c>.</summary>
    public float MinLr { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _higherIsBetter = _explicitMax;
        _best = _explicitMax ? float.NegativeInfinity : float.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, float> logs)
    {
        Trainer trainer = RequireTrainer();
        Optimizer optimizer = trainer.Optimizer;
        logs["learning_rate"] = optimizer.LearningRate;
        if (!logs.TryGetValue(Monitor, out float current))
        {
            return;
        }

        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _wait = 0;
        }

        bool improved = _higherIsBetter == true ? current > _best + MinDelta : current < _best - MinDelta;
        if (improved)
        {
            _best = current;
            _wait = 0;
        }
        else if (_cooldownCounter <= 0)
        {
            _wait++;
            if (_wait >= Patience)
            {
                float old = optimizer.LearningRate;
                if (old > MinLr)
                {
                    float next = Math.Max(old * Factor, MinLr);
                    optimizer.LearningRate = next;
                    if (Verbose > 0)
                    {
                        trainer.Write($"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {next}.");
                    }

                    _cooldownCounter = Cooldown;
                    _wait = 0;
                }
            }
        }
    }
}

/// <summary>
/// Keras <c>ModelCheckpoint</c>: at each epoch end, saves the weights (every epoch, or with <c>saveBestOnly</c> only
/// when the monitored value improves) through the constructor's <c>save</c> function. The path may hold <c>{epoch}</c>, replaced by
/// the 1-based epoch as Keras formats it.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly Action<IRnnModel, string> _save;
    private bool? _higherIsBetter;
    private float _best = float.NaN;

    /// <summary>Creates the callback.</summary>
    /// <param name="filepath">Where to save; <c>{epoch}</c> is replaced by the epoch number.</param>
    /// <param name="monitor">Keras <c>monitor</c>.</param>
    /// <param name="verbose">Above 0, prints each save.</param>
    /// <param name="saveBestOnly">Keras <c>save_best_only</c>.</param>
    /// <param name="mode">Keras <c>mode</c>.</param>
    /// <param name="save">How to write the weights; by default <see cref="KerasWeights.SaveNpz(IRnnModel, string)"/> (NumPy <c>.npz</c> of
    /// <c>model.get_weights()</c>, which Keras reads back with <c>model.set_weights(list(np.load(path).values()))</c>).</param>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false, string mode = "auto", Action<IRnnModel, string>? save = null)
    {
        CheckMode(mode);
        Filepath = filepath ?? throw new ArgumentNullException(nameof(filepath));
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        Mode = mode;
        _save = save ?? KerasWeights.SaveNpz;
    }

    /// <summary>Keras <c>filepath</c>.</summary>
    public string Filepath { get; }

    /// <summary>Keras <c>monitor</c>.</summary>
    public string Monitor { get; }

    /// <summary>Keras <c>verbose</c>.</summary>
    public int Verbose { get; }

    /// <summary>Keras <c>save_best_only</c>.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Keras <c>mode</c>.</summary>
    public string Mode { get; }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, float> logs)
    {
        Trainer trainer = RequireTrainer();
        string path = Filepath.Replace("{epoch}", (epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (!SaveBestOnly)
        {
            _save(trainer.Model, path);
            return;
        }

        _higherIsBetter ??= Mode switch
        {
            "min" => false,
            "max" => true,
            _ => AutoHigherIsBetter(Monitor, trainer) ?? Monitor.Contains("acc", StringComparison.Ordinal),
        };
        if (float.IsNaN(_best))
        {
            _best = _higherIsBetter.Value ? float.NegativeInfinity : float.PositiveInfinity;
        }

        if (!logs.TryGetValue(Monitor, out float current))
        {
            return;
        }

        if (_higherIsBetter.Value ? current > _best : current < _best)
        {
            if (Verbose > 0)
            {
                trainer.Write($"Epoch {epoch + 1}: {Monitor} improved from {EpochLog.Format(_best)} to {EpochLog.Format(current)}, saving model to {path}");
            }

            _best = current;
            _save(trainer.Model, path);
        }
    }
}
