// Pasted from `rnngen inspect keras3_layernorm.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3LayernormKeras;

// keras3_layernorm.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4)]
[LayerNormalization]
[Dense(2)]
public partial class Keras3Layernorm;
