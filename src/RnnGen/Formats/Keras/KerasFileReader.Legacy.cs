using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Npz;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Keras;

internal static partial class KerasFileReader
{
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
            // tf.keras 2 lists a functional model's InputLayers in layer_names too, each with an empty group.
            if ((description.ClassName == "InputLayer" || config?.InputNames.Contains(name) == true) && weights.Count == 0)
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
            Graph = config?.Graph,
            Timesteps = config?.Timesteps,
            InputShapeStated = config?.InputShapeStated ?? false,
            InputDim = config?.InputDim ?? FirstKernelRows(layers),
            Notes = notes.ToArray(),
        };
        return new KerasFileContents(info, layers, dialect);
    }
}
