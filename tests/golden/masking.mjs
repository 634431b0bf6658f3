#!/usr/bin/env node
// Golden vectors for RnnGen's masked calls (docs/masking.md), from TensorFlow.js 4.22.0 on its cpu backend.
//
// Each case is a tf.Model that starts with Masking(mask_value=0) and runs recurrent stacks on a batch whose rows
// cover the mask patterns: none masked, padding at the end (a length), masks at the start, a scattered mask, all
// masked. Masked timesteps of the input are all zeros, so Masking computes exactly the case's mask; the C# tests give
// the same mask to Predict(input, mask) of a model declared without the Masking layer (it has no weights).
//
// Where TensorFlow.js and Keras differ, the case says so and the C# test follows Keras: tfjs-layers has no
// zero_output_for_mask, which Keras's Bidirectional sets to return_sequences on both copies
// (keras/src/layers/rnn/bidirectional.py), so Keras returns zeros at masked timesteps of a Bidirectional layer's
// sequence where tfjs repeats the previous output. Those outputs carry "kerasZerosAtMaskedSteps": the test compares
// the unmasked timesteps with tfjs and checks zeros at the masked ones.
//
// Regenerate:  cd tests/golden && npm ci && node masking.mjs   (deterministic: seeded from each case's name)

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv1a, mulberry32, toJson } from './golden-util.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '..', 'RnnGen.Numerics.Tests', 'Golden', 'tfjs-masking-golden.json');
// The cases of models that declare [Masking] themselves (MaskingLayerGoldenTests): no mask array on the C# side.
const OUT_LAYER = path.resolve(here, '..', 'RnnGen.Numerics.Tests', 'Golden', 'tfjs-masking-layer-golden.json');

const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

const T = 6;
const D = 2;
// One row per mask pattern: none masked, length 3 (padding after), masks at the start, scattered, all masked.
const MASK_ROWS = [
  [1, 1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0, 0],
  [0, 0, 1, 1, 1, 1],
  [1, 0, 1, 1, 0, 1],
  [0, 0, 0, 0, 0, 0],
];
const B = MASK_ROWS.length;

function recurrent(kind, units, o = {}) {
  const L = { kind, units, activation: 'tanh' };
  if (kind !== 'SimpleRnn') L.recurrentActivation = 'sigmoid';
  Object.assign(L, { useBias: true, returnSequences: false, returnState: false, goBackwards: false, stateful: false, bidirectional: false, mergeMode: 'Concat' }, o);
  return L;
}

const dense = (units) => ({ kind: 'Dense', units, activation: 'linear', useBias: true });
const MERGE_TFJS = { Concat: 'concat', Sum: 'sum', Mul: 'mul', Ave: 'ave', None: null };

function tfjsLayer(L) {
  if (L.kind === 'Dense') return tf.layers.dense({ units: L.units, activation: 'linear' });
  if (L.kind === 'LayerNormalization') return tf.layers.layerNormalization({ axis: -1, epsilon: 0.001 });
  const args = { units: L.units, activation: L.activation, returnSequences: L.returnSequences, returnState: L.returnState, goBackwards: L.goBackwards, stateful: Boolean(L.stateful) };
  if (L.kind !== 'SimpleRnn') args.recurrentActivation = L.recurrentActivation;
  if (L.kind === 'Lstm') args.unitForgetBias = false;
  if (L.kind === 'Gru') args.resetAfter = false;
  const ctor = { SimpleRnn: tf.layers.simpleRNN, Lstm: tf.layers.lstm, Gru: tf.layers.gru }[L.kind];
  if (!L.bidirectional) return ctor(args);
  return tf.layers.bidirectional({ layer: ctor(args), mergeMode: MERGE_TFJS[L.mergeMode] });
}

const isGlobalPooling = (L) => L.kind === 'GlobalAveragePooling1D' || L.kind === 'GlobalMaxPooling1D';

/**
 * Keras's global pooling of a [B, T, D] sequence with its mask, which tfjs-layers cannot compute (its
 * GlobalAveragePooling1D takes the mean of every timestep, and its Layer.computeMask refuses a mask for a layer without
 * masking support). GlobalAveragePooling1D.call (keras/src/layers/pooling/global_average_pooling1d.py): the sum of the
 * unmasked timesteps divided by their count, NaN (0 / 0) when every timestep is masked. GlobalMaxPooling1D.call
 * (global_max_pooling1d.py) takes no mask: the maximum over every timestep of what the layer before it returns.
 */
function kerasGlobalPooling(L, data, mask) {
  const y = new Float64Array(B * (data.length / (B * T)));
  const width = y.length / B;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < width; k++) {
      let sum = 0;
      let count = 0;
      let max = -Infinity;
      for (let t = 0; t < T; t++) {
        const v = data[(b * T + t) * width + k];
        max = Math.max(max, v);
        if (mask[b][t]) {
          sum += v;
          count++;
        }
      }
      y[b * width + k] = L.kind === 'GlobalMaxPooling1D' ? max : sum / count;
    }
  }
  return y;
}

// options.maskValue: Masking's mask_value (0); options.declared: the C# model declares the Masking layer itself (its
// description starts with it); options.partial: some valid timesteps have a feature equal to the mask value (kept,
// since Masking masks a timestep only when every feature equals it).
function makeCase(name, layers, options = {}) {
  const maskValue = options.maskValue ?? 0;
  // The mask pattern of each batch row (the module's five unless the case brings its own).
  const rows = options.rows ?? MASK_ROWS;
  const B = rows.length;
  const rng = mulberry32(fnv1a(name));
  const uniform = (n, scale) => Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  // The functional API, because a last layer with return_state has several outputs (tf.Sequential refuses them).
  const x = tf.input({ shape: [T, D] });
  let h = tf.layers.masking({ maskValue }).apply(x);
  const pooling = isGlobalPooling(layers[layers.length - 1]) ? layers[layers.length - 1] : null;
  const tfLayers = (pooling ? layers.slice(0, -1) : layers).map((L) => {
    const layer = tfjsLayer(L);
    h = layer.apply(h);
    return layer;
  });
  const model = tf.model({ inputs: x, outputs: h });
  // Weights: uniform in [-0.8, 0.8) (normalization gamma around 1), read back to check nothing was reordered.
  const weights = [];
  for (const layer of tfLayers) {
    const mine = layer.getWeights().map((t) => {
      const n = t.size;
      const isGamma = /gamma/.test(t.name ?? '');
      return { shape: t.shape, data: Float32Array.from(uniform(n, 0.8).map((v) => (isGamma ? 1 + v / 4 : v))) };
    });
    layer.setWeights(mine.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    weights.push(...mine);
  }
  const input = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        // A valid timestep has no zero feature (so Masking keeps it); a masked one is all zeros.
        const v = (0.1 + rng() * 0.9) * (rng() < 0.5 ? -1 : 1);
        const partial = options.partial && d === 0 && (b + t) % 2 === 0;
        input[(b * T + t) * D + d] = rows[b][t] ? (partial ? maskValue : v) : maskValue;
      }
    }
  }
  const y = model.predict(tf.tensor(input, [B, T, D]));
  let outs = Array.isArray(y) ? y : [y];
  if (pooling) {
    // JSON has no NaN: null stands for it (GoldenCases.ReadTensor reads it back as NaN).
    const pooled = kerasGlobalPooling(pooling, outs[0].dataSync(), rows);
    outs = [{ shape: [B, outs[0].shape[2]], dataSync: () => Array.from(pooled, (v) => (Number.isNaN(v) ? null : v)) }];
  }
  const last = layers[layers.length - 1];
  const names = ['output'];
  if (last.returnState) {
    const states = last.kind === 'Lstm' ? ['state_h', 'state_c'] : ['state_h'];
    if (last.bidirectional) {
      names.push(...states.map((s) => 'forward_' + s), ...states.map((s) => 'backward_' + s));
    } else {
      names.push(...states);
    }
  }
  if (last.bidirectional && last.mergeMode === 'None') names.splice(1, 0, 'backward_output');
  if (outs.length !== names.length) throw new Error(`${name}: ${outs.length} outputs for ${names.length} names`);
  const sequenceNames = new Set(last.returnSequences ? ['output', 'backward_output'] : []);
  return {
    name,
    engine: 'tfjs',
    model: { timesteps: T, inputDim: D, layers: options.declared ? [{ kind: 'Masking', maskValue }, ...layers] : layers },
    batch: B,
    calls: 1,
    mask: rows.flat(),
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
    input: { shape: [B, T, D], data: Array.from(input) },
    initialState: null,
    expected: outs.map((t, i) => ({
      name: names[i],
      shape: t.shape,
      data: Array.from(t.dataSync()),
      kerasZerosAtMaskedSteps: Boolean(last.bidirectional) && sequenceNames.has(names[i]),
    })),
  };
}

const cases = [];
for (const kind of ['SimpleRnn', 'Lstm', 'Gru']) {
  const k = kind.toLowerCase();
  cases.push(makeCase(`masked_${k}_sequences`, [recurrent(kind, 3, { returnSequences: true })]));
  cases.push(makeCase(`masked_${k}_last_state`, [recurrent(kind, 3, { returnState: true })]));
  cases.push(makeCase(`masked_${k}_sequences_state`, [recurrent(kind, 3, { returnSequences: true, returnState: true })]));
  cases.push(makeCase(`masked_${k}_go_backwards_sequences`, [recurrent(kind, 3, { returnSequences: true, goBackwards: true })]));
  cases.push(makeCase(`masked_${k}_go_backwards_last_state`, [recurrent(kind, 3, { goBackwards: true, returnState: true })]));
  for (const mode of ['Concat', 'Sum', 'Mul', 'Ave', 'None']) {
    cases.push(makeCase(`masked_${k}_bi_${mode.toLowerCase()}_sequences`, [recurrent(kind, 3, { bidirectional: true, mergeMode: mode, returnSequences: true })]));
    cases.push(makeCase(`masked_${k}_bi_${mode.toLowerCase()}_last`, [recurrent(kind, 3, { bidirectional: true, mergeMode: mode })]));
  }
  cases.push(makeCase(`masked_${k}_bi_concat_last_state`, [recurrent(kind, 3, { bidirectional: true, returnState: true })]));
}
// Stacks: the mask passes through a recurrent layer with return_sequences, Dense and LayerNormalization to the next
// recurrent layer.
cases.push(makeCase('masked_stack_lstm_dense_gru', [recurrent('Lstm', 4, { returnSequences: true }), dense(3), recurrent('Gru', 3), dense(2)]));
cases.push(makeCase('masked_stack_gru_norm_simplernn_sequences', [recurrent('Gru', 4, { returnSequences: true }), { kind: 'LayerNormalization', epsilon: 0.001, center: true, scale: true }, recurrent('SimpleRnn', 3, { returnSequences: true }), dense(2)]));
// Global pooling after a recurrent layer with return_sequences: GlobalAveragePooling1D averages the unmasked timesteps
// (NaN for the all-masked row, as Keras), GlobalMaxPooling1D takes no mask; after a Dense on every timestep too.
cases.push(makeCase('masked_lstm_sequences_globalavgpool', [recurrent('Lstm', 3, { returnSequences: true }), { kind: 'GlobalAveragePooling1D' }]));
cases.push(makeCase('masked_gru_sequences_dense_globalavgpool', [recurrent('Gru', 4, { returnSequences: true }), dense(5), { kind: 'GlobalAveragePooling1D' }]));
cases.push(makeCase('masked_simplernn_sequences_globalmaxpool', [recurrent('SimpleRnn', 3, { returnSequences: true }), { kind: 'GlobalMaxPooling1D' }]));
cases.push(makeCase('masked_stack_bilstm_lstm_backwards', [recurrent('Lstm', 3, { bidirectional: true, returnSequences: true }), recurrent('Lstm', 2, { goBackwards: true, returnState: true })]));

// A mask and an initial state together (Keras: layer(x, mask=..., initial_state=[...])): the states start from the
// given ones and stay at masked steps. Keras's output at a masked step is the previous step's output, which starts as
// zeros whatever the initial state (keras/src/backend/tensorflow/rnn.py: the loop's prev_output starts at
// zeros_like(output)); tfjs-layers mixes in the carried state instead (its rnn(): states[0] at a masked step), which is
// the initial h until the first kept step. The case's expected outputs are Keras's: tfjs's, with zeros at the masked
// steps before a sequence's first kept one (and for the last output of a sequence with every step masked).
function makeInitialStateCase(name, L) {
  const rng = mulberry32(fnv1a(name));
  const uniform = (n, scale) => Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  const x = tf.input({ shape: [T, D] });
  const names = L.kind === 'Lstm' ? ['state_h', 'state_c'] : ['state_h'];
  const stateInputs = names.map(() => tf.input({ shape: [L.units] }));
  const layer = tfjsLayer(L);
  const out = layer.apply(tf.layers.masking({ maskValue: 0 }).apply(x), { initialState: stateInputs });
  const model = tf.model({ inputs: [x, ...stateInputs], outputs: out });
  const weights = layer.getWeights().map((t) => ({ shape: t.shape, data: Float32Array.from(uniform(t.size, 0.8)) }));
  layer.setWeights(weights.map((w) => tf.tensor(w.data, w.shape, 'float32')));
  const input = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        input[(b * T + t) * D + d] = MASK_ROWS[b][t] ? (0.1 + rng() * 0.9) * (rng() < 0.5 ? -1 : 1) : 0;
      }
    }
  }

  const initialState = names.map(() => ({ shape: [B, L.units], data: Float32Array.from(uniform(B * L.units, 1)) }));
  const y = model.predict([tf.tensor(input, [B, T, D]), ...initialState.map((s) => tf.tensor(s.data, s.shape))]);
  const data = Array.from((Array.isArray(y) ? y[0] : y).dataSync());
  for (let b = 0; b < B; b++) {
    const firstKept = MASK_ROWS[b].indexOf(1);
    if (L.returnSequences) {
      for (let t = 0; t < (firstKept < 0 ? T : firstKept); t++) data.fill(0, (b * T + t) * L.units, (b * T + t + 1) * L.units);
    } else if (firstKept < 0) {
      data.fill(0, b * L.units, (b + 1) * L.units);
    }
  }

  return {
    name,
    engine: 'tfjs',
    model: { timesteps: T, inputDim: D, layers: [L] },
    batch: B,
    calls: 1,
    mask: MASK_ROWS.flat(),
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
    input: { shape: [B, T, D], data: Array.from(input) },
    initialState: initialState.map((s) => ({ shape: s.shape, data: Array.from(s.data) })),
    expected: [{ name: 'output', shape: L.returnSequences ? [B, T, L.units] : [B, L.units], data, kerasZerosAtMaskedSteps: false }],
  };
}

const initialStateCases = [
  makeInitialStateCase('masked_lstm_initial_state_sequences', recurrent('Lstm', 3, { returnSequences: true })),
  makeInitialStateCase('masked_gru_initial_state_last', recurrent('Gru', 3)),
  makeInitialStateCase('masked_simplernn_initial_state_sequences', recurrent('SimpleRnn', 4, { returnSequences: true })),
];

writeFileSync(OUT, `{"generator":"tests/golden/masking.mjs","engine":"@tensorflow/tfjs 4.22.0 (cpu)","cases":[\n${cases.map(toJson).join(',\n')}\n],"initialStateCases":[\n${initialStateCases.map(toJson).join(',\n')}\n]}\n`);
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), OUT)}`);

// Models that declare [Masking]: the C# side gets the padded input alone and computes the mask itself.
const declared = (maskValue, partial = true) => ({ maskValue, declared: true, partial });
const layerCases = [
  makeCase('masking_lstm_last_state', [recurrent('Lstm', 3, { returnState: true })], declared(0)),
  makeCase('masking_gru_sequences_value_minus_one', [recurrent('Gru', 3, { returnSequences: true })], declared(-1)),
  makeCase('masking_simplernn_dense', [recurrent('SimpleRnn', 4), dense(2)], declared(0.5)),
  makeCase('masking_bilstm_concat_sequences', [recurrent('Lstm', 3, { bidirectional: true, returnSequences: true })], declared(0)),
  makeCase('masking_gru_go_backwards_state', [recurrent('Gru', 3, { goBackwards: true, returnState: true })], declared(0)),
  makeCase('masking_dense_lstm_sequences_dense', [dense(3), recurrent('Lstm', 3, { returnSequences: true }), dense(2)], declared(0.25)),
  // No recurrent layer: the output at a masked timestep is Dense of a zero row (its bias), which checks that Masking
  // zeroes the row rather than passing the mask value on.
  makeCase('masking_dense_only', [dense(3)], declared(0.5)),
  // GlobalAveragePooling1D reads the mask Masking computes: after a recurrent sequence, and with no recurrent layer.
  makeCase('masking_gru_sequences_globalavgpool', [recurrent('Gru', 3, { returnSequences: true }), { kind: 'GlobalAveragePooling1D' }], declared(0)),
  makeCase('masking_dense_globalavgpool', [dense(3), { kind: 'GlobalAveragePooling1D' }], declared(0.5)),
  // A batch of 9 whose first chunk of 4 has no masked step (RnnGen runs it through its chunk kernels), whose second has
  // masked steps (one sequence at a time), and a last row on its own.
  makeCase('masking_lstm_dense_chunks', [recurrent('Lstm', 3), dense(2)], {
    ...declared(0),
    rows: [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 1]],
  }),
];

// Streaming: a stateful model with one timestep per call (batch 1), as Step runs. The sequence's mask pattern has
// masked steps between valid ones. TensorFlow.js returns the carried h at a masked step (its rnn() mixes in states[0]);
// Keras returns prev_output, zeros for a call of one timestep (keras/src/backend/tensorflow/rnn.py): the test compares
// the valid steps with TensorFlow.js and follows Keras at the masked ones.
const STEP_MASK = [1, 0, 1, 1, 0, 0, 1, 1];
function makeStepCase(name, layers, maskValue) {
  const rng = mulberry32(fnv1a(name));
  const uniform = (n, scale) => Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  const model = tf.sequential();
  model.add(tf.layers.masking({ maskValue, batchInputShape: [1, 1, D] }));
  const tfLayers = layers.map((L) => {
    const layer = tfjsLayer(L.kind === 'Dense' ? L : { ...L, stateful: true });
    model.add(layer);
    return layer;
  });
  const weights = [];
  for (const layer of tfLayers) {
    const mine = layer.getWeights().map((t) => ({ shape: t.shape, data: Float32Array.from(uniform(t.size, 0.8)) }));
    layer.setWeights(mine.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    weights.push(...mine);
  }
  const steps = STEP_MASK.length;
  const input = new Float32Array(steps * D);
  const outputs = [];
  for (let t = 0; t < steps; t++) {
    for (let d = 0; d < D; d++) {
      const v = (0.1 + rng() * 0.9) * (rng() < 0.5 ? -1 : 1);
      input[t * D + d] = STEP_MASK[t] ? (d === 0 && t % 2 === 0 ? maskValue : v) : maskValue;
    }
    const y = model.predict(tf.tensor(input.slice(t * D, (t + 1) * D), [1, 1, D]));
    outputs.push(...y.dataSync());
  }
  return {
    name,
    engine: 'tfjs',
    model: { timesteps: 1, inputDim: D, layers: [{ kind: 'Masking', maskValue }, ...layers] },
    batch: steps,
    calls: steps,
    mask: STEP_MASK,
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
    input: { shape: [steps, D], data: Array.from(input) },
    initialState: null,
    expected: [{ name: 'output', shape: [steps, outputs.length / steps], data: outputs, kerasZerosAtMaskedSteps: false }],
  };
}

const stepCases = [
  makeStepCase('masking_step_lstm', [recurrent('Lstm', 3)], 0),
  makeStepCase('masking_step_gru_dense', [recurrent('Gru', 3), dense(2)], -1),
  makeStepCase('masking_step_simplernn_simplernn', [recurrent('SimpleRnn', 3, { returnSequences: true }), recurrent('SimpleRnn', 2)], 0),
];

writeFileSync(OUT_LAYER, `{"generator":"tests/golden/masking.mjs","engine":"@tensorflow/tfjs 4.22.0 (cpu)","cases":[\n${layerCases.map(toJson).join(',\n')}\n],"stepCases":[\n${stepCases.map(toJson).join(',\n')}\n]}\n`);
console.log(`wrote ${layerCases.length} cases and ${stepCases.length} step cases to ${path.relative(process.cwd(), OUT_LAYER)}`);
