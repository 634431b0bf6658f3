// Pasted from `rnngen inspect keras3_dot.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3DotKeras;

// keras3_dot.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
public partial class Keras3DotLstmX;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(5)]
public partial class Keras3DotLstmY;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(2)]
public partial class Keras3DotHead;

[Graph("head")]
[GraphInput("x", Timesteps = 4, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("lstm_x", typeof(Keras3DotLstmX), "x")]
[GraphNode("lstm_y", typeof(Keras3DotLstmY), "y")]
[Merge("scores", MergeOperation.Dot, "lstm_x", "lstm_y", Axes = new[] { 2, 1 })]
[GraphNode("head", typeof(Keras3DotHead), "scores")]
public partial class Keras3Dot;
