#!/usr/bin/env node
// Golden vectors for RnnGen's [Embedding] (docs/embedding.md), from TensorFlow.js 4.22.0 on its cpu backend.
//
// Each case is a tf.Model whose first layer is tf.layers.embedding({ inputDim, outputDim, maskZero }), fed a batch of
// token rows: no zero, zeros at the end (padding), zeros at the start, zeros here and there, all zeros; the largest
// token (inputDim - 1) and token 0 appear in valid positions too. With maskZero the tokens that are 0 are masked
// (Keras Embedding.compute_mask: ops.not_equal(inputs, 0)), so the layers after it see the mask; without it, 0 is an
// ordinary row. The input is float32, as Keras and TensorFlow.js accept it, and both cast it to int32 first.
//
// As in masking.mjs, TensorFlow.js has no zero_output_for_mask, which Keras's Bidirectional sets to return_sequences on
// both copies: a Bidirectional sequence output of a maskZero case carries "kerasZerosAtMaskedSteps", and the C# test
// compares its unmasked timesteps with TensorFlow.js and checks Keras's zeros at the masked ones.
//
// Regenerate:  cd tests/golden && npm ci && node embedding.mjs   (deterministic: seeded from each case's name)

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv1a, mulberry32, toJson } from './golden-util.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '..', 'RnnGen.Numerics.Tests', 'Golden', 'tfjs-embedding-golden.json');

const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

const T = 6;
const INPUT_DIM = 7;
const OUTPUT_DIM = 3;
// One row per pattern: no zero, padding at the end, zeros at the start, zeros here and there, all zeros.
const TOKEN_ROWS = [
  [3, 1, 4, 1, 5, 6],
  [5, 2, 6, 0, 0, 0],
  [0, 0, 3, 6, 1, 2],
  [4, 0, 2, 5, 0, 6],
  [0, 0, 0, 0, 0, 0],
];
const B = TOKEN_ROWS.length;
const MERGE_TFJS = { Concat: 'concat', Sum: 'sum', Mul: 'mul', Ave: 'ave', None: null };

function recurrent(kind, units, o = {}) {
  const L = { kind, units, activation: 'tanh' };
  if (kind !== 'SimpleRnn') L.recurrentActivation = 'sigmoid';
  Object.assign(L, { useBias: true, returnSequences: false, returnState: false, goBackwards: false, stateful: false, bidirectional: false, mergeMode: 'Concat' }, o);
  return L;
}

const dense = (units) => ({ kind: 'Dense', units, activation: 'linear', useBias: true });

function tfjsLayer(L) {
  if (L.kind === 'Embedding') return tf.layers.embedding({ inputDim: L.inputDim, outputDim: L.units, maskZero: L.maskZero });
  if (L.kind === 'Dense') return tf.layers.dense({ units: L.units, activation: 'linear' });
  const args = { units: L.units, activation: L.activation, returnSequences: L.returnSequences, returnState: L.returnState, goBackwards: L.goBackwards };
  if (L.kind !== 'SimpleRnn') args.recurrentActivation = L.recurrentActivation;
  if (L.kind === 'Lstm') args.unitForgetBias = false;
  if (L.kind === 'Gru') args.resetAfter = false;
  const ctor = { SimpleRnn: tf.layers.simpleRNN, Lstm: tf.layers.lstm, Gru: tf.layers.gru }[L.kind];
  if (!L.bidirectional) return ctor(args);
  return tf.layers.bidirectional({ layer: ctor(args), mergeMode: MERGE_TFJS[L.mergeMode] });
}

function makeCase(name, maskZero, after) {
  const rng = mulberry32(fnv1a(name));
  const uniform = (n, scale) => Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  const layers = [{ kind: 'Embedding', inputDim: INPUT_DIM, units: OUTPUT_DIM, maskZero }, ...after];
  // The functional API, because a last layer with return_state has several outputs.
  const x = tf.input({ shape: [T] });
  let h = x;
  const tfLayers = layers.map((L) => {
    const layer = tfjsLayer(L);
    h = layer.apply(h);
    return layer;
  });
  const model = tf.model({ inputs: x, outputs: h });
  // Weights: uniform in [-0.8, 0.8), read back through the case so nothing is reordered.
  const weights = [];
  for (const layer of tfLayers) {
    const mine = layer.getWeights().map((t) => ({ shape: t.shape, data: Float32Array.from(uniform(t.size, 0.8)) }));
    layer.setWeights(mine.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    weights.push(...mine);
  }
  const input = Float32Array.from(TOKEN_ROWS.flat());
  const y = model.predict(tf.tensor(input, [B, T]));
  const outs = Array.isArray(y) ? y : [y];
  const last = layers[layers.length - 1];
  const names = ['output'];
  if (last.returnState) {
    const states = last.kind === 'Lstm' ? ['state_h', 'state_c'] : ['state_h'];
    names.push(...(last.bidirectional ? [...states.map((s) => 'forward_' + s), ...states.map((s) => 'backward_' + s)] : states));
  }
  if (outs.length !== names.length) throw new Error(`${name}: ${outs.length} outputs for ${names.length} names`);
  return {
    name,
    engine: 'tfjs',
    model: { timesteps: T, inputDim: 1, layers },
    batch: B,
    calls: 1,
    // The mask Keras computes with mask_zero (token != 0); without it nothing is masked.
    mask: TOKEN_ROWS.flat().map((token) => (maskZero && token === 0 ? 0 : 1)),
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
    input: { shape: [B, T], data: Array.from(input) },
    initialState: null,
    expected: outs.map((t, i) => ({
      name: names[i],
      shape: t.shape,
      data: Array.from(t.dataSync()),
      kerasZerosAtMaskedSteps: maskZero && Boolean(last.bidirectional) && last.returnSequences && names[i] === 'output',
    })),
  };
}

const cases = [];
for (const maskZero of [false, true]) {
  const m = maskZero ? 'mask_zero' : 'no_mask';
  cases.push(makeCase(`embedding_${m}_dense`, maskZero, [dense(2)]));
  cases.push(makeCase(`embedding_${m}_lstm`, maskZero, [recurrent('Lstm', 4)]));
  cases.push(makeCase(`embedding_${m}_lstm_sequences_state`, maskZero, [recurrent('Lstm', 3, { returnSequences: true, returnState: true })]));
  cases.push(makeCase(`embedding_${m}_gru_dense`, maskZero, [recurrent('Gru', 4), dense(2)]));
  cases.push(makeCase(`embedding_${m}_simplernn_sequences`, maskZero, [recurrent('SimpleRnn', 3, { returnSequences: true })]));
  cases.push(makeCase(`embedding_${m}_bilstm_dense`, maskZero, [recurrent('Lstm', 3, { bidirectional: true }), dense(1)]));
  cases.push(makeCase(`embedding_${m}_bilstm_sequences`, maskZero, [recurrent('Lstm', 3, { bidirectional: true, returnSequences: true })]));
  cases.push(makeCase(`embedding_${m}_lstm_sequences_gru`, maskZero, [recurrent('Lstm', 4, { returnSequences: true }), dense(3), recurrent('Gru', 2)]));
}

writeFileSync(OUT, `{"generator":"tests/golden/embedding.mjs","engine":"@tensorflow/tfjs 4.22.0 (cpu)","cases":[\n${cases.map(toJson).join(',\n')}\n]}\n`);
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), OUT)}`);
