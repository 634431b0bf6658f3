// The TensorFlow.js peer of RnnGen's training benchmarks (benchmarks/RnnGen.Benchmarks, TrainingBenchmarks): one
// training step (forward, backward, Adam) of the same two models, timed by this script's own loop in its own process.
//
//   cd tests/golden && npm ci && node training-speed.mjs [seconds per case, default 20]
//
// The models match TrainingSeedModel and TrainingLstm128: LSTM(20, relu) -> Dense(5, relu) -> Dense(1) on 3 x 1 inputs
// at batch 1, and LSTM(128) -> Dense(1) on 64 x 8 inputs at batch 64, MSE, Adam(0.001). The backend is tfjs's pure-JS
// "cpu" (the one the golden tooling uses): tfjs-node, the native TensorFlow backend, downloads libtensorflow from
// outside the package registry at install time, which this machine cannot. Each case warms up, then times single
// model.trainOnBatch calls until its time is up and prints the median and the fastest.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

const seconds = Number(process.argv[2] ?? 20);

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

async function measure(name, model, batch, timesteps, inputs, warmup) {
  const random = lcg(1);
  const x = tf.tensor3d(Float32Array.from({ length: batch * timesteps * inputs }, random), [batch, timesteps, inputs]);
  const y = tf.tensor2d(Float32Array.from({ length: batch }, random), [batch, 1]);
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(x, y);
  const times = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || times.length < 3) {
    const start = process.hrtime.bigint();
    await model.trainOnBatch(x, y);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${name}: ${times.length} steps, median ${median.toPrecision(4)} ms, fastest ${times[0].toPrecision(4)} ms`);
}

const seed = tf.sequential();
seed.add(tf.layers.lstm({ units: 20, activation: 'relu', recurrentActivation: 'sigmoid', inputShape: [3, 1] }));
seed.add(tf.layers.dense({ units: 5, activation: 'relu' }));
seed.add(tf.layers.dense({ units: 1 }));
await measure('seed model, batch 1', seed, 1, 3, 1, 200);

const large = tf.sequential();
large.add(tf.layers.lstm({ units: 128, recurrentActivation: 'sigmoid', inputShape: [64, 8] }));
large.add(tf.layers.dense({ units: 1 }));
await measure('LSTM(128), 8 inputs, T = 64, batch 64', large, 64, 64, 8, 2);
console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, node ${process.version}`);
