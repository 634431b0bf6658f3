using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Dropout(rate)</c>: in training each element is dropped with probability <c>rate</c> and the kept ones
/// are scaled by <c>1 / (1 - rate)</c> (inverted dropout, so inference is the identity). Keras's Dropout layer has no
/// <c>noise_shape</c> here, so every element of a sequence, each timestep included, gets its own draw.
/// </summary>
internal sealed class DropoutLayer : TrainingLayer
{
    private float[] _mask = Array.Empty<float>();
    private bool _masked;

    public DropoutLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
    }

    public override void Allocate(int capacity) => _mask = new float[capacity * InputLength];

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        int length = batch * InputLength;
        _masked = training && Info.DropoutRate > 0;
        if (!_masked)
        {
            input.Slice(0, length).CopyTo(output);
            return;
        }

        Span<float> mask = _mask.AsSpan(0, length);
        random.FillMask(mask, Info.DropoutRate);
        for (int i = 0; i < length; i++)
        {
            output[i] = input[i] * mask[i];
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int length = batch * InputLength;
        for (int i = 0; i < length; i++)
        {
            inputGradient[i] = _masked ? outputGradient[i] * _mask[i] : outputGradient[i];
        }
    }
}
