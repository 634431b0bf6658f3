// Golden gradients and optimizer trajectories for RnnGen's trainer, from TensorFlow.js (pure-JS cpu backend).
//
//   cd tests/golden && npm ci && node gradients.mjs
//
// For each case: a tf.sequential model whose structure matches a model declared in
// tests/RnnGen.Training.Tests/Models.cs, weights / inputs / targets from a seeded PRNG, the loss (Keras's MSE or
// categorical crossentropy, mean over rows) and its gradient for every weight array from tf.variableGrads. Then, for
// some cases, a few epochs of training without shuffling, with the optimizer's update written with tf ops exactly as
// Keras 3's update_step (keras/src/optimizers/{sgd,adam,rmsprop}.py: tfjs's own optimizers differ from Keras's), the
// loss of each epoch as Keras's loss tracker reports it (batch losses weighted by batch size) and the final weights.
// Writes tests/RnnGen.Training.Tests/Golden/tfjs-gradients.json. Deterministic: two runs give the same file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '..', 'RnnGen.Training.Tests', 'Golden', 'tfjs-gradients.json');
const TFJS_VERSION = '4.22.0';

const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniform = (rng, n, scale) => Float32Array.from({ length: n }, () => Math.fround((rng() * 2 - 1) * scale));

// Layer helpers: every option explicit, since tfjs's defaults differ from Keras 3's.
const TFJS_ACT = { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'relu', linear: 'linear', softsign: 'softsign', silu: 'swish', softmax: 'softmax' };
function rnn(kind, units, o = {}) {
  return { kind, units, activation: o.activation ?? 'tanh', useBias: o.useBias ?? true, returnSequences: o.returnSequences ?? false, goBackwards: o.goBackwards ?? false, bidirectional: o.bidirectional ?? false, mergeMode: o.mergeMode ?? 'concat' };
}
const dense = (units, activation = 'linear') => ({ kind: 'Dense', units, activation, useBias: true });

// Layers without a recurrent cell (tfjs has no Rescaling layer: RnnGen's is checked by finite differences only).
const layerNorm = (o = {}) => ({ kind: 'LayerNormalization', center: o.center ?? true, scale: o.scale ?? true });
const activation = (name) => ({ kind: 'Activation', activation: name });
const pool = (kind) => ({ kind });
const embedding = (inputDim, outputDim, maskZero = false) => ({ kind: 'Embedding', inputDim, outputDim, maskZero });
const conv1d = (filters, kernelSize, o = {}) => ({ kind: 'Conv1D', filters, kernelSize, strides: o.strides ?? 1, padding: o.padding ?? 'valid', activation: o.activation ?? 'linear' });
const pool1d = (kind, poolSize, o = {}) => ({ kind, poolSize, strides: o.strides ?? poolSize, padding: o.padding ?? 'valid' });

// Keras semantics of masks that tfjs-layers lacks, as layers that exist only on this side (no weights, so the weight
// order matches the C# model's): Keras's Bidirectional sets zero_output_for_mask = return_sequences on both copies
// (keras/src/layers/rnn/bidirectional.py), so its sequence is zero at masked timesteps where tfjs repeats the previous
// output (ZeroAtMask, placed after it); Keras's GlobalAveragePooling1D averages the kept timesteps only
// (global_average_pooling1d.py: sum(inputs * mask) / sum(mask)), tfjs's every timestep (MaskedAveragePooling1D).
class ZeroAtMask extends tf.layers.Layer {
  constructor(args) {
    super(args ?? {});
    this.supportsMasking = true;
  }

  call(inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return kwargs.mask ? tf.mul(x, tf.expandDims(tf.cast(kwargs.mask, 'float32'), -1)) : x;
  }

  computeMask(inputs, mask) {
    return mask;
  }

  static get className() {
    return 'ZeroAtMask';
  }
}

class MaskedAveragePooling1D extends tf.layers.Layer {
  constructor(args) {
    super(args ?? {});
    this.supportsMasking = true;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[2]];
  }

  call(inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = tf.expandDims(tf.cast(kwargs.mask, 'float32'), -1);
    return tf.div(tf.sum(tf.mul(x, mask), 1), tf.sum(mask, 1));
  }

  computeMask() {
    return null;
  }

  static get className() {
    return 'MaskedAveragePooling1D';
  }
}

// Keras's BatchNormalization in training with a mask (keras/src/layers/normalization/batch_normalization.py,
// _moments(inputs, mask)): the mean and variance of the kept timesteps only, each sum divided by the kept count plus
// backend.epsilon() (1e-7); every timestep is then normalized with them and the mask passes on. tfjs-layers' batch
// normalization takes no mask. Inference (the moving statistics) is not used by the gradient cases.
class KerasMaskedBatchNormalization extends tf.layers.Layer {
  constructor(args) {
    super(args ?? {});
    this.supportsMasking = true;
  }

  build(inputShape) {
    const d = inputShape[inputShape.length - 1];
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [d], 'float32', tf.initializers.zeros(), null, false);
    this.movingVariance = this.addWeight('moving_variance', [d], 'float32', tf.initializers.ones(), null, false);
    this.built = true;
  }

  call(inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const weights = tf.expandDims(tf.cast(kwargs.mask, 'float32'), -1);
    const broadcast = tf.mul(weights, tf.onesLike(x));
    const weighted = tf.mul(broadcast, x);
    const count = tf.add(tf.sum(broadcast, [0, 1], true), 1e-7);
    const mean = tf.div(tf.sum(weighted, [0, 1], true), count);
    const variance = tf.div(tf.sum(tf.mul(broadcast, tf.square(tf.sub(weighted, mean))), [0, 1], true), count);
    const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
    return tf.add(tf.mul(normalized, this.gamma.read()), this.beta.read());
  }

  computeMask(inputs, mask) {
    return mask;
  }

  static get className() {
    return 'KerasMaskedBatchNormalization';
  }
}

function tfjsLayer(L, extra) {
  if (L.kind === 'KerasMaskedBatchNormalization') return new KerasMaskedBatchNormalization(extra);
  if (L.kind === 'Masking') return tf.layers.masking({ maskValue: 0, ...extra });
  if (L.kind === 'ZeroAtMask') return new ZeroAtMask(extra);
  if (L.kind === 'MaskedAveragePooling1D') return new MaskedAveragePooling1D(extra);
  if (L.kind === 'Dense') return tf.layers.dense({ units: L.units, activation: TFJS_ACT[L.activation], useBias: L.useBias, ...extra });
  // Keras 3's LayerNormalization default epsilon is 1e-3, as tfjs's.
  if (L.kind === 'LayerNormalization') return tf.layers.layerNormalization({ epsilon: 1e-3, center: L.center, scale: L.scale, ...extra });
  // Keras 3's BatchNormalization defaults: momentum 0.99, epsilon 1e-3; applied with training: true, it normalizes with
  // the batch's statistics (tfjs's normalizeBatchInTraining, biased variance, as Keras's ops.moments).
  if (L.kind === 'BatchNormalization') return tf.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, center: true, scale: true, ...extra });
  if (L.kind === 'Activation') return tf.layers.activation({ activation: TFJS_ACT[L.activation], ...extra });
  if (L.kind === 'GlobalAveragePooling1D') return tf.layers.globalAveragePooling1d(extra);
  if (L.kind === 'GlobalMaxPooling1D') return tf.layers.globalMaxPooling1d(extra);
  if (L.kind === 'Conv1D') return tf.layers.conv1d({ filters: L.filters, kernelSize: L.kernelSize, strides: L.strides, padding: L.padding, activation: TFJS_ACT[L.activation], useBias: true, ...extra });
  if (L.kind === 'Flatten') return tf.layers.flatten(extra);
  if (L.kind === 'Reshape') return tf.layers.reshape({ targetShape: [...L.targetShape], ...extra }); // a copy: tfjs writes null over -1
  if (L.kind === 'RepeatVector') return tf.layers.repeatVector({ n: L.n, ...extra });
  if (L.kind === 'MaxPooling1D') return tf.layers.maxPooling1d({ poolSize: L.poolSize, strides: L.strides, padding: L.padding, ...extra });
  if (L.kind === 'AveragePooling1D') return tf.layers.averagePooling1d({ poolSize: L.poolSize, strides: L.strides, padding: L.padding, ...extra });
  if (L.kind === 'Embedding') {
    // The token input: inputShape [T] instead of [T, D]; uniform(-0.5, 0.5) weights are set below.
    return tf.layers.embedding({ inputDim: L.inputDim, outputDim: L.outputDim, maskZero: Boolean(L.maskZero), inputShape: [extra.inputShape[0]] });
  }
  const args = { units: L.units, activation: TFJS_ACT[L.activation], useBias: L.useBias, returnSequences: L.returnSequences, goBackwards: L.goBackwards };
  if (L.kind !== 'SimpleRnn') args.recurrentActivation = 'sigmoid';
  if (L.kind === 'Lstm') args.unitForgetBias = false;
  if (L.kind === 'Gru') args.resetAfter = false; // tfjs has only reset_after=False
  const ctor = { SimpleRnn: tf.layers.simpleRNN, Lstm: tf.layers.lstm, Gru: tf.layers.gru }[L.kind];
  if (!L.bidirectional) return ctor({ ...args, ...extra });
  return tf.layers.bidirectional({ layer: ctor(args), mergeMode: L.mergeMode, ...extra });
}

// The cases: name = the C# model class in tests/RnnGen.Training.Tests/Models.cs with the same structure.
const CASES = [
  { name: 'Rnn', T: 4, D: 3, B: 3, layers: [rnn('SimpleRnn', 5)], outLength: 5 },
  { name: 'RnnBackwardsSequences', T: 5, D: 2, B: 3, layers: [rnn('SimpleRnn', 3, { returnSequences: true, goBackwards: true, activation: 'softsign' })], outLength: 15 },
  { name: 'RnnWithoutBias', T: 3, D: 3, B: 3, layers: [rnn('SimpleRnn', 4, { useBias: false, activation: 'sigmoid' })], outLength: 4 },
  { name: 'Lstm', T: 4, D: 3, B: 5, layers: [rnn('Lstm', 5)], outLength: 5, train: true },
  { name: 'LstmWithoutBias', T: 3, D: 3, B: 3, layers: [rnn('Lstm', 4, { useBias: false })], outLength: 4 },
  { name: 'GruResetBefore', T: 4, D: 3, B: 5, layers: [rnn('Gru', 5)], outLength: 5, train: true },
  { name: 'GruResetBeforeBackwardsWithoutBias', T: 5, D: 2, B: 3, layers: [rnn('Gru', 3, { useBias: false, returnSequences: true, goBackwards: true, activation: 'silu' })], outLength: 15 },
  { name: 'BiConcat', T: 4, D: 2, B: 3, layers: [rnn('Lstm', 3, { bidirectional: true, mergeMode: 'concat' })], outLength: 6 },
  { name: 'BiMulSequences', T: 4, D: 2, B: 3, layers: [rnn('SimpleRnn', 3, { bidirectional: true, mergeMode: 'mul', returnSequences: true })], outLength: 12 },
  { name: 'BiAve', T: 4, D: 2, B: 3, layers: [rnn('Lstm', 3, { bidirectional: true, mergeMode: 'ave' })], outLength: 3 },
  { name: 'SeedForecaster', T: 3, D: 1, B: 5, layers: [rnn('Lstm', 20, { activation: 'relu' }), dense(5, 'relu'), dense(1)], outLength: 1, train: true },
  { name: 'ClassifierResetBefore', T: 2, D: 3, B: 5, layers: [rnn('Gru', 4), dense(3, 'softmax')], outLength: 3, loss: 'categorical_crossentropy', train: true },
  { name: 'GoldenNormalizedAveragePool', T: 4, D: 3, B: 3, layers: [rnn('Lstm', 5, { returnSequences: true }), layerNorm(), activation('tanh'), pool('GlobalAveragePooling1D'), dense(2)], outLength: 2, train: true },
  // tfjs 4.22's layerNormalization with center or scale off fails in its backward pass: those run by finite differences.
  { name: 'GoldenNormalizedMaxPool', T: 5, D: 2, B: 3, layers: [rnn('Gru', 4, { returnSequences: true }), layerNorm(), pool('GlobalMaxPooling1D'), dense(3, 'softmax')], outLength: 3, loss: 'categorical_crossentropy' },
  { name: 'GoldenBatchNormalized', T: 4, D: 3, B: 5, layers: [rnn('Lstm', 4, { returnSequences: true }), { kind: 'BatchNormalization' }, pool('GlobalAveragePooling1D'), dense(2)], outLength: 2, train: true },
  { name: 'GoldenEmbeddedTokens', T: 4, D: 1, B: 5, tokens: 7, layers: [embedding(7, 3), rnn('Lstm', 3), dense(2)], outLength: 2, train: true },
  { name: 'GoldenConvolvedSignal', T: 6, D: 3, B: 5, layers: [conv1d(4, 2, { padding: 'same', activation: 'tanh' }), pool1d('MaxPooling1D', 2), rnn('Lstm', 3), dense(2)], outLength: 2, train: true },
  // Valid, strides 2: 9 timesteps -> 4, then overlapping average windows -> 3; the GRU returns all 3.
  { name: 'GoldenAutoEncoder', T: 5, D: 2, B: 4, layers: [rnn('Lstm', 4), { kind: 'RepeatVector', n: 3 }, rnn('Gru', 3, { returnSequences: true }), { kind: 'Flatten' }, dense(8, 'tanh'), { kind: 'Reshape', targetShape: [-1, 2] }, rnn('SimpleRnn', 2)], outLength: 2, train: true },
  { name: 'GoldenStridedConvolution', T: 9, D: 2, B: 3, layers: [conv1d(5, 3, { strides: 2 }), pool1d('AveragePooling1D', 2, { strides: 1 }), rnn('Gru', 3, { returnSequences: true })], outLength: 9 },
  // Masks (docs/masking.md): `masks` gives each sample's kept (1) and masked (0) timesteps, which the data follows
  // (zero rows for Masking, token 0 for Embedding(mask_zero)); `maskedLoss`: the output still carries the mask, so the
  // loss is Keras's mean over the kept rows (keras/src/losses/loss.py apply_mask), which tfjs's losses do not compute.
  { name: 'GoldenMaskedLstm', T: 5, D: 3, B: 4, masks: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [0, 0, 0, 0, 0]], layers: [{ kind: 'Masking' }, rnn('Lstm', 4), dense(2)], outLength: 2, train: true },
  { name: 'GoldenMaskedBidirectionalAveragePool', T: 5, D: 2, B: 4, masks: [[1, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 0], [1, 1, 0, 0, 0]], layers: [{ kind: 'Masking' }, rnn('Gru', 3, { bidirectional: true, returnSequences: true }), { kind: 'ZeroAtMask' }, layerNorm(), { kind: 'MaskedAveragePooling1D' }, dense(2)], outLength: 2, train: true },
  { name: 'GoldenMaskedTokenTagger', T: 5, D: 1, B: 4, tokens: 7, masks: [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [1, 0, 1, 1, 0]], maskedLoss: true, layers: [embedding(7, 3, true), rnn('Lstm', 4, { returnSequences: true }), rnn('SimpleRnn', 3, { returnSequences: true, goBackwards: true }), dense(2)], outLength: 10, train: true },
  { name: 'GoldenMaskedBatchNormalization', T: 5, D: 2, B: 4, masks: [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0], [1, 0, 0, 1, 1]], layers: [{ kind: 'Masking' }, rnn('Lstm', 4, { returnSequences: true }), { kind: 'KerasMaskedBatchNormalization' }, { kind: 'MaskedAveragePooling1D' }, dense(2)], outLength: 2 },
  { name: 'GoldenMaskedBidirectionalClassifier', T: 4, D: 2, B: 4, masks: [[1, 1, 0, 0], [0, 1, 1, 1], [1, 1, 1, 1], [1, 0, 0, 1]], layers: [{ kind: 'Masking' }, rnn('Lstm', 3, { bidirectional: true, mergeMode: 'mul' }), dense(3, 'softmax')], outLength: 3, loss: 'categorical_crossentropy' },
];

const OPTIMIZERS = [
  { name: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  { name: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { name: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
];
const EPOCHS = 3;
const BATCH_SIZE = 2;

function lossOf(kind, yTrue, yPred, rows, rowMask) {
  if (rowMask) {
    // keras Loss.__call__ with the mask of y_pred: the per-row loss (mean over the last axis) weighted by
    // mask * total / valid, then the mean over all rows: the sum over kept rows over their count (0 when none is kept).
    const perRow = tf.mean(tf.square(tf.sub(yPred, yTrue)), -1);
    const mask = tf.tensor(rowMask, perRow.shape);
    const valid = rowMask.reduce((a, b) => a + b, 0);
    return valid > 0 ? tf.div(tf.sum(tf.mul(perRow, mask)), valid) : tf.scalar(0);
  }

  if (kind === 'categorical_crossentropy') {
    // keras backend categorical_crossentropy: normalise, clip to [eps, 1 - eps], -sum(y log p); mean over rows.
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), 1e-7, 1 - 1e-7);
    return tf.div(tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)))), rows);
  }
  return tf.mean(tf.square(tf.sub(yPred, yTrue))); // keras mean_squared_error, rows of equal length
}

// Keras 3 update_step for each optimizer, on float32 tensors.
function makeOptimizer(o, variables) {
  const zeros = () => variables.map((v) => tf.variable(tf.zerosLike(v)));
  const slots = { m: zeros(), v: zeros(), mom: zeros() };
  let iterations = 0;
  return (grads) => {
    const step = iterations + 1;
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        const g = grads[i];
        if (o.name === 'sgd') {
          const m = slots.m[i];
          m.assign(tf.add(tf.mul(tf.neg(g), o.learningRate), tf.mul(m, o.momentum)));
          variable.assign(tf.add(variable, o.nesterov ? tf.add(tf.mul(tf.neg(g), o.learningRate), tf.mul(m, o.momentum)) : m));
        } else if (o.name === 'adam') {
          const alpha = Math.fround((o.learningRate * Math.sqrt(1 - Math.pow(o.beta2, step))) / (1 - Math.pow(o.beta1, step)));
          const m = slots.m[i];
          const v = slots.v[i];
          m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - o.beta1)));
          v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - o.beta2)));
          variable.assign(tf.sub(variable, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), o.epsilon))));
        } else {
          const velocity = slots.v[i];
          velocity.assign(tf.add(tf.mul(velocity, o.rho), tf.mul(tf.square(g), 1 - o.rho)));
          variable.assign(tf.sub(variable, tf.div(tf.mul(g, o.learningRate), tf.sqrt(tf.add(velocity, o.epsilon)))));
        }
      });
    });
    iterations++;
  };
}

function build(c) {
  const model = tf.sequential();
  c.layers.forEach((L, i) => model.add(tfjsLayer(L, i === 0 ? { inputShape: [c.T, c.D] } : {})));
  return model;
}

// Every weight array in Keras's get_weights() order: layer by layer, each layer's own order (a BatchNormalization's
// gamma, beta, moving_mean, moving_variance); tfjs's model.getWeights() puts the non-trainable arrays last instead.
const layerWeights = (model) => model.layers.flatMap((l) => l.weights);

function initialWeights(c, model) {
  const rng = mulberry32(fnv1a(c.name));
  return layerWeights(model).map((w) => {
    const data = uniform(rng, w.shape.reduce((a, b) => a * b, 1), 0.5);
    // A variance is positive: |u| + 0.5.
    return { shape: w.shape, data: /moving_variance/.test(w.originalName ?? w.name) ? data.map((v) => Math.abs(v) + 0.5) : data };
  });
}

function setWeights(model, weights) {
  let next = 0;
  for (const layer of model.layers) {
    const n = layer.weights.length;
    if (n > 0) layer.setWeights(weights.slice(next, next + n).map((w) => tf.tensor(w.data, w.shape)));
    next += n;
  }
}

function run(c) {
  const rng = mulberry32(fnv1a(c.name + '/data'));
  // Token models (an Embedding first) take whole numbers in [0, tokens) as float32 values, as RnnGen's float input.
  const x = c.tokens ? Float32Array.from({ length: c.B * c.T }, () => Math.floor(rng() * c.tokens)) : uniform(rng, c.B * c.T * c.D, 1);
  if (c.masks) {
    // Masked timesteps hold the mask value (0, or token 0); kept ones none (a token from 1, a value away from 0).
    for (let b = 0; b < c.B; b++) {
      for (let t = 0; t < c.T; t++) {
        for (let d = 0; d < c.D; d++) {
          const i = (b * c.T + t) * c.D + d;
          if (!c.masks[b][t]) x[i] = 0;
          else if (c.tokens) x[i] = 1 + (x[i] % (c.tokens - 1));
          else if (Math.abs(x[i]) < 0.05) x[i] = 0.5;
        }
      }
    }
  }
  const model = build(c);
  const outShape = [c.B, ...model.outputs[0].shape.slice(1)];
  const width = outShape.at(-1);
  const rows = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (rows * width !== c.B * c.outLength) throw new Error(`${c.name}: output ${outShape} is not ${c.outLength} per sample`);
  let y;
  if (c.loss === 'categorical_crossentropy') {
    y = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) y[r * width + Math.floor(rng() * width)] = 1;
  } else {
    y = uniform(rng, c.B * c.outLength, 0.8);
  }

  const weights = initialWeights(c, model);
  setWeights(model, weights);
  const variables = model.trainableWeights.map((w) => w.val);
  const xT = c.tokens ? tf.tensor(x, [c.B, c.T], 'int32') : tf.tensor(x, [c.B, c.T, c.D]);
  const yT = tf.tensor(y, outShape);
  const rowMask = (start, n) => (c.maskedLoss ? c.masks.slice(start, start + n).flat() : undefined);
  const { value, grads } = tf.variableGrads(() => lossOf(c.loss, yT, model.apply(xT, { training: true }), rows, rowMask(0, c.B)), variables);
  const out = {
    name: c.name,
    loss: c.loss ?? 'mean_squared_error',
    x: Array.from(x),
    y: Array.from(y),
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
    lossValue: value.dataSync()[0],
    // Zeros for the non-trainable arrays (BatchNormalization's moving statistics), which Keras does not train.
    gradients: layerWeights(model).map((w) => (w.trainable ? Array.from(grads[w.val.name].dataSync()) : new Array(w.val.size).fill(0))),
    trajectories: [],
  };

  if (c.train) {
    for (const o of OPTIMIZERS) {
      setWeights(model, weights);
      const apply = makeOptimizer(o, variables);
      const losses = [];
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        let sum = 0;
        for (let start = 0; start < c.B; start += BATCH_SIZE) {
          const n = Math.min(BATCH_SIZE, c.B - start);
          const xb = xT.slice([start], [n]);
          const yb = yT.slice([start], [n]);
          const batchRows = n * (rows / c.B);
          const r = tf.variableGrads(() => lossOf(c.loss, yb, model.apply(xb, { training: true }), batchRows, rowMask(start, n)), variables);
          apply(variables.map((v) => r.grads[v.name]));
          sum += r.value.dataSync()[0] * n;
        }
        losses.push(Math.fround(sum / c.B));
      }
      // Every array, the moving statistics too (tfjs moves them in each training forward pass, with Keras's rule).
      out.trajectories.push({ optimizer: o, epochs: EPOCHS, batchSize: BATCH_SIZE, losses, weights: layerWeights(model).map((w) => Array.from(w.val.dataSync())) });
    }
  }

  return out;
}

const cases = CASES.map(run);
const json = JSON.stringify({ generator: 'tests/golden/gradients.mjs', engine: `@tensorflow/tfjs ${TFJS_VERSION} cpu`, cases }, null, 1);
fs.writeFileSync(OUT, json + '\n');
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), OUT)}`);
