using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Dense</c> (<c>y = act(x·W + b)</c>, applied to every timestep of a sequence) and its gradient: with
/// <c>dz = dy * act'(z)</c>, <c>dW += xᵀ·dz</c>, <c>db += dz</c>, <c>dx = dz·Wᵀ</c>. Softmax couples the outputs:
/// <c>dz_i = y_i (dy_i - Σ_j dy_j y_j)</c>.
/// </summary>
internal sealed class DenseLayer : TrainingLayer
{
    private readonly int _rowsPerSample;
    private readonly int _inputWidth;
    private readonly int _units;
    private readonly bool _softmax;
    private readonly Func<float, float>? _activation;
    private readonly Func<float, float, float>? _derivative;
    private float[] _preActivation = Array.Empty<float>();

    public DenseLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _rowsPerSample = info.InputIsSequence ? timesteps : 1;
        _inputWidth = info.InputWidth;
        _units = info.Units;
        _softmax = Shared.ActivationCatalog.Canonical(info.Activation) == "softmax";
        if (!_softmax)
        {
            _activation = Activations.Get(info.Activation);
            _derivative = ActivationDerivatives.Get(info.Activation);
        }
    }

    private int BiasOffset => ParameterOffset + _inputWidth * _units;

    public override void Allocate(int capacity) => _preActivation = new float[capacity * _rowsPerSample * _units];

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, _inputWidth * _units);
        int rows = batch * _rowsPerSample;
        for (int r = 0; r < rows; r++)
        {
            Span<float> z = _preActivation.AsSpan(r * _units, _units);
            if (Info.UseBias)
            {
                parameters.Slice(BiasOffset, _units).CopyTo(z);
            }
            else
            {
                z.Clear();
            }

            TrainingMath.AddVectorTimesMatrix(input.Slice(r * _inputWidth, _inputWidth), kernel, _units, z);
            Span<float> y = output.Slice(r * _units, _units);
            z.CopyTo(y);
            if (_softmax)
            {
                Activations.Softmax(y);
            }
            else
            {
                for (int j = 0; j < y.Length; j++)
                {
                    y[j] = _activation!(y[j]);
                }
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, _inputWidth * _units);
        Span<float> kernelGradient = gradients.Slice(ParameterOffset, _inputWidth * _units);
        int rows = batch * _rowsPerSample;
        for (int r = 0; r < rows; r++)
        {
            Span<float> dz = outputGradient.Slice(r * _units, _units);
            ReadOnlySpan<float> y = output.Slice(r * _units, _units);
            if (_softmax)
            {
                float weighted = TrainingMath.Dot(dz, y);
                for (int j = 0; j < dz.Length; j++)
                {
                    dz[j] = y[j] * (dz[j] - weighted);
                }
            }
            else
            {
                ReadOnlySpan<float> z = _preActivation.AsSpan(r * _units, _units);
                for (int j = 0; j < dz.Length; j++)
                {
                    dz[j] *= _derivative!(z[j], y[j]);
                }
            }

            ReadOnlySpan<float> x = input.Slice(r * _inputWidth, _inputWidth);
            TrainingMath.AddOuterProduct(x, dz, kernelGradient, _units);
            if (Info.UseBias)
            {
                TrainingMath.Add(dz, gradients.Slice(BiasOffset, _units));
            }

            if (!inputGradient.IsEmpty)
            {
                Span<float> dx = inputGradient.Slice(r * _inputWidth, _inputWidth);
                dx.Clear();
                TrainingMath.AddVectorTimesTransposed(dz, kernel, _units, dx);
            }
        }
    }
}
