using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>BatchNormalization</c> on the last axis. In training (keras/src/layers/normalization/batch_normalization.py,
/// <c>call</c> with <c>training=True</c>) each feature is normalized with the mean and the biased variance of the batch
/// (every sample and timestep: <c>ops.moments</c> over all axes but the last; with a Keras mask, the kept timesteps
/// only, each sum over their count plus 1e-7, as <c>_moments(inputs, mask)</c>), <c>x̂ = (x - mean) / sqrt(variance +
/// epsilon)</c>, <c>y = x̂ * gamma + beta</c>; and the step moves the non-trainable statistics,
/// <c>moving = moving * momentum + batch * (1 - momentum)</c>. Outside training (<c>Evaluate</c>, validation) the moving
/// statistics normalize, as at inference. The backward pass is the normalization's over the batch:
/// <c>dx = (dx̂ - mean(dx̂) - x̂ * mean(dx̂ * x̂)) / sqrt(variance + epsilon)</c> with <c>dx̂ = dy * gamma</c>; the moving
/// statistics get no gradient (zeros: Keras does not train them).
/// </summary>
internal sealed class BatchNormalizationLayer : TrainingLayer
{
    private readonly int _width;
    private readonly int _rowsPerSample;
    private readonly float _epsilon;
    private readonly float _momentum;
    private readonly int _movingMeanOffset;
    private readonly float[] _batchMean;
    private readonly float[] _batchVariance;
    private readonly float[] _inverseDeviation;
    private readonly float[] _meanGradient;
    private readonly float[] _meanGradientTimesNormalized;
    private readonly float[] _keptNormalizedSum;
    private float[] _normalized = Array.Empty<float>();
    private bool _trained;

    public BatchNormalizationLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _width = info.InputWidth;
        _rowsPerSample = info.InputIsSequence ? timesteps : 1;
        _epsilon = (float)info.Epsilon;
        _momentum = (float)info.Momentum;
        _movingMeanOffset = ParameterOffset + ((info.Scale ? 1 : 0) + (info.Center ? 1 : 0)) * _width;
        _batchMean = new float[_width];
        _batchVariance = new float[_width];
        _inverseDeviation = new float[_width];
        _meanGradient = new float[_width];
        _meanGradientTimesNormalized = new float[_width];
        _keptNormalizedSum = new float[_width];
    }

    /// <summary>Where the moving mean starts in the flat parameters; the moving variance follows it.</summary>
    public override int NonTrainableOffset => _movingMeanOffset;

    /// <summary>Floats of the moving mean and variance together.</summary>
    public override int NonTrainableLength => 2 * _width;

    /// <inheritdoc/>
    public override void AfterOptimizerStep(Span<float> parameters) => UpdateMovingStatistics(parameters);

    private int BetaOffset => ParameterOffset + (Info.Scale ? _width : 0);

    public override void Allocate(int capacity) => _normalized = new float[capacity * _rowsPerSample * _width];

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        int rows = batch * _rowsPerSample;
        ReadOnlySpan<float> gamma = Info.Scale ? parameters.Slice(ParameterOffset, _width) : default;
        ReadOnlySpan<float> beta = Info.Center ? parameters.Slice(BetaOffset, _width) : default;
        _trained = training;
        if (training)
        {
            Array.Clear(_batchMean);
            Array.Clear(_batchVariance);
            for (int r = 0; r < rows; r++)
            {
                if (Kept(r))
                {
                    TrainingMath.Add(input.Slice(r * _width, _width), _batchMean);
                }
            }

            float divisor = StatisticsDivisor(rows);
            for (int j = 0; j < _width; j++)
            {
                _batchMean[j] /= divisor;
            }

            for (int r = 0; r < rows; r++)
            {
                if (!Kept(r))
                {
                    continue;
                }

                ReadOnlySpan<float> x = input.Slice(r * _width, _width);
                for (int j = 0; j < _width; j++)
                {
                    float d = x[j] - _batchMean[j];
                    _batchVariance[j] += d * d;
                }
            }

            for (int j = 0; j < _width; j++)
            {
                _batchVariance[j] /= divisor;
            }
        }

        ReadOnlySpan<float> mean = training ? _batchMean : parameters.Slice(_movingMeanOffset, _width);
        ReadOnlySpan<float> variance = training ? _batchVariance : parameters.Slice(_movingMeanOffset + _width, _width);
        for (int j = 0; j < _width; j++)
        {
            _inverseDeviation[j] = 1f / MathF.Sqrt(variance[j] + _epsilon);
        }

        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> x = input.Slice(r * _width, _width);
            Span<float> normalized = _normalized.AsSpan(r * _width, _width);
            Span<float> y = output.Slice(r * _width, _width);
            for (int j = 0; j < _width; j++)
            {
                // Divided by the deviation, as the inference kernel and the reference divide.
                normalized[j] = (x[j] - mean[j]) / MathF.Sqrt(variance[j] + _epsilon);
                float scaled = Info.Scale ? normalized[j] * gamma[j] : normalized[j];
                y[j] = Info.Center ? scaled + beta[j] : scaled;
            }
        }
    }

    // Whether row r counts in the batch statistics: every row, or with a Keras mask the kept timesteps only
    // (keras BatchNormalization._moments(inputs, mask): the mask as weights).
    private bool Kept(int r) => TimestepMask is not { } mask || mask[r] != 0f;

    // What the statistics' sums are divided by: the rows, or with a mask the kept rows plus Keras's epsilon (1e-7),
    // as _moments divides by sum_of_weights + backend.epsilon().
    private float StatisticsDivisor(int rows)
    {
        if (TimestepMask is not { } mask)
        {
            return rows;
        }

        float kept = 0;
        for (int r = 0; r < rows; r++)
        {
            kept += mask[r];
        }

        return kept + 1e-7f;
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        int rows = batch * _rowsPerSample;
        ReadOnlySpan<float> gamma = Info.Scale ? parameters.Slice(ParameterOffset, _width) : default;
        Span<float> gammaGradient = Info.Scale ? gradients.Slice(ParameterOffset, _width) : default;
        Span<float> betaGradient = Info.Center ? gradients.Slice(BetaOffset, _width) : default;
        Span<float> meanGradient = _meanGradient;
        Span<float> meanGradientTimesNormalized = _meanGradientTimesNormalized;
        meanGradient.Clear();
        meanGradientTimesNormalized.Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<float> dy = outputGradient.Slice(r * _width, _width);
            ReadOnlySpan<float> normalized = _normalized.AsSpan(r * _width, _width);
            TrainingMath.ScaleAndShiftBackward(dy, normalized, gamma, gammaGradient, betaGradient); // dy is dx̂ now
            for (int j = 0; j < _width; j++)
            {
                meanGradient[j] += dy[j];
                meanGradientTimesNormalized[j] += dy[j] * normalized[j];
            }
        }

        if (inputGradient.IsEmpty)
        {
            return;
        }

        // With a mask the statistics are the kept rows' over D = kept + 1e-7, while every row's output depends on them:
        // with A = sum of dx̂, B = sum of dx̂ x̂ (every row) and K = the kept rows' sum of x̂, a kept row's
        // dx = (dx̂ - A / D + B K / D² - x̂ B / D) / deviation (K / D is the kept rows' mean offset, 0 without epsilon and
        // rounding), and a masked row's dx = dx̂ / deviation. Without a mask, D = rows and K = 0: the usual formula.
        float divisor = StatisticsDivisor(rows);
        for (int j = 0; j < _width; j++)
        {
            meanGradient[j] /= divisor;
            meanGradientTimesNormalized[j] /= divisor;
        }

        if (TimestepMask is not null && _trained)
        {
            Span<float> keptNormalizedSum = _keptNormalizedSum;
            keptNormalizedSum.Clear();
            for (int r = 0; r < rows; r++)
            {
                if (Kept(r))
                {
                    TrainingMath.Add(_normalized.AsSpan(r * _width, _width), keptNormalizedSum);
                }
            }

            for (int j = 0; j < _width; j++)
            {
                meanGradient[j] -= meanGradientTimesNormalized[j] * keptNormalizedSum[j] / divisor;
            }
        }

        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dxHat = outputGradient.Slice(r * _width, _width);
            ReadOnlySpan<float> normalized = _normalized.AsSpan(r * _width, _width);
            Span<float> dx = inputGradient.Slice(r * _width, _width);
            bool throughStatistics = _trained && Kept(r);
            for (int j = 0; j < _width; j++)
            {
                // With the moving statistics (a backward pass after an inference-mode forward) they are constants, and a
                // masked row is not in the batch statistics: dx = dx̂ / deviation.
                dx[j] = throughStatistics
                    ? (dxHat[j] - meanGradient[j] - normalized[j] * meanGradientTimesNormalized[j]) * _inverseDeviation[j]
                    : dxHat[j] * _inverseDeviation[j];
            }
        }
    }

    /// <summary>
    /// After a training step: the moving statistics move toward the last training forward pass's batch statistics
    /// (Keras's <c>moving_mean.assign(moving_mean * momentum + mean * (1 - momentum))</c>, and the same for the variance).
    /// </summary>
    public void UpdateMovingStatistics(Span<float> parameters)
    {
        Span<float> movingMean = parameters.Slice(_movingMeanOffset, _width);
        Span<float> movingVariance = parameters.Slice(_movingMeanOffset + _width, _width);
        for (int j = 0; j < _width; j++)
        {
            movingMean[j] = movingMean[j] * _momentum + _batchMean[j] * (1f - _momentum);
            movingVariance[j] = movingVariance[j] * _momentum + _batchVariance[j] * (1f - _momentum);
        }
    }
}
