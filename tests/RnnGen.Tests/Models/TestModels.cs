namespace RnnGen.Tests.Models;

// Models whose generated API the runtime tests call directly, as a user would: generated at build time by the RnnGen
// generator (an analyzer of this project).

/// <summary>One LSTM with all its outputs: sequence, h and c (and the initial-state overloads).</summary>
[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
public partial class SmallLstm;

/// <summary>A stateful GRU under a Dense layer applied to each timestep.</summary>
[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(4, Stateful = true, ReturnSequences = true)]
[Dense(2)]
public partial class StatefulTagger;

/// <summary>A stack of every layer kind but SimpleRNN: bidirectional LSTM, dropout, GRU, softmax Dense.</summary>
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(5, Bidirectional = true, ReturnSequences = true)]
[Dropout(0.2)]
[Gru(4, ResetAfter = false)]
[Dense(3, Activation = "softmax")]
public partial class StackedClassifier;

/// <summary>Input above 4096 floats: its tensors are classes, and Forward writes into a caller-owned Output.</summary>
[SimpleRnn(2, Timesteps = 100, InputDim = 50, ReturnSequences = true)]
public partial class LongSequenceRnn;

/// <summary>Explicit initializers on every weight; Keras's unit_forget_bias (default true) still adds ones for f.</summary>
[Lstm(16, Timesteps = 1, InputDim = 8, KernelInitializer = "random_uniform(-0.3, 0.7)", RecurrentInitializer = "identity(0.5)", BiasInitializer = "constant(0.25)")]
public partial class InitializedLstm;

/// <summary>unit_forget_bias = false: the bias is the bias initializer alone.</summary>
[Lstm(4, Timesteps = 1, InputDim = 3, UnitForgetBias = false, BiasInitializer = "constant(0.25)")]
public partial class LstmWithoutForgetBias;

/// <summary>Default initializers of a bidirectional LSTM: each direction gets its own draws and its own forget-gate ones.</summary>
[Lstm(3, Timesteps = 2, InputDim = 2, Bidirectional = true)]
public partial class DefaultBidirectionalLstm;

/// <summary>
/// Declared initializers on Dense layers: constants on the first, random ones on the second, whose kernel [8, 2048]
/// has enough draws to check a distribution and unequal fans, so a swapped fan_in / fan_out shows.
/// </summary>
[Sequential(Timesteps = 2, InputDim = 3)]
[Gru(4, ReturnSequences = true)]
[Dense(8, KernelInitializer = "ones", BiasInitializer = "constant(0.5)")]
[Dense(2048, KernelInitializer = "he_normal", BiasInitializer = "random_uniform(-0.3, 0.7)")]
public partial class InitializedDenseStack;

/// <summary>Padded sequences: Masking before a recurrent stack, for the parallel batch overload (MaskingParallelTests).</summary>
[Sequential(Timesteps = 12, InputDim = 3)]
[Masking]
[Lstm(24, ReturnSequences = true)]
[Gru(8)]
[Dense(2)]
public partial class PaddedForecaster;
