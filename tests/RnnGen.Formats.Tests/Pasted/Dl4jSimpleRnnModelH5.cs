// Pasted from `rnngen inspect simple_rnn_tf_keras_2_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Dl4jSimpleRnnModelH5;

// simple_rnn_tf_keras_2_model.h5: legacy Keras HDF5 from model.save(), Keras 2.1.3.
[Sequential(Timesteps = 1, InputDim = 1)]
[SimpleRnn(50, Dropout = 0.2)]
[Dense(1)]
public partial class SimpleRnnTfKeras2Model;
