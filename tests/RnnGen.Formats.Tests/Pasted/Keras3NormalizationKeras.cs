// Pasted from `rnngen inspect keras3_normalization.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3NormalizationKeras;

// keras3_normalization.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Normalization]
[Lstm(4)]
[Dense(2)]
public partial class Keras3Normalization;
