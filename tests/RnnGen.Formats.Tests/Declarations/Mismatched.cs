using RnnGen;

namespace Declarations;

// Declarations that differ from a fixture file in one option each, to check that LoadWeights names the layer and the
// option and loads nothing. (Other mismatches reuse the pasted declaration of another file, e.g. a Keras 2 stack
// declaration against the Keras 3 file.)

// dl4j SimpleRNN(50) -> Dense(1): the layer declared going backwards (checked against the full-model file's config).
[Sequential(Timesteps = 1, InputDim = 1)]
[SimpleRnn(50, GoBackwards = true)]
[Dense(1)]
public partial class SimpleRnnGoingBackwards;

// dl4j SimpleRNN(50): 49 units (the weights-only file has no config; the shapes differ).
[Sequential(Timesteps = 1, InputDim = 1)]
[SimpleRnn(49)]
[Dense(1)]
public partial class SimpleRnnOf49Units;

// dl4j LSTM(50): 40 units.
[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(40, RecurrentActivation = "hard_sigmoid_keras2")]
[Dense(1)]
public partial class LstmOf40Units;

// tf.keras 2.2.4 Bidirectional(LSTM(6, hard_sigmoid)): Keras 3's hard_sigmoid declared instead of Keras 2's.
[Sequential(Timesteps = 3, InputDim = 4)]
[Lstm(6, RecurrentActivation = "hard_sigmoid", ReturnSequences = true, Bidirectional = true)]
public partial class BidirectionalLstmWithKeras3HardSigmoid;

// frugally-deep GRU(1, reset_after=True, no bias): reset_after=False declared (same shapes without a bias).
[Gru(1, Timesteps = 3, InputDim = 1, Activation = "linear", UseBias = false, ReturnSequences = true, ResetAfter = false)]
public partial class GruResettingBefore;

// frugally-deep stateful GRU(1): declared going backwards.
[Gru(1, Timesteps = 3, InputDim = 1, Activation = "linear", UseBias = false, ReturnSequences = true, Stateful = true, GoBackwards = true)]
public partial class StatefulGruGoingBackwards;

// SimpleRNN(3, go_backwards=True) -> Dense(2): declared going forwards.
[Sequential(Timesteps = 4, InputDim = 2)]
[SimpleRnn(3, ReturnSequences = true)]
[Dense(2, Activation = "sigmoid", UseBias = false)]
public partial class SimpleRnnGoingForwards;

// SimpleRNN(3) -> Dense(2): 4 units (the Keras 3 .weights.h5 has no config; the shapes differ).
[Sequential(Timesteps = 4, InputDim = 2)]
[SimpleRnn(4, ReturnSequences = true, GoBackwards = true)]
[Dense(2, Activation = "sigmoid", UseBias = false)]
public partial class SimpleRnnOf4Units;

// The nine-layer stack with the third LSTM's recurrent activation changed.
[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, RecurrentActivation = "hard_sigmoid", ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[Gru(2)]
[Dense(2)]
[Dense(1)]
public partial class DeepWithAHardSigmoidLstm;

// The nine-layer stack with a GRU of 3 units (the Keras 3 .weights.h5 has no config; the shapes differ).
[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[Lstm(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[SimpleRnn(2, ReturnSequences = true)]
[Gru(3)]
[Dense(2)]
[Dense(1)]
public partial class DeepWithAWiderGru;

// LSTM(4, return_sequences) -> TimeDistributed(Dense(3)) -> Dense(2): the wrapped Dense declared with 5 units (the
// .weights.h5 has no config; the kernel rows still find its time_distributed group, whose shapes differ).
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
[Dense(5)]
[Dense(2)]
public partial class TimeDistributedOf5Units;

// LSTM -> Dense(3) -> Activation(relu) -> Dense(2) -> Activation(sigmoid): the first Dense declared linear, so the
// Activation after it cannot be folded into it and would be lost.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4)]
[Dense(3)]
[Dense(2, Activation = "sigmoid")]
public partial class DenseActivationWithALinearDense;

// LSTM(4) -> LayerNormalization -> Dense(2) (generated/*_layernorm*): the normalization declared without center.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4)]
[LayerNormalization(Center = false)]
[Dense(2)]
public partial class LayerNormalizationWithoutCenter;

// Embedding(7, 3, mask_zero=True) -> Bidirectional(LSTM(3)) -> Dense(1) (generated/*_text_model*): the padding
// token not masked.
[Sequential(Timesteps = 6)]
[Embedding(7, 3)]
[Lstm(3, Bidirectional = true)]
[Dense(1)]
public partial class TextModelWithoutMask;

// Normalization -> LSTM(4) -> Dense(2) (generated/*_normalization*): the normalization declared inverted.
[Sequential(Timesteps = 5, InputDim = 3)]
[Normalization(Invert = true)]
[Lstm(4)]
[Dense(2)]
public partial class NormalizationDeclaredInverted;

// Normalization -> LSTM(4) -> Dense(2) (generated/keras3_normalization.weights.h5): the LSTM declared with 5 units.
[Sequential(Timesteps = 5, InputDim = 3)]
[Normalization]
[Lstm(5)]
[Dense(2)]
public partial class NormalizationBeforeAWiderLstm;

// LSTM(3, return_sequences) -> Dense(2) -> Normalization(invert=True) (generated/keras3_normalization_invert.keras):
// the de-normalizing output declared as a plain Normalization.
[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(3, ReturnSequences = true)]
[Dense(2)]
[Normalization]
public partial class NormalizationNotInverted;

// LSTM(4, return_sequences) -> BatchNormalization(epsilon=0.01) -> Dense(2, tanh) (generated/*_batchnorm*): Keras's
// default epsilon declared instead of the model's.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
[BatchNormalization]
[Dense(2, Activation = "tanh")]
public partial class BatchNormalizationWithDefaultEpsilon;

// Bidirectional(LSTM(6)) -> Activation(relu) (dl4j's tfkeras_rnn_5_bidirectional_lstm.h5) declared without its
// Activation: the relu would be lost.
[Sequential(Timesteps = 3, InputDim = 4)]
[Lstm(6, RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true)]
public partial class BidirectionalLstmWithoutItsActivation;

// LSTM -> Dense(3) -> Activation(relu) -> Dense(2) -> Activation(sigmoid) declared as rnngen inspect printed it before
// RnnGen had an [Activation] layer: each Activation folded into the linear Dense before it, which computes the same.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4)]
[Dense(3, Activation = "relu")]
[Dense(2, Activation = "sigmoid")]
public partial class DenseActivationFoldedIntoTheDense;

// keras3_attention.keras's graph with its Attention declared as Keras's default (dot scores, no scale), while the file's
// layer has use_scale=True and concat scores: their two weights would be read by no node.
[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(Pasted.Keras3AttentionKeras.Keras3AttentionDecoder), "y")]
[GraphNode("encoder", typeof(Pasted.Keras3AttentionKeras.Keras3AttentionEncoder), "x")]
[GraphNode("keys", typeof(Pasted.Keras3AttentionKeras.Keras3AttentionKeys), "x")]
[Attention("attention", "decoder", "encoder", Key = "keys")]
[GraphNode("out", typeof(Pasted.Keras3AttentionKeras.Keras3AttentionOut), "attention")]
public partial class AttentionDeclaredWithoutScale;

// keras2_mha_model.h5's MultiHeadAttention has num_heads 2, key_dim 4; this one has 4 heads of 2 (values of 2): every
// array has the file's length, only the kernels' shapes ([8, 4, 2] against [8, 2, 4]) tell them apart.
[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphNode("encoder", typeof(Pasted.Keras2MhaModelH5.Keras2MhaModelEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 4, keyDim: 2)]
[GraphNode("out", typeof(Pasted.Keras2MhaModelH5.Keras2MhaModelOut), "mha")]
public partial class MultiHeadAttentionWithHeadsSwapped;

// The same layer declared without biases: four arrays against the file's eight.
[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphNode("encoder", typeof(Pasted.Keras2MhaModelH5.Keras2MhaModelEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 2, keyDim: 4, UseBias = false)]
[GraphNode("out", typeof(Pasted.Keras2MhaModelH5.Keras2MhaModelOut), "mha")]
public partial class MultiHeadAttentionWithoutBias;
