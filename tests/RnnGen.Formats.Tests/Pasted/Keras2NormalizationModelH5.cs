// Pasted from `rnngen inspect keras2_normalization_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2NormalizationModelH5;

// keras2_normalization_model.h5: legacy Keras HDF5 from model.save(), Keras 2.9.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Normalization]
[Lstm(4)]
[Dense(2)]
public partial class Keras2NormalizationModel;
