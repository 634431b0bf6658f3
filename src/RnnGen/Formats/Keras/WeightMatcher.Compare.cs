using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Keras;

// One declared layer against its file layer: options, activations and every weight shape, as the lines of a report.
internal static partial class WeightMatcher
{
    private static List<string> Compare(LayerInfo declared, FileLayer? fileLayer, KerasFileContents file, string? groupName, KerasFileLayer? foldedActivation)
    {
        var problems = new List<string>();
        if (fileLayer is null)
        {
            problems.Add(groupName is null
                ? "the file holds no weights for this layer: declare fewer layers, or check that the file is the model you meant."
                : $"Keras keeps this layer's weights in '{file.GroupPrefix}/{groupName}' (the snake-case class name, numbered in model order among layers of its kind), which the file does not have: declare fewer layers of this kind, or check that the file is the model you meant.");
            return problems;
        }

        KerasFileLayer found = fileLayer.Description;
        KerasDialect dialect = file.Dialect;
        if (found.Kind is null)
        {
            problems.Add($"the file's layer is a {found.ClassName}, which RnnGen cannot load{(found.Note is null ? "" : ": " + found.Note)}");
        }
        else if (found.Kind != declared.Kind)
        {
            problems.Add($"kind: declared {Shared.LayerShapes.KerasClassName(declared.Kind)}, the file holds {Shared.LayerShapes.KerasClassName(found.Kind.Value)}");
        }
        else if (declared.Kind == LayerKind.Embedding)
        {
            // input_dim is the table's rows, compared with the weight shapes below; output_dim is the units.
            int declaredInputDim = declared.Weights[0].Dimensions[0];
            if (found.EmbeddingInputDim != 0 && found.EmbeddingInputDim != declaredInputDim)
            {
                problems.Add($"input_dim: declared {declaredInputDim}, the file has {found.EmbeddingInputDim}: declare [Embedding({found.EmbeddingInputDim}, {found.Units}{(found.MaskZero ? ", MaskZero = true" : "")})]");
            }

            if (found.Units != declared.Units)
            {
                problems.Add($"output_dim: declared {declared.Units}, the file has {found.Units}");
            }

            if (found.HasConfig)
            {
                CompareFlag(problems, "mask_zero", "MaskZero", declared.MaskZero, found.MaskZero);
            }
        }
        else if (declared.Kind == LayerKind.Normalization)
        {
            if (found.HasConfig)
            {
                CompareFlag(problems, "invert", "Invert", declared.Invert, found.Invert);
            }
        }
        else if (declared.IsNormalization)
        {
            if (found.HasConfig)
            {
                // The attribute holds epsilon as a float: compare as floats.
                if ((float)found.Epsilon != (float)declared.Epsilon)
                {
                    problems.Add($"epsilon: declared {((float)declared.Epsilon).ToString("R", CultureInfo.InvariantCulture)}, the file has {found.Epsilon.ToString("R", CultureInfo.InvariantCulture)}: declare Epsilon = {((float)found.Epsilon).ToString("R", CultureInfo.InvariantCulture)}f");
                }

                CompareFlag(problems, "center", "Center", declared.Center, found.Center);
                CompareFlag(problems, "scale", "Scale", declared.Scale, found.Scale);
            }
        }
        else
        {
            if (found.Bidirectional != declared.Bidirectional && declared.IsRecurrent)
            {
                problems.Add(found.Bidirectional
                    ? "the file's layer is Bidirectional: declare Bidirectional = true"
                    : "the file's layer is not Bidirectional: remove Bidirectional = true");
            }

            if (found.Units != 0 && found.Units != declared.Units)
            {
                problems.Add($"units: declared {declared.Units}, the file has {found.Units}");
            }

            if (found.HasConfig)
            {
                // A linear Dense followed by Activation(a) computes Dense(activation=a).
                CompareActivation(problems, "activation", "Activation", declared.Activation, foldedActivation?.FileActivation ?? found.FileActivation, foldedActivation?.Activation ?? found.Activation, dialect);
                if (declared.Kind is LayerKind.Lstm or LayerKind.Gru)
                {
                    CompareActivation(problems, "recurrent_activation", "RecurrentActivation", declared.RecurrentActivation ?? Shared.LayerOptions.DefaultRecurrentActivation, found.FileRecurrentActivation, found.RecurrentActivation, dialect);
                }

                CompareFlag(problems, "use_bias", "UseBias", declared.UseBias, found.UseBias);
                if (declared.Kind == LayerKind.Conv1D
                    && (declared.Strides != found.Strides || declared.Padding != found.Padding || declared.DilationRate != found.DilationRate || declared.Groups != found.Groups))
                {
                    // kernel_size and filters are in the kernel's shape, compared below.
                    problems.Add($"strides, padding, dilation_rate and groups: declared {declared.Strides}, {declared.Padding}, {declared.DilationRate} and {declared.Groups}, "
                        + $"the file has {found.Strides}, {found.Padding}, {found.DilationRate} and {found.Groups}: declare Strides = {found.Strides}, Padding = \"{found.Padding}\", DilationRate = {found.DilationRate}, Groups = {found.Groups}");
                }

                if (declared.Kind == LayerKind.Gru)
                {
                    CompareFlag(problems, "reset_after", "ResetAfter", declared.ResetAfter, found.ResetAfter);
                }

                if (declared.IsRecurrent)
                {
                    CompareFlag(problems, "return_sequences", "ReturnSequences", declared.ReturnSequences, found.ReturnSequences);
                    if (!declared.Bidirectional)
                    {
                        CompareFlag(problems, "go_backwards", "GoBackwards", declared.GoBackwards, found.GoBackwards);
                    }

                    if (declared.Bidirectional && found.Bidirectional && declared.MergeMode != found.MergeMode)
                    {
                        problems.Add($"merge_mode: declared {KerasFileLayer.MergeModeText(declared.MergeMode)}, the file has {KerasFileLayer.MergeModeText(found.MergeMode)}: declare MergeMode = MergeMode.{found.MergeMode}");
                    }
                }
            }
            else if (declared.Kind == LayerKind.Gru && fileLayer.Weights.Count == (declared.Bidirectional ? 6 : 3) && found.ResetAfter != declared.ResetAfter)
            {
                // Without a config the bias shape still tells the GRU convention: [2, 3u] is reset_after=True.
                problems.Add($"reset_after: the file's GRU bias is {(found.ResetAfter ? "[2, 3*units] (reset_after=True)" : "[3*units] (reset_after=False)")}: declare ResetAfter = {(found.ResetAfter ? "true" : "false")}");
            }
        }

        if (fileLayer.Weights.Count != declared.Weights.Count)
        {
            problems.Add($"the file holds {fileLayer.Weights.Count} weight array(s) ({string.Join(", ", fileLayer.Weights.Select(w => w.Shape.ShapeText))}); the declaration expects {declared.Weights.Count} ({string.Join(", ", declared.Weights.Select(w => w.ShapeText))})");
        }
        else
        {
            for (int i = 0; i < declared.Weights.Count; i++)
            {
                if (!declared.Weights[i].Dimensions.SequenceEqual(fileLayer.Weights[i].Dimensions))
                {
                    problems.Add($"{declared.Weights[i].Name}: declared {declared.Weights[i].ShapeText}, the file's '{fileLayer.Weights[i].Name}' is {fileLayer.Weights[i].Shape.ShapeText}");
                }
            }
        }

        return problems;
    }

    private static void CompareActivation(List<string> problems, string field, string property, string declaredName, string? fileName, string? fileCanonical, KerasDialect dialect)
    {
        string declared = Shared.ActivationCatalog.Canonical(declaredName) ?? declaredName;
        if (fileCanonical is null)
        {
            problems.Add($"{field}: the file uses \"{fileName}\", which RnnGen does not compute");
            return;
        }

        if (declared == fileCanonical)
        {
            return;
        }

        string why = fileName == "hard_sigmoid"
            ? $" ({dialect.Describe()} computes hard_sigmoid as {dialect.HardSigmoidFormula})"
            : fileName is not null && fileName != fileCanonical ? $" (\"{fileName}\" in the file)" : "";
        problems.Add($"{field}: declared \"{declaredName}\", the file computes \"{fileCanonical}\"{why}: declare {property} = \"{fileCanonical}\"");
    }

    private static void CompareFlag(List<string> problems, string field, string property, bool declared, bool found)
    {
        if (declared != found)
        {
            problems.Add($"{field}: declared {(declared ? "True" : "False")}, the file has {(found ? "True" : "False")}: declare {property} = {(found ? "true" : "false")}");
        }
    }

    internal static string DescribeDeclared(LayerInfo layer)
    {
        if (layer.Kind == LayerKind.Dropout)
        {
            return "Dropout(" + layer.DropoutRate.ToString("R", CultureInfo.InvariantCulture) + ")";
        }

        if (layer.Kind == LayerKind.Activation)
        {
            return $"Activation({layer.Activation})";
        }

        if (Shared.LayerShapes.IsGlobalPooling(layer.Kind))
        {
            return Shared.LayerShapes.KerasClassName(layer.Kind) + "()";
        }

        if (layer.Kind == LayerKind.Flatten)
        {
            return "Flatten()";
        }

        if (layer.Kind == LayerKind.RepeatVector)
        {
            return $"RepeatVector({layer.OutputTimesteps})";
        }

        if (layer.Kind == LayerKind.Reshape)
        {
            return layer.OutputIsSequence ? $"Reshape(target_shape=({layer.OutputTimesteps}, {layer.OutputWidth}))" : $"Reshape(target_shape=({layer.OutputWidth},))";
        }

        if (Shared.LayerShapes.IsPooling(layer.Kind))
        {
            return $"{Shared.LayerShapes.KerasClassName(layer.Kind)}(pool_size={layer.PoolSize}, strides={layer.Strides}, padding={layer.Padding})";
        }

        if (layer.Kind == LayerKind.Conv1D)
        {
            return $"Conv1D({layer.Units}, kernel_size={layer.KernelSize}, strides={layer.Strides}, padding={layer.Padding}, dilation_rate={layer.DilationRate}, groups={layer.Groups}, activation={layer.Activation}, use_bias={(layer.UseBias ? "True" : "False")})";
        }

        if (layer.Kind == LayerKind.Rescaling)
        {
            return $"Rescaling(scale={Number(layer.RescalingScale)}, offset={Number(layer.RescalingOffset)})";
        }

        if (layer.Kind == LayerKind.Masking)
        {
            return $"Masking(mask_value={Number(layer.MaskValue)})";
        }

        if (layer.Kind == LayerKind.Embedding)
        {
            return $"Embedding(input_dim={layer.Weights[0].Dimensions[0]}, output_dim={layer.Units}, mask_zero={(layer.MaskZero ? "True" : "False")})";
        }

        if (layer.Kind == LayerKind.Normalization)
        {
            return $"Normalization(invert={(layer.Invert ? "True" : "False")})";
        }

        if (layer.IsNormalization)
        {
            return $"{Shared.LayerShapes.KerasClassName(layer.Kind)}(epsilon={((float)layer.Epsilon).ToString("R", CultureInfo.InvariantCulture)}, center={(layer.Center ? "True" : "False")}, scale={(layer.Scale ? "True" : "False")})";
        }

        var options = new StringBuilder(layer.Units.ToString(CultureInfo.InvariantCulture));
        options.Append(", activation=").Append(layer.Activation);
        if (layer.Kind is LayerKind.Lstm or LayerKind.Gru)
        {
            options.Append(", recurrent_activation=").Append(layer.RecurrentActivation ?? Shared.LayerOptions.DefaultRecurrentActivation);
        }

        options.Append(", use_bias=").Append(layer.UseBias ? "True" : "False");
        if (layer.Kind == LayerKind.Gru)
        {
            options.Append(", reset_after=").Append(layer.ResetAfter ? "True" : "False");
        }

        if (layer.IsRecurrent)
        {
            options.Append(", return_sequences=").Append(layer.ReturnSequences ? "True" : "False");
            if (layer.GoBackwards)
            {
                options.Append(", go_backwards=True");
            }
        }

        string inner = Shared.LayerShapes.KerasClassName(layer.Kind) + "(" + options + ")";
        return layer.Bidirectional ? $"Bidirectional({inner}, merge_mode={KerasFileLayer.MergeModeText(layer.MergeMode)})" : inner;
    }
}
