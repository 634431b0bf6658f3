using System;

namespace RnnGen.Training;

/// <summary>
/// One layer of the training network: a forward pass that keeps what its backward pass needs, and a backward pass
/// that adds the layer's weight gradients and returns the gradient of its input. Every buffer is allocated by
/// <see cref="Allocate"/> for a batch capacity, so passes at or under that capacity allocate nothing.
/// </summary>
internal abstract class TrainingLayer
{
    /// <param name="info">The layer's declaration.</param>
    /// <param name="timesteps">Timesteps of the layer's input sequence.</param>
    /// <param name="parameterOffset">Where its first weight array starts in the flat parameters.</param>
    /// <param name="outputTimesteps">Timesteps of its output sequence when they are not its input's (Conv1D, pooling).</param>
    protected TrainingLayer(LayerInfo info, int timesteps, int parameterOffset, int? outputTimesteps = null)
    {
        Info = info;
        Timesteps = timesteps;
        ParameterOffset = parameterOffset;
        InputLength = info.InputWidth * (info.InputIsSequence ? timesteps : 1);
        OutputLength = info.OutputWidth * (info.OutputIsSequence ? outputTimesteps ?? timesteps : 1);
    }

    /// <summary>The layer's declaration.</summary>
    public LayerInfo Info { get; }

    /// <summary>Timesteps of the layer's input sequence: the model's, or fewer after a Conv1D or pooling layer.</summary>
    public int Timesteps { get; }

    /// <summary>Where the layer's first weight array starts in the model's flat parameters (Keras order).</summary>
    public int ParameterOffset { get; }

    /// <summary>Floats of one sample's input.</summary>
    public int InputLength { get; }

    /// <summary>Floats of one sample's main output.</summary>
    public int OutputLength { get; }

    /// <summary>
    /// The Keras mask that reaches this layer (Keras's <c>compute_mask</c> chain from <c>Masking</c> or
    /// <c>Embedding(mask_zero=True)</c>), or <see langword="null"/> when none does: one float per sample and timestep of
    /// the layer's input, <c>[batch x Timesteps]</c>, 1 for a kept timestep and 0 for a masked one. The layer that makes
    /// the mask writes it in its forward pass (<see cref="MakesMask"/>); the layers after it read it.
    /// </summary>
    public float[]? TimestepMask { get; set; }

    /// <summary>Whether this layer writes <see cref="TimestepMask"/> (Masking, Embedding with <c>mask_zero</c>) rather than reading it.</summary>
    public virtual bool MakesMask => false;

    /// <summary>Allocates the caches for batches of up to <paramref name="capacity"/> samples.</summary>
    public abstract void Allocate(int capacity);

    /// <summary>Computes <paramref name="output"/> from <paramref name="input"/> (<paramref name="batch"/> samples), keeping what the backward pass needs.</summary>
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random);

    /// <summary>
    /// Adds this layer's weight gradients to <paramref name="gradients"/> (laid out as the parameters) and, unless
    /// <paramref name="inputGradient"/> is empty, writes the gradient of the loss with respect to the input.
    /// <paramref name="outputGradient"/> may be overwritten.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch);

    /// <summary>
    /// Where the layer's weights that Keras does not train start in the flat parameters (BatchNormalization's moving
    /// statistics, Normalization's adapted ones): the trainer keeps them out of the optimizer's rule and weight decay.
    /// </summary>
    public virtual int NonTrainableOffset => ParameterOffset;

    /// <summary>Floats of the weights <see cref="NonTrainableOffset"/> starts; 0 when every weight trains.</summary>
    public virtual int NonTrainableLength => 0;

    /// <summary>After an optimizer step, with the non-trainable weights back as they were: BatchNormalization moves its moving statistics here.</summary>
    public virtual void AfterOptimizerStep(Span<float> parameters)
    {
    }
}

/// <summary>
/// The dropout masks' random source: the portable generator the initializers use, so the same seed drops the same
/// units on every platform. Keras draws its masks from its own seed generator, so the masks are not Keras's; their
/// distribution and inverted scaling are.
/// </summary>
internal struct DropoutRandom
{
    private SeededRandom _random;

    /// <summary>The sequence of <paramref name="seed"/> for chunk <paramref name="stream"/> of a batch (stream 0: the first chunk, the whole batch when it is one chunk).</summary>
    public DropoutRandom(int seed, int stream = 0) =>
        _random = new SeededRandom(stream == 0 ? SeededRandom.Derive(seed, 0x44524F50) : SeededRandom.Derive(seed, 0x44524F50) ^ SeededRandom.Derive(stream, 0x43484E4B)); // "DROP", "CHNK"

    /// <summary>Fills <paramref name="mask"/> as Keras's <c>backend.random.dropout</c> scales kept units: 0 with probability <paramref name="rate"/>, else <c>1 / (1 - rate)</c>.</summary>
    public void FillMask(Span<float> mask, double rate)
    {
        float kept = (float)(1.0 / (1.0 - rate));
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = _random.NextDouble() < rate ? 0f : kept;
        }
    }
}
