#!/usr/bin/env node
// Golden vectors for RnnGen's functional (graph) models, from TensorFlow.js 4.22.0 on its cpu backend.
//
// Each case is a Keras functional model, built here with tf.model({ inputs, outputs }): an encoder-decoder whose
// decoder starts from the encoder's states (LSTM and GRU), two input branches joined by Concatenate with a second
// output on one branch, the six element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum) of a SimpleRNN
// and a GRU sequence feeding an LSTM, a siamese pair sharing one LSTM, one input split into two recurrent branches,
// attention, the Dot merge, multi-head attention, a merge or an attention layer reading another merge's output, and
// masks passed between layers (all below). Every layer has an explicit name; the C# tests find the layers and the
// outputs by those names.
//
// Every option is passed explicitly, because the tfjs defaults differ from Keras 3's: recurrentActivation 'sigmoid'
// (tfjs: hardSigmoid), activation 'tanh', LSTM unitForgetBias false (only the initializer; setWeights replaces the
// bias anyway), GRU resetAfter false (tfjs cannot run reset_after=True). Weights are drawn for every layer that has
// them, in model.layers order, uniform in [-0.5, 0.5) and rounded to float32, set with layer.setWeights and read back
// bit for bit; then the inputs, in model input order, uniform in [-1, 1). The generator is mulberry32 seeded with the
// FNV-1a hash of the case name, so adding or removing a case never changes the others.
//
// tfjs-layers 4.22 has no Subtract layer (Keras has keras.layers.Subtract): the script defines one as a subclass of
// tfjs's own Merge base class (the class of Add, Multiply, ...), whose mergeFunction is tf.sub(a, b), as in Keras.
//
// tfjs-layers 4.22 has no Attention or AdditiveAttention layer either. The script defines both as custom tfjs layers
// that compute what Keras 3 computes (keras/src/layers/attention/attention.py and additive_attention.py) on [query,
// value(, key)], key defaulting to value, without masks, dropout or a causal mask: Attention scores are query . key^T
// (times the scalar weight `scale` with use_scale) for score_mode 'dot', and concat_score_weight * sum(tanh(q + k))
// over the feature axis (the tanh argument times `scale` with use_scale) for 'concat'; AdditiveAttention scores are
// sum(scale * tanh(q + k)) with `scale` of shape [dim]. Then softmax(scores, axis=-1) . value. Their weights
// (Attention: `scale` [] then `concat_score_weight` [], each when present; AdditiveAttention: `scale` [dim]) are drawn
// from the same generator but in [0.5, 1.5), clearly not 1 (Attention initializes them to ones). The attention cases
// are an LSTM encoder and decoder joined by dot Attention, scaled concat Attention with a separate GRU key, and
// AdditiveAttention.
//
// Keras's Dot (keras/src/layers/merging/dot.py) is tfjs-layers' own Dot layer, tf.layers.dot({axes, normalize}), which
// computes what Keras's batch_dot computes for every case here, each a Dot of two recurrent branches: two vectors (axes
// 1, and a cosine, axes -1 with normalize), two sequences on the feature axis (axes 2: a (T1, T2) score matrix) and on
// the time axis (axes 1: a (d1, d2) Gram matrix), and a sequence with a vector (axes [2, 1]: a score per timestep).
// tfjs's normalize divides by sqrt(max(sum(x^2), 1e-7)), Keras 3's multiplies by min(rsqrt(sum(x^2)), 1e7); they agree
// for norms above ~3.2e-4, and the reference requires every normalized norm to be at least 1e-3 (here 0.28 to 0.48).
// Dot has no weights, so it is not in a case's layers.
//
// Keras's MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py) is missing from tfjs-layers 4.22 too:
// the script defines it as a custom tfjs layer on [query, value(, key)] at inference (no dropout), attention over the
// time axis, without attention_mask; use_causal_mask, a call argument in Keras, is a constructor option here (tfjs's
// symbolic apply cannot pass it). Its weights have Keras's shapes and get_weights() order: query kernel [dq, N, H] and
// bias [N, H], key kernel [dk, N, H] and bias [N, H], value kernel [dv, N, Hv] and bias [N, Hv], attention_output kernel
// [N, Hv, out] and bias [out] (the four kernels only without use_bias), drawn in [-0.5, 0.5) like the other layers'.
// The projected query is multiplied by 1/sqrt(key_dim) before its product with the keys, as Keras does. The cases, each
// with the layer named 'mha': self-attention over an LSTM sequence (2 heads, key_dim 4), cross-attention with a separate
// GRU key and every dimension different (3 heads, key_dim 2, value_dim 3, output_shape 5), and causal self-attention
// without biases (1 head, key_dim 3) concatenated with its input. Each case checks the layer's own output through a
// probe model, against the reference and against a second engine: ONNX Runtime (onnxruntime-node 1.30.0, CPU, one
// thread) runs a graph of standard ONNX ops (MatMul, Add, Reshape, Transpose, Mul, Softmax; for the causal mask, a
// constant -1e9 added above the diagonal) built from the same weights with onnx-util.mjs, on the tensors tfjs feeds the
// layer; max |ORT - tfjs| must be below 1e-5. The file's crossCheck field names those cases.
//
// Two cases feed a merge's output to another merge or to Attention. merge_of_merge: Concatenate 'concat' [l1, g1]
// of an LSTM(3) and a GRU(2) sequence over one input, Add 'sum' [concat, l2] with a SimpleRNN(5) sequence of that
// input, then Average 'avg' [sum, l2] (a merge of a merge of a merge; l2 read by both), into an LSTM and a Dense.
// attention_over_merge: scaled dot Attention 'attention' on [decoder, values], its values (and keys) a Concatenate
// 'values' [enc_a, enc_b] of an LSTM(3) and a GRU(2) encoder, its output concatenated with the decoder ('context') into
// a Dense. No tensor is given twice to one layer, so tfjs 4.22's early disposal (see MultiHeadAttention above) does not
// arise.
//
// Four cases pass Keras masks between the layers of a functional model, with Keras 3's semantics: batch 5 (their own
// `batch`), one mask pattern per batch row (unless a case says otherwise: row 0 nothing masked, row 1 the last 2
// timesteps, row 2 the first 2, row 3 timesteps 1 and T-2, row 4 every timestep). Their inputs are drawn as the others',
// then the masked timesteps set to 0 in every feature, so that Masking(mask_value=0) masks exactly those (a kept
// timestep drawn all zeros would stop the script); a token input is integers 1 .. 6 from the same generator, 0 at its
// masked timesteps (Embedding(mask_zero=True) masks exactly those). tfjs's own Masking, Embedding, LSTM, GRU, SimpleRNN
// and Dense compute those layers, with the masks tfjs's executor passes them: a recurrent layer keeps its states at a
// masked step and repeats its previous output (zeros before the first kept step, as Keras with zero initial states),
// passes the mask on with return_sequences and ends it without; Dense computes every timestep and passes the mask on.
// tfjs 4.22 lacks or gets wrong the rest, worked around so:
//   * Merges: tfjs's Merge.computeMask (Add, Average) returns expandDims(mask[0], 0), shaped (1, B, T), for two inputs;
//     its Concatenate ANDs the masks. MaskedAdd, MaskedAverage and MaskedConcatenate, subclasses of tfjs's layers (same
//     values), check that every input has the same mask and pass that mask on, as Keras does for equal masks.
//   * GlobalAveragePooling1D with a mask (sum of the kept timesteps / their count; it ends the mask) is a custom layer.
//   * tfjs's executor passes a layer's call only its first input's mask (kwargs.mask), and keeps passing the last mask
//     it set to later layers whose inputs have none (stale). Every tfjs layer of these cases reads one input that
//     carries its mask, so it gets the right one; the attention layers do not read kwargs.mask: with maskSources, their
//     nodes also read the outputs of the Masking layers whose masks their query and value (and key) carry, and
//     recompute each mask from them as Masking does (a timestep is kept when any feature != 0); their output mask
//     (computeMask) is the query's, recomputed so and checked equal to the mask tfjs propagated to the query.
//   * Attention and AdditiveAttention with maskSources compute Keras's masked call (mask = [query_mask, value_mask]; the
//     key's mask is never read): scores -= 1e9 * (1 - value_mask) in float32, softmax, then the output rows of masked
//     query timesteps multiplied by 0.
//   * MultiHeadAttention with maskSources allows the pair (i, j) when query_mask[i], value_mask[j], key_mask[j] (and
//     j <= i with the causal mask), scores = where(allowed, scores, -1e9): a disallowed pair gets weight 0, a query row
//     with no allowed pair uniform weights 1 / Tv over every value timestep; the output is not masked and carries the
//     query's mask. Its node's inputs are [query, value, key, querySource, valueSource, keySource], each tensor once.
//   * tfjs's Embedding maps (B, T, 1) to (B, T, 1, dim): the token input 'tokens' (B, T, 1) goes through a Reshape
//     'tokens_reshape' (no weights) to (B, T) before the Embedding; the JSON input is (B, T, 1).
// The cases: mask_chain_to_chain, a Masking -> LSTM encoder read by three recurrent layers (an LSTM sequence into a
// Dense, a GRU's last output, a SimpleRNN sequence into a Dense); mask_embedding_merge, Embedding(mask_zero) -> LSTM ->
// GRU joined by Add and Concatenate into an LSTM, and by Average into a Dense; mask_attention, masked LSTM encoder and
// decoder joined by scaled dot Attention (concatenated with the decoder, masked-averaged, into a Dense) and by
// AdditiveAttention (into a Dense on every timestep); mask_mha, masked LSTM encoder and decoder joined by
// MultiHeadAttention into an LSTM that reads it with the decoder's mask, and causal self-attention over the decoder into
// a Dense. Details at each case.
//
// Before the file is written, every output of every case is compared with an independent float64 implementation of the
// Keras equations in this file (LSTM gates i, f, c, o; GRU reset_after=False gates z, r, h with the reset gate applied
// to h before the recurrent product; SimpleRNN; Dense; the merges and Concatenate; Attention and AdditiveAttention;
// Dot, with Keras 3's ops.normalize; MultiHeadAttention, written from its einsums with loops; for the mask cases,
// Masking and Embedding computing their masks from the inputs, Keras's masked recurrent loop, the masked average, the
// masked attention scores (a masked Attention score is fround(fround(score) - 1e9), as float32 computes it) and
// MultiHeadAttention's allowed pairs, the reference passing each mask on by Keras's rules); the largest |difference|
// must be below 1e-5. The encoders' state outputs ([output, state_h, state_c] for LSTM, [output, state_h] for GRU) of
// the seq2seq cases are checked the same way through a second model, so their order in tfjs is Keras's; so are the Dot
// layer's own output in the dot cases, the MultiHeadAttention layer's in the mha cases, the Average 'avg' of
// merge_of_merge, the Attention output of attention_over_merge, and in the mask cases the encoder 'enc', the
// Concatenate 'cat', both attention layers' outputs and both MultiHeadAttention layers' (these two through ONNX Runtime
// too, the masks given as a constant -1e9 adder per batch row; the crossCheck field lists mask_mha for its 'mha').
//
// Output: tests/RnnGen.Numerics.Tests/Golden/tfjs-graph-golden.json (format in README.md).
// Regenerate:  cd tests/golden && npm ci && node graphs.mjs   (deterministic: two runs give byte-identical files)

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv1a, mulberry32, toJson } from './golden-util.mjs';
import { onnxGraphModel, onnxInt64Tensor, onnxTensor } from './onnx-util.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
// GRAPHS_OUT, when set, replaces the output path (to try the script without touching the committed file).
const OUT = process.env.GRAPHS_OUT ? path.resolve(process.env.GRAPHS_OUT) : path.resolve(here, '..', 'RnnGen.Numerics.Tests', 'Golden', 'tfjs-graph-golden.json');

const TFJS_VERSION = '4.22.0';
const ORT_VERSION = '1.30.0';
const TOL = 1e-5; // largest |tfjs - reference| allowed
const B = 3; // batch of every case that does not give its own (the mask cases: MASK_BATCH)

const tf = require('@tensorflow/tfjs');
if (tf.version.tfjs !== TFJS_VERSION) throw new Error(`need @tensorflow/tfjs ${TFJS_VERSION}, found ${tf.version.tfjs}`);
await tf.setBackend('cpu');
await tf.ready();
if (tf.getBackend() !== 'cpu') throw new Error('tfjs cpu backend not active');
const ort = require('onnxruntime-node');
if (ort.env.versions.node !== ORT_VERSION) throw new Error(`need onnxruntime-node ${ORT_VERSION}, found ${ort.env.versions.node}`);
ort.env.logLevel = 'error';

// ---------------------------------------------------------------------------------------------------------------------
// Layers, every option explicit.
// ---------------------------------------------------------------------------------------------------------------------

const recurrentArgs = (units, name, o) => ({
  units,
  name,
  activation: 'tanh',
  useBias: true,
  returnSequences: o.returnSequences ?? false,
  returnState: o.returnState ?? false,
  goBackwards: false,
  stateful: false,
});
const lstm = (units, name, o = {}) => tf.layers.lstm({ ...recurrentArgs(units, name, o), recurrentActivation: 'sigmoid', unitForgetBias: false });
const gru = (units, name, o = {}) => tf.layers.gru({ ...recurrentArgs(units, name, o), recurrentActivation: 'sigmoid', resetAfter: false });
const simpleRnn = (units, name, o = {}) => tf.layers.simpleRNN(recurrentArgs(units, name, o));
const dense = (units, activation, name) => tf.layers.dense({ units, activation, useBias: true, name });

// Keras's Subtract, which tfjs-layers lacks, on tfjs's Merge base class (keras/src/layers/merging/subtract.py: exactly
// two inputs, inputs[0] - inputs[1]).
const Merge = Object.getPrototypeOf(tf.layers.add({}).constructor);
class Subtract extends Merge {
  static className = 'Subtract';
  mergeFunction(inputs) {
    if (inputs.length !== 2) throw new Error(`Subtract takes exactly 2 inputs, got ${inputs.length}`);
    return tf.tidy(() => tf.sub(inputs[0], inputs[1]));
  }
}
tf.serialization.registerClass(Subtract);

// Keras's Attention and AdditiveAttention, which tfjs-layers lacks, as custom layers on [query (B, Tq, d), value (B, Tv, dv)
// (, key (B, Tv, d))]; key defaults to value. No masks, no dropout, no causal mask. The output is (B, Tq, dv).
const Layer = tf.layers.Layer; // the base class of every tfjs layer (Merge's too)
// keras/src/layers/attention/attention.py: weights `scale` [] (use_scale) then `concat_score_weight` [] (score_mode
// 'concat'), both initialized to ones; scores = q . k^T (* scale) for 'dot', concat_score_weight * sum(tanh((scale *)
// (q + k)), -1) for 'concat'; output = softmax(scores, -1) . v.
//
// With maskSources (the mask cases), the layer computes Keras's masked call instead (call(inputs, mask=[query_mask,
// value_mask]); the key's mask is never read): scores -= 1e9 * (1 - value_mask) in float32, softmax, and the output
// rows of masked query timesteps multiplied by 0. tfjs's executor passes a layer's call only its first input's mask,
// so the masks are not taken from tfjs: the node's inputs are [query, value, querySource, valueSource], each source
// the output of the Masking layer whose mask the query or value carries, and each mask is recomputed from it as
// Masking computes it (a timestep is kept when any feature != 0). The output mask (computeMask) is the query's,
// recomputed the same way and checked equal to the mask tfjs propagated to the query.
class Attention extends Layer {
  static className = 'Attention';
  constructor(args) {
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? 'dot';
    if (!['dot', 'concat'].includes(this.scoreMode)) throw new Error(`Attention: score_mode ${this.scoreMode}`);
    this.scale = null;
    this.concatScoreWeight = null;
    this.maskSources = args.maskSources ?? false;
    if (this.maskSources) this.supportsMasking = true;
  }
  static checkInputs(shapes) {
    if (!Array.isArray(shapes[0]) || shapes.length < 2 || shapes.length > 3) throw new Error('attention takes [query, value] or [query, value, key]');
  }
  /** The attention inputs ([query, value(, key)], tensors or shapes) of the node's inputs, without the mask sources. */
  attentionInputs(list) {
    if (!this.maskSources) return list;
    if (list.length !== 4) throw new Error(`${this.name}: with maskSources, the inputs are [query, value, querySource, valueSource]`);
    return list.slice(0, 2);
  }
  build(inputShape) {
    inputShape = this.attentionInputs(inputShape);
    Attention.checkInputs(inputShape);
    if (this.useScale) this.scale = this.addWeight('scale', [], 'float32', tf.initializers.ones());
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], 'float32', tf.initializers.ones());
    this.built = true;
  }
  calculateScores(q, k) {
    if (this.scoreMode === 'dot') {
      const scores = tf.matMul(q, k, false, true); // (B, Tq, Tv)
      return this.scale ? tf.mul(scores, this.scale.read()) : scores;
    }
    const sum = tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1)); // (B, Tq, 1, d) + (B, 1, Tv, d)
    const arg = this.scale ? tf.mul(this.scale.read(), sum) : sum;
    return tf.mul(this.concatScoreWeight.read(), tf.sum(tf.tanh(arg), -1));
  }
  call(inputs) {
    return tf.tidy(() => {
      const list = this.attentionInputs(inputs);
      Attention.checkInputs(list.map((t) => t.shape));
      const [q, v] = list;
      const k = list.length > 2 ? list[2] : v;
      if (!this.maskSources) return tf.matMul(tf.softmax(this.calculateScores(q, k), -1), v);
      const [qMask, vMask] = inputs.slice(2).map((src) => tf.cast(maskingMask(src), 'float32')); // (B, Tq), (B, Tv)
      const scores = tf.sub(this.calculateScores(q, k), tf.mul(1e9, tf.sub(1, tf.expandDims(vMask, 1)))); // float32
      return tf.mul(tf.matMul(tf.softmax(scores, -1), v), tf.expandDims(qMask, -1));
    });
  }
  computeMask(inputs, mask) {
    if (!this.maskSources) return super.computeMask(inputs, mask);
    return checkedQueryMask(this, inputs[2], mask?.[0]);
  }
  computeOutputShape(inputShape) {
    return [...inputShape[0].slice(0, -1), inputShape[1][inputShape[1].length - 1]];
  }
  getConfig() {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode, ...(this.maskSources ? { maskSources: true } : {}) };
  }
}
tf.serialization.registerClass(Attention);

/** Keras's Masking(mask_value=0) mask of x (B, T, d): bool (B, T), true where any feature != 0. */
function maskingMask(x) {
  return tf.tidy(() => tf.any(tf.notEqual(x, 0), -1));
}

/**
 * The output mask of a masked attention layer: the query's mask recomputed from its Masking source, checked equal to
 * the mask tfjs's executor propagated to the query tensor (when it passed one; inside apply it passes none).
 */
function checkedQueryMask(layer, querySource, propagated) {
  const own = maskingMask(querySource);
  if (propagated != null) {
    const a = own.dataSync();
    const b = propagated.dataSync();
    if (own.shape.join() !== propagated.shape.join() || a.some((v, i) => v !== b[i])) throw new Error(`${layer.name}: the query's mask differs from its source's`);
  }
  return own;
}

// keras/src/layers/attention/additive_attention.py: weight `scale` [dim] (use_scale, default True; Keras initializes it
// glorot_uniform); scores = sum(scale * tanh(q + k), -1), scale 1 without use_scale; output as Attention.
class AdditiveAttention extends Attention {
  static className = 'AdditiveAttention';
  constructor(args) {
    // As in Keras, the subclass keeps Attention's score_mode 'dot', unused, and leaves it out of its config.
    super({ ...args, useScale: args.useScale ?? true, scoreMode: 'dot' });
  }
  build(inputShape) {
    inputShape = this.attentionInputs(inputShape);
    Attention.checkInputs(inputShape);
    const dim = inputShape[0][inputShape[0].length - 1];
    if (this.useScale) this.scale = this.addWeight('scale', [dim], 'float32', tf.initializers.ones());
    this.built = true;
  }
  calculateScores(q, k) {
    const t = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1))); // (B, Tq, Tv, d)
    return tf.sum(this.scale ? tf.mul(this.scale.read(), t) : t, -1);
  }
  getConfig() {
    const { scoreMode, ...config } = super.getConfig();
    return config;
  }
}
tf.serialization.registerClass(AdditiveAttention);

// keras/src/layers/attention/multi_head_attention.py at inference (no dropout), attention over the time axis
// (attention_axes None), without attention_mask or input masks, on [query (B, Tq, dq), value (B, Tv, dv)(, key (B, Tv,
// dk))], key defaulting to value. Keras's call takes use_causal_mask as a call argument; tfjs's symbolic apply cannot
// pass it, so here it is a constructor option (useCausalMask). The weights are Keras's, with Keras's shapes, in its
// get_weights() order: query kernel [dq, N, H], query bias [N, H], key kernel [dk, N, H], key bias [N, H], value kernel
// [dv, N, Hv], value bias [N, Hv], attention_output kernel [N, Hv, out], attention_output bias [out] (N num_heads, H
// key_dim, Hv value_dim, default key_dim; out output_shape, default dq); without use_bias the four kernels only.
// q = einsum('abc,cde->abde', query, Wq) + bq, k and v likewise; q = q * (1 / sqrt(H)) before the product, as Keras
// does; scores = einsum('aecd,abcd->acbe', k, q) (B, N, Tq, Tv); with the causal mask, -1e9 is added where j > i (Keras:
// row_index >= col_index of cumsums, then Softmax with a mask adds -1e9 to the masked logits); softmax over Tv;
// o = einsum('acbe,aecd->abcd', probs, v) (B, Tq, N, Hv); output = einsum('abcd,cde->abe', o, Wo) + bo (B, Tq, out).
// (Recent Keras versions compute the same at inference through ops.dot_product_attention, with the same scale.)
//
// With maskSources (the mask_mha case), the layer computes Keras's call with its inputs' masks (query_mask, value_mask,
// key_mask, read from the inputs in Keras; _compute_attention_mask): the pair (i, j) is allowed when query_mask[i] and
// value_mask[j] and key_mask[j] (and j <= i with the causal mask); scores = where(allowed, scores, -1e9) before the
// softmax, so a disallowed pair gets weight exactly 0 and a query row with no allowed pair uniform weights 1 / Tv over
// every value timestep (Keras 3's ops.dot_product_attention and masked Softmax use where(mask, logits, -1e9)). The
// output is not multiplied by any mask, and carries the query's mask. As for Attention, the masks are not taken from
// tfjs's executor: the node's inputs are [query, value, key, querySource, valueSource, keySource] (the key given
// explicitly), each source the output of the Masking layer whose mask that input carries, each mask recomputed from
// its source as Masking computes it, and the output mask checked equal to the one tfjs propagated to the query.
class MultiHeadAttention extends Layer {
  static className = 'MultiHeadAttention';
  constructor(args) {
    super(args);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    this.useBias = args.useBias ?? true;
    // Keras's output_shape (an int or a 1-tuple here); tfjs's Layer already has an outputShape getter.
    const shape = args.outputShape ?? null;
    this.projectedShape = shape === null ? null : Array.isArray(shape) ? shape : [shape];
    if (this.projectedShape && this.projectedShape.length !== 1) throw new Error('MultiHeadAttention: only a 1-D output_shape');
    this.useCausalMask = args.useCausalMask ?? false;
    if (!(this.numHeads > 0 && this.keyDim > 0 && this.valueDim > 0)) throw new Error('MultiHeadAttention: numHeads, keyDim, valueDim');
    this.inputOrder = null; // which of the node's inputs are query, value(, key); null: the inputs in that order
    this.maskSources = args.maskSources ?? false;
    if (this.maskSources) this.supportsMasking = true;
  }
  /** [query, value(, key)] (tensors or shapes) of the unpacked inputs, without the mask sources. */
  attentionInputs(list) {
    if (!this.maskSources) return list;
    if (list.length !== 6) throw new Error(`${this.name}: with maskSources, the inputs are [query, value, key, querySource, valueSource, keySource]`);
    return list.slice(0, 3);
  }
  // tfjs 4.22's predict executor (tfjs-layers engine/executor.js) counts each layer that reads a tensor once, but
  // decrements the count once per occurrence in a layer's input list: a tensor given twice to this layer
  // (self-attention, [encoder, encoder]) and read by another layer too (the Concatenate of mha_causal_no_bias) is
  // disposed before that layer runs, and predict fails. So the symbolic apply gives the node each distinct tensor once
  // and keeps which of query, value(, key) each one is; build and call map the node's inputs back. The computation is
  // unchanged.
  apply(inputs, kwargs) {
    if (Array.isArray(inputs) && inputs.every((t) => t instanceof tf.SymbolicTensor)) {
      Attention.checkInputs(this.attentionInputs(inputs).map((t) => t.shape));
      const distinct = [...new Set(inputs)];
      this.inputOrder = inputs.map((t) => distinct.indexOf(t));
      return super.apply(distinct.length === 1 ? distinct[0] : distinct, kwargs);
    }
    return super.apply(inputs, kwargs);
  }
  /** The node's inputs (tensors or shapes, as a list) as [query, value(, key)] (then the mask sources, with them). */
  unpack(list) {
    return this.inputOrder ? this.inputOrder.map((i) => list[i]) : list;
  }
  outputDim(queryShape) {
    return this.projectedShape ? this.projectedShape[0] : queryShape[queryShape.length - 1];
  }
  build(inputShape) {
    const all = this.unpack(Array.isArray(inputShape[0]) ? inputShape : [inputShape]);
    const shapes = this.attentionInputs(all);
    Attention.checkInputs(shapes);
    if (this.maskSources && all.slice(3).some((s, i) => s.length !== 3 || s[1] !== shapes[i][1])) throw new Error(`${this.name}: a mask source's timesteps differ from its input's`);
    const [qs, vs] = shapes;
    const ks = shapes[2] ?? vs;
    if (qs.length !== 3 || vs.length !== 3 || ks.length !== 3 || vs[1] !== ks[1]) throw new Error(`MultiHeadAttention on [${qs}], [${vs}], [${ks}]`);
    const N = this.numHeads;
    const kernel = (name, shape) => this.addWeight(name, shape, 'float32', tf.initializers.glorotUniform({}));
    const bias = (name, shape) => (this.useBias ? this.addWeight(name, shape, 'float32', tf.initializers.zeros()) : null);
    // In Keras's get_weights() order: each EinsumDense's kernel then bias.
    this.queryKernel = kernel('query/kernel', [qs[2], N, this.keyDim]);
    this.queryBias = bias('query/bias', [N, this.keyDim]);
    this.keyKernel = kernel('key/kernel', [ks[2], N, this.keyDim]);
    this.keyBias = bias('key/bias', [N, this.keyDim]);
    this.valueKernel = kernel('value/kernel', [vs[2], N, this.valueDim]);
    this.valueBias = bias('value/bias', [N, this.valueDim]);
    this.outputKernel = kernel('attention_output/kernel', [N, this.valueDim, this.outputDim(qs)]);
    this.outputBias = bias('attention_output/bias', [this.outputDim(qs)]);
    this.built = true;
  }
  /** einsum('abc,cde->abde', x, kernel) + bias, then heads first: (B, T, c) -> (B, N, T, e). */
  static project(x, kernel, bias) {
    const [Bx, T, c] = x.shape;
    const [, N, e] = kernel.shape;
    let y = tf.matMul(tf.reshape(x, [Bx * T, c]), tf.reshape(kernel, [c, N * e]));
    if (bias) y = tf.add(y, tf.reshape(bias, [N * e]));
    return tf.transpose(tf.reshape(y, [Bx, T, N, e]), [0, 2, 1, 3]);
  }
  call(inputs) {
    return tf.tidy(() => {
      const all = this.unpack(Array.isArray(inputs) ? inputs : [inputs]);
      const list = this.attentionInputs(all);
      Attention.checkInputs(list.map((t) => t.shape));
      const [query, value] = list;
      const key = list.length > 2 ? list[2] : value;
      const read = (w) => (w ? w.read() : null);
      const q = tf.mul(MultiHeadAttention.project(query, this.queryKernel.read(), read(this.queryBias)), 1 / Math.sqrt(this.keyDim));
      const k = MultiHeadAttention.project(key, this.keyKernel.read(), read(this.keyBias));
      const v = MultiHeadAttention.project(value, this.valueKernel.read(), read(this.valueBias));
      let scores = tf.matMul(q, k, false, true); // (B, N, Tq, Tv)
      const [Bq, N, Tq, Tv] = scores.shape;
      if (this.maskSources) {
        // allowed[b, i, j] = query_mask[b, i] * value_mask[b, j] * key_mask[b, j] (* (j <= i)), as (B, 1, Tq, Tv).
        const [qm, vm, km] = all.slice(3).map((src) => tf.cast(maskingMask(src), 'float32'));
        let allowed = tf.mul(tf.expandDims(qm, 2), tf.expandDims(tf.mul(vm, km), 1)); // (B, Tq, Tv)
        if (this.useCausalMask) allowed = tf.mul(allowed, tf.tensor2d(Array.from({ length: Tq * Tv }, (_, n) => (n % Tv <= Math.floor(n / Tv) ? 1 : 0)), [Tq, Tv]));
        const where = tf.broadcastTo(tf.expandDims(tf.cast(allowed, 'bool'), 1), scores.shape);
        scores = tf.where(where, scores, tf.fill(scores.shape, -1e9));
      } else if (this.useCausalMask) {
        // -1e9 where the key position j is after the query position i (Keras's mask is row_index >= col_index).
        const masked = tf.tensor2d(Array.from({ length: Tq * Tv }, (_, n) => (n % Tv > Math.floor(n / Tv) ? -1e9 : 0)), [Tq, Tv]);
        scores = tf.add(scores, masked);
      }
      const o = tf.matMul(tf.softmax(scores, -1), v); // (B, N, Tq, Hv)
      const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [Bq * Tq, N * this.valueDim]);
      const out = this.outputKernel.shape[2];
      let y = tf.matMul(merged, tf.reshape(this.outputKernel.read(), [N * this.valueDim, out]));
      if (this.outputBias) y = tf.add(y, this.outputBias.read());
      return tf.reshape(y, [Bq, Tq, out]);
    });
  }
  computeMask(inputs, mask) {
    if (!this.maskSources) return super.computeMask(inputs, mask);
    const all = this.unpack(Array.isArray(inputs) ? inputs : [inputs]);
    return checkedQueryMask(this, all[3], mask == null ? null : this.unpack(Array.isArray(mask) ? mask : [mask])[0]);
  }
  computeOutputShape(inputShape) {
    const [qs] = this.unpack(Array.isArray(inputShape[0]) ? inputShape : [inputShape]);
    return [...qs.slice(0, -1), this.outputDim(qs)];
  }
  getConfig() {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      useBias: this.useBias,
      outputShape: this.projectedShape,
      useCausalMask: this.useCausalMask,
      ...(this.maskSources ? { maskSources: true } : {}),
    };
  }
}
tf.serialization.registerClass(MultiHeadAttention);

// Classes whose weights are drawn in [0.5, 1.5) instead of [-0.5, 0.5): Keras initializes the attention scales to ones
// (AdditiveAttention: glorot_uniform), and a value away from 1 shows that the weight is applied.
const POSITIVE_WEIGHT_CLASSES = new Set(['Attention', 'AdditiveAttention']);

const MERGES = {
  add: { make: (name) => tf.layers.add({ name }), ref: (a, b) => a + b },
  subtract: { make: (name) => new Subtract({ name }), ref: (a, b) => a - b },
  multiply: { make: (name) => tf.layers.multiply({ name }), ref: (a, b) => a * b },
  average: { make: (name) => tf.layers.average({ name }), ref: (a, b) => (a + b) / 2 },
  maximum: { make: (name) => tf.layers.maximum({ name }), ref: (a, b) => Math.max(a, b) },
  minimum: { make: (name) => tf.layers.minimum({ name }), ref: (a, b) => Math.min(a, b) },
};

// Keras's Add, Average and Concatenate pass their inputs' mask on; every merge of the mask cases gets one mask on all
// of its inputs, so the output carries that mask. tfjs 4.22 gets this wrong: Merge.computeMask (Add, Average, ...)
// expands each mask to (1, B, T) and, with two inputs, returns the first one so (its loop ANDs mask[1 .. n-2]); and
// Concatenate.computeMask ANDs the masks (Keras 3 ORs them), the same for equal masks. These subclasses of tfjs's own
// layers (same computation) return the first mask instead, after checking that every input has the same mask.
function sameMaskMerge(make, className) {
  const Base = make({}).constructor;
  return class extends Base {
    static className = className;
    computeMask(inputs, mask) {
      if (mask == null || mask.every((m) => m == null)) return null;
      const first = mask[0]?.dataSync();
      for (const m of mask) {
        const data = m?.dataSync();
        if (!data || m.shape.join() !== mask[0].shape.join() || data.some((v, i) => v !== first[i])) throw new Error(`${this.name}: its inputs' masks differ`);
      }
      return mask[0];
    }
  };
}
const MaskedAdd = sameMaskMerge((a) => tf.layers.add(a), 'Add');
const MaskedAverage = sameMaskMerge((a) => tf.layers.average(a), 'Average');
const MaskedConcatenate = sameMaskMerge((a) => tf.layers.concatenate(a), 'Concatenate');

// Keras's GlobalAveragePooling1D with a mask (keras/src/layers/pooling/global_average_pooling1d.py): the sum of the
// kept timesteps divided by their count; it ends the mask. tfjs's averages every timestep. Its only input's mask is
// the one tfjs's executor passes to call (kwargs.mask, the mask of the layer's first input); it must be there.
class MaskedGlobalAveragePooling1D extends Layer {
  static className = 'GlobalAveragePooling1D';
  constructor(args) {
    super(args);
    this.supportsMasking = true;
  }
  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[2]];
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mask = kwargs?.mask;
      if (mask == null || mask.shape.join() !== x.shape.slice(0, 2).join()) throw new Error(`${this.name}: no mask of shape [${x.shape.slice(0, 2)}]`);
      const m = tf.expandDims(tf.cast(mask, 'float32'), -1);
      return tf.div(tf.sum(tf.mul(x, m), 1), tf.sum(m, 1));
    });
  }
  computeMask() {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Independent float64 reference of the Keras equations. Tensors are { shape, data } with row-major Float64Array data.
// ---------------------------------------------------------------------------------------------------------------------

const sigmoid = (v) => 1 / (1 + Math.exp(-v));
const ACT = { linear: (v) => v, relu: (v) => Math.max(v, 0), sigmoid, tanh: Math.tanh };

/**
 * One recurrent layer (Keras 3 equations, activation tanh, recurrent activation sigmoid). w: [kernel, recurrent_kernel,
 * bias] as flat arrays; x: [B, T, D]; init: null or the initial states ([h] or, for LSTM, [h, c]), each [B, U].
 * mask: null or [B][T] booleans (Keras's masked loop, keras/src/backend/tensorflow/rnn.py: at a masked step the states
 * are kept and the output is the previous step's output, zeros before the first kept step; the last output is the last
 * kept step's, zeros if every step is masked).
 * Returns { output, states }: output [B, T, U] with returnSequences, else [B, U]; states [h] or [h, c], each [B, U].
 */
function refRecurrent(kind, w, x, U, returnSequences, init = null, mask = null) {
  const [Bx, T, D] = x.shape;
  const G = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[kind];
  const GU = G * U;
  const [kernel, rec, bias] = w;
  const seq = new Float64Array(Bx * T * U);
  const lastOut = new Float64Array(Bx * U); // with a mask: the last kept step's output
  const lastH = new Float64Array(Bx * U);
  const lastC = new Float64Array(Bx * U);
  for (let b = 0; b < Bx; b++) {
    let h = new Float64Array(U);
    let c = new Float64Array(U);
    let out = new Float64Array(U); // the previous step's output (masked loop)
    if (init) {
      for (let j = 0; j < U; j++) h[j] = init[0].data[b * U + j];
      if (kind === 'LSTM') for (let j = 0; j < U; j++) c[j] = init[1].data[b * U + j];
    }
    for (let t = 0; t < T; t++) {
      if (mask && !mask[b][t]) {
        seq.set(out, (b * T + t) * U); // states kept, the previous output repeated
        continue;
      }
      const zx = new Float64Array(GU); // x . kernel + bias
      for (let j = 0; j < GU; j++) zx[j] = bias[j];
      for (let k = 0; k < D; k++) {
        const xv = x.data[(b * T + t) * D + k];
        for (let j = 0; j < GU; j++) zx[j] += xv * kernel[k * GU + j];
      }
      const nh = new Float64Array(U);
      if (kind === 'SimpleRNN') {
        // h = tanh(x.W + b + h.U)
        for (let j = 0; j < U; j++) {
          let s = zx[j];
          for (let m = 0; m < U; m++) s += h[m] * rec[m * U + j];
          nh[j] = Math.tanh(s);
        }
      } else if (kind === 'LSTM') {
        // z = x.W + h.U + b; i, f, o = sigmoid; c = f*c + i*tanh(z_c); h = o*tanh(c)
        const z = Float64Array.from(zx);
        for (let m = 0; m < U; m++) for (let j = 0; j < GU; j++) z[j] += h[m] * rec[m * GU + j];
        const nc = new Float64Array(U);
        for (let j = 0; j < U; j++) {
          const i = sigmoid(z[j]);
          const f = sigmoid(z[U + j]);
          const g = Math.tanh(z[2 * U + j]);
          const o = sigmoid(z[3 * U + j]);
          nc[j] = f * c[j] + i * g;
          nh[j] = o * Math.tanh(nc[j]);
        }
        c = nc;
      } else {
        // GRU reset_after=False: z, r = sigmoid(x.W + b + h.U); hh = tanh(x.W_h + b_h + (r*h).U_h); h = z*h + (1-z)*hh
        const z = new Float64Array(U);
        const r = new Float64Array(U);
        for (let j = 0; j < U; j++) {
          let sz = zx[j];
          let sr = zx[U + j];
          for (let m = 0; m < U; m++) {
            sz += h[m] * rec[m * GU + j];
            sr += h[m] * rec[m * GU + U + j];
          }
          z[j] = sigmoid(sz);
          r[j] = sigmoid(sr);
        }
        for (let j = 0; j < U; j++) {
          let s = zx[2 * U + j];
          for (let m = 0; m < U; m++) s += r[m] * h[m] * rec[m * GU + 2 * U + j];
          nh[j] = z[j] * h[j] + (1 - z[j]) * Math.tanh(s);
        }
      }
      h = nh;
      out = nh;
      seq.set(h, (b * T + t) * U);
    }
    if (mask && returnSequences === false) {
      lastOut.set(out, b * U);
    }
    lastH.set(h, b * U);
    lastC.set(c, b * U);
  }
  const hState = { shape: [Bx, U], data: lastH };
  return {
    output: returnSequences ? { shape: [Bx, T, U], data: seq } : mask ? { shape: [Bx, U], data: lastOut } : hState,
    states: kind === 'LSTM' ? [hState, { shape: [Bx, U], data: lastC }] : [hState],
  };
}

/** Dense on the last axis (at every timestep of a sequence): act(x.kernel + bias). */
function refDense(w, x, activation) {
  const [kernel, bias] = w;
  const D = x.shape[x.shape.length - 1];
  const U = bias.length;
  const rows = x.data.length / D;
  const y = new Float64Array(rows * U);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < U; j++) {
      let s = bias[j];
      for (let k = 0; k < D; k++) s += x.data[r * D + k] * kernel[k * U + j];
      y[r * U + j] = ACT[activation](s);
    }
  }
  return { shape: [...x.shape.slice(0, -1), U], data: y };
}

/** An element-wise merge of two tensors of one shape. */
function refMerge(kind, a, b) {
  if (a.shape.join() !== b.shape.join()) throw new Error(`merge of ${a.shape} and ${b.shape}`);
  return { shape: a.shape, data: a.data.map((v, i) => MERGES[kind].ref(v, b.data[i])) };
}

/** Concatenate on the last axis. */
function refConcat(parts) {
  const lead = parts[0].shape.slice(0, -1);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((s, w) => s + w, 0);
  const rows = parts[0].data.length / widths[0];
  const y = new Float64Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let o = 0;
    parts.forEach((p, i) => {
      for (let k = 0; k < widths[i]; k++) y[r * total + o + k] = p.data[r * widths[i] + k];
      o += widths[i];
    });
  }
  return { shape: [...lead, total], data: y };
}

/**
 * Keras's Masking(mask_value=0) on x [B, T, D]: a timestep is kept when any of its features != 0; the output is x times
 * the mask. Returns { output, mask }, mask [B][T] booleans.
 */
function refMasking(x) {
  const [Bx, T, D] = x.shape;
  const mask = Array.from({ length: Bx }, (_, b) => Array.from({ length: T }, (_, t) => x.data.slice((b * T + t) * D, (b * T + t + 1) * D).some((v) => v !== 0)));
  const output = Float64Array.from(x.data, (v, n) => (mask[Math.floor(n / (T * D))][Math.floor(n / D) % T] ? v : 0));
  return { output: { shape: x.shape, data: output }, mask };
}

/**
 * Keras's Embedding(mask_zero=True) on integer tokens [B, T, 1] (one token per timestep): row `token` of the weights
 * [input_dim, dim] at every timestep, and the mask token != 0. Returns { output [B, T, dim], mask [B][T] booleans }.
 */
function refEmbedding(w, tokens) {
  const [table] = w;
  const [Bx, T] = tokens.shape;
  const dim = table.length / EMBEDDING_INPUT_DIM;
  const output = new Float64Array(Bx * T * dim);
  for (let n = 0; n < Bx * T; n++) {
    const token = tokens.data[n];
    if (!(Number.isInteger(token) && token >= 0 && token < EMBEDDING_INPUT_DIM)) throw new Error(`embedding: token ${token}`);
    for (let k = 0; k < dim; k++) output[n * dim + k] = table[token * dim + k];
  }
  const mask = Array.from({ length: Bx }, (_, b) => Array.from({ length: T }, (_, t) => tokens.data[b * T + t] !== 0));
  return { output: { shape: [Bx, T, dim], data: output }, mask };
}

/** Keras's GlobalAveragePooling1D of x [B, T, D] with a mask: sum of the kept timesteps / their count, [B, D]. */
function refMaskedAverage(x, mask) {
  const [Bx, T, D] = x.shape;
  const y = new Float64Array(Bx * D);
  for (let b = 0; b < Bx; b++) {
    const kept = mask[b].filter(Boolean).length;
    if (kept === 0) throw new Error('masked average of a row with every timestep masked (0 / 0)');
    for (let k = 0; k < D; k++) {
      let s = 0;
      for (let t = 0; t < T; t++) if (mask[b][t]) s += x.data[(b * T + t) * D + k];
      y[b * D + k] = s / kept;
    }
  }
  return { shape: [Bx, D], data: y };
}

/**
 * Keras's Attention (kind 'Attention', o = { useScale, scoreMode }) or AdditiveAttention (kind 'AdditiveAttention',
 * o = { useScale }) on query q [B, Tq, d], value v [B, Tv, dv] and key k [B, Tv, d] (pass v again for no key). w: the
 * layer's weights (Attention: [scale] if useScale, then [concat_score_weight] if 'concat'; AdditiveAttention: [scale]
 * of length d if useScale). Returns softmax(scores) . v, [B, Tq, dv]. masks: null or { q: [B][Tq], v: [B][Tv] }
 * booleans, Keras's call(..., mask=[query_mask, value_mask]): the score of a masked value timestep j becomes
 * score - 1e9 in float32 (scores -= 1.0e9 * (1 - value_mask) on float32 tensors: fround(fround(score) - 1e9), exactly
 * -1e9 for |score| < 32, so a query row whose value timesteps are all masked gets uniform weights), and the output row
 * of a masked query timestep is multiplied by 0.
 */
function refAttention(kind, o, w, q, v, k, masks = null) {
  const [Bq, Tq, d] = q.shape;
  const [, Tv, dv] = v.shape;
  if (k.shape.join() !== [Bq, Tv, d].join() || v.shape[0] !== Bq) throw new Error(`attention on [${q.shape}], [${v.shape}], [${k.shape}]`);
  const weights = [...(w ?? [])];
  const scale = o.useScale ? weights.shift() : null;
  const concatScoreWeight = kind === 'Attention' && o.scoreMode === 'concat' ? weights.shift()[0] : null;
  if (weights.length !== 0) throw new Error(`${kind}: ${weights.length} weights too many`);
  const y = new Float64Array(Bq * Tq * dv);
  for (let b = 0; b < Bq; b++) {
    for (let i = 0; i < Tq; i++) {
      const scores = new Float64Array(Tv);
      for (let j = 0; j < Tv; j++) {
        let s = 0;
        for (let m = 0; m < d; m++) {
          const qm = q.data[(b * Tq + i) * d + m];
          const km = k.data[(b * Tv + j) * d + m];
          if (kind === 'AdditiveAttention') s += (scale ? scale[m] : 1) * Math.tanh(qm + km); // sum(scale * tanh(q + k))
          else if (o.scoreMode === 'dot') s += qm * km; // q . k
          else s += Math.tanh((scale ? scale[0] : 1) * (qm + km)); // sum(tanh(scale * (q + k)))
        }
        if (kind === 'Attention' && o.scoreMode === 'dot' && scale) s *= scale[0];
        if (concatScoreWeight !== null) s *= concatScoreWeight;
        if (masks && !masks.v[b][j]) s = Math.fround(Math.fround(s) - 1e9);
        scores[j] = s;
      }
      const top = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - top));
      const total = e.reduce((p, x) => p + x, 0);
      const keep = masks && !masks.q[b][i] ? 0 : 1;
      for (let n = 0; n < dv; n++) {
        let s = 0;
        for (let j = 0; j < Tv; j++) s += (e[j] / total) * v.data[(b * Tv + j) * dv + n];
        y[(b * Tq + i) * dv + n] = s * keep;
      }
    }
  }
  return { shape: [Bq, Tq, dv], data: y };
}

/**
 * Keras's MultiHeadAttention (o = { numHeads N, keyDim H, valueDim Hv (default H), useBias, outputShape (default dq),
 * useCausalMask }) on query q [B, Tq, dq], value v [B, Tv, dv] and key k [B, Tv, dk] (pass v again for no key), at
 * inference. w: [Wq [dq, N, H], bq [N, H], Wk [dk, N, H], bk [N, H], Wv [dv, N, Hv], bv [N, Hv], Wo [N, Hv, out],
 * bo [out]], the biases only with useBias. Straight from the einsums: qp[b, t, n, e] = sum_c q[b, t, c] Wq[c, n, e]
 * + bq[n, e] (kp, vp likewise), qp scaled by 1 / sqrt(H); s[b, n, i, j] = sum_e kp[b, j, n, e] qp[b, i, n, e], masked
 * out (weight 0) where j > i with useCausalMask; p = softmax over j; o[b, i, n, e] = sum_j p[b, n, i, j] vp[b, j, n, e];
 * y[b, i, u] = sum_n,e o[b, i, n, e] Wo[n, e, u] + bo[u]. Returns y [B, Tq, out]. masks: null or { q: [B][Tq],
 * v: [B][Tv], k: [B][Tv] } booleans (Keras's query_mask, value_mask, key_mask): the pair (i, j) is also masked out
 * unless q[i] and v[j] and k[j]; a query row with no pair left gets uniform weights 1 / Tv over every j.
 */
function refMultiHeadAttention(o, w, q, v, k, masks = null) {
  const [Bq, Tq, dq] = q.shape;
  const [, Tv, dv] = v.shape;
  const dk = k.shape[2];
  if (v.shape[0] !== Bq || k.shape[0] !== Bq || k.shape[1] !== Tv) throw new Error(`multi-head attention on [${q.shape}], [${v.shape}], [${k.shape}]`);
  const N = o.numHeads;
  const H = o.keyDim;
  const Hv = o.valueDim ?? H;
  const out = o.outputShape ?? dq;
  const weights = [...w];
  const take = (isBias, size) => {
    if (isBias && !o.useBias) return null;
    const a = weights.shift();
    if (!a || a.length !== size) throw new Error(`multi-head attention: weight of size ${a?.length}, expected ${size}`);
    return a;
  };
  const [Wq, bq, Wk, bk, Wv, bv, Wo, bo] = [
    take(false, dq * N * H), take(true, N * H), take(false, dk * N * H), take(true, N * H),
    take(false, dv * N * Hv), take(true, N * Hv), take(false, N * Hv * out), take(true, out),
  ];
  if (weights.length !== 0) throw new Error(`multi-head attention: ${weights.length} weights too many`);
  // x [B, T, c] . W [c, N, e] + b [N, e] -> [B, T, N, e] (flat, row-major).
  const project = (x, W, b, e) => {
    const [, T, c] = x.shape;
    const y = new Float64Array(Bq * T * N * e);
    for (let bt = 0; bt < Bq * T; bt++) {
      for (let n = 0; n < N; n++) {
        for (let m = 0; m < e; m++) {
          let s = b ? b[n * e + m] : 0;
          for (let i = 0; i < c; i++) s += x.data[bt * c + i] * W[(i * N + n) * e + m];
          y[(bt * N + n) * e + m] = s;
        }
      }
    }
    return y;
  };
  const qp = project(q, Wq, bq, H).map((x) => x * (1 / Math.sqrt(H)));
  const kp = project(k, Wk, bk, H);
  const vp = project(v, Wv, bv, Hv);
  const heads = new Float64Array(Bq * Tq * N * Hv); // o [B, Tq, N, Hv]
  for (let b = 0; b < Bq; b++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < Tq; i++) {
        const allowed = Array.from({ length: Tv }, (_, j) => (!o.useCausalMask || j <= i) && (!masks || (masks.q[b][i] && masks.v[b][j] && masks.k[b][j])));
        const scores = new Float64Array(Tv);
        for (let j = 0; j < Tv; j++) {
          let s = 0;
          for (let m = 0; m < H; m++) s += kp[((b * Tv + j) * N + n) * H + m] * qp[((b * Tq + i) * N + n) * H + m];
          scores[j] = s;
        }
        const none = !allowed.includes(true); // no pair left: uniform over every value timestep
        const top = none ? 0 : Math.max(...scores.filter((_, j) => allowed[j]));
        const e = scores.map((s, j) => (none ? 1 : allowed[j] ? Math.exp(s - top) : 0));
        const total = e.reduce((p, x) => p + x, 0);
        for (let m = 0; m < Hv; m++) {
          let s = 0;
          for (let j = 0; j < Tv; j++) s += (e[j] / total) * vp[((b * Tv + j) * N + n) * Hv + m];
          heads[((b * Tq + i) * N + n) * Hv + m] = s;
        }
      }
    }
  }
  const y = new Float64Array(Bq * Tq * out);
  for (let bi = 0; bi < Bq * Tq; bi++) {
    for (let u = 0; u < out; u++) {
      let s = bo ? bo[u] : 0;
      for (let n = 0; n < N; n++) for (let m = 0; m < Hv; m++) s += heads[(bi * N + n) * Hv + m] * Wo[(n * Hv + m) * out + u];
      y[bi * out + u] = s;
    }
  }
  return { shape: [Bq, Tq, out], data: y };
}

/** Row-major strides of a shape. */
const stridesOf = (shape) => shape.map((_, i) => shape.slice(i + 1).reduce((p, n) => p * n, 1));

/** Every multi-index of the given dimensions, in row-major order ([[]] for no dimension). */
function multiIndices(dims) {
  let all = [[]];
  for (const n of dims) all = all.flatMap((prefix) => Array.from({ length: n }, (_, i) => [...prefix, i]));
  return all;
}

// The smallest L2 norm allowed on a Dot normalize axis: tfjs's l2Normalize divides by sqrt(max(sum(x^2), 1e-7)), which
// differs from Keras 3's clamp (below) for norms under about 3.2e-4, so the cases stay well above that.
const DOT_MIN_NORM = 1e-3;

/**
 * Keras 3's ops.normalize(x, axis, order=2) (keras/src/ops/nn.py _normalize): x * minimum(rsqrt(sum(x^2, axis,
 * keepdims)), 1 / epsilon), epsilon 1e-7 (backend.epsilon()).
 */
function refL2Normalize(x, axis) {
  const strides = stridesOf(x.shape);
  const n = x.shape[axis];
  const rest = x.shape.map((d, i) => (i === axis ? 1 : d)); // every position with the axis index 0
  const y = new Float64Array(x.data.length);
  for (const idx of multiIndices(rest)) {
    const base = idx.reduce((p, v, i) => p + v * strides[i], 0);
    let squareSum = 0;
    for (let k = 0; k < n; k++) squareSum += x.data[base + k * strides[axis]] ** 2;
    if (!(Math.sqrt(squareSum) >= DOT_MIN_NORM)) throw new Error(`Dot normalize: norm ${Math.sqrt(squareSum)} below ${DOT_MIN_NORM}`);
    const invNorm = Math.min(1 / Math.sqrt(squareSum), 1 / 1e-7);
    for (let k = 0; k < n; k++) y[base + k * strides[axis]] = x.data[base + k * strides[axis]] * invNorm;
  }
  return { shape: x.shape, data: y };
}

/**
 * Keras 3's Dot(axes, normalize) (keras/src/layers/merging/dot.py) on x1 and x2 (any ranks >= 2, batch first): axes an
 * int (both inputs) or a pair, each taken modulo its input's rank (the batch axis is 0 and may not be a dot axis); with
 * normalize, each input is first L2-normalized along its own dot axis (refL2Normalize). Then batch_dot: out[b, i.., j..]
 * = sum_k x1[b, .. k ..] * x2[b, .. k ..], where i.. are x1's axes other than the batch and dot axes, and j.. x2's; the
 * output shape is [B, ...x1 free dims, ...x2 free dims], or [B, 1] when there are none.
 */
function refDot(x1, x2, axes, normalize) {
  const pair = Array.isArray(axes) ? axes : [axes, axes];
  const ax = [x1, x2].map((t, i) => ((pair[i] % t.shape.length) + t.shape.length) % t.shape.length);
  if (ax.includes(0)) throw new Error(`Dot over the batch axis: axes ${pair}`);
  if (x1.shape[0] !== x2.shape[0] || x1.shape[ax[0]] !== x2.shape[ax[1]]) throw new Error(`Dot of [${x1.shape}] and [${x2.shape}] on axes ${ax}`);
  const [a, b] = normalize ? [refL2Normalize(x1, ax[0]), refL2Normalize(x2, ax[1])] : [x1, x2];
  const K = a.shape[ax[0]];
  const freeAxes = (t, axis) => t.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
  const freeA = freeAxes(a, ax[0]);
  const freeB = freeAxes(b, ax[1]);
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  const Bn = a.shape[0];
  const freeDims = [...freeA.map((i) => a.shape[i]), ...freeB.map((i) => b.shape[i])];
  const shape = freeDims.length === 0 ? [Bn, 1] : [Bn, ...freeDims];
  const y = new Float64Array(shape.reduce((p, n) => p * n, 1));
  let o = 0; // row-major over (batch, x1's free indices, x2's free indices)
  for (let n = 0; n < Bn; n++) {
    for (const ia of multiIndices(freeA.map((i) => a.shape[i]))) {
      const baseA = n * sa[0] + ia.reduce((p, v, m) => p + v * sa[freeA[m]], 0);
      for (const ib of multiIndices(freeB.map((i) => b.shape[i]))) {
        const baseB = n * sb[0] + ib.reduce((p, v, m) => p + v * sb[freeB[m]], 0);
        let s = 0;
        for (let k = 0; k < K; k++) s += a.data[baseA + k * sa[ax[0]]] * b.data[baseB + k * sb[ax[1]]];
        y[o++] = s;
      }
    }
  }
  return { shape, data: y };
}

// ---------------------------------------------------------------------------------------------------------------------
// The cases. build() returns the model's inputs and outputs (symbolic), extra models to check in passing (probes), and
// the expected output names; reference(x, w) gets the inputs by name and the weights by layer name, and returns the
// outputs in model output order (and the probes' outputs).
// ---------------------------------------------------------------------------------------------------------------------

const cases = [];

cases.push({
  name: 'seq2seq',
  outputs: ['head'],
  build() {
    const encIn = tf.input({ shape: [6, 3], name: 'encoder_inputs' });
    const [encOut, h, c] = lstm(5, 'encoder', { returnState: true }).apply(encIn);
    const decIn = tf.input({ shape: [4, 2], name: 'decoder_inputs' });
    const dec = lstm(5, 'decoder', { returnSequences: true }).apply(decIn, { initialState: [h, c] });
    const head = dense(3, 'linear', 'head').apply(dec);
    // A probe of the encoder alone: tfjs's state outputs must be [output, state_h, state_c] as in Keras.
    const probe = tf.model({ inputs: encIn, outputs: [encOut, h, c] });
    return { inputs: [encIn, decIn], outputs: [head], probes: [{ model: probe, inputs: ['encoder_inputs'], what: 'encoder [output, h, c]' }] };
  },
  reference(x, w) {
    const enc = refRecurrent('LSTM', w.encoder, x.encoder_inputs, 5, false);
    const dec = refRecurrent('LSTM', w.decoder, x.decoder_inputs, 5, true, enc.states);
    return { outputs: [refDense(w.head, dec.output, 'linear')], probes: [[enc.output, ...enc.states]] };
  },
});

cases.push({
  name: 'seq2seq_gru',
  outputs: ['head'],
  build() {
    const encIn = tf.input({ shape: [6, 3], name: 'encoder_inputs' });
    const [encOut, h] = gru(5, 'encoder', { returnState: true }).apply(encIn);
    const decIn = tf.input({ shape: [4, 2], name: 'decoder_inputs' });
    const dec = gru(5, 'decoder', { returnSequences: true }).apply(decIn, { initialState: [h] });
    const head = dense(3, 'linear', 'head').apply(dec);
    const probe = tf.model({ inputs: encIn, outputs: [encOut, h] });
    return { inputs: [encIn, decIn], outputs: [head], probes: [{ model: probe, inputs: ['encoder_inputs'], what: 'encoder [output, h]' }] };
  },
  reference(x, w) {
    const enc = refRecurrent('GRU', w.encoder, x.encoder_inputs, 5, false);
    const dec = refRecurrent('GRU', w.decoder, x.decoder_inputs, 5, true, enc.states);
    return { outputs: [refDense(w.head, dec.output, 'linear')], probes: [[enc.output, ...enc.states]] };
  },
});

cases.push({
  name: 'two_branch_concat',
  outputs: ['out', 'aux'],
  build() {
    const a = tf.input({ shape: [5, 3], name: 'a' });
    const b = tf.input({ shape: [5, 2], name: 'b' });
    const ga = gru(4, 'gru_a').apply(a);
    const lb = lstm(6, 'lstm_b').apply(b);
    const cat = tf.layers.concatenate({ axis: -1, name: 'concat' }).apply([ga, lb]);
    const hidden = dense(3, 'relu', 'hidden').apply(cat);
    const out = dense(1, 'linear', 'out').apply(hidden);
    const aux = dense(2, 'linear', 'aux').apply(ga);
    return { inputs: [a, b], outputs: [out, aux] };
  },
  reference(x, w) {
    const ga = refRecurrent('GRU', w.gru_a, x.a, 4, false).output;
    const lb = refRecurrent('LSTM', w.lstm_b, x.b, 6, false).output;
    const hidden = refDense(w.hidden, refConcat([ga, lb]), 'relu');
    return { outputs: [refDense(w.out, hidden, 'linear'), refDense(w.aux, ga, 'linear')] };
  },
});

for (const kind of Object.keys(MERGES)) {
  cases.push({
    name: `merge_${kind}`,
    outputs: ['lstm_c'],
    build() {
      const a = tf.input({ shape: [4, 3], name: 'a' });
      const b = tf.input({ shape: [4, 3], name: 'b' });
      const ra = simpleRnn(4, 'rnn_a', { returnSequences: true }).apply(a);
      const gb = gru(4, 'gru_b', { returnSequences: true }).apply(b);
      const merged = MERGES[kind].make('merge').apply([ra, gb]);
      return { inputs: [a, b], outputs: [lstm(3, 'lstm_c').apply(merged)] };
    },
    reference(x, w) {
      const ra = refRecurrent('SimpleRNN', w.rnn_a, x.a, 4, true).output;
      const gb = refRecurrent('GRU', w.gru_b, x.b, 4, true).output;
      return { outputs: [refRecurrent('LSTM', w.lstm_c, refMerge(kind, ra, gb), 3, false).output] };
    },
  });
}

cases.push({
  name: 'shared_siamese',
  outputs: ['score'],
  build() {
    const left = tf.input({ shape: [5, 3], name: 'left' });
    const right = tf.input({ shape: [5, 3], name: 'right' });
    const shared = lstm(4, 'shared');
    const diff = new Subtract({ name: 'diff' }).apply([shared.apply(left), shared.apply(right)]);
    return { inputs: [left, right], outputs: [dense(1, 'sigmoid', 'score').apply(diff)] };
  },
  reference(x, w) {
    const l = refRecurrent('LSTM', w.shared, x.left, 4, false).output;
    const r = refRecurrent('LSTM', w.shared, x.right, 4, false).output;
    return { outputs: [refDense(w.score, refMerge('subtract', l, r), 'sigmoid')] };
  },
});

cases.push({
  name: 'one_input_two_branches',
  outputs: ['out'],
  build() {
    const x = tf.input({ shape: [5, 3], name: 'x' });
    const l1 = lstm(4, 'l1', { returnSequences: true }).apply(x);
    const g1 = gru(4, 'g1', { returnSequences: true }).apply(x);
    const cat = tf.layers.concatenate({ axis: -1, name: 'concat' }).apply([l1, g1]);
    const l2 = lstm(3, 'l2').apply(cat);
    return { inputs: [x], outputs: [dense(2, 'linear', 'out').apply(l2)] };
  },
  reference(x, w) {
    const l1 = refRecurrent('LSTM', w.l1, x.x, 4, true).output;
    const g1 = refRecurrent('GRU', w.g1, x.x, 4, true).output;
    const l2 = refRecurrent('LSTM', w.l2, refConcat([l1, g1]), 3, false).output;
    return { outputs: [refDense(w.out, l2, 'linear')] };
  },
});

// Encoder-decoder attention: an LSTM encoder over x [6, 3] gives the values (and keys), an LSTM decoder over y [5, 2]
// the queries; the attention output (B, 5, 4) feeds a Dense head, through a Concatenate with the decoder for the dot and
// additive cases.
const ATTENTION_CASES = [
  { name: 'attention_dot', kind: 'Attention', opts: { useScale: false, scoreMode: 'dot' }, key: false, concat: true },
  { name: 'attention_scaled_concat_key', kind: 'Attention', opts: { useScale: true, scoreMode: 'concat' }, key: true, concat: false },
  { name: 'additive_attention', kind: 'AdditiveAttention', opts: { useScale: true }, key: false, concat: true },
];
for (const a of ATTENTION_CASES) {
  cases.push({
    name: a.name,
    outputs: ['out'],
    build() {
      const x = tf.input({ shape: [6, 3], name: 'x' });
      const y = tf.input({ shape: [5, 2], name: 'y' });
      const encoder = lstm(4, 'encoder', { returnSequences: true }).apply(x);
      const decoder = lstm(4, 'decoder', { returnSequences: true }).apply(y);
      const attentionInputs = [decoder, encoder];
      if (a.key) attentionInputs.push(gru(4, 'keys', { returnSequences: true }).apply(x));
      const attention = a.kind === 'Attention' ? new Attention({ ...a.opts, name: 'attention' }) : new AdditiveAttention({ ...a.opts, name: 'attention' });
      let head = attention.apply(attentionInputs);
      if (a.concat) head = tf.layers.concatenate({ axis: -1, name: 'concat' }).apply([head, decoder]);
      return { inputs: [x, y], outputs: [dense(2, 'linear', 'out').apply(head)] };
    },
    reference(x, w) {
      const encoder = refRecurrent('LSTM', w.encoder, x.x, 4, true).output;
      const decoder = refRecurrent('LSTM', w.decoder, x.y, 4, true).output;
      const keys = a.key ? refRecurrent('GRU', w.keys, x.x, 4, true).output : encoder;
      let head = refAttention(a.kind, a.opts, w.attention, decoder, encoder, keys);
      if (a.concat) head = refConcat([head, decoder]);
      return { outputs: [refDense(w.out, head, 'linear')] };
    },
  });
}

// Keras's Dot merge on two recurrent branches. tfjs-layers' own Dot layer (tf.layers.dot) computes these cases as Keras
// does (its batchDot handles vectors, both sequence axes and a sequence with a vector); its normalize divides by
// sqrt(max(sum(x^2), 1e-7)) instead of Keras 3's clamp of rsqrt at 1e7, the same here since the reference requires every
// normalized norm to be at least DOT_MIN_NORM. Each case also checks the Dot output itself through a probe model.
const dotLayer = (name, axes, normalize = false) => tf.layers.dot({ axes, normalize, name });
const dotProbe = (inputs, dot, names) => ({ model: tf.model({ inputs, outputs: dot }), inputs: names, what: 'dot' });

// Two vectors, axes=1: (B, 4) . (B, 4) -> (B, 1).
cases.push({
  name: 'dot_vectors',
  outputs: ['head'],
  build() {
    const a = tf.input({ shape: [4, 3], name: 'a' });
    const b = tf.input({ shape: [5, 2], name: 'b' });
    const dot = dotLayer('dot', 1).apply([lstm(4, 'lstm_a').apply(a), gru(4, 'gru_b').apply(b)]);
    return { inputs: [a, b], outputs: [dense(2, 'linear', 'head').apply(dot)], probes: [dotProbe([a, b], dot, ['a', 'b'])] };
  },
  reference(x, w) {
    const la = refRecurrent('LSTM', w.lstm_a, x.a, 4, false).output;
    const gb = refRecurrent('GRU', w.gru_b, x.b, 4, false).output;
    const dot = refDot(la, gb, 1, false);
    return { outputs: [refDense(w.head, dot, 'linear')], probes: [[dot]] };
  },
});

// Cosine similarity of two vectors, axes=-1 with normalize: (B, 5) . (B, 5) -> (B, 1).
cases.push({
  name: 'dot_cosine',
  outputs: ['head'],
  build() {
    const a = tf.input({ shape: [4, 3], name: 'a' });
    const b = tf.input({ shape: [4, 3], name: 'b' });
    const dot = dotLayer('cosine', -1, true).apply([lstm(5, 'lstm_a').apply(a), lstm(5, 'lstm_b').apply(b)]);
    return { inputs: [a, b], outputs: [dense(1, 'sigmoid', 'head').apply(dot)], probes: [dotProbe([a, b], dot, ['a', 'b'])] };
  },
  reference(x, w) {
    const la = refRecurrent('LSTM', w.lstm_a, x.a, 5, false).output;
    const lb = refRecurrent('LSTM', w.lstm_b, x.b, 5, false).output;
    const dot = refDot(la, lb, -1, true);
    return { outputs: [refDense(w.head, dot, 'sigmoid')], probes: [[dot]] };
  },
});

// Two sequences on the feature axis, axes=2: (B, 4, 5) . (B, 6, 5) -> (B, 4, 6), a score per pair of timesteps.
cases.push({
  name: 'dot_sequences_last',
  outputs: ['lstm_out'],
  build() {
    const x = tf.input({ shape: [4, 3], name: 'x' });
    const y = tf.input({ shape: [6, 2], name: 'y' });
    const lx = lstm(5, 'lstm_x', { returnSequences: true }).apply(x);
    const gy = gru(5, 'gru_y', { returnSequences: true }).apply(y);
    const dot = dotLayer('scores', 2).apply([lx, gy]);
    return { inputs: [x, y], outputs: [lstm(3, 'lstm_out').apply(dot)], probes: [dotProbe([x, y], dot, ['x', 'y'])] };
  },
  reference(x, w) {
    const lx = refRecurrent('LSTM', w.lstm_x, x.x, 5, true).output;
    const gy = refRecurrent('GRU', w.gru_y, x.y, 5, true).output;
    const dot = refDot(lx, gy, 2, false);
    return { outputs: [refRecurrent('LSTM', w.lstm_out, dot, 3, false).output], probes: [[dot]] };
  },
});

// Two sequences on the time axis, axes=1: (B, 4, 5) . (B, 4, 3) -> (B, 5, 3), a Gram matrix of the features.
cases.push({
  name: 'dot_sequences_time',
  outputs: ['gru_out'],
  build() {
    const x = tf.input({ shape: [4, 3], name: 'x' });
    const y = tf.input({ shape: [4, 2], name: 'y' });
    const lx = lstm(5, 'lstm_x', { returnSequences: true }).apply(x);
    const ly = lstm(3, 'lstm_y', { returnSequences: true }).apply(y);
    const dot = dotLayer('gram', 1).apply([lx, ly]);
    return { inputs: [x, y], outputs: [gru(2, 'gru_out').apply(dot)], probes: [dotProbe([x, y], dot, ['x', 'y'])] };
  },
  reference(x, w) {
    const lx = refRecurrent('LSTM', w.lstm_x, x.x, 5, true).output;
    const ly = refRecurrent('LSTM', w.lstm_y, x.y, 3, true).output;
    const dot = refDot(lx, ly, 1, false);
    return { outputs: [refRecurrent('GRU', w.gru_out, dot, 2, false).output], probes: [[dot]] };
  },
});

// A sequence and a vector, axes=[2, 1]: (B, 4, 5) . (B, 5) -> (B, 4), a score per timestep.
cases.push({
  name: 'dot_sequence_vector',
  outputs: ['head'],
  build() {
    const x = tf.input({ shape: [4, 3], name: 'x' });
    const y = tf.input({ shape: [5, 2], name: 'y' });
    const lx = lstm(5, 'lstm_x', { returnSequences: true }).apply(x);
    const ly = lstm(5, 'lstm_y').apply(y);
    const dot = dotLayer('scores', [2, 1]).apply([lx, ly]);
    return { inputs: [x, y], outputs: [dense(2, 'linear', 'head').apply(dot)], probes: [dotProbe([x, y], dot, ['x', 'y'])] };
  },
  reference(x, w) {
    const lx = refRecurrent('LSTM', w.lstm_x, x.x, 5, true).output;
    const ly = refRecurrent('LSTM', w.lstm_y, x.y, 5, false).output;
    const dot = refDot(lx, ly, [2, 1], false);
    return { outputs: [refDense(w.head, dot, 'linear')], probes: [[dot]] };
  },
});

// Keras's MultiHeadAttention (the custom layer above) on recurrent sequences, the layer named 'mha'. Each case checks
// the layer's own output through a probe model, against the reference and against ONNX Runtime run on the tensors tfjs
// feeds the layer (a model of those tensors, each given once: self-attention passes one tensor as query and value).
const mhaLayer = (name, o) => new MultiHeadAttention({ ...o, name });
// (what: the probe's name, the layer's; masks: for the mask cases, the input names whose mask patterns are the query's,
// the value's and the key's masks, for ONNX Runtime.)
const mhaProbe = (inputs, names, layer, mhaInputs, mha, what = 'mha', masks = null) => {
  const distinct = [...new Set(mhaInputs)];
  return {
    model: tf.model({ inputs, outputs: mha }),
    inputs: names,
    what,
    ort: { layer, feeds: tf.model({ inputs, outputs: distinct }), order: mhaInputs.map((t) => distinct.indexOf(t)), masks },
  };
};

// Self-attention over an LSTM sequence: num_heads 2, key_dim 4, (B, 6, 8) -> (B, 6, 8), then a Dense on every timestep.
const MHA_SELF = { numHeads: 2, keyDim: 4, valueDim: 4, useBias: true, outputShape: null, useCausalMask: false };
cases.push({
  name: 'mha_self_attention',
  outputs: ['out'],
  build() {
    const x = tf.input({ shape: [6, 3], name: 'x' });
    const encoder = lstm(8, 'encoder', { returnSequences: true }).apply(x);
    const layer = mhaLayer('mha', MHA_SELF);
    const mha = layer.apply([encoder, encoder]);
    return { inputs: [x], outputs: [dense(2, 'linear', 'out').apply(mha)], probes: [mhaProbe([x], ['x'], layer, [encoder, encoder], mha)] };
  },
  reference(x, w) {
    const encoder = refRecurrent('LSTM', w.encoder, x.x, 8, true).output;
    const mha = refMultiHeadAttention(MHA_SELF, w.mha, encoder, encoder, encoder);
    return { outputs: [refDense(w.out, mha, 'linear')], probes: [[mha]] };
  },
});

// Cross-attention with a separate key and every dimension different: query an LSTM decoder over y (B, 5, 4), value an
// LSTM encoder over x (B, 6, 6), key a GRU over x (B, 6, 5); num_heads 3, key_dim 2, value_dim 3, output_shape 5.
const MHA_CROSS = { numHeads: 3, keyDim: 2, valueDim: 3, useBias: true, outputShape: 5, useCausalMask: false };
cases.push({
  name: 'mha_cross_key_value_dims',
  outputs: ['out'],
  build() {
    const x = tf.input({ shape: [6, 3], name: 'x' });
    const y = tf.input({ shape: [5, 2], name: 'y' });
    const decoder = lstm(4, 'decoder', { returnSequences: true }).apply(y);
    const encoder = lstm(6, 'encoder', { returnSequences: true }).apply(x);
    const keys = gru(5, 'keys', { returnSequences: true }).apply(x);
    const layer = mhaLayer('mha', MHA_CROSS);
    const mha = layer.apply([decoder, encoder, keys]);
    return { inputs: [x, y], outputs: [dense(2, 'linear', 'out').apply(mha)], probes: [mhaProbe([x, y], ['x', 'y'], layer, [decoder, encoder, keys], mha)] };
  },
  reference(x, w) {
    const decoder = refRecurrent('LSTM', w.decoder, x.y, 4, true).output;
    const encoder = refRecurrent('LSTM', w.encoder, x.x, 6, true).output;
    const keys = refRecurrent('GRU', w.keys, x.x, 5, true).output;
    const mha = refMultiHeadAttention(MHA_CROSS, w.mha, decoder, encoder, keys);
    return { outputs: [refDense(w.out, mha, 'linear')], probes: [[mha]] };
  },
});

// Causal self-attention without biases: one head, key_dim 3, use_bias False, use_causal_mask True (a constructor option
// here), (B, 5, 6) -> (B, 5, 6), concatenated with the LSTM sequence into a Dense.
const MHA_CAUSAL = { numHeads: 1, keyDim: 3, valueDim: 3, useBias: false, outputShape: null, useCausalMask: true };
cases.push({
  name: 'mha_causal_no_bias',
  outputs: ['out'],
  build() {
    const x = tf.input({ shape: [5, 3], name: 'x' });
    const encoder = lstm(6, 'encoder', { returnSequences: true }).apply(x);
    const layer = mhaLayer('mha', MHA_CAUSAL);
    const mha = layer.apply([encoder, encoder]);
    const cat = tf.layers.concatenate({ axis: -1, name: 'concat' }).apply([mha, encoder]);
    return { inputs: [x], outputs: [dense(1, 'linear', 'out').apply(cat)], probes: [mhaProbe([x], ['x'], layer, [encoder, encoder], mha)] };
  },
  reference(x, w) {
    const encoder = refRecurrent('LSTM', w.encoder, x.x, 6, true).output;
    const mha = refMultiHeadAttention(MHA_CAUSAL, w.mha, encoder, encoder, encoder);
    return { outputs: [refDense(w.out, refConcat([mha, encoder]), 'linear')], probes: [[mha]] };
  },
});

// A merge that reads another merge, three deep, all on one input a [5, 3]: Concatenate 'concat' [l1, g1] of an LSTM(3)
// and a GRU(2) sequence (B, 5, 5), Add 'sum' [concat, l2] with a SimpleRNN(5) sequence, then Average 'avg' [sum, l2],
// which reads l2 a second time; an LSTM over avg into a Dense. A probe checks avg itself.
cases.push({
  name: 'merge_of_merge',
  outputs: ['out'],
  build() {
    const a = tf.input({ shape: [5, 3], name: 'a' });
    const l1 = lstm(3, 'l1', { returnSequences: true }).apply(a);
    const g1 = gru(2, 'g1', { returnSequences: true }).apply(a);
    const cat = tf.layers.concatenate({ axis: -1, name: 'concat' }).apply([l1, g1]);
    const l2 = simpleRnn(5, 'l2', { returnSequences: true }).apply(a);
    const sum = MERGES.add.make('sum').apply([cat, l2]);
    const avg = MERGES.average.make('avg').apply([sum, l2]);
    const tail = lstm(3, 'tail').apply(avg);
    const probe = { model: tf.model({ inputs: a, outputs: avg }), inputs: ['a'], what: 'avg' };
    return { inputs: [a], outputs: [dense(2, 'linear', 'out').apply(tail)], probes: [probe] };
  },
  reference(x, w) {
    const l1 = refRecurrent('LSTM', w.l1, x.a, 3, true).output;
    const g1 = refRecurrent('GRU', w.g1, x.a, 2, true).output;
    const l2 = refRecurrent('SimpleRNN', w.l2, x.a, 5, true).output;
    const avg = refMerge('average', refMerge('add', refConcat([l1, g1]), l2), l2);
    const tail = refRecurrent('LSTM', w.tail, avg, 3, false).output;
    return { outputs: [refDense(w.out, tail, 'linear')], probes: [[avg]] };
  },
});

// Attention over a merge: the values (and keys) are Concatenate 'values' [enc_a, enc_b] of an LSTM(3) and a GRU(2)
// sequence over x [6, 3] (B, 6, 5); the queries an LSTM(5) decoder over y [5, 2]. Attention 'attention' (use_scale,
// 'dot') on [decoder, values] gives (B, 5, 5), concatenated with the decoder ('context', (B, 5, 10)) into a Dense on
// every timestep. A probe checks the attention output itself.
const ATTENTION_OVER_MERGE = { useScale: true, scoreMode: 'dot' };
cases.push({
  name: 'attention_over_merge',
  outputs: ['out'],
  build() {
    const x = tf.input({ shape: [6, 3], name: 'x' });
    const y = tf.input({ shape: [5, 2], name: 'y' });
    const encA = lstm(3, 'enc_a', { returnSequences: true }).apply(x);
    const encB = gru(2, 'enc_b', { returnSequences: true }).apply(x);
    const values = tf.layers.concatenate({ axis: -1, name: 'values' }).apply([encA, encB]);
    const decoder = lstm(5, 'decoder', { returnSequences: true }).apply(y);
    const attention = new Attention({ ...ATTENTION_OVER_MERGE, name: 'attention' }).apply([decoder, values]);
    const context = tf.layers.concatenate({ axis: -1, name: 'context' }).apply([attention, decoder]);
    const probe = { model: tf.model({ inputs: [x, y], outputs: attention }), inputs: ['x', 'y'], what: 'attention' };
    return { inputs: [x, y], outputs: [dense(2, 'linear', 'out').apply(context)], probes: [probe] };
  },
  reference(x, w) {
    const encA = refRecurrent('LSTM', w.enc_a, x.x, 3, true).output;
    const encB = refRecurrent('GRU', w.enc_b, x.x, 2, true).output;
    const values = refConcat([encA, encB]);
    const decoder = refRecurrent('LSTM', w.decoder, x.y, 5, true).output;
    const attention = refAttention('Attention', ATTENTION_OVER_MERGE, w.attention, decoder, values, values);
    return { outputs: [refDense(w.out, refConcat([attention, decoder]), 'linear')], probes: [[attention]] };
  },
});

// ---------------------------------------------------------------------------------------------------------------------
// Masks passed between the layers of a functional model (Keras 3 semantics). Batch 5, one mask pattern per row; the
// inputs' masked timesteps are exactly 0 in every feature (Masking(mask_value=0) masks exactly them) and the token
// inputs' are token 0 (Embedding(mask_zero=True)). Every layer that is tfjs's own (Masking, Embedding, LSTM, GRU,
// SimpleRNN, Dense) gets its mask from tfjs's executor; the merges, the pooling and the attention layers are the mask-
// aware custom layers above. The reference propagates the masks itself: Masking or Embedding makes one, a recurrent
// layer with return_sequences and a Dense pass it on, a recurrent layer without return_sequences and the pooling end
// it, a merge of equal masks and an attention layer pass on its (first input's, query's) mask.
// ---------------------------------------------------------------------------------------------------------------------

const MASK_BATCH = 5;
const EMBEDDING_INPUT_DIM = 7; // tokens 1 .. 6, 0 the padding
/** Row patterns over T timesteps (true: kept) from the masked timesteps of each row. */
const maskRows = (T, maskedPerRow) => maskedPerRow.map((masked) => Array.from({ length: T }, (_, t) => !masked.includes(t)));
/** Rows 0 .. 4: none masked, the last 2 (padding at the end), the first 2, timesteps 1 and T-2, every timestep. */
const defaultMasked = (T) => [[], [T - 2, T - 1], [0, 1], [1, T - 2], Array.from({ length: T }, (_, t) => t)];
const masking = (name) => tf.layers.masking({ maskValue: 0, name });

// Masking -> LSTM encoder, whose masked sequence three recurrent layers read: an LSTM sequence into a Dense, a GRU's
// last output, a SimpleRNN sequence into a Dense. A probe checks the encoder's sequence.
const CHAIN_ROWS = maskRows(6, defaultMasked(6));
cases.push({
  name: 'mask_chain_to_chain',
  batch: MASK_BATCH,
  masks: { x: CHAIN_ROWS },
  outputs: ['head', 'last', 'rnn_head'],
  build() {
    const x = tf.input({ shape: [6, 3], name: 'x' });
    const enc = lstm(4, 'enc', { returnSequences: true }).apply(masking('masking').apply(x));
    const head = dense(2, 'linear', 'head').apply(lstm(3, 'dec', { returnSequences: true }).apply(enc));
    const last = gru(3, 'last').apply(enc);
    const rnnHead = dense(1, 'linear', 'rnn_head').apply(simpleRnn(2, 'rnn', { returnSequences: true }).apply(enc));
    const probe = { model: tf.model({ inputs: x, outputs: enc }), inputs: ['x'], what: 'enc' };
    return { inputs: [x], outputs: [head, last, rnnHead], probes: [probe] };
  },
  reference(x, w) {
    const m = refMasking(x.x);
    const enc = refRecurrent('LSTM', w.enc, m.output, 4, true, null, m.mask).output;
    const dec = refRecurrent('LSTM', w.dec, enc, 3, true, null, m.mask).output;
    const last = refRecurrent('GRU', w.last, enc, 3, false, null, m.mask).output;
    const rnn = refRecurrent('SimpleRNN', w.rnn, enc, 2, true, null, m.mask).output;
    return { outputs: [refDense(w.head, dec, 'linear'), last, refDense(w.rnn_head, rnn, 'linear')], probes: [[enc]] };
  },
});

// Embedding(mask_zero) -> LSTM 'lstm_a' -> GRU 'lstm_b'; Add 'sum' [lstm_a, lstm_b], Concatenate 'cat' [sum, lstm_a]
// into an LSTM's last output; Average 'avg' [lstm_a, lstm_b] into a Dense on every timestep. tfjs's Embedding maps
// (B, T, 1) to (B, T, 1, dim), so the input 'tokens' (B, 5, 1) goes through a Reshape 'tokens_reshape' to (B, 5) first
// (no weights; the JSON input is (B, 5, 1)). Row 4 masks timesteps 0 and 4. A probe checks 'cat'.
const EMBEDDING_ROWS = maskRows(5, [[], [3, 4], [0, 1], [1, 3], [0, 4]]);
cases.push({
  name: 'mask_embedding_merge',
  batch: MASK_BATCH,
  masks: { tokens: EMBEDDING_ROWS },
  tokens: ['tokens'],
  outputs: ['out', 'avg_head'],
  build() {
    const tokens = tf.input({ shape: [5, 1], name: 'tokens' });
    const flat = tf.layers.reshape({ targetShape: [5], name: 'tokens_reshape' }).apply(tokens);
    const embedded = tf.layers.embedding({ inputDim: EMBEDDING_INPUT_DIM, outputDim: 4, maskZero: true, name: 'embedding' }).apply(flat);
    const a = lstm(3, 'lstm_a', { returnSequences: true }).apply(embedded);
    const b = gru(3, 'lstm_b', { returnSequences: true }).apply(a);
    const sum = new MaskedAdd({ name: 'sum' }).apply([a, b]);
    const cat = new MaskedConcatenate({ axis: -1, name: 'cat' }).apply([sum, a]);
    const out = lstm(2, 'out').apply(cat);
    const avgHead = dense(2, 'linear', 'avg_head').apply(new MaskedAverage({ name: 'avg' }).apply([a, b]));
    const probe = { model: tf.model({ inputs: tokens, outputs: cat }), inputs: ['tokens'], what: 'cat' };
    return { inputs: [tokens], outputs: [out, avgHead], probes: [probe] };
  },
  reference(x, w) {
    const e = refEmbedding(w.embedding, x.tokens);
    const a = refRecurrent('LSTM', w.lstm_a, e.output, 3, true, null, e.mask).output;
    const b = refRecurrent('GRU', w.lstm_b, a, 3, true, null, e.mask).output;
    const cat = refConcat([refMerge('add', a, b), a]);
    const out = refRecurrent('LSTM', w.out, cat, 2, false, null, e.mask).output; // sum, cat: lstm_a's (= lstm_b's) mask
    return { outputs: [out, refDense(w.avg_head, refMerge('average', a, b), 'linear')], probes: [[cat]] };
  },
});

// The masked encoder and decoder of mask_attention and mask_mha: Masking 'enc_masking' -> LSTM(4) 'encoder' over x
// [6, 3], Masking 'dec_masking' -> LSTM(4) 'decoder' over y [5, 2], both return_sequences; and their reference.
function maskedEncoderDecoder() {
  const x = tf.input({ shape: [6, 3], name: 'x' });
  const y = tf.input({ shape: [5, 2], name: 'y' });
  const xm = masking('enc_masking').apply(x);
  const ym = masking('dec_masking').apply(y);
  const encoder = lstm(4, 'encoder', { returnSequences: true }).apply(xm);
  const decoder = lstm(4, 'decoder', { returnSequences: true }).apply(ym);
  return { x, y, xm, ym, encoder, decoder };
}

function refMaskedEncoderDecoder(x, w) {
  const xm = refMasking(x.x);
  const ym = refMasking(x.y);
  const encoder = refRecurrent('LSTM', w.encoder, xm.output, 4, true, null, xm.mask).output;
  const decoder = refRecurrent('LSTM', w.decoder, ym.output, 4, true, null, ym.mask).output;
  return { xm, ym, encoder, decoder };
}

// Masked encoder x and decoder y, joined by Attention (scaled dot) and AdditiveAttention, each with mask =
// [decoder's mask, encoder's mask] (each attention layer's node also reads the two Masking outputs, its mask sources).
// The Attention output, concatenated with the decoder ('context', mask the decoder's), is averaged over its kept
// timesteps ('pool') into a Dense; the AdditiveAttention output feeds a Dense on every timestep (at a masked query
// timestep the attention output is 0, so the Dense gives its bias). Probes check both attention outputs.
const ATTENTION_X_ROWS = maskRows(6, defaultMasked(6));
const ATTENTION_Y_ROWS = maskRows(5, [[], [3, 4], [0], [1, 3], [2, 3, 4]]);
const MASK_ATTENTION = { useScale: true, scoreMode: 'dot' };
cases.push({
  name: 'mask_attention',
  batch: MASK_BATCH,
  masks: { x: ATTENTION_X_ROWS, y: ATTENTION_Y_ROWS },
  outputs: ['out', 'additive_head'],
  build() {
    const { x, y, xm, ym, encoder, decoder } = maskedEncoderDecoder();
    const attention = new Attention({ ...MASK_ATTENTION, maskSources: true, name: 'attention' }).apply([decoder, encoder, ym, xm]);
    const context = new MaskedConcatenate({ axis: -1, name: 'context' }).apply([attention, decoder]);
    const out = dense(2, 'linear', 'out').apply(new MaskedGlobalAveragePooling1D({ name: 'pool' }).apply(context));
    const additive = new AdditiveAttention({ useScale: true, maskSources: true, name: 'additive' }).apply([decoder, encoder, ym, xm]);
    const additiveHead = dense(3, 'linear', 'additive_head').apply(additive);
    const probes = [
      { model: tf.model({ inputs: [x, y], outputs: attention }), inputs: ['x', 'y'], what: 'attention' },
      { model: tf.model({ inputs: [x, y], outputs: additive }), inputs: ['x', 'y'], what: 'additive' },
    ];
    return { inputs: [x, y], outputs: [out, additiveHead], probes };
  },
  reference(x, w) {
    const { xm, ym, encoder, decoder } = refMaskedEncoderDecoder(x, w);
    const masks = { q: ym.mask, v: xm.mask };
    const attention = refAttention('Attention', MASK_ATTENTION, w.attention, decoder, encoder, encoder, masks);
    const pooled = refMaskedAverage(refConcat([attention, decoder]), ym.mask); // context: the decoder's mask
    const additive = refAttention('AdditiveAttention', { useScale: true }, w.additive, decoder, encoder, encoder, masks);
    return { outputs: [refDense(w.out, pooled, 'linear'), refDense(w.additive_head, additive, 'linear')], probes: [[attention], [additive]] };
  },
});

// Masked encoder x and decoder y joined by MultiHeadAttention 'mha' (query decoder, value = key encoder), whose output
// (carrying the decoder's mask) an LSTM reads; and causal self-attention 'self_mha' over the decoder into a Dense on
// every timestep, masked query rows included (uniform weights over all 5 timesteps). y's row 4 is all masked. Probes
// check both layers' outputs, against the reference and ONNX Runtime (the masks as a constant -1e9 adder per row).
const MHA_X_ROWS = maskRows(6, defaultMasked(6));
const MHA_Y_ROWS = maskRows(5, [[], [3, 4], [0, 1], [2], [0, 1, 2, 3, 4]]);
const MASK_MHA = { numHeads: 2, keyDim: 3, valueDim: 3, useBias: true, outputShape: null, useCausalMask: false };
const MASK_SELF_MHA = { numHeads: 1, keyDim: 2, valueDim: 2, useBias: true, outputShape: null, useCausalMask: true };
cases.push({
  name: 'mask_mha',
  batch: MASK_BATCH,
  masks: { x: MHA_X_ROWS, y: MHA_Y_ROWS },
  outputs: ['out', 'self_head'],
  build() {
    const { x, y, xm, ym, encoder, decoder } = maskedEncoderDecoder();
    const cross = mhaLayer('mha', { ...MASK_MHA, maskSources: true });
    const crossInputs = [decoder, encoder, encoder, ym, xm, xm];
    const mha = cross.apply(crossInputs);
    const out = lstm(3, 'out').apply(mha);
    const self = mhaLayer('self_mha', { ...MASK_SELF_MHA, maskSources: true });
    const selfInputs = [decoder, decoder, decoder, ym, ym, ym];
    const selfMha = self.apply(selfInputs);
    const selfHead = dense(2, 'linear', 'self_head').apply(selfMha);
    const probes = [
      mhaProbe([x, y], ['x', 'y'], cross, crossInputs, mha, 'mha', ['y', 'x', 'x']),
      mhaProbe([x, y], ['x', 'y'], self, selfInputs, selfMha, 'self_mha', ['y', 'y', 'y']),
    ];
    return { inputs: [x, y], outputs: [out, selfHead], probes };
  },
  reference(x, w) {
    const { xm, ym, encoder, decoder } = refMaskedEncoderDecoder(x, w);
    const mha = refMultiHeadAttention(MASK_MHA, w.mha, decoder, encoder, encoder, { q: ym.mask, v: xm.mask, k: xm.mask });
    const out = refRecurrent('LSTM', w.out, mha, 3, false, null, ym.mask).output;
    const selfMha = refMultiHeadAttention(MASK_SELF_MHA, w.self_mha, decoder, decoder, decoder, { q: ym.mask, v: ym.mask, k: ym.mask });
    return { outputs: [out, refDense(w.self_head, selfMha, 'linear')], probes: [[mha], [selfMha]] };
  },
});

// ---------------------------------------------------------------------------------------------------------------------
// A second engine for MultiHeadAttention: ONNX Runtime (onnxruntime-node, CPU, single-threaded) on a graph of standard
// ONNX ops built from the same weights (onnx-util.mjs), run on the tensors that tfjs feeds the layer.
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The MultiHeadAttention layer `layer` (its config) with weights w (flat Float32Arrays, Keras order) on query q, value v
 * and key k ({ shape, data }), through ONNX Runtime: each projection is MatMul(x, Reshape(W, [c, N*e])) + Reshape(b,
 * [N*e]), Reshape [B, T, N, e] and Transpose to heads first (the key straight to [B, N, H, Tv]); Mul by 1/sqrt(H);
 * MatMul; a constant -1e9 above the diagonal added for the causal mask; Softmax(axis -1); MatMul with the values;
 * Transpose back, Reshape [B, Tq, N*Hv], MatMul(Reshape(Wo, [N*Hv, out])) + bo. Returns { shape, data } [B, Tq, out].
 * masks: null or [query, value, key] masks ([B][T] booleans); then one constant [B, 1, Tq, Tv] is added to the scores
 * instead of the causal one: -1e9 where the pair (i, j) is not allowed (query_mask[i], value_mask[j], key_mask[j] and,
 * causal, j <= i), 0 elsewhere. In float32, score - 1e9 is exactly -1e9 for |score| < 32, so a row with no allowed
 * pair gets uniform weights, as Keras's where(mask, scores, -1e9).
 */
async function ortMultiHeadAttention(layer, w, q, v, k, masks = null) {
  const [Bq, Tq, dq] = q.shape;
  const [, Tv, dv] = v.shape;
  const dk = k.shape[2];
  const N = layer.numHeads;
  const H = layer.keyDim;
  const Hv = layer.valueDim;
  const out = layer.outputDim(q.shape);
  const weights = [...w];
  const nodes = [];
  const initializers = [];
  const node = (opType, inputs, output, attrs = {}) => {
    nodes.push({ opType, inputs, outputs: [output], attrs });
    return output;
  };
  const constant = (name, dims, data) => {
    initializers.push(onnxTensor(name, dims, Float32Array.from(data)));
    return name;
  };
  const reshape = (x, name, dims) => {
    initializers.push(onnxInt64Tensor(`${name}_shape`, [dims.length], dims));
    return node('Reshape', [x, `${name}_shape`], name);
  };
  // x [B, T, c] -> MatMul + bias -> [B, T, N, e] -> Transpose(perm).
  const project = (x, prefix, c, T, e, perm) => {
    const kernel = reshape(constant(`${prefix}_kernel`, [c, N, e], weights.shift()), `${prefix}_kernel_2d`, [c, N * e]);
    let y = node('MatMul', [x, kernel], `${prefix}_matmul`);
    if (layer.useBias) y = node('Add', [y, reshape(constant(`${prefix}_bias`, [N, e], weights.shift()), `${prefix}_bias_1d`, [N * e])], `${prefix}_biased`);
    return node('Transpose', [reshape(y, `${prefix}_heads`, [Bq, T, N, e])], `${prefix}_transposed`, { perm: { ints: perm } });
  };
  const qh = project('query', 'query', dq, Tq, H, [0, 2, 1, 3]); // [B, N, Tq, H]
  const kh = project('key', 'key', dk, Tv, H, [0, 2, 3, 1]); // [B, N, H, Tv]
  const vh = project('value', 'value', dv, Tv, Hv, [0, 2, 1, 3]); // [B, N, Tv, Hv]
  const qs = node('Mul', [qh, constant('inv_sqrt_key_dim', [], [1 / Math.sqrt(H)])], 'query_scaled');
  let scores = node('MatMul', [qs, kh], 'scores'); // [B, N, Tq, Tv]
  if (masks) {
    const [qm, vm, km] = masks;
    const adder = Array.from({ length: Bq * Tq * Tv }, (_, n) => {
      const [b, i, j] = [Math.floor(n / (Tq * Tv)), Math.floor(n / Tv) % Tq, n % Tv];
      return qm[b][i] && vm[b][j] && km[b][j] && (!layer.useCausalMask || j <= i) ? 0 : -1e9;
    });
    scores = node('Add', [scores, constant('attention_mask', [Bq, 1, Tq, Tv], adder)], 'scores_masked');
  } else if (layer.useCausalMask) {
    const mask = Array.from({ length: Tq * Tv }, (_, n) => (n % Tv > Math.floor(n / Tv) ? -1e9 : 0));
    scores = node('Add', [scores, constant('causal_mask', [Tq, Tv], mask)], 'scores_masked');
  }
  const probs = node('Softmax', [scores], 'probs', { axis: -1 });
  const heads = node('Transpose', [node('MatMul', [probs, vh], 'heads')], 'heads_transposed', { perm: { ints: [0, 2, 1, 3] } }); // [B, Tq, N, Hv]
  const kernel = reshape(constant('output_kernel', [N, Hv, out], weights.shift()), 'output_kernel_2d', [N * Hv, out]);
  let y = node('MatMul', [reshape(heads, 'heads_merged', [Bq, Tq, N * Hv]), kernel], 'output_matmul');
  if (layer.useBias) y = node('Add', [y, constant('output_bias', [out], weights.shift())], 'output');
  if (weights.length !== 0) throw new Error(`onnxruntime multi-head attention: ${weights.length} weights too many`);
  const bytes = onnxGraphModel({
    nodes,
    initializers,
    graphInputs: [['query', q.shape], ['value', v.shape], ['key', k.shape]],
    graphOutputs: [[y, [Bq, Tq, out]]],
  });
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feed = (t) => new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  const result = await session.run({ query: feed(q), value: feed(v), key: feed(k) });
  await session.release();
  return { shape: result[y].dims.slice(), data: result[y].data };
}

// ---------------------------------------------------------------------------------------------------------------------
// Running a case.
// ---------------------------------------------------------------------------------------------------------------------

/** Largest |tfjs - reference| over one output; throws on a shape mismatch or a non-finite value. */
function maxDiff(what, got, ref) {
  if (got.shape.join() !== ref.shape.join()) throw new Error(`${what}: tfjs shape [${got.shape}], reference [${ref.shape}]`);
  let worst = 0;
  for (let i = 0; i < ref.data.length; i++) {
    const d = Math.abs(got.data[i] - ref.data[i]);
    if (!Number.isFinite(got.data[i]) || Number.isNaN(d)) throw new Error(`${what}: non-finite value at ${i}`);
    worst = Math.max(worst, d);
  }
  return worst;
}

const crossChecked = []; // names of the cases whose probes ran through ONNX Runtime too

async function runCase(spec) {
  const { name } = spec;
  const rng = mulberry32(fnv1a(name));
  const uniform = (n, scale) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  const built = spec.build();
  const model = tf.model({ inputs: built.inputs, outputs: built.outputs, name });

  // Weights: every layer that has some, once (a shared layer is one entry of model.layers), in model.layers order.
  const layers = [];
  for (const layer of model.layers) {
    const current = layer.getWeights();
    if (current.length === 0) continue;
    if (layers.some((l) => l.name === layer.name)) throw new Error(`${name}: two layers named ${layer.name}`);
    // The attention layers' scales in [0.5, 1.5): 1 + [-0.5, 0.5), rounded to float32 (checked to stay below 1.5).
    const positive = POSITIVE_WEIGHT_CLASSES.has(layer.getClassName());
    const draw = (n) => (positive ? Float32Array.from({ length: n }, () => 1 + (rng() * 2 - 1) * 0.5) : uniform(n, 0.5));
    const weights = current.map((t) => ({ shape: t.shape, data: draw(t.size) }));
    if (positive && weights.some((w) => w.data.some((v) => !(v >= 0.5 && v < 1.5)))) throw new Error(`${name}: a weight of ${layer.name} is outside [0.5, 1.5)`);
    layer.setWeights(weights.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    layer.getWeights().forEach((t, i) => {
      const back = t.dataSync();
      if (t.shape.join() !== weights[i].shape.join() || back.some((v, k) => !Object.is(v, weights[i].data[k]))) {
        throw new Error(`${name}: weight ${i} of ${layer.name} does not read back`);
      }
    });
    layers.push({ name: layer.name, class: layer.getClassName(), weights });
  }

  // Inputs, in model input order. In the mask cases (spec.masks: input name -> a row pattern per batch row, true where
  // kept), an input's masked timesteps are then set to 0 in every feature; a token input (spec.tokens) is integers
  // 1 .. EMBEDDING_INPUT_DIM - 1 instead, 0 at its masked timesteps.
  const batch = spec.batch ?? B;
  const inputs = model.inputs.map((t, i) => {
    const name = model.inputNames[i];
    const shape = [batch, ...t.shape.slice(1)];
    const size = shape.reduce((p, n) => p * n, 1);
    const isToken = (spec.tokens ?? []).includes(name);
    const data = isToken ? Float32Array.from({ length: size }, () => 1 + Math.floor(rng() * (EMBEDDING_INPUT_DIM - 1))) : uniform(size, 1);
    const rows = spec.masks?.[name];
    if (rows) {
      const [, T, D] = shape;
      if (rows.length !== batch || rows.some((r) => r.length !== T) || (isToken && D !== 1)) throw new Error(`${name}: ${name}'s mask pattern does not fit [${shape}]`);
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < T; t++) {
          const step = data.subarray((b * T + t) * D, (b * T + t + 1) * D);
          if (!rows[b][t]) step.fill(0);
          else if (step.every((v) => v === 0)) throw new Error(`${name}: kept timestep ${t} of row ${b} of ${name} is all zeros`);
        }
      }
    }
    return { name, shape, data };
  });
  const byName = Object.fromEntries(inputs.map((x) => [x.name, x]));
  const tensors = (names) => names.map((n) => tf.tensor(byName[n].data, byName[n].shape, 'float32'));

  const outputNames = model.outputLayers.map((l) => l.name);
  if (outputNames.join() !== spec.outputs.join()) throw new Error(`${name}: outputs ${outputNames}, expected ${spec.outputs}`);
  const y = model.predict(tensors(inputs.map((x) => x.name)));
  const expected = (Array.isArray(y) ? y : [y]).map((t, i) => ({ name: outputNames[i], shape: t.shape, data: Float32Array.from(t.dataSync()) }));

  // Self-check against the float64 reference, with the same float32 weights and inputs.
  const ref = spec.reference(byName, Object.fromEntries(layers.map((l) => [l.name, l.weights.map((w) => w.data)])));
  if (ref.outputs.length !== expected.length) throw new Error(`${name}: ${expected.length} outputs, reference ${ref.outputs.length}`);
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, maxDiff(`${name} ${e.name}`, e, ref.outputs[i]))));
  const asList = (py) => (Array.isArray(py) ? py : [py]).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  const probeDiffs = [];
  for (const [k, p] of (built.probes ?? []).entries()) {
    const got = asList(p.model.predict(tensors(p.inputs)));
    if (got.length !== ref.probes[k].length) throw new Error(`${name} probe ${p.what}: ${got.length} outputs`);
    const diff = Math.max(...got.map((g, i) => maxDiff(`${name} probe ${p.what} #${i}`, g, ref.probes[k][i])));
    // A probe of a MultiHeadAttention layer also runs through ONNX Runtime, on the tensors tfjs feeds that layer.
    let ortDiff = null;
    if (p.ort) {
      const fed = asList(p.ort.feeds.predict(tensors(p.inputs)));
      const [q, v, key = v] = p.ort.order.map((i) => fed[i]);
      const layer = layers.find((l) => l.name === p.ort.layer.name);
      // The mask cases: the query's, value's and key's masks are the mask patterns of the inputs p.ort.masks names.
      const masks = p.ort.masks ? p.ort.masks.map((n) => spec.masks[n]) : null;
      const onnx = await ortMultiHeadAttention(p.ort.layer, layer.weights.map((w) => w.data), q, v, key, masks);
      ortDiff = maxDiff(`${name} onnxruntime ${p.what}`, onnx, got[0]);
      if (!(ortDiff < TOL)) throw new Error(`${name}: onnxruntime and tfjs differ by ${ortDiff} on ${p.what}`);
      // The crossCheck field lists the cases whose layer 'mha' was checked (mask_mha's 'self_mha' is checked too).
      if (p.ort.layer.name !== 'mha' && p.ort.layer.name !== 'self_mha') throw new Error(`${name}: the cross-checked layer is named ${p.ort.layer.name}`);
      if (p.ort.layer.name === 'mha' && !crossChecked.includes(name)) crossChecked.push(name);
    }
    probeDiffs.push({ what: p.what, diff, ortDiff });
  }
  for (const d of [worst, ...probeDiffs.map((p) => p.diff)]) {
    if (!(d < TOL)) throw new Error(`${name}: tfjs and the reference differ by ${d}`);
  }
  const probeText = probeDiffs.map((p) => `; probe ${p.what} ${p.diff.toExponential(2)}${p.ortDiff === null ? '' : `, onnxruntime vs tfjs ${p.ortDiff.toExponential(2)}`}`).join('');
  console.log(`${name}: self-check max |diff| ${worst.toExponential(2)}${probeText}`);

  const plain = (a) => Array.from(a);
  return {
    name,
    batch,
    inputs: inputs.map((x) => ({ name: x.name, shape: x.shape, data: plain(x.data) })),
    layers: layers.map((l) => ({ name: l.name, class: l.class, weights: l.weights.map((w) => ({ shape: w.shape, data: plain(w.data) })) })),
    expected: expected.map((e) => ({ name: e.name, shape: e.shape, data: plain(e.data) })),
  };
}

const names = new Set();
for (const c of cases) {
  if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
  names.add(c.name);
}
const out = [];
for (const c of cases) out.push(await runCase(c));
// The cases whose MultiHeadAttention layer ('mha') output ONNX Runtime computed too, within TOL of tfjs's (written with
// JSON.stringify: toJson would read the version's digits as a float and shorten them).
const crossCheck = { engine: `onnxruntime-node ${ORT_VERSION} (cpu)`, layer: 'mha', cases: crossChecked, tolerance: TOL };
const text = `{"engine":"tfjs ${TFJS_VERSION} (cpu backend)","generatedBy":"tests/golden/graphs.mjs","crossCheck":${JSON.stringify(crossCheck)},"cases":[\n${out.map(toJson).join(',\n')}\n]}\n`;
writeFileSync(OUT, text);
console.log(`wrote ${out.length} cases (${(text.length / 1024).toFixed(1)} KB) to ${path.relative(process.cwd(), OUT)}`);
