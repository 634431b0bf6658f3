using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Reads the model configuration JSON of every Keras generation: Keras 2.0-2.2 <c>{"class_name": "Sequential",
/// "config": [layers]}</c>, tf.keras <c>{"config": {"name", "layers"}}</c> (also functional <c>Model</c> /
/// <c>Functional</c> with <c>inbound_nodes</c>), and Keras 3 <c>{"module", "class_name", "config",
/// "build_config"}</c>. Anything malformed becomes an <see cref="InvalidDataException"/>.
/// </summary>
internal static partial class KerasConfig
{
    private const int MaxWrapperDepth = 4;

    /// <summary>
    /// Nesting deeper than this is refused (System.Text.Json's own default is 64). Keras configurations nest a wrapper's
    /// layer in its config, a few levels per wrapper, so real files stay far below it.
    /// </summary>
    internal const int MaxJsonDepth = 128;

    public static ModelConfig Parse(string json, KerasDialect dialect, string what) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), dialect, what);

    /// <summary>Parses the UTF-8 bytes of a configuration (no UTF-16 copy of the whole text is made).</summary>
    public static ModelConfig Parse(ReadOnlyMemory<byte> utf8Json, KerasDialect dialect, string what)
    {
        using JsonDocument document = ParseDocument(utf8Json, what);
        try
        {
            return Parse(document.RootElement, dialect, what);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement.GetString on a lone surrogate escape, wherever in the configuration it is read.
            throw NotText(what, e);
        }
    }

    /// <summary>Parses JSON with the depth limit, turning every syntax error into an <see cref="InvalidDataException"/>.</summary>
    internal static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8Json, string what)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {what} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The value of a JSON string. A string holding a lone UTF-16 surrogate escape (<c>"\ud800"</c>) is valid JSON but no
    /// valid text, and <see cref="JsonElement.GetString"/> refuses it with an <see cref="InvalidOperationException"/>; this
    /// names the file instead.
    /// </summary>
    internal static string Text(JsonElement value, string what)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException e)
        {
            throw NotText(what, e);
        }
    }

    /// <summary>The error for JSON text holding a lone UTF-16 surrogate escape, in a string or a property name.</summary>
    internal static InvalidDataException NotText(string what, InvalidOperationException e) =>
        new($"The {what} holds a string that is not valid text (an unpaired UTF-16 surrogate escape such as \\ud800): {e.Message}", e);

    private static ModelConfig Parse(JsonElement root, KerasDialect dialect, string what)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"The {what} should be a JSON object describing the model.");
        }

        var model = new ModelConfig { ClassName = String(root, "class_name") ?? "?" };
        JsonElement config = root.TryGetProperty("config", out JsonElement c) ? c : default;
        JsonElement layers = config.ValueKind == JsonValueKind.Array ? config
            : config.ValueKind == JsonValueKind.Object && config.TryGetProperty("layers", out JsonElement l) && l.ValueKind == JsonValueKind.Array ? l
            : default;
        if (layers.ValueKind != JsonValueKind.Array)
        {
            model.Notes.Add($"The model is a {model.ClassName} without a layer list; RnnGen reads Sequential and functional models.");
            return model;
        }

        int inputs = 0;
        var inputShapes = new Dictionary<string, (int? Timesteps, int? Features)>(StringComparer.Ordinal);
        if (layers.GetArrayLength() > KerasFileReader.MaxLayers)
        {
            throw KerasFileReader.TooManyLayers(what, layers.GetArrayLength());
        }

        HashSet<string> maskOperations = FunctionalGraph.MaskOperations(config, layers, what);
        foreach (JsonElement entry in layers.EnumerateArray())
        {
            if (maskOperations.Count > 0 && entry.ValueKind == JsonValueKind.Object && FunctionalGraph.LayerName(entry, what) is string entryName
                && maskOperations.Contains(entryName))
            {
                continue; // Keras 3's symbolic mask computation, not a layer (FunctionalGraph.MaskOperations)
            }

            LayerConfig layer = ParseLayer(entry, dialect, what, 0);
            JsonElement layerConfig = Object(entry, "config");
            layer.Config = layerConfig.ValueKind == JsonValueKind.Object ? layerConfig.Clone() : null;
            if (layer.IsInput)
            {
                var stated = new ModelConfig();
                ReadShape(Object(entry, "config"), stated);
                inputShapes.TryAdd(layer.Name, (stated.Timesteps, stated.InputDim));
                model.InputNames.Add(layer.Name);
                inputs++;
                if (inputs == 1)
                {
                    ReadShape(Object(entry, "config"), model);
                }

                continue;
            }

            if (model.Layers.Count == 0 && model.InputDim is null)
            {
                ReadShape(Object(entry, "config"), model);
            }

            model.Layers.Add(layer);
        }

        if (model.InputDim is null && config.ValueKind == JsonValueKind.Object && config.TryGetProperty("build_input_shape", out JsonElement b))
        {
            ReadShapeArray(b, model);
        }

        if (model.InputDim is null && root.TryGetProperty("build_config", out JsonElement build) && build.ValueKind == JsonValueKind.Object && build.TryGetProperty("input_shape", out JsonElement shape))
        {
            ReadShapeArray(shape, model);
        }

        ResolveAxes(model.Layers);
        model.GraphProblem = FunctionalGraph.Problem(config, layers, maskOperations, what);
        if (model.GraphProblem is not null)
        {
            model.Graph = FunctionalGraph.Read(config, layers, inputShapes, maskOperations, what);
            model.Notes.Add($"The model is a graph, not one chain of layers: {model.GraphProblem}; a [Sequential] class cannot declare it, a [Graph] over [Sequential] chains can (docs/graphs.md; rnngen inspect writes it where it can).");
        }
        else if (inputs > 1)
        {
            model.Notes.Add($"The model has {inputs} inputs; an RnnGen model has one sequence input (pass initial states to Predict separately).");
        }

        return model;
    }

    // keras/src/layers/convolutional/base_conv.py get_config: filters, kernel_size, strides, padding, data_format,
    // dilation_rate, groups (Keras 2.3+; 1 before), activation, use_bias. RnnGen declares channels_last only.
    private static void ReadConvolution(LayerConfig layer, JsonElement config, KerasDialect dialect)
    {
        string padding = (String(config, "padding") ?? Shared.TimeWindows.Valid).ToLowerInvariant();
        if (String(config, "data_format") is "channels_first")
        {
            layer.Note = "RnnGen's Conv1D convolves a (timesteps, features) sequence (data_format=\"channels_last\"); this one is channels_first.";
        }
        else if (!Shared.TimeWindows.IsPadding(LayerKind.Conv1D, padding))
        {
            layer.Note = $"RnnGen's Conv1D pads \"valid\", \"same\" or \"causal\"; this one pads \"{padding}\".";
        }
        else if (Int(config, "filters") is int filters && filters > 0 && Size(config, "kernel_size") is int kernelSize && kernelSize > 0)
        {
            layer.Kind = LayerKind.Conv1D;
            layer.Units = filters;
            layer.KernelSize = kernelSize;
            layer.Strides = Size(config, "strides") ?? 1;
            layer.Padding = padding;
            layer.DilationRate = Size(config, "dilation_rate") ?? 1;
            layer.Groups = Int(config, "groups") ?? 1;
            SetActivation(layer, dialect, String(config, "activation", allowObject: true) ?? "linear", recurrent: false);
            layer.UseBias = Bool(config, "use_bias") ?? true;
        }
        else
        {
            layer.Note = "its filters and kernel_size are not both positive numbers.";
        }
    }

    // keras/src/layers/pooling/base_pooling.py get_config: pool_size, strides (None: the pool size), padding, data_format.
    private static void ReadPooling(LayerConfig layer, JsonElement config, LayerKind kind)
    {
        string padding = (String(config, "padding") ?? Shared.TimeWindows.Valid).ToLowerInvariant();
        if (String(config, "data_format") is "channels_first")
        {
            layer.Note = $"RnnGen's {kind} pools a (timesteps, features) sequence (data_format=\"channels_last\"); this one is channels_first.";
        }
        else if (!Shared.TimeWindows.IsPadding(kind, padding))
        {
            layer.Note = $"RnnGen's {kind} pads \"valid\" or \"same\"; this one pads \"{padding}\".";
        }
        else if ((Size(config, "pool_size") ?? Shared.TimeWindows.DefaultPoolSize) is int poolSize && poolSize > 0)
        {
            layer.Kind = kind;
            layer.PoolSize = poolSize;
            layer.Strides = Size(config, "strides") ?? poolSize;
            layer.Padding = padding;
        }
        else
        {
            layer.Note = "its pool_size is not a positive number.";
        }
    }

    private static LayerConfig ParseLayer(JsonElement entry, KerasDialect dialect, string what, int depth)
    {
        if (entry.ValueKind != JsonValueKind.Object || depth > MaxWrapperDepth)
        {
            throw new InvalidDataException($"The {what} has a layer entry that is not a {{\"class_name\", \"config\"}} object.");
        }

        string className = String(entry, "class_name") ?? throw new InvalidDataException($"The {what} has a layer without \"class_name\".");
        JsonElement config = Object(entry, "config");
        var layer = new LayerConfig
        {
            ClassName = className,
            Name = String(config, "name") ?? String(entry, "name") ?? className.ToLowerInvariant(),
        };

        switch (className)
        {
            case "InputLayer":
                layer.IsInput = true;
                break;
            case "SimpleRNN":
            case "LSTM":
            case "UnifiedLSTM":
            case "LSTMV2":
            case "GRU":
            case "UnifiedGRU":
            case "GRUV2":
                ReadRecurrent(layer, config, dialect, className.Contains("LSTM", StringComparison.Ordinal) ? LayerKind.Lstm : className.Contains("GRU", StringComparison.Ordinal) ? LayerKind.Gru : LayerKind.SimpleRnn);
                break;
            case "Dense":
                layer.Kind = LayerKind.Dense;
                layer.Units = Int(config, "units") ?? 0;
                SetActivation(layer, dialect, String(config, "activation", allowObject: true) ?? "linear", recurrent: false);
                layer.UseBias = Bool(config, "use_bias") ?? true;
                break;
            case "Dropout":
                layer.Kind = LayerKind.Dropout;
                layer.DropoutRate = Double(config, "rate") ?? 0;
                break;
            case "LayerNormalization":
            case "BatchNormalization":
                ReadNormalization(layer, config, className == "LayerNormalization" ? LayerKind.LayerNormalization : LayerKind.BatchNormalization);
                break;
            case "Normalization":
                ReadNormalization(layer, config, LayerKind.Normalization);
                break;
            case "Bidirectional":
            {
                LayerConfig inner = ParseLayer(Object(config, "layer"), dialect, what, depth + 1);
                if (inner.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru)
                {
                    inner.Name = layer.Name;
                    inner.ClassName = className;
                    inner.Bidirectional = true;
                    inner.MergeMode = ParseMergeMode(config, what);
                    return inner;
                }

                layer.Note = $"Bidirectional({inner.ClassName}) is not a recurrent layer RnnGen can declare.";
                break;
            }

            case "TimeDistributed":
            {
                // A Dense layer applied at every timestep is what RnnGen's Dense does on a sequence.
                LayerConfig inner = ParseLayer(Object(config, "layer"), dialect, what, depth + 1);
                if (inner.Kind == LayerKind.Dense)
                {
                    inner.Name = layer.Name;
                    inner.ClassName = className;
                    inner.Note = "TimeDistributed(Dense) is declared as a plain Dense, which acts on every timestep.";
                    return inner;
                }

                layer.Note = $"TimeDistributed({inner.ClassName}) has no RnnGen equivalent.";
                break;
            }

            case "Activation":
                // keras/src/layers/activations/activation.py. Linear is an identity the load passes over
                // (WeightlessLayers.IsIdentity); any other activation RnnGen knows is an [Activation] layer.
                SetActivation(layer, dialect, String(config, "activation", allowObject: true) ?? "linear", recurrent: false);
                if (layer.Activation is null)
                {
                    layer.Note = $"RnnGen has no activation {layer.FileActivation}.";
                }
                else if (layer.Activation != "linear")
                {
                    layer.Kind = LayerKind.Activation;
                }

                break;
            case "Masking":
                // keras/src/layers/core/masking.py: get_config has mask_value (Keras 2 and 3 alike; 0.0 by default).
                if ((Double(config, "mask_value") ?? (Has(config, "mask_value") ? null : 0.0)) is double maskValue)
                {
                    layer.Kind = LayerKind.Masking;
                    layer.MaskValue = maskValue;
                }
                else
                {
                    layer.Note = "RnnGen's Masking takes one mask value; this one is not a number.";
                }

                break;
            case "Embedding":
                // keras/src/layers/core/embedding.py get_config: input_dim, output_dim, mask_zero (Keras 2 and 3 alike;
                // tf.keras 2 adds input_length, the timesteps, which the model's input shape states too).
                if (Int(config, "input_dim") is int inputDim && inputDim > 0 && Int(config, "output_dim") is int outputDim && outputDim > 0)
                {
                    layer.Kind = LayerKind.Embedding;
                    layer.EmbeddingInputDim = inputDim;
                    layer.Units = outputDim;
                    layer.MaskZero = Bool(config, "mask_zero") ?? false;
                }
                else
                {
                    layer.Note = "its input_dim and output_dim are not both positive numbers.";
                }

                break;
            case "Rescaling":
                // keras/src/layers/preprocessing/rescaling.py: get_config has scale and offset, each a number or, per
                // channel, a list; RnnGen's [Rescaling] takes one number each.
                if (Double(config, "scale") is double scale && (Double(config, "offset") ?? (Has(config, "offset") ? null : 0.0)) is double offset)
                {
                    layer.Kind = LayerKind.Rescaling;
                    layer.RescalingScale = scale;
                    layer.RescalingOffset = offset;
                }
                else
                {
                    layer.Note = "RnnGen's Rescaling takes one scale and one offset; this one has a value per channel.";
                }

                break;
            case "GlobalAveragePooling1D":
            case "GlobalMaxPooling1D":
                // keras/src/layers/pooling/base_global_pooling.py: get_config has data_format and keepdims (tf.keras 2
                // before 2.6 has no keepdims); RnnGen pools channels_last sequences to a vector, Keras's defaults.
                if (String(config, "data_format") is "channels_first")
                {
                    layer.Note = $"RnnGen's {className} pools a (timesteps, features) sequence (data_format=\"channels_last\"); this one is channels_first.";
                }
                else if (Bool(config, "keepdims") == true)
                {
                    layer.Note = $"RnnGen's {className} returns a vector (keepdims=False); this one keeps the time axis.";
                }
                else
                {
                    layer.Kind = className == "GlobalAveragePooling1D" ? LayerKind.GlobalAveragePooling1D : LayerKind.GlobalMaxPooling1D;
                }

                break;
            case "Flatten":
                // keras/src/layers/reshaping/flatten.py get_config: data_format, which changes nothing for a sequence
                // stored (timesteps, features) unless channels_first.
                if (String(config, "data_format") is "channels_first")
                {
                    layer.Note = "RnnGen's Flatten flattens a (timesteps, features) sequence (data_format=\"channels_last\"); this one is channels_first.";
                }
                else
                {
                    layer.Kind = LayerKind.Flatten;
                }

                break;
            case "Reshape":
                // keras/src/layers/reshaping/reshape.py get_config: target_shape, the shape without the batch axis.
                if (Sizes(config, "target_shape") is int[] target && target.Length is 1 or 2 && target.All(d => d > 0 || d == -1) && target.Count(d => d == -1) <= 1)
                {
                    layer.Kind = LayerKind.Reshape;
                    layer.TargetShape = target;
                }
                else
                {
                    layer.Note = "RnnGen reshapes to (features) or (timesteps, features); this target_shape is neither.";
                }

                break;
            case "RepeatVector":
                // keras/src/layers/reshaping/repeat_vector.py get_config: n.
                if (Int(config, "n") is int n && n > 0)
                {
                    layer.Kind = LayerKind.RepeatVector;
                    layer.RepeatCount = n;
                }
                else
                {
                    layer.Note = "its n is not a positive number.";
                }

                break;
            case "Conv1D":
            case "Convolution1D":
                ReadConvolution(layer, config, dialect);
                break;
            case "MaxPooling1D":
            case "MaxPool1D":
            case "AveragePooling1D":
            case "AvgPool1D":
                ReadPooling(layer, config, className.StartsWith("Max", StringComparison.Ordinal) ? LayerKind.MaxPooling1D : LayerKind.AveragePooling1D);
                break;
            case "Attention":
            case "AdditiveAttention":
            case "MultiHeadAttention":
                layer.Note = $"RnnGen has {className} in a [Graph] only (the [{className}] attribute), not in a chain of layers.";
                break;
            default:
                layer.Note = $"RnnGen has no {className} layer.";
                break;
        }

        return layer;
    }
}
