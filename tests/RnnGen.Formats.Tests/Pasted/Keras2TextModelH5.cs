// Pasted from `rnngen inspect keras2_text_model.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2TextModelH5;

// keras2_text_model.h5: legacy Keras HDF5 from model.save(), Keras 2.4.0.
[Sequential(Timesteps = 6)]
[Embedding(7, 3, MaskZero = true)]
[Lstm(3, Bidirectional = true)]
[Dense(1)]
public partial class Keras2TextModel;
