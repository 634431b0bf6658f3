namespace RnnGen.Numerics.Tests.Seeds;

// The seed notebooks' constant-initializer Bidirectional LSTM: Bidirectional(LSTM(3, kernel_initializer=Constant(0.1),
// recurrent_initializer=Constant(0.1), bias_initializer=Constant(0), return_state=True)) on input (1, 4, 5). Keras's
// default unit_forget_bias=True still puts ones in the forget-gate block of the bias.
[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnState = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class SeedBidirectionalLstm;

[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnSequences = true, ReturnState = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
public partial class SeedBidirectionalLstmSequences;

// model.add(SimpleRNN(3, input_shape=(2, 10))): 42 parameters.
[Sequential(Timesteps = 2, InputDim = 10)]
[SimpleRnn(3)]
public partial class SeedSimpleRnnModel;

// SimpleRNN(8, input_length=10, input_dim=5, return_sequences=True), SimpleRNN(8, return_sequences=True): 112 + 136.
[Sequential(Timesteps = 10, InputDim = 5)]
[SimpleRnn(8, ReturnSequences = true)]
[SimpleRnn(8, ReturnSequences = true)]
public partial class SeedDeepRnn;

// The regression of the seed notebook: LSTM(20, activation='relu', input_shape=(3, 1)), Dense(5, relu), Dense(1).
[Sequential(Timesteps = 3, InputDim = 1)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class SeedForecaster;
