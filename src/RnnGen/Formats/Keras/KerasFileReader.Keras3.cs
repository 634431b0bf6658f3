using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Npz;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Keras;

internal static partial class KerasFileReader
{
    // ---- Keras 3 .weights.h5 (saving_lib.H5IOStore), alone or inside a .keras archive ----

    private static KerasFileContents ReadWeightsH5(Hdf5File file, string source, ModelConfig? config, string? version, string? archiveFormat)
    {
        Hdf5Object root = file.Root;
        string prefix = root.HasChild("layers") ? "layers" : root.HasChild("_layer_checkpoint_dependencies") ? "_layer_checkpoint_dependencies" : "layers";
        Hdf5Object? layersGroup = root.Child(prefix);
        bool tfKeras213 = prefix != "layers";
        var dialect = new KerasDialect(version, tfKeras213 ? 2 : 3);
        string format = archiveFormat ?? (tfKeras213
            ? "tf.keras 2.13-2.15 .weights.h5 (groups under _layer_checkpoint_dependencies)"
            : "Keras 3 .weights.h5 from model.save_weights()");
        var layers = new List<FileLayer>();
        Dictionary<string, FileLayer>? byName = null;
        if (config is not null)
        {
            // saving_lib._save_container_state names each layer by its snake-case class name, numbered from the
            // second of a kind on: lstm, lstm_1, ... in model.layers order.
            var used = new Shared.KerasNameCounter();
            foreach (LayerConfig layer in config.Layers)
            {
                string stem = ShapeInference.ToSnakeCase(layer.ClassName);
                string name = used.Next(stem);

                Hdf5Object? group = layersGroup?.Child(name);
                List<FileWeight> weights = group is null ? new List<FileWeight>() : Vars(group, $"{prefix}/{name}", 0);
                layers.Add(new FileLayer(layer.ToPublic(weights.Select(w => w.Shape).ToArray()), weights));
            }
        }
        else
        {
            byName = new Dictionary<string, FileLayer>();
            IReadOnlyList<Hdf5Link> groups = layersGroup is not null && layersGroup.IsGroup ? layersGroup.Links : Array.Empty<Hdf5Link>();
            if (groups.Count > MaxLayers)
            {
                throw TooManyLayers($"'{prefix}' group of '{source}'", groups.Count);
            }

            foreach (string name in groups.Select(l => l.Name).OrderBy(NaturalKey, StringComparer.Ordinal))
            {
                Hdf5Object group = layersGroup!.Child(name)
                    ?? throw new InvalidDataException($"The layer group '{prefix}/{name}' is a link to nothing.");
                List<FileWeight> weights = Vars(group, $"{prefix}/{name}", 0);
                // Keras 3.0-3.9 and tf.keras 2.13 write an empty group for a layer without weights (Dropout), with
                // nothing that says where in the model it was.
                var layer = new FileLayer(ShapeInference.Describe(name, ShapeInference.ClassFromName(name), weights, WeightlessNote), weights);
                byName[name] = layer;
                if (layer.Description.ClassName != "InputLayer")
                {
                    layers.Add(layer);
                }
            }
        }

        var notes = new List<string>(config?.Notes ?? new List<string>());
        LayerOrder order = LayerOrder.Recorded;
        if (config is null)
        {
            order = OrderByShapes(layers);
            string how = order switch
            {
                LayerOrder.ChainedByWidths => "Layers are shown in the one order in which each kernel takes the previous layer's output.",
                LayerOrder.ChosenAmongWidthOrders => "The kernel widths allow several orders; layers are shown in one of them, with recurrent layers before Dense layers wherever the widths allow and kinds in name order (gru, lstm, simple_rnn), which may not be the model's order.",
                _ => "The kernel widths give no order, so layers are shown by name (lstm, lstm_1, ...).",
            };
            bool weightless = layers.Any(l => l.Weights.Count == 0);
            notes.Add("A .weights.h5 stores no configuration: activations, return_sequences and the order of the layers are not recorded. " + how +
                (weightless ? " Layers without weights are listed last: the file does not say where they go." : "") +
                " RnnGen finds each declared layer by the name Keras gives it (lstm, lstm_1, ... in model order within each kind).");

            // A declared [Dense] is looked up among both the dense and the time_distributed groups (WeightMatcher); where
            // their shapes agree, the file cannot say which is which.
            static bool SameShapes(FileLayer a, FileLayer b) => a.Weights.Count == b.Weights.Count && a.Weights.Zip(b.Weights).All(w => w.First.Dimensions.SequenceEqual(w.Second.Dimensions));
            var wrapped = layers.Where(l => l.Description.IsTimeDistributed).ToList();
            if (layers.Any(l => l.Description.Kind == LayerKind.Dense && !l.Description.IsTimeDistributed && wrapped.Any(w => SameShapes(l, w))))
            {
                notes.Add("A TimeDistributed(Dense) group and a plain Dense group have the same shapes. Both are declared as [Dense], and if they fit the declared Dense layers in more than one order, loading fails rather than guess which weights go where: load the model's .keras file, which records it.");
            }
        }

        var info = new KerasFileInfo(source, archiveFormat is null ? WeightFormat.WeightsH5 : WeightFormat.Keras, format, layers.Select(l => l.Description).ToArray())
        {
            KerasVersion = version,
            ModelClassName = config?.ClassName,
            HasConfig = config is not null,
            GraphProblem = config?.GraphProblem,
            Graph = config?.Graph,
            Order = order,
            Timesteps = config?.Timesteps,
            InputShapeStated = config?.InputShapeStated ?? false,
            InputDim = config?.InputDim ?? FirstKernelRows(layers),
            Notes = notes.ToArray(),
        };
        return new KerasFileContents(info, layers, dialect) { ByGroupName = byName, GroupPrefix = prefix };
    }

    private const string WeightlessNote = "no weights; the file records neither where this layer goes nor its options";

    /// <summary>
    /// Orders the layers of a file without configuration (a Keras 3 <c>.weights.h5</c>) as a Sequential model must be:
    /// each kernel's input width (its rows) is the previous layer's output width, and layers of one kind keep Keras's
    /// numbering (<c>lstm</c> before <c>lstm_1</c>). When several orders fit, the first in a search that tries recurrent
    /// layers before Dense layers (and kinds in name order) is taken: a Dense may come before a recurrent layer, but
    /// only where the widths require it. Layers without weights, whose place the file does not record, go last. When
    /// no order fits, or a layer's kind is unknown, the layers stay by name.
    /// </summary>
    internal static LayerOrder OrderByShapes(List<FileLayer> layers)
    {
        var weighted = layers.Where(l => l.Weights.Count > 0).ToList();
        var weightless = layers.Where(l => l.Weights.Count == 0).ToList();
        LayerOrder order = ChainByWidths(weighted, out List<FileLayer>? chain);
        layers.Clear();
        layers.AddRange(chain ?? weighted);
        layers.AddRange(weightless);
        return order;
    }

    private static LayerOrder ChainByWidths(List<FileLayer> weighted, out List<FileLayer>? chain)
    {
        chain = null;
        if (weighted.Count < 2)
        {
            return weighted.Count == 1 ? LayerOrder.ChainedByWidths : LayerOrder.ByName;
        }

        // A normalization layer's arrays are 1-D, of the width it takes and gives.
        static bool IsNormalization(FileLayer l) => l.Description.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization or LayerKind.Normalization;
        if (weighted.Count > 16 || weighted.Any(l => l.Description.Kind is null || (l.Weights[0].Dimensions.Length != 2 && !IsNormalization(l))))
        {
            return LayerOrder.ByName;
        }

        static bool IsRecurrent(FileLayer l) => l.Description.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;
        static int In(FileLayer l) => l.Weights[0].Dimensions[0];
        static int Out(FileLayer l) => IsNormalization(l) ? l.Weights[0].Dimensions[0] : l.Description.Bidirectional ? 2 * l.Description.Units : l.Description.Units;

        // The search tries recurrent layers first, then by name (the list is already in natural name order).
        var candidates = weighted.Where(IsRecurrent).Concat(weighted.Where(l => !IsRecurrent(l))).ToList();
        var path = new List<FileLayer>();
        var used = new bool[candidates.Count];
        List<FileLayer>? first = null;
        int found = 0;
        int steps = 0;
        void Extend()
        {
            if (found > 1 || ++steps > 100_000)
            {
                return;
            }

            if (path.Count == candidates.Count)
            {
                first ??= new List<FileLayer>(path);
                found++;
                return;
            }

            for (int i = 0; i < candidates.Count; i++)
            {
                FileLayer candidate = candidates[i];
                // A Bidirectional layer's output is 2 * units (concat) or units (sum, mul, ave).
                bool fits = path.Count == 0 || In(candidate) == Out(path[^1]) || (path[^1].Description.Bidirectional && In(candidate) == path[^1].Description.Units);
                // Keras numbers layers of one class in model order (lstm before lstm_1), so that order is fixed.
                bool inNameOrder = Enumerable.Range(0, candidates.Count).All(j => used[j] || !SameStemEarlier(candidates[j].Description.Name, candidate.Description.Name));
                if (!used[i] && fits && inNameOrder)
                {
                    used[i] = true;
                    path.Add(candidate);
                    Extend();
                    path.RemoveAt(path.Count - 1);
                    used[i] = false;
                }
            }
        }

        Extend();
        chain = first;
        return first is null ? LayerOrder.ByName : found == 1 && steps <= 100_000 ? LayerOrder.ChainedByWidths : LayerOrder.ChosenAmongWidthOrders;
    }

    // Whether a is an earlier layer of the same class than b by Keras's numbering (lstm < lstm_1 < lstm_2).
    private static bool SameStemEarlier(string a, string b)
    {
        static (string Stem, int Number) Split(string name)
        {
            int underscore = name.LastIndexOf('_');
            return underscore > 0 && int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? (name[..underscore], n)
                : (name, 0);
        }

        var (stemA, numberA) = Split(a);
        var (stemB, numberB) = Split(b);
        return stemA == stemB && numberA < numberB;
    }

    private static List<FileWeight> Vars(Hdf5Object group, string path, int depth) => Vars(group, path, depth, new HashSet<long>());

    /// <summary>
    /// The variables of a layer group, looked for where Keras keeps them. A group met twice within one layer (hard links
    /// back up the tree, which Keras never writes) is not searched again: otherwise each level of forward_layer /
    /// backward_layer links would double the work.
    /// </summary>
    private static List<FileWeight> Vars(Hdf5Object group, string path, int depth, HashSet<long> visited)
    {
        var weights = new List<FileWeight>();
        if (depth > 4 || !group.IsGroup || !visited.Add(group.Address))
        {
            return weights;
        }

        Hdf5Object? vars = group.Child("vars");
        if (vars is not null && vars.IsGroup)
        {
            // Layer.save_own_variables: store[str(i)] for each variable, i = 0, 1, ...
            var indexed = new List<(int Index, string Name)>();
            foreach (string name in vars.ChildNames)
            {
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    throw new InvalidDataException($"The group '{path}/vars' holds '{name}'; Keras names variables 0, 1, 2, ...");
                }

                indexed.Add((index, name));
            }

            indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
            for (int i = 0; i < indexed.Count; i++)
            {
                if (indexed[i].Index != i)
                {
                    throw new InvalidDataException($"The group '{path}/vars' lacks variable {i} (it holds {string.Join(", ", indexed.Select(e => e.Name))}).");
                }

                Hdf5Object variable = vars.Child(indexed[i].Name)
                    ?? throw new InvalidDataException($"The variable '{path}/vars/{indexed[i].Name}' is a link to nothing.");
                weights.Add(Weight($"{path}/vars/{indexed[i].Name}", variable));
            }
        }

        if (weights.Count > 0)
        {
            return weights;
        }

        // Bidirectional keeps forward_layer and backward_layer; RNN layers keep their variables in cell; a
        // TimeDistributed wrapper in layer.
        Hdf5Object? forward = group.Child("forward_layer");
        Hdf5Object? backward = group.Child("backward_layer");
        if (forward is not null && backward is not null)
        {
            weights.AddRange(Vars(forward, path + "/forward_layer", depth + 1, visited));
            weights.AddRange(Vars(backward, path + "/backward_layer", depth + 1, visited));
            return weights;
        }

        // MultiHeadAttention keeps its four EinsumDense projections under query_dense, key_dense, value_dense and
        // output_dense (saving_lib._walk_saveable visits its public properties by name; early Keras 3 releases saved the
        // private attributes, _query_dense, ...). Read them in get_weights() order, not the file's alphabetical one.
        string[] projections = { "query_dense", "key_dense", "value_dense", "output_dense" };
        if (projections.All(p => group.Child(p) is not null || group.Child("_" + p) is not null))
        {
            foreach (string projection in projections)
            {
                string name = group.Child(projection) is not null ? projection : "_" + projection;
                weights.AddRange(Vars(group.Child(name)!, path + "/" + name, depth + 1, visited));
            }

            return weights;
        }

        foreach (string inner in new[] { "cell", "layer" })
        {
            Hdf5Object? child = group.Child(inner);
            if (child is not null)
            {
                List<FileWeight> found = Vars(child, path + "/" + inner, depth + 1, visited);
                if (found.Count > 0)
                {
                    return found;
                }
            }
        }

        return weights;
    }

    private static KerasFileContents ReadArchive(ZipContainer zip, string source, (long Bytes, string Text) limit)
    {
        // saving_lib.save_model: config.json, metadata.json, model.weights.h5 (or .npz with weights_format="npz").
        if (!zip.Contains("model.weights.h5"))
        {
            throw new InvalidDataException(zip.Contains("model.weights.npz")
                ? $"The .keras archive '{source}' stores its weights as model.weights.npz (weights_format=\"npz\", pickled dicts); RnnGen reads model.weights.h5. Re-save with the default weights format."
                : $"The zip archive '{source}' has no model.weights.h5, so it is not a .keras model archive (it holds: {string.Join(", ", zip.EntryNames.Take(10).DefaultIfEmpty("nothing"))}).");
        }

        string? version = null;
        if (zip.Contains("metadata.json"))
        {
            version = ReadMetadataVersion(zip.Read("metadata.json", MaxMetadataBytes, "the 1 MiB limit on metadata.json"), source);
        }

        var dialect = new KerasDialect(version, 3);
        ModelConfig? config = zip.Contains("config.json")
            ? KerasConfig.Parse(zip.Read("config.json", MaxConfigBytes, "the 16 MiB limit on config.json"), dialect, $"config.json of '{source}'")
            : null;
        Hdf5File weights = Hdf5File.Open(zip.Read("model.weights.h5", limit.Bytes, limit.Text));
        return ReadWeightsH5(weights, source, config, version, $".keras archive (model.save(), {(config is null ? "without config.json" : "config.json + model.weights.h5")})");
    }

    private static string? ReadMetadataVersion(byte[] json, string source)
    {
        string what = $"metadata.json of '{source}'";
        using JsonDocument document = KerasConfig.ParseDocument(json, what);
        try
        {
            // Property names are unescaped to be compared, so a lone surrogate in a name throws here as in a value.
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("keras_version", out JsonElement v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (InvalidOperationException e)
        {
            throw KerasConfig.NotText(what, e);
        }
    }
}
