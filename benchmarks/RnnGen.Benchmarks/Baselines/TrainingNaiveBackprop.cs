using System;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>
/// The training baseline: backpropagation through time for <c>LSTM -> Dense... </c> written the way a developer
/// without RnnGen would, from the textbook equations: sizes at run time, <c>float[]</c> per array, one sample at a time,
/// plain scalar loops, <c>MathF.Exp</c> / <c>MathF.Tanh</c>, then Keras's Adam rule. Weights in Keras layout (gate
/// blocks i, f, c, o; sigmoid recurrent activation), MSE averaged over the batch as Keras does. The benchmark checks its
/// gradients against the generated model's <c>ComputeGradients</c> before timing it.
/// </summary>
public sealed class TrainingNaiveBackprop
{
    private readonly int _inputs, _units, _timesteps;
    private readonly bool _lstmRelu;
    private readonly (int Inputs, int Units, bool Relu)[] _dense;
    private readonly float[][] _weights;   // Keras get_weights() order: lstm kernel, recurrent, bias, then kernel, bias per Dense
    private readonly float[][] _gradients;
    private readonly float[][] _m, _v;
    private long _step;

    /// <param name="weights">The model's <c>GetWeights()</c>: copied.</param>
    /// <param name="dense">Each Dense layer's units and whether it is relu (else linear).</param>
    public TrainingNaiveBackprop(int inputs, int units, int timesteps, bool lstmRelu, (int Units, bool Relu)[] dense, float[][] weights)
    {
        _inputs = inputs;
        _units = units;
        _timesteps = timesteps;
        _lstmRelu = lstmRelu;
        _dense = new (int, int, bool)[dense.Length];
        int width = units;
        for (int l = 0; l < dense.Length; l++)
        {
            _dense[l] = (width, dense[l].Units, dense[l].Relu);
            width = dense[l].Units;
        }

        _weights = Array.ConvertAll(weights, w => (float[])w.Clone());
        _gradients = Array.ConvertAll(weights, w => new float[w.Length]);
        _m = Array.ConvertAll(weights, w => new float[w.Length]);
        _v = Array.ConvertAll(weights, w => new float[w.Length]);
    }

    /// <summary>The gradients of the last <see cref="Gradients"/> or <see cref="TrainOnBatch"/>.</summary>
    public float[][] LastGradients => _gradients;

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>Forward and backward over the batch; fills <see cref="LastGradients"/> and returns the loss.</summary>
    public float Gradients(float[] x, float[] y, int batch)
    {
        foreach (float[] g in _gradients)
        {
            Array.Clear(g);
        }

        int u = _units, g4 = 4 * u, T = _timesteps;
        float[] kernel = _weights[0], recurrent = _weights[1], bias = _weights[2];
        int outputs = _dense[^1].Units;
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            // Forward, keeping every step's gates, carries and states.
            var z = new float[T, g4];
            var gate = new float[T, g4];
            var c = new float[T + 1, u];
            var h = new float[T + 1, u];
            var cellAct = new float[T, u];
            for (int t = 0; t < T; t++)
            {
                for (int j = 0; j < g4; j++)
                {
                    float sum = bias[j];
                    for (int k = 0; k < _inputs; k++)
                    {
                        sum += x[(b * T + t) * _inputs + k] * kernel[k * g4 + j];
                    }

                    for (int k = 0; k < u; k++)
                    {
                        sum += h[t, k] * recurrent[k * g4 + j];
                    }

                    z[t, j] = sum;
                    bool candidate = j >= 2 * u && j < 3 * u;
                    gate[t, j] = candidate ? Activation(sum) : Sigmoid(sum);
                }

                for (int j = 0; j < u; j++)
                {
                    c[t + 1, j] = gate[t, u + j] * c[t, j] + gate[t, j] * gate[t, 2 * u + j];
                    cellAct[t, j] = Activation(c[t + 1, j]);
                    h[t + 1, j] = gate[t, 3 * u + j] * cellAct[t, j];
                }
            }

            var activations = new float[_dense.Length + 1][];
            var pre = new float[_dense.Length][];
            activations[0] = new float[u];
            for (int j = 0; j < u; j++)
            {
                activations[0][j] = h[T, j];
            }

            for (int l = 0; l < _dense.Length; l++)
            {
                (int inWidth, int outWidth, bool relu) = _dense[l];
                float[] w = _weights[3 + 2 * l], bl = _weights[4 + 2 * l];
                pre[l] = new float[outWidth];
                activations[l + 1] = new float[outWidth];
                for (int j = 0; j < outWidth; j++)
                {
                    float sum = bl[j];
                    for (int k = 0; k < inWidth; k++)
                    {
                        sum += activations[l][k] * w[k * outWidth + j];
                    }

                    pre[l][j] = sum;
                    activations[l + 1][j] = relu ? MathF.Max(sum, 0f) : sum;
                }
            }

            // MSE, mean over batch and outputs; then back through the Dense layers.
            var delta = new float[outputs];
            for (int j = 0; j < outputs; j++)
            {
                float e = activations[^1][j] - y[b * outputs + j];
                loss += e * e;
                delta[j] = 2f * e / (batch * outputs);
            }

            for (int l = _dense.Length - 1; l >= 0; l--)
            {
                (int inWidth, int outWidth, bool relu) = _dense[l];
                float[] w = _weights[3 + 2 * l], dw = _gradients[3 + 2 * l], db = _gradients[4 + 2 * l];
                var previous = new float[inWidth];
                for (int j = 0; j < outWidth; j++)
                {
                    float dz = relu && pre[l][j] <= 0f ? 0f : delta[j];
                    db[j] += dz;
                    for (int k = 0; k < inWidth; k++)
                    {
                        dw[k * outWidth + j] += activations[l][k] * dz;
                        previous[k] += w[k * outWidth + j] * dz;
                    }
                }

                delta = previous;
            }

            // Back through time.
            float[] dKernel = _gradients[0], dRecurrent = _gradients[1], dBias = _gradients[2];
            var dh = delta;
            var dc = new float[u];
            var dzt = new float[g4];
            for (int t = T - 1; t >= 0; t--)
            {
                for (int j = 0; j < u; j++)
                {
                    float i = gate[t, j], f = gate[t, u + j], cc = gate[t, 2 * u + j], o = gate[t, 3 * u + j];
                    float dcj = dc[j] + dh[j] * o * Derivative(c[t + 1, j], cellAct[t, j]);
                    dzt[j] = dcj * cc * i * (1f - i);
                    dzt[u + j] = dcj * c[t, j] * f * (1f - f);
                    dzt[2 * u + j] = dcj * i * Derivative(z[t, 2 * u + j], cc);
                    dzt[3 * u + j] = dh[j] * cellAct[t, j] * o * (1f - o);
                    dc[j] = dcj * f;
                }

                var dhPrev = new float[u];
                for (int j = 0; j < g4; j++)
                {
                    dBias[j] += dzt[j];
                    for (int k = 0; k < _inputs; k++)
                    {
                        dKernel[k * g4 + j] += x[(b * T + t) * _inputs + k] * dzt[j];
                    }

                    for (int k = 0; k < u; k++)
                    {
                        dRecurrent[k * g4 + j] += h[t, k] * dzt[j];
                        dhPrev[k] += recurrent[k * g4 + j] * dzt[j];
                    }
                }

                dh = dhPrev;
            }
        }

        return (float)(loss / (batch * outputs));
    }

    /// <summary>One step: <see cref="Gradients"/>, then Keras's Adam (lr 0.001, beta 0.9 / 0.999, epsilon 1e-7).</summary>
    public float TrainOnBatch(float[] x, float[] y, int batch)
    {
        float loss = Gradients(x, y, batch);
        _step++;
        float alpha = 0.001f * MathF.Sqrt(1 - MathF.Pow(0.999f, _step)) / (1 - MathF.Pow(0.9f, _step));
        for (int a = 0; a < _weights.Length; a++)
        {
            float[] w = _weights[a], g = _gradients[a], m = _m[a], v = _v[a];
            for (int i = 0; i < w.Length; i++)
            {
                m[i] += (g[i] - m[i]) * 0.1f;
                v[i] += (g[i] * g[i] - v[i]) * 0.001f;
                w[i] -= m[i] * alpha / (MathF.Sqrt(v[i]) + 1e-7f);
            }
        }

        return loss;
    }

    private float Activation(float x) => _lstmRelu ? MathF.Max(x, 0f) : MathF.Tanh(x);

    private float Derivative(float x, float y) => _lstmRelu ? (x > 0f ? 1f : 0f) : 1f - y * y;
}
