// Pasted from `rnngen inspect tfkeras_rnn_5_bidirectional_lstm.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Dl4jBidirectionalLstmH5;

// tfkeras_rnn_5_bidirectional_lstm.h5: legacy Keras HDF5 from model.save(), Keras 2.2.4-tf.
[Sequential(Timesteps = 3, InputDim = 4)]
[Lstm(6, RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true)]
[Activation("relu")]
public partial class TfkerasRnn5BidirectionalLstm;
