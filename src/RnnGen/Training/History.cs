using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Training;

/// <summary>
/// What <c>Fit</c> returns, as Keras's <c>History</c>: per epoch, the value of every logged quantity
/// (<c>loss</c>, metrics, <c>val_loss</c>, <c>val_</c> metrics, <c>learning_rate</c> when a callback changes it).
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<float>> _values = new(StringComparer.Ordinal);
    private readonly List<int> _epochs = new();

    /// <summary>The epochs run (0-based, as Keras's <c>history.epoch</c>).</summary>
    public IReadOnlyList<int> Epoch => _epochs;

    /// <summary>The training loss of each epoch (<c>history.history["loss"]</c>).</summary>
    public IReadOnlyList<float> Loss => this["loss"];

    /// <summary>The logged names (<c>history.history.keys()</c>).</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>
    /// Why training stopped before its last epoch, or <see langword="null"/>: an early-stopping callback, or a
    /// loss that was not a finite number (the weights are then those at the end of the last good epoch).
    /// </summary>
    public string? StopReason { get; internal set; }

    /// <summary>The values of one logged quantity per epoch (<c>history.history["val_loss"]</c>).</summary>
    /// <exception cref="KeyNotFoundException">Nothing of that name was logged; the message lists what was.</exception>
    public IReadOnlyList<float> this[string key] =>
        _values.TryGetValue(key, out List<float>? values)
            ? values
            : throw new KeyNotFoundException($"History has no '{key}'; it logged: {string.Join(", ", _values.Keys)}.");

    /// <summary>Whether <paramref name="key"/> was logged.</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    internal void Record(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        _epochs.Add(epoch);
        foreach (KeyValuePair<string, float> entry in logs)
        {
            if (!_values.TryGetValue(entry.Key, out List<float>? values))
            {
                values = new List<float>();
                _values.Add(entry.Key, values);
            }

            values.Add(entry.Value);
        }
    }
}

/// <summary>The end of one epoch as Keras's progress bar reports it.</summary>
public sealed class EpochLog
{
    internal EpochLog(int epoch, int epochs, IReadOnlyDictionary<string, float> logs)
    {
        Epoch = epoch;
        Epochs = epochs;
        Logs = logs;
    }

    /// <summary>The epoch, counted from 1 as Keras prints it.</summary>
    public int Epoch { get; }

    /// <summary>The epochs asked for.</summary>
    public int Epochs { get; }

    /// <summary>The logged values (<c>loss</c>, metrics, <c>val_</c> values).</summary>
    public IReadOnlyDictionary<string, float> Logs { get; }

    /// <summary>The Keras line: <c>Epoch 12/1000 - loss: 3.2101 - val_loss: 2.9000</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Epoch {Epoch}/{Epochs}");
        foreach (KeyValuePair<string, float> entry in Logs)
        {
            text.Append(" - ").Append(entry.Key).Append(": ").Append(Format(entry.Value));
        }

        return text.ToString();
    }

    // keras Progbar: 4 decimals, or scientific notation for values under 1e-3 in magnitude.
    internal static string Format(float value) =>
        Math.Abs(value) > 1e-3 || value == 0
            ? value.ToString("0.0000", CultureInfo.InvariantCulture)
            : value.ToString("0.0000e+00", CultureInfo.InvariantCulture);
}
