using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Dense</c> (<c>y = act(x·W + b)</c>, applied to every timestep of a sequence) and its gradient: with
/// <c>dz = dy * act'(z)</c>, <c>dW += xᵀ·dz</c>, <c>db += dz</c>, <c>dx = dz·Wᵀ</c>, each over all rows of the batch
/// at once (<see cref="Gemm"/>). Softmax couples the outputs: <c>dz_i = y_i (dy_i - Σ_j dy_j y_j)</c>.
/// </summary>
internal sealed class DenseLayer : TrainingLayer
{
    private readonly int _rowsPerSample;
    private readonly int _inputWidth;
    private readonly int _units;
    private readonly bool _softmax;
    private readonly ActivationFunction _activation;
    private float[] _preActivation = Array.Empty<float>();
    private readonly float[] _transposedKernel;

    public DenseLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _rowsPerSample = info.InputIsSequence ? timesteps : 1;
        _inputWidth = info.InputWidth;
        _units = info.Units;
        _softmax = Shared.ActivationCatalog.Canonical(info.Activation) == "softmax";
        _activation = _softmax ? ActivationFunction.Linear : ActivationFunctions.Resolve(info.Activation);
        _transposedKernel = new float[_inputWidth * _units];
    }

    private int BiasOffset => ParameterOffset + _inputWidth * _units;

    public override void Allocate(int capacity) => _preActivation = new float[capacity * _rowsPerSample * _units];

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, _inputWidth * _units);
        int rows = batch * _rowsPerSample;
        Span<float> z = _preActivation.AsSpan(0, rows * _units);
        if (Info.UseBias)
        {
            ReadOnlySpan<float> bias = parameters.Slice(BiasOffset, _units);
            for (int r = 0; r < rows; r++)
            {
                bias.CopyTo(z.Slice(r * _units, _units));
            }
        }
        else
        {
            z.Clear();
        }

        Gemm.MultiplyAdd(rows, _units, _inputWidth, input, _inputWidth, 1, kernel, _units, z, _units);
        Span<float> y = output.Slice(0, rows * _units);
        if (!_softmax)
        {
            ActivationFunctions.Apply(_activation, z, y);
            return;
        }

        z.CopyTo(y);
        ActivationFunctions.SoftmaxRows(y, _units);
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        int rows = batch * _rowsPerSample;
        Span<float> dz = outputGradient.Slice(0, rows * _units);
        if (_softmax)
        {
            ActivationFunctions.MultiplyBySoftmaxDerivative(output.Slice(0, rows * _units), dz, _units);
        }
        else
        {
            ActivationFunctions.MultiplyByDerivative(_activation, _preActivation.AsSpan(0, rows * _units), output.Slice(0, rows * _units), dz);
        }

        Gemm.MultiplyAdd(_inputWidth, _units, rows, input, 1, _inputWidth, dz, _units, gradients.Slice(ParameterOffset, _inputWidth * _units), _units);
        if (Info.UseBias)
        {
            Span<float> biasGradient = gradients.Slice(BiasOffset, _units);
            for (int r = 0; r < rows; r++)
            {
                TrainingMath.Add(dz.Slice(r * _units, _units), biasGradient);
            }
        }

        if (!inputGradient.IsEmpty)
        {
            ReadOnlySpan<float> kernel = parameters.Slice(ParameterOffset, _inputWidth * _units);
            Span<float> dx = inputGradient.Slice(0, rows * _inputWidth);
            dx.Clear();
            if (Gemm.TransposeFor(rows))
            {
                TrainingMath.Transpose(kernel, _inputWidth, _units, _transposedKernel);
                Gemm.MultiplyAdd(rows, _inputWidth, _units, dz, _units, 1, _transposedKernel, _inputWidth, dx, _inputWidth);
            }
            else
            {
                Gemm.MultiplyAddTransposed(rows, _inputWidth, _units, dz, _units, kernel, _units, dx, _inputWidth);
            }
        }
    }
}
