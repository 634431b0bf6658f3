using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Npz;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Opens any Keras weight file RnnGen reads and describes it as layers of readable weight arrays. The format is decided
/// by the content: a zip is a <c>.keras</c> archive if it holds <c>model.weights.h5</c> and an <c>.npz</c> if it holds
/// <c>.npy</c> arrays; an HDF5 file is a Keras 3 <c>.weights.h5</c> if it has a <c>layers</c> (or, from tf.keras
/// 2.13-2.15, <c>_layer_checkpoint_dependencies</c>) group, and a legacy <c>.h5</c> if it has <c>model_weights</c> or
/// a <c>layer_names</c> attribute.
/// </summary>
internal static class KerasFileReader
{
    /// <summary>The largest weight file or archive entry read (the largest .NET byte array).</summary>
    public const long MaxBytes = int.MaxValue - 1024;

    /// <summary>
    /// The largest <c>config.json</c> read from a <c>.keras</c> archive. Keras writes about 1-2 KB per layer, so 16 MiB
    /// is some ten thousand layers; a larger one is refused before it is inflated (a deflated run of zeros could
    /// otherwise make a small archive cost gigabytes).
    /// </summary>
    public const long MaxConfigBytes = 16L << 20;

    /// <summary>
    /// The most layers a file may list (in its configuration, its <c>layer_names</c> or its <c>layers</c> group).
    /// Describing a layer costs a few kilobytes whatever the file spends on it (a link to a group is some 20 bytes), so
    /// this keeps a file of nothing but layer links within a fixed amount of memory. RnnGen models have tens of layers;
    /// a generated model of thousands would itself be megabytes of code.
    /// </summary>
    public const int MaxLayers = 4096;

    /// <summary>The error for a file listing more than <see cref="MaxLayers"/> layers.</summary>
    internal static InvalidDataException TooManyLayers(string what, int count) =>
        new($"The {what} lists {count} layers, more than the {MaxLayers} RnnGen reads from one file.");

    /// <summary>The largest <c>metadata.json</c> read (Keras writes about 100 bytes: version and date).</summary>
    public const long MaxMetadataBytes = 1L << 20;

    public static WeightFormat Detect(byte[] data)
    {
        if (ZipContainer.HasSignature(data))
        {
            var zip = new ZipContainer(data, "zip archive");
            return DetectZip(zip);
        }

        if (Hdf5File.HasSignature(data))
        {
            return DetectHdf5(Hdf5File.Open(data));
        }

        throw new InvalidDataException(
            $"Not a Keras weight file: expected a zip archive (.keras, .npz; starts with \"PK\") or an HDF5 file (.h5; starts with \"\\x89HDF\"), but the file starts with {Hdf5Cursor.Printable(data.AsSpan(0, Math.Min(8, data.Length)))}.");
    }

    /// <summary>
    /// The most bytes a load inflates out of an archive (model.weights.h5 of a .keras, the arrays of an .npz) for a
    /// model declared as <paramref name="info"/>: 16 MiB plus 16 times the declared weights as float32. That leaves
    /// room for float64 weights, an optimizer's slots (Adam keeps two per weight) and the HDF5 structure around them,
    /// and refuses a decompression bomb before it is inflated.
    /// </summary>
    public static long InflateLimit(ModelInfo info)
    {
        long elements = 0;
        foreach (WeightShape shape in info.Weights)
        {
            elements += shape.Length;
        }

        return Math.Min(MaxBytes, BaseInflateBytes + 16 * 4 * elements);
    }

    /// <summary>
    /// The most bytes <c>Inspect</c>, which has no declaration to go by, inflates out of an archive: 64 MiB, or 100
    /// times the archive's size when that is more. Real weights barely compress (float32 noise deflates by a few
    /// percent); only an archive of almost nothing but zeros expands further.
    /// </summary>
    public static long InspectInflateLimit(long archiveBytes) => Math.Min(MaxBytes, Math.Max(InspectInflateBytes, InspectInflateRatio * archiveBytes));

    private const long BaseInflateBytes = 16L << 20;
    private const long InspectInflateBytes = 64L << 20;
    private const long InspectInflateRatio = 100;

    /// <summary>
    /// Reads a weight file. <paramref name="inflateLimit"/> bounds what is inflated out of an archive (see
    /// <see cref="InflateLimit"/>); <see langword="null"/> applies <see cref="InspectInflateLimit"/>.
    /// </summary>
    public static KerasFileContents Read(byte[] data, WeightFormat requested, string source, long? inflateLimit = null)
    {
        WeightFormat detected;
        ZipContainer? zip = null;
        Hdf5File? hdf5 = null;
        if (ZipContainer.HasSignature(data))
        {
            zip = new ZipContainer(data, $"zip archive '{source}'");
            detected = DetectZip(zip);
        }
        else if (Hdf5File.HasSignature(data))
        {
            hdf5 = Hdf5File.Open(data);
            detected = DetectHdf5(hdf5);
        }
        else
        {
            detected = Detect(data); // throws with the reason
        }

        if (requested != WeightFormat.Detect && requested != detected)
        {
            throw new InvalidDataException($"'{source}' was read as {Describe(requested)}, but it is {Describe(detected)}.");
        }

        return detected switch
        {
            WeightFormat.LegacyH5 => ReadLegacy(hdf5!, source),
            WeightFormat.WeightsH5 => ReadWeightsH5(hdf5!, source, null, null, null),
            WeightFormat.Keras => ReadArchive(zip!, source, Limit(zip!, inflateLimit)),
            _ => ReadNpz(zip!, source, Limit(zip!, inflateLimit)),
        };
    }

    private static (long Bytes, string Text) Limit(ZipContainer zip, long? inflateLimit) => inflateLimit is long limit
        ? (limit, "the load inflates for the declared weights (16 MiB + 16 x their float32 size)")
        : (InspectInflateLimit(zip.Size), "Inspect inflates (64 MiB, or 100 x the archive's size)");

    public static string Describe(WeightFormat format) => format switch
    {
        WeightFormat.Keras => "a .keras archive",
        WeightFormat.WeightsH5 => "a Keras 3 .weights.h5 file",
        WeightFormat.LegacyH5 => "a legacy Keras .h5 file",
        WeightFormat.Npz => "a NumPy .npz archive",
        _ => "a file of undetected format",
    };

    private static WeightFormat DetectZip(ZipContainer zip)
    {
        if (zip.Contains("model.weights.h5") || zip.Contains("config.json") || zip.Contains("metadata.json"))
        {
            return WeightFormat.Keras;
        }

        if (zip.EntryNames.Any(n => n.EndsWith(".npy", StringComparison.Ordinal)))
        {
            return WeightFormat.Npz;
        }

        throw new InvalidDataException(
            "A zip archive without model.weights.h5 (so not a .keras file) and without .npy arrays (so not an .npz file); " +
            $"it holds: {string.Join(", ", zip.EntryNames.Take(10).DefaultIfEmpty("nothing"))}.");
    }

    private static WeightFormat DetectHdf5(Hdf5File file)
    {
        Hdf5Object root = file.Root;
        if (root.HasChild("layers") || root.HasChild("_layer_checkpoint_dependencies"))
        {
            return WeightFormat.WeightsH5;
        }

        if (root.HasChild("model_weights") || root.Attribute("layer_names") is not null || root.Attribute("layer_names0") is not null)
        {
            return WeightFormat.LegacyH5;
        }

        if (root.HasChild("vars"))
        {
            return WeightFormat.WeightsH5; // a Keras 3 model without layers
        }

        throw new InvalidDataException(
            "An HDF5 file, but not a Keras weight file: it has neither a 'layers' group (Keras 3 .weights.h5) nor 'model_weights' or a 'layer_names' attribute (legacy Keras .h5). " +
            $"Its root holds: {string.Join(", ", root.ChildNames.Take(10).DefaultIfEmpty("nothing"))}.");
    }

    // ---- legacy Keras 2 / tf.keras .h5 (legacy_h5_format.py / hdf5_format.py) ----

    /// <summary>
    /// A Keras 2 architecture JSON (<c>model.to_json()</c>) with the legacy HDF5 of <c>model.save_weights()</c>: read as
    /// the full-model <c>.h5</c> of <c>model.save()</c>, whose <c>model_config</c> attribute is the same JSON (Keras 2's
    /// <c>to_json</c> adds only <c>keras_version</c> and <c>backend</c>, keras/engine/network.py). Returns
    /// <see langword="null"/> when <paramref name="weights"/> is not a legacy HDF5 weight file (a Keras 3
    /// <c>.weights.h5</c> goes with the Keras 3 JSON as an archive does).
    /// </summary>
    public static KerasFileContents? ReadLegacyWithArchitecture(byte[] weights, string architectureJson, string source)
    {
        if (!Hdf5File.HasSignature(weights))
        {
            return null;
        }

        Hdf5File hdf5 = Hdf5File.Open(weights);
        return DetectHdf5(hdf5) == WeightFormat.LegacyH5 ? ReadLegacy(hdf5, source, architectureJson) : null;
    }

    private static KerasFileContents ReadLegacy(Hdf5File file, string source, string? architectureJson = null)
    {
        Hdf5Object root = file.Root;
        Hdf5Object? modelWeights = root.Child("model_weights");
        Hdf5Object weightsGroup = modelWeights ?? root;
        string? version = OptionalString(root, "keras_version") ?? OptionalString(weightsGroup, "keras_version");
        string? backend = OptionalString(root, "backend") ?? OptionalString(weightsGroup, "backend");
        var dialect = new KerasDialect(version, 2);
        string? configJson = architectureJson ?? OptionalString(root, "model_config");
        ModelConfig? config = configJson is null ? null : KerasConfig.Parse(configJson, dialect, $"model_config of '{source}'");

        string[] layerNames = StringList(weightsGroup, "layer_names")
            ?? throw new InvalidDataException($"'{source}' is a legacy Keras .h5 file without the 'layer_names' attribute that lists its layers.");
        if (layerNames.Length > MaxLayers)
        {
            throw TooManyLayers($"layer_names attribute of '{source}'", layerNames.Length);
        }
        var configByName = new Dictionary<string, LayerConfig>();
        foreach (LayerConfig layer in config?.Layers ?? new List<LayerConfig>())
        {
            configByName.TryAdd(layer.Name, layer);
        }

        var layers = new List<FileLayer>();
        foreach (string name in layerNames)
        {
            Hdf5Object group = weightsGroup.Child(name)
                ?? throw new InvalidDataException($"'{source}' lists the layer '{name}' in layer_names but has no group for it.");
            // hdf5_format.load_weights_from_hdf5_group: weights in the order of weight_names (HDF5's own order is
            // alphabetical: backward before forward, bias before kernel).
            string[] weightNames = StringList(group, "weight_names") ?? Array.Empty<string>();
            var weights = new List<FileWeight>();
            foreach (string weightName in weightNames)
            {
                Hdf5Object data = group.Resolve(weightName)
                    ?? throw new InvalidDataException($"'{source}': the layer '{name}' lists the weight '{weightName}' in weight_names, but the file has no such dataset.");
                weights.Add(Weight(weightName, data));
            }

            KerasFileLayer description = configByName.TryGetValue(name, out LayerConfig? layerConfig)
                ? layerConfig.ToPublic(weights.Select(w => w.Shape).ToArray())
                : ShapeInference.Describe(name, null, weights);
            if (description.ClassName == "InputLayer" && weights.Count == 0)
            {
                continue;
            }

            layers.Add(new FileLayer(description, weights));
        }

        string format = architectureJson is not null ? "Keras 2 architecture JSON (model.to_json()) with legacy Keras HDF5 weights (model.save_weights())"
            : modelWeights is null ? "legacy Keras HDF5 from model.save_weights()" : configJson is null ? "legacy Keras HDF5 (model_weights without model_config)" : "legacy Keras HDF5 from model.save()";
        var notes = new List<string>(config?.Notes ?? new List<string>());
        var info = new KerasFileInfo(source, WeightFormat.LegacyH5, format, layers.Select(l => l.Description).ToArray())
        {
            KerasVersion = version,
            Backend = backend,
            ModelClassName = config?.ClassName,
            HasConfig = config is not null,
            GraphProblem = config?.GraphProblem,
            Timesteps = config?.Timesteps,
            InputShapeStated = config?.InputShapeStated ?? false,
            InputDim = config?.InputDim ?? FirstKernelRows(layers),
            Notes = notes.ToArray(),
        };
        return new KerasFileContents(info, layers, dialect);
    }

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
        static bool IsNormalization(FileLayer l) => l.Description.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization;
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

    // ---- .npz (numpy.savez(path, *model.get_weights())) ----

    private static KerasFileContents ReadNpz(ZipContainer zip, string source, (long Bytes, string Text) limit)
    {
        List<NpyArray> arrays = NpzArchive.Read(zip, limit.Bytes, limit.Text);
        var weights = arrays.Select(a => new FileWeight(a.Name, a.Shape, _ => a.ReadFloats())).ToList();
        List<FileLayer> layers = InferLayers(weights);
        var info = new KerasFileInfo(source, WeightFormat.Npz, "NumPy .npz (numpy.savez of model.get_weights())", layers.Select(l => l.Description).ToArray())
        {
            InputDim = FirstKernelRows(layers),
            Notes = new[] { "An .npz holds bare arrays: the layers above are inferred from their shapes, and arrays are matched to a declaration in get_weights() order." },
        };
        return new KerasFileContents(info, layers, new KerasDialect(null, 3)) { FlatArrays = weights };
    }

    private static List<FileLayer> InferLayers(List<FileWeight> weights)
    {
        // Greedy: at each position take the longest run of arrays that forms one layer whose input width follows from
        // the previous layer (bidirectional with or without bias, recurrent, Dense).
        var layers = new List<FileLayer>();
        int? width = null;
        int i = 0;
        while (i < weights.Count)
        {
            FileLayer? chosen = null;
            foreach (int take in new[] { 6, 4, 3, 2, 1 })
            {
                // Every layer RnnGen knows starts with a 2-D kernel; other arrays are described alone, without trying runs.
                if (i + take > weights.Count || weights[i].Dimensions.Length != 2)
                {
                    continue;
                }

                List<FileWeight> run = weights.GetRange(i, take);
                string name = take == 1 ? run[0].Name : $"{run[0].Name}..{run[^1].Name}";
                KerasFileLayer description = ShapeInference.Describe(name, null, run);
                if (description.Kind is null || description.Kind == LayerKind.Dropout || (take is 4 or 6 && !description.Bidirectional))
                {
                    continue;
                }

                int rows = run[0].Dimensions[0];
                if (width is int w && rows != w && !(rows * 2 == w))
                {
                    continue;
                }

                chosen = new FileLayer(description, run);
                width = description.Bidirectional ? 2 * description.Units : description.Units;
                i += take;
                break;
            }

            if (chosen is null)
            {
                layers.Add(new FileLayer(ShapeInference.Describe(weights[i].Name, null, new[] { weights[i] }), new List<FileWeight> { weights[i] }));
                i++;
                width = null;
                continue;
            }

            layers.Add(chosen);
        }

        return layers;
    }

    // ---- helpers ----

    private static FileWeight Weight(string name, Hdf5Object data)
    {
        Hdf5Dataset dataset = data.Dataset;
        return new FileWeight(name, dataset.Dataspace.Dimensions, max => dataset.ReadFloats(max));
    }

    /// <summary>
    /// A string-list attribute, or its pieces <c>name0</c>, <c>name1</c>, ... that Keras writes when the list is too big
    /// for an object header (legacy_h5_format.save_attributes_to_hdf5_group, HDF5_OBJECT_HEADER_LIMIT = 64512).
    /// </summary>
    private static string[]? StringList(Hdf5Object owner, string name)
    {
        Hdf5Attribute? whole = owner.Attribute(name);
        if (whole is not null)
        {
            return whole.ReadStrings();
        }

        var parts = new List<string>();
        int chunk = 0;
        for (Hdf5Attribute? part = owner.Attribute(name + "0"); part is not null; part = owner.Attribute(name + (++chunk).ToString(CultureInfo.InvariantCulture)))
        {
            parts.AddRange(part.ReadStrings());
        }

        return chunk == 0 ? null : parts.ToArray();
    }

    private static string? OptionalString(Hdf5Object owner, string name)
    {
        Hdf5Attribute? attribute = owner.Attribute(name);
        return attribute is null ? null : attribute.ReadString();
    }

    private static int? FirstKernelRows(List<FileLayer> layers)
    {
        FileLayer? first = layers.FirstOrDefault(l => l.Weights.Count > 0);
        return first is null ? null
            : first.Weights[0].Dimensions.Length == 2 ? first.Weights[0].Dimensions[0]
            : first.Description.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization ? first.Weights[0].Dimensions[0]
            : null;
    }

    private static string NaturalKey(string name)
    {
        // lstm, lstm_1, lstm_2, ..., lstm_10: pad the counter so that names sort in creation order.
        int underscore = name.LastIndexOf('_');
        return underscore > 0 && int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? name[..underscore] + "\u0001" + n.ToString("D9", CultureInfo.InvariantCulture)
            : name + "\u0000";
    }
}
