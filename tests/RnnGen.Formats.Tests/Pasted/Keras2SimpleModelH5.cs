// Pasted from `rnngen inspect keras2_simple_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2SimpleModelH5;

// keras2_simple_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 4, InputDim = 2)]
[SimpleRnn(3, ReturnSequences = true, GoBackwards = true)]
[Dense(2, Activation = "sigmoid", UseBias = false)]
public partial class Keras2SimpleModel;
