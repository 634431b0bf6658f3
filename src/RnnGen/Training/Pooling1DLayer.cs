using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>MaxPooling1D</c> and <c>AveragePooling1D</c> and their gradients: the windows of
/// <see cref="Kernels.ConvolutionKernels"/> (padded timesteps left out). An average window gives each timestep it covers
/// the output gradient divided by its count; a maximum window gives it all to the first timestep that holds the
/// maximum, as TensorFlow's <c>MaxPoolGrad</c> routes it to the one position its argmax recorded. Overlapping windows
/// (strides under the pool size) add up.
/// </summary>
internal sealed class Pooling1DLayer : TrainingLayer
{
    private readonly bool _max;
    private readonly int _width;
    private readonly int _outputTimesteps;
    private readonly int _padBefore;

    public Pooling1DLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset, info.OutputTimesteps)
    {
        _max = info.Kind == LayerKind.MaxPooling1D;
        _width = info.InputWidth;
        _outputTimesteps = info.OutputTimesteps;
        _padBefore = info.PadBefore;
    }

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            Span<float> y = output.Slice(b * OutputLength, OutputLength);
            if (_max)
            {
                Kernels.ConvolutionKernels.MaxPool1D(x, Timesteps, y, _outputTimesteps, _width, Info.PoolSize, Info.Strides, _padBefore);
            }
            else
            {
                Kernels.ConvolutionKernels.AveragePool1D(x, Timesteps, y, _outputTimesteps, _width, Info.PoolSize, Info.Strides, _padBefore);
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        inputGradient.Slice(0, batch * InputLength).Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            Span<float> dx = inputGradient.Slice(b * InputLength, InputLength);
            for (int t = 0; t < _outputTimesteps; t++)
            {
                (int first, int end) = Shared.TimeWindows.PoolingWindow(t, Timesteps, Info.PoolSize, Info.Strides, _padBefore);
                ReadOnlySpan<float> dy = outputGradient.Slice((b * _outputTimesteps + t) * _width, _width);
                for (int j = 0; j < _width; j++)
                {
                    if (!_max)
                    {
                        float share = dy[j] / (end - first);
                        for (int s = first; s < end; s++)
                        {
                            dx[s * _width + j] += share;
                        }

                        continue;
                    }

                    int argmax = first;
                    for (int s = first + 1; s < end; s++)
                    {
                        argmax = x[s * _width + j] > x[argmax * _width + j] ? s : argmax;
                    }

                    dx[argmax * _width + j] += dy[j];
                }
            }
        }
    }
}
