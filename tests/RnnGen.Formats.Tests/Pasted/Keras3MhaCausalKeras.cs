// Pasted from `rnngen inspect keras3_mha_causal.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MhaCausalKeras;

// keras3_mha_causal.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(6, ReturnSequences = true)]
public partial class Keras3MhaCausalEncoder;

[Sequential(Timesteps = 5, InputDim = 12)]
[Dense(1)]
public partial class Keras3MhaCausalOut;

[Graph("out")]
[GraphInput("x", Timesteps = 5, InputDim = 3)]
[GraphNode("encoder", typeof(Keras3MhaCausalEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 1, keyDim: 3, UseBias = false, UseCausalMask = true)]
[Merge("concat", MergeOperation.Concatenate, "mha", "encoder")]
[GraphNode("out", typeof(Keras3MhaCausalOut), "concat")]
public partial class Keras3MhaCausal;
