// Pasted from `rnngen inspect keras3_stack.npz --timesteps 5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3StackNpz;

// keras3_stack.npz: NumPy .npz (numpy.savez of model.get_weights()).
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// Timesteps = 5 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, ReturnSequences = true, Bidirectional = true)]
[Gru(3)]
[Dense(4)]
[Dense(2)]
public partial class Keras3Stack;
