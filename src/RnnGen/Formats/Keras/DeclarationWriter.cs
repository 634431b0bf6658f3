using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Writes the RnnGen declaration that loads a file: <c>[Sequential(Timesteps = T, InputDim = D)]</c> with one
/// attribute per layer (<c>[SimpleRnn]</c>, <c>[Lstm]</c>, <c>[Gru]</c>, <c>[Dense]</c>, <c>[Dropout]</c>,
/// <c>[LayerNormalization]</c>, <c>[BatchNormalization]</c>, <c>[Activation]</c>, <c>[Rescaling]</c>,
/// <c>[GlobalAveragePooling1D]</c>, <c>[GlobalMaxPooling1D]</c>), or a single
/// layer attribute for a one-layer model. Only options that differ from the attribute defaults are written.
/// </summary>
internal static class DeclarationWriter
{
    public static string Write(KerasFileInfo info, string className, int? requestedTimesteps)
    {
        var text = new StringBuilder();
        // A whole C# file: pasted as is (or with a namespace line after the using), it compiles.
        text.AppendLine("using RnnGen;").AppendLine();
        text.Append("// ").Append(info.Source).Append(": ").Append(info.FormatDescription)
            .Append(info.KerasVersion is null ? "" : ", Keras " + info.KerasVersion).AppendLine(".");
        List<KerasFileLayer> layers = info.Layers.Where(l => l.ClassName != "InputLayer").ToList();

        // Without a recorded order, a layer without weights has no known place: it is named in a comment, not placed.
        List<KerasFileLayer> unplaced = info.LayerOrderKnown ? new List<KerasFileLayer>() : layers.Where(l => l.Weights.Count == 0).ToList();
        layers = layers.Except(unplaced).ToList();
        if (!info.HasConfig)
        {
            bool timeDistributed = layers.Any(l => l.IsTimeDistributed);
            text.AppendLine("// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's");
            if (timeDistributed)
            {
                text.AppendLine("// defaults (return_sequences is set where another recurrent layer or a TimeDistributed layer follows); check");
                text.AppendLine("// them against the Keras model.");
            }
            else
            {
                text.AppendLine("// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.");
            }
        }

        // With a single layer of weights there is no order to speak of.
        switch (layers.Count(l => l.Weights.Count > 0) > 1 ? info.Order : LayerOrder.Recorded)
        {
            case LayerOrder.ChainedByWidths:
                text.AppendLine("// The file does not record the layer order; below is the only order in which each kernel takes the previous");
                text.AppendLine("// layer's output.");
                break;
            case LayerOrder.ChosenAmongWidthOrders:
                text.AppendLine("// The file does not record the layer order, and the kernel widths allow several: below, recurrent layers come");
                text.AppendLine("// before Dense layers and kinds are in name order (gru, lstm, simple_rnn), which may not be the model's order.");
                text.AppendLine("// Put the attributes in the Keras model's order.");
                break;
            case LayerOrder.ByName:
                text.AppendLine("// The file does not record the layer order: the layers below are by name; put the attributes in the Keras");
                text.AppendLine("// model's order.");
                break;
        }

        foreach (KerasFileLayer layer in unplaced)
        {
            text.Append("// ").Append(layer.Name).Append(layer.ClassName is "?" ? "" : " (" + layer.ClassName + ")")
                .AppendLine(": no weights, and the file records neither where it goes nor its options.");
            text.AppendLine(layer.Kind == LayerKind.Dropout
                ? "//   Dropout has no effect at inference: leave it out, or declare [Dropout(rate)] where the Keras model has it."
                : layer.ClassName is "?" ? "//   Compare with the Keras model." : $"//   RnnGen has no {layer.ClassName} layer.");
        }

        // A layer with weights that RnnGen does not generate before the first one it does (a Conv1D before the LSTM):
        // the declared model starts after it, so its input is what that layer gives, which the caller computes.
        int firstSupported = layers.FindIndex(l => l.Kind is not null && l.Weights.Count > 0);
        KerasFileLayer? computedFirst = firstSupported > 0 ? layers.Take(firstSupported).LastOrDefault(l => l.Kind is null && l.Weights.Count > 0) : null;
        int? declaredInputDim = info.InputDim;
        if (computedFirst is not null && layers[firstSupported].Weights[0].Dimensions.Count is 1 or 2)
        {
            declaredInputDim = layers[firstSupported].Weights[0].Dimensions[0];
            text.Append("// The model below starts after ").Append(computedFirst.Name).Append(" (").Append(computedFirst.ClassName)
                .AppendLine("), which RnnGen does not generate: its input is what")
                .Append("// that layer gives (").Append(declaredInputDim.Value.ToString(CultureInfo.InvariantCulture))
                .AppendLine(" features; check the sequence length it leaves). Compute it with the weights of")
                .Append("// KerasFile.Open(path).Layer(\"").Append(computedFirst.Name).Append("\") and load with ignoredLayers: new[] { \"")
                .Append(computedFirst.Name).AppendLine("\" }.");
        }

        string inputDim = declaredInputDim?.ToString(CultureInfo.InvariantCulture) ?? "INPUT_DIM";
        string whyNoLength = !info.HasConfig ? "the file stores weights only, not the sequence length"
            : info.InputShapeStated ? "the Keras model leaves the sequence length open (None)"
            : "the file's configuration does not state the input shape";
        int? length = requestedTimesteps ?? info.Timesteps;
        string timesteps = length?.ToString(CultureInfo.InvariantCulture) ?? "TIMESTEPS";
        if (length is null)
        {
            text.Append("// TIMESTEPS: ").Append(whyNoLength).AppendLine("; RNN weights fit any length.");
            text.AppendLine("// Replace it with the length you will feed, or run rnngen inspect with --timesteps N.");
        }
        else if (requestedTimesteps is not null && requestedTimesteps != info.Timesteps)
        {
            text.Append("// Timesteps = ").Append(timesteps).Append(" as requested: ")
                .Append(info.Timesteps is int built ? $"the Keras model was built for {built.ToString(CultureInfo.InvariantCulture)}" : whyNoLength)
                .AppendLine("; RNN weights fit any length.");
        }

        if (info.InputDim is null)
        {
            text.AppendLine("// INPUT_DIM: the file does not say how many features each timestep has; replace it.");
        }

        var supported = layers.Where(l => l.Kind is not null).ToList();
        bool single = supported.Count == 1 && layers.Count == 1 && supported[0].Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;
        if (!single)
        {
            // A model that starts with an Embedding reads one token per timestep: its InputDim is 1, left out (RNNG053).
            bool tokens = supported.Count > 0 && supported[0].Kind == LayerKind.Embedding;
            text.Append("[Sequential(Timesteps = ").Append(timesteps).Append(tokens ? string.Empty : ", InputDim = " + inputDim).AppendLine(")]");
        }

        // Where the last layer that needs a sequence input is, found once (asking at every layer would be quadratic).
        int lastSequenceLayer = layers.FindLastIndex(l => l.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru
            or LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D or LayerKind.Conv1D or LayerKind.MaxPooling1D or LayerKind.AveragePooling1D
            or LayerKind.Flatten || l.IsTimeDistributed);
        for (int i = 0; i < layers.Count; i++)
        {
            KerasFileLayer layer = layers[i];
            KerasFileLayer? before = i > 0 ? layers[i - 1] : null;
            if (layer.Kind is null && layer.Weights.Count == 0 && layer.HasConfig)
            {
                // The load's own rule (WeightlessLayers): pass over an identity, refuse what no declaration computes.
                if (WeightlessLayers.IsIdentity(layer))
                {
                    text.Append("// ").Append(WeightlessLayers.Name(layer)).AppendLine(": no effect at inference; LoadWeights passes over it.");
                }
                else
                {
                    text.Append("// ").Append(WeightlessLayers.Reason(layer)).AppendLine(": LoadWeights refuses this file.");
                    string remedy = WeightlessLayers.Remedy(layer, before);
                    text.Append("//   ").Append(char.ToUpperInvariant(remedy[0])).AppendLine(remedy[1..]);
                }

                continue;
            }

            if (layer.Kind is null)
            {
                text.Append("// ").Append(layer.Name).Append(" (").Append(layer.ClassName).Append("): ")
                    .AppendLine(layer.Note ?? "RnnGen has no such layer.");
                continue;
            }

            // Another recurrent layer needs a sequence, and so does TimeDistributed (it maps every timestep).
            bool sequenceFollows = lastSequenceLayer > i;
            text.Append('[').Append(Attribute(layer, single ? $"Timesteps = {timesteps}, InputDim = {inputDim}" : null, sequenceFollows)).Append(']');
            text.AppendLine(layer.Kind == LayerKind.Dropout && !layer.HasConfig ? " // the rate is not stored; Dropout has no effect at inference"
                : layer.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization && !layer.HasConfig ? " // epsilon is not stored: Keras's default 1e-3 is assumed"
                : layer.Kind == LayerKind.Normalization && !layer.HasConfig ? " // invert is not stored: declare Invert = true if the Keras layer de-normalizes"
                : layer.Kind == LayerKind.Embedding && !layer.HasConfig ? " // mask_zero is not stored: declare MaskZero = true if the Keras model masks token 0"
                : "");
        }

        text.Append("public partial class ").Append(className).AppendLine(";");
        return text.ToString();
    }

    internal static string Attribute(KerasFileLayer layer, string? shape, bool followedByRecurrent)
    {
        var args = new List<string>();
        string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        switch (layer.Kind)
        {
            case LayerKind.Dropout:
                return $"Dropout({Number(layer.DropoutRate)})";
            case LayerKind.Activation:
            case LayerKind.Rescaling:
            case LayerKind.Masking:
            case LayerKind.GlobalAveragePooling1D:
            case LayerKind.GlobalMaxPooling1D:
            case LayerKind.MaxPooling1D:
            case LayerKind.AveragePooling1D:
            case LayerKind.Flatten:
            case LayerKind.Reshape:
            case LayerKind.RepeatVector:
                // The file's own layer, declared as such (its Keras summary and names stay the file's).
                return WeightlessLayers.Attribute(layer);
            case LayerKind.Conv1D:
            {
                // Only what differs from Keras's defaults (which are the attribute's).
                args.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
                args.Add(layer.KernelSize.ToString(CultureInfo.InvariantCulture));
                if (layer.Strides != 1)
                {
                    args.Add("Strides = " + layer.Strides.ToString(CultureInfo.InvariantCulture));
                }

                if (layer.Padding != Shared.TimeWindows.Valid)
                {
                    args.Add($"Padding = \"{layer.Padding}\"");
                }

                if (layer.DilationRate != 1)
                {
                    args.Add("DilationRate = " + layer.DilationRate.ToString(CultureInfo.InvariantCulture));
                }

                if (layer.Groups != 1)
                {
                    args.Add("Groups = " + layer.Groups.ToString(CultureInfo.InvariantCulture));
                }

                if (layer.Activation is not null and not "linear")
                {
                    args.Add($"Activation = \"{layer.Activation}\"");
                }

                if (!layer.UseBias)
                {
                    args.Add("UseBias = false");
                }

                return $"Conv1D({string.Join(", ", args)})";
            }
            case LayerKind.LayerNormalization:
            case LayerKind.BatchNormalization:
            {
                // Only what differs from Keras's defaults (which are the attribute's); epsilon as the float it is.
                string Float(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
                if ((float)layer.Epsilon != Shared.LayerOptions.DefaultNormalizationEpsilon)
                {
                    args.Add("Epsilon = " + Float(layer.Epsilon));
                }

                if (!layer.Center)
                {
                    args.Add("Center = false");
                }

                if (!layer.Scale)
                {
                    args.Add("Scale = false");
                }

                if (layer.Kind == LayerKind.BatchNormalization && layer.HasConfig && (float)layer.Momentum != Shared.LayerOptions.DefaultMomentum)
                {
                    args.Add("Momentum = " + Float(layer.Momentum));
                }

                string className = Shared.LayerShapes.KerasClassName(layer.Kind.Value);
                return args.Count == 0 ? className : $"{className}({string.Join(", ", args)})";
            }
            case LayerKind.Normalization:
                return layer.Invert ? "Normalization(Invert = true)" : "Normalization";
            case LayerKind.Embedding:
                return $"Embedding({layer.EmbeddingInputDim.ToString(CultureInfo.InvariantCulture)}, {layer.Units.ToString(CultureInfo.InvariantCulture)}{(layer.MaskZero ? ", MaskZero = true" : string.Empty)})";
            case LayerKind.Dense:
                args.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
                if (layer.HasConfig && layer.Activation != Shared.LayerOptions.DefaultDenseActivation)
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

        if (layer.HasConfig && layer.Activation != Shared.LayerOptions.DefaultRecurrentLayerActivation)
        {
            args.Add($"Activation = \"{layer.Activation ?? layer.FileActivation}\"{(layer.Activation is null ? " /* not supported by RnnGen */" : "")}");
        }

        if (layer.HasConfig && layer.Kind is LayerKind.Lstm or LayerKind.Gru && layer.RecurrentActivation != Shared.LayerOptions.DefaultRecurrentActivation)
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
