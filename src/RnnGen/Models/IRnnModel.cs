using System;
using System.Collections.Generic;

namespace RnnGen;

/// <summary>
/// What every generated model offers regardless of its shapes: its description, Keras-compatible weights, batched
/// prediction over flat spans, and state reset. Code that handles any model (weight loaders, tests, tools) uses this;
/// code that knows the model uses its typed <c>Forward</c>.
/// </summary>
public interface IRnnModel
{
    /// <summary>The model's declaration: input shape, layers, weight shapes and outputs.</summary>
    ModelInfo Info { get; }

    /// <summary>Copies of the weights in Keras <c>model.get_weights()</c> order and layout, each flattened row-major.</summary>
    float[][] GetWeights();

    /// <summary>
    /// Replaces every weight, as Keras <c>model.set_weights()</c>: one array per <see cref="ModelInfo.Weights"/>
    /// entry, in that order, each flattened row-major.
    /// </summary>
    /// <exception cref="ArgumentException">A count or a length is wrong; nothing has been changed.</exception>
    void SetWeights(IReadOnlyList<float[]> weights);

    /// <summary>
    /// Runs the model on <c>batch x Timesteps x InputDim</c> floats and returns the outputs in Keras call order, each
    /// flattened with the batch axis first.
    /// </summary>
    /// <exception cref="ArgumentException">The input length is not a positive multiple of <c>Timesteps * InputDim</c>.</exception>
    float[][] Predict(ReadOnlySpan<float> input);

    /// <summary>
    /// Runs the model on <c>batch x Timesteps x InputDim</c> floats and writes the first output (Keras <c>output</c>) of
    /// every sequence to <paramref name="output"/>, allocating nothing: the batch advances in chunks through batched
    /// kernels. Returns the batch size.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not a positive multiple of <c>Timesteps * InputDim</c>, or
    /// <paramref name="output"/> does not hold exactly the outputs of that batch.</exception>
    int Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Forgets the stored states of stateful layers and of the streaming <c>Step</c> API (Keras <c>reset_states()</c>).</summary>
    void ResetStates();
}
