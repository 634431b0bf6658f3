using System.Globalization;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Activation, Rescaling and Masking: a function of each row, no weights, so each runs row by row (every timestep of
/// a sequence, or the one vector) through the driver the normalization layers use, and its row is one call into
/// Kernels.ElementwiseKernels with the activation operator or the two constants.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string ElementwiseKernels = "global::RnnGen.Kernels.ElementwiseKernels";

    /// <summary>The formula of an elementwise layer for the driver's comment.</summary>
    private static string ElementwiseFormula(LayerSpec s) => s.Kind == LayerKind.Activation
        ? $"y = {s.Activation}(x) (Keras Activation.call)"
        : s.Kind == LayerKind.Masking
        ? $"y = x * any(x != {s.MaskValue.ToString("R", CultureInfo.InvariantCulture)}) (Keras Masking.call; the model's mask is KerasMask.IsKept of each input row)"
        : $"y = x * {s.RescalingScale.ToString("R", CultureInfo.InvariantCulture)} + {s.RescalingOffset.ToString("R", CultureInfo.InvariantCulture)} (Keras Rescaling.call)";

    /// <summary>One row of an elementwise layer.</summary>
    private void WriteElementwiseRow(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        _writer.Line($"// One row of {s.Name}: {Int(s.InputWidth)} values.");
        _writer.Line(MethodImplInline);
        using (_writer.Braces($"private static void {layer.Pascal}Row({ReadOnlySpan} x, {Span} y)"))
        {
            _writer.Line(s.Kind == LayerKind.Rescaling
                ? $"{ElementwiseKernels}.Rescale(x, y, {Float(s.RescalingScale)}, {Float(s.RescalingOffset)});"
                : s.Kind == LayerKind.Masking
                ? $"{ElementwiseKernels}.Mask(x, y, {Float(s.MaskValue)});"
                : s.Activation == "softmax"
                ? $"{ElementwiseKernels}.Softmax(x, y);"
                : s.Activation == "linear"
                ? "x.CopyTo(y);"
                : $"{ElementwiseKernels}.Activate<global::RnnGen.Kernels.{ActivationCatalog.MemberName(s.Activation)}Operator>(x, y);");
        }

        _writer.Line();
    }
}
