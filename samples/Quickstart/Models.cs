using RnnGen;

namespace Quickstart;

// SimpleRNN(3) on train_X (1, 4, 5), for each return_sequences / return_state combination.
[SimpleRnn(3, Timesteps = 4, InputDim = 5)]
public partial class Rnn;

[SimpleRnn(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]
public partial class RnnSequences;

[SimpleRnn(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
public partial class RnnSequencesAndState;

[SimpleRnn(3, Timesteps = 4, InputDim = 5, ReturnState = true)]
public partial class RnnState;

// LSTM(3): the state comes back as h and c.
[Lstm(3, Timesteps = 4, InputDim = 5)]
public partial class Lstm;

[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]
public partial class LstmSequences;

[Lstm(3, Timesteps = 4, InputDim = 5, ReturnState = true)]
public partial class LstmState;

[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
public partial class LstmSequencesAndState;

// Bidirectional(LSTM(3)) with the notebook's constant initializers, so the numbers are Keras's exactly.
[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class BiLstm;

[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnSequences = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class BiLstmSequences;

[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnState = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class BiLstmState;

[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnSequences = true, ReturnState = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class BiLstmSequencesAndState;

// The notebooks' Sequential models.
[Sequential(Timesteps = 2, InputDim = 10)]
[SimpleRnn(3)]
public partial class SimpleRnnModel;

[Sequential(Timesteps = 10, InputDim = 5)]
[SimpleRnn(8, ReturnSequences = true)]
[SimpleRnn(8, ReturnSequences = true)]
public partial class DeepRnn;

[Sequential(Timesteps = 3, InputDim = 1)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class Forecaster;
