using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Matches a file's layers to a model declaration and reads the weights in <c>get_weights()</c> order. Layers are
/// paired by position among the layers that hold weights, as Keras's legacy loader does
/// (<c>load_weights_from_hdf5_group</c> filters out weightless layers such as Dropout); a Keras 3 <c>.weights.h5</c>
/// without configuration is looked up by the group names Keras derives from the declared layers. Every difference —
/// kind, units, activations (as the file's Keras version computes them), bias, GRU reset_after, direction,
/// return_sequences, bidirectional merge mode, weight shapes — is collected first, and all of them are reported in one
/// <see cref="ArgumentException"/> before any array is read, so a mismatching file never half-loads a model.
/// </summary>
internal static partial class WeightMatcher
{
    /// <param name="file">What the file holds.</param>
    /// <param name="info">The declaration.</param>
    /// <param name="ignoredLayers">File layers (by name) the caller applies itself: passed over, whatever they are.</param>
    public static float[][] Match(KerasFileContents file, ModelInfo info, IReadOnlyCollection<string>? ignoredLayers = null)
    {
        var report = new List<string>();
        bool ok = true;
        var pairs = new List<(LayerInfo Declared, List<FileWeight> Weights)>();
        var ignored = new HashSet<string>(ignoredLayers ?? Array.Empty<string>(), StringComparer.Ordinal);
        CheckIgnoredNames(file, ignored);
        if (file.Info.GraphProblem is string graph && ignored.Count == 0)
        {
            // Pairing a graph's layers with a chain would report a mismatch at every layer after the first branch.
            throw new ArgumentException(FunctionalGraph.Refusal(file.Info.Source, graph) + " Nothing was loaded.");
        }

        var folded = new Dictionary<FileLayer, KerasFileLayer>();
        var weightless = new List<string>();
        var unsupported = new List<string>();

        if (file.FlatArrays is not null)
        {
            ok = MatchFlat(file.FlatArrays, info, report, pairs);
        }
        else
        {
            // A layer with weights that RnnGen does not generate is reported once, by itself, and left out of the
            // pairing: paired by position it would shift every later layer onto the wrong weights.
            foreach (FileLayer layer in file.Layers.Where(l => l.Description.Kind is null && l.Weights.Count > 0 && !ignored.Contains(l.Description.Name)))
            {
                if (unsupported.Count < MaxReportLines)
                {
                    unsupported.Add("  file layer " + UnsupportedLayers.Refusal(layer.Description));
                }
                else if (unsupported.Count == MaxReportLines)
                {
                    unsupported.Add("  ... and more file layers that RnnGen does not generate.");
                }

                ignored.Add(layer.Description.Name);
            }

            List<Pairing> matched;
            List<FileLayer> extra;
            if (file.ByGroupName is not null)
            {
                (matched, extra) = PairByGroupName(file.ByGroupName, info, report, ignored);
                ok &= report.Count == 0;
            }
            else
            {
                (matched, extra) = PairByPosition(file.Layers, info, ignored);
                int declaredWeightless = info.Layers.Count(l => l.Kind == LayerKind.LayerNormalization && l.Weights.Count == 0);
                ok &= CheckWeightless(file.Layers, matched, ignored, weightless, folded, declaredWeightless, info);
            }

            foreach (Pairing pairing in matched)
            {
                LayerInfo declared = pairing.Declared;
                FileLayer? fileLayer = pairing.File;
                KerasFileLayer? activation = fileLayer is not null && folded.TryGetValue(fileLayer, out KerasFileLayer? a) ? a : null;
                List<string> problems = Compare(declared, fileLayer, file, pairing.GroupName, activation);
                ok &= problems.Count == 0;
                report.Add($"  layer {pairing.Index} '{declared.Name}': declared {DescribeDeclared(declared)}");
                report.Add(fileLayer is not null ? $"      file:     '{fileLayer.Description.Name}' {fileLayer.Description.Describe()}{(activation is null ? "" : $" then '{activation.Name}' Activation({activation.FileActivation}), which it computes as one Dense")}"
                    : pairing.GroupName is null ? "      file:     nothing (the file has fewer layers with weights)"
                    : $"      file:     no group '{file.GroupPrefix}/{pairing.GroupName}' (the file's groups with weights: {GroupList(file.ByGroupName!)})");
                report.AddRange(problems.Select(p => "      mismatch: " + p));
                if (fileLayer is not null)
                {
                    pairs.Add((declared, fileLayer.Weights));
                }
            }

            // A file may hold any number of layers: describe the first few, count the rest (Summarize cuts the report
            // anyway, but describing 100,000 layers first would cost time and memory in proportion).
            ok &= extra.Count == 0;
            // Where a layer goes: before the declared layer that pairs with the next file layer, if any (positions looked
            // up once: a hostile file may hold 100,000 layers).
            var positionOf = extra.Count == 0 ? null : file.Layers.Select((l, i) => (l, i)).ToDictionary(e => e.l, e => e.i);
            foreach (FileLayer unmatched in extra.Take(MaxReportLines))
            {
                int position = positionOf![unmatched];
                Pairing? next = matched.Where(p => p.File is not null && positionOf[p.File] > position).OrderBy(p => positionOf[p.File!]).FirstOrDefault();
                string where = next is null ? "" : $" before layer {next.Index} '{next.Declared.Name}'";
                report.Add($"  file layer '{unmatched.Description.Name}' {unmatched.Description.Describe()} with {unmatched.Weights.Count} weight array(s) is not declared: add it to the declaration{where} (rnngen inspect prints the whole declaration), or name it in ignoredLayers to apply it yourself.");
            }

            if (extra.Count > MaxReportLines)
            {
                report.Add($"  ... and {extra.Count - MaxReportLines} more file layer(s) with weights that are not declared.");
            }

            report.AddRange(weightless);
        }

        if (unsupported.Count > 0)
        {
            // The declared layers that do pair with the file are only listed when something else is wrong with them.
            KerasFileInfo source = file.Info;
            string version = source.KerasVersion is null ? "" : ", Keras " + source.KerasVersion;
            string rest = ok ? "" : Environment.NewLine + "Other differences, with those layers passed over:" + Environment.NewLine + Summarize(report);
            throw new ArgumentException(
                $"{info.Name} cannot be loaded from '{source.Source}' ({source.FormatDescription}{version}): it has layers that RnnGen does not generate; nothing was loaded.{Environment.NewLine}" +
                string.Join(Environment.NewLine, unsupported) + Environment.NewLine + UnsupportedLayers.Supported + rest);
        }

        if (!ok)
        {
            KerasFileInfo source = file.Info;
            string version = source.KerasVersion is null ? "" : ", Keras " + source.KerasVersion;
            throw new ArgumentException(
                $"{info.Name} does not match the weights in '{source.Source}' ({source.FormatDescription}{version}); nothing was loaded.{Environment.NewLine}" +
                Summarize(report));
        }

        // Only now, with every shape checked, read the arrays (a corrupt array still fails before anything is set).
        var result = new List<float[]>(info.Weights.Count);
        foreach (var (declared, weights) in pairs)
        {
            for (int i = 0; i < weights.Count; i++)
            {
                float[] values = weights[i].Read(declared.Weights[i].Length);
                if (values.Length != declared.Weights[i].Length)
                {
                    throw new System.IO.InvalidDataException($"The weight '{weights[i].Name}' read {values.Length} values; its shape says {declared.Weights[i].Length}.");
                }

                result.Add(values);
            }
        }

        return result.ToArray();
    }

    private static void CheckIgnoredNames(KerasFileContents file, HashSet<string> ignored)
    {
        if (ignored.Count == 0)
        {
            return;
        }

        var names = new List<string>();
        if (file.ByGroupName is not null)
        {
            names.AddRange(file.ByGroupName.Keys);
        }
        else if (file.FlatArrays is null)
        {
            names.AddRange(file.Layers.Select(l => l.Description.Name));
        }

        var known = new HashSet<string>(names, StringComparer.Ordinal);
        string[] unknown = ignored.Where(n => !known.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            string has = file.FlatArrays is not null ? "an .npz has arrays, not named layers" : "its layers are " + NameList(names.Select(n => $"'{n}'").DefaultIfEmpty("none").ToList());
            throw new ArgumentException(
                $"ignoredLayers names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which '{file.Info.Source}' does not have ({has}); nothing was loaded.",
                "ignoredLayers");
        }
    }

    /// <summary>Lines past this many are summarized in a mismatch report; a hostile file may hold 100,000 layers.</summary>
    internal const int MaxReportLines = 40;

    /// <summary>Characters past this many are cut from a line of a mismatch report (file layer names are the file's to choose).</summary>
    internal const int MaxReportLineLength = 400;

    /// <summary>The report lines joined, at most <see cref="MaxReportLines"/> of at most <see cref="MaxReportLineLength"/> characters each.</summary>
    internal static string Summarize(IReadOnlyList<string> lines)
    {
        var shown = lines.Take(MaxReportLines).Select(l => l.Length <= MaxReportLineLength ? l : l[..MaxReportLineLength] + "...").ToList();
        if (lines.Count > MaxReportLines)
        {
            shown.Add($"  ... and {lines.Count - MaxReportLines} more line(s) of differences.");
        }

        return string.Join(Environment.NewLine, shown);
    }

    /// <summary>A comma-separated list of at most 20 names, then how many more there are.</summary>
    private static string NameList(IReadOnlyList<string> names) =>
        names.Count <= 20 ? string.Join(", ", names) : string.Join(", ", names.Take(20)) + $" and {names.Count - 20} more";

    private static bool MatchFlat(List<FileWeight> arrays, ModelInfo info, List<string> report, List<(LayerInfo, List<FileWeight>)> pairs)
    {
        bool ok = arrays.Count == info.Weights.Count;
        if (!ok)
        {
            report.Add($"  the .npz holds {arrays.Count} arrays; {info.Name} declares {info.Weights.Count} in get_weights() order:");
        }

        int next = 0;
        for (int l = 0; l < info.Layers.Count; l++)
        {
            LayerInfo layer = info.Layers[l];
            if (layer.Weights.Count == 0)
            {
                continue;
            }

            var taken = arrays.Skip(next).Take(layer.Weights.Count).ToList();
            next += layer.Weights.Count;
            var problems = new List<string>();
            for (int i = 0; i < layer.Weights.Count; i++)
            {
                WeightShape want = layer.Weights[i];
                if (i >= taken.Count)
                {
                    problems.Add($"{want.Name} {want.ShapeText}: no array left in the file");
                }
                else if (!want.Dimensions.SequenceEqual(taken[i].Dimensions))
                {
                    problems.Add($"{want.Name}: declared {want.ShapeText}, file {taken[i].Name} {taken[i].Shape.ShapeText}");
                }
            }

            ok &= problems.Count == 0;
            report.Add($"  layer {l} '{layer.Name}': declared {DescribeDeclared(layer)}; arrays {string.Join(", ", taken.Select(t => t.Name + " " + t.Shape.ShapeText))}");
            report.AddRange(problems.Select(p => "      mismatch: " + p));
            pairs.Add((layer, taken));
        }

        for (int i = next; i < Math.Min(arrays.Count, next + MaxReportLines); i++)
        {
            report.Add($"  file array {arrays[i].Name} {arrays[i].Shape.ShapeText} is not declared.");
        }

        if (arrays.Count > next + MaxReportLines)
        {
            report.Add($"  ... and {arrays.Count - next - MaxReportLines} more file array(s) that are not declared.");
        }

        return ok;
    }
}
