// Pasted from `rnngen inspect keras2_deep_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2DeepModelH5;

// keras2_deep_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[Gru(2)]
[Dense(2)]
[Dense(1)]
public partial class Keras2DeepModel;
