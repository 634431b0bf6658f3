// Pasted from `rnngen inspect simple_rnn_tf_keras_2_weights.h5 --timesteps 1`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Dl4jSimpleRnnWeightsH5;

// simple_rnn_tf_keras_2_weights.h5: legacy Keras HDF5 from model.save_weights(), Keras 2.1.3.
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// Timesteps = 1 as requested: the file stores weights only, not the sequence length; RNN weights fit any length.
[Sequential(Timesteps = 1, InputDim = 1)]
[SimpleRnn(50)]
[Dense(1)]
public partial class SimpleRnnTfKeras2Weights;
