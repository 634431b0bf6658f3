// Pasted from `rnngen inspect keras3_seq2seq.keras`.
// PastedGraphTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.Keras3Seq2seqKeras;

// keras3_seq2seq.keras: .keras archive (model.save(), config.json + model.weights.h5), Keras 3.10.0.
// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class
// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(5, ReturnState = true)]
public partial class Keras3Seq2seqEncoder;

[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(5, ReturnSequences = true)]
[Dense(3)]
public partial class Keras3Seq2seqHead;

[Graph("head")]
[GraphInput("encoder_inputs", Timesteps = 6, InputDim = 3)]
[GraphInput("decoder_inputs", Timesteps = 4, InputDim = 2)]
[GraphNode("encoder", typeof(Keras3Seq2seqEncoder), "encoder_inputs")]
[GraphNode("head", typeof(Keras3Seq2seqHead), "decoder_inputs", InitialState = "encoder", Layers = new[] { "decoder", "head" })]
public partial class Keras3Seq2seq;
