// Pasted from `rnngen inspect keras3_deep.weights.h5 --timesteps 3`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3DeepWeightsH5;

// keras3_deep.weights.h5: Keras 3 .weights.h5 from model.save_weights().
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// The file does not record the layer order, and the kernel widths allow several: below, recurrent layers come
// before Dense layers and kinds are in name order (gru, lstm, simple_rnn), which may not be the model's order.
// Put the attributes in the Keras model's order.
// Timesteps = 3 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[SimpleRnn(2)]
[Dense(2)]
[Dense(1)]
public partial class Keras3Deep;
