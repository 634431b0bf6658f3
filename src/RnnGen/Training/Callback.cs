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
