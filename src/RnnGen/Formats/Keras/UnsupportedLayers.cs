using System.Linq;

namespace RnnGen.Formats.Keras;

/// <summary>
/// How the loader and <c>rnngen inspect</c> speak of a file layer with weights that RnnGen does not generate: one line
/// naming it, its Keras class and weights, and the way out (compute it from <see cref="KerasFile"/> and pass over it).
/// </summary>
internal static class UnsupportedLayers
{
    /// <summary>The Keras layers RnnGen generates, as messages list them.</summary>
    public const string Supported =
        "  RnnGen generates SimpleRNN, LSTM and GRU (alone or in Bidirectional), Dense (alone or in TimeDistributed), " +
        "LayerNormalization, BatchNormalization, Normalization (adapted, last axis), Activation, Rescaling, Masking (first), Embedding (first), GlobalAveragePooling1D, GlobalMaxPooling1D, Conv1D, MaxPooling1D, AveragePooling1D, Flatten, Reshape, RepeatVector, and Dropout and the other identities at inference.";

    /// <summary>"'conv1d_transpose' (Conv1DTranspose, weights [2, 4, 3], [4]): RnnGen has no Conv1DTranspose layer; ...".</summary>
    public static string Refusal(KerasFileLayer layer)
    {
        string className = layer.ClassName is "?" or "unknown" or "" ? "a layer of unknown class" : layer.ClassName;
        string weights = string.Join(", ", layer.Weights.Select(w => w.ShapeText));
        string what = layer.ClassName is "?" or "unknown" or "" ? "RnnGen does not recognize this layer"
            : layer.ClassName is "Attention" or "AdditiveAttention" or "MultiHeadAttention"
            ? $"RnnGen has {layer.ClassName} only in a [Graph] (its [{layer.ClassName}] attribute; rnngen inspect prints the graph's declaration), not in a chain of layers"
            : $"RnnGen has no {layer.ClassName} layer";
        return $"'{layer.Name}' ({className}, weights {weights}): {what}. Compute it yourself from its weights and config " +
            $"(KerasFile.Open(path).Layer(\"{layer.Name}\")) and load the rest with KerasWeights.Load(model, path, ignoredLayers: new[] {{ \"{layer.Name}\" }}).";
    }
}
