using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RnnGen.Formats.Keras;
using RnnGen.Shared;

namespace RnnGen.Tool.Import;

/// <summary>
/// What <c>[KerasModel("file")]</c> compiles from a Keras file: the declaration <c>rnngen inspect</c> prints, checked
/// at build time the way <c>LoadWeights</c> checks a file at run time, and the weights in <c>model.get_weights()</c>
/// order. Every problem becomes an error line of the <see cref="ModelDescription"/>, which the generator reports on
/// the attribute's path; nothing here throws for a bad file.
/// </summary>
internal static class KerasImport
{
    /// <summary>The result: the description, and the weights with their shapes when the file can be used.</summary>
    internal sealed record Result(ModelDescription Description, float[][]? Weights, ModelInfo? Info)
    {
        /// <summary>
        /// Writes the weights as <c>numpy.savez(path, *model.get_weights())</c> would, which the generated constructor
        /// loads; nothing when the file cannot be used (the build then reports the description's errors, not a
        /// missing resource).
        /// </summary>
        public void WriteWeights(Stream destination)
        {
            if (Weights is not null && Info is not null)
            {
                Formats.Npz.NpzArchive.Write(destination, Weights, Info.Weights);
            }
        }
    }

    public static Result Read(string path)
    {
        string source = Path.GetFileName(path);
        var description = new ModelDescription { Source = source };
        KerasFileInfo info;
        byte[]? archive = null;
        KerasFileContents? keras2 = null;
        try
        {
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                string weightsPath = WeightsBeside(path);
                keras2 = KerasFileReader.ReadLegacyWithArchitecture(File.ReadAllBytes(weightsPath), File.ReadAllText(path), source);
                if (keras2 is not null)
                {
                    info = keras2.Info;
                }
                else
                {
                    archive = ArchiveOfArchitecture(path, weightsPath);
                    info = KerasFileReader.Read(archive, WeightFormat.Keras, source).Info;
                }
            }
            else
            {
                info = KerasWeights.Inspect(path);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            description.Errors.Add(("unreadable", e.Message));
            return new Result(description, null, null);
        }

        if (!info.HasConfig)
        {
            description.Errors.Add(("unreadable", $"{info.FormatDescription} holds weights only, not the model's configuration: " +
                "use the model's .keras (model.save()) or full-model .h5 file, or declare the model by hand with layer attributes and load this file with LoadWeights."));
            return new Result(description, null, null);
        }

        ModelInfo? model = Model(info, description);
        if (model is null)
        {
            return new Result(description, null, null);
        }

        float[][] weights;
        try
        {
            // The load's own check: the configuration against the declaration, and every weight shape against it.
            weights = keras2 is not null ? WeightMatcher.Match(keras2, model)
                : archive is null ? KerasWeights.Read(path, model)
                : WeightMatcher.Match(KerasFileReader.Read(archive, WeightFormat.Keras, source, KerasFileReader.InflateLimit(model)), model);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            description.Errors.Add(("weights", WeightMismatches(e.Message)));
            return new Result(description, null, null);
        }

        description.Declaration = info.ToDeclaration("Model");
        return new Result(description, weights, model);
    }

    /// <summary>
    /// The weights that go with an architecture JSON: <c>model.weights.h5</c> beside <c>model.json</c>, written by
    /// <c>model.save_weights("model.weights.h5")</c> of Keras 3 (its own format) or Keras 2 (legacy HDF5; Keras 2 picks
    /// the format by the <c>.h5</c> ending). One name for both keeps the build's incremental check (its Inputs) exact.
    /// </summary>
    private static string WeightsBeside(string jsonPath)
    {
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, Path.GetFileNameWithoutExtension(jsonPath));
        string weightsPath = stem + ".weights.h5";
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException(
                $"an architecture JSON needs its weights beside it as '{Path.GetFileName(weightsPath)}' (model.save_weights() of Keras 3 or Keras 2); none was found.");
        }

        return weightsPath;
    }

    /// <summary>
    /// A Keras 3 architecture JSON (<c>model.to_json()</c>) and its <c>.weights.h5</c>, as the <c>.keras</c> archive
    /// <c>model.save()</c> would have written: Keras 3's <c>to_json</c> and the archive's <c>config.json</c> are the same
    /// <c>serialize_keras_object(model)</c> (keras/src/models/model.py, keras/src/saving/saving_lib.py), so the loader
    /// reads the pair as it reads an archive.
    /// </summary>
    private static byte[] ArchiveOfArchitecture(string jsonPath, string weightsPath)
    {
        using var archive = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(archive, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, file) in new[] { ("config.json", jsonPath), ("model.weights.h5", weightsPath) })
            {
                using Stream entry = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression).Open();
                using FileStream content = File.OpenRead(file);
                content.CopyTo(entry);
            }
        }

        return archive.ToArray();
    }

    /// <summary>
    /// The load's report names a declaration and a file; here both come from the file, so only its mismatch lines say
    /// anything: "gru/kernel: the configuration gives [8, 15], the file's 'layers/gru/cell/vars/0' is [8, 9]; ...".
    /// </summary>
    private static string WeightMismatches(string report)
    {
        const string Mismatch = "mismatch: ";
        string[] lines = report.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(Mismatch, StringComparison.Ordinal))
            .Select(line => line[Mismatch.Length..].Replace(": declared ", ": the configuration gives ", StringComparison.Ordinal))
            .ToArray();
        return lines.Length == 0 ? report : string.Join("; ", lines) + ".";
    }

    /// <summary>
    /// The <see cref="ModelInfo"/> the generator builds for the file's declaration (layers, widths and weight shapes by
    /// <see cref="LayerShapes"/>), so that the load's checks can run before any code is generated. Null, with errors
    /// added, when a layer has no RnnGen counterpart.
    /// </summary>
    private static ModelInfo? Model(KerasFileInfo info, ModelDescription description)
    {
        List<KerasFileLayer> fileLayers = info.Layers.Where(l => l.ClassName != "InputLayer").ToList();
        var layers = new List<LayerInfo>();
        var names = new KerasNameCounter();
        int width = info.InputDim ?? 0;
        bool sequence = true;
        int timesteps = info.Timesteps ?? 1; // of each layer's input: the window and reshaping layers change them
        for (int i = 0; i < fileLayers.Count; i++)
        {
            KerasFileLayer layer = fileLayers[i];
            if (layer.Kind is null)
            {
                if (layer.Weights.Count == 0 && WeightlessLayers.IsIdentity(layer))
                {
                    continue; // passed over, as the declaration does
                }

                description.Errors.Add(("unsupported", layer.Weights.Count == 0
                    ? $"{WeightlessLayers.Reason(layer)}. Remove it from the Keras model and apply it to the output yourself, or declare the model by hand with layer attributes and load the file with KerasWeights.Load(model, path, ignoredLayers)."
                    : $"{layer.Name} ({layer.ClassName}): {layer.Note ?? "RnnGen has no such layer."} Remove it from the Keras model, or declare the model by hand with the layers RnnGen has."));
                continue;
            }

            // The layers with an activation option: the recurrent ones, Dense and Activation (whose kind the loader only
            // sets for an activation RnnGen computes).
            string? activation = layer.Activation;
            bool hasActivation = LayerShapes.IsRecurrent(layer.Kind.Value) || layer.Kind is LayerKind.Dense or LayerKind.Activation;
            if (hasActivation && activation is null)
            {
                description.Errors.Add(("unsupported", $"{layer.Name} ({layer.ClassName}): activation '{layer.FileActivation}' is not one RnnGen computes. Retrain with a supported activation (see docs/activations.md)."));
                continue;
            }

            if (layer.Kind is LayerKind.Lstm or LayerKind.Gru && layer.RecurrentActivation is null)
            {
                description.Errors.Add(("unsupported", $"{layer.Name} ({layer.ClassName}): recurrent activation '{layer.FileRecurrentActivation}' is not one RnnGen computes. Retrain with a supported activation (see docs/activations.md)."));
                continue;
            }

            LayerInfo declared = Layer(layer, hasActivation ? activation! : "linear", names, width, sequence, timesteps);
            layers.Add(declared);
            width = declared.OutputWidth;
            sequence = declared.OutputIsSequence;
            timesteps = LayerShapes.ChangesTimeAxis(declared.Kind) ? declared.OutputTimesteps : timesteps;
        }

        if (description.Errors.Count > 0)
        {
            return null;
        }

        if (info.InputDim is null || layers.Count == 0)
        {
            description.Errors.Add(("unreadable", "the file's configuration states no input shape or no layer RnnGen can declare."));
            return null;
        }

        // The sequence length changes no weight shape; the generator applies the file's or the attribute's.
        var output = sequence ? new OutputInfo("output", timesteps, width) : new OutputInfo("output", width);
        return new ModelInfo("Model", timesteps, info.InputDim.Value, layers, new[] { output });
    }

    private static LayerInfo Layer(KerasFileLayer layer, string activation, KerasNameCounter names, int inputWidth, bool inputIsSequence, int timesteps)
    {
        LayerKind kind = layer.Kind!.Value;
        bool recurrent = LayerShapes.IsRecurrent(kind);
        string stem = LayerShapes.KerasNameStem(kind);
        string name = names.Next(layer.Bidirectional ? "bidirectional" : stem);
        var weights = new List<WeightShape>();
        for (int direction = 0; direction < (layer.Bidirectional ? 2 : 1); direction++)
        {
            string prefix = !layer.Bidirectional ? name + "/" : $"{name}/{(direction == 0 ? "forward_" : "backward_")}{stem}/";
            foreach (var (weightName, rows, columns) in LayerShapes.Weights(kind, kind == LayerKind.Embedding ? layer.EmbeddingInputDim : inputWidth, layer.Units, layer.UseBias, layer.ResetAfter,
                layer.Center, layer.Scale, Math.Max(layer.KernelSize, 1), Math.Max(layer.Groups, 1)))
            {
                weights.Add(new WeightShape(prefix + weightName, LayerShapes.Dimensions(kind, weightName, rows, columns, layer.KernelSize)));
            }
        }

        bool keepsShape = LayerShapes.KeepsWidth(kind);
        (int units, int outputTimesteps, bool toSequence) = ReshapedOutput(layer, kind, inputWidth, inputIsSequence, timesteps);
        return new LayerInfo(kind, name)
        {
            Units = units,
            InputWidth = inputWidth,
            InputIsSequence = inputIsSequence,
            OutputWidth = LayerShapes.OutputWidth(kind, inputWidth, units, layer.Bidirectional, layer.MergeMode),
            OutputIsSequence = LayerShapes.OutputIsSequence(kind, inputIsSequence, kind == LayerKind.Reshape ? toSequence : layer.ReturnSequences),
            InputTimesteps = LayerShapes.ChangesTimeAxis(kind) ? timesteps : 0,
            OutputTimesteps = outputTimesteps,
            Activation = activation,
            RecurrentActivation = kind is LayerKind.Lstm or LayerKind.Gru ? layer.RecurrentActivation : null,
            UseBias = !keepsShape && layer.UseBias,
            Epsilon = layer.Epsilon,
            Center = layer.Center,
            Scale = layer.Scale,
            Momentum = layer.Momentum,
            Invert = kind == LayerKind.Normalization && layer.Invert,
            RescalingScale = layer.RescalingScale,
            RescalingOffset = layer.RescalingOffset,
            MaskValue = layer.MaskValue,
            MaskZero = kind == LayerKind.Embedding && layer.MaskZero,
            UnitForgetBias = kind == LayerKind.Lstm && layer.UnitForgetBias,
            ResetAfter = kind == LayerKind.Gru && layer.ResetAfter,
            ReturnSequences = recurrent && layer.ReturnSequences,
            ReturnState = recurrent && layer.ReturnState,
            GoBackwards = recurrent && layer.GoBackwards && !layer.Bidirectional,
            Stateful = recurrent && layer.Stateful,
            Bidirectional = layer.Bidirectional,
            MergeMode = layer.MergeMode,
            DropoutRate = layer.DropoutRate,
            RecurrentDropoutRate = layer.RecurrentDropoutRate,
            KernelSize = layer.KernelSize,
            PoolSize = layer.PoolSize,
            Strides = layer.Strides,
            Padding = layer.Padding,
            DilationRate = layer.DilationRate,
            Groups = layer.Groups,
            Weights = weights,
        };
    }

    /// <summary>
    /// The units (output width) and output timesteps of a layer that changes the time axis, as the generator's parser
    /// infers them (Shared/TimeWindows.cs for the windows; Flatten, Reshape with its -1, RepeatVector); a layer's own
    /// units and no timesteps for the rest.
    /// </summary>
    private static (int Units, int OutputTimesteps, bool ToSequence) ReshapedOutput(KerasFileLayer layer, LayerKind kind, int inputWidth, bool inputIsSequence, int timesteps)
    {
        int values = inputWidth * (inputIsSequence ? timesteps : 1);
        switch (kind)
        {
            case LayerKind.Flatten:
                return (values, 1, false);
            case LayerKind.RepeatVector:
                return (layer.Units, layer.RepeatCount, true);
            case LayerKind.Reshape:
            {
                IReadOnlyList<int> target = layer.TargetShape!;
                int known = target.Where(d => d != -1).Aggregate(1, (a, d) => a * d);
                int[] sizes = target.Select(d => d == -1 ? values / Math.Max(known, 1) : d).ToArray();
                return sizes.Length == 2 ? (sizes[1], sizes[0], true) : (sizes[0], 1, false);
            }

            case LayerKind.Conv1D:
            case LayerKind.MaxPooling1D:
            case LayerKind.AveragePooling1D:
            {
                int window = kind == LayerKind.Conv1D ? layer.KernelSize : layer.PoolSize;
                return (layer.Units, (int)Math.Max(TimeWindows.OutputTimesteps(timesteps, window, layer.Strides, layer.DilationRate, layer.Padding), 0), false);
            }

            default:
                return (layer.Units, 0, false);
        }
    }
}
