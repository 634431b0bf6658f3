// Pasted from `rnngen inspect keras3_deep.weights.h5`, with TIMESTEPS replaced by 3 as its comment asks.
// PastedDeclarationTests checks that the tool still prints exactly what follows the namespace line.
using RnnGen;

namespace Pasted.Keras3DeepWeightsH5;

// keras3_deep.weights.h5: Keras 3 .weights.h5 from model.save_weights().
// The file stores no configuration: activations, return_sequences and go_backwards below are RnnGen's
// defaults (return_sequences is set where another recurrent layer follows); check them against the Keras model.
// The file does not record the order between layers of different kinds: put the attributes in model order.
// TIMESTEPS: the file leaves the sequence length open (None); replace it with the length you will feed.
[Sequential(Timesteps = 3, InputDim = 2)]
[Dense(2)]
[Dense(1)]
[Gru(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[SimpleRnn(2)]
public partial class Keras3Deep;
