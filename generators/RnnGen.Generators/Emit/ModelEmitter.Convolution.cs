using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Conv1D, MaxPooling1D and AveragePooling1D: a window slid over the time axis, one call into
/// Kernels.ConvolutionKernels per sequence with every size a constant. The output has its own timesteps
/// (LayerSpec.OutputTimesteps), which the layers after it are sized for. Conv1D reads its kernel and bias from
/// <c>_parameters</c> in Keras's layout (<c>[kernel_size, features / groups, filters]</c>: filters last, so each tap is a
/// contiguous row) and applies its activation to the whole output after the sums. A model with one of them has no Step
/// (ModelLayout.IsCausal) and no masked calls (RNNG062: Keras's layers do not support masking).
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string ConvolutionKernels = "global::RnnGen.Kernels.ConvolutionKernels";

    /// <summary>
    /// The driver of Flatten, Reshape or RepeatVector: sequences between layers are stored row-major, so Flatten and
    /// Reshape are a copy of the same floats, and RepeatVector one copy of the vector per output timestep.
    /// </summary>
    private void WriteReshapingDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        string parameters = pass.LayerParameters;
        _writer.Line(pass.IsChunk
            ? $"// {layer.Description}, for each sequence of a chunk."
            : s.Kind == LayerKind.RepeatVector
            ? $"// {layer.Description}: y[t] = x at every timestep t (Keras RepeatVector.call)."
            : $"// {layer.Description}: the same floats in the same row-major order (Keras {LayerShapes.KerasClassName(s.Kind)}.call).");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            string input = pass.IsChunk ? "input.Slice(r * inputStride" : "input.Slice(0";
            string output = pass.IsChunk ? "output.Slice(r * outputStride" : "output.Slice(0";
            if (s.Kind == LayerKind.RepeatVector)
            {
                _writer.Line($"const int Width = {Int(s.InputWidth)};");
                ForEachSequence(pass, () =>
                {
                    using (_writer.Braces($"for (int t = 0; t < {Int(s.OutputTimesteps)}; t++)"))
                    {
                        _writer.Line($"{input}, Width).CopyTo(output.Slice({(pass.IsChunk ? "r * outputStride + " : string.Empty)}t * Width, Width));");
                    }
                });
            }
            else
            {
                _writer.Line($"const int Length = {Int(layer.InputRows() * s.InputWidth)};");
                ForEachSequence(pass, () => _writer.Line($"{input}, Length).CopyTo({output}, Length));"));
            }
        }

        _writer.Line();
    }

    /// <summary>The driver of one Conv1D or pooling layer for <paramref name="pass"/>.</summary>
    private void WriteTimeWindowDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        string parameters = pass.LayerParameters;
        string formula = s.Kind switch
        {
            LayerKind.Conv1D => $"y[t] = {s.Activation}(b + sum over k of x[t * {Int(s.Strides)} + k * {Int(s.DilationRate)} - pad]·W[k]), padding {s.Padding} (Keras Conv1D.call)",
            LayerKind.MaxPooling1D => $"y[t] = max of x over timesteps t * {Int(s.Strides)} - pad to {Int(s.Window)} further, padding {s.Padding} (Keras MaxPooling1D.call)",
            _ => $"y[t] = mean of x over timesteps t * {Int(s.Strides)} - pad to {Int(s.Window)} further, padding left out, padding {s.Padding} (Keras AveragePooling1D.call)",
        };
        _writer.Line(pass.IsChunk ? $"// {layer.Description}, for each sequence of a chunk." : $"// {layer.Description}: {formula}.");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            _writer.Line($"const int InputTimesteps = {Int(s.InputTimesteps)};");
            _writer.Line($"const int OutputTimesteps = {Int(s.OutputTimesteps)};");
            _writer.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _writer.Line($"const int OutputWidth = {Int(s.OutputWidth)};");
            _writer.Line($"const int PadBefore = {Int(s.PadBefore)}; // padded timesteps before the first input (Shared/TimeWindows.cs)");
            if (s.Kind == LayerKind.Conv1D)
            {
                WeightLayout kernel = layer.Directions[0].Weights["kernel"];
                _writer.Line($"{ReadOnlySpan} kernel = new {ReadOnlySpan}(_parameters, {kernel.ConstantName}, {Int(kernel.Length)}); // {kernel.KerasName} {kernel.ShapeText}");
                _writer.Line(s.UseBias
                    ? $"{ReadOnlySpan} bias = new {ReadOnlySpan}(_parameters, {layer.Directions[0].Weights["bias"].ConstantName}, OutputWidth);"
                    : $"{ReadOnlySpan} bias = default; // use_bias=False");
            }

            ForEachSequence(pass, () =>
            {
                string x = pass.IsChunk ? "input.Slice(r * inputStride, InputTimesteps * InputWidth)" : "input.Slice(0, InputTimesteps * InputWidth)";
                string y = pass.IsChunk ? "output.Slice(r * outputStride, OutputTimesteps * OutputWidth)" : "output.Slice(0, OutputTimesteps * OutputWidth)";
                if (s.Kind == LayerKind.Conv1D)
                {
                    _writer.Line($"{Span} y = {y};");
                    _writer.Line($"{ConvolutionKernels}.Conv1D({x}, InputTimesteps, InputWidth, kernel, bias, y, OutputTimesteps, OutputWidth, "
                        + $"kernelSize: {Int(s.Window)}, strides: {Int(s.Strides)}, dilation: {Int(s.DilationRate)}, PadBefore, groups: {Int(s.Groups)});");
                    if (s.Activation != "linear")
                    {
                        _writer.Line($"{ElementwiseKernels}.Activate<global::RnnGen.Kernels.{ActivationCatalog.MemberName(s.Activation)}Operator>(y, y);");
                    }
                }
                else
                {
                    string kernel = s.Kind == LayerKind.MaxPooling1D ? "MaxPool1D" : "AveragePool1D";
                    _writer.Line($"{ConvolutionKernels}.{kernel}({x}, InputTimesteps, {y}, OutputTimesteps, InputWidth, poolSize: {Int(s.Window)}, strides: {Int(s.Strides)}, PadBefore);");
                }
            });
        }

        _writer.Line();
    }
}
