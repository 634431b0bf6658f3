// Pasted from `rnngen inspect keras3_normalization.weights.h5 --timesteps 5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3NormalizationWeightsH5;

// keras3_normalization.weights.h5: Keras 3 .weights.h5 from model.save_weights().
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// The file does not record the layer order; below is the only order in which each kernel takes the previous
// layer's output.
// Timesteps = 5 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 5, InputDim = 3)]
[Normalization] // invert is not stored: declare Invert = true if the Keras layer de-normalizes
[Lstm(4)]
[Dense(2)]
public partial class Keras3Normalization;
