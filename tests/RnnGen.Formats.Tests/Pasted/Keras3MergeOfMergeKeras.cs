// Pasted from `rnngen inspect keras3_merge_of_merge.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MergeOfMergeKeras;

// keras3_merge_of_merge.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(3, ReturnSequences = true)]
public partial class Keras3MergeOfMergeL1;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(2, ResetAfter = false, ReturnSequences = true)]
public partial class Keras3MergeOfMergeG1;

[Sequential(Timesteps = 5, InputDim = 3)]
[SimpleRnn(5, ReturnSequences = true)]
public partial class Keras3MergeOfMergeL2;

[Sequential(Timesteps = 5, InputDim = 5)]
[Lstm(3)]
[Dense(2)]
public partial class Keras3MergeOfMergeOut;

[Graph("out")]
[GraphInput("a", Timesteps = 5, InputDim = 3)]
[GraphNode("l1", typeof(Keras3MergeOfMergeL1), "a")]
[GraphNode("g1", typeof(Keras3MergeOfMergeG1), "a")]
[Merge("concat", MergeOperation.Concatenate, "l1", "g1")]
[GraphNode("l2", typeof(Keras3MergeOfMergeL2), "a")]
[Merge("sum", MergeOperation.Add, "concat", "l2")]
[Merge("avg", MergeOperation.Average, "sum", "l2")]
[GraphNode("out", typeof(Keras3MergeOfMergeOut), "avg", Layers = new[] { "tail", "out" })]
public partial class Keras3MergeOfMerge;
