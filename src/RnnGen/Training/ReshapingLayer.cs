using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Flatten</c>, <c>Reshape</c> and <c>RepeatVector</c> and their gradients: Flatten and Reshape move no value
/// (row-major storage is the same in either shape), so the input gradient is the output gradient; RepeatVector copies
/// the vector to every output timestep, so the vector's gradient is the sum of the timesteps' gradients.
/// </summary>
internal sealed class ReshapingLayer : TrainingLayer
{
    private readonly bool _repeat;

    public ReshapingLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset, info.OutputTimesteps)
    {
        _repeat = info.Kind == LayerKind.RepeatVector;
    }

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        if (!_repeat)
        {
            input.Slice(0, batch * InputLength).CopyTo(output);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            for (int t = 0; t < Info.OutputTimesteps; t++)
            {
                x.CopyTo(output.Slice(b * OutputLength + t * InputLength, InputLength));
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        if (!_repeat)
        {
            outputGradient.Slice(0, batch * OutputLength).CopyTo(inputGradient);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            Span<float> dx = inputGradient.Slice(b * InputLength, InputLength);
            outputGradient.Slice(b * OutputLength, InputLength).CopyTo(dx);
            for (int t = 1; t < Info.OutputTimesteps; t++)
            {
                TrainingMath.Add(outputGradient.Slice(b * OutputLength + t * InputLength, InputLength), dx);
            }
        }
    }
}
