using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Describes a layer of a file without configuration from what is left: its name (Keras default names start with the
/// snake-case class name) and its weight shapes, which follow <see cref="Shared.LayerShapes"/>: kernel
/// <c>[in, g*u]</c>, recurrent kernel <c>[u, g*u]</c> with g = 1 (SimpleRNN), 3 (GRU) or 4 (LSTM), bias <c>[g*u]</c>
/// or <c>[2, 3u]</c> (GRU reset_after); Dense kernel <c>[in, u]</c> and bias <c>[u]</c>.
/// </summary>
internal static class ShapeInference
{
    private static readonly Dictionary<string, string> ClassByStem = new()
    {
        ["simple_rnn"] = "SimpleRNN",
        ["lstm"] = "LSTM",
        ["gru"] = "GRU",
        ["dense"] = "Dense",
        ["dropout"] = "Dropout",
        ["bidirectional"] = "Bidirectional",
        ["input_layer"] = "InputLayer",
        ["input"] = "InputLayer",
        ["activation"] = "Activation",
        ["time_distributed"] = "TimeDistributed",
        ["flatten"] = "Flatten",
        ["masking"] = "Masking",
        ["embedding"] = "Embedding",
        ["layer_normalization"] = "LayerNormalization",
        ["batch_normalization"] = "BatchNormalization",
        ["normalization"] = "Normalization",
        ["conv1d"] = "Conv1D",
        ["max_pooling1d"] = "MaxPooling1D",
        ["average_pooling1d"] = "AveragePooling1D",
        ["reshape"] = "Reshape",
        ["repeat_vector"] = "RepeatVector",
    };

    /// <summary>The Keras class a default layer name implies (<c>lstm_3</c> is an LSTM), or <see langword="null"/>.</summary>
    public static string? ClassFromName(string name)
    {
        string stem = Regex.Replace(name, "_[0-9]+$", "");
        return ClassByStem.TryGetValue(stem, out string? found) ? found : null;
    }

    /// <summary>Keras <c>naming.to_snake_case</c>: the group name Keras 3 gives a layer of class <paramref name="className"/>.</summary>
    public static string ToSnakeCase(string className)
    {
        string name = Regex.Replace(className, @"\W+", "");
        name = Regex.Replace(name, "(.)([A-Z][a-z]+)", "$1_$2");
        return Regex.Replace(name, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
    }

    /// <summary>Describes a layer from its name and weight shapes.</summary>
    /// <param name="name">The layer's (or group's) name.</param>
    /// <param name="classHint">The Keras class, if known; otherwise taken from the name.</param>
    /// <param name="weights">The layer's weights in get_weights() order.</param>
    /// <param name="weightlessNote">The note for a layer without weights (where the file leaves its position open).</param>
    public static KerasFileLayer Describe(string name, string? classHint, IReadOnlyList<FileWeight> weights, string? weightlessNote = null)
    {
        classHint ??= ClassFromName(name);
        WeightShape[] shapes = weights.Select(w => w.Shape).ToArray();
        bool namedBidirectional = classHint == "Bidirectional"
            || (weights.Any(w => w.Name.Contains("forward", StringComparison.Ordinal)) && weights.Any(w => w.Name.Contains("backward", StringComparison.Ordinal)));
        if (weights.Count is 4 or 6 && (namedBidirectional || SameHalves(weights)))
        {
            KerasFileLayer? half = Recurrent(name, weights.Take(weights.Count / 2).ToList(), classHint == "Bidirectional" ? null : classHint);
            if (half is not null && SameHalves(weights))
            {
                return new KerasFileLayer(name, "Bidirectional")
                {
                    Kind = half.Kind,
                    Units = half.Units,
                    UseBias = half.UseBias,
                    ResetAfter = half.ResetAfter,
                    Bidirectional = true,
                    Weights = shapes,
                };
            }
        }

        if (classHint == "Embedding" && weights.Count == 1 && weights[0].Dimensions.Length == 2)
        {
            // Embedding.build: embeddings (input_dim, output_dim); mask_zero is not stored with the weights.
            return new KerasFileLayer(name, classHint)
            {
                Kind = LayerKind.Embedding,
                EmbeddingInputDim = weights[0].Dimensions[0],
                Units = weights[0].Dimensions[1],
                Weights = shapes,
            };
        }

        if (classHint == "Conv1D" && weights.Count is 1 or 2 && weights[0].Dimensions.Length == 3)
        {
            // BaseConv.build: kernel (kernel_size, input / groups, filters), bias (filters,) with use_bias. Strides,
            // padding, dilation and groups are not stored with the weights: the declaration's are taken.
            return new KerasFileLayer(name, classHint)
            {
                Kind = LayerKind.Conv1D,
                KernelSize = weights[0].Dimensions[0],
                Units = weights[0].Dimensions[2],
                UseBias = weights.Count == 2,
                Weights = shapes,
            };
        }

        KerasFileLayer? normalization = Normalization(name, classHint, weights, shapes);
        if (normalization is not null)
        {
            return normalization;
        }

        // TimeDistributed keeps its inner layer's variables under layer/ (Wrapper.layer, saving_lib._walk_saveable);
        // RnnGen declares only TimeDistributed(Dense), as a plain Dense.
        KerasFileLayer? recurrent = classHint is "Dense" or "TimeDistributed" ? null : Recurrent(name, weights, classHint);
        if (recurrent is not null)
        {
            return recurrent;
        }

        if (weights.Count is 1 or 2 && weights[0].Dimensions.Length == 2
            && (weights.Count == 1 || (weights[1].Dimensions.Length == 1 && weights[1].Dimensions[0] == weights[0].Dimensions[1]))
            && classHint is null or "Dense" or "TimeDistributed")
        {
            return new KerasFileLayer(name, classHint ?? "Dense")
            {
                Kind = LayerKind.Dense,
                Units = weights[0].Dimensions[1],
                UseBias = weights.Count == 2,
                Weights = shapes,
            };
        }

        LayerKind? kind = weights.Count == 0 && classHint == "Dropout" ? LayerKind.Dropout : null;
        return new KerasFileLayer(name, classHint ?? (weights.Count == 0 ? "?" : "unknown"))
        {
            Kind = kind,
            Weights = shapes,
            Note = weights.Count == 0 ? weightlessNote
                : classHint == "TimeDistributed" ? "TimeDistributed of a layer other than Dense has no RnnGen equivalent."
                : kind is null ? "RnnGen cannot tell what layer these weights belong to."
                : null,
        };
    }

    /// <summary>
    /// A LayerNormalization or BatchNormalization group of a file without configuration: 1-D arrays of one width. With
    /// all of them (gamma, beta; BatchNormalization also the moving statistics) center and scale are known; with fewer
    /// the file cannot say which of gamma and beta is missing, and the layer is left undescribed. Epsilon is not stored.
    /// </summary>
    private static KerasFileLayer? Normalization(string name, string? classHint, IReadOnlyList<FileWeight> weights, WeightShape[] shapes)
    {
        if (classHint == "Normalization" && weights.Count == 3 && weights[0].Dimensions.Length == 1
            && weights[1].Dimensions.SequenceEqual(weights[0].Dimensions) && weights[2].Dimensions.Length == 0)
        {
            // An adapted Normalization: mean and variance of one width, then the scalar count. invert is not stored.
            return new KerasFileLayer(name, classHint) { Kind = LayerKind.Normalization, Weights = shapes };
        }

        if (classHint is not ("LayerNormalization" or "BatchNormalization") || weights.Count == 0
            || weights.Any(w => w.Dimensions.Length != 1 || w.Dimensions[0] != weights[0].Dimensions[0]))
        {
            return null;
        }

        bool batch = classHint == "BatchNormalization";
        int full = batch ? 4 : 2;
        int bare = batch ? 2 : 0;
        if (weights.Count != full && weights.Count != bare)
        {
            return new KerasFileLayer(name, classHint)
            {
                Weights = shapes,
                Note = $"{weights.Count} arrays: the file does not record whether this {classHint} has gamma (scale) or beta (center); load the model's .keras or full .h5 file instead.",
            };
        }

        return new KerasFileLayer(name, classHint)
        {
            Kind = batch ? LayerKind.BatchNormalization : LayerKind.LayerNormalization,
            Center = weights.Count == full,
            Scale = weights.Count == full,
            Weights = shapes,
        };
    }

    private static KerasFileLayer? Recurrent(string name, IReadOnlyList<FileWeight> weights, string? classHint)
    {
        if (weights.Count is not (2 or 3) || weights[0].Dimensions.Length != 2 || weights[1].Dimensions.Length != 2)
        {
            return null;
        }

        int width = weights[0].Dimensions[1];
        int units = weights[1].Dimensions[0];
        if (units <= 0 || weights[1].Dimensions[1] != width || width % units != 0)
        {
            return null;
        }

        LayerKind? kind = (width / units) switch
        {
            1 => LayerKind.SimpleRnn,
            3 => LayerKind.Gru,
            4 => LayerKind.Lstm,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        bool resetAfter = false;
        if (weights.Count == 3)
        {
            int[] bias = weights[2].Dimensions;
            bool flat = bias.Length == 1 && bias[0] == width;
            resetAfter = kind == LayerKind.Gru && bias.Length == 2 && bias[0] == 2 && bias[1] == width;
            if (!flat && !resetAfter)
            {
                return null;
            }
        }

        return new KerasFileLayer(name, classHint ?? Shared.LayerShapes.KerasClassName(kind.Value))
        {
            Kind = kind,
            Units = units,
            UseBias = weights.Count == 3,
            ResetAfter = resetAfter,
            Weights = weights.Select(w => w.Shape).ToArray(),
        };
    }

    private static bool SameHalves(IReadOnlyList<FileWeight> weights)
    {
        int half = weights.Count / 2;
        for (int i = 0; i < half; i++)
        {
            if (!weights[i].Dimensions.SequenceEqual(weights[half + i].Dimensions))
            {
                return false;
            }
        }

        return true;
    }
}
