// Pasted from `rnngen inspect keras3_mha.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MhaKeras;

// keras3_mha.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3MhaDecoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(6, ReturnSequences = true)]
public partial class Keras3MhaEncoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(5, ResetAfter = false, ReturnSequences = true)]
public partial class Keras3MhaKeys;

[Sequential(Timesteps = 5, InputDim = 5)]
[Dense(2)]
public partial class Keras3MhaOut;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(Keras3MhaDecoder), "y")]
[GraphNode("encoder", typeof(Keras3MhaEncoder), "x")]
[GraphNode("keys", typeof(Keras3MhaKeys), "x")]
[MultiHeadAttention("mha", "decoder", "encoder", numHeads: 3, keyDim: 2, Key = "keys", ValueDim = 3, OutputShape = 5)]
[GraphNode("out", typeof(Keras3MhaOut), "mha")]
public partial class Keras3Mha;
