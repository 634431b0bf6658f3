using System;
using RnnGen.Kernels;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Embedding</c>: each timestep's token selects a row of the <c>embeddings</c> table; with <c>mask_zero</c>
/// the layer also makes the mask of the layers after it (<c>compute_mask</c>: <c>ops.not_equal(inputs, 0)</c>), and
/// token 0 still selects row 0 (Keras gathers it too: only the layers that read the mask skip it). The table's gradient is the output gradients added into the rows of the tokens
/// seen (a token seen twice gets both), as TensorFlow's gradient of the gather, made dense in <c>GetWeights()</c>
/// layout; the tokens get no gradient. The tokens are checked before anything runs
/// (<see cref="Trainer"/> calls <see cref="EmbeddingKernels.CheckTokens(ReadOnlySpan{float}, int, int, string, string)"/>).
/// </summary>
internal sealed class EmbeddingLayer : TrainingLayer
{
    private readonly int _inputDim;
    private readonly int _outputDim;

    public EmbeddingLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        _outputDim = info.OutputWidth;
        _inputDim = info.Weights[0].Length / _outputDim;
    }

    /// <summary>Rows of the table: Keras <c>input_dim</c>.</summary>
    public int InputDim => _inputDim;

    public override bool MakesMask => Info.MaskZero;

    public override void Allocate(int capacity)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        ReadOnlySpan<float> table = parameters.Slice(ParameterOffset, _inputDim * _outputDim);
        int tokens = batch * Timesteps;
        for (int i = 0; i < tokens; i++)
        {
            EmbeddingKernels.Gather(input[i], table, output.Slice(i * _outputDim, _outputDim), _inputDim, _outputDim, Info.Name);
        }

        if (MakesMask)
        {
            float[] mask = TimestepMask!;
            for (int i = 0; i < tokens; i++)
            {
                // compute_mask reads the raw input, as the generated code does: 0.5 is token 0 but kept.
                mask[i] = KerasMask.IsKept(input.Slice(i, 1), 0f) ? 1f : 0f;
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        Span<float> tableGradient = gradients.Slice(ParameterOffset, _inputDim * _outputDim);
        int tokens = batch * Timesteps;
        for (int i = 0; i < tokens; i++)
        {
            int row = EmbeddingKernels.Token(input[i]);
            TrainingMath.Add(outputGradient.Slice(i * _outputDim, _outputDim), tableGradient.Slice(row * _outputDim, _outputDim));
        }
    }
}
