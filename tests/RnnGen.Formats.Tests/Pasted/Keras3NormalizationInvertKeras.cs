// Pasted from `rnngen inspect keras3_normalization_invert.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3NormalizationInvertKeras;

// keras3_normalization_invert.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(3, ReturnSequences = true)]
[Dense(2)]
[Normalization(Invert = true)]
public partial class Keras3NormalizationInvert;
