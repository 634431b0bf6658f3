using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Keras;

/// <summary>One weight array in a file: its name, shape, and how to read it (only once the shapes have been checked).</summary>
internal sealed class FileWeight
{
    public FileWeight(string name, long[] dimensions, Func<long, float[]> read)
    {
        Name = name;
        long count = 1;
        var dims = new int[dimensions.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0 || dimensions[i] > int.MaxValue || (dimensions[i] > 0 && count > int.MaxValue / dimensions[i]))
            {
                throw new InvalidDataException($"The weight '{name}' has the impossible shape [{string.Join(", ", dimensions)}].");
            }

            dims[i] = (int)dimensions[i];
            count *= dimensions[i];
        }

        Dimensions = dims;
        Read = read;
    }

    public string Name { get; }

    public int[] Dimensions { get; }

    /// <summary>Reads the values; the argument is the most elements the caller accepts.</summary>
    public Func<long, float[]> Read { get; }

    public WeightShape Shape => new(Name, Dimensions);
}

/// <summary>One layer in a file with its readable weights.</summary>
internal sealed class FileLayer
{
    public FileLayer(KerasFileLayer description, List<FileWeight> weights)
    {
        Description = description;
        Weights = weights;
    }

    public KerasFileLayer Description { get; }

    public List<FileWeight> Weights { get; }

    /// <summary>A layer whose position counts when matching: it has weights, or its config says it should.</summary>
    public bool IsWeighted => Weights.Count > 0 || Description.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru or LayerKind.Dense or LayerKind.BatchNormalization or LayerKind.Normalization;
}

/// <summary>Where the order of <see cref="KerasFileInfo.Layers"/> comes from.</summary>
internal enum LayerOrder
{
    /// <summary>The file records it: the configuration, or a legacy file's <c>layer_names</c>.</summary>
    Recorded,

    /// <summary>Not recorded; exactly one order lets each kernel take the previous layer's output.</summary>
    ChainedByWidths,

    /// <summary>Not recorded; the kernel widths allow several orders, and the one with recurrent layers first was taken.</summary>
    ChosenAmongWidthOrders,

    /// <summary>Not recorded, and the widths give no order (or cannot be read): the layers are listed by name.</summary>
    ByName,
}

/// <summary>Everything read from a weight file: the public description and the readable layers behind it.</summary>
internal sealed class KerasFileContents
{
    public KerasFileContents(KerasFileInfo info, List<FileLayer> layers, KerasDialect dialect)
    {
        Info = info;
        Layers = layers;
        Dialect = dialect;
    }

    public KerasFileInfo Info { get; }

    /// <summary>The layers, in model order when <see cref="KerasFileInfo.LayerOrderKnown"/>.</summary>
    public List<FileLayer> Layers { get; }

    public KerasDialect Dialect { get; }

    /// <summary>
    /// For a Keras 3 <c>.weights.h5</c> without configuration: layers by group name (<c>lstm</c>, <c>lstm_1</c>, ...),
    /// which the declaration's layer list determines, as Keras's own loader does.
    /// </summary>
    public Dictionary<string, FileLayer>? ByGroupName { get; init; }

    /// <summary>The group under which a Keras 3 <c>.weights.h5</c> keeps its layers: <c>layers</c>, or tf.keras 2.13-2.15's <c>_layer_checkpoint_dependencies</c>.</summary>
    public string GroupPrefix { get; init; } = "layers";

    /// <summary>An .npz: arrays without layer boundaries, matched in get_weights() order.</summary>
    public List<FileWeight>? FlatArrays { get; init; }

    public IEnumerable<FileWeight> AllWeights => FlatArrays ?? Layers.SelectMany(l => l.Weights);
}
