// Pasted from `rnngen inspect keras2_dense_activation_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2DenseActivationModelH5;

// keras2_dense_activation_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4)]
[Dense(3)]
[Activation("relu")]
[Dense(2)]
[Activation("sigmoid")]
public partial class Keras2DenseActivationModel;
