// Plain-JS forward pass of the Keras layers the fixtures use, written from the Keras equations and independent of the
// C# code: the expected outputs the tests compare against. Float64 arithmetic over float32-rounded weights and inputs.
//
// Keras sources followed: keras/src/layers/rnn/{simple_rnn,lstm,gru,bidirectional,time_distributed}.py (cell `call` methods),
// keras/src/activations/activations.py (Keras 3), tf.keras 2 backend.hard_sigmoid (Keras 2).

export const activations = {
  linear: (x) => x,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => Math.max(0, x),
  // Keras 2 (tf.keras 2.x backend): clip(0.2x + 0.5, 0, 1).
  hard_sigmoid_keras2: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  // Keras 3: relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1).
  hard_sigmoid: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
};

function act(name) {
  const f = activations[name];
  if (!f) throw new Error(`no reference activation ${name}`);
  return f;
}

// x [in], W [in][cols] flattened row-major: returns x·W as an array of cols.
function matvec(x, W, cols) {
  const y = new Array(cols).fill(0);
  for (let k = 0; k < x.length; k++) {
    for (let j = 0; j < cols; j++) y[j] += x[k] * W[k * cols + j];
  }
  return y;
}

// One direction of a recurrent layer over xs [T][in]; returns the outputs in processing order.
function runRecurrent(layer, w, xs, backwards) {
  const u = layer.units;
  const steps = backwards ? [...xs].reverse() : xs;
  let h = new Array(u).fill(0);
  let c = new Array(u).fill(0);
  const outputs = [];
  const [kernel, recurrent, bias] = w;
  const a = act(layer.activation);
  const ra = layer.kind === "SimpleRNN" ? null : act(layer.recurrentActivation);
  for (const x of steps) {
    if (layer.kind === "SimpleRNN") {
      // h = act(x·W + b + h·U)
      const xw = matvec(x, kernel, u);
      const hu = matvec(h, recurrent, u);
      h = xw.map((v, j) => a(v + hu[j] + (bias ? bias[j] : 0)));
    } else if (layer.kind === "LSTM") {
      // z = x·W + h·U + b, gates i, f, c, o; c = f*c + i*act(zc); h = o*act(c)
      const hu = matvec(h, recurrent, 4 * u);
      const z = matvec(x, kernel, 4 * u).map((v, j) => v + hu[j] + (bias ? bias[j] : 0));
      const next = new Array(u);
      for (let j = 0; j < u; j++) {
        const i = ra(z[j]);
        const f = ra(z[u + j]);
        const g = a(z[2 * u + j]);
        const o = ra(z[3 * u + j]);
        c[j] = f * c[j] + i * g;
        next[j] = o * a(c[j]);
      }
      h = next;
    } else if (layer.kind === "GRU") {
      const xp = matvec(x, kernel, 3 * u).map((v, j) => v + (bias ? bias[j] : 0)); // bias row 0 when reset_after
      const next = new Array(u);
      if (layer.resetAfter) {
        // hh = act(x_h + r * (h·U_h + b_rec_h))
        const hp = matvec(h, recurrent, 3 * u).map((v, j) => v + (bias ? bias[3 * u + j] : 0));
        for (let j = 0; j < u; j++) {
          const z = ra(xp[j] + hp[j]);
          const r = ra(xp[u + j] + hp[u + j]);
          const hh = a(xp[2 * u + j] + r * hp[2 * u + j]);
          next[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        // hh = act(x_h + (r * h)·U_h)
        const hp = matvec(h, recurrent, 3 * u);
        const zg = [], rg = [];
        for (let j = 0; j < u; j++) {
          zg.push(ra(xp[j] + hp[j]));
          rg.push(ra(xp[u + j] + hp[u + j]));
        }
        const rh = h.map((v, k) => v * rg[k]);
        for (let j = 0; j < u; j++) {
          let s = 0;
          for (let k = 0; k < u; k++) s += rh[k] * recurrent[k * 3 * u + 2 * u + j];
          const hh = a(xp[2 * u + j] + s);
          next[j] = zg[j] * h[j] + (1 - zg[j]) * hh;
        }
      }
      h = next;
    } else {
      throw new Error(`unknown recurrent kind ${layer.kind}`);
    }
    outputs.push(h);
  }
  return outputs;
}

// Runs one input sequence xs [T][D] through the model; returns the model output as nested arrays.
export function runModel(model, weights, xs) {
  let value = xs; // [T][features] or [features]
  let isSequence = true;
  let wi = 0;
  for (const layer of model.layers) {
    const count = layerWeightCount(layer);
    const w = weights.slice(wi, wi + count);
    wi += count;
    if (layer.kind === "Dropout") continue;
    if (layer.kind === "Activation") {
      // keras/src/layers/activations/activation.py: the activation, elementwise.
      const a = act(layer.activation);
      value = isSequence ? value.map((x) => x.map(a)) : value.map(a);
      continue;
    }
    if (layer.kind === "Masking") throw new Error("Masking is not computed here (its fixture has no expected outputs)");
    if (layer.kind === "LayerNormalization") {
      // keras/src/layers/normalization/layer_normalization.py: mean and (population) variance over the last axis,
      // (x - mean) / sqrt(variance + epsilon) * gamma + beta; gamma only with scale, beta only with center.
      let k = 0;
      const gamma = layer.scale ? w[k++] : null;
      const beta = layer.center ? w[k++] : null;
      const apply = (x) => {
        const mean = x.reduce((a, b) => a + b, 0) / x.length;
        const variance = x.reduce((a, b) => a + (b - mean) * (b - mean), 0) / x.length;
        const inv = 1 / Math.sqrt(variance + layer.epsilon);
        return x.map((v, j) => (v - mean) * inv * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0));
      };
      value = isSequence ? value.map(apply) : apply(value);
      continue;
    }
    if (layer.kind === "Normalization") {
      // keras/src/layers/preprocessing/normalization.py (tf.keras 2.x the same), adapted, axis -1: the stored mean and
      // variance per feature of the last axis (every timestep), (x - mean) / max(sqrt(variance), 1e-7), or with
      // invert mean + x * max(sqrt(variance), 1e-7). The third array, count, only serves adapt().
      const [mean, variance] = w;
      const scale = variance.map((v) => Math.max(Math.sqrt(v), 1e-7));
      const apply = layer.invert
        ? (x) => x.map((v, j) => mean[j] + v * scale[j])
        : (x) => x.map((v, j) => (v - mean[j]) / scale[j]);
      value = isSequence ? value.map(apply) : apply(value);
      continue;
    }
    if (layer.kind === "BatchNormalization") {
      // keras/src/layers/normalization/batch_normalization.py, training=False: the moving statistics,
      // (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta on the last axis.
      let k = 0;
      const gamma = layer.scale ? w[k++] : null;
      const beta = layer.center ? w[k++] : null;
      const [mean, variance] = [w[k], w[k + 1]];
      const apply = (x) => x.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + layer.epsilon) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0));
      value = isSequence ? value.map(apply) : apply(value);
      continue;
    }
    if (layer.kind === "Conv1D") {
      // keras/src/layers/convolutional/conv1d.py with padding valid, strides 1, no dilation, linear (the fixture's):
      // y[t][f] = bias[f] + sum over k, c of x[t + k][c] * kernel[k][c][f], kernel flat as [kernel_size, input, filters].
      const [kernel, bias] = w;
      const width = value[0].length;
      const out = [];
      for (let t = 0; t + layer.kernelSize <= value.length; t++) {
        out.push(Array.from({ length: layer.filters }, (_, f) => {
          let sum = bias[f];
          for (let k = 0; k < layer.kernelSize; k++) for (let c = 0; c < width; c++) sum += value[t + k][c] * kernel[(k * width + c) * layer.filters + f];
          return sum;
        }));
      }
      value = out;
      continue;
    }
    if (layer.kind === "Conv1DTranspose" || layer.kind === "Concatenate") throw new Error(`${layer.kind} is not computed here (its fixture has no expected outputs)`);
    if (layer.kind === "Dense") {
      // TimeDistributed(Dense) applies the Dense to each timestep of a sequence (keras/src/layers/rnn/time_distributed.py).
      if (layer.timeDistributed && !isSequence) throw new Error("TimeDistributed needs a sequence input");
      const a = act(layer.activation);
      const apply = (x) => matvec(x, w[0], layer.units).map((v, j) => a(v + (layer.useBias ? w[1][j] : 0)));
      value = isSequence ? value.map(apply) : apply(value);
      continue;
    }
    const seqOut = (outs) => (layer.returnSequences ? outs : outs[outs.length - 1]);
    if (!layer.bidirectional) {
      value = seqOut(runRecurrent(layer, w, value, layer.goBackwards));
      isSequence = layer.returnSequences;
      continue;
    }
    // Keras Bidirectional: backward copy runs with go_backwards=True; its sequence is flipped back to forward time.
    const half = w.length / 2;
    const f = runRecurrent(layer, w.slice(0, half), value, false);
    const b = runRecurrent(layer, w.slice(half), value, true);
    const merge = (x, y) => {
      switch (layer.mergeMode) {
        case "concat": return [...x, ...y];
        case "sum": return x.map((v, j) => v + y[j]);
        case "mul": return x.map((v, j) => v * y[j]);
        case "ave": return x.map((v, j) => (v + y[j]) / 2);
        default: throw new Error(`merge ${layer.mergeMode}`);
      }
    };
    if (layer.returnSequences) {
      const bf = [...b].reverse();
      value = f.map((x, t) => merge(x, bf[t]));
    } else {
      value = merge(f[f.length - 1], b[b.length - 1]);
    }
    isSequence = layer.returnSequences;
  }
  return value;
}

const weightless = (layer) => ["Dropout", "Activation", "Masking", "Concatenate", "Lambda"].includes(layer.kind);

export function layerWeightCount(layer) {
  if (weightless(layer)) return 0;
  if (layer.kind === "LayerNormalization") return (layer.scale ? 1 : 0) + (layer.center ? 1 : 0);
  if (layer.kind === "BatchNormalization") return (layer.scale ? 1 : 0) + (layer.center ? 1 : 0) + 2;
  if (layer.kind === "Normalization") return 3; // mean, variance, count
  if (layer.kind === "Conv1D" || layer.kind === "Conv1DTranspose") return 2;
  if (layer.kind === "Embedding") return 1;
  if (layer.kind === "Dense") return layer.useBias ? 2 : 1;
  const perDirection = layer.useBias ? 3 : 2;
  return layer.bidirectional ? 2 * perDirection : perDirection;
}

// Keras get_weights() shapes of a layer, one direction after the other.
export function layerWeightShapes(layer, inputWidth) {
  if (weightless(layer)) return [];
  if (layer.kind === "LayerNormalization" || layer.kind === "BatchNormalization") return Array.from({ length: layerWeightCount(layer) }, () => [inputWidth]);
  if (layer.kind === "Normalization") return [[inputWidth], [inputWidth], []]; // Normalization.build: count is a scalar
  if (layer.kind === "Conv1D") return [[layer.kernelSize, inputWidth, layer.filters], [layer.filters]];
  if (layer.kind === "Conv1DTranspose") return [[layer.kernelSize, layer.filters, inputWidth], [layer.filters]]; // BaseConvTranspose.build
  if (layer.kind === "Embedding") return [[layer.inputDim, layer.units]]; // Embedding.build: embeddings (input_dim, output_dim)
  if (layer.kind === "Dense") return layer.useBias ? [[inputWidth, layer.units], [layer.units]] : [[inputWidth, layer.units]];
  const gates = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[layer.kind];
  const width = gates * layer.units;
  const one = [[inputWidth, width], [layer.units, width]];
  if (layer.useBias) one.push(layer.kind === "GRU" && layer.resetAfter ? [2, width] : [width]);
  return layer.bidirectional ? [...one, ...one] : one;
}

export function outputWidth(layer, inputWidth) {
  if (weightless(layer) || ["LayerNormalization", "BatchNormalization", "Normalization"].includes(layer.kind)) return inputWidth;
  if (layer.kind === "Conv1D" || layer.kind === "Conv1DTranspose") return layer.filters;
  if (layer.bidirectional && layer.mergeMode === "concat") return 2 * layer.units;
  return layer.units;
}
