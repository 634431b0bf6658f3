// Pasted from `rnngen inspect keras3_text_model.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3TextModelKeras;

// keras3_text_model.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
[Sequential(Timesteps = 6)]
[Embedding(7, 3, MaskZero = true)]
[Lstm(3, Bidirectional = true)]
[Dense(1)]
public partial class Keras3TextModel;
