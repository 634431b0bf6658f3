// Pasted from `rnngen inspect keras2_layernorm_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2LayernormModelH5;

// keras2_layernorm_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4)]
[LayerNormalization]
[Dense(2)]
public partial class Keras2LayernormModel;
