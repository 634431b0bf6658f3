using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RnnGen.Formats.Keras;

// Which file layer each declared layer loads from: by position, or by Keras's group names (with the Dense layers
// assigned by their shapes), and the lists a mismatch report names.
internal static partial class WeightMatcher
{
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

        if (matched.All(p => p.File is null || SameKind(p.Declared, p.File)))
        {
            return (matched, inFile.Skip(declared.Count).ToList());
        }

        // Paired by position, a layer that one side has and the other lacks (an Embedding left out of the declaration)
        // shifts every later pair onto the wrong kind, and each of them is reported. When the kinds of one side are
        // the other's with layers left out, pair along that instead: only the layers left out are reported.
        if (declared.Count < inFile.Count && TryAlign(declared.Select(d => d.Layer).ToList(), inFile, (d, f) => SameKind(d, f), out int[] fileOf))
        {
            var taken = new HashSet<FileLayer>(fileOf.Select(f => inFile[f]));
            return (declared.Select((d, i) => new Pairing(d.Index, d.Layer, inFile[fileOf[i]], null)).ToList(), inFile.Where(l => !taken.Contains(l)).ToList());
        }

        if (declared.Count > inFile.Count && TryAlign(inFile, declared.Select(d => d.Layer).ToList(), (f, d) => SameKind(d, f), out int[] declaredOf))
        {
            var fileFor = new FileLayer?[declared.Count];
            for (int f = 0; f < declaredOf.Length; f++)
            {
                fileFor[declaredOf[f]] = inFile[f];
            }

            return (declared.Select((d, i) => new Pairing(d.Index, d.Layer, fileFor[i], null)).ToList(), new List<FileLayer>());
        }

        return (matched, inFile.Skip(declared.Count).ToList());
    }

    private static bool SameKind(LayerInfo declared, FileLayer file) =>
        file.Description.Kind == declared.Kind && file.Description.Bidirectional == declared.Bidirectional;

    // Whether every item of `shorter` pairs, in order, with an item of `longer` (the earliest that fits); `into` gives,
    // for each item of `shorter`, the index of its partner.
    private static bool TryAlign<TShort, TLong>(List<TShort> shorter, List<TLong> longer, Func<TShort, TLong, bool> fits, out int[] into)
    {
        into = new int[shorter.Count];
        int next = 0;
        for (int i = 0; i < shorter.Count; i++)
        {
            while (next < longer.Count && !fits(shorter[i], longer[next]))
            {
                next++;
            }

            if (next == longer.Count)
            {
                return false;
            }

            into[i] = next++;
        }

        return true;
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
}
