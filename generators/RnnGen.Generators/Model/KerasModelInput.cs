using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>
/// What <c>Extract</c> reads from a class carrying <c>[KerasModel]</c>: the class as for any model (with no layer
/// attributes), the path as written and where, the <c>Timesteps</c> property, and the names of layer attributes
/// wrongly written beside it.
/// </summary>
internal sealed record KerasModelInput(
    ModelInput Class,
    string? Path,
    LocationInfo? PathLocation,
    int? Timesteps,
    LocationInfo? TimestepsLocation,
    EquatableArray<string> LayerAttributes);

/// <summary>
/// One description the build wrote for a <c>KerasModel</c> item (an AdditionalFile): the item's path relative to the
/// project, normalized by <see cref="RnnGenerator.NormalizeModelPath"/>, the description's text, and the manifest
/// resource name of the compiled-in weights (null when the item opts out with <c>EmbedWeights="false"</c>).
/// </summary>
internal sealed record KerasModelFile(string Path, string Text, string? WeightsResource);
