// Pasted from `rnngen inspect keras3_mask_mha.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MaskMhaKeras;

// keras3_mask_mha.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3MaskMhaDecoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3MaskMhaEncoder;

[Sequential(Timesteps = 5, InputDim = 4)]
[Lstm(3)]
public partial class Keras3MaskMhaOut;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(2)]
public partial class Keras3MaskMhaSelfHead;

[Graph("out", "self_head")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(Keras3MaskMhaDecoder), "y", Layers = new[] { "dec_masking", "decoder" })]
[GraphNode("encoder", typeof(Keras3MaskMhaEncoder), "x", Layers = new[] { "enc_masking", "encoder" })]
[MultiHeadAttention("mha", "decoder", "encoder", numHeads: 2, keyDim: 3)]
[MultiHeadAttention("self_mha", "decoder", "decoder", numHeads: 1, keyDim: 2, UseCausalMask = true)]
[GraphNode("out", typeof(Keras3MaskMhaOut), "mha")]
[GraphNode("self_head", typeof(Keras3MaskMhaSelfHead), "self_mha")]
public partial class Keras3MaskMha;
