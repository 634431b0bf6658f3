using System;
using System.Collections.Generic;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>ModelCheckpoint</c>: at each epoch end, saves the weights (every epoch, or with <c>saveBestOnly</c> only
/// when the monitored value improves) in the format the path's extension names (<c>.weights.h5</c>, <c>.keras</c>,
/// <c>.npz</c>) or through the constructor's <c>save</c> function. The path may hold <c>{epoch}</c>, replaced by
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
    /// <param name="save">
    /// How to write the weights; by default chosen by the path's extension, as Keras 3 chooses: <c>.weights.h5</c> and
    /// <c>.keras</c> through <see cref="KerasWeights.Save(IRnnModel, string)"/> (Keras's <c>model.load_weights</c> and
    /// <c>keras.saving.load_model</c> read them), <c>.npz</c> through <see cref="KerasWeights.SaveNpz(IRnnModel, string)"/>
    /// (NumPy's <c>.npz</c> of <c>model.get_weights()</c>, which Keras reads back with
    /// <c>model.set_weights(list(np.load(path).values()))</c>).
    /// </param>
    /// <exception cref="ArgumentException">No <paramref name="save"/> is given and the path ends in none of those extensions (Keras 3 refuses them too).</exception>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false, string mode = "auto", Action<IRnnModel, string>? save = null)
    {
        CheckMode(mode);
        Filepath = filepath ?? throw new ArgumentNullException(nameof(filepath));
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        Mode = mode;
        _save = save ?? DefaultSave(filepath);
    }

    // keras ModelCheckpoint: save_weights_only wants a path ending in .weights.h5, a whole model .keras; RnnGen also writes NumPy's .npz.
    private static Action<IRnnModel, string> DefaultSave(string filepath) =>
        filepath.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase) || filepath.EndsWith(".keras", StringComparison.OrdinalIgnoreCase) ? KerasWeights.Save
        : filepath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? KerasWeights.SaveNpz
        : throw new ArgumentException(
            $"ModelCheckpoint cannot tell how to save '{filepath}': end the path in .weights.h5 (Keras's model.load_weights reads it), " +
            ".keras (keras.saving.load_model) or .npz (numpy.load), or pass a save function.",
            nameof(filepath));

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
