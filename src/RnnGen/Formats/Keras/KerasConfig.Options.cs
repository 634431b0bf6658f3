using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

// The options of each layer kind read from its configuration (normalization axes, recurrent options, activations,
// merge modes) and the model's input shape.
internal static partial class KerasConfig
{
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
        layer.Invert = Bool(config, "invert") ?? false;
        if (kind == LayerKind.Normalization && axes.Length == 0)
        {
            // Keras standardizes axis=None to (): one mean and variance for every value.
            layer.Note = "Normalization(axis=None): one mean and variance over every axis; RnnGen normalizes each feature of the last axis (axis=-1, Keras's default).";
        }
        else if (kind == LayerKind.Normalization && HasValue(config, "mean"))
        {
            // Normalization(mean=..., variance=...): the statistics are in the config and the layer has no weights.
            layer.Note = "Normalization with mean and variance given in its config (no weights); RnnGen declares an adapted Normalization, whose " +
                "statistics are weights: declare [Normalization] and pass the config's mean, variance and a count to SetWeights.";
        }
        else if (axes.Length != 1)
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
            if (Shared.LayerShapes.IsNormalization(layer.Kind ?? LayerKind.Dropout) && layer.NormalizationAxis != -1)
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
        // (batch, timesteps, features); timesteps may be null (None). (batch, timesteps) is one value per timestep: the
        // tokens of a model that starts with an Embedding, which RnnGen declares with InputDim 1.
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() is not (2 or 3))
        {
            return;
        }

        JsonElement t = shape[1];
        model.InputShapeStated = true;
        model.Timesteps = t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out int steps) && steps > 0 ? steps : null;
        if (shape.GetArrayLength() == 2)
        {
            model.InputDim = 1;
            return;
        }

        JsonElement d = shape[2];
        model.InputDim = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int dim) && dim > 0 ? dim : null;
    }
}
