using RnnGen;

namespace Declarations;

// A weights-only file stores no configuration, so the declaration rnngen inspect prints for it has RnnGen's default
// activations, as its comment warns. Where no file of the same model carries the configuration, the declaration
// below is the printed one (Pasted/TfKeras213StackWeightsH5.cs) corrected by hand as that comment asks: activations
// and the Dropout layer from the Keras model (tests/formats-fixtures: tf.keras 2.13, hard_sigmoid = clip(0.2x + 0.5)).

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true)]
[Dropout(0.25)]
[Gru(3, RecurrentActivation = "hard_sigmoid_keras2")]
[Dense(4, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class TfKeras213Stack;
