using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Formats.Keras;

/// <summary>
/// What a file layer without weights does to the model's output at inference, for the loader (which must not pass over
/// a layer that changes the output) and for <c>rnngen inspect</c> (which says so in its comment).
/// </summary>
internal static class WeightlessLayers
{
    // Keras layers that return their input unchanged when training=False: the noise and dropout layers
    // (keras/src/layers/regularization/*.py: call() returns inputs unless training), ActivityRegularization (adds a
    // loss only) and InputLayer. Dropout itself has an RnnGen counterpart ([Dropout]), which is also an identity.
    private static readonly HashSet<string> IdentityClasses = new(StringComparer.Ordinal)
    {
        "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "ActivityRegularization",
    };

    /// <summary>Whether the layer leaves the output unchanged at inference, so the load may pass over it.</summary>
    public static bool IsIdentity(KerasFileLayer layer) =>
        IdentityClasses.Contains(layer.ClassName) || layer.Kind == LayerKind.Dropout || (layer.ClassName == "Activation" && layer.Activation == "linear");

    /// <summary>
    /// Whether <paramref name="activation"/> (an Activation layer) may be folded into <paramref name="dense"/>, the file
    /// layer directly before it: a Dense computing <c>linear</c> followed by <c>Activation(a)</c> is <c>Dense(activation=a)</c>.
    /// </summary>
    public static bool CanFold(KerasFileLayer? dense, KerasFileLayer activation) =>
        dense is not null && dense.Kind == LayerKind.Dense && dense.HasConfig && dense.Activation == "linear"
        && activation.ClassName == "Activation" && activation.HasConfig && activation.Activation is not null;

    /// <summary>"activation_5 (Activation, relu)", "masking (Masking)": how messages name the layer.</summary>
    public static string Name(KerasFileLayer layer) =>
        layer.ClassName == "Activation" ? $"{layer.Name} (Activation, {layer.FileActivation})" : $"{layer.Name} ({layer.ClassName})";

    /// <summary>
    /// Whether RnnGen declares the layer: an <c>[Activation]</c>, <c>[Rescaling]</c>, <c>[Masking]</c>,
    /// <c>[GlobalAveragePooling1D]</c> or <c>[GlobalMaxPooling1D]</c> the declaration lacks at its place.
    /// </summary>
    public static bool IsDeclarable(KerasFileLayer layer) =>
        layer.Kind is LayerKind.Activation or LayerKind.Rescaling or LayerKind.Masking or LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D
            or LayerKind.MaxPooling1D or LayerKind.AveragePooling1D or LayerKind.Flatten or LayerKind.Reshape or LayerKind.RepeatVector;

    /// <summary>
    /// Why the load refuses the layer: "activation_5 (Activation, relu): changes the model's output and RnnGen has no
    /// Softsign layer", or, for a layer RnnGen has, "... and the declaration has no [Activation("relu")] at its place".
    /// </summary>
    public static string Reason(KerasFileLayer layer) => IsDeclarable(layer)
        ? $"{Name(layer)}: changes the model's output and the declaration has no [{Attribute(layer)}] at its place"
        : $"{Name(layer)}: changes the model's output and RnnGen has no {layer.ClassName} layer";

    /// <summary>
    /// The attribute that declares an Activation, Rescaling or Masking file layer: <c>Activation("relu")</c>,
    /// <c>Rescaling(0.5f, Offset = 1f)</c>, <c>Masking</c>, <c>Masking(MaskValue = -1f)</c>.
    /// </summary>
    public static string Attribute(KerasFileLayer layer)
    {
        if (layer.Kind == LayerKind.Activation)
        {
            return $"Activation(\"{layer.Activation}\")";
        }

        if (layer.Kind is LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D)
        {
            return layer.Kind.Value.ToString(); // no options: Keras's defaults are the only form read
        }

        if (layer.Kind == LayerKind.Flatten)
        {
            return "Flatten";
        }

        if (layer.Kind == LayerKind.Reshape)
        {
            return $"Reshape({string.Join(", ", layer.TargetShape!)})";
        }

        if (layer.Kind == LayerKind.RepeatVector)
        {
            return $"RepeatVector({layer.RepeatCount})";
        }

        if (layer.Kind is LayerKind.MaxPooling1D or LayerKind.AveragePooling1D)
        {
            // Only what differs from Keras's defaults: pool_size 2, strides the pool size, padding valid.
            var options = new List<string>();
            if (layer.Strides != layer.PoolSize)
            {
                options.Add($"Strides = {layer.Strides}");
            }

            if (layer.Padding != Shared.TimeWindows.Valid)
            {
                options.Add($"Padding = \"{layer.Padding}\"");
            }

            string size = layer.PoolSize == Shared.TimeWindows.DefaultPoolSize && options.Count == 0 ? string.Empty : layer.PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string arguments = string.Join(", ", new[] { size }.Where(a => a.Length > 0).Concat(options));
            return arguments.Length == 0 ? layer.Kind.Value.ToString() : $"{layer.Kind.Value}({arguments})";
        }

        string Float(double value) => ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";
        if (layer.Kind == LayerKind.Masking)
        {
            float maskValue = (float)layer.MaskValue;
            return maskValue == 0 ? "Masking"
                : float.IsNaN(maskValue) ? "Masking(MaskValue = float.NaN)"
                : float.IsInfinity(maskValue) ? $"Masking(MaskValue = float.{(maskValue > 0 ? "PositiveInfinity" : "NegativeInfinity")})"
                : $"Masking(MaskValue = {Float(maskValue)})";
        }

        return (float)layer.RescalingOffset == 0
            ? $"Rescaling({Float(layer.RescalingScale)})"
            : $"Rescaling({Float(layer.RescalingScale)}, Offset = {Float(layer.RescalingOffset)})";
    }

    /// <summary>The ways out: fold an Activation into a linear Dense before it, or apply the layer yourself and ignore it.</summary>
    public static string Remedy(KerasFileLayer layer, KerasFileLayer? before)
    {
        string fold = CanFold(before, layer)
            ? $"declare Activation = \"{layer.Activation}\" on the Dense before it ('{before!.Name}'), which computes the same; or "
            : "";
        if (IsDeclarable(layer))
        {
            string place = before is null || layer.Kind == LayerKind.Masking ? "as the first layer" : $"after the layer declared for '{before.Name}'";
            return $"{fold}declare [{Attribute(layer)}] {place}.";
        }

        string what = layer.ClassName == "Activation" ? $"apply {layer.FileActivation} to the model's output yourself" : $"apply the {layer.ClassName} yourself";
        return $"{fold}{what} and load with KerasWeights.Load(model, path, ignoredLayers: new[] {{ \"{layer.Name}\" }}), which passes over it.";
    }

    /// <summary>The whole refusal, for the load's error message.</summary>
    public static string Refusal(KerasFileLayer layer, KerasFileLayer? before) =>
        $"{Reason(layer)}, so this declaration would compute something else: {Remedy(layer, before)}";
}
