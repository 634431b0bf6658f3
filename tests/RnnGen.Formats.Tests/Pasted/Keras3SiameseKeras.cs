// Pasted from `rnngen inspect keras3_siamese.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3SiameseKeras;

// keras3_siamese.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4)]
public partial class Keras3SiameseShared;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(1, Activation = "sigmoid")]
public partial class Keras3SiameseScore;

[Graph("score")]
[GraphInput("left", Timesteps = 5, InputDim = 3)]
[GraphInput("right", Timesteps = 5, InputDim = 3)]
[GraphNode("shared", typeof(Keras3SiameseShared), "left")]
[GraphNode("shared_call2", typeof(Keras3SiameseShared), "right", Shares = "shared")]
[Merge("diff", MergeOperation.Subtract, "shared", "shared_call2")]
[GraphNode("score", typeof(Keras3SiameseScore), "diff")]
public partial class Keras3Siamese;
