using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>LayerNormalization</c> on the last axis, per vector and per timestep: <c>x̂ = (x - mean) / sqrt(variance
/// + epsilon)</c> over the row's values (biased variance, as <c>ops.moments</c>), then <c>y = x̂ * gamma + beta</c>
/// (gamma with <c>scale</c>, beta with <c>center</c>; Keras order: gamma first). The backward pass is the standard one
/// for a normalization over the row: <c>dx = (dx̂ - mean(dx̂) - x̂ * mean(dx̂ * x̂)) / sqrt(variance + epsilon)</c> with
/// <c>dx̂ = dy * gamma</c>; <c>dgamma = sum(dy * x̂)</c> and <c>dbeta = sum(dy)</c> over the rows of the batch.
/// </summary>
internal sealed class LayerNormalizationLayer : TrainingLayer
{
    private readonly int _width;
    private readonly int _rowsPerSample;
    private readonly float _epsilon;
    private float[] _normalized = Array.Empty<float>();
    private float[] _inverseDeviation = Array.Empty<float>();

    public LayerNormalizationLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _width = info.InputWidth;
        _rowsPerSample = info.InputIsSequence ? timesteps : 1;
        _epsilon = (float)info.Epsilon;
    }

    private int BetaOffset => ParameterOffset + (Info.Scale ? _width : 0);

    public override void Allocate(int capacity)
    {
        _normalized = new float[capacity * _rowsPerSample * _width];
        _inverseDeviation = new float[capacity * _rowsPerSample];
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        int rows = batch * _rowsPerSample;
        ReadOnlySpan<float> gamma = Info.Scale ? parameters.Slice(ParameterOffset, _width) : default;
        ReadOnlySpan<float> beta = Info.Center ? parameters.Slice(BetaOffset, _width) : default;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> x = input.Slice(r * _width, _width);
            Span<float> normalized = _normalized.AsSpan(r * _width, _width);
            Span<float> y = output.Slice(r * _width, _width);
            float mean = 0;
            for (int j = 0; j < _width; j++)
            {
                mean += x[j];
            }

            mean /= _width;
            float variance = 0;
            for (int j = 0; j < _width; j++)
            {
                float d = x[j] - mean;
                variance += d * d;
            }

            variance /= _width;
            float deviation = MathF.Sqrt(variance + _epsilon);
            _inverseDeviation[r] = 1f / deviation;
            for (int j = 0; j < _width; j++)
            {
                // Divided, as the inference kernel and the reference divide, so the forward pass gives their values.
                normalized[j] = (x[j] - mean) / deviation;
                float scaled = Info.Scale ? normalized[j] * gamma[j] : normalized[j];
                y[j] = Info.Center ? scaled + beta[j] : scaled;
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        int rows = batch * _rowsPerSample;
        ReadOnlySpan<float> gamma = Info.Scale ? parameters.Slice(ParameterOffset, _width) : default;
        Span<float> gammaGradient = Info.Scale ? gradients.Slice(ParameterOffset, _width) : default;
        Span<float> betaGradient = Info.Center ? gradients.Slice(BetaOffset, _width) : default;
        for (int r = 0; r < rows; r++)
        {
            Span<float> dy = outputGradient.Slice(r * _width, _width);
            ReadOnlySpan<float> normalized = _normalized.AsSpan(r * _width, _width);
            TrainingMath.ScaleAndShiftBackward(dy, normalized, gamma, gammaGradient, betaGradient); // dy is dx̂ now
            if (inputGradient.IsEmpty)
            {
                continue;
            }

            float meanGradient = 0, meanGradientTimesNormalized = 0;
            for (int j = 0; j < _width; j++)
            {
                meanGradient += dy[j];
                meanGradientTimesNormalized += dy[j] * normalized[j];
            }

            meanGradient /= _width;
            meanGradientTimesNormalized /= _width;
            Span<float> dx = inputGradient.Slice(r * _width, _width);
            float inverse = _inverseDeviation[r];
            for (int j = 0; j < _width; j++)
            {
                dx[j] = (dy[j] - meanGradient - normalized[j] * meanGradientTimesNormalized) * inverse;
            }
        }
    }
}
