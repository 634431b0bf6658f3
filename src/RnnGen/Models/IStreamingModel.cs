using System;

namespace RnnGen;

/// <summary>
/// A model that can run one timestep at a time (no Bidirectional and no go_backwards layer): what real-time code
/// (audio, sensors, game loops) calls once per sample. Generated causal models implement it.
/// </summary>
public interface IStreamingModel : IRnnModel
{
    /// <summary>
    /// Runs one timestep of <c>InputDim</c> floats through every layer, keeps the recurrent states for the next call,
    /// and writes the <c>OutputDim</c> outputs of this timestep. <see cref="IRnnModel.ResetStates"/> starts a new stream.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Step(ReadOnlySpan<float> input, Span<float> output);
}
