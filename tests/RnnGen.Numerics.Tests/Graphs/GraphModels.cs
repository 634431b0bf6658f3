using RnnGen;

namespace RnnGen.Numerics.Tests.Graphs;

// The functional models of tests/golden/graphs.mjs (tfjs-graph-golden.json), declared as a user would: each chain of
// layers between two joins a [Sequential] class, the graph a [Graph] class that names its inputs, nodes and merges.
// TensorFlow.js has no GRU with reset_after=True, so the GRUs here set ResetAfter = false.

// seq2seq: an LSTM encoder's [h, c] start the decoder LSTM; Dense 'head' on its sequence.
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(5, ReturnState = true)]
public partial class Seq2SeqEncoder;

[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(5, ReturnSequences = true)]
[Dense(3)]
public partial class Seq2SeqDecoder;

[Graph("decoder")]
[GraphInput("encoder_inputs", Timesteps = 6, InputDim = 3)]
[GraphInput("decoder_inputs", Timesteps = 4, InputDim = 2)]
[GraphNode("encoder", typeof(Seq2SeqEncoder), "encoder_inputs")]
[GraphNode("decoder", typeof(Seq2SeqDecoder), "decoder_inputs", InitialState = "encoder", Layers = new[] { "decoder", "head" })]
public partial class Seq2Seq;

// seq2seq_gru: the same with GRUs (one state).
[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(5, ReturnState = true, ResetAfter = false)]
public partial class GruEncoder;

[Sequential(Timesteps = 4, InputDim = 2)]
[Gru(5, ReturnSequences = true, ResetAfter = false)]
[Dense(3)]
public partial class GruDecoder;

[Graph("decoder")]
[GraphInput("encoder_inputs", Timesteps = 6, InputDim = 3)]
[GraphInput("decoder_inputs", Timesteps = 4, InputDim = 2)]
[GraphNode("encoder", typeof(GruEncoder), "encoder_inputs")]
[GraphNode("decoder", typeof(GruDecoder), "decoder_inputs", InitialState = "encoder")]
public partial class Seq2SeqGru;

// two_branch_concat: two inputs, two recurrent branches concatenated into a Dense head; a second head on one branch.
[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(4, ResetAfter = false)]
public partial class BranchGru;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(6)]
public partial class BranchLstm;

[Sequential(Timesteps = 1, InputDim = 10)]
[Dense(3, Activation = "relu")]
[Dense(1)]
public partial class ConcatHead;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(2)]
public partial class AuxHead;

[Graph("out", "aux")]
[GraphInput("a", Timesteps = 5, InputDim = 3)]
[GraphInput("b", Timesteps = 5, InputDim = 2)]
[GraphNode("gru_a", typeof(BranchGru), "a")]
[GraphNode("lstm_b", typeof(BranchLstm), "b")]
[Merge("concat", MergeOperation.Concatenate, "gru_a", "lstm_b")]
[GraphNode("out", typeof(ConcatHead), "concat", Layers = new[] { "hidden", "out" })]
[GraphNode("aux", typeof(AuxHead), "gru_a")]
public partial class TwoBranchConcat;

// merge_*: a SimpleRNN and a GRU sequence merged element-wise, then an LSTM.
[Sequential(Timesteps = 4, InputDim = 3)]
[SimpleRnn(4, ReturnSequences = true)]
public partial class MergeRnn;

[Sequential(Timesteps = 4, InputDim = 3)]
[Gru(4, ReturnSequences = true, ResetAfter = false)]
public partial class MergeGru;

[Sequential(Timesteps = 4, InputDim = 4)]
[Lstm(3)]
public partial class MergeTail;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Add, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeAdd;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Subtract, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeSubtract;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Multiply, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeMultiply;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Average, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeAverage;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Maximum, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeMaximum;

[Graph("lstm_c")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("rnn_a", typeof(MergeRnn), "a")]
[GraphNode("gru_b", typeof(MergeGru), "b")]
[Merge("merge", MergeOperation.Minimum, "rnn_a", "gru_b")]
[GraphNode("lstm_c", typeof(MergeTail), "merge")]
public partial class MergeMinimum;

// shared_siamese: one LSTM applied to two inputs (one set of weights), their difference scored.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4)]
public partial class SiameseTower;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(1, Activation = "sigmoid")]
public partial class SiameseScore;

[Graph("score")]
[GraphInput("left", Timesteps = 5, InputDim = 3)]
[GraphInput("right", Timesteps = 5, InputDim = 3)]
[GraphNode("left_tower", typeof(SiameseTower), "left")]
[GraphNode("right_tower", typeof(SiameseTower), "right", Shares = "left_tower")]
[Merge("diff", MergeOperation.Subtract, "left_tower", "right_tower")]
[GraphNode("score", typeof(SiameseScore), "diff")]
public partial class SharedSiamese;

// one_input_two_branches: one input read by two recurrent branches, concatenated per timestep.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
public partial class BranchL1;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(4, ReturnSequences = true, ResetAfter = false)]
public partial class BranchG1;

[Sequential(Timesteps = 5, InputDim = 8)]
[Lstm(3)]
[Dense(2)]
public partial class BranchTail;

[Graph("out")]
[GraphInput("x", Timesteps = 5, InputDim = 3)]
[GraphNode("l1", typeof(BranchL1), "x")]
[GraphNode("g1", typeof(BranchG1), "x")]
[Merge("concat", MergeOperation.Concatenate, "l1", "g1")]
[GraphNode("out", typeof(BranchTail), "concat")]
public partial class OneInputTwoBranches;

// attention_dot: a decoder sequence attends over an encoder sequence (Luong); the context beside the decoder's output.
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
public partial class AttentionEncoder;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
public partial class AttentionDecoder;

[Sequential(Timesteps = 5, InputDim = 8)]
[Dense(2)]
public partial class AttentionHead;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("encoder", typeof(AttentionEncoder), "x")]
[GraphNode("decoder", typeof(AttentionDecoder), "y")]
[Attention("attention", "decoder", "encoder")]
[Merge("concat", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(AttentionHead), "concat")]
public partial class DotAttentionGraph;

// attention_scaled_concat_key: a separate key (a GRU over the same input), use_scale and score_mode "concat".
[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(4, ReturnSequences = true, ResetAfter = false)]
public partial class AttentionKeys;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(2)]
public partial class AttentionContextHead;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("encoder", typeof(AttentionEncoder), "x")]
[GraphNode("keys", typeof(AttentionKeys), "x")]
[GraphNode("decoder", typeof(AttentionDecoder), "y")]
[Attention("attention", "decoder", "encoder", Key = "keys", UseScale = true, ScoreMode = "concat")]
[GraphNode("out", typeof(AttentionContextHead), "attention")]
public partial class ScaledConcatAttentionGraph;

// additive_attention: Bahdanau attention with its scale vector.
[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("encoder", typeof(AttentionEncoder), "x")]
[GraphNode("decoder", typeof(AttentionDecoder), "y")]
[AdditiveAttention("attention", "decoder", "encoder")]
[Merge("concat", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(AttentionHead), "concat")]
public partial class AdditiveAttentionGraph;

// The Dot cases (Keras's Dot: sums of products over one axis of each input; Shared/DotShapes).
// dot_vectors: LSTM(4) over a and GRU(4) over b, their dot product (one value) into a Dense head.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4)]
public partial class DotLstmA;

[Sequential(Timesteps = 5, InputDim = 2)]
[Gru(4, ResetAfter = false)]
public partial class DotGruB;

[Sequential(Timesteps = 1, InputDim = 1)]
[Dense(2)]
public partial class DotHead;

[Graph("head")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 5, InputDim = 2)]
[GraphNode("lstm_a", typeof(DotLstmA), "a")]
[GraphNode("gru_b", typeof(DotGruB), "b")]
[Merge("dot", MergeOperation.Dot, "lstm_a", "gru_b", Axes = new[] { 1 })]
[GraphNode("head", typeof(DotHead), "dot")]
public partial class DotVectors;

// dot_cosine: two LSTM(5) branches, their cosine similarity (Dot with normalize) into a sigmoid Dense.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5)]
public partial class CosineBranch;

[Sequential(Timesteps = 1, InputDim = 1)]
[Dense(1, Activation = "sigmoid")]
public partial class CosineHead;

[Graph("head")]
[GraphInput("a", Timesteps = 4, InputDim = 3)]
[GraphInput("b", Timesteps = 4, InputDim = 3)]
[GraphNode("lstm_a", typeof(CosineBranch), "a")]
[GraphNode("lstm_b", typeof(CosineBranch), "b")]
[Merge("cosine", MergeOperation.Dot, "lstm_a", "lstm_b", Axes = new[] { -1 }, Normalize = true)]
[GraphNode("head", typeof(CosineHead), "cosine")]
public partial class DotCosine;

// dot_sequences_last: (4, 5) . (6, 5) over the features is a (4, 6) sequence, read by an LSTM.
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
public partial class DotSequenceX;

[Sequential(Timesteps = 6, InputDim = 2)]
[Gru(5, ReturnSequences = true, ResetAfter = false)]
public partial class DotSequenceY;

[Sequential(Timesteps = 4, InputDim = 6)]
[Lstm(3)]
public partial class DotScoresLstm;

[Graph("lstm_out")]
[GraphInput("x", Timesteps = 4, InputDim = 3)]
[GraphInput("y", Timesteps = 6, InputDim = 2)]
[GraphNode("lstm_x", typeof(DotSequenceX), "x")]
[GraphNode("gru_y", typeof(DotSequenceY), "y")]
[Merge("scores", MergeOperation.Dot, "lstm_x", "gru_y", Axes = new[] { 2 })]
[GraphNode("lstm_out", typeof(DotScoresLstm), "scores")]
public partial class DotSequencesLast;

// dot_sequences_time: (4, 5) . (4, 3) over the time axis is a (5, 3) sequence (a Gram matrix), read by a GRU.
[Sequential(Timesteps = 4, InputDim = 2)]
[Lstm(3, ReturnSequences = true)]
public partial class DotTimeY;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(2, ResetAfter = false)]
public partial class DotGramGru;

[Graph("gru_out")]
[GraphInput("x", Timesteps = 4, InputDim = 3)]
[GraphInput("y", Timesteps = 4, InputDim = 2)]
[GraphNode("lstm_x", typeof(DotSequenceX), "x")]
[GraphNode("lstm_y", typeof(DotTimeY), "y")]
[Merge("gram", MergeOperation.Dot, "lstm_x", "lstm_y", Axes = new[] { 1 })]
[GraphNode("gru_out", typeof(DotGramGru), "gram")]
public partial class DotSequencesTime;

// dot_sequence_vector: (4, 5) . (5) over the features is a vector of 4 scores, read by a Dense head.
[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(5)]
public partial class DotVectorY;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(2)]
public partial class DotScoresHead;

[Graph("head")]
[GraphInput("x", Timesteps = 4, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("lstm_x", typeof(DotSequenceX), "x")]
[GraphNode("lstm_y", typeof(DotVectorY), "y")]
[Merge("scores", MergeOperation.Dot, "lstm_x", "lstm_y", Axes = new[] { 2, 1 })]
[GraphNode("head", typeof(DotScoresHead), "scores")]
public partial class DotSequenceVector;

// The MultiHeadAttention cases (keras/src/layers/attention/multi_head_attention.py).
// mha_self_attention: two heads of 4 over an LSTM(8) sequence attending to itself, a Dense head on every timestep.
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(8, ReturnSequences = true)]
public partial class MhaSelfEncoder;

[Sequential(Timesteps = 6, InputDim = 8)]
[Dense(2)]
public partial class MhaSelfHead;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphNode("encoder", typeof(MhaSelfEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 2, keyDim: 4)]
[GraphNode("out", typeof(MhaSelfHead), "mha")]
public partial class MhaSelfAttentionGraph;

// mha_cross_key_value_dims: a decoder LSTM(4) attends over an encoder LSTM(6) with a GRU(5) key; three heads of 2,
// values of 3 per head, an output of 5: every width differs.
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(6, ReturnSequences = true)]
public partial class MhaCrossEncoder;

[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(5, ReturnSequences = true, ResetAfter = false)]
public partial class MhaCrossKeys;

[Sequential(Timesteps = 5, InputDim = 5)]
[Dense(2)]
public partial class MhaCrossHead;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("decoder", typeof(AttentionDecoder), "y")]
[GraphNode("encoder", typeof(MhaCrossEncoder), "x")]
[GraphNode("keys", typeof(MhaCrossKeys), "x")]
[MultiHeadAttention("mha", "decoder", "encoder", numHeads: 3, keyDim: 2, Key = "keys", ValueDim = 3, OutputShape = 5)]
[GraphNode("out", typeof(MhaCrossHead), "mha")]
public partial class MhaCrossAttentionGraph;

// mha_causal_no_bias: one head of 3 without biases, each timestep attending to itself and the ones before it, beside
// the encoder's own output.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(6, ReturnSequences = true)]
public partial class MhaCausalEncoder;

[Sequential(Timesteps = 5, InputDim = 12)]
[Dense(1)]
public partial class MhaCausalHead;

[Graph("out")]
[GraphInput("x", Timesteps = 5, InputDim = 3)]
[GraphNode("encoder", typeof(MhaCausalEncoder), "x")]
[MultiHeadAttention("mha", "encoder", "encoder", numHeads: 1, keyDim: 3, UseBias = false, UseCausalMask = true)]
[Merge("concat", MergeOperation.Concatenate, "mha", "encoder")]
[GraphNode("out", typeof(MhaCausalHead), "concat")]
public partial class MhaCausalAttentionGraph;

// merge_of_merge: Average(Add(Concatenate(l1, g1), l2), l2) into an LSTM(3) and a Dense head: merges reading merges.
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(3, ReturnSequences = true)]
public partial class NestedL1;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(2, ReturnSequences = true, ResetAfter = false)]
public partial class NestedG1;

[Sequential(Timesteps = 5, InputDim = 3)]
[SimpleRnn(5, ReturnSequences = true)]
public partial class NestedL2;

[Sequential(Timesteps = 5, InputDim = 5)]
[Lstm(3)]
[Dense(2)]
public partial class NestedTail;

[Graph("out")]
[GraphInput("a", Timesteps = 5, InputDim = 3)]
[GraphNode("l1", typeof(NestedL1), "a")]
[GraphNode("g1", typeof(NestedG1), "a")]
[GraphNode("l2", typeof(NestedL2), "a")]
[Merge("concat", MergeOperation.Concatenate, "l1", "g1")]
[Merge("sum", MergeOperation.Add, "concat", "l2")]
[Merge("avg", MergeOperation.Average, "sum", "l2")]
[GraphNode("out", typeof(NestedTail), "avg", Layers = new[] { "tail", "out" })]
public partial class MergeOfMergeGraph;

// attention_over_merge: a decoder attends over the Concatenate of two encoders (scaled dot attention, the merge as value
// and key), its context beside the decoder into a Dense head.
[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(3, ReturnSequences = true)]
public partial class MergedEncoderA;

[Sequential(Timesteps = 6, InputDim = 3)]
[Gru(2, ReturnSequences = true, ResetAfter = false)]
public partial class MergedEncoderB;

[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(5, ReturnSequences = true)]
public partial class MergedDecoder;

[Sequential(Timesteps = 5, InputDim = 10)]
[Dense(2)]
public partial class MergedHead;

[Graph("out")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("enc_a", typeof(MergedEncoderA), "x")]
[GraphNode("enc_b", typeof(MergedEncoderB), "x")]
[Merge("values", MergeOperation.Concatenate, "enc_a", "enc_b")]
[GraphNode("decoder", typeof(MergedDecoder), "y")]
[Attention("attention", "decoder", "values", UseScale = true)]
[Merge("context", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(MergedHead), "context")]
public partial class AttentionOverMergeGraph;

// The mask cases (docs/graphs.md, masks): a Masking or Embedding(mask_zero) chain's sequence carries its mask to the
// nodes that read it.

// mask_chain_to_chain: Masking -> LSTM(4) sequences read by an LSTM -> Dense chain, a GRU (last output) and a
// SimpleRNN -> Dense chain, each skipping the encoder's masked timesteps.
[Sequential(Timesteps = 6, InputDim = 3)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class MaskingEncoder;

[Sequential(Timesteps = 6, InputDim = 4)]
[Lstm(3, ReturnSequences = true)]
[Dense(2)]
public partial class MaskedLstmHead;

[Sequential(Timesteps = 6, InputDim = 4)]
[Gru(3, ResetAfter = false)]
public partial class MaskedGruLast;

[Sequential(Timesteps = 6, InputDim = 4)]
[SimpleRnn(2, ReturnSequences = true)]
[Dense(1)]
public partial class MaskedRnnHead;

[Graph("head", "last", "rnn_head")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphNode("enc", typeof(MaskingEncoder), "x", Layers = new[] { "masking", "enc" })]
[GraphNode("head", typeof(MaskedLstmHead), "enc", Layers = new[] { "dec", "head" })]
[GraphNode("last", typeof(MaskedGruLast), "enc")]
[GraphNode("rnn_head", typeof(MaskedRnnHead), "enc", Layers = new[] { "rnn", "rnn_head" })]
public partial class MaskChainToChain;

// mask_embedding_merge: Embedding(mask_zero) -> LSTM(3) sequences and a GRU over them, added, concatenated with the
// LSTM's, into an LSTM (the merges pass the one mask they share on); their Average into a Dense.
[Sequential(Timesteps = 5, InputDim = 1)]
[Embedding(7, 4, MaskZero = true)]
[Lstm(3, ReturnSequences = true)]
public partial class MaskedTokens;

[Sequential(Timesteps = 5, InputDim = 3)]
[Gru(3, ReturnSequences = true, ResetAfter = false)]
public partial class MaskedTokensGru;

[Sequential(Timesteps = 5, InputDim = 6)]
[Lstm(2)]
public partial class MaskedMergeLast;

[Sequential(Timesteps = 5, InputDim = 3)]
[Dense(2)]
public partial class MaskedAverageHead;

[Graph("out", "avg_head")]
[GraphInput("tokens", Timesteps = 5, InputDim = 1)]
[GraphNode("lstm_a", typeof(MaskedTokens), "tokens", Layers = new[] { "embedding", "lstm_a" })]
[GraphNode("lstm_b", typeof(MaskedTokensGru), "lstm_a")]
[Merge("sum", MergeOperation.Add, "lstm_a", "lstm_b")]
[Merge("cat", MergeOperation.Concatenate, "sum", "lstm_a")]
[GraphNode("out", typeof(MaskedMergeLast), "cat")]
[Merge("avg", MergeOperation.Average, "lstm_a", "lstm_b")]
[GraphNode("avg_head", typeof(MaskedAverageHead), "avg")]
public partial class MaskEmbeddingMerge;

// mask_attention: a masked decoder attends over a masked encoder (scaled dot and additive attention); the context
// with the decoder into GlobalAveragePooling1D -> Dense (the unmasked decoder timesteps only), the additive output
// into a Dense (zeros at the masked decoder timesteps, so the bias there).
[Sequential(Timesteps = 6, InputDim = 3)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class MaskedAttentionEncoder;

[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class MaskedAttentionDecoder;

[Sequential(Timesteps = 5, InputDim = 8)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class MaskedContextPool;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(3)]
public partial class MaskedAdditiveHead;

[Graph("out", "additive_head")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("encoder", typeof(MaskedAttentionEncoder), "x", Layers = new[] { "enc_masking", "encoder" })]
[GraphNode("decoder", typeof(MaskedAttentionDecoder), "y", Layers = new[] { "dec_masking", "decoder" })]
[Attention("attention", "decoder", "encoder", UseScale = true)]
[Merge("context", MergeOperation.Concatenate, "attention", "decoder")]
[GraphNode("out", typeof(MaskedContextPool), "context", Layers = new[] { "pool", "out" })]
[AdditiveAttention("additive", "decoder", "encoder")]
[GraphNode("additive_head", typeof(MaskedAdditiveHead), "additive")]
public partial class MaskAttentionGraph;

// mask_mha: multi-head cross-attention of the masked decoder over the masked encoder into an LSTM (which skips the
// decoder's masked timesteps), and causal self-attention over the decoder into a Dense.
[Sequential(Timesteps = 5, InputDim = 4)]
[Lstm(3)]
public partial class MaskedMhaLast;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(2)]
public partial class MaskedSelfHead;

[Graph("out", "self_head")]
[GraphInput("x", Timesteps = 6, InputDim = 3)]
[GraphInput("y", Timesteps = 5, InputDim = 2)]
[GraphNode("encoder", typeof(MaskedAttentionEncoder), "x", Layers = new[] { "enc_masking", "encoder" })]
[GraphNode("decoder", typeof(MaskedAttentionDecoder), "y", Layers = new[] { "dec_masking", "decoder" })]
[MultiHeadAttention("mha", "decoder", "encoder", numHeads: 2, keyDim: 3)]
[GraphNode("out", typeof(MaskedMhaLast), "mha")]
[MultiHeadAttention("self_mha", "decoder", "decoder", numHeads: 1, keyDim: 2, UseCausalMask = true)]
[GraphNode("self_head", typeof(MaskedSelfHead), "self_mha")]
public partial class MaskMhaGraph;

// docs/graphs.md's text classifier (Embedding(mask_zero) -> LSTM sequences -> self-attention -> GlobalAveragePooling1D
// -> Dense), at 5 and at 3 timesteps: with the padding masked, a padded sequence gives what its unpadded part gives.
[Sequential(Timesteps = 5, InputDim = 1)]
[Embedding(10, 4, MaskZero = true)]
[Lstm(3, ReturnSequences = true)]
public partial class PaddedTextEncoder;

[Sequential(Timesteps = 5, InputDim = 3)]
[GlobalAveragePooling1D]
[Dense(1, Activation = "sigmoid")]
public partial class PaddedTextHead;

[Graph("out")]
[GraphInput("tokens", Timesteps = 5, InputDim = 1)]
[GraphNode("encoder", typeof(PaddedTextEncoder), "tokens", Layers = new[] { "embedding", "encoder" })]
[Attention("attention", "encoder", "encoder")]
[GraphNode("out", typeof(PaddedTextHead), "attention", Layers = new[] { "pool", "out" })]
public partial class PaddedTextClassifier;

[Sequential(Timesteps = 3, InputDim = 1)]
[Embedding(10, 4, MaskZero = true)]
[Lstm(3, ReturnSequences = true)]
public partial class ShortTextEncoder;

[Sequential(Timesteps = 3, InputDim = 3)]
[GlobalAveragePooling1D]
[Dense(1, Activation = "sigmoid")]
public partial class ShortTextHead;

[Graph("out")]
[GraphInput("tokens", Timesteps = 3, InputDim = 1)]
[GraphNode("encoder", typeof(ShortTextEncoder), "tokens", Layers = new[] { "embedding", "encoder" })]
[Attention("attention", "encoder", "encoder")]
[GraphNode("out", typeof(ShortTextHead), "attention", Layers = new[] { "pool", "out" })]
public partial class ShortTextClassifier;
