using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// LayerNormalization, BatchNormalization and Normalization: per feature on the last axis, so each keeps its input's
/// shape and runs row by row (every timestep of a sequence, or the one vector) like Dense. Their weights are packed
/// into two vectors when weights are set (Kernels.NormalizationKernels): gamma and beta for LayerNormalization, for
/// BatchNormalization the folded scale and shift of its moving statistics, so that inference is one multiply-add per
/// feature, and for Normalization the mean and the deviation it divides by (or, inverted, multiplies by), so that it
/// computes Keras's float32 arithmetic step for step.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string NormalizationKernels = "global::RnnGen.Kernels.NormalizationKernels";

    /// <summary>The packing call of one normalization layer, inside the tier branch of PackWeights.</summary>
    private void WriteNormalizationPacking(LayerLayout layer, System.Func<string, string> weight, string target)
    {
        LayerSpec s = layer.Spec;
        _writer.Line(s.Kind == LayerKind.LayerNormalization
            ? $"{NormalizationKernels}.PackLayerNormalization({weight("gamma")}, {weight("beta")}, {target}, width: {Int(s.InputWidth)});"
            : s.Kind == LayerKind.Normalization
            ? $"{NormalizationKernels}.PackNormalization({weight("mean")}, {weight("variance")}, {target}, width: {Int(s.InputWidth)}, invert: {Bool(s.Invert)});"
            : $"{NormalizationKernels}.PackBatchNormalization({weight("gamma")}, {weight("beta")}, {weight("moving_mean")}, {weight("moving_variance")}, {target}, width: {Int(s.InputWidth)}, epsilon: {Float(s.Epsilon)});");
    }

    /// <summary>The driver of one normalization or elementwise layer for <paramref name="pass"/>: its row at every timestep (or once).</summary>
    private void WriteNormalizationDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        int rows = layer.InputRows();
        string parameters = pass.LayerParameters;
        string formula = s.IsElementwise
            ? ElementwiseFormula(s)
            : s.Kind == LayerKind.LayerNormalization
            ? "y = (x - mean(x)) / sqrt(var(x) + epsilon) * gamma + beta (Keras LayerNormalization.call)"
            : s.Kind == LayerKind.Normalization
            ? s.Invert
                ? "y = mean + x * max(sqrt(variance), 1e-7) (Keras Normalization.call, invert=True)"
                : "y = (x - mean) / max(sqrt(variance), 1e-7) (Keras Normalization.call)"
            : "y = (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta (Keras BatchNormalization.call, training=False)";
        _writer.Line(pass.IsChunk
            ? $"// {layer.Description}, for each sequence of a chunk."
            : $"// {layer.Description}: {formula} on the last axis{(rows > 1 ? ", at every timestep" : string.Empty)}.");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            _writer.Line($"const int Width = {Int(s.InputWidth)};");
            ForEachSequence(pass, () =>
            {
                string inputStart = pass.IsChunk ? "r * inputStride + " : string.Empty;
                string outputStart = pass.IsChunk ? "r * outputStride + " : string.Empty;
                if (rows == 1)
                {
                    _writer.Line($"{layer.Pascal}Row(input.Slice({(pass.IsChunk ? "r * inputStride" : "0")}, Width), output.Slice({(pass.IsChunk ? "r * outputStride" : "0")}, Width));");
                    return;
                }

                using (_writer.Braces($"for (int t = 0; t < {Int(rows)}; t++)"))
                {
                    _writer.Line($"{layer.Pascal}Row(input.Slice({inputStart}t * Width, Width), output.Slice({outputStart}t * Width, Width));");
                }
            });
        }

        _writer.Line();
    }

    /// <summary>One row of a normalization layer, reading the packed vectors of this machine's tier.</summary>
    private void WriteNormalizationRow(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        DirectionLayout direction = layer.Directions[0];
        string length = Int(PackedLayout.NormalizationLength(s.InputWidth));
        _writer.Line($"// One row of {s.Name}: {Int(s.InputWidth)} features.");
        _writer.Line(MethodImplInline);
        using (_writer.Braces($"private void {layer.Pascal}Row({ReadOnlySpan} x, {Span} y)"))
        {
            WriteTierDispatch(_writer, layer, (tier, _) =>
            {
                string packed = $"{Support}.AlignedSpan(_packed, PackedLength).Slice({PackedOffsetName(direction, tier)}, {length})";
                return s.Kind == LayerKind.LayerNormalization
                    ? $"{NormalizationKernels}.LayerNormalize(x, y, {packed}, {Float(s.Epsilon)});"
                    : s.Kind == LayerKind.Normalization && !s.Invert
                    ? $"{NormalizationKernels}.Standardize(x, y, {packed});"
                    : $"{NormalizationKernels}.ScaleShift(x, y, {packed});";
            });
        }

        _writer.Line();
    }
}
