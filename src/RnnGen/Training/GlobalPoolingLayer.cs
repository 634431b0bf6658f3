using System;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>GlobalAveragePooling1D</c> and <c>GlobalMaxPooling1D</c>: a sequence to one vector, the mean or the
/// maximum of each feature over the timesteps. The mean's gradient is the output gradient divided by the timestep
/// count at every timestep. With a Keras mask (<see cref="TrainingLayer.TimestepMask"/>) the mean is over the kept
/// timesteps only (<c>GlobalAveragePooling1D.call</c>: <c>sum(inputs * mask) / sum(mask)</c>, NaN when none is kept) and
/// the masked ones get no gradient; <c>GlobalMaxPooling1D.call</c> takes no mask. The maximum's goes to the timesteps that hold the maximum, split equally among them when
/// several do: TensorFlow's gradient of <c>reduce_max</c> (<c>_MinOrMaxGrad</c> in tensorflow/python/ops/math_grad.py,
/// which Keras's <c>ops.max</c> reaches). A tie matters only where the tied values have a gradient of their own: the
/// common ties (relu's zeros, a saturated hard_sigmoid) have none, so the split leaves the weight gradients unchanged.
/// </summary>
internal sealed class GlobalPoolingLayer : TrainingLayer
{
    private readonly bool _max;
    private readonly int _width;

    public GlobalPoolingLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _max = info.Kind == LayerKind.GlobalMaxPooling1D;
        _width = info.InputWidth;
    }

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            Span<float> y = output.Slice(b * _width, _width);
            if (!_max && TimestepMask is not null)
            {
                // The masked mean: zeros plus the kept rows, over their count (0 / 0 = NaN with none kept, as Keras).
                y.Clear();
                for (int t = 0; t < Timesteps; t++)
                {
                    if (Kept(b, t))
                    {
                        TrainingMath.Add(x.Slice(t * _width, _width), y);
                    }
                }

                float count = KeptCount(b);
                for (int j = 0; j < _width; j++)
                {
                    y[j] /= count;
                }

                continue;
            }

            x.Slice(0, _width).CopyTo(y);
            for (int t = 1; t < Timesteps; t++)
            {
                ReadOnlySpan<float> row = x.Slice(t * _width, _width);
                for (int j = 0; j < _width; j++)
                {
                    y[j] = _max ? MathF.Max(y[j], row[j]) : y[j] + row[j];
                }
            }

            if (!_max)
            {
                for (int j = 0; j < _width; j++)
                {
                    y[j] /= Timesteps;
                }
            }
        }
    }

    private bool Kept(int b, int t) => TimestepMask![b * Timesteps + t] != 0f;

    private float KeptCount(int b)
    {
        float count = 0;
        for (int t = 0; t < Timesteps; t++)
        {
            count += TimestepMask![b * Timesteps + t];
        }

        return count;
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputLength, InputLength);
            ReadOnlySpan<float> y = output.Slice(b * _width, _width);
            ReadOnlySpan<float> dy = outputGradient.Slice(b * _width, _width);
            Span<float> dx = inputGradient.Slice(b * InputLength, InputLength);
            bool masked = TimestepMask is not null;
            float count = masked ? KeptCount(b) : Timesteps; // the mean's divisor, once per sample
            for (int j = 0; j < _width; j++)
            {
                if (!_max)
                {
                    float share = dy[j] / count;
                    for (int t = 0; t < Timesteps; t++)
                    {
                        dx[t * _width + j] = !masked || Kept(b, t) ? share : 0f;
                    }

                    continue;
                }

                int ties = 0;
                for (int t = 0; t < Timesteps; t++)
                {
                    ties += x[t * _width + j] == y[j] ? 1 : 0;
                }

                float part = dy[j] / ties;
                for (int t = 0; t < Timesteps; t++)
                {
                    dx[t * _width + j] = x[t * _width + j] == y[j] ? part : 0f;
                }
            }
        }
    }
}
