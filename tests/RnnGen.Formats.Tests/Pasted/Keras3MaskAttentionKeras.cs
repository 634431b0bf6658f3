// Pasted from `rnngen inspect keras3_mask_attention.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3MaskAttentionKeras;

// keras3_mask_attention.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3MaskAttentionDecoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class Keras3MaskAttentionEncoder;

[Sequential(Timesteps = 5, InputDim = 8)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class Keras3MaskAttentionOut;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(3)]
public partial class Keras3MaskAttentionAdditiveHead;

[Graph("out", "additive_head")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(Keras3MaskAttentionDecoder), "y", Layers = new[] { "dec_masking", "decoder" })]
[GraphNode("encoder", typeof(Keras3MaskAttentionEncoder), "x", Layers = new[] { "enc_masking", "encoder" })]
[Attention("attention", "decoder", "encoder", UseScale = true)]
[Merge("context", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(Keras3MaskAttentionOut), "context", Layers = new[] { "pool", "out" })]
[AdditiveAttention("additive", "decoder", "encoder")]
[GraphNode("additive_head", typeof(Keras3MaskAttentionAdditiveHead), "additive")]
public partial class Keras3MaskAttention;
