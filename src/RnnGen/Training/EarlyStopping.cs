using System;
using System.Collections.Generic;

namespace RnnGen.Training;

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
