using RnnGen;

namespace Consumer;

// The seed notebook's layer: Bidirectional(LSTM(3, return_state=True)) on input (1, 4, 5), with constant initializers
// so that its outputs are the numbers Keras printed, with no weights to load. Internal, as most app code is: the
// compiler then also warns about fields it sees no code assign (CS0649), which the generated code must not cause.
[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnState = true,
    KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
internal partial class SeedBidirectionalLstm;
