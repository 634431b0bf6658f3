using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// GlobalAveragePooling1D and GlobalMaxPooling1D: a sequence in, one row out, no weights; each is one call into
/// Kernels.PoolingKernels per sequence. A global pooling layer has no output before the last timestep, so a model with
/// one has no Step (ModelLayout.IsCausal). In a masked call GlobalAveragePooling1D averages the unmasked timesteps only,
/// as Keras's does (keras/src/layers/pooling/global_average_pooling1d.py); Keras's GlobalMaxPooling1D takes no mask.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string PoolingKernels = "global::RnnGen.Kernels.PoolingKernels";

    /// <summary>Whether the single-sequence driver of <paramref name="layer"/> takes the caller's mask.</summary>
    private static bool TakesMask(LayerLayout layer) => layer.Spec.TakesMask;

    /// <summary>The driver of one global pooling layer for <paramref name="pass"/>.</summary>
    private void WriteGlobalPoolingDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        bool average = s.Kind == LayerKind.GlobalAveragePooling1D;
        int rows = layer.InputRows();
        string parameters = pass.LayerParameters + (!pass.IsChunk && average ? ", " + MaskParameter : string.Empty);
        _writer.Line(pass.IsChunk
            ? $"// {layer.Description}, for each sequence of a chunk."
            : average
            ? $"// {layer.Description}: the mean of each feature over the {Int(rows)} timesteps, or over the unmasked ones when the caller gave a mask (Keras GlobalAveragePooling1D.call)."
            : $"// {layer.Description}: the maximum of each feature over the {Int(rows)} timesteps (Keras GlobalMaxPooling1D.call, which takes no mask).");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            _writer.Line($"const int Timesteps = {Int(rows)};");
            _writer.Line($"const int Width = {Int(s.InputWidth)};");
            string kernel = average ? "GlobalAverage" : "GlobalMax";
            if (pass.IsChunk)
            {
                using (_writer.Braces("for (int r = 0; r < BatchChunk; r++)"))
                {
                    _writer.Line($"{PoolingKernels}.{kernel}(input.Slice(r * inputStride, Timesteps * Width), Timesteps, output.Slice(r * outputStride, Width));");
                }
            }
            else if (average)
            {
                using (_writer.Braces("if (mask.IsEmpty)"))
                {
                    _writer.Line($"{PoolingKernels}.GlobalAverage(input.Slice(0, Timesteps * Width), Timesteps, output.Slice(0, Width));");
                }

                using (_writer.Braces("else"))
                {
                    _writer.Line($"{PoolingKernels}.GlobalAverage(input.Slice(0, Timesteps * Width), Timesteps, output.Slice(0, Width), mask);");
                }
            }
            else
            {
                _writer.Line($"{PoolingKernels}.GlobalMax(input.Slice(0, Timesteps * Width), Timesteps, output.Slice(0, Width));");
            }
        }

        _writer.Line();
    }
}
