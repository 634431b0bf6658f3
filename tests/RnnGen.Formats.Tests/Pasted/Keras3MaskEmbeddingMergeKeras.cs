// Pasted from `rnngen inspect keras3_mask_embedding_merge.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MaskEmbeddingMergeKeras;

// keras3_mask_embedding_merge.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5)]
[Embedding(7, 4, MaskZero = true)]
[Lstm(3, ReturnSequences = true)]
public partial class Keras3MaskEmbeddingMergeLstmA;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(3, ResetAfter = false, ReturnSequences = true)]
public partial class Keras3MaskEmbeddingMergeLstmB;

[Sequential(Timesteps = 5, InputDim = 6)]
[Lstm(2)]
public partial class Keras3MaskEmbeddingMergeOut;

[Sequential(Timesteps = 5, InputDim = 3)]
[Dense(2)]
public partial class Keras3MaskEmbeddingMergeAvgHead;

[Graph("out", "avg_head")]
[GraphInput("tokens", Timesteps = 5, InputDim = 1)]
[GraphNode("lstm_a", typeof(Keras3MaskEmbeddingMergeLstmA), "tokens", Layers = new[] { "embedding", "lstm_a" })]
[GraphNode("lstm_b", typeof(Keras3MaskEmbeddingMergeLstmB), "lstm_a")]
[Merge("sum", MergeOperation.Add, "lstm_a", "lstm_b")]
[Merge("cat", MergeOperation.Concatenate, "sum", "lstm_a")]
[Merge("avg", MergeOperation.Average, "lstm_a", "lstm_b")]
[GraphNode("out", typeof(Keras3MaskEmbeddingMergeOut), "cat")]
[GraphNode("avg_head", typeof(Keras3MaskEmbeddingMergeAvgHead), "avg")]
public partial class Keras3MaskEmbeddingMerge;
