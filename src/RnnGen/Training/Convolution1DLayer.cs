using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Conv1D</c> and its gradient. Forward, per sample: <c>z[t, f] = b[f] + sum over k, c of
/// x[t * strides + k * dilation - pad, g * C + c] * W[k, c, f]</c> (<see cref="Kernels.ConvolutionKernels.Conv1D"/>, the
/// inference kernel), then <c>y = act(z)</c>. Backward, with <c>dz = dy * act'(z)</c>: each tap that reads a real
/// timestep adds <c>x[src, g * C + c] * dz[t, group f]</c> to the kernel row <c>W[k, c, group f]</c> and
/// <c>dz[t, group f] · W[k, c, group f]</c> to <c>dx[src, g * C + c]</c>; <c>db += dz</c> over every timestep. Taps on
/// padded timesteps read zeros, so they add nothing to either.
/// </summary>
internal sealed class Convolution1DLayer : TrainingLayer
{
    private readonly int _inputWidth;
    private readonly int _filters;
    private readonly int _outputTimesteps;
    private readonly int _kernelSize;
    private readonly int _groupInputs;
    private readonly int _groupFilters;
    private readonly int _padBefore;
    private readonly ActivationFunction _activation;
    private float[] _preActivation = Array.Empty<float>();

    public Convolution1DLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset, info.OutputTimesteps)
    {
        _inputWidth = info.InputWidth;
        _filters = info.OutputWidth;
        _outputTimesteps = info.OutputTimesteps;
        _kernelSize = info.KernelSize;
        _groupInputs = info.InputWidth / info.Groups;
        _groupFilters = info.OutputWidth / info.Groups;
        _padBefore = info.PadBefore;
        _activation = ActivationFunctions.Resolve(info.Activation);
    }

    private int KernelLength => _kernelSize * _groupInputs * _filters;

    public override void Allocate(int capacity) => _preActivation = new float[capacity * OutputLength];

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, KernelLength);
        ReadOnlySpan<float> bias = Info.UseBias ? parameters.Slice(ParameterOffset + KernelLength, _filters) : default;
        for (int b = 0; b < batch; b++)
        {
            Kernels.ConvolutionKernels.Conv1D(input.Slice(b * InputLength, InputLength), Timesteps, _inputWidth, kernel, bias,
                _preActivation.AsSpan(b * OutputLength, OutputLength), _outputTimesteps, _filters, _kernelSize, Info.Strides, Info.DilationRate, _padBefore, Info.Groups);
        }

        ActivationFunctions.Apply(_activation, _preActivation.AsSpan(0, batch * OutputLength), output.Slice(0, batch * OutputLength));
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        Span<float> dz = outputGradient.Slice(0, batch * OutputLength);
        ActivationFunctions.MultiplyByDerivative(_activation, _preActivation.AsSpan(0, batch * OutputLength), output.Slice(0, batch * OutputLength), dz);
        ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, KernelLength);
        Span<float> kernelGradient = gradients.Slice(ParameterOffset, KernelLength);
        if (!inputGradient.IsEmpty)
        {
            inputGradient.Slice(0, batch * InputLength).Clear();
        }

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            for (int t = 0; t < _outputTimesteps; t++)
            {
                ReadOnlySpan<float> dzRow = dz.Slice((b * _outputTimesteps + t) * _filters, _filters);
                if (Info.UseBias)
                {
                    TrainingMath.Add(dzRow, gradients.Slice(ParameterOffset + KernelLength, _filters));
                }

                for (int k = 0; k < _kernelSize; k++)
                {
                    int source = t * Info.Strides + k * Info.DilationRate - _padBefore;
                    if ((uint)source >= (uint)Timesteps)
                    {
                        continue; // a padded timestep: zeros in, nothing back
                    }

                    for (int g = 0; g < Info.Groups; g++)
                    {
                        ReadOnlySpan<float> dzGroup = dzRow.Slice(g * _groupFilters, _groupFilters);
                        for (int c = 0; c < _groupInputs; c++)
                        {
                            int channel = g * _groupInputs + c;
                            int row = (k * _groupInputs + c) * _filters + g * _groupFilters;
                            Kernels.ConvolutionKernels.MultiplyAdd(x[source * _inputWidth + channel], dzGroup, kernelGradient.Slice(row, _groupFilters));
                            if (!inputGradient.IsEmpty)
                            {
                                inputGradient[b * InputLength + source * _inputWidth + channel] += TrainingMath.Dot(kernel.Slice(row, _groupFilters), dzGroup);
                            }
                        }
                    }
                }
            }
        }
    }
}
