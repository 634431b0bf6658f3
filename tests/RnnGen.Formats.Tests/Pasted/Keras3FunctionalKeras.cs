// Pasted from `rnngen inspect keras3_functional.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3FunctionalKeras;

// keras3_functional.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(3)]
public partial class Keras3FunctionalLstm;

[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(2)]
public partial class Keras3FunctionalLstm1;

[Sequential(Timesteps = 1, InputDim = 5)]
[Dense(2)]
public partial class Keras3FunctionalDense;

[Graph("dense")]
[GraphInput("input_layer", Timesteps = 5, InputDim = 3)]
[GraphNode("lstm", typeof(Keras3FunctionalLstm), "input_layer")]
[GraphNode("lstm_1", typeof(Keras3FunctionalLstm1), "input_layer")]
[Merge("concatenate", MergeOperation.Concatenate, "lstm", "lstm_1")]
[GraphNode("dense", typeof(Keras3FunctionalDense), "concatenate")]
public partial class Keras3Functional;
