using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Normalization</c> in training: a fixed per-feature map with the adapted statistics, which Keras does not
/// train (<c>trainable=False</c> weights, <c>keras/src/layers/preprocessing/normalization.py</c>), so it has no weight
/// gradients and its <c>mean</c>, <c>variance</c> and <c>count</c> are kept out of the optimizer
/// (<see cref="TrainingLayer.NonTrainableLength"/>). The input gradient is the output gradient divided by the deviation
/// <c>max(sqrt(variance), 1e-7)</c>, or multiplied by it with <c>invert</c>.
/// </summary>
internal sealed class NormalizationStatisticsLayer : TrainingLayer
{
    private readonly int _width;
    private readonly float[] _deviations; // of the parameters the last Forward read

    public NormalizationStatisticsLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _width = info.InputWidth;
        _deviations = new float[_width];
    }

    /// <inheritdoc/>
    public override int NonTrainableLength => 2 * _width + 1;

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        ReadOnlySpan<float> mean = parameters.Slice(ParameterOffset, _width);
        ReadOnlySpan<float> variance = parameters.Slice(ParameterOffset + _width, _width);
        for (int j = 0; j < _width; j++)
        {
            _deviations[j] = Kernels.NormalizationKernels.Deviation(variance[j]);
        }

        int rows = batch * InputLength / _width;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> x = input.Slice(r * _width, _width);
            Span<float> y = output.Slice(r * _width, _width);
            for (int j = 0; j < _width; j++)
            {
                y[j] = Info.Invert ? mean[j] + x[j] * _deviations[j] : (x[j] - mean[j]) / _deviations[j];
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        // The statistics are not trained, so the deviations of the forward pass are those of this backward pass.
        int rows = batch * InputLength / _width;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dy = outputGradient.Slice(r * _width, _width);
            Span<float> dx = inputGradient.Slice(r * _width, _width);
            for (int j = 0; j < _width; j++)
            {
                dx[j] = Info.Invert ? dy[j] * _deviations[j] : dy[j] / _deviations[j];
            }
        }
    }
}
