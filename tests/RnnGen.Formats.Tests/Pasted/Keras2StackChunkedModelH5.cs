// Pasted from `rnngen inspect keras2_stack_chunked_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2StackChunkedModelH5;

// keras2_stack_chunked_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true)]
[Dropout(0.25)]
[Gru(3, RecurrentActivation = "hard_sigmoid_keras2", ResetAfter = false)]
[Dense(4, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class Keras2StackChunkedModel;
