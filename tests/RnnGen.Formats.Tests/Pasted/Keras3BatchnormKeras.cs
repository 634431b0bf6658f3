// Pasted from `rnngen inspect keras3_batchnorm.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3BatchnormKeras;

// keras3_batchnorm.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
[BatchNormalization(Epsilon = 0.01f)]
[Dense(2, Activation = "tanh")]
public partial class Keras3Batchnorm;
