using System;
using System.Collections.Generic;

namespace RnnGen.Training;

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
