using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RnnGen;

/// <summary>One weight array of a model, as Keras <c>get_weights()</c> returns it.</summary>
public sealed class WeightShape
{
    /// <summary>Creates a description of a weight named <paramref name="name"/> with the given dimensions.</summary>
    public WeightShape(string name, params int[] dimensions)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Dimensions = (int[])(dimensions ?? throw new ArgumentNullException(nameof(dimensions))).Clone();
        long length = 1;
        foreach (int d in Dimensions)
        {
            length *= d;
        }

        Length = checked((int)length);
    }

    /// <summary>Keras-style path: layer name, then direction for a bidirectional layer, then the weight, e.g.
    /// <c>lstm/kernel</c> or <c>bidirectional/forward_lstm/recurrent_kernel</c>.</summary>
    public string Name { get; }

    /// <summary>The shape, row-major; the flattened array has <see cref="Length"/> floats.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Number of floats in the flattened array.</summary>
    public int Length { get; }

    /// <summary>The shape as Keras prints it, e.g. <c>[5, 12]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc/>
    public override string ToString() => Name + " " + ShapeText;
}
