using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen;

/// <summary>
/// What a Keras weight file holds: its format and Keras version, the model's input shape and layers (with their
/// configurations when the file carries them) and every weight array's shape. Returned by
/// <see cref="KerasWeights.Inspect(string)"/>; <see cref="ToDeclaration"/> writes the RnnGen declaration that loads the
/// file.
/// </summary>
public sealed class KerasFileInfo
{
    internal KerasFileInfo(string source, WeightFormat format, string formatDescription, IReadOnlyList<KerasFileLayer> layers)
    {
        Source = source;
        Format = format;
        FormatDescription = formatDescription;
        Layers = layers;
    }

    /// <summary>The file name, or <c>"stream"</c>.</summary>
    public string Source { get; }

    /// <summary>The detected layout.</summary>
    public WeightFormat Format { get; }

    /// <summary>The layout in words ("legacy Keras HDF5 from model.save()", ...).</summary>
    public string FormatDescription { get; }

    /// <summary>The Keras version that wrote the file (root attribute <c>keras_version</c> or <c>metadata.json</c>), if stated.</summary>
    public string? KerasVersion { get; internal init; }

    /// <summary>The Keras backend (<c>backend</c> attribute of legacy files), if stated.</summary>
    public string? Backend { get; internal init; }

    /// <summary>The model class (<c>Sequential</c>, <c>Functional</c>, <c>Model</c>), if the file has a configuration.</summary>
    public string? ModelClassName { get; internal init; }

    /// <summary>Whether the file carries the model configuration (so layer options can be checked).</summary>
    public bool HasConfig { get; internal init; }

    /// <summary>
    /// Whether the file records the order of <see cref="Layers"/> (a <c>.weights.h5</c> alone does not: its layers are
    /// then put in the order their kernel widths allow, and layers without weights are listed last).
    /// </summary>
    public bool LayerOrderKnown => Order == Formats.Keras.LayerOrder.Recorded;

    /// <summary>Where the order of <see cref="Layers"/> comes from.</summary>
    internal Formats.Keras.LayerOrder Order { get; init; } = Formats.Keras.LayerOrder.Recorded;

    /// <summary>Where a functional model stops being one chain of layers, so no declaration computes it; null otherwise.</summary>
    internal string? GraphProblem { get; init; }

    /// <summary>The wiring of a functional model that is a graph, from which <see cref="ToDeclaration"/> writes a [Graph].</summary>
    internal Formats.Keras.FunctionalGraph.Layout? Graph { get; init; }

    /// <summary>Whether the configuration states the input shape (so a <see langword="null"/> <see cref="Timesteps"/> is Keras's <c>None</c>).</summary>
    internal bool InputShapeStated { get; init; }

    /// <summary>Timesteps of the model input, or <see langword="null"/> when the file leaves it open (<c>None</c>) or does not say.</summary>
    public int? Timesteps { get; internal init; }

    /// <summary>Features per timestep of the model input, from the configuration or the first kernel.</summary>
    public int? InputDim { get; internal init; }

    /// <summary>The layers; see <see cref="LayerOrderKnown"/>.</summary>
    public IReadOnlyList<KerasFileLayer> Layers { get; }

    /// <summary>Every weight array in file order.</summary>
    public IReadOnlyList<WeightShape> Weights => Layers.SelectMany(l => l.Weights).ToArray();

    /// <summary>Remarks about the file (unsupported layers, unknown order, several inputs, ...).</summary>
    public IReadOnlyList<string> Notes { get; internal init; } = Array.Empty<string>();

    /// <summary>
    /// The RnnGen declaration of a class that loads this file: <c>[Sequential(Timesteps = T, InputDim = D)]</c> and one
    /// attribute per layer, or a single layer attribute for a one-layer model. Options equal to the attribute defaults
    /// are left out. The text is a whole C# file: it starts with <c>using RnnGen;</c>. Without <paramref name="timesteps"/>, a sequence length the file does not store (weights-only
    /// files) or leaves open (<c>None</c>) is written as the placeholder <c>TIMESTEPS</c> with a comment saying which.
    /// </summary>
    /// <param name="className">The C# class name to declare.</param>
    /// <param name="timesteps">The sequence length to declare, in place of the file's (RNN weights fit any length).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timesteps"/> is not positive.</exception>
    /// <exception cref="NotSupportedException">The file is a functional model that is not one chain of layers and that a
    /// <c>[Graph]</c> declaration cannot express yet (a shared layer, a <c>Dot</c>, a layer a graph chain is not written
    /// with); the message says which. A graph it can express gets a <c>[Graph]</c> over <c>[Sequential]</c> chains
    /// (docs/graphs.md).</exception>
    public string ToDeclaration(string className = "KerasModel", int? timesteps = null)
    {
        if (timesteps is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timesteps), timesteps, "The sequence length must be at least 1.");
        }

        if (GraphProblem is not null)
        {
            // A graph: a [Graph] declaration over [Sequential] chains where it can be written, else the refusal.
            return Graph is not null
                ? Formats.Keras.GraphDeclarationWriter.Write(this, Graph, className, timesteps)
                : throw new NotSupportedException(Formats.Keras.FunctionalGraph.Refusal(Source, GraphProblem));
        }

        return Formats.Keras.DeclarationWriter.Write(this, className, timesteps);
    }

    /// <summary>A readable report: format, version, input shape, each layer with its options and weight shapes, notes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("File:    ").Append(Source).AppendLine();
        text.Append("Format:  ").Append(FormatDescription).AppendLine();
        text.Append("Keras:   ").Append(KerasVersion ?? "not stated").Append(Backend is null ? "" : ", backend " + Backend).AppendLine();
        if (ModelClassName is not null)
        {
            text.Append("Model:   ").Append(ModelClassName).AppendLine();
        }

        string Dim(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "None";
        // A model that starts with an Embedding reads (batch, timesteps) tokens, as Keras states its input.
        bool tokens = Layers.FirstOrDefault(l => l.Kind is not null)?.Kind == LayerKind.Embedding;
        text.Append("Input:   (batch, ").Append(Dim(Timesteps)).Append(tokens ? "" : ", " + Dim(InputDim)).Append(')').Append(tokens ? " tokens" : "")
            .Append(HasConfig ? "" : " (inferred from the first kernel; timesteps are not stored)").AppendLine();
        text.Append("Layers").Append(Order switch
        {
            Formats.Keras.LayerOrder.ChainedByWidths => " (order not recorded; shown in the one order in which each kernel takes the previous layer's output):",
            Formats.Keras.LayerOrder.ChosenAmongWidthOrders => " (order not recorded; the kernel widths allow several orders; shown with recurrent layers first, kinds by name):",
            Formats.Keras.LayerOrder.ByName => " (order not recorded; shown by name):",
            _ => ":",
        }).AppendLine();
        for (int i = 0; i < Layers.Count; i++)
        {
            KerasFileLayer layer = Layers[i];
            text.Append("  ").Append(i.ToString(CultureInfo.InvariantCulture).PadLeft(2)).Append("  ").Append(layer.Name).Append(": ").Append(layer.Describe()).AppendLine();
            foreach (WeightShape weight in layer.Weights)
            {
                text.Append("        ").Append(weight.Name).Append(' ').Append(weight.ShapeText).AppendLine();
            }

            if (layer.Note is not null)
            {
                text.Append("        note: ").Append(layer.Note).AppendLine();
            }
        }

        foreach (string note in Notes)
        {
            text.Append("Note: ").Append(note).AppendLine();
        }

        return text.ToString();
    }
}
