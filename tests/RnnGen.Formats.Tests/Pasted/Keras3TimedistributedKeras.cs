// Pasted from `rnngen inspect keras3_timedistributed.keras`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3TimedistributedKeras;

// keras3_timedistributed.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.6.0.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
[Dense(3, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class Keras3Timedistributed;
