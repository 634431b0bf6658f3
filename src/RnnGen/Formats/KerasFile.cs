using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RnnGen.Formats.Keras;

namespace RnnGen;

/// <summary>
/// Read-only access to every layer of a Keras weight file, whatever the layer is: its Keras class, its configuration
/// (when the file has one) and the values of its weight arrays. This is how a caller computes a layer RnnGen does not
/// generate (an Embedding lookup before the model, a Conv1D, a custom layer) and loads the rest with
/// <see cref="KerasWeights.Load(IRnnModel, string, IEnumerable{string})"/>, passing over that layer.
/// </summary>
/// <example>
/// <code>
/// KerasFile file = KerasFile.Open("model.keras");
/// KerasFileLayerWeights embedding = file.Layer("embedding");
/// float[] table = embedding.Weights[0].Read();              // [vocabulary, features], row-major
/// int vocabulary = embedding.Weights[0].Shape[0];
/// bool maskZero = embedding.Config?.GetProperty("mask_zero").GetBoolean() ?? false;
/// </code>
/// </example>
public sealed class KerasFile
{
    private KerasFile(KerasFileInfo info, IReadOnlyList<KerasFileLayerWeights> layers)
    {
        Info = info;
        Layers = layers;
    }

    /// <summary>What the file holds, as <see cref="KerasWeights.Inspect(string)"/> describes it.</summary>
    public KerasFileInfo Info { get; }

    /// <summary>The layers in the order of <see cref="KerasFileInfo.Layers"/>, each with its readable weights.</summary>
    public IReadOnlyList<KerasFileLayerWeights> Layers { get; }

    /// <summary>Opens the Keras weight file at <paramref name="path"/> (<c>.keras</c>, <c>.h5</c>, <c>.weights.h5</c>, <c>.npz</c>).</summary>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static KerasFile Open(string path)
    {
        byte[] data = KerasWeights.ReadFile(path);
        string source = Path.GetFileName(path);
        return KerasWeights.Guarded(source, () => Create(KerasFileReader.Read(data, WeightFormat.Detect, source)));
    }

    /// <summary>Opens a Keras weight file from <paramref name="stream"/>, read to its end.</summary>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of <paramref name="format"/>.</exception>
    public static KerasFile Open(Stream stream, WeightFormat format = WeightFormat.Detect)
    {
        byte[] data = KerasWeights.ReadStream(stream);
        return KerasWeights.Guarded("stream", () => Create(KerasFileReader.Read(data, format, "stream")));
    }

    /// <summary>The layer named <paramref name="name"/> (as <c>rnngen inspect</c> lists it).</summary>
    /// <exception cref="KeyNotFoundException">The file has no layer of that name; the message lists the names it has.</exception>
    public KerasFileLayerWeights Layer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (KerasFileLayerWeights layer in Layers)
        {
            if (layer.Name == name)
            {
                return layer;
            }
        }

        IEnumerable<string> names = Layers.Take(20).Select(l => $"'{l.Name}'");
        throw new KeyNotFoundException($"'{Info.Source}' has no layer named '{name}'; its layers are {string.Join(", ", names.DefaultIfEmpty("none"))}{(Layers.Count > 20 ? $" and {Layers.Count - 20} more" : "")}.");
    }

    private static KerasFile Create(KerasFileContents contents)
    {
        // An .npz has arrays, not layers: its layers are the runs of arrays the reader inferred.
        var layers = new List<KerasFileLayerWeights>(contents.Layers.Count);
        foreach (FileLayer layer in contents.Layers)
        {
            layers.Add(new KerasFileLayerWeights(layer.Description, layer.Weights.Select(w => new KerasWeightArray(w)).ToArray()));
        }

        return new KerasFile(contents.Info, layers);
    }
}

/// <summary>One layer of a <see cref="KerasFile"/>: its description, its configuration and its weight arrays.</summary>
public sealed class KerasFileLayerWeights
{
    internal KerasFileLayerWeights(KerasFileLayer description, IReadOnlyList<KerasWeightArray> weights)
    {
        Description = description;
        Weights = weights;
    }

    /// <summary>The layer's name in the file.</summary>
    public string Name => Description.Name;

    /// <summary>The Keras class (<c>LSTM</c>, <c>Embedding</c>, <c>Conv1D</c>, ...), <c>"?"</c> or <c>"unknown"</c> when the file does not say.</summary>
    public string ClassName => Description.ClassName;

    /// <summary>The layer's <c>config</c> object as the file stores it, or <see langword="null"/> when the file has no configuration.</summary>
    public System.Text.Json.JsonElement? Config => Description.Config;

    /// <summary>What RnnGen makes of the layer (kind, options, weight shapes).</summary>
    public KerasFileLayer Description { get; }

    /// <summary>The weight arrays in Keras <c>get_weights()</c> order.</summary>
    public IReadOnlyList<KerasWeightArray> Weights { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({ClassName}): {string.Join(", ", Weights.Select(w => w.Name + " " + ShapeText(w.Shape)))}";

    internal static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}

/// <summary>One weight array of a <see cref="KerasFile"/> layer: its name and shape, and its values on request.</summary>
public sealed class KerasWeightArray
{
    private readonly FileWeight _weight;

    internal KerasWeightArray(FileWeight weight) => _weight = weight;

    /// <summary>The array's name in the file (<c>lstm/lstm_cell/kernel:0</c>, <c>layers/lstm/cell/vars/0</c>, <c>arr_0</c>).</summary>
    public string Name => _weight.Name;

    /// <summary>The shape, exactly as Keras <c>get_weights()</c> returns it (no transposition).</summary>
    public IReadOnlyList<int> Shape => Array.AsReadOnly(_weight.Dimensions);

    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public long Length => _weight.Dimensions.Aggregate(1L, (product, d) => product * d);

    /// <summary>
    /// Reads the values as float32 in row-major (C) order, converted from the file's type where it differs. Each call
    /// returns a new array.
    /// </summary>
    /// <exception cref="InvalidDataException">The array's data is damaged or does not fit its shape.</exception>
    public float[] Read()
    {
        try
        {
            float[] values = _weight.Read(Length);
            if (values.Length != Length)
            {
                throw new InvalidDataException($"The weight '{Name}' read {values.Length} values; its shape says {Length}.");
            }

            return values;
        }
        catch (Exception e) when (e is not (InvalidDataException or IOException or OutOfMemoryException))
        {
            throw new InvalidDataException($"The weight '{Name}' could not be read: {e.GetType().Name} ({e.Message}).", e);
        }
    }
}
