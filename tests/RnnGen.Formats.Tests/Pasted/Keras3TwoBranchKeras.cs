// Pasted from `rnngen inspect keras3_two_branch.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3TwoBranchKeras;

// keras3_two_branch.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(4, ResetAfter = false)]
public partial class Keras3TwoBranchGruA;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(6)]
public partial class Keras3TwoBranchLstmB;

[Sequential(Timesteps = 1, InputDim = 10)]
[Dense(3, Activation = "relu")]
[Dense(1)]
public partial class Keras3TwoBranchOut;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(2)]
public partial class Keras3TwoBranchAux;

[Graph("out", "aux")]
[GraphInput("a", Timesteps = 5, InputDim = 3)]
[GraphInput("b", Timesteps = 5, InputDim = 2)]
[GraphNode("gru_a", typeof(Keras3TwoBranchGruA), "a")]
[GraphNode("lstm_b", typeof(Keras3TwoBranchLstmB), "b")]
[Merge("concat", MergeOperation.Concatenate, "gru_a", "lstm_b")]
[GraphNode("out", typeof(Keras3TwoBranchOut), "concat", Layers = new[] { "hidden", "out" })]
[GraphNode("aux", typeof(Keras3TwoBranchAux), "gru_a")]
public partial class Keras3TwoBranch;
