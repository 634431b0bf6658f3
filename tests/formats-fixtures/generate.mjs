// Writes the generated fixtures of tests/RnnGen.Formats.Tests/Fixtures/generated/: Keras weight files in every layout
// RnnGen reads, written with the real HDF5 library (h5wasm, HDF5 compiled to WebAssembly), .keras and .npz zips, and the
// expected outputs of each model computed by the plain-JS equations in rnn-reference.mjs. Run: npm run generate.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import h5wasm from "h5wasm/node";
import { zipSync } from "fflate";
import { encodeNpy } from "./npy.mjs";
import { layerWeightCount, layerWeightShapes, outputWidth, runModel } from "./rnn-reference.mjs";
import { writeHdf5Features } from "./hdf5-features.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
// FIXTURES_OUT=<dir> writes everything there instead (the folder is emptied first), so that a new fixture can be copied
// into the repository without rewriting the committed ones.
const out = process.env.FIXTURES_OUT ? resolve(process.env.FIXTURES_OUT) : join(here, "..", "RnnGen.Formats.Tests", "Fixtures", "generated");
const scratch = join(here, ".scratch");
await h5wasm.ready;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
mkdirSync(scratch, { recursive: true });

// libver bounds: [earliest, v108] gives superblock 0 / object header 1 / symbol tables (what h5py wrote before HDF5
// 2.0); v108 gives superblock 2 / object header 2 / link messages; v110 and later superblock 3 and layout-4 chunk indexes.
const V0 = ["earliest", "v108"];
const V2 = ["v108", "v108"];
const V3 = "latest";

// ---------------------------------------------------------------------------------------------------------------------
// Models. Each layer: kind, Keras name, units and options. Weights follow a fixed pattern so that every array differs.

const stackLayers = (dialect) => [
  { kind: "LSTM", name: "bidirectional", units: 4, activation: "tanh", recurrentActivation: dialect.hardSigmoid, useBias: true,
    returnSequences: true, goBackwards: false, bidirectional: true, mergeMode: "concat" },
  { kind: "Dropout", name: "dropout", rate: 0.25 },
  { kind: "GRU", name: "gru", units: 3, activation: "tanh", recurrentActivation: dialect.hardSigmoid, useBias: true,
    resetAfter: dialect.resetAfter, returnSequences: false, goBackwards: false },
  { kind: "Dense", name: "dense", units: 4, activation: "relu", useBias: true },
  { kind: "Dense", name: "dense_1", units: 2, activation: "tanh", useBias: true },
];

const models = {
  // Keras 2 (tf.keras 2.4): hard_sigmoid is 0.2x + 0.5; this GRU uses the Keras 2.0 reset_after=False convention.
  stack_keras2: { timesteps: 5, inputDim: 3, layers: stackLayers({ hardSigmoid: "hard_sigmoid_keras2", resetAfter: false }), salt: 1 },
  // Keras 3: hard_sigmoid is x/6 + 0.5; GRU reset_after=True (bias [2, 3u]).
  stack_keras3: { timesteps: 5, inputDim: 3, layers: stackLayers({ hardSigmoid: "hard_sigmoid", resetAfter: true }), salt: 2 },
  // tf.keras 2.13-2.15 wrote the new layout with Keras 2 semantics: same weights as stack_keras3, Keras 2 hard_sigmoid.
  stack_tfkeras213: { timesteps: 5, inputDim: 3, layers: stackLayers({ hardSigmoid: "hard_sigmoid_keras2", resetAfter: true }), salt: 2 },
  simple: {
    timesteps: 4, inputDim: 2, salt: 3,
    layers: [
      { kind: "SimpleRNN", name: "simple_rnn", units: 3, activation: "tanh", useBias: true, returnSequences: true, goBackwards: true },
      { kind: "Dense", name: "dense", units: 2, activation: "sigmoid", useBias: false },
    ],
  },
  // Nine layers: enough links in one group for HDF5 to switch to dense link storage (more than 8) with libver >= 1.8.
  deep: {
    timesteps: 3, inputDim: 2, salt: 4,
    layers: [
      ...[0, 1, 2, 3].map((i) => ({ kind: "LSTM", name: i ? `lstm_${i}` : "lstm", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: true })),
      ...[0, 1].map((i) => ({ kind: "SimpleRNN", name: i ? `simple_rnn_${i}` : "simple_rnn", units: 2, activation: "tanh", useBias: true, returnSequences: true })),
      { kind: "GRU", name: "gru", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
      { kind: "Dense", name: "dense_1", units: 1, activation: "linear", useBias: true },
    ],
  },
  // TimeDistributed(Dense) after a recurrent layer, then a plain Dense: Keras 3 keeps the wrapped Dense under
  // layers/time_distributed/layer/vars (Wrapper.layer; saving_lib._walk_saveable) and numbers it apart from the plain
  // layers/dense. The kernel widths (3 -> 4 -> 3 -> 2) tell which Dense is which.
  timedistributed: {
    timesteps: 5, inputDim: 3, salt: 5,
    layers: [
      { kind: "LSTM", name: "lstm", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: true },
      { kind: "Dense", name: "time_distributed", innerName: "dense", timeDistributed: true, units: 3, activation: "relu", useBias: true },
      { kind: "Dense", name: "dense_1", units: 2, activation: "tanh", useBias: true },
    ],
  },
  // Dense layers followed by Activation layers, as Keras users write Dense(3) + Activation("relu"): a linear Dense then
  // Activation(a) computes Dense(activation=a), so RnnGen's loader folds each Activation into the Dense before it.
  dense_activation: {
    timesteps: 4, inputDim: 3, salt: 7,
    layers: [
      { kind: "LSTM", name: "lstm", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 3, activation: "linear", useBias: true },
      { kind: "Activation", name: "activation", activation: "relu" },
      { kind: "Dense", name: "dense_1", units: 2, activation: "linear", useBias: true },
      { kind: "Activation", name: "activation_1", activation: "sigmoid" },
    ],
  },
  // Masking before the LSTM: a declaration with [Masking] first loads it, one without is refused (no expected outputs:
  // the masked numbers are checked against TensorFlow.js in RnnGen.Numerics.Tests).
  masking: {
    timesteps: 4, inputDim: 3, salt: 8, noExpected: true,
    layers: [
      { kind: "Masking", name: "masking", maskValue: 0 },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // The same as a Keras 3 file, with mask_value -1.
  masking_minus_one: {
    timesteps: 4, inputDim: 3, salt: 13, noExpected: true,
    layers: [
      { kind: "Masking", name: "masking", maskValue: -1 },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // Embedding(20, 4, mask_zero=True) before the LSTM, Keras's text model: the input is (batch, timesteps) tokens, so
  // the files' input shapes have no feature axis (no expected outputs: the numbers are checked against TensorFlow.js in
  // RnnGen.Numerics.Tests, EmbeddingGoldenTests).
  embedding: {
    timesteps: 5, inputDim: 1, tokens: true, salt: 15, noExpected: true,
    layers: [
      { kind: "Embedding", name: "embedding", inputDim: 20, units: 4, maskZero: true },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // The same without mask_zero, for a Keras 3 file.
  embedding_no_mask: {
    timesteps: 5, inputDim: 1, tokens: true, salt: 16, noExpected: true,
    layers: [
      { kind: "Embedding", name: "embedding", inputDim: 20, units: 4, maskZero: false },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // A Lambda layer (arbitrary Python code) before the LSTM: a layer RnnGen will never compile, so the loader, inspect
  // and [KerasModel] must refuse the file with one clear error (no expected outputs).
  lambda: {
    timesteps: 4, inputDim: 3, salt: 14, noExpected: true,
    layers: [
      { kind: "Lambda", name: "lambda" },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // LSTM -> LayerNormalization -> Dense, the forecasting stack of the issue: the normalization on the LSTM's last
  // output (a vector). kerasAxis is the positive axis tf.keras 2 writes in the config once the layer is built.
  layernorm: {
    timesteps: 5, inputDim: 3, salt: 9,
    layers: [
      { kind: "LSTM", name: "lstm", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "LayerNormalization", name: "layer_normalization", epsilon: 0.001, center: true, scale: true, kerasAxis: 1 },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // LSTM(return_sequences) -> BatchNormalization -> Dense on every timestep, with moving statistics far from 0 and 1
  // (the variance array is made positive in buildWeights) and a larger epsilon, so that each term shows.
  batchnorm: {
    timesteps: 4, inputDim: 3, salt: 10,
    layers: [
      { kind: "LSTM", name: "lstm", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: true },
      { kind: "BatchNormalization", name: "batch_normalization", epsilon: 0.01, center: true, scale: true, kerasAxis: 2 },
      { kind: "Dense", name: "dense", units: 2, activation: "tanh", useBias: true },
    ],
  },
  // An adapted Normalization (the preprocessing layer) first, on raw-scaled inputs: mean, variance and the int64 scalar
  // count as its weights (made so in buildWeights), then LSTM -> Dense.
  normalization: {
    timesteps: 5, inputDim: 3, salt: 18,
    layers: [
      { kind: "Normalization", name: "normalization", invert: false, count: 4213 },
      { kind: "LSTM", name: "lstm", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // Normalization(invert=True) last, de-normalizing the Dense's output at every timestep (written as a Keras 3 archive
  // only).
  normalization_invert: {
    timesteps: 4, inputDim: 2, salt: 20,
    layers: [
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: true },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
      { kind: "Normalization", name: "normalization", invert: true, count: 1870 },
    ],
  },
  // The signal shape: a Conv1D (valid padding: 5 timesteps in, 4 out) before the LSTM.
  conv1d: {
    timesteps: 5, inputDim: 3, salt: 11,
    layers: [
      { kind: "Conv1D", name: "conv1d", filters: 4, kernelSize: 2 },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // A Conv1DTranspose before the LSTM: a layer with weights RnnGen does not generate; loading must report it once, not
  // a mismatch at every later layer (no expected outputs).
  conv1d_transpose: {
    timesteps: 5, inputDim: 3, salt: 17, noExpected: true,
    layers: [
      { kind: "Conv1DTranspose", name: "conv1d_transpose", filters: 4, kernelSize: 2 },
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true },
    ],
  },
  // A functional graph: two LSTMs read the input, Concatenate joins their outputs, a Dense reads that. Not one chain,
  // so no stack declares it (no expected outputs). inputWidth overrides the width a chain would give.
  functional: {
    timesteps: 5, inputDim: 3, salt: 12, noExpected: true, functional: true,
    layers: [
      { kind: "LSTM", name: "lstm", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false, reads: ["input_layer"] },
      { kind: "LSTM", name: "lstm_1", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false, inputWidth: 3, reads: ["input_layer"] },
      { kind: "Concatenate", name: "concatenate", reads: ["lstm", "lstm_1"] },
      { kind: "Dense", name: "dense", units: 2, activation: "linear", useBias: true, inputWidth: 5, reads: ["concatenate"] },
    ],
  },
  // The same with every width 2: the time_distributed and dense groups fit either declared Dense, so a .weights.h5
  // alone cannot tell which weights go where (no expected outputs: RnnGen must refuse to guess).
  timedistributed_ambiguous: {
    timesteps: 5, inputDim: 3, salt: 6, noExpected: true,
    layers: [
      { kind: "LSTM", name: "lstm", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: true },
      { kind: "Dense", name: "time_distributed", innerName: "dense", timeDistributed: true, units: 2, activation: "linear", useBias: true },
      { kind: "Dense", name: "dense_1", units: 2, activation: "linear", useBias: true },
    ],
  },
};

function pattern(n, salt) {
  // Deterministic, varied, moderate values; rounded to float32 because that is what the files store.
  return Array.from({ length: n }, (_, i) => Math.fround(0.6 * Math.sin(0.37 * (i + 1) * salt + 0.11 * salt) + 0.05 * Math.cos(1.3 * i)));
}

function buildWeights(model) {
  const weights = [];
  const shapes = [];
  const dtypes = []; // the HDF5 dtype of each array: "<f4", or "<q" (int64) for a Normalization's count
  let width = model.inputDim;
  let k = 0;
  for (const layer of model.layers) {
    width = layer.inputWidth ?? width;
    const layerShapes = layerWeightShapes(layer, width);
    layerShapes.forEach((shape, i) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = pattern(n, model.salt * 7 + ++k);
      // A BatchNormalization's moving_variance (its last array) is a variance: positive.
      const positive = layer.kind === "BatchNormalization" && i === layerShapes.length - 1;
      if (layer.kind === "Normalization") {
        // Adapted statistics of raw data: mean in [-2, 3), variance in [0.1, 4), and count, an int64 scalar.
        weights.push([values.map((v) => Math.fround(0.5 + 3.8 * v)), values.map((v) => Math.fround(0.1 + 5.9 * Math.abs(v))), [layer.count]][i]);
      } else weights.push(positive ? values.map((v) => Math.fround(0.5 + Math.abs(v))) : values);
      shapes.push(shape);
      dtypes.push(layer.kind === "Normalization" && i === 2 ? "<q" : "<f4");
    });
    width = outputWidth(layer, width);
  }
  return { weights, shapes, dtypes };
}

for (const model of Object.values(models)) {
  Object.assign(model, buildWeights(model));
}
models.stack_tfkeras213.weights = models.stack_keras3.weights;

// Two input sequences per model; the expected output is the model output for each, flattened batch-first.
function expected(name) {
  const model = models[name];
  const batch = 2;
  let input = pattern(batch * model.timesteps * model.inputDim, 11 + model.salt).map((v) => Math.fround(2 * v));
  if (model.layers[0].kind === "Normalization" && !model.layers[0].invert) {
    // Raw data for the normalization to undo: each feature around its mean, spread by its standard deviation.
    const [mean, variance] = model.weights;
    input = input.map((v, i) => Math.fround(mean[i % model.inputDim] + Math.sqrt(variance[i % model.inputDim]) * v));
  }
  const output = [];
  for (let b = 0; b < batch; b++) {
    const xs = [];
    for (let t = 0; t < model.timesteps; t++) {
      const start = (b * model.timesteps + t) * model.inputDim;
      xs.push(input.slice(start, start + model.inputDim));
    }
    output.push(...runModel(model, model.weights, xs).flat(2));
  }
  return { model: name, timesteps: model.timesteps, inputDim: model.inputDim, batch, input, output, weights: model.weights, shapes: model.shapes };
}

for (const name of Object.keys(models).filter((n) => !models[n].noExpected)) {
  writeFileSync(join(out, `expected_${name}.json`), JSON.stringify(expected(name)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Functional models whose weights are those of the TensorFlow.js golden cases (tests/golden/graphs.mjs, written to
// tests/RnnGen.Numerics.Tests/Golden/tfjs-graph-golden.json): the same layer names, the same options, the weights bit
// for bit. Their inputs and expected outputs are the golden file's, so no expected_*.json is written for them.
// inputs: the InputLayers (batch_shape); reads: the tensors a layer is called on ("name" = [name, 0, 0], or
// [name, node, tensor]); calls instead of reads: a shared layer called several times, the tensors of each call in call
// order (call k makes node k, whose outputs are [name, k, tensor]); initialState: the tensors passed as
// initial_state=[...] (a layer called once); for a MultiHeadAttention, reads are the tensors passed by position (query,
// value), keywords the tensors passed by name ({ key: "keys" }) and callOptions the call's other keyword arguments
// ({ use_causal_mask: true }); outputs: the model's output tensors.
// kerasNodes: write what Keras 3.10 writes for a node, tensor shapes, each layer's build_config and the kwargs that
// Layer.__call__ adds to a single-tensor call of a recurrent layer (training=False from RNN.call's default, mask the
// input's mask) and to a MultiHeadAttention call (query_mask, value_mask and key_mask), each mask None without
// Masking or Embedding(mask_zero) upstream, else a mask operation's output (maskOperations).
// The layers are listed in Keras's model.layers order (keras/src/ops/function.py map_graph: by depth from the inputs,
// then by traversal order), which also numbers the weight groups: layers/lstm, layers/lstm_1, layers/dense, ...
// goldenModel checks that order with kerasLayerOrder, which also places the InputLayers in the config: Keras lists them
// by the same rule, so not always in the order of the model's inputs (input_layers keeps that order).

const goldenFile = join(here, "..", "RnnGen.Numerics.Tests", "Golden", "tfjs-graph-golden.json");
const goldenCases = JSON.parse(readFileSync(goldenFile, "utf8")).cases;
const lstmOptions = { kind: "LSTM", activation: "tanh", recurrentActivation: "sigmoid", useBias: true, returnSequences: false };

const goldenModels = {
  // An encoder-decoder: the decoder starts from the encoder's states h and c (outputs 1 and 2 of its node).
  golden_seq2seq: {
    goldenCase: "seq2seq",
    inputs: [{ name: "encoder_inputs", shape: [null, 6, 3] }, { name: "decoder_inputs", shape: [null, 4, 2] }],
    outputs: ["head"],
    layers: [
      { ...lstmOptions, name: "encoder", units: 5, returnState: true, reads: ["encoder_inputs"] },
      { ...lstmOptions, name: "decoder", units: 5, returnSequences: true, reads: ["decoder_inputs"], initialState: [["encoder", 0, 1], ["encoder", 0, 2]] },
      { kind: "Dense", name: "head", units: 3, activation: "linear", useBias: true, reads: ["decoder"] },
    ],
  },
  // Two inputs, two branches joined by Concatenate, a second output on the GRU branch. GRU reset_after=False (the
  // only GRU tfjs runs): bias [3u], not [2, 3u].
  golden_two_branch: {
    goldenCase: "two_branch_concat",
    inputs: [{ name: "a", shape: [null, 5, 3] }, { name: "b", shape: [null, 5, 2] }],
    outputs: ["out", "aux"],
    layers: [
      { kind: "GRU", name: "gru_a", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: false, reads: ["a"] },
      { ...lstmOptions, name: "lstm_b", units: 6, reads: ["b"] },
      { kind: "Concatenate", name: "concat", reads: ["gru_a", "lstm_b"] },
      { kind: "Dense", name: "hidden", units: 3, activation: "relu", useBias: true, reads: ["concat"] },
      { kind: "Dense", name: "out", units: 1, activation: "linear", useBias: true, reads: ["hidden"] },
      { kind: "Dense", name: "aux", units: 2, activation: "linear", useBias: true, reads: ["gru_a"] },
    ],
  },
  // Keras 3 Attention on [query, value, key] = [decoder, encoder, keys], called on one list like Concatenate, with both
  // scalar weights (use_scale: scale; score_mode concat: concat_score_weight). Keras's order: from the output, the DFS
  // reaches decoder, y, encoder, x, keys, so the layers are y, x (depth 3), decoder, encoder, keys (depth 2),
  // attention, out; the weight groups are layers/lstm (decoder), layers/lstm_1 (encoder), layers/gru (keys),
  // layers/attention, layers/dense (out).
  golden_attention: {
    goldenCase: "attention_scaled_concat_key",
    inputs: [{ name: "x", shape: [null, 6, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "decoder", units: 4, returnSequences: true, reads: ["y"] },
      { ...lstmOptions, name: "encoder", units: 4, returnSequences: true, reads: ["x"] },
      { kind: "GRU", name: "keys", units: 4, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: true, reads: ["x"] },
      { kind: "Attention", name: "attention", useScale: true, scoreMode: "concat", dropout: 0.0, reads: ["decoder", "encoder", "keys"] },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["attention"] },
    ],
  },
  // Keras 3 Dot(axes=[2, 1]) on one list [lstm_x, lstm_y]: the (batch, 4, 5) sequence against the (batch, 5) vector,
  // one score per timestep (batch, 4). Keras's order: from the output, the DFS reaches scores, lstm_x, x, lstm_y, y, so
  // the layers are x, y (depth 3), lstm_x, lstm_y (depth 2), scores, head; the weight groups are layers/lstm (lstm_x),
  // layers/lstm_1 (lstm_y) and layers/dense (head); Dot has no variables, so Keras 3.10 writes no layers/dot group.
  golden_dot: {
    goldenCase: "dot_sequence_vector",
    inputs: [{ name: "x", shape: [null, 4, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["head"],
    layers: [
      { ...lstmOptions, name: "lstm_x", units: 5, returnSequences: true, reads: ["x"] },
      { ...lstmOptions, name: "lstm_y", units: 5, reads: ["y"] },
      { kind: "Dot", name: "scores", axes: [2, 1], normalize: false, reads: ["lstm_x", "lstm_y"] },
      { kind: "Dense", name: "head", units: 2, activation: "linear", useBias: true, reads: ["scores"] },
    ],
  },
  // A siamese pair: one LSTM `shared` called twice, on left then on right (one layer, one set of weights, two inbound
  // nodes); a tensor of its second call is keras_history ["shared", 1, 0]. Keras's order: from the output, the DFS
  // reaches score, diff, shared (node 0), left, shared (node 1), right, so the layers are left, right (depth 3), shared
  // (both nodes at depth 2), diff, score; the weight groups are layers/lstm (shared, once) and layers/dense (score);
  // Subtract has no variables, so Keras 3.10 writes no layers/subtract group.
  golden_siamese: {
    goldenCase: "shared_siamese",
    inputs: [{ name: "left", shape: [null, 5, 3] }, { name: "right", shape: [null, 5, 3] }],
    outputs: ["score"],
    layers: [
      { ...lstmOptions, name: "shared", units: 4, calls: [["left"], ["right"]] },
      { kind: "Subtract", name: "diff", reads: [["shared", 0, 0], ["shared", 1, 0]] },
      { kind: "Dense", name: "score", units: 1, activation: "sigmoid", useBias: true, reads: ["diff"] },
    ],
  },
  // Keras MultiHeadAttention called as mha(decoder, encoder, key=keys): query and value positional, the key a keyword
  // tensor (keywords: call kwargs, "name" = [name, 0, 0]); 3 heads, key_dim 2, value_dim 3, output_shape 5, so every
  // projection has its own width. Keras's order: from the output, the DFS reaches mha, decoder, y, encoder, x, keys (a
  // node's tensors are its args, then its kwargs), so the layers are y, x, decoder, encoder, keys, mha, out; the weight
  // groups are layers/lstm (decoder), layers/lstm_1 (encoder), layers/gru (keys), layers/multi_head_attention/
  // {query,key,value,output}_dense and layers/dense (out).
  golden_mha: {
    goldenCase: "mha_cross_key_value_dims",
    inputs: [{ name: "x", shape: [null, 6, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "decoder", units: 4, returnSequences: true, reads: ["y"] },
      { ...lstmOptions, name: "encoder", units: 6, returnSequences: true, reads: ["x"] },
      { kind: "GRU", name: "keys", units: 5, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: true, reads: ["x"] },
      { kind: "MultiHeadAttention", name: "mha", numHeads: 3, keyDim: 2, valueDim: 3, useBias: true, outputShape: 5, reads: ["decoder", "encoder"], keywords: { key: "keys" } },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["mha"] },
    ],
  },
  // Causal self-attention without biases, mha(encoder, encoder, use_causal_mask=True) (callOptions: the call's
  // non-tensor kwargs), concatenated with the encoder's sequence. Keras's order: x (depth 4), encoder (3: through mha
  // and through concat), mha, concat, out; weight groups layers/lstm, layers/multi_head_attention (the four kernels
  // only), layers/dense; Concatenate has no variables.
  golden_mha_causal: {
    goldenCase: "mha_causal_no_bias",
    inputs: [{ name: "x", shape: [null, 5, 3] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "encoder", units: 6, returnSequences: true, reads: ["x"] },
      { kind: "MultiHeadAttention", name: "mha", numHeads: 1, keyDim: 3, valueDim: 3, useBias: false, outputShape: null, reads: ["encoder", "encoder"], callOptions: { use_causal_mask: true } },
      { kind: "Concatenate", name: "concat", reads: ["mha", "encoder"] },
      { kind: "Dense", name: "out", units: 1, activation: "linear", useBias: true, reads: ["concat"] },
    ],
  },
  // A merge of a merge of a merge: Concatenate concat [l1, g1] (LSTM(3), GRU(2)), Add sum [concat, l2] (SimpleRNN(5)),
  // Average avg [sum, l2] (l2 read by both), into LSTM tail and Dense out, all on one input. Keras's order: from the
  // output, the DFS reaches tail, avg, sum, concat, l1, a, g1, l2; l2 is at depth 4 (through sum), as is concat, so the
  // layers are a, l1, g1 (depth 5), concat, l2 (4), sum, avg, tail, out; the weight groups are layers/lstm (l1),
  // layers/gru (g1), layers/simple_rnn (l2), layers/lstm_1 (tail), layers/dense (out); Concatenate, Add and Average have
  // no variables, so no layers/concatenate, layers/add or layers/average group.
  golden_merge_of_merge: {
    goldenCase: "merge_of_merge",
    inputs: [{ name: "a", shape: [null, 5, 3] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "l1", units: 3, returnSequences: true, reads: ["a"] },
      { kind: "GRU", name: "g1", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: true, reads: ["a"] },
      { kind: "Concatenate", name: "concat", reads: ["l1", "g1"] },
      { kind: "SimpleRNN", name: "l2", units: 5, activation: "tanh", useBias: true, returnSequences: true, reads: ["a"] },
      { kind: "Add", name: "sum", reads: ["concat", "l2"] },
      { kind: "Average", name: "avg", reads: ["sum", "l2"] },
      { ...lstmOptions, name: "tail", units: 3, reads: ["avg"] },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["tail"] },
    ],
  },
  // Keras 3 Attention (use_scale, score_mode dot: the scale only) on one list [decoder, values], its value (and key) a
  // Concatenate values [enc_a, enc_b] of an LSTM(3) and a GRU(2) over x; the decoder an LSTM(5) over y; Concatenate
  // context [attention, decoder] into Dense out. Keras's order: from the output, the DFS reaches context, attention,
  // decoder, y, values, enc_a, x, enc_b, so the layers are x (depth 5), y, enc_a, enc_b (4), decoder, values (3),
  // attention, context, out (input_layers stay x, y); the weight groups are layers/lstm (enc_a), layers/gru (enc_b),
  // layers/lstm_1 (decoder), layers/attention (scale, shape ()) and layers/dense (out).
  golden_attention_over_merge: {
    goldenCase: "attention_over_merge",
    inputs: [{ name: "x", shape: [null, 6, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "enc_a", units: 3, returnSequences: true, reads: ["x"] },
      { kind: "GRU", name: "enc_b", units: 2, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: true, reads: ["x"] },
      { ...lstmOptions, name: "decoder", units: 5, returnSequences: true, reads: ["y"] },
      { kind: "Concatenate", name: "values", reads: ["enc_a", "enc_b"] },
      { kind: "Attention", name: "attention", useScale: true, scoreMode: "dot", dropout: 0.0, reads: ["decoder", "values"] },
      { kind: "Concatenate", name: "context", reads: ["attention", "decoder"] },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["context"] },
    ],
  },
  // The mask cases (tests/golden/graphs.mjs: the masks made by Masking and Embedding(mask_zero) pass through the graph).
  // Keras 3 records in a node the mask tensor it passes (the recurrent layers' and GlobalAveragePooling1D's `mask`, a
  // MultiHeadAttention's query_mask and value_mask), made by operations of its own that config.layers lists among
  // the layers (maskOperations: Masking's not_equal and any, Embedding's not_equal, a merge's logical_or, a
  // Concatenate's expand_dims, broadcast_to, concatenate and any, attention's convert_to_tensor); callOrder is the
  // order of the golden case's build(), which names them. The depths below count the layers alone: the operations
  // deepen some nodes (the inputs most) but leave the layers' order, and so the weight groups, as they are.
  //
  // Masking 'enc_masking' on x into LSTM 'encoder' and 'dec_masking' on y into LSTM 'decoder' (4, return_sequences;
  // mask_value 0.0); Attention 'attention' (use_scale, score_mode dot) on one list [decoder, encoder], Concatenate
  // 'context' [attention, decoder], GlobalAveragePooling1D 'pool' (masked average over the decoder's mask), Dense
  // 'out'; AdditiveAttention 'additive' (use_scale: a `scale` of shape [4]) on [decoder, encoder] into Dense
  // 'additive_head' on every timestep. Keras's order: from the outputs, the DFS reaches out, pool, context, attention,
  // decoder, dec_masking, y, encoder, enc_masking, x, then additive_head, additive, so the layers are y, x (depth 6),
  // dec_masking, enc_masking (5), decoder, encoder (4), attention (3), context (2), pool, additive (1), out,
  // additive_head (0); the weight groups are layers/lstm (decoder), layers/lstm_1 (encoder), layers/attention (scale,
  // shape ()), layers/additive_attention (scale, shape [4]), layers/dense (out) and layers/dense_1 (additive_head).
  golden_mask_attention: {
    goldenCase: "mask_attention",
    inputs: [{ name: "x", shape: [null, 6, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["out", "additive_head"],
    callOrder: ["enc_masking", "dec_masking", "encoder", "decoder", "attention", "context", "pool", "out", "additive", "additive_head"],
    layers: [
      { kind: "Masking", name: "dec_masking", maskValue: 0.0, reads: ["y"] },
      { kind: "Masking", name: "enc_masking", maskValue: 0.0, reads: ["x"] },
      { ...lstmOptions, name: "decoder", units: 4, returnSequences: true, reads: ["dec_masking"] },
      { ...lstmOptions, name: "encoder", units: 4, returnSequences: true, reads: ["enc_masking"] },
      { kind: "Attention", name: "attention", useScale: true, scoreMode: "dot", dropout: 0.0, reads: ["decoder", "encoder"] },
      { kind: "Concatenate", name: "context", reads: ["attention", "decoder"] },
      { kind: "GlobalAveragePooling1D", name: "pool", reads: ["context"] },
      { kind: "AdditiveAttention", name: "additive", useScale: true, dropout: 0.0, reads: ["decoder", "encoder"] },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["pool"] },
      { kind: "Dense", name: "additive_head", units: 3, activation: "linear", useBias: true, reads: ["additive"] },
    ],
  },
  // Embedding 'embedding' (input_dim 7, output_dim 4, mask_zero) on Keras's token input 'tokens' (batch, 5) -> LSTM
  // 'lstm_a' (3) -> GRU 'lstm_b' (3, reset_after false: bias [9]), both return_sequences; Add 'sum' [lstm_a, lstm_b],
  // Concatenate 'cat' [sum, lstm_a] into LSTM 'out' (2, last output); Average 'avg' [lstm_a, lstm_b] into Dense
  // 'avg_head' (2) on every timestep. The golden case feeds tfjs (5, 5, 1) tokens through a Reshape 'tokens_reshape' (no
  // weights; tfjs's Embedding would make (B, T, 1, dim) of them): goldenInputs is its input, which Keras's Input((5,))
  // reads as the same tokens without that Reshape (the InputLayer's dtype float32, Input's default, as in
  // keras3_embedding.keras; Embedding casts the tokens to int). Keras's order: tokens (6), embedding (5), lstm_a (4,
  // through lstm_b), lstm_b (3), sum (2), cat, avg (1), out, avg_head (0); the weight groups are layers/embedding
  // (vars/0 embeddings [7, 4]), layers/lstm (lstm_a), layers/gru (lstm_b), layers/lstm_1 (out) and layers/dense
  // (avg_head).
  golden_mask_embedding_merge: {
    goldenCase: "mask_embedding_merge",
    inputs: [{ name: "tokens", shape: [null, 5] }],
    goldenInputs: [{ name: "tokens", shape: [null, 5, 1] }],
    tokenInputs: { tokens: 7 },
    outputs: ["out", "avg_head"],
    callOrder: ["embedding", "lstm_a", "lstm_b", "sum", "cat", "out", "avg", "avg_head"],
    layers: [
      { kind: "Embedding", name: "embedding", inputDim: 7, units: 4, maskZero: true, reads: ["tokens"] },
      { ...lstmOptions, name: "lstm_a", units: 3, returnSequences: true, reads: ["embedding"] },
      { kind: "GRU", name: "lstm_b", units: 3, activation: "tanh", recurrentActivation: "sigmoid", useBias: true, resetAfter: false, returnSequences: true, reads: ["lstm_a"] },
      { kind: "Add", name: "sum", reads: ["lstm_a", "lstm_b"] },
      { kind: "Concatenate", name: "cat", reads: ["sum", "lstm_a"] },
      { kind: "Average", name: "avg", reads: ["lstm_a", "lstm_b"] },
      { ...lstmOptions, name: "out", units: 2, reads: ["cat"] },
      { kind: "Dense", name: "avg_head", units: 2, activation: "linear", useBias: true, reads: ["avg"] },
    ],
  },
  // Masking/LSTM encoder and decoder as in golden_mask_attention; MultiHeadAttention 'mha' (2 heads, key_dim 3) called
  // mha(decoder, encoder) (value = key) into LSTM 'out' (3, last output), and 'self_mha' (1 head, key_dim 2) called
  // self_mha(decoder, decoder, use_causal_mask=True) into Dense 'self_head' (2) on every timestep; the kwargs as in
  // golden_mha_causal, query_mask and value_mask the decoder's and encoder's masks. Keras's order: y, x (4),
  // dec_masking, enc_masking (3), decoder, encoder (2), mha, self_mha (1), out, self_head (0); the weight groups are
  // layers/lstm (decoder), layers/lstm_1 (encoder), layers/multi_head_attention/{query,key,value,output}_dense (mha),
  // layers/multi_head_attention_1/... (self_mha), layers/lstm_2 (out) and layers/dense (self_head).
  golden_mask_mha: {
    goldenCase: "mask_mha",
    inputs: [{ name: "x", shape: [null, 6, 3] }, { name: "y", shape: [null, 5, 2] }],
    outputs: ["out", "self_head"],
    callOrder: ["enc_masking", "dec_masking", "encoder", "decoder", "mha", "out", "self_mha", "self_head"],
    layers: [
      { kind: "Masking", name: "dec_masking", maskValue: 0.0, reads: ["y"] },
      { kind: "Masking", name: "enc_masking", maskValue: 0.0, reads: ["x"] },
      { ...lstmOptions, name: "decoder", units: 4, returnSequences: true, reads: ["dec_masking"] },
      { ...lstmOptions, name: "encoder", units: 4, returnSequences: true, reads: ["enc_masking"] },
      { kind: "MultiHeadAttention", name: "mha", numHeads: 2, keyDim: 3, valueDim: 3, useBias: true, outputShape: null, reads: ["decoder", "encoder"] },
      { kind: "MultiHeadAttention", name: "self_mha", numHeads: 1, keyDim: 2, valueDim: 2, useBias: true, outputShape: null, reads: ["decoder", "decoder"], callOptions: { use_causal_mask: true } },
      { ...lstmOptions, name: "out", units: 3, reads: ["mha"] },
      { kind: "Dense", name: "self_head", units: 2, activation: "linear", useBias: true, reads: ["self_mha"] },
    ],
  },
  // Self-attention mha(encoder, encoder), written as a tf.keras 2 legacy full model (writeLegacyH5 with a functional
  // model_config): layer_names x, encoder, mha, out; the MultiHeadAttention's weights under mha/query, mha/key,
  // mha/value and mha/attention_output (tf.keras 2 names its EinsumDense sub-layers so).
  golden_mha_self: {
    goldenCase: "mha_self_attention",
    inputs: [{ name: "x", shape: [null, 6, 3] }],
    outputs: ["out"],
    layers: [
      { ...lstmOptions, name: "encoder", units: 8, returnSequences: true, reads: ["x"] },
      { kind: "MultiHeadAttention", name: "mha", numHeads: 2, keyDim: 4, valueDim: 4, useBias: true, outputShape: null, reads: ["encoder", "encoder"] },
      { kind: "Dense", name: "out", units: 2, activation: "linear", useBias: true, reads: ["mha"] },
    ],
  },
};

// The tensors of each call of a layer: calls for a shared layer, else the one call on reads.
const callsOf = (layer) => layer.calls ?? [layer.reads];
const nodeRef = (r) => (typeof r === "string" ? [r, 0, 0] : r);

// keras/src/layers/attention/attention.py build: `scale` (shape ()) if use_scale, then `concat_score_weight` (shape ())
// if score_mode is "concat"; additive_attention.py build: `scale` of shape [dim] (the query's last axis) if use_scale;
// keras/src/layers/merging/dot.py, subtract.py, add.py and average.py and pooling/global_average_pooling1d.py have no
// variables. rnn-reference.mjs knows none of these layers; these wrap its shape and count functions.
const attentionWeightShapes = (layer, inputWidth) => (layer.kind === "AdditiveAttention" ? (layer.useScale ? [[inputWidth]] : [])
  : [...(layer.useScale ? [[]] : []), ...(layer.scoreMode === "concat" ? [[]] : [])]);
const isAttention = (layer) => layer.kind === "Attention" || layer.kind === "AdditiveAttention";
const noWeights = (layer) => ["Dot", "Subtract", "Add", "Average", "GlobalAveragePooling1D"].includes(layer.kind);
// keras/src/layers/attention/multi_head_attention.py build: four EinsumDense projections, each a kernel and (use_bias) a
// bias, in get_weights() order query [dq, N, H] + [N, H], key [dk, N, H] + [N, H], value [dv, N, Hv] + [N, Hv],
// attention_output [N, Hv, out] + [out] (N num_heads, H key_dim, Hv value_dim, out output_shape or dq), from the widths
// of the query, value and key (the value's when no key is passed).
function multiHeadAttentionShapes(layer, [dq, dv, dk = dv]) {
  const N = layer.numHeads;
  const H = layer.keyDim;
  const Hv = layer.valueDim ?? H;
  const out = layer.outputShape ?? dq;
  const bias = (shape) => (layer.useBias ? [shape] : []);
  return [[dq, N, H], ...bias([N, H]), [dk, N, H], ...bias([N, H]), [dv, N, Hv], ...bias([N, Hv]), [N, Hv, out], ...bias([out])];
}
// inputWidth: the last axis of the first tensor read; widths (MultiHeadAttention only): of the query, value and key.
const weightShapes = (layer, inputWidth, widths) => (layer.kind === "MultiHeadAttention" ? multiHeadAttentionShapes(layer, widths)
  : isAttention(layer) ? attentionWeightShapes(layer, inputWidth) : noWeights(layer) ? [] : layerWeightShapes(layer, inputWidth));
const weightCount = (layer) => (layer.kind === "MultiHeadAttention" ? (layer.useBias ? 8 : 4)
  : isAttention(layer) ? attentionWeightShapes(layer, 0).length : noWeights(layer) ? 0 : layerWeightCount(layer));
// The tensors a call reads, in the order Keras's Node lists them (its args, then its kwargs): reads, then the keyword
// tensors of a MultiHeadAttention (key), then initial_state.
const callTensors = (layer, reads) => [...reads, ...Object.values(layer.keywords ?? {}), ...(layer.initialState ?? [])];

// The mask operations of a golden model whose masks come from Masking or Embedding(mask_zero), as Keras 3.10 makes them
// while the model is built (Layer.__call__ calls compute_mask on the symbolic outputs, and each keras.ops function
// called on a KerasTensor makes an Operation with a node of its own): layers called in spec.callOrder (the order of the
// golden case's build(); spec.layers order otherwise), each op auto-named when made (keras/src/utils/naming.py:
// not_equal, any, not_equal_1, ...; an op made but never read still takes its name).
// - Masking.compute_mask: ops.any(ops.not_equal(inputs, mask_value), axis=-1): NotEqual (args [input, mask_value]),
//   then Any(axis=-1) (keepdims False).
// - Embedding.compute_mask with mask_zero: ops.not_equal(inputs, 0).
// - RNN.compute_mask: the input's mask itself when return_sequences, else none; Dense and MultiHeadAttention keep the
//   mask of their first argument (Layer.compute_mask returns previous_mask, the query's for MultiHeadAttention);
//   GlobalAveragePooling1D.compute_mask returns None.
// - Attention (and AdditiveAttention).compute_mask: ops.convert_to_tensor(mask[0]) when the query has a mask, a
//   ConvertToTensor op (keras.src.ops.core) on the query's mask.
// - Merge.compute_mask (Add, Subtract, Average): None when an input has none, else ops.logical_or of the masks in turn.
// - Concatenate.compute_mask (3.10, before keras-team/keras#21611): each mask of fewer axes than its input becomes
//   ops.broadcast_to(ops.expand_dims(mask, axis=-1), ops.shape(input)) (ops.shape of a KerasTensor is its static
//   shape, None for the batch), then ops.concatenate(masks, axis=self.axis) and ops.any(..., axis=-1).
// Each op is { name, className, module, config, args, shape, dtype }: config what Operation.get_config gives in 3.10
// (ops without an __init__ of their own: { name }; the others the __init__ arguments as passed, without name, the
// auto-config of Operation.__new__), args its call's positional arguments ({ ref: [layer, node, tensor] } a layer's
// tensor, { op: name } another op's output, anything else a literal), shape and dtype those of its one output.
// Returns { operations, callMasks }: callMasks.get(layer)[k] the mask arguments Layer.__call__ fills in for call k (a
// recurrent layer's and GlobalAveragePooling1D's mask, a MultiHeadAttention's query_mask, value_mask and key_mask),
// each an op name or null. Other models get no operations and every mask argument null.
function maskOperations(spec, shapeOf) {
  const counters = {};
  const operations = [];
  const maskOf = new Map(); // "layer#node#tensor" of a layer's output -> the op whose output is its mask
  const callMasks = new Map();
  const tensorKey = (r) => nodeRef(r).join("#");
  const opOf = (name) => operations.find((o) => o.name === name);
  const make = (className, module, config, args, shape, dtype) => {
    const snake = className.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    const n = counters[snake] ?? 0;
    counters[snake] = n + 1;
    const name = n === 0 ? snake : `${snake}_${n}`;
    operations.push({ name, className, module, config: typeof config === "function" ? config(name) : config, args, shape, dtype });
    return name;
  };
  const numpyOp = (className, config, args, shape, dtype) => make(className, "keras.src.ops.numpy", config, args, shape, dtype);
  const named = (name) => ({ name });
  const order = spec.callOrder ?? spec.layers.map((l) => l.name);
  if (JSON.stringify(order.slice().sort()) !== JSON.stringify(spec.layers.map((l) => l.name).sort())) throw new Error(`${spec.goldenCase}: callOrder is not the layers`);
  for (const layerName of order) {
    const layer = spec.layers.find((l) => l.name === layerName);
    callMasks.set(layer.name, callsOf(layer).map((reads, k) => {
      const masks = reads.map((r) => maskOf.get(tensorKey(r)) ?? null);
      const setMask = (op) => { if (op) maskOf.set(`${layer.name}#${k}#0`, op); };
      const inputShape = shapeOf(reads[0]);
      if (layer.kind === "Masking") {
        const notEqual = numpyOp("NotEqual", named, [{ ref: nodeRef(reads[0]) }, layer.maskValue], inputShape, "bool");
        setMask(numpyOp("Any", { axis: -1, keepdims: false }, [{ op: notEqual }], inputShape.slice(0, -1), "bool"));
        return {};
      }
      if (layer.kind === "Embedding") {
        if (layer.maskZero) setMask(numpyOp("NotEqual", named, [{ ref: nodeRef(reads[0]) }, 0], inputShape, "bool"));
        return {};
      }
      if (["LSTM", "GRU", "SimpleRNN"].includes(layer.kind)) {
        if (layer.returnState && masks[0]) throw new Error(`${spec.goldenCase}: ${layer.name}: a masked read with return_state is not written`);
        if (layer.returnSequences) setMask(masks[0]);
        return { mask: masks[0] };
      }
      if (layer.kind === "Dense" || layer.kind === "Dropout") { setMask(masks[0]); return {}; }
      if (layer.kind === "GlobalAveragePooling1D") return { mask: masks[0] };
      if (layer.kind === "MultiHeadAttention") {
        setMask(masks[0]);
        const key = layer.keywords?.key;
        return { query_mask: masks[0], value_mask: masks[1], ...(key ? { key_mask: maskOf.get(tensorKey(key)) ?? null } : {}) };
      }
      if (layer.kind === "Attention" || layer.kind === "AdditiveAttention") {
        // ConvertToTensor.__init__(dtype=None, sparse=None, ragged=None) sets self.dtype = standardize_dtype(None),
        // floatx, so its symbolic output is float32.
        if (masks[0]) setMask(make("ConvertToTensor", "keras.src.ops.core", { dtype: null, sparse: null, ragged: null }, [{ op: masks[0] }], opOf(masks[0]).shape, "float32"));
        return {};
      }
      if (["Add", "Subtract", "Average"].includes(layer.kind)) {
        if (masks.some((m) => m === null)) return {};
        let mask = masks[0];
        for (const m of masks.slice(1)) mask = numpyOp("LogicalOr", named, [{ op: mask }, { op: m }], opOf(mask).shape, "bool");
        setMask(mask);
        return {};
      }
      if (layer.kind === "Concatenate") {
        if (masks.every((m) => m === null)) return {};
        const parts = masks.map((m, i) => {
          // ops.ones_like(input, dtype="bool") for an unmasked input: not in these models.
          if (m === null) throw new Error(`${spec.goldenCase}: ${layer.name}: a Concatenate of masked and unmasked inputs is not written`);
          const input = shapeOf(reads[i]);
          const mask = opOf(m);
          if (mask.shape.length >= input.length) return m;
          const expanded = numpyOp("ExpandDims", { axis: -1 }, [{ op: m }], [...mask.shape, 1], mask.dtype);
          return numpyOp("BroadcastTo", { shape: input }, [{ op: expanded }], input, mask.dtype);
        });
        const shapes = parts.map((p) => opOf(p).shape);
        const joined = [...shapes[0].slice(0, -1), shapes.reduce((sum, sh) => sum + sh[sh.length - 1], 0)];
        // dtypes.result_type of the parts: float32 if any part is (a ConvertToTensor's), else bool.
        const dtype = parts.some((p) => opOf(p).dtype === "float32") ? "float32" : "bool";
        const concatenated = numpyOp("Concatenate", { axis: -1 }, [parts.map((p) => ({ op: p }))], joined, dtype);
        setMask(numpyOp("Any", { axis: -1, keepdims: false }, [{ op: concatenated }], joined.slice(0, -1), "bool"));
        return {};
      }
      if (masks.some((m) => m !== null)) throw new Error(`${spec.goldenCase}: ${layer.name}: masks through ${layer.kind} are not written`);
      return {};
    }));
  }
  return { operations, callMasks };
}

// Keras's model.layers order of a golden model (keras/src/ops/function.py _build_map and map_graph), over nodes (one
// per call of a layer, one per InputLayer, one per mask operation): a depth-first walk from the outputs numbers each
// layer or op when first reached (a node's input tensors: Node's arguments.keras_tensors, tree.flatten((args, kwargs)),
// dict keys sorted: the positional tensors, then keyword tensors such as key, initial_state and the mask arguments,
// by name) and lists the nodes inputs first; walking that list backwards, a node's depth is the largest over its
// consumers of their depth + 1 (outputs 0), raised to its layer's depth so far, and a layer's depth is its nodes'
// largest; the layers come deepest first, ties by that number. With mask operations the list holds them too (Keras's
// config.layers); model.layers leaves them out.
function kerasLayerOrder(spec, masks = { operations: [], callMasks: new Map() }) {
  const key = (r) => `${nodeRef(r)[0]}#${nodeRef(r)[1]}`;
  const layerOf = (node) => node.slice(0, node.lastIndexOf("#"));
  const parents = new Map(spec.inputs.map((x) => [key(x.name), []]));
  for (const layer of spec.layers) {
    callsOf(layer).forEach((reads, k) => {
      const maskArgs = Object.entries(masks.callMasks.get(layer.name)?.[k] ?? {}).filter(([, op]) => op).sort(([a], [b]) => (a < b ? -1 : 1));
      parents.set(key([layer.name, k, 0]), [...callTensors(layer, reads).map(key), ...maskArgs.map(([, op]) => `${op}#0`)]);
    });
  }
  const argTensors = (a) => (Array.isArray(a) ? a.flatMap(argTensors) : a?.ref ? [key(a.ref)] : a?.op ? [`${a.op}#0`] : []);
  for (const op of masks.operations) parents.set(`${op.name}#0`, argTensors(op.args));
  const index = new Map();
  const postOrder = [];
  const visit = (node) => {
    if (postOrder.includes(node)) return;
    if (!index.has(layerOf(node))) index.set(layerOf(node), index.size);
    for (const parent of parents.get(node)) visit(parent);
    postOrder.push(node);
  };
  for (const output of spec.outputs) visit(key(output));
  const nodeDepth = new Map();
  const depth = new Map();
  for (const node of [...postOrder].reverse()) {
    const d = Math.max(nodeDepth.get(node) ?? 0, depth.get(layerOf(node)) ?? 0);
    depth.set(layerOf(node), d);
    nodeDepth.set(node, d);
    for (const parent of parents.get(node)) nodeDepth.set(parent, Math.max(d + 1, nodeDepth.get(parent) ?? 0));
  }
  return [...depth.keys()].sort((a, b) => depth.get(b) - depth.get(a) || index.get(a) - index.get(b));
}

// The weights of a golden case in the order writeKeras3Weights stores them (model.layers order, get_weights order within
// a layer), after checking the case's inputs and each layer's class and weight shapes against the model above.
function goldenModel(spec) {
  const golden = goldenCases.find((c) => c.name === spec.goldenCase);
  if (!golden) throw new Error(`no golden case ${spec.goldenCase} in ${goldenFile}`);
  const shapeText = (s) => JSON.stringify(s);
  // goldenInputs: the golden case's inputs where the model's differ (tfjs's token input has a trailing axis of 1).
  const goldenInputs = spec.goldenInputs ?? spec.inputs;
  if (shapeText(golden.inputs.map((x) => [x.name, x.shape.slice(1)])) !== shapeText(goldenInputs.map((x) => [x.name, x.shape.slice(1)]))) {
    throw new Error(`${spec.goldenCase}: golden inputs ${shapeText(golden.inputs.map((x) => [x.name, x.shape]))} differ from the model's`);
  }
  // tokenInputs: { input: input_dim } for an input of tokens: every golden value a token of the Embedding.
  for (const [name, inputDim] of Object.entries(spec.tokenInputs ?? {})) {
    const data = golden.inputs.find((x) => x.name === name).data;
    if (data.some((t) => !Number.isInteger(t) || t < 0 || t >= inputDim)) throw new Error(`${spec.goldenCase}: an input of ${name} is not a token`);
  }
  // The output shapes of each node of each layer (kerasOutputShapes, Keras's compute_output_shape): a layer's weights
  // depend on the last axis of its first input, which after a Dot is not a feature width of any earlier layer. A
  // shared layer is built by its first call; each later call must read the same width (one set of weights).
  const nodeShapes = new Map(spec.inputs.map((x) => [x.name, [[x.shape]]]));
  const shapeOf = (r) => nodeShapes.get(nodeRef(r)[0])[nodeRef(r)[1]][nodeRef(r)[2]];
  const weights = [];
  const shapes = [];
  const used = new Set();
  for (const layer of spec.layers) {
    // A MultiHeadAttention's keyword tensor (key) counts as its third input, after query and value.
    const calls = callsOf(layer).map((reads) => [...reads, ...Object.values(layer.keywords ?? {})].map(shapeOf));
    if (calls.length > 1 && (layer.initialState || layer.keywords)) throw new Error(`${spec.goldenCase}: ${layer.name} is shared and has an initial state or keyword tensors`);
    const width = calls[0][0][calls[0][0].length - 1];
    if (calls.some((read) => read[0][read[0].length - 1] !== width)) throw new Error(`${spec.goldenCase}: the calls of ${layer.name} read different widths`);
    const own = weightShapes(layer, width, calls[0].map((s) => s[s.length - 1]));
    nodeShapes.set(layer.name, calls.map((read) => kerasOutputShapes(layer, read)));
    const entry = golden.layers.find((l) => l.name === layer.name);
    if (own.length === 0) {
      if (entry) throw new Error(`${spec.goldenCase}: ${layer.name} has weights in the golden file`);
      continue;
    }
    if (!entry || entry.class !== layer.kind) throw new Error(`${spec.goldenCase}: no golden ${layer.kind} named ${layer.name}`);
    if (shapeText(entry.weights.map((w) => w.shape)) !== shapeText(own)) {
      throw new Error(`${spec.goldenCase}: ${layer.name} golden shapes ${shapeText(entry.weights.map((w) => w.shape))}, expected ${shapeText(own)}`);
    }
    for (const w of entry.weights) {
      // The golden file prints each float32 in its shortest float32 form; rounding to float32 gives the value back.
      weights.push(Array.from(Float32Array.from(w.data)));
      shapes.push(w.shape);
    }
    used.add(layer.name);
  }
  const unused = golden.layers.filter((l) => !used.has(l.name)).map((l) => l.name);
  if (unused.length) throw new Error(`${spec.goldenCase}: golden layers ${unused} are not in the model`);
  // The mask operations (none without Masking or Embedding(mask_zero)) and Keras's order of the layers and operations;
  // the layers (and so the weight groups) keep the order of spec.layers, which must be Keras's.
  const masks = maskOperations(spec, shapeOf);
  const layerOrder = kerasLayerOrder(spec, masks);
  const inputNames = new Set(spec.inputs.map((x) => x.name));
  const opNames = new Set(masks.operations.map((o) => o.name));
  if (shapeText(layerOrder.filter((n) => !inputNames.has(n) && !opNames.has(n))) !== shapeText(spec.layers.map((l) => l.name))) {
    throw new Error(`${spec.goldenCase}: the layers are not in Keras's order ${shapeText(layerOrder)}`);
  }
  // Only the operations the walk from the outputs reaches are in the model (an op whose mask no layer reads is not).
  const operations = masks.operations.filter((o) => layerOrder.includes(o.name));
  // The shapes each layer's first call reads (a MultiHeadAttention's query, value and key), for tf.keras 2's configs.
  const buildShapes = new Map(spec.layers.map((l) => [l.name, [...callsOf(l)[0], ...Object.values(l.keywords ?? {})].map(shapeOf)]));
  return { ...spec, functional: true, kerasNodes: true, noExpected: true, layerOrder, weights, shapes, buildShapes, operations, callMasks: masks.callMasks };
}

for (const [name, spec] of Object.entries(goldenModels)) models[name] = goldenModel(spec);

// Sequential models taken whole from a TensorFlow.js golden case of tests/RnnGen.Numerics.Tests/Golden/
// tfjs-embedding-golden.json (written by tests/golden/embedding.mjs): the case's layers (given Keras's default names),
// its weights bit for bit, and as expected_<model>.json its input tokens and TensorFlow.js's output, not plain JS's
// (rnn-reference.mjs computes neither Embedding nor masking). The golden weights are in get_weights() order: a
// Bidirectional's forward layer, then its backward layer (checked by shape here; only the outputs tell the two
// directions apart: in the other order they miss tfjs's by 0.08).
const embeddingGoldenFile = join(here, "..", "RnnGen.Numerics.Tests", "Golden", "tfjs-embedding-golden.json");
const embeddingGoldenCases = JSON.parse(readFileSync(embeddingGoldenFile, "utf8")).cases;

const goldenSequentialModels = {
  // Embedding(7, 3, mask_zero=True) -> Bidirectional(LSTM(3), concat) -> Dense(1) on 6 tokens, 0 the padding (one
  // sequence padded in the middle, one all padding).
  text_model: { goldenCase: "embedding_mask_zero_bilstm_dense", names: ["embedding", "bidirectional", "dense"] },
};

function goldenSequential(name, spec) {
  const golden = embeddingGoldenCases.find((c) => c.name === spec.goldenCase);
  if (!golden) throw new Error(`no golden case ${spec.goldenCase} in ${embeddingGoldenFile}`);
  const fail = (message) => { throw new Error(`${spec.goldenCase}: ${message}`); };
  const { timesteps, inputDim } = golden.model;
  if (inputDim !== 1 || golden.calls !== 1 || golden.initialState !== null) fail("not one call on tokens without an initial state");
  if (golden.model.layers.length !== spec.names.length) fail(`${golden.model.layers.length} layers, ${spec.names.length} names`);
  // The golden file's layer descriptions (RnnGen's declaration kinds) as this script's layers.
  const layers = golden.model.layers.map((l, i) => {
    const name = spec.names[i];
    if (l.kind === "Embedding") return { kind: "Embedding", name, inputDim: l.inputDim, units: l.units, maskZero: l.maskZero };
    if (l.kind === "Dense") return { kind: "Dense", name, units: l.units, activation: l.activation, useBias: l.useBias };
    if (l.kind === "Lstm") {
      if (l.stateful || l.returnState || l.goBackwards) fail(`layer ${i} has options this script does not write`);
      return {
        kind: "LSTM", name, units: l.units, activation: l.activation, recurrentActivation: l.recurrentActivation, useBias: l.useBias,
        returnSequences: l.returnSequences, goBackwards: false, ...(l.bidirectional ? { bidirectional: true, mergeMode: l.mergeMode.toLowerCase() } : {}),
      };
    }
    return fail(`layer ${i} is a ${l.kind}`);
  });
  if (layers[0].kind !== "Embedding") fail("the first layer is not an Embedding");
  const shapes = [];
  let width = inputDim;
  for (const layer of layers) {
    shapes.push(...layerWeightShapes(layer, width));
    width = outputWidth(layer, width);
  }
  const shapeText = (s) => JSON.stringify(s);
  if (shapeText(golden.weights.map((w) => w.shape)) !== shapeText(shapes)) {
    fail(`golden weight shapes ${shapeText(golden.weights.map((w) => w.shape))}, expected ${shapeText(shapes)}`);
  }
  // The golden file prints each float32 in its shortest float32 form; rounding to float32 gives the value back.
  const weights = golden.weights.map((w) => Array.from(Float32Array.from(w.data)));
  const { batch } = golden;
  if (shapeText(golden.input.shape) !== shapeText([batch, timesteps])) fail(`input shape ${shapeText(golden.input.shape)}`);
  if (golden.input.data.some((t) => !Number.isInteger(t) || t < 0 || t >= layers[0].inputDim)) fail("an input is not a token of the Embedding");
  const output = golden.expected[0];
  const last = layers[layers.length - 1];
  if (shapeText(output.shape) !== shapeText([batch, last.units])) fail(`output shape ${shapeText(output.shape)}`);
  const model = { timesteps, inputDim, tokens: true, noExpected: true, layers, weights, shapes };
  writeFileSync(join(out, `expected_${name}.json`), JSON.stringify({
    model: name, timesteps, inputDim, batch, input: golden.input.data, output: output.data, weights, shapes,
  }));
  return model;
}

for (const [name, spec] of Object.entries(goldenSequentialModels)) models[name] = goldenSequential(name, spec);

// ---------------------------------------------------------------------------------------------------------------------
// Keras configs.

const kerasName = (kind) => ({ LSTM: "LSTM", GRU: "GRU", SimpleRNN: "SimpleRNN", Dense: "Dense", Dropout: "Dropout" })[kind];
const fileActivation = (name) => (name === "hard_sigmoid_keras2" ? "hard_sigmoid" : name);

function recurrentConfig(layer, name, keras3, goBackwards = layer.goBackwards ?? false) {
  const config = {
    name, trainable: true, dtype: "float32", return_sequences: layer.returnSequences, return_state: layer.returnState ?? false,
    go_backwards: goBackwards, stateful: false, unroll: false, units: layer.units,
    activation: fileActivation(layer.activation), use_bias: layer.useBias,
    kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } },
    recurrent_initializer: { class_name: "Orthogonal", config: { gain: 1.0, seed: null } },
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0,
  };
  if (!keras3) Object.assign(config, { time_major: false, implementation: 2 });
  if (layer.kind !== "SimpleRNN") config.recurrent_activation = fileActivation(layer.recurrentActivation);
  if (layer.kind === "LSTM") config.unit_forget_bias = true;
  if (layer.kind === "GRU") config.reset_after = layer.resetAfter;
  return config;
}

function layerConfig(layer, keras3, first, model) {
  const wrap = (class_name, config) => (keras3 ? { module: "keras.layers", class_name, config, registered_name: null } : { class_name, config });
  let entry;
  if (layer.kind === "Dropout") entry = wrap("Dropout", { name: layer.name, trainable: true, dtype: "float32", rate: layer.rate, noise_shape: null, seed: null });
  else if (layer.kind === "Activation") entry = wrap("Activation", { name: layer.name, trainable: true, dtype: "float32", activation: layer.activation });
  else if (layer.kind === "Masking") entry = wrap("Masking", { name: layer.name, trainable: true, dtype: "float32", mask_value: layer.maskValue });
  else if (layer.kind === "Embedding") {
    // keras/src/layers/core/embedding.py get_config (tf.keras 2 adds input_length; Keras 3 lora_rank).
    const initializer = keras3
      ? { module: "keras.initializers", class_name: "RandomUniform", config: { seed: null, minval: -0.05, maxval: 0.05 }, registered_name: null }
      : { class_name: "RandomUniform", config: { minval: -0.05, maxval: 0.05, seed: null } };
    entry = wrap("Embedding", {
      name: layer.name, trainable: true, dtype: "float32", input_dim: layer.inputDim, output_dim: layer.units,
      embeddings_initializer: initializer, embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null,
      mask_zero: layer.maskZero, ...(keras3 ? { lora_rank: null } : { input_length: model.timesteps }),
    });
  }
  else if (layer.kind === "Lambda") entry = wrap("Lambda", { name: layer.name, trainable: true, dtype: "float32", function: ["4wEAAAAAAAAA", null, null], function_type: "lambda", module: "__main__", output_shape: null, output_shape_type: "raw", output_shape_module: null, arguments: {} });
  else if (layer.kind === "Concatenate") entry = wrap("Concatenate", { name: layer.name, trainable: true, dtype: "float32", axis: -1 });
  // keras/src/layers/attention/attention.py get_config: the base config, use_scale, score_mode, dropout (not seed).
  else if (layer.kind === "Attention") entry = wrap("Attention", { name: layer.name, trainable: true, dtype: "float32", use_scale: layer.useScale, score_mode: layer.scoreMode, dropout: layer.dropout });
  // keras/src/layers/attention/additive_attention.py get_config: Attention's without score_mode.
  else if (layer.kind === "AdditiveAttention") entry = wrap("AdditiveAttention", { name: layer.name, trainable: true, dtype: "float32", use_scale: layer.useScale, dropout: layer.dropout });
  // keras/src/layers/pooling/base_global_pooling.py get_config: the base config, data_format and keepdims.
  else if (layer.kind === "GlobalAveragePooling1D") entry = wrap("GlobalAveragePooling1D", { name: layer.name, trainable: true, dtype: "float32", data_format: "channels_last", keepdims: false });
  // keras/src/layers/merging/dot.py get_config: the base config, then axes (as given: an int or a list) and normalize.
  else if (layer.kind === "Dot") entry = wrap("Dot", { name: layer.name, trainable: true, dtype: "float32", axes: layer.axes, normalize: layer.normalize });
  // keras/src/layers/merging/subtract.py: the Merge base config only.
  // keras/src/layers/merging/subtract.py, add.py, average.py: the Merge base config only.
  else if (["Subtract", "Add", "Average"].includes(layer.kind)) entry = wrap(layer.kind, { name: layer.name, trainable: true, dtype: "float32" });
  else if (layer.kind === "MultiHeadAttention") entry = wrap("MultiHeadAttention", multiHeadAttentionConfig(layer, keras3, model));
  else if (layer.kind === "LayerNormalization") {
    // Keras 3 writes axis as the list build() made of -1; tf.keras 2 as a list of positive axes.
    entry = wrap("LayerNormalization", {
      name: layer.name, trainable: true, dtype: "float32", axis: keras3 ? [-1] : [layer.kerasAxis], epsilon: layer.epsilon,
      center: layer.center, scale: layer.scale, ...(keras3 ? { rms_scaling: false } : {}),
      beta_initializer: { class_name: "Zeros", config: {} }, gamma_initializer: { class_name: "Ones", config: {} },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });
  } else if (layer.kind === "Normalization") {
    // keras/src/layers/preprocessing/normalization.py get_config: axis (the tuple __init__ made of -1), invert, and
    // mean/variance as np.array(None).tolist() = null once adapted. tf.keras 2 from 2.6 (the legacy file says 2.9.0,
    // older than invert) writes axis, mean and variance, no invert.
    entry = wrap("Normalization", {
      name: layer.name, trainable: true, dtype: "float32", axis: [-1], ...(keras3 ? { invert: layer.invert } : {}), mean: null, variance: null,
    });
  } else if (layer.kind === "BatchNormalization") {
    // Keras 3 keeps axis=-1 as given; tf.keras 2 (BatchNormalizationBase.get_config) the positive axis.
    entry = wrap("BatchNormalization", {
      name: layer.name, trainable: true, dtype: "float32", axis: keras3 ? -1 : layer.kerasAxis, momentum: 0.99, epsilon: layer.epsilon,
      center: layer.center, scale: layer.scale, ...(keras3 ? { synchronized: false } : {}),
      beta_initializer: { class_name: "Zeros", config: {} }, gamma_initializer: { class_name: "Ones", config: {} },
      moving_mean_initializer: { class_name: "Zeros", config: {} }, moving_variance_initializer: { class_name: "Ones", config: {} },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });
  } else if (layer.kind === "Conv1D") {
    entry = wrap("Conv1D", {
      name: layer.name, trainable: true, dtype: "float32", filters: layer.filters, kernel_size: [layer.kernelSize], strides: [1],
      padding: "valid", data_format: "channels_last", dilation_rate: [1], groups: 1, activation: "linear", use_bias: true,
      kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } }, bias_initializer: { class_name: "Zeros", config: {} },
    });
  } else if (layer.kind === "Conv1DTranspose") {
    // keras/src/layers/convolutional/base_conv_transpose.py get_config (kernel [kernel_size, filters, input]).
    entry = wrap("Conv1DTranspose", {
      name: layer.name, trainable: true, dtype: "float32", filters: layer.filters, kernel_size: [layer.kernelSize], strides: [1],
      padding: "valid", output_padding: null, data_format: "channels_last", dilation_rate: [1], activation: "linear", use_bias: true,
      kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } }, bias_initializer: { class_name: "Zeros", config: {} },
    });
  }
  else if (layer.kind === "Dense") {
    const dense = (name) => wrap("Dense", { name, trainable: true, dtype: "float32", units: layer.units, activation: layer.activation, use_bias: layer.useBias, kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } }, bias_initializer: { class_name: "Zeros", config: {} } });
    entry = layer.timeDistributed
      ? wrap("TimeDistributed", { name: layer.name, trainable: true, dtype: "float32", layer: dense(layer.innerName) })
      : dense(layer.name);
  }
  else if (layer.bidirectional) {
    const inner = layer.kind.toLowerCase();
    entry = wrap("Bidirectional", {
      name: layer.name, trainable: true, dtype: "float32", merge_mode: layer.mergeMode,
      layer: wrap(kerasName(layer.kind), recurrentConfig(layer, keras3 ? `forward_${inner}` : inner, keras3)),
      ...(keras3 ? { backward_layer: wrap(kerasName(layer.kind), recurrentConfig(layer, `backward_${inner}`, keras3, true)) } : {}),
    });
  } else entry = wrap(kerasName(layer.kind), recurrentConfig(layer, layer.name, keras3));
  if (first && !keras3) entry.config.batch_input_shape = inputShape(model, model.timesteps);
  return entry;
}

// MultiHeadAttention.get_config (keras/src/layers/attention/multi_head_attention.py; tf.keras 2's
// keras/layers/attention/multi_head_attention.py) of a built layer: the base config, then num_heads, key_dim, value_dim
// (key_dim when not given), dropout, use_bias, output_shape (as given: null or the int), attention_axes, the initializers,
// regularizers and constraints, and seed (Keras 3; its get_config has no flash_attention). attention_axes is [1], not
// null: build() (_build_attention) replaces None by tuple(range(1, rank - 2)) = (1,) for the rank-4 projections of
// (batch, time, features) inputs, and a saved model's layers are built. tf.keras 2 (2.6 and later) adds the shapes the
// layer was built with, query_shape, key_shape (the value's when no key) and value_shape, for from_config.
function multiHeadAttentionConfig(layer, keras3, model) {
  const config = {
    name: layer.name, trainable: true, dtype: "float32", num_heads: layer.numHeads, key_dim: layer.keyDim,
    value_dim: layer.valueDim ?? layer.keyDim, dropout: 0.0, use_bias: layer.useBias, output_shape: layer.outputShape ?? null,
    attention_axes: [1],
    kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } }, bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
  };
  if (keras3) return { ...config, seed: null };
  const [query, value, key = value] = model.buildShapes.get(layer.name);
  return { ...config, query_shape: query, key_shape: key, value_shape: value };
}

// The output shapes of a layer's node, from the shapes of the tensors it reads: a recurrent layer's output, then its
// states if return_state (LSTM h and c, GRU and SimpleRNN h).
function kerasOutputShapes(layer, read) {
  const first = read[0];
  if (layer.kind === "Concatenate") return [[...first.slice(0, -1), read.reduce((sum, s) => sum + s[s.length - 1], 0)]];
  if (layer.kind === "Attention" || layer.kind === "AdditiveAttention") return [[...first.slice(0, -1), read[1][read[1].length - 1]]];
  if (layer.kind === "Masking") return [first];
  // Embedding: (batch, timesteps) tokens to (batch, timesteps, output_dim); GlobalAveragePooling1D: the time axis averaged.
  if (layer.kind === "Embedding") return [[...first, layer.units]];
  if (layer.kind === "GlobalAveragePooling1D") return [[first[0], first[first.length - 1]]];
  if (layer.kind === "Dot") {
    // keras/src/layers/merging/dot.py compute_output_shape: drop each input's summed axis and the second's batch axis,
    // then append 1 to a (batch,) result. An int axes (negative counted from the end) sums that axis of both inputs.
    const axes = Array.isArray(layer.axes) ? layer.axes : read.map((s) => (layer.axes < 0 ? layer.axes + s.length : layer.axes));
    const a = first.filter((_, i) => i !== axes[0]);
    const b = read[1].filter((_, i) => i !== axes[1]).slice(1);
    const output = [...a, ...b];
    return [output.length === 1 ? [...output, 1] : output];
  }
  if (["Subtract", "Add", "Average"].includes(layer.kind)) return [first];
  // keras/src/layers/attention/multi_head_attention.py compute_output_shape: the query's shape, its last axis
  // output_shape when given.
  if (layer.kind === "MultiHeadAttention") return [[...first.slice(0, -1), layer.outputShape ?? first[first.length - 1]]];
  if (layer.kind === "Dense") return [[...first.slice(0, -1), layer.units]];
  if (!["LSTM", "GRU", "SimpleRNN"].includes(layer.kind)) throw new Error(`no output shape for ${layer.kind}`);
  const output = layer.returnSequences ? [first[0], first[1], layer.units] : [first[0], layer.units];
  const states = layer.returnState ? Array.from({ length: layer.kind === "LSTM" ? 2 : 1 }, () => [first[0], layer.units]) : [];
  return [output, ...states];
}

// Keras's batch input shape: (batch, timesteps) tokens for a model that starts with an Embedding, else (batch, timesteps, features).
function inputShape(model, timesteps) {
  return model.tokens ? [null, timesteps] : [null, timesteps, model.inputDim];
}

function keras2ModelConfig(model) {
  return { class_name: "Sequential", config: { name: "sequential", layers: model.layers.map((l, i) => layerConfig(l, false, i === 0, model)) } };
}

// tf.keras 2 Functional.get_config (keras/engine/functional.py, legacy h5 model_config): the layers in model.layers
// order, InputLayers included, each with its name and inbound_nodes; a node is the list of its first argument's tensors,
// each [layer, node_index, tensor_index, kwargs], where Node.serialize (keras/engine/node.py) turns every argument after
// the first into a keyword of the call's signature (MultiHeadAttention.call(query, value, key=None, ...): a second
// positional tensor is "value") and writes the tensors in kwargs as [layer, node_index, tensor_index]. Layer.__call__
// drops the training and mask it passes itself, so a plain call has kwargs {}.
function keras2FunctionalConfig(model) {
  const ref = (r) => nodeRef(r);
  const callArguments = { MultiHeadAttention: ["query", "value", "key"] };
  const layers = model.layerOrder.map((name) => {
    const input = model.inputs.find((x) => x.name === name);
    if (input) {
      return { class_name: "InputLayer", config: { batch_input_shape: input.shape, dtype: "float32", sparse: false, ragged: false, name }, name, inbound_nodes: [] };
    }
    const layer = model.layers.find((l) => l.name === name);
    const entry = layerConfig(layer, false, false, model);
    if (layer.initialState) throw new Error(`${name}: initial_state is not written to tf.keras 2 configs here`);
    const node = (reads) => {
      if (callArguments[layer.kind]) {
        const [first, ...rest] = reads;
        const kwargs = Object.fromEntries(rest.map((r, i) => [callArguments[layer.kind][i + 1], ref(r)]));
        for (const [k, r] of Object.entries(layer.keywords ?? {})) kwargs[k] = ref(r);
        Object.assign(kwargs, layer.callOptions ?? {});
        return [[...ref(first), kwargs]];
      }
      return reads.map((r) => [...ref(r), {}]); // one tensor, or a merge's list of tensors
    };
    return { ...entry, name, inbound_nodes: callsOf(layer).map(node) };
  });
  return {
    class_name: "Functional",
    config: { name: "model", layers, input_layers: model.inputs.map((x) => [x.name, 0, 0]), output_layers: model.outputs.map(nodeRef) },
  };
}

function keras3ModelConfig(model, timesteps = model.timesteps) {
  const input = { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: inputShape(model, timesteps), dtype: "float32", sparse: false, name: "input_layer" }, registered_name: null };
  if (model.functional) {
    // keras/src/models/functional.py get_config: each layer with its name and inbound_nodes, whose args (and kwargs)
    // hold the tensors it reads as {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}
    // (serialize_node; serialization_lib writes a KerasTensor's shape, dtype and keras_history). A call on one tensor
    // has args [tensor], on a list of tensors (Concatenate, Dot, Attention's [query, value, key]) args [[tensor, ...]];
    // initial_state=[h, c] stays a kwarg. A list argument makes Layer.__call__ (Keras 3.10) convert its arguments into a
    // new kwargs dict, so the training and mask it then adds are not in the node it records: Attention's kwargs are {}.
    // A layer called several times (shared) is listed once, with one inbound node per call in call order; a tensor of
    // call k is keras_history [layer, k, tensor] (get_config keeps every node of the model, so none is renumbered).
    const inputs = model.inputs ?? [{ name: "input_layer", shape: inputShape(model, timesteps) }];
    const shapes = new Map(inputs.map((x) => [x.name, [[x.shape]]])); // the output shapes of each node of each layer
    const shapeOf = (r) => (model.kerasNodes ? shapes.get(nodeRef(r)[0])[nodeRef(r)[1]][nodeRef(r)[2]] : null);
    const tensor = (r) => ({ class_name: "__keras_tensor__", config: { shape: shapeOf(r), dtype: "float32", keras_history: nodeRef(r) } });
    // A mask operation's output (maskOperations: its shape and dtype, bool for a mask), and a mask argument: that
    // output, or null for no mask.
    const operations = model.operations ?? [];
    const opTensor = (name) => {
      const op = operations.find((o) => o.name === name);
      if (!op) throw new Error(`no mask operation ${name} in the model`);
      return { class_name: "__keras_tensor__", config: { shape: op.shape, dtype: op.dtype, keras_history: [name, 0, 0] } };
    };
    const maskArgs = (l, k) => Object.fromEntries(Object.entries(model.callMasks?.get(l.name)?.[k] ?? {}).map(([arg, op]) => [arg, op ? opTensor(op) : null]));
    const layers = [
      ...inputs.map((x) => ({ ...input, config: { ...input.config, batch_shape: x.shape, name: x.name }, name: x.name, inbound_nodes: [] })),
      ...model.layers.map((l) => {
        const entry = layerConfig(l, true, false, model);
        const calls = callsOf(l);
        const node = (reads, k) => {
          const kwargs = {};
          const masks = maskArgs(l, k);
          if (l.kind === "MultiHeadAttention") {
            // mha(query, value, key=..., use_causal_mask=...): the tensors called by position stay args, the keywords
            // kwargs. Layer.__call__ (Keras 3.10, step 6) then adds <argument>_mask for each tensor argument of a call
            // with several (call has query_mask, value_mask and key_mask), backend.get_keras_mask of the tensor: None
            // without Masking or mask_zero upstream, else the mask operation's output (maskOperations); training stays
            // out (MultiHeadAttention.call defaults it to None).
            for (const [name, r] of Object.entries(l.keywords ?? {})) kwargs[name] = tensor(r);
            Object.assign(kwargs, l.callOptions ?? {}, { query_mask: masks.query_mask ?? null, value_mask: masks.value_mask ?? null }, l.keywords?.key ? { key_mask: masks.key_mask ?? null } : {});
            return { args: reads.map(tensor), kwargs };
          }
          if (l.initialState) kwargs.initial_state = l.initialState.map(tensor);
          // The mask Layer.__call__ adds: the input's mask (a mask operation's output; maskOperations), else null.
          else if (model.kerasNodes && ["LSTM", "GRU", "SimpleRNN"].includes(l.kind) && reads.length === 1) Object.assign(kwargs, { training: false, mask: masks.mask ?? null });
          // GlobalAveragePooling1D.call(inputs, mask=None): the mask Layer.__call__ adds.
          else if (model.kerasNodes && l.kind === "GlobalAveragePooling1D") Object.assign(kwargs, { mask: masks.mask ?? null });
          return { args: reads.length === 1 ? [tensor(reads[0])] : [reads.map(tensor)], kwargs };
        };
        if (model.kerasNodes) {
          const read = calls[0].map(shapeOf);
          // Layer.get_build_config: the shapes the layer was built with (by its first call); one call argument gives
          // input_shape, several (sequences and initial_state; a MultiHeadAttention's query, value and key, the key only
          // when passed) a shapes_dict keyed <argument>_shape.
          // GlobalAveragePooling1D is built in __init__ (base_global_pooling.py: self.built = True), so build() never
          // records its shapes and get_build_config() gives None: no build_config.
          if (l.kind !== "GlobalAveragePooling1D") entry.build_config = l.kind === "MultiHeadAttention"
            ? { shapes_dict: { query_shape: read[0], value_shape: read[1], ...(l.keywords?.key ? { key_shape: shapeOf(l.keywords.key) } : {}) } }
            : l.initialState
              ? { shapes_dict: { sequences_shape: read[0], initial_state_shape: l.initialState.map(shapeOf) } }
              : { input_shape: read.length === 1 ? read[0] : read };
          shapes.set(l.name, calls.map((reads) => kerasOutputShapes(l, [...reads, ...Object.values(l.keywords ?? {})].map(shapeOf))));
        }
        return { ...entry, name: l.name, inbound_nodes: calls.map(node) };
      }),
    ];
    // The mask operations (keras/src/models/functional.py get_config serializes every operation of the graph as it
    // does a layer: serialization_lib.serialize_keras_object gives module (the class's, keras.src.ops.numpy: the op
    // classes are not exported), class_name, config (Operation.get_config) and registered_name (the class name), and
    // no build_config; then name and inbound_nodes). Each was called once, on positional arguments only: args those
    // arguments (a list of tensors stays one argument), kwargs {}.
    const opArg = (a) => (Array.isArray(a) ? a.map(opArg) : a?.ref ? tensor(a.ref) : a?.op ? opTensor(a.op) : a);
    for (const op of operations) {
      layers.push({
        module: op.module, class_name: op.className, config: op.config, registered_name: op.className, name: op.name,
        inbound_nodes: [{ args: op.args.map(opArg), kwargs: {} }],
      });
    }
    // Keras's layer order, where it differs from inputs then layers (InputLayers listed by depth, not as inputs).
    if (model.layerOrder) layers.sort((a, b) => model.layerOrder.indexOf(a.name) - model.layerOrder.indexOf(b.name));
    const outputs = model.outputs ?? [model.layers[model.layers.length - 1].name];
    return {
      module: "keras.src.models.functional", class_name: "Functional",
      config: { name: "functional", trainable: true, layers, input_layers: inputs.map((x) => [x.name, 0, 0]), output_layers: outputs.map(nodeRef) },
      registered_name: "Functional", build_config: { input_shape: null }, compile_config: null,
    };
  }
  return {
    module: "keras", class_name: "Sequential",
    config: { name: "sequential", trainable: true, dtype: "float32", layers: [input, ...model.layers.map((l) => layerConfig(l, true, false, model))] },
    registered_name: null, build_config: { input_shape: inputShape(model, timesteps) }, compile_config: null,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// HDF5 helpers.

function ensureGroup(root, path) {
  let group = root;
  for (const part of path.split("/").filter(Boolean)) {
    group = group.keys().includes(part) ? group.get(part) : group.create_group(part);
  }
  return group;
}

// dtype "<f4" (float32), or "<q": int64 (HDF5 fixed-point, 8 bytes, signed, little-endian), Normalization's count.
function writeArray(group, name, values, shape, dtype = "<f4") {
  const data = dtype === "<q" ? BigInt64Array.from(values, (v) => BigInt(v)) : Float32Array.from(values);
  group.create_dataset({ name, data, shape, dtype });
}

// Fixed-length strings; "S" is h5wasm's space-padded UTF-8, "A" null-terminated ASCII (h5py writes null-padded).
function fixedStrings(values, kind) {
  const width = Math.max(1, ...values.map((v) => Buffer.byteLength(v)));
  return `${kind}${width}`;
}

// tf.keras 2.x weight names (TF2 variable names) of each array of a layer.
function keras2WeightNames(layer) {
  const inner = layer.kind.toLowerCase();
  const cell = { LSTM: "lstm_cell", GRU: "gru_cell", SimpleRNN: "simple_rnn_cell" }[layer.kind];
  const names = (prefix) => ["kernel", "recurrent_kernel", "bias"].slice(0, layer.useBias ? 3 : 2).map((n) => `${prefix}/${n}:0`);
  if (layer.kind === "Dense") return ["kernel", "bias"].slice(0, layer.useBias ? 2 : 1).map((n) => `${layer.name}/${n}:0`);
  if (["Dropout", "Activation", "Masking", "Concatenate", "Lambda"].includes(layer.kind)) return [];
  if (layer.kind === "Conv1D" || layer.kind === "Conv1DTranspose") return [`${layer.name}/kernel:0`, `${layer.name}/bias:0`];
  if (layer.kind === "Embedding") return [`${layer.name}/embeddings:0`];
  // tf.keras 2 names MultiHeadAttention's EinsumDense sub-layers query, key, value and attention_output.
  if (layer.kind === "MultiHeadAttention") {
    return ["query", "key", "value", "attention_output"].flatMap((p) => [`${layer.name}/${p}/kernel:0`, ...(layer.useBias ? [`${layer.name}/${p}/bias:0`] : [])]);
  }
  if (layer.kind === "Normalization") return ["mean", "variance", "count"].map((n) => `${layer.name}/${n}:0`);
  if (layer.kind === "LayerNormalization" || layer.kind === "BatchNormalization") {
    const names = [...(layer.scale ? ["gamma"] : []), ...(layer.center ? ["beta"] : []), ...(layer.kind === "BatchNormalization" ? ["moving_mean", "moving_variance"] : [])];
    return names.map((n) => `${layer.name}/${n}:0`);
  }
  if (layer.bidirectional) return [...names(`${layer.name}/forward_${inner}/${cell}`), ...names(`${layer.name}/backward_${inner}/${cell}`)];
  return names(`${layer.name}/${cell}`);
}

// Keras's save_attributes_to_hdf5_group: a list attribute too big for an object header is split into name0, name1, ...
function writeStringList(target, name, values, { split = 0, kind = "A" } = {}) {
  if (values.length === 0) {
    target.create_attribute(name, new Float64Array(0), [0], "<f8"); // np.array([]) is float64
    return;
  }
  if (split > 0) {
    for (let i = 0, chunk = 0; i < values.length; i += split, chunk++) {
      const part = values.slice(i, i + split);
      target.create_attribute(`${name}${chunk}`, part, [part.length], fixedStrings(part, kind));
    }
    return;
  }
  target.create_attribute(name, values, [values.length], fixedStrings(values, kind));
}

// Legacy Keras 2 .h5: model.save() (weights under model_weights, config in the root attribute model_config) or
// save_weights() (layer groups at the root). Keras: legacy_h5_format.save_weights_to_hdf5_group.
function writeLegacyH5(path, modelName, { fullModel, libver, split = 0, kind = "A", kerasVersion = "2.4.0" }) {
  const model = models[modelName];
  if (model.operations?.length) throw new Error(`${modelName}: mask operations are not written to legacy files`);
  const file = new h5wasm.File(path, "w", { libver });
  file.create_attribute("backend", "tensorflow");
  file.create_attribute("keras_version", kerasVersion);
  let weightsGroup = file;
  if (fullModel) {
    file.create_attribute("model_config", JSON.stringify(model.functional ? keras2FunctionalConfig(model) : keras2ModelConfig(model)));
    file.create_attribute("training_config", JSON.stringify({ loss: "mse", metrics: null, optimizer_config: { class_name: "Adam", config: { learning_rate: 0.001 } } }));
    weightsGroup = file.create_group("model_weights");
    weightsGroup.create_attribute("backend", "tensorflow");
    weightsGroup.create_attribute("keras_version", kerasVersion);
  }
  // A functional model's layer_names are its model.layers, InputLayers included (no weights), in Keras's order.
  const inputNames = new Set((model.functional ? model.inputs ?? [] : []).map((x) => x.name));
  const layerNames = model.functional && model.layerOrder ? model.layerOrder : model.layers.map((l) => l.name);
  writeStringList(weightsGroup, "layer_names", layerNames, { split, kind });
  let index = 0;
  for (const layerName of layerNames) {
    const layer = model.layers.find((l) => l.name === layerName);
    const group = weightsGroup.create_group(layerName);
    const names = inputNames.has(layerName) ? [] : keras2WeightNames(layer);
    writeStringList(group, "weight_names", names, { split: split && names.length > 2 ? 2 : 0, kind: kind === "A" ? "S" : "A" });
    for (const name of names) {
      const slash = name.lastIndexOf("/");
      writeArray(ensureGroup(group, name.slice(0, slash)), name.slice(slash + 1), model.weights[index], model.shapes[index], model.dtypes?.[index]);
      index++;
    }
  }
  file.close();
}

// Keras 3 .weights.h5 (saving_lib.H5IOStore): layers/<snake_case class name>[_N]/[cell|forward_layer/cell|...]/vars/<i>.
// Before Keras 3.10 every saveable got a vars group, empty or not; tf.keras 2.13-2.15 used
// _layer_checkpoint_dependencies instead of layers.
function writeKeras3Weights(path, modelName, { libver, emptyVars, layersGroup = "layers", optimizer = false }) {
  const model = models[modelName];
  const file = new h5wasm.File(path, "w", { libver });
  if (emptyVars) file.create_group("vars");
  const counters = {};
  let index = 0;
  const vars = (base, count) => {
    if (count === 0 && !emptyVars) return;
    const group = ensureGroup(file, `${base}/vars`);
    for (let i = 0; i < count; i++, index++) writeArray(group, String(i), model.weights[index], model.shapes[index], model.dtypes?.[index]);
  };
  for (const layer of model.layers) {
    const stem = layer.bidirectional ? "bidirectional" : layer.timeDistributed ? "time_distributed"
      : { LSTM: "lstm", GRU: "gru", SimpleRNN: "simple_rnn", Dense: "dense", Dropout: "dropout", LayerNormalization: "layer_normalization",
        BatchNormalization: "batch_normalization", Conv1D: "conv1d", Conv1DTranspose: "conv1d_transpose", Concatenate: "concatenate", Masking: "masking", Embedding: "embedding",
        Attention: "attention", Normalization: "normalization", Dot: "dot", Subtract: "subtract", Add: "add", Average: "average", MultiHeadAttention: "multi_head_attention",
        AdditiveAttention: "additive_attention", GlobalAveragePooling1D: "global_average_pooling1d" }[layer.kind];
    const name = stem in counters ? `${stem}_${++counters[stem]}` : ((counters[stem] = 0), stem);
    const base = `${layersGroup}/${name}`;
    const perDirection = layer.useBias ? 3 : 2;
    if (layer.kind === "Dense" && layer.timeDistributed) {
      // TimeDistributed has no variables of its own (an empty group before Keras 3.10); the Dense's are in layer/.
      vars(base, 0);
      vars(`${base}/layer`, layer.useBias ? 2 : 1);
    } else if (layer.kind === "MultiHeadAttention") {
      // No variables of its own; saving_lib._walk_saveable visits its attributes in sorted order, public before private,
      // so its four EinsumDense projections are saved under their public properties key_dense, output_dense,
      // query_dense, value_dense (the private _query_dense, ... are the same objects, already visited), each with
      // vars/0 the kernel and vars/1 the bias (use_bias). The weights are in get_weights() order: query, key, value,
      // output.
      vars(base, 0);
      const start = index;
      const per = layer.useBias ? 2 : 1;
      const position = { query_dense: 0, key_dense: 1, value_dense: 2, output_dense: 3 };
      for (const name of Object.keys(position).sort()) {
        index = start + position[name] * per;
        vars(`${base}/${name}`, per);
      }
      index = start + 4 * per;
    } else if (layer.kind === "Dense") vars(base, layer.useBias ? 2 : 1);
    else if (["Dropout", "Concatenate", "Masking", "Dot", "Subtract", "Add", "Average", "GlobalAveragePooling1D"].includes(layer.kind)) vars(base, 0);
    else if (["LayerNormalization", "BatchNormalization", "Conv1D", "Conv1DTranspose", "Embedding", "Attention", "AdditiveAttention", "Normalization"].includes(layer.kind)) vars(base, weightCount(layer)); // Attention: scalars, shape (); AdditiveAttention: scale [dim]; Normalization: count an int64 scalar
    else if (layer.bidirectional) {
      // saving_lib walks attributes in dir() order, so backward_layer's groups are made first; the weights are
      // still forward then backward in get_weights() order.
      vars(base, 0);
      const forwardStart = index;
      index += perDirection;
      vars(`${base}/backward_layer`, 0);
      vars(`${base}/backward_layer/cell`, perDirection);
      const after = index;
      index = forwardStart;
      vars(`${base}/forward_layer`, 0);
      vars(`${base}/forward_layer/cell`, perDirection);
      index = after;
    } else {
      vars(base, 0);
      vars(`${base}/cell`, perDirection);
    }
  }
  if (optimizer) {
    const group = ensureGroup(file, "optimizer/vars");
    group.create_dataset({ name: "0", data: new BigInt64Array([100n]), shape: [], dtype: "<q" }); // iterations
    group.create_dataset({ name: "1", data: new Float32Array([0.001]), shape: [], dtype: "<f4" }); // learning rate
  }
  file.close();
}

function keras3Zip(path, modelName, { kerasVersion, libver, emptyVars, level, timesteps }) {
  const h5 = join(scratch, "model.weights.h5");
  writeKeras3Weights(h5, modelName, { libver, emptyVars, optimizer: true });
  const text = (value) => new Uint8Array(Buffer.from(typeof value === "string" ? value : JSON.stringify(value)));
  const zip = zipSync({
    "metadata.json": [text({ keras_version: kerasVersion, date_saved: "2025-01-01@00:00:00" }), { level }],
    "config.json": [text(keras3ModelConfig(models[modelName], timesteps)), { level }],
    "model.weights.h5": [new Uint8Array(readFileSync(h5)), { level }],
  });
  writeFileSync(path, zip);
}

// numpy.savez(path, *model.get_weights()): arr_0.npy, arr_1.npy, ... stored (savez) or deflated (savez_compressed).
function writeNpz(path, modelName, level) {
  const model = models[modelName];
  const entries = {};
  model.weights.forEach((w, i) => { entries[`arr_${i}.npy`] = [encodeNpy(w, model.shapes[i]), { level }]; });
  writeFileSync(path, zipSync(entries));
}

const g = (name) => join(out, name);
writeLegacyH5(g("keras2_stack_model.h5"), "stack_keras2", { fullModel: true, libver: V0 });
writeLegacyH5(g("keras2_stack_weights.h5"), "stack_keras2", { fullModel: false, libver: V2, kind: "S" });
writeLegacyH5(g("keras2_stack_split_attributes.h5"), "stack_keras2", { fullModel: true, libver: V3, split: 2 });
writeLegacyH5(g("keras2_simple_model.h5"), "simple", { fullModel: true, libver: ["v110", "v110"] });
writeLegacyH5(g("keras2_deep_model.h5"), "deep", { fullModel: true, libver: V3 });
writeKeras3Weights(g("keras3_stack_pre310.weights.h5"), "stack_keras3", { libver: V0, emptyVars: true });
writeKeras3Weights(g("keras3_stack.weights.h5"), "stack_keras3", { libver: V3, emptyVars: false });
writeKeras3Weights(g("tfkeras213_stack.weights.h5"), "stack_tfkeras213", { libver: V2, emptyVars: true, layersGroup: "_layer_checkpoint_dependencies" });
writeKeras3Weights(g("keras3_simple.weights.h5"), "simple", { libver: V3, emptyVars: false });
writeKeras3Weights(g("keras3_deep.weights.h5"), "deep", { libver: V3, emptyVars: false });
keras3Zip(g("keras3_stack.keras"), "stack_keras3", { kerasVersion: "3.6.0", libver: V0, emptyVars: true, level: 0 });
keras3Zip(g("keras3_stack_deflated.keras"), "stack_keras3", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6, timesteps: null });
writeNpz(g("keras3_stack.npz"), "stack_keras3", 0);
writeKeras3Weights(g("keras3_timedistributed.weights.h5"), "timedistributed", { libver: V3, emptyVars: false });
keras3Zip(g("keras3_timedistributed.keras"), "timedistributed", { kerasVersion: "3.6.0", libver: V0, emptyVars: true, level: 0 });
writeKeras3Weights(g("keras3_timedistributed_ambiguous.weights.h5"), "timedistributed_ambiguous", { libver: V3, emptyVars: false });
writeNpz(g("keras3_stack_compressed.npz"), "stack_keras3", 6);
writeLegacyH5(g("keras2_dense_activation_model.h5"), "dense_activation", { fullModel: true, libver: V0 });
writeLegacyH5(g("keras2_masking_model.h5"), "masking", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_masking.keras"), "masking_minus_one", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_lambda_model.h5"), "lambda", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_layernorm.keras"), "layernorm", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_layernorm_model.h5"), "layernorm", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_batchnorm.keras"), "batchnorm", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_batchnorm_model.h5"), "batchnorm", { fullModel: true, libver: V0 });
writeKeras3Weights(g("keras3_batchnorm.weights.h5"), "batchnorm", { libver: V3, emptyVars: false });
writeLegacyH5(g("keras2_embedding_model.h5"), "embedding", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_embedding.keras"), "embedding_no_mask", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_text_model.keras"), "text_model", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_text_model.h5"), "text_model", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_normalization.keras"), "normalization", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_normalization_model.h5"), "normalization", { fullModel: true, libver: V0, kerasVersion: "2.9.0" });
writeKeras3Weights(g("keras3_normalization.weights.h5"), "normalization", { libver: V3, emptyVars: false });
keras3Zip(g("keras3_normalization_invert.keras"), "normalization_invert", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_conv1d.keras"), "conv1d", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_conv1d_model.h5"), "conv1d", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_conv1d_transpose.keras"), "conv1d_transpose", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_conv1d_transpose_model.h5"), "conv1d_transpose", { fullModel: true, libver: V0 });
keras3Zip(g("keras3_functional.keras"), "functional", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_seq2seq.keras"), "golden_seq2seq", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_two_branch.keras"), "golden_two_branch", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_attention.keras"), "golden_attention", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_dot.keras"), "golden_dot", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_siamese.keras"), "golden_siamese", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_mha.keras"), "golden_mha", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_mha_causal.keras"), "golden_mha_causal", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_merge_of_merge.keras"), "golden_merge_of_merge", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_attention_over_merge.keras"), "golden_attention_over_merge", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_mask_attention.keras"), "golden_mask_attention", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_mask_embedding_merge.keras"), "golden_mask_embedding_merge", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
keras3Zip(g("keras3_mask_mha.keras"), "golden_mask_mha", { kerasVersion: "3.10.0", libver: V3, emptyVars: false, level: 6 });
writeLegacyH5(g("keras2_mha_model.h5"), "golden_mha_self", { fullModel: true, libver: V0, kerasVersion: "2.9.0" });

// .npy variants numpy writes: float64, big-endian, format 2.0 and 3.0 headers, Fortran order, a scalar.
{
  const base = pattern(12, 5);
  const f32 = (values) => values.map(Math.fround);
  const entries = {
    "arr_0.npy": [encodeNpy(f32(base), [3, 4], { dtype: "<f8" }), { level: 0 }],
    "arr_1.npy": [encodeNpy(f32(base), [3, 4], { dtype: ">f4" }), { level: 0 }],
    "arr_2.npy": [encodeNpy(f32(base), [2, 3, 2], { version: 2 }), { level: 6 }],
    "arr_3.npy": [encodeNpy(f32(base), [3, 4], { fortranOrder: true }), { level: 0 }],
    "arr_4.npy": [encodeNpy(f32(base), [12], { version: 3, dtype: ">f8" }), { level: 0 }],
  };
  writeFileSync(g("npy_variants.npz"), zipSync(entries));
  writeFileSync(g("expected_npy_variants.json"), JSON.stringify({ values: f32(base), shapes: [[3, 4], [3, 4], [2, 3, 2], [3, 4], [12]] }));
}

// Link cycles. Hard links may legally make the group graph cyclic; the loader must still find the weights and an
// inspector must terminate. A cycle of soft links can never resolve and must fail cleanly.
{
  writeKeras3Weights(g("hard_link_cycle.weights.h5"), "simple", { libver: V0, emptyVars: false });
  const f = new h5wasm.File(g("hard_link_cycle.weights.h5"), "a");
  f.get("layers/simple_rnn/cell").create_hard_link("/", "back_to_root");
  f.get("layers/dense").create_hard_link("/layers/dense", "itself");
  f.close();

  const model = models.simple;
  const s = new h5wasm.File(g("soft_link_cycle.weights.h5"), "w", { libver: V2 });
  const cell = ensureGroup(s, "layers/simple_rnn/cell/vars");
  for (let i = 0; i < 3; i++) writeArray(cell, String(i), model.weights[i], model.shapes[i]);
  const dense = ensureGroup(s, "layers/dense");
  dense.create_soft_link("/layers/dense/vars_b", "vars");
  dense.create_soft_link("/layers/dense/vars", "vars_b");
  s.close();
}

writeHdf5Features(h5wasm, out);
rmSync(scratch, { recursive: true, force: true });
console.log(`fixtures written to ${out}`);
