namespace RnnGen.Tests.Models;

// Models for the multi-stream StepStreams tests: every recurrent cell, kernels with one and with two partial sums per
// gate, and layers past the L1 budget, whose kernels alternate their summation order from one step to the next.

/// <summary>LSTM under two Dense layers; 20 units: two partial sums per gate in Step's 512-bit kernel.</summary>
[Sequential(Timesteps = 3, InputDim = 3)]
[Lstm(20)]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class StreamForecaster;

/// <summary>LSTM(128) with 8 inputs and a Dense(1) head: weights past the L1 budget, one partial sum per gate.</summary>
[Sequential(Timesteps = 2, InputDim = 8)]
[Lstm(128)]
[Dense(1)]
public partial class StreamLstm128;

/// <summary>GRU with reset_after=True (the Keras 2 default), alone.</summary>
[Gru(24, Timesteps = 2, InputDim = 4)]
public partial class StreamGruResetAfter;

/// <summary>GRU with reset_after=False (its two-pass kernel) past the L1 budget, under a softmax Dense.</summary>
[Sequential(Timesteps = 2, InputDim = 6)]
[Gru(72, ResetAfter = false)]
[Dense(3, Activation = "softmax")]
public partial class StreamGruResetBefore;

/// <summary>A stack: Dense on each timestep, SimpleRNN, GRU, Dense: inputs that come from a Dense and from a recurrent layer.</summary>
[Sequential(Timesteps = 2, InputDim = 5)]
[Dense(7, Activation = "tanh")]
[SimpleRnn(10, ReturnSequences = true)]
[Gru(12)]
[Dense(2)]
public partial class StreamStack;

/// <summary>Normalization layers between the cells: a row layer wider than every Dense (the carry buffers must fit it).</summary>
[Sequential(Timesteps = 2, InputDim = 3)]
[Lstm(12, ReturnSequences = true)]
[LayerNormalization]
[Gru(20)]
[BatchNormalization]
[Dense(2)]
public partial class StreamNormalized;
