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
internal static class WeightMatcher
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
            foreach (FileLayer unmatched in extra.Take(MaxReportLines))
            {
                report.Add($"  file layer '{unmatched.Description.Name}' {unmatched.Description.Describe()} with {unmatched.Weights.Count} weight array(s) is not declared: add it to the declaration.");
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

    /// <summary>A declared layer and the file layer it is loaded from (<c>File</c> null: none), with the group name looked up when matching by name.</summary>
    private sealed record Pairing(int Index, LayerInfo Declared, FileLayer? File, string? GroupName);

    private static (List<Pairing>, List<FileLayer>) PairByPosition(List<FileLayer> layers, ModelInfo info, HashSet<string> ignored)
    {
        // Layers without weights (Dropout; a normalization with neither center nor scale) take no position.
        var declared = info.Layers.Select((l, i) => (Index: i, Layer: l)).Where(e => e.Layer.Weights.Count > 0).ToList();
        var inFile = layers.Where(l => l.IsWeighted && !ignored.Contains(l.Description.Name)).ToList();
        var matched = new List<Pairing>();
        for (int i = 0; i < declared.Count; i++)
        {
            matched.Add(new Pairing(declared[i].Index, declared[i].Layer, i < inFile.Count ? inFile[i] : null, null));
        }

        return (matched, inFile.Skip(declared.Count).ToList());
    }

    /// <summary>
    /// The Keras 3 weight group of each declared layer: saving_lib._save_container_state names the groups as Keras
    /// names the layers (<see cref="Shared.KerasNameCounter"/>), by class, whatever the layers' own names. Loading
    /// pairs groups by it and <see cref="KerasWeights.Save(IRnnModel, string)"/> writes them by it.
    /// </summary>
    internal static string[] GroupNames(ModelInfo info)
    {
        var used = new Shared.KerasNameCounter();
        var names = new string[info.Layers.Count];
        for (int i = 0; i < names.Length; i++)
        {
            LayerInfo layer = info.Layers[i];
            names[i] = used.Next(layer.Bidirectional ? "bidirectional" : Shared.LayerShapes.KerasNameStem(layer.Kind));
        }

        return names;
    }

    private static (List<Pairing>, List<FileLayer>) PairByGroupName(Dictionary<string, FileLayer> byName, ModelInfo info, List<string> report, HashSet<string> ignored)
    {
        string[] names = GroupNames(info);

        // A Dense wrapped in TimeDistributed is stored as time_distributed[_N]/layer/vars, numbered apart from the plain
        // dense[_N] groups (saving_lib names by class; Wrapper keeps the inner layer as .layer). A declared [Dense] may be
        // either: the declaration's Dense layers take the two numbered series in some interleaving, found by the shapes.
        var dense = Enumerable.Range(0, info.Layers.Count).Where(i => info.Layers[i].Kind == LayerKind.Dense).ToList();
        List<string> wrapped = Series(byName, "time_distributed", l => l.IsTimeDistributed);
        if (dense.Count > 0 && wrapped.Count > 0)
        {
            List<string> plain = Series(byName, "dense", _ => true);
            string?[] assigned = AssignDense(dense.Select(i => info.Layers[i]).ToList(), plain, wrapped, byName, out int fitting);
            for (int d = 0; d < dense.Count; d++)
            {
                names[dense[d]] = assigned[d] ?? names[dense[d]];
            }

            if (fitting > 1)
            {
                report.Add($"  the file's {string.Join(", ", plain.Concat(wrapped).Select(n => $"'{n}'"))} groups fit the declared Dense layers in more than one order: a .weights.h5 does not record which Dense layers Keras wrapped in TimeDistributed, so which weights go where cannot be told. Load the model's .keras (or legacy .h5) file instead, which records it.");
            }
        }

        var matched = new List<Pairing>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < info.Layers.Count; i++)
        {
            LayerInfo layer = info.Layers[i];
            taken.Add(names[i]);
            if (layer.Weights.Count > 0)
            {
                matched.Add(new Pairing(i, layer, byName.TryGetValue(names[i], out FileLayer? found) ? found : null, names[i]));
            }
        }

        var extra = byName.Where(e => !taken.Contains(e.Key) && !ignored.Contains(e.Key) && e.Value.Weights.Count > 0).Select(e => e.Value).ToList();
        return (matched, extra);
    }

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
            if (description.Kind is LayerKind.Activation or LayerKind.Rescaling or LayerKind.Masking or LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D
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
            if (layer.Kind is LayerKind.Rescaling or LayerKind.Masking || Shared.LayerShapes.IsGlobalPooling(layer.Kind)
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

    /// <summary>The groups <c>stem</c>, <c>stem_1</c>, <c>stem_2</c>, ... of the file that hold weights, in Keras's numbering (model) order.</summary>
    private static List<string> Series(Dictionary<string, FileLayer> byName, string stem, Func<KerasFileLayer, bool> accept)
    {
        var series = new List<(int Number, string Name)>();
        foreach (var (name, layer) in byName)
        {
            int number = name == stem ? 0
                : name.StartsWith(stem + "_", StringComparison.Ordinal) && int.TryParse(name.AsSpan(stem.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
                : -1;
            if (number >= 0 && layer.Weights.Count > 0 && accept(layer.Description))
            {
                series.Add((number, name));
            }
        }

        return series.OrderBy(e => e.Number).Select(e => e.Name).ToList();
    }

    /// <summary>
    /// Gives each declared Dense layer, in order, the next plain <c>dense</c> group or the next <c>time_distributed</c>
    /// group, choosing the interleaving in which the most declared layers fit their group's shapes exactly (then the
    /// most whose kernel rows fit; then plain groups first). <paramref name="fitting"/> counts the interleavings in which
    /// every declared Dense fits and every group is used (up to 2: more than one means the file cannot tell).
    /// </summary>
    private static string?[] AssignDense(List<LayerInfo> declared, List<string> plain, List<string> wrapped, Dictionary<string, FileLayer> byName, out int fitting)
    {
        var current = new string?[declared.Count];
        string?[] best = new string?[declared.Count];
        (int Fit, int Rows) bestScore = (-1, -1);
        int complete = 0;
        int steps = 0;

        bool Fits(LayerInfo layer, FileLayer group) =>
            group.Weights.Count == layer.Weights.Count
            && Enumerable.Range(0, layer.Weights.Count).All(w => layer.Weights[w].Dimensions.SequenceEqual(group.Weights[w].Dimensions));

        bool RowsFit(LayerInfo layer, FileLayer group) =>
            layer.Weights.Count > 0 && group.Weights.Count > 0 && group.Weights[0].Dimensions.Length == 2
            && group.Weights[0].Dimensions[0] == layer.Weights[0].Dimensions[0];

        void Search(int j, int p, int q, int fit, int rows)
        {
            if (++steps > 200_000)
            {
                return;
            }

            if (j == declared.Count)
            {
                if (fit == declared.Count && p == plain.Count && q == wrapped.Count)
                {
                    complete++;
                }

                if (fit > bestScore.Fit || (fit == bestScore.Fit && rows > bestScore.Rows))
                {
                    bestScore = (fit, rows);
                    current.CopyTo(best, 0);
                }

                return;
            }

            bool any = false;
            foreach (var (series, index, isPlain) in new[] { (plain, p, true), (wrapped, q, false) })
            {
                if (index >= series.Count)
                {
                    continue;
                }

                any = true;
                FileLayer group = byName[series[index]];
                current[j] = series[index];
                Search(j + 1, isPlain ? p + 1 : p, isPlain ? q : q + 1, fit + (Fits(declared[j], group) ? 1 : 0), rows + (RowsFit(declared[j], group) ? 1 : 0));
            }

            if (!any)
            {
                current[j] = null; // both series used up: this layer is missing from the file
                Search(j + 1, p, q, fit, rows);
            }
        }

        Search(0, 0, 0, 0, 0);
        fitting = complete;
        return best;
    }

    private static string GroupList(Dictionary<string, FileLayer> byName)
    {
        string[] names = byName.Where(e => e.Value.Weights.Count > 0).Select(e => e.Key).ToArray();
        return names.Length == 0 ? "none" : NameList(names);
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

        if (layer.Kind == LayerKind.Rescaling)
        {
            return $"Rescaling(scale={Number(layer.RescalingScale)}, offset={Number(layer.RescalingOffset)})";
        }

        if (layer.Kind == LayerKind.Masking)
        {
            return $"Masking(mask_value={Number(layer.MaskValue)})";
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
