// Pasted from `rnngen inspect keras3_simple.weights.h5 --timesteps 4`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3SimpleWeightsH5;

// keras3_simple.weights.h5: Keras 3 .weights.h5 from model.save_weights().
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// The file does not record the layer order, and the kernel widths allow several: below, recurrent layers come
// before Dense layers and kinds are in name order (gru, lstm, simple_rnn), which may not be the model's order.
// Put the attributes in the Keras model's order.
// Timesteps = 4 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 4, InputDim = 2)]
[SimpleRnn(3)]
[Dense(2, UseBias = false)]
public partial class Keras3Simple;
