using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Reference;

/// <summary>
/// A plain, dynamically sized implementation of any model RnnGen can declare, driven by a <see cref="ModelInfo"/> and
/// Keras-layout weights: straight loops from the Keras equations, allocation everywhere, no attempt at speed. Tests
/// check generated models against it, and benchmarks use it as the naive baseline.
/// </summary>
internal sealed class ReferenceModel
{
    private readonly ModelInfo _info;
    private readonly ReferencePrecision _precision;
    private readonly ReferenceCells _cells;
    private readonly double[][][] _layerWeights; // per layer: its arrays in Keras order
    private readonly double[]?[][] _storedStates; // per layer: per state array (batch * units), when stateful
    private int _storedBatch;

    /// <summary>Creates the reference for <paramref name="info"/> with <paramref name="weights"/> in Keras <c>get_weights()</c> order.</summary>
    /// <param name="info">The model to compute, typically a generated model's <c>Info</c>.</param>
    /// <param name="weights">The weights, as Keras <c>model.get_weights()</c> returns them, flattened.</param>
    /// <param name="precision">float32 arithmetic as Keras uses (the default), or float64.</param>
    public ReferenceModel(ModelInfo info, IReadOnlyList<float[]> weights, ReferencePrecision precision = ReferencePrecision.Float32)
    {
        _info = info ?? throw new ArgumentNullException(nameof(info));
        GeneratedModelSupport.ValidateWeights(weights, info);
        _precision = precision;
        _cells = new ReferenceCells(precision);
        _layerWeights = new double[info.Layers.Count][][];
        int next = 0;
        for (int l = 0; l < info.Layers.Count; l++)
        {
            int count = info.Layers[l].Weights.Count;
            _layerWeights[l] = weights.Skip(next).Take(count).Select(w => Array.ConvertAll(w, v => (double)v)).ToArray();
            next += count;
        }

        _storedStates = new double[]?[info.Layers.Count][];
        ResetStates();
    }

    /// <summary>Forgets stored states (Keras <c>reset_states()</c>).</summary>
    public void ResetStates()
    {
        for (int l = 0; l < _storedStates.Length; l++)
        {
            _storedStates[l] = new double[]?[StateWidths(_info.Layers[l]).Length];
        }

        _storedBatch = 0;
    }

    /// <summary>
    /// Runs the model on <c>batch x Timesteps x InputDim</c> floats; returns the outputs of <see cref="ModelInfo.Outputs"/>,
    /// batch first. <paramref name="initialState"/>, if given, is the Keras <c>initial_state</c> of the first
    /// recurrent layer, each array <c>[batch, units]</c>.
    /// </summary>
    public float[][] Predict(ReadOnlySpan<float> input, IReadOnlyList<float[]>? initialState = null)
    {
        int batch = GeneratedModelSupport.BatchSize(input.Length, _info);
        bool anyStateful = _info.Layers.Any(l => l.Stateful);
        if (anyStateful && _storedBatch != 0 && _storedBatch != batch)
        {
            throw GeneratedModelSupport.StatefulBatchMismatch(_info.Name, _storedBatch, batch);
        }

        var outputs = _info.Outputs.Select(o => new float[batch * o.Length]).ToArray();
        int rowLength = _info.InputLength;
        int firstRecurrent = -1;
        for (int l = 0; l < _info.Layers.Count; l++)
        {
            if (_info.Layers[l].IsRecurrent)
            {
                firstRecurrent = l;
                break;
            }
        }

        for (int b = 0; b < batch; b++)
        {
            double[] x = Array.ConvertAll(input.Slice(b * rowLength, rowLength).ToArray(), v => (double)v);
            int width = _info.InputDim;
            bool isSequence = true;
            List<double[]>? lastOutputs = null;
            for (int l = 0; l < _info.Layers.Count; l++)
            {
                LayerInfo layer = _info.Layers[l];
                double[][]? rowInitial = l == firstRecurrent && initialState is not null
                    ? initialState.Select((s, i) => Array.ConvertAll(s.AsSpan(b * StateWidths(layer)[i], StateWidths(layer)[i]).ToArray(), v => (double)v)).ToArray()
                    : null;
                List<double[]> results = RunLayer(l, layer, x, width, isSequence, rowInitial, b, batch);
                x = results[0];
                width = layer.OutputWidth;
                isSequence = layer.OutputIsSequence;
                lastOutputs = results;
            }

            for (int o = 0; o < outputs.Length; o++)
            {
                double[] value = lastOutputs is null ? x : lastOutputs[o];
                for (int i = 0; i < value.Length; i++)
                {
                    outputs[o][b * _info.Outputs[o].Length + i] = (float)value[i];
                }
            }
        }

        if (anyStateful)
        {
            _storedBatch = batch;
        }

        return outputs;
    }

    private static int[] StateWidths(LayerInfo layer)
    {
        if (!layer.IsRecurrent)
        {
            return Array.Empty<int>();
        }

        int perDirection = layer.Kind == LayerKind.Lstm ? 2 : 1;
        return Enumerable.Repeat(layer.Units, perDirection * (layer.Bidirectional ? 2 : 1)).ToArray();
    }

    // Returns the layer's outputs for one batch row in Keras call order.
    private List<double[]> RunLayer(int index, LayerInfo layer, double[] x, int width, bool isSequence, double[][]? initial, int row, int batch)
    {
        // The timesteps of this layer's input: the model's, or fewer after a Conv1D or pooling layer.
        int steps = isSequence ? x.Length / width : 1;
        switch (layer.Kind)
        {
            case LayerKind.Dropout:
                return new List<double[]> { x };
            case LayerKind.Masking:
                // The reference layers run no masks; the generated model's Masking is checked against TensorFlow.js.
                throw new NotSupportedException($"The reference model does not run masks, so it cannot run {_info.Name}'s Masking layer '{layer.Name}'.");
            case LayerKind.Embedding:
            {
                if (layer.MaskZero)
                {
                    throw new NotSupportedException($"The reference model does not run masks, so it cannot run {_info.Name}'s Embedding layer '{layer.Name}' with mask_zero.");
                }

                // Keras Embedding.call: ops.take(embeddings, inputs cast to int32), one row per timestep.
                double[] table = _layerWeights[index][0];
                int outputDim = layer.OutputWidth;
                int inputDim = table.Length / outputDim;
                var y = new double[steps * outputDim];
                for (int t = 0; t < steps; t++)
                {
                    int token = (int)x[t];
                    if (token < 0 || token >= inputDim)
                    {
                        throw new ArgumentOutOfRangeException(nameof(x), x[t], $"{_info.Name}'s layer '{layer.Name}': the token at timestep {t} is outside [0, {inputDim}).");
                    }

                    Array.Copy(table, token * outputDim, y, t * outputDim, outputDim);
                }

                return new List<double[]> { y };
            }

            case LayerKind.Dense:
            {
                int rows = isSequence ? steps : 1;
                var y = new double[rows * layer.Units];
                double[][] w = _layerWeights[index];
                for (int t = 0; t < rows; t++)
                {
                    _cells.Dense(x.AsSpan(t * width, width), y.AsSpan(t * layer.Units, layer.Units), w[0], layer.UseBias ? w[1] : null, layer.Activation, _precision);
                }

                return new List<double[]> { y };
            }

            case LayerKind.Activation:
            case LayerKind.Rescaling:
            {
                int rows = isSequence ? steps : 1;
                var y = new double[rows * width];
                for (int t = 0; t < rows; t++)
                {
                    _cells.Elementwise(layer, x.AsSpan(t * width, width), y.AsSpan(t * width, width), _precision);
                }

                return new List<double[]> { y };
            }

            case LayerKind.GlobalAveragePooling1D:
            case LayerKind.GlobalMaxPooling1D:
            {
                // Keras GlobalAveragePooling1D / GlobalMaxPooling1D.call: ops.mean / ops.max over the time axis.
                int rows = steps;
                var y = new double[width];
                for (int j = 0; j < width; j++)
                {
                    double pooled = x[j];
                    for (int t = 1; t < rows; t++)
                    {
                        pooled = layer.Kind == LayerKind.GlobalMaxPooling1D ? Math.Max(pooled, x[t * width + j]) : pooled + x[t * width + j];
                    }

                    y[j] = layer.Kind == LayerKind.GlobalMaxPooling1D ? pooled : pooled / rows;
                }

                return new List<double[]> { y };
            }

            case LayerKind.Flatten:
            case LayerKind.Reshape:
                // Keras Flatten.call / Reshape.call: the same values, row-major, in another shape.
                return new List<double[]> { (double[])x.Clone() };
            case LayerKind.RepeatVector:
            {
                // Keras RepeatVector.call: the vector at each of n timesteps.
                var y = new double[layer.OutputTimesteps * width];
                for (int t = 0; t < layer.OutputTimesteps; t++)
                {
                    Array.Copy(x, 0, y, t * width, width);
                }

                return new List<double[]> { y };
            }

            case LayerKind.Conv1D:
                return new List<double[]> { _cells.Convolve1D(layer, x, steps, _layerWeights[index][0], layer.UseBias ? _layerWeights[index][1] : null, _precision) };
            case LayerKind.MaxPooling1D:
            case LayerKind.AveragePooling1D:
                return new List<double[]> { _cells.Pool1D(layer, x, steps) };
            case LayerKind.LayerNormalization:
            case LayerKind.BatchNormalization:
            case LayerKind.Normalization:
            {
                int rows = isSequence ? steps : 1;
                var y = new double[rows * width];
                for (int t = 0; t < rows; t++)
                {
                    _cells.Normalize(layer, x.AsSpan(t * width, width), y.AsSpan(t * width, width), _layerWeights[index]);
                }

                return new List<double[]> { y };
            }
        }

        int timesteps = steps;
        int units = layer.Units;
        int statesPerDirection = layer.Kind == LayerKind.Lstm ? 2 : 1;
        int arraysPerDirection = layer.UseBias ? 3 : 2;
        double[]?[] stored = _storedStates[index];

        double[][] StartStates(int direction)
        {
            var states = new double[statesPerDirection][];
            for (int s = 0; s < statesPerDirection; s++)
            {
                int slot = direction * statesPerDirection + s;
                if (initial is not null)
                {
                    states[s] = (double[])initial[slot].Clone();
                }
                else if (layer.Stateful && stored[slot] is double[] saved)
                {
                    states[s] = saved.AsSpan(row * units, units).ToArray();
                }
                else
                {
                    states[s] = new double[units];
                }
            }

            return states;
        }

        void StoreStates(int direction, double[][] states)
        {
            if (!layer.Stateful)
            {
                return;
            }

            for (int s = 0; s < statesPerDirection; s++)
            {
                int slot = direction * statesPerDirection + s;
                stored[slot] ??= new double[batch * units];
                states[s].CopyTo(stored[slot].AsSpan(row * units));
            }
        }

        // Runs one direction; returns the outputs in processing order, [timesteps, units].
        double[] RunDirection(int direction, bool backwards, double[][] states)
        {
            double[][] w = _layerWeights[index].Skip(direction * arraysPerDirection).Take(arraysPerDirection).ToArray();
            double[]? bias = layer.UseBias ? w[2] : null;
            Func<double, double> act = ReferenceActivations.Get(layer.Activation, _precision);
            Func<double, double> recurrentAct = layer.RecurrentActivation is null ? act : ReferenceActivations.Get(layer.RecurrentActivation, _precision);
            var outputs = new double[timesteps * units];
            for (int s = 0; s < timesteps; s++)
            {
                int t = backwards ? timesteps - 1 - s : s;
                ReadOnlySpan<double> xt = x.AsSpan(t * width, width);
                switch (layer.Kind)
                {
                    case LayerKind.SimpleRnn:
                        _cells.SimpleRnn(xt, states[0], w[0], w[1], bias, act);
                        break;
                    case LayerKind.Lstm:
                        _cells.Lstm(xt, states[0], states[1], w[0], w[1], bias, act, recurrentAct);
                        break;
                    default:
                        _cells.Gru(xt, states[0], w[0], w[1], bias, layer.ResetAfter, act, recurrentAct);
                        break;
                }

                states[0].CopyTo(outputs.AsSpan(s * units));
            }

            return outputs;
        }

        if (!layer.Bidirectional)
        {
            double[][] states = StartStates(0);
            double[] sequence = RunDirection(0, layer.GoBackwards, states);
            StoreStates(0, states);
            var result = new List<double[]> { layer.ReturnSequences ? sequence : sequence.AsSpan((timesteps - 1) * units).ToArray() };
            if (layer.ReturnState)
            {
                result.AddRange(states);
            }

            return result;
        }

        // keras Bidirectional.call: the backward layer is a copy with go_backwards=True; with return_sequences its
        // output is flipped back to forward time before merging.
        double[][] forwardStates = StartStates(0), backwardStates = StartStates(1);
        double[] forward = RunDirection(0, false, forwardStates);
        double[] backward = RunDirection(1, true, backwardStates);
        StoreStates(0, forwardStates);
        StoreStates(1, backwardStates);
        int outputRows = layer.ReturnSequences ? timesteps : 1;
        var f = new double[outputRows * units];
        var bw = new double[outputRows * units];
        for (int t = 0; t < outputRows; t++)
        {
            int forwardStep = layer.ReturnSequences ? t : timesteps - 1;
            int backwardStep = layer.ReturnSequences ? timesteps - 1 - t : timesteps - 1;
            forward.AsSpan(forwardStep * units, units).CopyTo(f.AsSpan(t * units));
            backward.AsSpan(backwardStep * units, units).CopyTo(bw.AsSpan(t * units));
        }

        var merged = new List<double[]>();
        if (layer.MergeMode == MergeMode.None)
        {
            merged.Add(f);
            merged.Add(bw);
        }
        else if (layer.MergeMode == MergeMode.Concat)
        {
            var y = new double[outputRows * 2 * units];
            for (int t = 0; t < outputRows; t++)
            {
                f.AsSpan(t * units, units).CopyTo(y.AsSpan(t * 2 * units));
                bw.AsSpan(t * units, units).CopyTo(y.AsSpan(t * 2 * units + units));
            }

            merged.Add(y);
        }
        else
        {
            var y = new double[outputRows * units];
            bool single = _precision == ReferencePrecision.Float32;
            for (int i = 0; i < y.Length; i++)
            {
                double value = layer.MergeMode switch
                {
                    MergeMode.Sum => f[i] + bw[i],
                    MergeMode.Mul => f[i] * bw[i],
                    _ => (f[i] + bw[i]) / 2,
                };
                y[i] = single ? (float)value : value;
            }

            merged.Add(y);
        }

        if (layer.ReturnState)
        {
            merged.AddRange(forwardStates);
            merged.AddRange(backwardStates);
        }

        return merged;
    }
}
