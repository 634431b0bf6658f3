using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Embedding(input_dim, output_dim, mask_zero)</c> layer as the first layer of a
/// <see cref="SequentialAttribute"/> stack (<c>keras/src/layers/core/embedding.py</c>): each timestep of the input is a
/// token, an integer from 0 to <c>inputDim - 1</c>, and the layer outputs row <c>token</c> of its <c>embeddings</c>
/// table (<c>[inputDim, outputDim]</c>). The model input is then <c>[Timesteps]</c> tokens, as Keras's
/// <c>(batch, Timesteps)</c> integers: <see cref="SequentialAttribute"/>'s <c>InputDim</c> is 1 or left out
/// (docs/embedding.md).
/// </summary>
/// <example>
/// <code>
/// [Sequential(Timesteps = 40)]
/// [Embedding(10000, 64, MaskZero = true)]   // Keras Embedding(10000, 64, mask_zero=True): token 0 is padding
/// [Lstm(32, Bidirectional = true)]
/// [Dense(1, Activation = "sigmoid")]
/// public partial class Sentiment;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <summary>Declares the layer.</summary>
    /// <param name="inputDim">Keras <c>input_dim</c>: the number of tokens (rows of the table); a token is from 0 to <c>inputDim - 1</c>.</param>
    /// <param name="outputDim">Keras <c>output_dim</c>: the width of each row, the features per timestep of the layer's output.</param>
    public EmbeddingAttribute(int inputDim, int outputDim)
    {
        InputDim = inputDim;
        OutputDim = outputDim;
    }

    /// <summary>Keras <c>input_dim</c>: the number of tokens.</summary>
    public int InputDim { get; }

    /// <summary>Keras <c>output_dim</c>: the width of each embedding row.</summary>
    public int OutputDim { get; }

    /// <summary>
    /// Keras <c>mask_zero</c>: token 0 is padding. The layer's mask is <c>token != 0</c> (<c>compute_mask</c>:
    /// <c>ops.not_equal(inputs, 0)</c>) and the recurrent layers skip those timesteps as with <c>[Masking]</c>
    /// (docs/masking.md); row 0 of the table is still what the layer outputs there.
    /// </summary>
    public bool MaskZero { get; set; }
}
