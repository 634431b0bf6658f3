// Pasted from `rnngen inspect keras3_attention_over_merge.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3AttentionOverMergeKeras;

// keras3_attention_over_merge.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(3, ReturnSequences = true)]
public partial class Keras3AttentionOverMergeEncA;

[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(2, ResetAfter = false, ReturnSequences = true)]
public partial class Keras3AttentionOverMergeEncB;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(5, ReturnSequences = true)]
public partial class Keras3AttentionOverMergeDecoder;

[Sequential(Timesteps = 5, InputDim = 10)]
[Dense(2)]
public partial class Keras3AttentionOverMergeOut;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("enc_a", typeof(Keras3AttentionOverMergeEncA), "x")]
[GraphNode("enc_b", typeof(Keras3AttentionOverMergeEncB), "x")]
[GraphNode("decoder", typeof(Keras3AttentionOverMergeDecoder), "y")]
[Merge("values", MergeOperation.Concatenate, "enc_a", "enc_b")]
[Attention("attention", "decoder", "values", UseScale = true)]
[Merge("context", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(Keras3AttentionOverMergeOut), "context")]
public partial class Keras3AttentionOverMerge;
