using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen.Numerics.Tests.Infrastructure;

/// <summary>One layer of a test case, as the fixtures describe it (Keras option names in C# casing).</summary>
public sealed record CaseLayer(
    string Kind,
    int Units,
    string? Activation = null,
    string? RecurrentActivation = null,
    bool UseBias = true,
    bool ResetAfter = false,
    bool ReturnSequences = false,
    bool ReturnState = false,
    bool GoBackwards = false,
    bool Stateful = false,
    bool Bidirectional = false,
    string MergeMode = "Concat",
    double Rate = 0,
    double Epsilon = 0.001,
    bool Center = true,
    bool Scale = true,
    double RescalingScale = 1,
    double RescalingOffset = 0,
    double MaskValue = 0,
    int EmbeddingInputDim = 0,
    bool MaskZero = false,
    int KernelSize = 0,
    int PoolSize = 0,
    int Strides = 1,
    string Padding = "valid",
    int DilationRate = 1,
    int[]? TargetShape = null,
    int Repeats = 0,
    bool Invert = false);

/// <summary>A model of a test case, and the RnnGen declaration that builds it.</summary>
public sealed record CaseModel(int Timesteps, int InputDim, IReadOnlyList<CaseLayer> Layers)
{
    /// <summary>
    /// The attributes that declare this model: a single layer attribute, or [Sequential] and one per layer. With
    /// <paramref name="precision"/>, always [Sequential], with that WeightPrecision.
    /// </summary>
    public string Attributes(WeightPrecision? precision = null)
    {
        var text = new StringBuilder();
        bool single = precision is null && Layers.Count == 1 && Layers[0].Kind is "SimpleRnn" or "Lstm" or "Gru";
        string shape = $"Timesteps = {Timesteps}, InputDim = {InputDim}";
        if (!single)
        {
            string weights = precision is null ? string.Empty : $", WeightPrecision = RnnGen.WeightPrecision.{precision}";
            text.Append($"[RnnGen.Sequential({shape}{weights})]\n");
        }

        foreach (CaseLayer layer in Layers)
        {
            text.Append(Attribute(layer, single ? shape : null)).Append('\n');
        }

        return text.ToString();
    }

    private static string Attribute(CaseLayer layer, string? shape)
    {
        var arguments = new List<string>();
        if (layer.Kind == "Dropout")
        {
            return $"[RnnGen.Dropout({layer.Rate.ToString("R", CultureInfo.InvariantCulture)})]";
        }

        if (layer.Kind == "Activation")
        {
            return $"[RnnGen.Activation(\"{layer.Activation}\")]";
        }

        if (layer.Kind is "GlobalAveragePooling1D" or "GlobalMaxPooling1D")
        {
            return $"[RnnGen.{layer.Kind}]";
        }

        if (layer.Kind == "Rescaling")
        {
            return $"[RnnGen.Rescaling({Float(layer.RescalingScale)}, Offset = {Float(layer.RescalingOffset)})]";
        }

        if (layer.Kind == "Embedding")
        {
            return $"[RnnGen.Embedding({layer.EmbeddingInputDim}, {layer.Units}, MaskZero = {Bool(layer.MaskZero)})]";
        }

        if (layer.Kind == "Conv1D")
        {
            // units holds the filters in the fixtures.
            return $"[RnnGen.Conv1D({layer.Units}, {layer.KernelSize}, Strides = {layer.Strides}, Padding = \"{layer.Padding}\", DilationRate = {layer.DilationRate}, Activation = \"{layer.Activation}\", UseBias = {Bool(layer.UseBias)})]";
        }

        if (layer.Kind is "MaxPooling1D" or "AveragePooling1D")
        {
            return $"[RnnGen.{layer.Kind}({layer.PoolSize}, Strides = {layer.Strides}, Padding = \"{layer.Padding}\")]";
        }

        if (layer.Kind == "Flatten")
        {
            return "[RnnGen.Flatten]";
        }

        if (layer.Kind == "Reshape")
        {
            return $"[RnnGen.Reshape({string.Join(", ", layer.TargetShape!)})]";
        }

        if (layer.Kind == "RepeatVector")
        {
            return $"[RnnGen.RepeatVector({layer.Repeats})]";
        }

        if (layer.Kind == "Masking")
        {
            return $"[RnnGen.Masking(MaskValue = {Float(layer.MaskValue)})]";
        }

        if (layer.Kind == "Normalization")
        {
            return $"[RnnGen.Normalization(Invert = {Bool(layer.Invert)})]";
        }

        if (layer.Kind is "LayerNormalization" or "BatchNormalization")
        {
            return $"[RnnGen.{layer.Kind}(Epsilon = {((float)layer.Epsilon).ToString("R", CultureInfo.InvariantCulture)}f, Center = {Bool(layer.Center)}, Scale = {Bool(layer.Scale)})]";
        }

        arguments.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
        if (shape is not null)
        {
            arguments.Add(shape);
        }

        if (layer.Activation is not null)
        {
            arguments.Add($"Activation = \"{layer.Activation}\"");
        }

        arguments.Add($"UseBias = {Bool(layer.UseBias)}");
        if (layer.Kind != "Dense")
        {
            if (layer.Kind != "SimpleRnn" && layer.RecurrentActivation is not null)
            {
                arguments.Add($"RecurrentActivation = \"{layer.RecurrentActivation}\"");
            }

            if (layer.Kind == "Gru")
            {
                arguments.Add($"ResetAfter = {Bool(layer.ResetAfter)}");
            }

            arguments.Add($"ReturnSequences = {Bool(layer.ReturnSequences)}");
            arguments.Add($"ReturnState = {Bool(layer.ReturnState)}");
            arguments.Add($"GoBackwards = {Bool(layer.GoBackwards)}");
            arguments.Add($"Stateful = {Bool(layer.Stateful)}");
            if (layer.Bidirectional)
            {
                arguments.Add("Bidirectional = true");
                arguments.Add($"MergeMode = RnnGen.MergeMode.{layer.MergeMode}");
            }
        }

        return $"[RnnGen.{layer.Kind}({string.Join(", ", arguments)})]";
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Float(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
}
