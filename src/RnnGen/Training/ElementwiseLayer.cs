using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Activation</c> and <c>Rescaling</c>: one function of each value, no weights, on vectors and on every
/// timestep of a sequence alike. The gradient is the output gradient times the function's derivative: the activation's
/// (the same derivatives as <see cref="DenseLayer"/>'s, softmax included), or the constant <c>scale</c> for
/// <c>y = x * scale + offset</c>.
/// </summary>
internal sealed class ElementwiseLayer : TrainingLayer
{
    private readonly bool _rescaling;
    private readonly bool _softmax;
    private readonly ActivationFunction _activation;
    private readonly float _scale;
    private readonly float _offset;

    public ElementwiseLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _rescaling = info.Kind == LayerKind.Rescaling;
        _scale = (float)info.RescalingScale;
        _offset = (float)info.RescalingOffset;
        _softmax = !_rescaling && Shared.ActivationCatalog.Canonical(info.Activation) == "softmax";
        _activation = _rescaling || _softmax ? ActivationFunction.Linear : ActivationFunctions.Resolve(info.Activation);
    }

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        int length = batch * InputLength;
        ReadOnlySpan<float> x = input.Slice(0, length);
        Span<float> y = output.Slice(0, length);
        if (_rescaling)
        {
            // Keras Rescaling.call: ops.multiply(inputs, scale) + offset, rounded after each step as float32 does.
            for (int i = 0; i < length; i++)
            {
                y[i] = x[i] * _scale + _offset;
            }
        }
        else if (_softmax)
        {
            x.CopyTo(y);
            ActivationFunctions.SoftmaxRows(y, Info.InputWidth);
        }
        else
        {
            ActivationFunctions.Apply(_activation, x, y);
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int length = batch * InputLength;
        Span<float> dy = outputGradient.Slice(0, length);
        if (_rescaling)
        {
            for (int i = 0; i < length; i++)
            {
                dy[i] *= _scale;
            }
        }
        else if (_softmax)
        {
            ActivationFunctions.MultiplyBySoftmaxDerivative(output.Slice(0, length), dy, Info.InputWidth);
        }
        else
        {
            ActivationFunctions.MultiplyByDerivative(_activation, input.Slice(0, length), output.Slice(0, length), dy);
        }

        dy.CopyTo(inputGradient);
    }
}
