using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RnnGen.Formats.Keras;

// The layers without weights: Activation, Rescaling, Masking and global pooling paired by place with the declared ones,
// the identities passed over, and a file's Activation folded into the Dense before it.
internal static partial class WeightMatcher
{
    /// <summary>
    /// Classifies the file's layers without weights, where the file records what they are (a configuration): an identity
    /// at inference (InputLayer, Dropout and the other noise layers, Activation('linear')) is passed over; an Activation or
    /// Rescaling pairs with the declared one at its place and their options are compared; an Activation directly after a
    /// linear Dense whose declared counterpart has that activation is folded into it (recorded in
    /// <paramref name="folded"/>); anything else changes the output, which the declaration does not compute, and is
    /// reported, as is a declared Activation or Rescaling the file does not have.
    /// Layers in <paramref name="ignored"/> are passed over whatever they are.
    /// </summary>
    private static bool CheckWeightless(List<FileLayer> layers, List<Pairing> matched, HashSet<string> ignored, List<string> report, Dictionary<FileLayer, KerasFileLayer> folded, int declaredWeightless, ModelInfo info)
    {
        bool ok = true;
        int refused = 0;
        FileLayer? previous = null;
        int weightedBefore = 0;
        List<(int Index, LayerInfo Layer, int WeightedBefore)> elementwise = DeclaredElementwise(info);
        foreach (FileLayer layer in layers)
        {
            KerasFileLayer description = layer.Description;
            FileLayer? before = previous;
            previous = layer;
            if (layer.IsWeighted && !ignored.Contains(description.Name))
            {
                weightedBefore++;
            }

            if (layer.IsWeighted || !description.HasConfig || ignored.Contains(description.Name) || WeightlessLayers.IsIdentity(description))
            {
                continue;
            }

            // An Activation or Rescaling pairs with the first declared one not yet paired at the same place (after as
            // many layers with weights) if that is of its kind, so that the order of several at one place counts too;
            // the options are then compared. Otherwise the file layer is refused below, and the declared one is left
            // for the report of declared layers the file does not have.
            int first = elementwise.FindIndex(e => e.WeightedBefore == weightedBefore);
            if (WeightlessLayers.IsDeclarable(description)
                && first >= 0 && elementwise[first].Layer.Kind == description.Kind)
            {
                (int index, LayerInfo declared, _) = elementwise[first];
                elementwise.RemoveAt(first);
                if (ElementwiseDifference(declared, description) is string difference)
                {
                    ok = false;
                    report.Add($"  layer {index} '{declared.Name}': declared {DescribeDeclared(declared)}");
                    report.Add($"      file:     '{description.Name}' {description.Describe()}");
                    report.Add("      mismatch: " + difference);
                }

                continue;
            }

            // A LayerNormalization with neither center nor scale has no weights; the declaration computes it if it
            // declares as many such layers as the file has (counted below).
            if (description.Kind == LayerKind.LayerNormalization)
            {
                continue;
            }

            if (before is not null && WeightlessLayers.CanFold(before.Description, description) && !folded.ContainsKey(before)
                && matched.FirstOrDefault(p => p.File == before) is { } pairing && pairing.Declared.Kind == LayerKind.Dense
                && (Shared.ActivationCatalog.Canonical(pairing.Declared.Activation) ?? pairing.Declared.Activation) == description.Activation)
            {
                folded[before] = description;
                continue;
            }

            ok = false;
            if (++refused <= MaxReportLines)
            {
                report.Add("  file layer " + WeightlessLayers.Refusal(description, before?.Description));
            }
        }

        foreach ((int index, LayerInfo declared, int at) in elementwise)
        {
            ok = false;
            report.Add($"  layer {index} '{declared.Name}': declared {DescribeDeclared(declared)} after {at} layer(s) with weights; the file has no such layer there.");
        }

        int weightlessInFile = layers.Count(l => !l.IsWeighted && l.Description.Kind == LayerKind.LayerNormalization && !ignored.Contains(l.Description.Name));
        int weightlessDeclared = declaredWeightless;
        if (weightlessInFile != weightlessDeclared)
        {
            ok = false;
            report.Add($"  the file has {weightlessInFile} LayerNormalization layer(s) without weights (center=False, scale=False); the declaration has {weightlessDeclared}: declare [LayerNormalization(Center = false, Scale = false)] where the Keras model has it.");
        }

        if (refused > MaxReportLines)
        {
            report.Add($"  ... and {refused - MaxReportLines} more file layer(s) without weights that change the output.");
        }

        return ok;
    }

    /// <summary>
    /// The declared Activation and Rescaling layers, in order, with how many declared layers with weights come before
    /// each: a file layer pairs with one only at the same place. A linear Activation is an identity on both sides
    /// (<see cref="WeightlessLayers.IsIdentity"/>) and is left out.
    /// </summary>
    private static List<(int Index, LayerInfo Layer, int WeightedBefore)> DeclaredElementwise(ModelInfo info)
    {
        var result = new List<(int, LayerInfo, int)>();
        int weighted = 0;
        for (int i = 0; i < info.Layers.Count; i++)
        {
            LayerInfo layer = info.Layers[i];
            if (layer.Kind is LayerKind.Rescaling or LayerKind.Masking || Shared.LayerShapes.IsGlobalPooling(layer.Kind) || Shared.LayerShapes.IsPooling(layer.Kind)
                || Shared.LayerShapes.IsReshaping(layer.Kind)
                || (layer.Kind == LayerKind.Activation && Canonical(layer.Activation) != "linear"))
            {
                result.Add((i, layer, weighted));
            }

            if (layer.Weights.Count > 0)
            {
                weighted++;
            }
        }

        return result;
    }

    private static string Canonical(string activation) => Shared.ActivationCatalog.Canonical(activation) ?? activation;

    /// <summary>What a file's Activation or Rescaling computes differently from the declared layer of its kind at its place, or null.</summary>
    private static string? ElementwiseDifference(LayerInfo declared, KerasFileLayer file)
    {
        if (Shared.LayerShapes.IsGlobalPooling(declared.Kind))
        {
            return null; // no options: the kinds already agree
        }

        if (declared.Kind == LayerKind.Flatten)
        {
            return null; // no options: the kinds already agree
        }

        if (declared.Kind == LayerKind.RepeatVector)
        {
            return declared.OutputTimesteps == file.RepeatCount ? null : $"n: declared {declared.OutputTimesteps}, file {file.RepeatCount}";
        }

        if (declared.Kind == LayerKind.Reshape)
        {
            // The file's -1 is what the declared input leaves: compare the sizes the file gives, and the rank.
            int[] declaredShape = declared.OutputIsSequence ? new[] { declared.OutputTimesteps, declared.OutputWidth } : new[] { declared.OutputWidth };
            bool same = file.TargetShape is { } target && target.Count == declaredShape.Length
                && target.Select((d, i) => d == -1 || d == declaredShape[i]).All(x => x);
            return same ? null : $"target_shape: declared ({string.Join(", ", declaredShape)}{(declaredShape.Length == 1 ? "," : "")}), file ({string.Join(", ", file.TargetShape ?? Array.Empty<int>())})";
        }

        if (Shared.LayerShapes.IsPooling(declared.Kind))
        {
            return declared.PoolSize == file.PoolSize && declared.Strides == file.Strides && declared.Padding == file.Padding ? null
                : $"pool_size, strides and padding: declared {declared.PoolSize}, {declared.Strides} and {declared.Padding}, file {file.PoolSize}, {file.Strides} and {file.Padding}";
        }

        if (declared.Kind == LayerKind.Activation)
        {
            return Canonical(declared.Activation) == file.Activation ? null
                : $"activation: declared \"{declared.Activation}\", file {file.FileActivation}";
        }

        // The attribute holds floats; the file's numbers are compared as the floats the model computes with (NaN equal to NaN).
        if (declared.Kind == LayerKind.Masking)
        {
            return ((float)declared.MaskValue).Equals((float)file.MaskValue) ? null
                : $"mask_value: declared {Number(declared.MaskValue)}, file {Number(file.MaskValue)}";
        }

        return (float)declared.RescalingScale == (float)file.RescalingScale && (float)declared.RescalingOffset == (float)file.RescalingOffset ? null
            : $"scale and offset: declared {Number(declared.RescalingScale)} and {Number(declared.RescalingOffset)}, file {Number(file.RescalingScale)} and {Number(file.RescalingOffset)}";
    }

    private static string Number(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);
}
