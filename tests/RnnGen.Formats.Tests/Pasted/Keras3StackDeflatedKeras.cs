// Pasted from `rnngen inspect keras3_stack_deflated.keras --timesteps 5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3StackDeflatedKeras;

// keras3_stack_deflated.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// Timesteps = 5 as requested: the Keras model leaves the sequence length open (None); RNN weights fit any length.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, RecurrentActivation = "hard_sigmoid", ReturnSequences = true, Bidirectional = true)]
[Dropout(0.25)]
[Gru(3, RecurrentActivation = "hard_sigmoid")]
[Dense(4, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class Keras3StackDeflated;
