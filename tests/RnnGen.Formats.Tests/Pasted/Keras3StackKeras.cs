// Pasted from `rnngen inspect keras3_stack.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3StackKeras;

// keras3_stack.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.6.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, RecurrentActivation = "hard_sigmoid", ReturnSequences = true, Bidirectional = true)]
[Dropout(0.25)]
[Gru(3, RecurrentActivation = "hard_sigmoid")]
[Dense(4, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class Keras3Stack;
