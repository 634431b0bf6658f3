// Pasted from `rnngen inspect keras3_attention.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3AttentionKeras;

// keras3_attention.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3AttentionDecoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3AttentionEncoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(4, ResetAfter = false, ReturnSequences = true)]
public partial class Keras3AttentionKeys;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(2)]
public partial class Keras3AttentionOut;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(Keras3AttentionDecoder), "y")]
[GraphNode("encoder", typeof(Keras3AttentionEncoder), "x")]
[GraphNode("keys", typeof(Keras3AttentionKeys), "x")]
[Attention("attention", "decoder", "encoder", Key = "keys", UseScale = true, ScoreMode = "concat")]
[GraphNode("out", typeof(Keras3AttentionOut), "attention")]
public partial class Keras3Attention;
