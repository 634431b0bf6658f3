using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

/// <summary>One layer of a model configuration, as far as RnnGen cares.</summary>
internal sealed class LayerConfig
{
    public string Name { get; set; } = "";

    public string ClassName { get; set; } = "";

    public LayerKind? Kind { get; set; }

    public bool IsInput { get; set; }

    public bool Bidirectional { get; set; }

    public MergeMode MergeMode { get; set; }

    public int Units { get; set; }

    public string? FileActivation { get; set; }

    public string? Activation { get; set; }

    public string? FileRecurrentActivation { get; set; }

    public string? RecurrentActivation { get; set; }

    public bool UseBias { get; set; } = true;

    public bool UnitForgetBias { get; set; } = true;

    public bool ResetAfter { get; set; }

    public bool ReturnSequences { get; set; }

    public bool ReturnState { get; set; }

    public bool GoBackwards { get; set; }

    public bool Stateful { get; set; }

    public double DropoutRate { get; set; }

    public double RecurrentDropoutRate { get; set; }

    public string? Note { get; set; }

    public double Epsilon { get; set; }

    public bool Center { get; set; } = true;

    public bool Scale { get; set; } = true;

    public double Momentum { get; set; }

    public double RescalingScale { get; set; } = 1;

    public double RescalingOffset { get; set; }

    public double MaskValue { get; set; }

    /// <summary>A positive <c>axis</c> of a normalization layer, resolved once the input rank is known (-1: the last).</summary>
    public int NormalizationAxis { get; set; } = -1;

    /// <summary>The layer's <c>config</c> object as the file has it (cloned, so it outlives the parsed document).</summary>
    public JsonElement? Config { get; set; }

    public KerasFileLayer ToPublic(IReadOnlyList<WeightShape> weights) => new(Name, ClassName)
    {
        Config = Config,
        Epsilon = Epsilon,
        Center = Center,
        Scale = Scale,
        Momentum = Momentum,
        RescalingScale = RescalingScale,
        RescalingOffset = RescalingOffset,
        MaskValue = MaskValue,
        Kind = Kind,
        HasConfig = true,
        Units = Units,
        Activation = Activation,
        FileActivation = FileActivation,
        RecurrentActivation = RecurrentActivation,
        FileRecurrentActivation = FileRecurrentActivation,
        UseBias = UseBias,
        UnitForgetBias = UnitForgetBias,
        ResetAfter = ResetAfter,
        ReturnSequences = ReturnSequences,
        ReturnState = ReturnState,
        GoBackwards = GoBackwards,
        Stateful = Stateful,
        Bidirectional = Bidirectional,
        MergeMode = MergeMode,
        DropoutRate = DropoutRate,
        RecurrentDropoutRate = RecurrentDropoutRate,
        Weights = weights,
        Note = Note,
    };
}

/// <summary>The parts of a model configuration RnnGen checks: layers in order and the input shape.</summary>
internal sealed class ModelConfig
{
    public string ClassName { get; set; } = "";

    /// <summary>Layers in model order, input layers excluded.</summary>
    public List<LayerConfig> Layers { get; } = new();

    public int? Timesteps { get; set; }

    public int? InputDim { get; set; }

    /// <summary>Whether a (batch, timesteps, features) input shape was found, so that a null <see cref="Timesteps"/> is Keras's None.</summary>
    public bool InputShapeStated { get; set; }

    /// <summary>Where a functional model stops being one chain of layers (<see cref="FunctionalGraph"/>), or null.</summary>
    public string? GraphProblem { get; set; }

    public List<string> Notes { get; } = new();
}

/// <summary>
/// Reads the model configuration JSON of every Keras generation: Keras 2.0-2.2 <c>{"class_name": "Sequential",
/// "config": [layers]}</c>, tf.keras <c>{"config": {"name", "layers"}}</c> (also functional <c>Model</c> /
/// <c>Functional</c> with <c>inbound_nodes</c>), and Keras 3 <c>{"module", "class_name", "config",
/// "build_config"}</c>. Anything malformed becomes an <see cref="InvalidDataException"/>.
/// </summary>
internal static class KerasConfig
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
        if (layers.GetArrayLength() > KerasFileReader.MaxLayers)
        {
            throw KerasFileReader.TooManyLayers(what, layers.GetArrayLength());
        }

        foreach (JsonElement entry in layers.EnumerateArray())
        {
            LayerConfig layer = ParseLayer(entry, dialect, what, 0);
            JsonElement layerConfig = Object(entry, "config");
            layer.Config = layerConfig.ValueKind == JsonValueKind.Object ? layerConfig.Clone() : null;
            if (layer.IsInput)
            {
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
        model.GraphProblem = FunctionalGraph.Problem(config, layers, what);
        if (model.GraphProblem is not null)
        {
            model.Notes.Add($"The model is a graph, not one chain of layers: {model.GraphProblem}; RnnGen cannot declare it (see the error rnngen inspect and LoadWeights give).");
        }

        if (inputs > 1)
        {
            model.Notes.Add($"The model has {inputs} inputs; an RnnGen model has one sequence input (pass initial states to Predict separately).");
        }

        return model;
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
            default:
                layer.Note = $"RnnGen has no {className} layer.";
                break;
        }

        return layer;
    }

    /// <summary>
    /// LayerNormalization / BatchNormalization options (<c>keras/src/layers/normalization/</c>; Keras 2 and tf.keras
    /// write the same names). What RnnGen does not compute leaves the kind unset, with a note: several axes,
    /// <c>rms_scaling</c>, Keras 2's <c>renorm</c>. A positive axis is checked against the input rank later
    /// (<see cref="ResolveAxes"/>).
    /// </summary>
    private static void ReadNormalization(LayerConfig layer, JsonElement config, LayerKind kind)
    {
        layer.Epsilon = Double(config, "epsilon") ?? Shared.LayerOptions.DefaultNormalizationEpsilon;
        layer.Center = Bool(config, "center") ?? true;
        layer.Scale = Bool(config, "scale") ?? true;
        layer.Momentum = Double(config, "momentum") ?? Shared.LayerOptions.DefaultMomentum;
        int[]? axes = null;
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("axis", out JsonElement axis))
        {
            axes = axis.ValueKind == JsonValueKind.Number && axis.TryGetInt32(out int one) ? new[] { one }
                : axis.ValueKind == JsonValueKind.Array ? ReadInts(axis)
                : null;
        }

        axes ??= new[] { -1 };
        if (axes.Length != 1)
        {
            layer.Note = $"{layer.ClassName} over the axes [{string.Join(", ", axes)}]; RnnGen normalizes the last axis only.";
        }
        else if (Bool(config, "rms_scaling") == true)
        {
            layer.Note = "LayerNormalization(rms_scaling=True) is not one RnnGen computes (it normalizes by the variance without centering).";
        }
        else if (Bool(config, "renorm") == true)
        {
            layer.Note = "BatchNormalization(renorm=True): RnnGen computes the plain inference formula only.";
        }
        else
        {
            layer.Kind = kind;
            layer.NormalizationAxis = axes[0];
        }
    }

    private static int[]? ReadInts(JsonElement array)
    {
        var values = new List<int>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int value))
            {
                return null;
            }

            values.Add(value);
        }

        return values.ToArray();
    }

    /// <summary>
    /// A normalization layer written with a positive axis (tf.keras 2 stores <c>axis=[2]</c> for the features of a
    /// sequence) normalizes the last axis only if that axis is the last of its input: 2 after a layer that returns a
    /// sequence (or on the model input), 1 after one that returns a vector. Otherwise the layer is not one RnnGen
    /// computes.
    /// </summary>
    private static void ResolveAxes(List<LayerConfig> layers)
    {
        bool sequence = true;
        foreach (LayerConfig layer in layers)
        {
            if (layer.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization && layer.NormalizationAxis != -1)
            {
                int last = sequence ? 2 : 1;
                if (layer.NormalizationAxis != last)
                {
                    layer.Note = $"{layer.ClassName} over axis {layer.NormalizationAxis}, {(sequence && layer.NormalizationAxis == 1 ? "the time axis" : "not the features axis")} of its input; RnnGen normalizes the last axis only.";
                    layer.Kind = null;
                }
            }

            if (layer.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru)
            {
                sequence = layer.ReturnSequences;
            }
        }
    }

    private static void ReadRecurrent(LayerConfig layer, JsonElement config, KerasDialect dialect, LayerKind kind)
    {
        layer.Kind = kind;
        layer.Units = Int(config, "units") ?? 0;
        SetActivation(layer, dialect, String(config, "activation", allowObject: true) ?? (Has(config, "activation") ? "linear" : "tanh"), recurrent: false);
        if (kind != LayerKind.SimpleRnn)
        {
            SetActivation(layer, dialect, String(config, "recurrent_activation", allowObject: true) ?? dialect.DefaultRecurrentActivation, recurrent: true);
        }

        layer.UseBias = Bool(config, "use_bias") ?? true;
        layer.UnitForgetBias = Bool(config, "unit_forget_bias") ?? true;
        // reset_after appeared in Keras 2.1.3; a config without it computed the reset_after=False GRU.
        layer.ResetAfter = Bool(config, "reset_after") ?? false;
        layer.ReturnSequences = Bool(config, "return_sequences") ?? false;
        layer.ReturnState = Bool(config, "return_state") ?? false;
        layer.GoBackwards = Bool(config, "go_backwards") ?? false;
        layer.Stateful = Bool(config, "stateful") ?? false;
        layer.DropoutRate = Double(config, "dropout") ?? 0;
        layer.RecurrentDropoutRate = Double(config, "recurrent_dropout") ?? 0;
    }

    private static void SetActivation(LayerConfig layer, KerasDialect dialect, string fileName, bool recurrent)
    {
        string? canonical = dialect.Canonical(fileName);
        if (recurrent)
        {
            layer.FileRecurrentActivation = fileName;
            layer.RecurrentActivation = canonical;
        }
        else
        {
            layer.FileActivation = fileName;
            layer.Activation = canonical;
        }
    }

    private static MergeMode ParseMergeMode(JsonElement config, string what)
    {
        // Absent: Keras's default "concat"; JSON null: merge_mode=None (separate outputs).
        if (config.ValueKind != JsonValueKind.Object || !config.TryGetProperty("merge_mode", out JsonElement mode))
        {
            return MergeMode.Concat;
        }

        if (mode.ValueKind == JsonValueKind.Null)
        {
            return MergeMode.None;
        }

        return (mode.ValueKind == JsonValueKind.String ? Text(mode, what) : null) switch
        {
            "concat" => MergeMode.Concat,
            "sum" => MergeMode.Sum,
            "mul" => MergeMode.Mul,
            "ave" => MergeMode.Ave,
            string other => throw new InvalidDataException($"The {what} has a Bidirectional merge_mode \"{other}\"; Keras knows concat, sum, mul, ave and None."),
            null => throw new InvalidDataException($"The {what} has a Bidirectional merge_mode that is not a string."),
        };
    }

    private static void ReadShape(JsonElement config, ModelConfig model)
    {
        foreach (string key in new[] { "batch_input_shape", "batch_shape" })
        {
            if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty(key, out JsonElement shape))
            {
                ReadShapeArray(shape, model);
                return;
            }
        }
    }

    private static void ReadShapeArray(JsonElement shape, ModelConfig model)
    {
        // (batch, timesteps, features); timesteps may be null (None).
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() != 3)
        {
            return;
        }

        JsonElement t = shape[1], d = shape[2];
        model.InputShapeStated = true;
        model.Timesteps = t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out int steps) && steps > 0 ? steps : null;
        model.InputDim = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int dim) && dim > 0 ? dim : null;
    }

    private static bool Has(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out _);

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? String(JsonElement parent, string name, bool allowObject = false)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        // Keras 3 may serialize a function as {"module": ..., "class_name": "function", "config": "relu", ...}.
        if (allowObject && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("config", out JsonElement inner) && inner.ValueKind == JsonValueKind.String)
        {
            return inner.GetString();
        }

        return null;
    }

    private static int? Int(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : null;

    private static double? Double(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) ? d : null;

    private static bool? Bool(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
