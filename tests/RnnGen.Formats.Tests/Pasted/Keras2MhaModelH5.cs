// Pasted from `rnngen inspect keras2_mha_model.h5`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras2MhaModelH5;

// keras2_mha_model.h5: legacy Keras HDF5 from model.save(), Keras 2.9.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(8, ReturnSequences = true)]
public partial class Keras2MhaModelEncoder;

[Sequential(Timesteps = 6, InputDim = 8)]
[Dense(2)]
public partial class Keras2MhaModelOut;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphNode("encoder", typeof(Keras2MhaModelEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 2, keyDim: 4)]
[GraphNode("out", typeof(Keras2MhaModelOut), "mha")]
public partial class Keras2MhaModel;
