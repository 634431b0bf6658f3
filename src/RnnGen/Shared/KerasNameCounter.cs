using System;
using System.Collections.Generic;
using System.Globalization;

namespace RnnGen.Shared;

/// <summary>
/// Keras's default layer names: the snake-case class name, numbered from the second layer of a kind on
/// (<c>lstm</c>, <c>lstm_1</c>, <c>lstm_2</c>, ...), as <c>backend.unique_object_name</c> names layers of one model
/// and <c>saving_lib._save_container_state</c> names their weight groups.
/// </summary>
internal sealed class KerasNameCounter
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>The name of the next layer whose name starts with <paramref name="stem"/>.</summary>
    public string Next(string stem)
    {
        _counts.TryGetValue(stem, out int count);
        _counts[stem] = count + 1;
        return count == 0 ? stem : stem + "_" + count.ToString(CultureInfo.InvariantCulture);
    }
}
