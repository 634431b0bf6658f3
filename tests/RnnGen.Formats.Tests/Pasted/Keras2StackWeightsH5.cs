// Pasted from `rnngen inspect keras2_stack_weights.h5 --timesteps 5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2StackWeightsH5;

// keras2_stack_weights.h5: legacy Keras HDF5 from model.save_weights(), Keras 2.4.0.
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// Timesteps = 5 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, ReturnSequences = true, Bidirectional = true)]
[Dropout(0)] // the rate is not stored; Dropout has no effect at inference
[Gru(3, ResetAfter = false)]
[Dense(4)]
[Dense(2)]
public partial class Keras2StackWeights;
