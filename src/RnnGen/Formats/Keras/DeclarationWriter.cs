using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Writes the RnnGen declaration that loads a file: <c>[Sequential(Timesteps = T, InputDim = D)]</c> with one
/// attribute per layer (<c>[SimpleRnn]</c>, <c>[Lstm]</c>, <c>[Gru]</c>, <c>[Dense]</c>, <c>[Dropout]</c>), or a single
/// layer attribute for a one-layer model. Only options that differ from the attribute defaults are written.
/// </summary>
internal static class DeclarationWriter
{
    public static string Write(KerasFileInfo info, string className)
    {
        var text = new StringBuilder();
        text.Append("// ").Append(info.Source).Append(": ").Append(info.FormatDescription)
            .Append(info.KerasVersion is null ? "" : ", Keras " + info.KerasVersion).AppendLine(".");
        if (!info.HasConfig)
        {
            text.AppendLine("// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's");
            text.AppendLine("// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.");
        }

        if (!info.LayerOrderKnown)
        {
            text.AppendLine("// The file does not record the order between layers of different kinds: put the attributes in model order.");
        }

        List<KerasFileLayer> layers = info.Layers.Where(l => l.ClassName != "InputLayer").ToList();
        string timesteps = info.Timesteps?.ToString(CultureInfo.InvariantCulture) ?? "TIMESTEPS";
        string inputDim = info.InputDim?.ToString(CultureInfo.InvariantCulture) ?? "INPUT_DIM";
        if (info.Timesteps is null)
        {
            text.AppendLine("// TIMESTEPS: the file leaves the sequence length open (None); replace it with the length you will feed.");
        }

        if (info.InputDim is null)
        {
            text.AppendLine("// INPUT_DIM: the file does not say how many features each timestep has; replace it.");
        }

        var supported = layers.Where(l => l.Kind is not null).ToList();
        bool single = supported.Count == 1 && layers.Count == 1 && supported[0].Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;
        if (!single)
        {
            text.Append("[Sequential(Timesteps = ").Append(timesteps).Append(", InputDim = ").Append(inputDim).AppendLine(")]");
        }

        for (int i = 0; i < layers.Count; i++)
        {
            KerasFileLayer layer = layers[i];
            if (layer.Kind is null)
            {
                text.Append("// ").Append(layer.Name).Append(" (").Append(layer.ClassName).Append("): ")
                    .AppendLine(layer.Note ?? "RnnGen has no such layer.");
                continue;
            }

            bool followedByRecurrent = layers.Skip(i + 1).Any(l => l.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru);
            text.Append('[').Append(Attribute(layer, single ? $"Timesteps = {timesteps}, InputDim = {inputDim}" : null, followedByRecurrent)).Append(']');
            text.AppendLine(layer.Kind == LayerKind.Dropout && !layer.HasConfig ? " // the rate is not stored; Dropout has no effect at inference" : "");
        }

        text.Append("public partial class ").Append(className).AppendLine(";");
        return text.ToString();
    }

    private static string Attribute(KerasFileLayer layer, string? shape, bool followedByRecurrent)
    {
        var args = new List<string>();
        string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        switch (layer.Kind)
        {
            case LayerKind.Dropout:
                return $"Dropout({Number(layer.DropoutRate)})";
            case LayerKind.Dense:
                args.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
                if (layer.HasConfig && layer.Activation != "linear")
                {
                    args.Add($"Activation = \"{layer.Activation ?? layer.FileActivation}\"{(layer.Activation is null ? " /* not supported by RnnGen */" : "")}");
                }

                if (!layer.UseBias)
                {
                    args.Add("UseBias = false");
                }

                return "Dense(" + string.Join(", ", args) + ")";
        }

        args.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
        if (shape is not null)
        {
            args.Add(shape);
        }

        if (layer.HasConfig && layer.Activation != "tanh")
        {
            args.Add($"Activation = \"{layer.Activation ?? layer.FileActivation}\"{(layer.Activation is null ? " /* not supported by RnnGen */" : "")}");
        }

        if (layer.HasConfig && layer.Kind is LayerKind.Lstm or LayerKind.Gru && layer.RecurrentActivation != "sigmoid")
        {
            args.Add($"RecurrentActivation = \"{layer.RecurrentActivation ?? layer.FileRecurrentActivation}\"{(layer.RecurrentActivation is null ? " /* not supported by RnnGen */" : "")}");
        }

        if (!layer.UseBias)
        {
            args.Add("UseBias = false");
        }

        if (layer.Kind == LayerKind.Lstm && layer.HasConfig && !layer.UnitForgetBias)
        {
            args.Add("UnitForgetBias = false");
        }

        if (layer.Kind == LayerKind.Gru && !layer.ResetAfter)
        {
            args.Add("ResetAfter = false");
        }

        if (layer.HasConfig ? layer.ReturnSequences : followedByRecurrent)
        {
            args.Add("ReturnSequences = true");
        }

        if (layer.ReturnState)
        {
            args.Add("ReturnState = true");
        }

        if (layer.GoBackwards && !layer.Bidirectional)
        {
            args.Add("GoBackwards = true");
        }

        if (layer.Stateful)
        {
            args.Add("Stateful = true");
        }

        if (layer.Bidirectional)
        {
            args.Add("Bidirectional = true");
            if (layer.MergeMode != MergeMode.Concat)
            {
                args.Add("MergeMode = MergeMode." + layer.MergeMode);
            }
        }

        if (layer.DropoutRate != 0)
        {
            args.Add("Dropout = " + Number(layer.DropoutRate));
        }

        if (layer.RecurrentDropoutRate != 0)
        {
            args.Add("RecurrentDropout = " + Number(layer.RecurrentDropoutRate));
        }

        string name = layer.Kind switch
        {
            LayerKind.SimpleRnn => "SimpleRnn",
            LayerKind.Lstm => "Lstm",
            _ => "Gru",
        };
        return name + "(" + string.Join(", ", args) + ")";
    }
}
