using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Masking(mask_value)</c> (<c>keras/src/layers/core/masking.py</c>): a timestep whose features all equal
/// <c>mask_value</c> is masked for the layers after it (<see cref="KerasMask.IsKept"/>, the rule the generated code
/// calls) and its row becomes zeros (<c>inputs * mask</c>); a kept row passes unchanged. The layer has no weights; its
/// input gradient is the output gradient at kept timesteps and zero at masked ones.
/// </summary>
internal sealed class MaskingLayer : TrainingLayer
{
    private readonly int _width;
    private readonly float _maskValue;

    public MaskingLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _width = info.InputWidth;
        _maskValue = (float)info.MaskValue;
    }

    public override bool MakesMask => true;

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        float[] mask = TimestepMask!;
        for (int r = 0; r < batch * Timesteps; r++)
        {
            ReadOnlySpan<float> row = input.Slice(r * _width, _width);
            bool kept = KerasMask.IsKept(row, _maskValue);
            mask[r] = kept ? 1f : 0f;
            if (kept)
            {
                row.CopyTo(output.Slice(r * _width, _width));
            }
            else
            {
                output.Slice(r * _width, _width).Clear();
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return; // the first layer: nothing before it needs a gradient
        }

        float[] mask = TimestepMask!;
        for (int r = 0; r < batch * Timesteps; r++)
        {
            if (mask[r] != 0f)
            {
                outputGradient.Slice(r * _width, _width).CopyTo(inputGradient.Slice(r * _width, _width));
            }
            else
            {
                inputGradient.Slice(r * _width, _width).Clear();
            }
        }
    }
}
