#!/usr/bin/env node
// Golden test vectors for RnnGen's recurrent layers.
//
// Runs every case through a real Keras-semantics engine (TensorFlow.js 4.22.0 on its pure-JS
// cpu backend, or ONNX Runtime 1.30.0 through onnxruntime-node with an ONNX model built here
// byte by byte with onnx-util.mjs), checks every result against an independent float64
// implementation of the Keras equations in this file, and writes the results as JSON fixtures
// for the C# tests:
//
//   tests/RnnGen.Numerics.Tests/Golden/tfjs-golden.json
//   tests/RnnGen.Numerics.Tests/Golden/onnxruntime-golden.json
//
// Regenerate:  cd tests/golden && npm ci && node generate.mjs
// Output is deterministic (own seeded PRNG, single-threaded ONNX Runtime): two runs give
// byte-identical files. See README.md for the conventions.

import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onnxModel, onnxTensor } from './onnx-util.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(here, '..', 'RnnGen.Numerics.Tests', 'Golden');

const TFJS_VERSION = '4.22.0';
const ORT_VERSION = '1.30.0';

// Self-check tolerance: |engine - reference| <= TOL * (1 + |reference|) for every value.
const TOL = 1e-5;

// ----------------------------------------------------------------------------------------------
// Deterministic randomness: mulberry32 seeded from an FNV-1a hash of the case name, so that
// adding or removing a case never changes the numbers of the others.
// ----------------------------------------------------------------------------------------------
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
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32Array of n values uniform in [-scale, scale). */
function uniform(rng, n, scale) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() * 2 - 1) * scale;
  return a;
}

const prod = (shape) => shape.reduce((a, b) => a * b, 1);

// ----------------------------------------------------------------------------------------------
// Number formatting: shortest decimal that parses back to the same float32.
// ----------------------------------------------------------------------------------------------
function f32str(v) {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`non-finite value ${v}`);
  if (f === 0) return '0';
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return s;
  }
  throw new Error(`cannot format ${v}`);
}

// ----------------------------------------------------------------------------------------------
// Activations. Names are those of the function actually computed (see README.md).
// ----------------------------------------------------------------------------------------------
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const softplus = (x) => (x > 30 ? x : Math.log1p(Math.exp(x)));
const clip01 = (x) => Math.min(1, Math.max(0, x));
const REF_ACT = {
  tanh: Math.tanh,
  sigmoid,
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  hard_sigmoid_keras2: (x) => clip01(0.2 * x + 0.5),
  hard_sigmoid: (x) => clip01(x / 6 + 0.5),
  silu: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  relu6: (x) => Math.min(6, Math.max(0, x)),
  // softmax is applied over the last axis (only used by Dense).
};

// tfjs identifiers, only for activations whose tfjs implementation computes exactly that
// formula (checked in node_modules/@tensorflow/tfjs-layers/dist/activations.js and
// backend/tfjs_backend.js). Keras 3 hard_sigmoid (x/6+0.5) does not exist in tfjs.
const TFJS_ACT = {
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  relu: 'relu',
  linear: 'linear',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  hard_sigmoid_keras2: 'hardSigmoid', // clip(0.2x+0.5, 0, 1)
  silu: 'swish', // x * sigmoid(x)
  mish: 'mish',
  relu6: 'relu6',
  softmax: 'softmax',
};

// ONNX RNN/LSTM/GRU activation functions [name, alpha, beta] (alpha/beta null if unused).
const ONNX_ACT = {
  tanh: ['Tanh', null, null],
  sigmoid: ['Sigmoid', null, null],
  relu: ['Relu', null, null],
  linear: ['Affine', 1, 0],
  softsign: ['Softsign', null, null],
  softplus: ['Softplus', null, null],
  elu: ['Elu', 1, null],
  hard_sigmoid: ['HardSigmoid', 1 / 6, 0.5],
  hard_sigmoid_keras2: ['HardSigmoid', 0.2, 0.5],
};

// ----------------------------------------------------------------------------------------------
// Case description helpers.
// ----------------------------------------------------------------------------------------------
const GATES = { SimpleRnn: 1, Lstm: 4, Gru: 3 };
const MERGE_TFJS = { Concat: 'concat', Sum: 'sum', Mul: 'mul', Ave: 'ave', None: null };

function recurrent(kind, units, o = {}) {
  const L = {
    kind,
    units,
    activation: o.activation ?? 'tanh',
  };
  if (kind !== 'SimpleRnn') L.recurrentActivation = o.recurrentActivation ?? 'sigmoid';
  L.useBias = o.useBias ?? true;
  if (kind === 'Gru') L.resetAfter = o.resetAfter ?? false;
  L.returnSequences = o.returnSequences ?? false;
  L.returnState = o.returnState ?? false;
  L.goBackwards = o.goBackwards ?? false;
  L.stateful = o.stateful ?? false;
  L.bidirectional = o.bidirectional ?? false;
  L.mergeMode = o.mergeMode ?? 'Concat';
  return L;
}

function dense(units, activation = 'linear', useBias = true) {
  return { kind: 'Dense', units, activation, useBias };
}

/** LayerNormalization or BatchNormalization on the last axis, with Keras's option names and defaults. */
function norm(kind, o = {}) {
  return { kind, epsilon: o.epsilon ?? 0.001, center: o.center ?? true, scale: o.scale ?? true };
}
const isNorm = (L) => L.kind === 'LayerNormalization' || L.kind === 'BatchNormalization';

/**
 * Keras Normalization(axis=-1, invert) after adapt() (keras/src/layers/preprocessing/normalization.py): non-trainable
 * weights mean [D], variance [D] and count [] (never used by call); (x - mean) / max(sqrt(variance), 1e-7), or with
 * invert mean + x * max(sqrt(variance), 1e-7), on the last axis.
 */
function normalization(o = {}) {
  return { kind: 'Normalization', invert: o.invert ?? false };
}

/** Keras Activation(name): the activation of every value, no weights. */
function activationLayer(activation) {
  return { kind: 'Activation', activation };
}

/**
 * Keras Rescaling(scale, offset): x * scale + offset for every value, no weights. Named rescalingScale and
 * rescalingOffset in the fixture, as "scale" is the normalization layers' flag.
 */
function rescaling(scale, offset = 0) {
  return { kind: 'Rescaling', rescalingScale: scale, rescalingOffset: offset };
}

/** Keras GlobalAveragePooling1D() or GlobalMaxPooling1D(): (timesteps, features) -> (features), no weights. */
function globalPooling(kind) {
  return { kind };
}
const isGlobalPooling = (L) => L.kind === 'GlobalAveragePooling1D' || L.kind === 'GlobalMaxPooling1D';

/**
 * Keras Conv1D(filters, kernel_size, strides, padding, dilation_rate, activation, use_bias): kernel
 * [kernel_size, features, filters]. `units` holds the filters, as the fixture's other layers name their width.
 */
function conv1d(filters, kernelSize, o = {}) {
  return { kind: 'Conv1D', units: filters, kernelSize, strides: o.strides ?? 1, padding: o.padding ?? 'valid', dilationRate: o.dilationRate ?? 1, activation: o.activation ?? 'linear', useBias: o.useBias ?? true };
}

/** Keras MaxPooling1D / AveragePooling1D(pool_size, strides, padding): strides left out are the pool size. */
function pool1d(kind, poolSize, o = {}) {
  return { kind, poolSize, strides: o.strides ?? poolSize, padding: o.padding ?? 'valid' };
}
const isPool1d = (L) => L.kind === 'MaxPooling1D' || L.kind === 'AveragePooling1D';

/** Keras Flatten(), Reshape(target_shape) (-1 allowed once) and RepeatVector(n): no weights. */
const flatten = () => ({ kind: 'Flatten' });
const reshape = (targetShape) => ({ kind: 'Reshape', targetShape });
const repeatVector = (n) => ({ kind: 'RepeatVector', n });

/** The output feature size of a reshaping layer, from the full per-sample shape ([T, D] or [D]) it receives. */
function reshapedShape(L, sampleShape) {
  const values = sampleShape.reduce((a, b) => a * b, 1);
  if (L.kind === 'Flatten') return [values];
  if (L.kind === 'RepeatVector') return [L.n, sampleShape[0]];
  const known = L.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return L.targetShape.map((d) => (d === -1 ? values / known : d));
}

/**
 * Keras's time axis for a window (keras/src/ops/operation_utils.py compute_conv_output_shape): output timesteps and
 * the padded timesteps before the first input (causal: all of the span; same: half of what the windows need beyond
 * the sequence, rounded down, TensorFlow's SAME).
 */
function window1d(T, size, strides, dilation, padding) {
  const span = dilation * (size - 1) + 1;
  const out = padding === 'valid' ? Math.floor((T - span) / strides) + 1 : Math.floor((T - 1) / strides) + 1;
  if (out <= 0) throw new Error('sequence shorter than the window');
  const pad = padding === 'valid' ? 0 : padding === 'causal' ? span - 1 : Math.floor(Math.max((out - 1) * strides + span - T, 0) / 2);
  return { out, pad };
}

const isRecurrent = (L) => L.kind in GATES;
const numStates = (L) => (L.kind === 'Lstm' ? 2 : 1);

/** Output feature size of a layer given its input feature size. */
function outDim(L, inDim) {
  if (isRecurrent(L)) return L.bidirectional && L.mergeMode === 'Concat' ? 2 * L.units : L.units;
  if (L.kind === 'Dense' || L.kind === 'Conv1D') return L.units;
  return inDim; // Dropout, normalization, Activation, Rescaling, global pooling, pooling
}

/** Keras get_weights() shapes of one layer. */
function weightShapes(L, inDim) {
  if (isRecurrent(L)) {
    const gu = GATES[L.kind] * L.units;
    const one = [[inDim, gu], [L.units, gu]];
    if (L.useBias) one.push(L.kind === 'Gru' && L.resetAfter ? [2, gu] : [gu]);
    return L.bidirectional ? [...one, ...one] : one;
  }
  if (L.kind === 'Dense') return L.useBias ? [[inDim, L.units], [L.units]] : [[inDim, L.units]];
  if (L.kind === 'Conv1D') return L.useBias ? [[L.kernelSize, inDim, L.units], [L.units]] : [[L.kernelSize, inDim, L.units]];
  // Keras build(): gamma if scale, beta if center, then BatchNormalization's moving_mean and moving_variance.
  if (isNorm(L)) return Array.from({ length: (L.scale ? 1 : 0) + (L.center ? 1 : 0) + (L.kind === 'BatchNormalization' ? 2 : 0) }, () => [inDim]);
  if (L.kind === 'Normalization') return [[inDim], [inDim], []]; // mean, variance, count
  return [];
}

// ----------------------------------------------------------------------------------------------
// Independent float64 reference implementation of the Keras equations.
// ----------------------------------------------------------------------------------------------

/**
 * One direction of one recurrent layer. x: [B,T,D] flat. w: {kernel, rec, bias|null}.
 * init: array of [B,U] flat arrays or null. Returns the outputs in processing order.
 */
function refDirection(L, w, x, B, T, D, init, backwards) {
  const U = L.units;
  const G = GATES[L.kind];
  const GU = G * U;
  const act = REF_ACT[L.activation];
  const ract = L.recurrentActivation ? REF_ACT[L.recurrentActivation] : null;
  if (!act || (L.recurrentActivation && !ract)) throw new Error(`reference lacks activation of ${JSON.stringify(L)}`);
  const seq = new Float64Array(B * T * U);
  const lastH = new Float64Array(B * U);
  const lastC = new Float64Array(B * U);
  const b0 = w.bias ? w.bias.subarray(0, GU) : null; // input bias (or the only bias)
  const b1 = w.bias && L.kind === 'Gru' && L.resetAfter ? w.bias.subarray(GU, 2 * GU) : null;
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(U);
    let c = new Float64Array(U);
    if (init) {
      for (let j = 0; j < U; j++) h[j] = init[0][b * U + j];
      if (L.kind === 'Lstm') for (let j = 0; j < U; j++) c[j] = init[1][b * U + j];
    }
    for (let s = 0; s < T; s++) {
      const t = backwards ? T - 1 - s : s;
      const xo = (b * T + t) * D;
      const zx = new Float64Array(GU); // x . kernel
      for (let k = 0; k < D; k++) {
        const xv = x[xo + k];
        for (let j = 0; j < GU; j++) zx[j] += xv * w.kernel[k * GU + j];
      }
      const zh = new Float64Array(GU); // h . recurrent_kernel
      for (let m = 0; m < U; m++) {
        const hv = h[m];
        for (let j = 0; j < GU; j++) zh[j] += hv * w.rec[m * GU + j];
      }
      const nh = new Float64Array(U);
      if (L.kind === 'SimpleRnn') {
        for (let j = 0; j < U; j++) nh[j] = act(zx[j] + (b0 ? b0[j] : 0) + zh[j]);
      } else if (L.kind === 'Lstm') {
        const nc = new Float64Array(U);
        for (let j = 0; j < U; j++) {
          const z = (q) => zx[q * U + j] + zh[q * U + j] + (b0 ? b0[q * U + j] : 0);
          const i = ract(z(0));
          const f = ract(z(1));
          const g = act(z(2));
          const o = ract(z(3));
          nc[j] = f * c[j] + i * g;
          nh[j] = o * act(nc[j]);
        }
        c = nc;
      } else if (L.resetAfter) {
        for (let j = 0; j < U; j++) {
          const xb = (q) => zx[q * U + j] + (b0 ? b0[q * U + j] : 0);
          const hb = (q) => zh[q * U + j] + (b1 ? b1[q * U + j] : 0);
          const z = ract(xb(0) + hb(0));
          const r = ract(xb(1) + hb(1));
          const hh = act(xb(2) + r * hb(2));
          nh[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        const r = new Float64Array(U);
        const z = new Float64Array(U);
        for (let j = 0; j < U; j++) {
          z[j] = ract(zx[j] + (b0 ? b0[j] : 0) + zh[j]);
          r[j] = ract(zx[U + j] + (b0 ? b0[U + j] : 0) + zh[U + j]);
        }
        for (let j = 0; j < U; j++) {
          let rh = 0; // (r * h) . U_h
          for (let m = 0; m < U; m++) rh += r[m] * h[m] * w.rec[m * GU + 2 * U + j];
          const hh = act(zx[2 * U + j] + (b0 ? b0[2 * U + j] : 0) + rh);
          nh[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
      }
      h = nh;
      for (let j = 0; j < U; j++) seq[(b * T + s) * U + j] = h[j];
    }
    for (let j = 0; j < U; j++) {
      lastH[b * U + j] = h[j];
      lastC[b * U + j] = c[j];
    }
  }
  return { seq, last: lastH, states: L.kind === 'Lstm' ? [lastH, lastC] : [lastH] };
}

/** Reverse the time axis of a [B,T,U] flat array. */
function flipTime(a, B, T, U) {
  const out = new a.constructor(a.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let j = 0; j < U; j++) out[(b * T + t) * U + j] = a[(b * T + (T - 1 - t)) * U + j];
  return out;
}

/**
 * Keras outputs of one recurrent layer, from per-direction results {seq (processing order),
 * last, states}. Shared by the reference and the ONNX Runtime path (tfjs merges on its own).
 */
function assembleKeras(L, B, T, fwd, bwd) {
  const U = L.units;
  const stateNames = L.kind === 'Lstm' ? ['h', 'c'] : ['h'];
  if (!L.bidirectional) {
    const out = L.returnSequences
      ? { name: 'output', shape: [B, T, U], data: fwd.seq }
      : { name: 'output', shape: [B, U], data: fwd.last };
    const outputs = [out];
    if (L.returnState) stateNames.forEach((n, i) => outputs.push({ name: `state_${n}`, shape: [B, U], data: fwd.states[i] }));
    return { outputs, finalStates: fwd.states, next: out };
  }
  let y, yr, shape;
  if (L.returnSequences) {
    y = fwd.seq;
    yr = flipTime(bwd.seq, B, T, U); // back to forward time order
    shape = [B, T, U];
  } else {
    y = fwd.last;
    yr = bwd.last;
    shape = [B, U];
  }
  const outputs = [];
  const n = y.length;
  const rows = n / U;
  if (L.mergeMode === 'None') {
    outputs.push({ name: 'output_forward', shape, data: y }, { name: 'output_backward', shape, data: yr });
  } else if (L.mergeMode === 'Concat') {
    const m = new Float64Array(2 * n);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < U; j++) {
        m[r * 2 * U + j] = y[r * U + j];
        m[r * 2 * U + U + j] = yr[r * U + j];
      }
    outputs.push({ name: 'output', shape: [...shape.slice(0, -1), 2 * U], data: m });
  } else {
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (L.mergeMode === 'Sum') m[i] = y[i] + yr[i];
      else if (L.mergeMode === 'Mul') m[i] = y[i] * yr[i];
      else if (L.mergeMode === 'Ave') m[i] = (y[i] + yr[i]) / 2;
      else throw new Error(`merge mode ${L.mergeMode}`);
    }
    outputs.push({ name: 'output', shape, data: m });
  }
  if (L.returnState) {
    stateNames.forEach((s, i) => outputs.push({ name: `forward_${s}`, shape: [B, U], data: fwd.states[i] }));
    stateNames.forEach((s, i) => outputs.push({ name: `backward_${s}`, shape: [B, U], data: bwd.states[i] }));
  }
  return { outputs, finalStates: [...fwd.states, ...bwd.states], next: outputs[0] };
}

function refDense(L, ws, x, shape) {
  const D = shape[shape.length - 1];
  const U = L.units;
  const rows = x.length / D;
  const y = new Float64Array(rows * U);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < U; j++) {
      let s = L.useBias ? ws[1][j] : 0;
      for (let k = 0; k < D; k++) s += x[r * D + k] * ws[0][k * U + j];
      y[r * U + j] = s;
    }
    if (L.activation === 'softmax') {
      let mx = -Infinity;
      for (let j = 0; j < U; j++) mx = Math.max(mx, y[r * U + j]);
      let sum = 0;
      for (let j = 0; j < U; j++) sum += (y[r * U + j] = Math.exp(y[r * U + j] - mx));
      for (let j = 0; j < U; j++) y[r * U + j] /= sum;
    } else {
      const f = REF_ACT[L.activation];
      for (let j = 0; j < U; j++) y[r * U + j] = f(y[r * U + j]);
    }
  }
  return { data: y, shape: [...shape.slice(0, -1), U] };
}

/** The D x D identity matrix, flat: refDense with it is the activation alone. */
function identity(D) {
  const m = new Float64Array(D * D);
  for (let k = 0; k < D; k++) m[k * D + k] = 1;
  return m;
}

/** One call of the whole model. initStates: flat list of [B,U] arrays or null. */
function refCall(c, weights, input, initStates) {
  const B = c.batch;
  // The timesteps of each layer are those of its input (shape[1]): Conv1D and pooling change them.
  let x = input;
  let shape = [B, c.timesteps, c.inputDim];
  let wi = 0;
  let result = null;
  for (const L of c.layers) {
    if (isRecurrent(L)) {
      if (shape.length !== 3) throw new Error('recurrent layer needs a sequence');
      const T = shape[1]; // the model's timesteps, or fewer after Conv1D and pooling
      const D = shape[2];
      const per = L.useBias ? 3 : 2;
      const take = () => {
        const w = { kernel: weights[wi].data, rec: weights[wi + 1].data, bias: L.useBias ? weights[wi + 2].data : null };
        wi += per;
        return w;
      };
      const ns = numStates(L);
      const wf = take();
      const fwd = refDirection(L, wf, x, B, T, D, initStates ? initStates.slice(0, ns) : null, L.goBackwards);
      let bwd = null;
      if (L.bidirectional) {
        const wb = take();
        bwd = refDirection(L, wb, x, B, T, D, initStates ? initStates.slice(ns, 2 * ns) : null, !L.goBackwards);
      }
      result = assembleKeras(L, B, T, fwd, bwd);
      x = result.next.data;
      shape = result.next.shape;
    } else if (L.kind === 'Dense') {
      const ws = [weights[wi].data];
      if (L.useBias) ws.push(weights[wi + 1].data);
      wi += L.useBias ? 2 : 1;
      const r = refDense(L, ws, x, shape);
      x = r.data;
      shape = r.shape;
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (isNorm(L)) {
      // (x - mean) / sqrt(variance + epsilon) * gamma + beta on the last axis: the vector's own mean and population
      // variance (LayerNormalization) or the moving statistics (BatchNormalization at inference).
      const D = shape[shape.length - 1];
      const gamma = L.scale ? weights[wi++].data : null;
      const beta = L.center ? weights[wi++].data : null;
      const moving = L.kind === 'BatchNormalization' ? [weights[wi++].data, weights[wi++].data] : null;
      const y = new Float64Array(x.length);
      for (let r = 0; r < x.length / D; r++) {
        let mean = 0;
        let variance = 0;
        if (!moving) {
          for (let k = 0; k < D; k++) mean += x[r * D + k];
          mean /= D;
          for (let k = 0; k < D; k++) variance += (x[r * D + k] - mean) ** 2;
          variance /= D;
        }
        for (let k = 0; k < D; k++) {
          const m = moving ? moving[0][k] : mean;
          const v = moving ? moving[1][k] : variance;
          y[r * D + k] = ((x[r * D + k] - m) / Math.sqrt(v + Math.fround(L.epsilon))) * (gamma ? gamma[k] : 1) + (beta ? beta[k] : 0);
        }
      }
      x = y;
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (L.kind === 'Normalization') {
      // Keras Normalization.call: (x - mean) / max(sqrt(variance), epsilon), or mean + x * max(sqrt(variance), epsilon)
      // with invert, on the last axis; epsilon is backend.epsilon() = 1e-7, a float32 in the op. count is not used.
      const D = shape[shape.length - 1];
      const mean = weights[wi].data;
      const variance = weights[wi + 1].data;
      wi += 3;
      const y = new Float64Array(x.length);
      for (let r = 0; r < x.length / D; r++)
        for (let k = 0; k < D; k++) {
          const sd = Math.max(Math.sqrt(variance[k]), Math.fround(1e-7));
          y[r * D + k] = L.invert ? mean[k] + x[r * D + k] * sd : (x[r * D + k] - mean[k]) / sd;
        }
      x = y;
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (L.kind === 'Activation') {
      // Keras Activation.call: the activation of every value; softmax over the last axis (as refDense applies it).
      const D = shape[shape.length - 1];
      x = refDense({ units: D, useBias: false, activation: L.activation }, [identity(D)], x, shape).data;
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (L.kind === 'Rescaling') {
      // Keras Rescaling.call: inputs * scale + offset (the scale and offset as float32, as Keras casts them).
      x = Float64Array.from(x, (v) => v * Math.fround(L.rescalingScale) + Math.fround(L.rescalingOffset));
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (isGlobalPooling(L)) {
      // Keras GlobalAveragePooling1D.call: ops.mean over the time axis; GlobalMaxPooling1D.call: ops.max.
      if (shape.length !== 3) throw new Error('global pooling needs a sequence');
      const [, T2, D] = shape;
      const y = new Float64Array(B * D);
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < D; k++) {
          let pooled = L.kind === 'GlobalMaxPooling1D' ? -Infinity : 0;
          for (let t = 0; t < T2; t++) {
            const v = x[(b * T2 + t) * D + k];
            pooled = L.kind === 'GlobalMaxPooling1D' ? Math.max(pooled, v) : pooled + v;
          }
          y[b * D + k] = L.kind === 'GlobalMaxPooling1D' ? pooled : pooled / T2;
        }
      }
      x = y;
      shape = [B, D];
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (L.kind === 'Conv1D') {
      // Keras Conv1D.call: y[t, f] = act(b[f] + sum over k, c of x[t * strides + k * dilation - pad, c] * W[k, c, f]),
      // padded timesteps being zeros.
      const [, T2, D] = shape;
      const F = L.units;
      const { out, pad } = window1d(T2, L.kernelSize, L.strides, L.dilationRate, L.padding);
      const W = weights[wi].data;
      const bias = L.useBias ? weights[wi + 1].data : null;
      wi += L.useBias ? 2 : 1;
      const y = new Float64Array(B * out * F);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < out; t++)
          for (let f = 0; f < F; f++) {
            let s = bias ? bias[f] : 0;
            for (let k = 0; k < L.kernelSize; k++) {
              const src = t * L.strides + k * L.dilationRate - pad;
              if (src < 0 || src >= T2) continue;
              for (let ch = 0; ch < D; ch++) s += x[(b * T2 + src) * D + ch] * W[(k * D + ch) * F + f];
            }
            y[(b * out + t) * F + f] = REF_ACT[L.activation](s);
          }
      x = y;
      shape = [B, out, F];
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (isPool1d(L)) {
      // Keras MaxPooling1D / AveragePooling1D.call: the max or the mean of each window, padded timesteps left out.
      const [, T2, D] = shape;
      const { out, pad } = window1d(T2, L.poolSize, L.strides, 1, L.padding);
      const y = new Float64Array(B * out * D);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < out; t++) {
          const first = Math.max(t * L.strides - pad, 0);
          const end = Math.min(t * L.strides - pad + L.poolSize, T2);
          for (let k = 0; k < D; k++) {
            let pooled = L.kind === 'MaxPooling1D' ? -Infinity : 0;
            for (let s = first; s < end; s++) {
              const v = x[(b * T2 + s) * D + k];
              pooled = L.kind === 'MaxPooling1D' ? Math.max(pooled, v) : pooled + v;
            }
            y[(b * out + t) * D + k] = L.kind === 'MaxPooling1D' ? pooled : pooled / (end - first);
          }
        }
      x = y;
      shape = [B, out, D];
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (['Flatten', 'Reshape', 'RepeatVector'].includes(L.kind)) {
      // Keras Flatten / Reshape.call: the same values in row-major order; RepeatVector.call: the vector at n timesteps.
      const next = reshapedShape(L, shape.slice(1));
      if (L.kind === 'RepeatVector') {
        const D = shape[1];
        const y = new Float64Array(B * L.n * D);
        for (let b = 0; b < B; b++) for (let t = 0; t < L.n; t++) for (let k = 0; k < D; k++) y[(b * L.n + t) * D + k] = x[b * D + k];
        x = y;
      }
      shape = [B, ...next];
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else if (L.kind === 'Dropout') {
      // identity at inference
      result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
    } else throw new Error(L.kind);
  }
  if (wi !== weights.length) throw new Error('weights not all consumed');
  if (c.layers.length > 1) result = { outputs: [{ name: 'output', shape, data: x }], finalStates: null };
  return result;
}

function reference(c) {
  const init = c.initialState ? c.initialState.map((s) => s.data) : null;
  let r = refCall(c, c.weights, c.input.data, init);
  for (let k = 1; k < c.calls; k++) r = refCall(c, c.weights, c.input.data, r.finalStates);
  return r.outputs;
}

// ----------------------------------------------------------------------------------------------
// Case materialization: weights, inputs and initial states from the case's own PRNG.
// ----------------------------------------------------------------------------------------------
function materialize(spec) {
  const rng = mulberry32(fnv1a(spec.name));
  const scale = spec.weightScale ?? 1;
  const c = {
    name: spec.name,
    engine: spec.engine,
    timesteps: spec.timesteps,
    inputDim: spec.inputDim,
    layers: spec.layers,
    batch: spec.batch,
    calls: spec.layers.some((L) => L.stateful) ? 2 : 1,
  };
  if (!/^[a-z0-9_]+$/.test(c.name)) throw new Error(`bad name ${c.name}`);
  if (spec.layers.some((L) => L.stateful) && spec.layers.length !== 1) throw new Error('stateful only for single layers');
  let inDim = spec.inputDim;
  c.weights = [];
  let sample = [spec.timesteps, spec.inputDim]; // the per-sample shape each layer receives
  for (const L of spec.layers) {
    inDim = sample[sample.length - 1];
    const shapes = weightShapes(L, inDim);
    if (L.kind === 'Normalization') {
      c.weights.push(...normalizationWeights(rng, inDim));
      sample = [...sample.slice(0, -1), outDim(L, inDim)];
      continue;
    }
    shapes.forEach((s, i) => {
      const data = uniform(rng, prod(s), scale);
      // A moving variance is positive; values in [0.2, 2.2) keep every term of the normalization visible.
      if (L.kind === 'BatchNormalization' && i === shapes.length - 1) for (let k = 0; k < data.length; k++) data[k] = Math.fround(0.2 + 2 * Math.abs(data[k]));
      c.weights.push({ shape: s, data });
    });
    if (['Flatten', 'Reshape', 'RepeatVector'].includes(L.kind)) sample = reshapedShape(L, sample);
    else if (L.kind === 'Conv1D' || isPool1d(L)) {
      const size = L.kind === 'Conv1D' ? L.kernelSize : L.poolSize;
      sample = [window1d(sample[0], size, L.strides, L.dilationRate ?? 1, L.padding).out, outDim(L, inDim)];
    } else if (isGlobalPooling(L) || (isRecurrent(L) && !L.returnSequences)) sample = [outDim(L, inDim)];
    else sample = [...sample.slice(0, -1), outDim(L, inDim)];
  }
  if (spec.weights) {
    if (spec.weights.length !== c.weights.length) throw new Error(`${spec.name}: weight count`);
    spec.weights.forEach((w, i) => {
      if (JSON.stringify(w.shape) !== JSON.stringify(c.weights[i].shape)) throw new Error(`${spec.name}: weight shape ${i}`);
    });
    c.weights = spec.weights;
  }
  const inShape = [spec.batch, spec.timesteps, spec.inputDim];
  c.input = spec.input ? { shape: inShape, data: Float32Array.from(spec.input) } : { shape: inShape, data: uniform(rng, prod(inShape), 1) };
  if (spec.zeroVarianceFeature != null) {
    // The first layer is a Normalization on the input: feature k gets variance 0, so max(sqrt(0), 1e-7) = 1e-7 is the
    // divisor, and the input equals the mean on that feature at every timestep, so (x - mean) / 1e-7 = 0 exactly (a
    // missing clamp gives 0 / 0 = NaN); any other input there would be multiplied by 1e7.
    const k = spec.zeroVarianceFeature;
    if (spec.layers[0].kind !== 'Normalization' || spec.layers[0].invert || k >= spec.inputDim) throw new Error(`${spec.name}: zeroVarianceFeature needs a Normalization on the input`);
    c.weights[1].data[k] = 0;
    for (let r = 0; r < prod(inShape) / spec.inputDim; r++) c.input.data[r * spec.inputDim + k] = c.weights[0].data[k];
  }
  c.initialState = null;
  if (spec.initialState) {
    const L = spec.layers[0];
    const n = numStates(L) * (L.bidirectional ? 2 : 1);
    c.initialState = [];
    for (let i = 0; i < n; i++) c.initialState.push({ shape: [spec.batch, L.units], data: uniform(rng, spec.batch * L.units, 1) });
  }
  c.spec = spec;
  return c;
}

/**
 * Adapted statistics of a Normalization over D features: mean in [-2.5, 3.5) (away from 0), variance in [0.05, 4)
 * (positive) and count, a positive integer that call never reads (shape []).
 */
function normalizationWeights(rng, D) {
  const mean = Float32Array.from(uniform(rng, D, 1), (u) => Math.fround(3 * u + 0.5));
  const variance = Float32Array.from(uniform(rng, D, 1), (u) => Math.fround(0.05 + 3.95 * Math.abs(u)));
  const count = Float32Array.of(1000 + Math.floor(rng() * 9000));
  return [{ shape: [D], data: mean }, { shape: [D], data: variance }, { shape: [], data: count }];
}

// ----------------------------------------------------------------------------------------------
// TensorFlow.js engine
// ----------------------------------------------------------------------------------------------
let tf;

function tfjsLayer(L, extra = {}) {
  if (L.kind === 'Dense') {
    return tf.layers.dense({ units: L.units, activation: TFJS_ACT[L.activation], useBias: L.useBias, kernelInitializer: 'zeros', biasInitializer: 'zeros', ...extra });
  }
  if (L.kind === 'Dropout') return tf.layers.dropout({ rate: L.rate, ...extra });
  if (L.kind === 'Activation') {
    if (!TFJS_ACT[L.activation]) throw new Error(`tfjs has no ${L.activation}`);
    return tf.layers.activation({ activation: TFJS_ACT[L.activation], ...extra });
  }
  if (L.kind === 'GlobalAveragePooling1D') return tf.layers.globalAveragePooling1d({ ...extra });
  if (L.kind === 'Conv1D') {
    const conv = (padding, more) => tf.layers.conv1d({
      filters: L.units, kernelSize: L.kernelSize, strides: L.strides, padding, dilationRate: L.dilationRate,
      activation: TFJS_ACT[L.activation], useBias: L.useBias, kernelInitializer: 'zeros', biasInitializer: 'zeros', ...more,
    });
    if (L.padding !== 'causal') return conv(L.padding, extra);
    // tfjs 4.22's conv1d has no causal padding; Keras 3's Conv1D.call computes it the same way: pad the start with
    // dilation * (kernel_size - 1) zeros, then convolve with padding valid (keras/src/layers/convolutional/conv1d.py).
    return [new CausalPad1D(L.dilationRate * (L.kernelSize - 1), extra), conv('valid', {})];
  }
  if (L.kind === 'MaxPooling1D') return tf.layers.maxPooling1d({ poolSize: L.poolSize, strides: L.strides, padding: L.padding, ...extra });
  if (L.kind === 'Flatten') return tf.layers.flatten({ ...extra });
  if (L.kind === 'Reshape') return tf.layers.reshape({ targetShape: [...L.targetShape], ...extra }); // a copy: tfjs writes null over the -1 it is given
  if (L.kind === 'RepeatVector') return tf.layers.repeatVector({ n: L.n, ...extra });
  if (L.kind === 'AveragePooling1D') return tf.layers.averagePooling1d({ poolSize: L.poolSize, strides: L.strides, padding: L.padding, ...extra });
  if (L.kind === 'GlobalMaxPooling1D') return tf.layers.globalMaxPooling1d({ ...extra });
  if (L.kind === 'Rescaling') return tf.layers.rescaling({ scale: L.rescalingScale, offset: L.rescalingOffset, ...extra });
  if (L.kind === 'LayerNormalization') return tf.layers.layerNormalization({ axis: -1, epsilon: L.epsilon, center: L.center, scale: L.scale, ...extra });
  if (L.kind === 'BatchNormalization') return tf.layers.batchNormalization({ axis: -1, epsilon: L.epsilon, center: L.center, scale: L.scale, ...extra });
  if (L.kind === 'Normalization') return new KerasNormalization(L.invert, extra); // tfjs-layers has no Normalization
  const args = {
    units: L.units,
    activation: TFJS_ACT[L.activation],
    useBias: L.useBias,
    returnSequences: L.returnSequences,
    returnState: L.returnState,
    goBackwards: L.goBackwards,
    stateful: L.stateful,
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  };
  for (const a of [L.activation, L.recurrentActivation]) if (a != null && !TFJS_ACT[a]) throw new Error(`tfjs has no ${a}`);
  if (L.kind !== 'SimpleRnn') args.recurrentActivation = TFJS_ACT[L.recurrentActivation];
  if (L.kind === 'Lstm') args.unitForgetBias = false;
  if (L.kind === 'Gru') {
    if (L.resetAfter) throw new Error('tfjs cannot do GRU reset_after=True');
    args.resetAfter = false;
  }
  const ctor = { SimpleRnn: tf.layers.simpleRNN, Lstm: tf.layers.lstm, Gru: tf.layers.gru }[L.kind];
  if (!L.bidirectional) return ctor({ ...args, ...extra });
  return tf.layers.bidirectional({ layer: ctor(args), mergeMode: MERGE_TFJS[L.mergeMode], ...extra });
}

function setTfjsWeights(layers, weights) {
  let wi = 0;
  for (const layer of layers) {
    const current = layer.getWeights();
    const mine = weights.slice(wi, wi + current.length);
    wi += current.length;
    current.forEach((t, i) => {
      if (JSON.stringify(t.shape) !== JSON.stringify(mine[i].shape)) throw new Error(`tfjs weight shape mismatch ${t.shape} vs ${mine[i].shape} in ${layer.name}`);
    });
    layer.setWeights(mine.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    // read back: no transposition or reordering may happen
    layer.getWeights().forEach((t, i) => {
      const got = t.dataSync();
      for (let k = 0; k < got.length; k++) if (got[k] !== mine[i].data[k]) throw new Error(`tfjs weight readback differs in ${layer.name}`);
    });
  }
  if (wi !== weights.length) throw new Error(`tfjs model has ${wi} weight arrays, case has ${weights.length}`);
}

const asList = (r) => (Array.isArray(r) ? r : [r]);

/** Zeros before the first timestep: the padding of Keras 3's causal Conv1D, as a tfjs layer. Defined once tf is loaded. */
let CausalPad1D;
function defineCausalPad() {
  CausalPad1D = class extends tf.layers.Layer {
    constructor(pad, extra) {
      super(extra);
      this.pad = pad;
    }
    computeOutputShape(s) {
      return [s[0], s[1] === null ? null : s[1] + this.pad, s[2]];
    }
    call(inputs) {
      return tf.tidy(() => tf.pad(asList(inputs)[0], [[0, 0], [this.pad, 0], [0, 0]]));
    }
    static get className() {
      return 'CausalPad1D';
    }
  };
}

/**
 * Keras 3's Normalization (keras/src/layers/preprocessing/normalization.py) after adapt(), axis -1, as a tfjs layer
 * (tfjs-layers has none): non-trainable weights mean [D], variance [D] and count [] in Keras's get_weights() order
 * (count is an int64 in Keras, a float32 here; call never reads it); call is (x - mean) / maximum(sqrt(variance),
 * 1e-7), or mean + x * maximum(sqrt(variance), 1e-7) with invert. Defined once tf is loaded.
 */
let KerasNormalization;
function defineKerasNormalization() {
  KerasNormalization = class extends tf.layers.Layer {
    constructor(invert, extra) {
      super(extra);
      this.invert = invert;
    }
    build(inputShape) {
      const d = inputShape[inputShape.length - 1];
      this.mean = this.addWeight('mean', [d], 'float32', tf.initializers.zeros(), null, false);
      this.variance = this.addWeight('variance', [d], 'float32', tf.initializers.ones(), null, false);
      this.count = this.addWeight('count', [], 'float32', tf.initializers.zeros(), null, false);
      this.built = true;
    }
    computeOutputShape(s) {
      return s;
    }
    call(inputs) {
      return tf.tidy(() => {
        const x = asList(inputs)[0];
        const sd = tf.maximum(tf.sqrt(this.variance.read()), 1e-7);
        return this.invert ? tf.add(this.mean.read(), tf.mul(x, sd)) : tf.div(tf.sub(x, this.mean.read()), sd);
      });
    }
    static get className() {
      return 'KerasNormalization';
    }
  };
}

function runTfjs(c) {
  const spec = c.spec;
  const B = c.batch;
  const T = c.timesteps;
  const D = c.inputDim;
  if (spec.multi) {
    // Stacks: a tf.Sequential with all layers of the case.
    const model = tf.sequential();
    c.layers.forEach((L, i) => asList(tfjsLayer(L, i === 0 ? { inputShape: [T, D] } : {})).forEach((layer) => model.add(layer)));
    setTfjsWeights(model.layers, c.weights);
    const y = model.predict(tf.tensor(c.input.data, c.input.shape));
    return asList(y).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  }
  const L = c.layers[0];
  if (spec.tfjsPrebuilt) return spec.tfjsPrebuilt(c);
  const x = L.stateful ? tf.input({ batchShape: [B, T, D] }) : tf.input({ shape: [T, D] });
  const stateInputs = c.initialState ? c.initialState.map(() => tf.input({ shape: [L.units] })) : [];
  const layer = tfjsLayer(L);
  const out = c.initialState ? layer.apply(x, { initialState: stateInputs }) : layer.apply(x);
  const model = tf.model({ inputs: [x, ...stateInputs], outputs: out });
  setTfjsWeights([layer], c.weights);
  const feeds = [tf.tensor(c.input.data, c.input.shape), ...(c.initialState ?? []).map((s) => tf.tensor(s.data, s.shape))];
  const feed = feeds.length === 1 ? feeds[0] : feeds;
  if (!L.stateful) return asList(model.predict(feed)).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  // Stateful: call the layer itself twice on the concrete input. (With tfjs 4.22, model.predict
  // on a stateful layer with returnState advances the state twice per call: the layer seems to
  // run once per requested output.)
  layer.resetStates();
  const xt = feeds[0];
  const first = asList(layer.apply(xt)).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  const res = asList(layer.apply(xt)).map((t) => ({ shape: t.shape, data: t.dataSync() }));
  let same = true;
  for (let k = 0; k < first[0].data.length; k++) if (first[0].data[k] !== res[0].data[k]) same = false;
  if (same) throw new Error(`${c.name}: tfjs stateful layer did not carry its state into the 2nd call`);
  return res;
}

// ----------------------------------------------------------------------------------------------
// ONNX Runtime engine
// ----------------------------------------------------------------------------------------------
let ort;

const ONNX_OP = { SimpleRnn: 'RNN', Lstm: 'LSTM', Gru: 'GRU' };
// ONNX gate order -> Keras gate index. LSTM: ONNX i,o,f,c vs Keras i,f,c,o. GRU: z,r,h both.
const GATE_MAP = { SimpleRnn: [0], Lstm: [0, 3, 1, 2], Gru: [0, 1, 2] };

function onnxActivations(L) {
  const names = L.kind === 'SimpleRnn' ? [L.activation] : L.kind === 'Lstm' ? [L.recurrentActivation, L.activation, L.activation] : [L.recurrentActivation, L.activation];
  const dirs = L.bidirectional ? 2 : 1;
  const acts = [];
  const alpha = [];
  const beta = [];
  for (let d = 0; d < dirs; d++)
    for (const n of names) {
      const m = ONNX_ACT[n];
      if (!m) throw new Error(`no ONNX activation for ${n}`);
      acts.push(m[0]);
      if (m[1] != null) alpha.push(m[1]);
      if (m[2] != null) beta.push(m[2]);
    }
  return { acts, alpha, beta };
}

async function runOrt(c) {
  const L = c.layers[0];
  if (c.layers.length !== 1 || !isRecurrent(L)) throw new Error('ONNX path handles single recurrent layers');
  const B = c.batch;
  const T = c.timesteps;
  const D = c.inputDim;
  const H = L.units;
  const G = GATES[L.kind];
  const dirs = L.bidirectional ? 2 : 1;
  const per = L.useBias ? 3 : 2;
  const gmap = GATE_MAP[L.kind];
  const W = new Float32Array(dirs * G * H * D);
  const R = new Float32Array(dirs * G * H * H);
  const Bv = new Float32Array(dirs * 2 * G * H);
  for (let d = 0; d < dirs; d++) {
    const kernel = c.weights[d * per].data;
    const rec = c.weights[d * per + 1].data;
    const bias = L.useBias ? c.weights[d * per + 2].data : null;
    for (let og = 0; og < G; og++) {
      const kg = gmap[og];
      for (let j = 0; j < H; j++) {
        const row = og * H + j;
        const col = kg * H + j;
        for (let k = 0; k < D; k++) W[(d * G * H + row) * D + k] = kernel[k * G * H + col];
        for (let m = 0; m < H; m++) R[(d * G * H + row) * H + m] = rec[m * G * H + col];
        if (bias) {
          Bv[d * 2 * G * H + row] = bias[col]; // Wb (Keras bias, or GRU reset_after row 0)
          if (L.kind === 'Gru' && L.resetAfter) Bv[d * 2 * G * H + G * H + row] = bias[G * H + col]; // Rb = row 1
          // otherwise Rb stays 0: Keras has a single bias
        }
      }
    }
  }
  const { acts, alpha, beta } = onnxActivations(L);
  const attrs = {
    hidden_size: H,
    direction: L.bidirectional ? 'bidirectional' : L.goBackwards ? 'reverse' : 'forward',
    activations: acts,
  };
  if (alpha.length) attrs.activation_alpha = alpha;
  if (beta.length) attrs.activation_beta = beta;
  if (L.kind === 'Gru') attrs.linear_before_reset = L.resetAfter ? 1 : 0;
  const useInit = !!c.initialState || L.stateful;
  const inputs = ['X', 'W', 'R', L.useBias ? 'B' : '', ''];
  const graphInputs = [['X', [T, B, D]]];
  if (useInit) {
    inputs.push('initial_h');
    graphInputs.push(['initial_h', [dirs, B, H]]);
    if (L.kind === 'Lstm') {
      inputs.push('initial_c');
      graphInputs.push(['initial_c', [dirs, B, H]]);
    }
  }
  const outputs = ['Y', 'Y_h'];
  const graphOutputs = [['Y', [T, dirs, B, H]], ['Y_h', [dirs, B, H]]];
  if (L.kind === 'Lstm') {
    outputs.push('Y_c');
    graphOutputs.push(['Y_c', [dirs, B, H]]);
  }
  const initializers = [onnxTensor('W', [dirs, G * H, D], W), onnxTensor('R', [dirs, G * H, H], R)];
  if (L.useBias) initializers.push(onnxTensor('B', [dirs, 2 * G * H], Bv));
  const bytes = onnxModel({ opType: ONNX_OP[L.kind], inputs, outputs, attrs, initializers, graphInputs, graphOutputs });
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });

  // X is time-major [T, B, D]
  const X = new Float32Array(T * B * D);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < D; k++) X[(t * B + b) * D + k] = c.input.data[(b * T + t) * D + k];
  const ns = numStates(L);
  // Keras state list [fwd_h, (fwd_c), bwd_h, (bwd_c)] -> initial_h [dirs,B,H], initial_c
  const toOnnxStates = (list) => {
    const h0 = new Float32Array(dirs * B * H);
    const c0 = new Float32Array(dirs * B * H);
    for (let d = 0; d < dirs; d++) {
      h0.set(list[d * ns], d * B * H);
      if (ns === 2) c0.set(list[d * ns + 1], d * B * H);
    }
    return [h0, c0];
  };
  let states = c.initialState ? c.initialState.map((s) => s.data) : Array.from({ length: dirs * ns }, () => new Float32Array(B * H));
  let result;
  for (let call = 0; call < c.calls; call++) {
    const feeds = { X: new ort.Tensor('float32', X, [T, B, D]) };
    if (useInit) {
      const [h0, c0] = toOnnxStates(states);
      feeds.initial_h = new ort.Tensor('float32', h0, [dirs, B, H]);
      if (L.kind === 'Lstm') feeds.initial_c = new ort.Tensor('float32', c0, [dirs, B, H]);
    }
    const out = await session.run(feeds);
    const Y = out.Y.data;
    const Yh = out.Y_h.data;
    const Yc = L.kind === 'Lstm' ? out.Y_c.data : null;
    const perDir = [];
    for (let d = 0; d < dirs; d++) {
      const seqFwdTime = new Float32Array(B * T * H); // [B,T,H] in forward time order
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) seqFwdTime[(b * T + t) * H + j] = Y[((t * dirs + d) * B + b) * H + j];
      const reverse = L.bidirectional ? d === 1 : L.goBackwards;
      const h = Yh.slice(d * B * H, (d + 1) * B * H);
      const st = [h];
      if (Yc) st.push(Yc.slice(d * B * H, (d + 1) * B * H));
      // ONNX gives Y in forward time; Keras's per-direction sequence is in processing order.
      perDir.push({ seq: reverse ? flipTime(seqFwdTime, B, T, H) : seqFwdTime, last: h, states: st });
    }
    result = assembleKeras(L, B, T, perDir[0], perDir[1] ?? null);
    states = result.finalStates;
  }
  await session.release();
  return result.outputs.map((o) => ({ shape: o.shape, data: Float32Array.from(o.data) }));
}

// ----------------------------------------------------------------------------------------------
// Case lists
// ----------------------------------------------------------------------------------------------
const KIND_TAG = (L) => (L.kind === 'SimpleRnn' ? 'simplernn' : L.kind === 'Lstm' ? 'lstm' : L.resetAfter ? 'gru_ra' : 'gru');

function autoName(engine, L, U, D, T, B, extraTag) {
  const f = [];
  if (L.bidirectional) f.push(`bi_${L.mergeMode.toLowerCase()}`);
  if (L.returnSequences) f.push('seq');
  if (L.returnState) f.push('state');
  if (L.goBackwards) f.push('back');
  if (L.stateful) f.push('stateful');
  if (!L.useBias) f.push('nobias');
  if (L.activation !== 'tanh') f.push(`act_${L.activation}`);
  if (L.recurrentActivation && L.recurrentActivation !== 'sigmoid') f.push(`ract_${L.recurrentActivation}`);
  if (extraTag) f.push(extraTag);
  const pre = engine === 'onnxruntime' ? 'ort_' : '';
  return `${pre}${KIND_TAG(L)}_u${U}_d${D}_t${T}_b${B}${f.length ? '_' + f.join('_') : ''}`;
}

function single(engine, kind, [U, D, T, B], o = {}) {
  const L = recurrent(kind, U, o);
  const tag = [o.initialState ? 'init' : null, o.tag ?? null].filter(Boolean).join('_');
  return {
    name: autoName(engine, L, U, D, T, B, tag),
    engine,
    timesteps: T,
    inputDim: D,
    batch: B,
    layers: [L],
    initialState: !!o.initialState,
    weightScale: o.weightScale,
  };
}

// (units, inputDim, timesteps, batch): every odd size appears with every kind.
const SIZES = [
  [13, 7, 9, 3],
  [1, 1, 1, 2],
  [1, 7, 9, 3],
  [13, 1, 9, 2],
  [13, 7, 1, 3],
  [1, 1, 9, 2],
  [13, 7, 9, 2],
];

const OPTION_SETS = [
  {},
  { returnSequences: true },
  { returnState: true },
  { returnSequences: true, returnState: true },
  { goBackwards: true },
  { goBackwards: true, returnSequences: true },
  { goBackwards: true, returnSequences: true, returnState: true },
  { goBackwards: true, returnState: true },
  { stateful: true },
  { stateful: true, returnSequences: true },
  { stateful: true, goBackwards: true, returnSequences: true, returnState: true },
  { useBias: false },
  { useBias: false, returnSequences: true, returnState: true },
  { initialState: true },
  { initialState: true, returnSequences: true, returnState: true },
  { initialState: true, goBackwards: true, returnSequences: true },
  { bidirectional: true, mergeMode: 'Concat' },
  { bidirectional: true, mergeMode: 'Concat', returnSequences: true },
  { bidirectional: true, mergeMode: 'Sum' },
  { bidirectional: true, mergeMode: 'Sum', returnSequences: true },
  { bidirectional: true, mergeMode: 'Mul' },
  { bidirectional: true, mergeMode: 'Mul', returnSequences: true },
  { bidirectional: true, mergeMode: 'Ave' },
  { bidirectional: true, mergeMode: 'Ave', returnSequences: true },
  { bidirectional: true, mergeMode: 'None' },
  { bidirectional: true, mergeMode: 'None', returnSequences: true },
  { bidirectional: true, mergeMode: 'Concat', returnSequences: true, returnState: true },
  { bidirectional: true, mergeMode: 'Sum', returnState: true },
  { bidirectional: true, mergeMode: 'None', returnSequences: true, returnState: true },
  { bidirectional: true, mergeMode: 'Ave', returnState: true, useBias: false },
  { bidirectional: true, mergeMode: 'Concat', returnState: true, initialState: true },
  { bidirectional: true, mergeMode: 'Mul', returnSequences: true, initialState: true },
  { bidirectional: true, mergeMode: 'Concat', returnSequences: true, stateful: true },
];

// Unbounded activations get weights in [-0.5, 0.5) so the 9-step recurrences stay tame.
const BOUNDED = new Set(['tanh', 'sigmoid', 'softsign', 'hard_sigmoid', 'hard_sigmoid_keras2']);
const scaleFor = (o) => (BOUNDED.has(o.activation ?? 'tanh') ? undefined : 0.5);

function optionCases(engine, kind, extra = {}) {
  return OPTION_SETS.map((o, i) => single(engine, kind, SIZES[i % SIZES.length], { ...o, ...extra }));
}

function activationCases(engine, kind, list, extra = {}) {
  return list.map(([act, ract, more], i) => {
    const o = { activation: act, returnSequences: true, ...extra, ...(more ?? {}) };
    if (kind !== 'SimpleRnn') o.recurrentActivation = ract;
    o.weightScale = scaleFor(o);
    return single(engine, kind, SIZES[(i * 3) % SIZES.length], o);
  });
}

const LONG = [32, 8, 64, 2];
const longCase = (engine, kind, extra = {}) => single(engine, kind, LONG, { returnSequences: true, returnState: true, weightScale: 0.5, tag: 'long', ...extra });

function tfjsCases() {
  const cases = [];
  for (const kind of ['SimpleRnn', 'Lstm', 'Gru']) cases.push(...optionCases('tfjs', kind));
  cases.push(
    ...activationCases('tfjs', 'SimpleRnn', [
      ['relu'], ['sigmoid'], ['linear'], ['softsign'], ['elu'], ['selu'], ['softplus'], ['silu'], ['mish'], ['relu6'], ['hard_sigmoid_keras2'],
    ]),
    ...activationCases('tfjs', 'Lstm', [
      ['relu', 'sigmoid'], ['linear', 'sigmoid'], ['softsign', 'sigmoid'], ['sigmoid', 'sigmoid'], ['elu', 'sigmoid'],
      ['tanh', 'hard_sigmoid_keras2'], ['relu', 'hard_sigmoid_keras2'], ['tanh', 'softsign'], ['tanh', 'hard_sigmoid_keras2', { bidirectional: true, mergeMode: 'Concat', returnState: true }],
    ]),
    ...activationCases('tfjs', 'Gru', [
      ['relu', 'sigmoid'], ['linear', 'sigmoid'], ['softsign', 'sigmoid'], ['sigmoid', 'sigmoid'], ['selu', 'sigmoid'],
      ['tanh', 'hard_sigmoid_keras2'], ['relu', 'hard_sigmoid_keras2'], ['relu6', 'sigmoid'], ['tanh', 'hard_sigmoid_keras2', { bidirectional: true, mergeMode: 'Sum', returnSequences: false, returnState: true }],
    ]),
    longCase('tfjs', 'SimpleRnn'),
    longCase('tfjs', 'Lstm'),
    longCase('tfjs', 'Gru'),
    longCase('tfjs', 'Lstm', { bidirectional: true, mergeMode: 'Concat', tag: 'long' }),
  );
  cases.push(...stackCases(), ...seedCases());
  return cases;
}

function ortCases() {
  const cases = [];
  const ra = { resetAfter: true };
  cases.push(...optionCases('onnxruntime', 'Gru', ra));
  cases.push(
    ...activationCases('onnxruntime', 'Gru', [
      ['relu', 'sigmoid'], ['linear', 'sigmoid'], ['softsign', 'sigmoid'], ['softplus', 'sigmoid'], ['elu', 'sigmoid'], ['sigmoid', 'sigmoid'],
      ['tanh', 'hard_sigmoid'], ['tanh', 'hard_sigmoid_keras2'], ['relu', 'hard_sigmoid'],
      ['tanh', 'hard_sigmoid', { bidirectional: true, mergeMode: 'Concat', returnState: true }],
    ], ra),
    longCase('onnxruntime', 'Gru', ra),
    longCase('onnxruntime', 'Gru', { ...ra, bidirectional: true, mergeMode: 'Ave' }),
    // LSTM through ONNX Runtime (second engine)
    single('onnxruntime', 'Lstm', [13, 7, 9, 3], { returnSequences: true, returnState: true }),
    single('onnxruntime', 'Lstm', [1, 1, 9, 2], { goBackwards: true, returnSequences: true }),
    single('onnxruntime', 'Lstm', [13, 1, 1, 2], { bidirectional: true, mergeMode: 'Concat', returnSequences: true, returnState: true }),
    single('onnxruntime', 'Lstm', [1, 7, 9, 3], { initialState: true, returnState: true }),
    single('onnxruntime', 'Lstm', [13, 7, 9, 2], { stateful: true, returnSequences: true }),
    single('onnxruntime', 'Lstm', [13, 7, 9, 3], { recurrentActivation: 'hard_sigmoid', returnSequences: true }),
    single('onnxruntime', 'Lstm', [13, 7, 9, 3], { useBias: false, bidirectional: true, mergeMode: 'None' }),
    longCase('onnxruntime', 'Lstm'),
    // SimpleRNN through ONNX Runtime (second engine)
    single('onnxruntime', 'SimpleRnn', [13, 7, 9, 3], { returnSequences: true }),
    single('onnxruntime', 'SimpleRnn', [1, 1, 9, 2], { goBackwards: true, returnSequences: true, returnState: true }),
    single('onnxruntime', 'SimpleRnn', [13, 1, 1, 2], { bidirectional: true, mergeMode: 'Sum', returnSequences: true }),
    single('onnxruntime', 'SimpleRnn', [1, 7, 9, 3], { initialState: true, useBias: false }),
    single('onnxruntime', 'SimpleRnn', [13, 7, 9, 2], { stateful: true, returnState: true }),
    single('onnxruntime', 'SimpleRnn', [13, 7, 9, 3], { activation: 'relu', returnSequences: true, weightScale: 0.5 }),
    single('onnxruntime', 'SimpleRnn', [13, 7, 9, 3], { activation: 'softsign', bidirectional: true, mergeMode: 'Mul', returnState: true }),
    longCase('onnxruntime', 'SimpleRnn'),
    // GRU reset_after=False through ONNX Runtime (linear_before_reset=0, Rb = 0)
    single('onnxruntime', 'Gru', [13, 7, 9, 3], { returnSequences: true, returnState: true }),
    single('onnxruntime', 'Gru', [1, 1, 9, 2], { bidirectional: true, mergeMode: 'Ave', returnSequences: true }),
    single('onnxruntime', 'Gru', [13, 7, 1, 3], { recurrentActivation: 'hard_sigmoid', goBackwards: true, initialState: true }),
    single('onnxruntime', 'Gru', [1, 7, 9, 3], { useBias: false, stateful: true }),
  );
  return cases;
}

function stack(name, T, D, B, layers, weightScale) {
  return { name, engine: 'tfjs', timesteps: T, inputDim: D, batch: B, layers, multi: true, initialState: false, weightScale };
}

function stackCases() {
  return [
    stack('stack_lstm20_relu_dense5_relu_dense1', 3, 1, 3, [recurrent('Lstm', 20, { activation: 'relu' }), dense(5, 'relu'), dense(1)], 0.5),
    stack('stack_simplernn8_seq_simplernn8_seq', 10, 5, 2, [recurrent('SimpleRnn', 8, { returnSequences: true }), recurrent('SimpleRnn', 8, { returnSequences: true })]),
    stack('stack_lstm6_seq_gru4', 5, 3, 3, [recurrent('Lstm', 6, { returnSequences: true }), recurrent('Gru', 4)]),
    stack('stack_bilstm5_seq_concat_lstm4_dense3_softmax', 6, 4, 2, [
      recurrent('Lstm', 5, { returnSequences: true, bidirectional: true, mergeMode: 'Concat' }),
      recurrent('Lstm', 4),
      dense(3, 'softmax'),
    ]),
    stack('stack_dense4_tanh_on_sequence', 7, 3, 2, [dense(4, 'tanh')]),
    stack('stack_simplernn5_seq_dense2', 6, 3, 3, [recurrent('SimpleRnn', 5, { returnSequences: true }), dense(2)]),
    stack('stack_gru6_seq_dropout_dense3_sigmoid', 5, 4, 2, [recurrent('Gru', 6, { returnSequences: true }), { kind: 'Dropout', rate: 0.5 }, dense(3, 'sigmoid')]),
    // Normalization after a recurrent layer, on its last output and on every timestep, with the center/scale variants;
    // BatchNormalization's moving statistics are far from 0 and 1 (see materialize).
    stack('stack_lstm6_layernorm_dense3', 5, 3, 3, [recurrent('Lstm', 6), norm('LayerNormalization'), dense(3)]),
    stack('stack_lstm6_batchnorm_dense3', 5, 3, 3, [recurrent('Lstm', 6), norm('BatchNormalization'), dense(3)]),
    stack('stack_gru5_seq_layernorm_dense2', 6, 4, 2, [recurrent('Gru', 5, { returnSequences: true }), norm('LayerNormalization'), dense(2)]),
    stack('stack_lstm4_seq_batchnorm_eps_dense2', 4, 3, 3, [recurrent('Lstm', 4, { returnSequences: true }), norm('BatchNormalization', { epsilon: 0.01 }), dense(2)]),
    stack('stack_simplernn19_layernorm_nocenter_noscale', 3, 2, 2, [recurrent('SimpleRnn', 19), norm('LayerNormalization', { center: false, scale: false, epsilon: 0.1 })]),
    stack('stack_lstm5_seq_layernorm_nocenter_dense2', 4, 3, 2, [recurrent('Lstm', 5, { returnSequences: true }), norm('LayerNormalization', { center: false }), dense(2)]),
    stack('stack_lstm5_batchnorm_noscale_dense2', 4, 3, 2, [recurrent('Lstm', 5), norm('BatchNormalization', { scale: false }), dense(2)]),
    stack('stack_gru17_batchnorm_nocenter', 3, 2, 2, [recurrent('Gru', 17), norm('BatchNormalization', { center: false })]),
    stack('stack_batchnorm_on_input_lstm4_seq', 5, 6, 2, [norm('BatchNormalization'), recurrent('Lstm', 4, { returnSequences: true })]),
    // Activation and Rescaling: on the input (in-model preprocessing), between recurrent layers on every timestep and
    // on the last output, with a vector-width and a tail-only width; softmax over the last axis of a sequence.
    stack('stack_rescaling_on_input_lstm4', 5, 3, 2, [rescaling(1 / 255, -0.5), recurrent('Lstm', 4)]),
    stack('stack_rescaling_scale_only_gru3_seq', 4, 11, 2, [rescaling(2.5), recurrent('Gru', 3, { returnSequences: true })]),
    // Normalization (adapted): on the input, on a recurrent layer's last output and, inverted, on every timestep of its
    // sequence (a forecaster's de-normalizing output layer); a zero variance (the 1e-7 clamp) and a single feature.
    stack('stack_normalization_on_input_lstm4', 5, 3, 3, [normalization(), recurrent('Lstm', 4), dense(2)]),
    stack('stack_normalization_on_input_gru3_seq', 4, 6, 2, [normalization(), recurrent('Gru', 3, { returnSequences: true })]),
    stack('stack_lstm5_normalization_dense2', 4, 3, 2, [recurrent('Lstm', 5), normalization(), dense(2)]),
    stack('stack_lstm4_seq_normalization_invert', 4, 3, 3, [recurrent('Lstm', 4, { returnSequences: true }), normalization({ invert: true })]),
    { ...stack('stack_normalization_zero_variance_lstm3', 3, 4, 2, [normalization(), recurrent('Lstm', 3)]), zeroVarianceFeature: 1 },
    stack('stack_normalization_single_feature_lstm6_dense1', 3, 1, 3, [normalization(), recurrent('Lstm', 6), dense(1)]),
    stack('stack_lstm19_seq_activation_relu_simplernn3', 4, 3, 2, [recurrent('Lstm', 19, { returnSequences: true }), activationLayer('relu'), recurrent('SimpleRnn', 3)]),
    stack('stack_gru6_dense9_activation_sigmoid', 3, 2, 3, [recurrent('Gru', 6), dense(9), activationLayer('sigmoid')]),
    stack('stack_lstm5_seq_dense4_activation_softmax', 4, 3, 2, [recurrent('Lstm', 5, { returnSequences: true }), dense(4), activationLayer('softmax')]),
    stack('stack_simplernn17_activation_elu_rescaling', 3, 2, 2, [recurrent('SimpleRnn', 17), activationLayer('elu'), rescaling(-3, 0.25)]),
    stack('stack_activation_tanh_on_input_lstm3', 3, 9, 2, [activationLayer('tanh'), recurrent('Lstm', 3)], 3),
    // Global pooling: after a recurrent layer that returns sequences (the text-classifier shape), after a Bidirectional
    // one and a Dense on every timestep, and on the model input; widths with a vector part and a tail, one timestep.
    stack('stack_lstm6_seq_globalavgpool_dense3', 5, 3, 3, [recurrent('Lstm', 6, { returnSequences: true }), globalPooling('GlobalAveragePooling1D'), dense(3)]),
    stack('stack_gru19_seq_globalmaxpool', 4, 2, 2, [recurrent('Gru', 19, { returnSequences: true }), globalPooling('GlobalMaxPooling1D')]),
    stack('stack_bilstm4_seq_globalmaxpool_dense2_softmax', 6, 3, 2, [
      recurrent('Lstm', 4, { returnSequences: true, bidirectional: true, mergeMode: 'Concat' }),
      globalPooling('GlobalMaxPooling1D'),
      dense(2, 'softmax'),
    ]),
    stack('stack_simplernn5_seq_dense9_globalavgpool_layernorm', 7, 4, 2, [
      recurrent('SimpleRnn', 5, { returnSequences: true }),
      dense(9, 'relu'),
      globalPooling('GlobalAveragePooling1D'),
      norm('LayerNormalization'),
    ]),
    stack('stack_globalavgpool_on_input_dense2', 9, 11, 3, [globalPooling('GlobalAveragePooling1D'), dense(2)]),
    stack('stack_globalmaxpool_on_input_dense4', 5, 17, 2, [globalPooling('GlobalMaxPooling1D'), dense(4, 'tanh')]),
    stack('stack_gru3_seq_one_step_globalavgpool', 1, 2, 2, [recurrent('Gru', 3, { returnSequences: true }), globalPooling('GlobalAveragePooling1D')]),
    // Conv1D and pooling (the signal shape Conv1D -> MaxPooling1D -> LSTM): every padding, strides, dilation, no bias,
    // widths with a vector part and a tail, a sequence output shorter than the input, and pooling windows that reach
    // into the padding (same) or leave timesteps over (valid).
    stack('stack_conv1d6_causal_relu_maxpool_lstm4_dense2', 8, 3, 3, [conv1d(6, 3, { padding: 'causal', activation: 'relu' }), pool1d('MaxPooling1D', 2), recurrent('Lstm', 4), dense(2)], 0.5),
    stack('stack_conv1d19_same_strides2_gru3', 9, 4, 2, [conv1d(19, 4, { padding: 'same', strides: 2, activation: 'tanh' }), recurrent('Gru', 3)], 0.5),
    stack('stack_conv1d5_valid_dilation2_nobias_seq', 10, 2, 2, [conv1d(5, 3, { dilationRate: 2, useBias: false })]),
    stack('stack_conv1d4_valid_strides3_avgpool_same_dense3', 11, 5, 2, [conv1d(4, 2, { strides: 3 }), pool1d('AveragePooling1D', 2, { strides: 1, padding: 'same' }), dense(3)]),
    stack('stack_maxpool3_same_strides2_on_input_lstm5', 7, 17, 2, [pool1d('MaxPooling1D', 3, { strides: 2, padding: 'same' }), recurrent('Lstm', 5)]),
    stack('stack_avgpool3_valid_on_input_simplernn4_seq', 8, 3, 3, [pool1d('AveragePooling1D', 3), recurrent('SimpleRnn', 4, { returnSequences: true })]),
    stack('stack_lstm6_seq_conv1d3_same_sigmoid_globalmaxpool', 6, 2, 2, [recurrent('Lstm', 6, { returnSequences: true }), conv1d(3, 2, { padding: 'same', activation: 'sigmoid' }), globalPooling('GlobalMaxPooling1D')]),
    // Flatten, Reshape and RepeatVector: the sequence-to-sequence autoencoder (an encoder's last output repeated for a
    // decoder that returns sequences), a recurrent sequence flattened into a Dense, a vector reshaped into a sequence
    // with -1, a sequence reshaped to other timesteps, and a Flatten of the input.
    stack('stack_lstm5_repeatvector4_gru3_seq_dense2', 6, 3, 2, [recurrent('Lstm', 5), repeatVector(4), recurrent('Gru', 3, { returnSequences: true }), dense(2)]),
    stack('stack_gru4_seq_flatten_dense3', 5, 2, 3, [recurrent('Gru', 4, { returnSequences: true }), flatten(), dense(3, 'tanh')]),
    stack('stack_dense12_reshape_minus1_4_lstm3', 3, 5, 2, [recurrent('SimpleRnn', 6), dense(12), reshape([-1, 4]), recurrent('Lstm', 3)]),
    stack('stack_reshape_4_6_on_input_simplernn5_seq', 8, 3, 2, [reshape([4, 6]), recurrent('SimpleRnn', 5, { returnSequences: true })]),
    stack('stack_flatten_on_input_dense4', 4, 3, 2, [flatten(), dense(4)]),
  ];
}

// The seed notebook: Keras Bidirectional(LSTM(3, return_state=True)) with kernel and recurrent
// kernel Constant(0.1), bias Constant(0) and Keras's default unit_forget_bias=True (forget
// block of the bias = 1), recurrent activation sigmoid, on one 4x5 sequence.
const SEED_INPUT = [0.1, 4.2, 1.5, 1.1, 2.8, 1.0, 3.1, 2.5, 0.7, 1.1, 0.3, 2.1, 1.5, 2.1, 0.1, 2.2, 1.4, 0.5, 0.9, 1.1];
const SEED_KERAS = { fh: 0.6303139, bh: 0.70387346, fc: 1.5707088, bc: 1.6402447 };

function seedCases() {
  const U = 3;
  const D = 5;
  const w = [];
  for (let d = 0; d < 2; d++) {
    w.push({ shape: [D, 4 * U], data: new Float32Array(D * 4 * U).fill(0.1) });
    w.push({ shape: [U, 4 * U], data: new Float32Array(U * 4 * U).fill(0.1) });
    const bias = new Float32Array(4 * U);
    bias.fill(1, U, 2 * U); // unit_forget_bias
    w.push({ shape: [4 * U], data: bias });
  }
  const mk = (name, returnSequences) => ({
    name,
    engine: 'tfjs',
    timesteps: 4,
    inputDim: D,
    batch: 1,
    layers: [recurrent('Lstm', U, { returnState: true, returnSequences, bidirectional: true, mergeMode: 'Concat' })],
    initialState: false,
    weights: w,
    input: SEED_INPUT,
    // Built from initializers exactly like the notebook, not with setWeights.
    tfjsPrebuilt: (c) => {
      const x = tf.input({ shape: [4, D] });
      const layer = tf.layers.bidirectional({
        layer: tf.layers.lstm({
          units: U,
          activation: 'tanh',
          recurrentActivation: 'sigmoid',
          returnState: true,
          returnSequences,
          kernelInitializer: tf.initializers.constant({ value: 0.1 }),
          recurrentInitializer: tf.initializers.constant({ value: 0.1 }),
          biasInitializer: tf.initializers.constant({ value: 0 }),
          unitForgetBias: true,
        }),
        mergeMode: 'concat',
      });
      const model = tf.model({ inputs: x, outputs: layer.apply(x) });
      // the initializers must have produced exactly the recorded weights
      layer.getWeights().forEach((t, i) => {
        const got = t.dataSync();
        for (let k = 0; k < got.length; k++) if (got[k] !== c.weights[i].data[k]) throw new Error(`${c.name}: initializer weights differ from the recorded ones`);
      });
      return asList(model.predict(tf.tensor(c.input.data, c.input.shape))).map((t) => ({ shape: t.shape, data: t.dataSync() }));
    },
    seedCheck: true,
  });
  return [mk('seed_bidirectional_lstm_constant', false), mk('seed_bidirectional_lstm_constant_sequences', true)];
}

function checkSeed(c, outs) {
  const byName = Object.fromEntries(outs.map((o) => [o.name, o]));
  const want = { forward_h: SEED_KERAS.fh, forward_c: SEED_KERAS.fc, backward_h: SEED_KERAS.bh, backward_c: SEED_KERAS.bc };
  for (const [n, v] of Object.entries(want))
    for (const got of byName[n].data) if (Math.abs(got - v) > 2e-6) throw new Error(`${c.name}: ${n} = ${got}, Keras notebook says ${v}`);
  const out = byName.output;
  const last = c.layers[0].returnSequences ? out.data.slice(3 * 6) : out.data; // step 3 of the forward half
  for (let j = 0; j < 3; j++) if (Math.abs(last[j] - SEED_KERAS.fh) > 2e-6) throw new Error(`${c.name}: output forward half`);
  if (!c.layers[0].returnSequences) for (let j = 3; j < 6; j++) if (Math.abs(out.data[j] - SEED_KERAS.bh) > 2e-6) throw new Error(`${c.name}: output backward half`);
}

// ----------------------------------------------------------------------------------------------
// Running, checking, writing
// ----------------------------------------------------------------------------------------------
function compare(c, engineOuts, refOuts) {
  if (engineOuts.length !== refOuts.length) throw new Error(`${c.name}: engine gave ${engineOuts.length} outputs, reference ${refOuts.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  engineOuts.forEach((e, i) => {
    const r = refOuts[i];
    if (JSON.stringify(e.shape) !== JSON.stringify(r.shape)) throw new Error(`${c.name}: output ${r.name} shape ${JSON.stringify(e.shape)} vs reference ${JSON.stringify(r.shape)}`);
    for (let k = 0; k < r.data.length; k++) {
      const d = Math.abs(e.data[k] - r.data[k]);
      if (!(d <= TOL * (1 + Math.abs(r.data[k])))) {
        throw new Error(`${c.name}: output ${r.name}[${k}] engine ${e.data[k]} vs reference ${r.data[k]} (diff ${d})`);
      }
      maxAbs = Math.max(maxAbs, d);
      maxRel = Math.max(maxRel, d / (1 + Math.abs(r.data[k])));
    }
  });
  return { maxAbs, maxRel };
}

function fixtureCase(c, outs) {
  const tensor = (t) => ({ shape: t.shape, data: new F32(t.data) });
  return {
    name: c.name,
    engine: c.engine,
    model: { timesteps: c.timesteps, inputDim: c.inputDim, layers: c.layers },
    batch: c.batch,
    calls: c.calls,
    weights: c.weights.map(tensor),
    input: tensor(c.input),
    initialState: c.initialState ? c.initialState.map(tensor) : null,
    expected: outs.map((o) => ({ name: o.name, ...tensor(o) })),
  };
}

/** Marker for float32 data arrays (printed on one line with shortest round-trip numbers). */
class F32 {
  constructor(a) {
    this.a = a;
  }
}

function toJson(v, indent = '') {
  const inner = indent + '  ';
  if (v instanceof F32) return '[' + Array.from(v.a, f32str).join(', ') + ']';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v).replace(/,/g, ', ');
    return '[\n' + v.map((x) => inner + toJson(x, inner)).join(',\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(v);
  const flat = entries.every(([, x]) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => typeof y !== 'object')));
  if (flat) {
    const one = '{ ' + entries.map(([k, x]) => JSON.stringify(k) + ': ' + toJson(x, inner)).join(', ') + ' }';
    if (one.length <= 320) return one;
  }
  if (entries.length === 2 && entries.some(([, x]) => x instanceof F32)) {
    // { "shape": [...], "data": [...] } and { "name", "shape", "data" } stay on one line
    return '{ ' + entries.map(([k, x]) => JSON.stringify(k) + ': ' + toJson(x, inner)).join(', ') + ' }';
  }
  if (entries.length === 3 && entries[0][0] === 'name' && entries.some(([, x]) => x instanceof F32)) {
    return '{ ' + entries.map(([k, x]) => JSON.stringify(k) + ': ' + toJson(x, inner)).join(', ') + ' }';
  }
  return '{\n' + entries.map(([k, x]) => inner + JSON.stringify(k) + ': ' + toJson(x, inner)).join(',\n') + '\n' + indent + '}';
}

async function main() {
  tf = require('@tensorflow/tfjs');
  defineCausalPad();
  defineKerasNormalization();
  ort = require('onnxruntime-node');
  if (tf.version.tfjs !== TFJS_VERSION) throw new Error(`need @tensorflow/tfjs ${TFJS_VERSION}, found ${tf.version.tfjs}`);
  if (ort.env.versions.node !== ORT_VERSION) throw new Error(`need onnxruntime-node ${ORT_VERSION}, found ${ort.env.versions.node}`);
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error('tfjs cpu backend not active');
  ort.env.logLevel = 'error';

  const files = [
    { file: 'tfjs-golden.json', engine: `tfjs ${TFJS_VERSION} (cpu backend)`, specs: tfjsCases(), run: async (c) => runTfjs(c) },
    { file: 'onnxruntime-golden.json', engine: `onnxruntime-node ${ORT_VERSION}`, specs: ortCases(), run: runOrt },
  ];
  const seen = new Set();
  for (const f of files)
    for (const s of f.specs) {
      if (seen.has(s.name)) throw new Error(`duplicate case name ${s.name}`);
      seen.add(s.name);
    }

  mkdirSync(OUT_DIR, { recursive: true });
  for (const f of files) {
    const out = [];
    let worst = { maxAbs: 0, maxRel: 0, absCase: '', relCase: '' };
    for (const spec of f.specs) {
      const c = materialize(spec);
      const ref = reference(c);
      const engineOuts = await f.run(c);
      const stats = compare(c, engineOuts, ref);
      if (stats.maxAbs > worst.maxAbs) Object.assign(worst, { maxAbs: stats.maxAbs, absCase: c.name });
      if (stats.maxRel > worst.maxRel) Object.assign(worst, { maxRel: stats.maxRel, relCase: c.name });
      const named = engineOuts.map((e, i) => ({ name: ref[i].name, shape: e.shape, data: e.data }));
      if (spec.seedCheck) checkSeed(c, named);
      out.push(fixtureCase(c, named));
    }
    const doc = { engine: f.engine, generatedBy: 'tests/golden/generate.mjs', cases: out };
    const text = toJson(doc) + '\n';
    const target = path.join(OUT_DIR, f.file);
    writeFileSync(target, text);
    console.log(
      `${f.file}: ${out.length} cases, ${(text.length / 1048576).toFixed(2)} MB; self-check max |diff| ${worst.maxAbs.toExponential(2)} (${worst.absCase}), ` +
        `max |diff|/(1+|ref|) ${worst.maxRel.toExponential(2)} (${worst.relCase})`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
