using System;
using System.Collections.Generic;

namespace RnnGen.Training;

/// <summary>
/// The layers of a model, from its <see cref="ModelInfo"/>, wired for training: the activations between layers and
/// their gradients, and the gradient of every parameter in the layout of the model's flat Keras-order parameters.
/// Buffers are sized for a batch capacity and grow (once) only when a larger batch arrives.
/// </summary>
internal sealed class TrainingNetwork
{
    private readonly TrainingLayer[] _layers;
    private float[][] _outputs = Array.Empty<float[]>();
    private float[][] _outputGradients = Array.Empty<float[]>();
    private readonly TrainingLayer[] _maskedLayers;
    private float[] _timestepMask = Array.Empty<float>();
    private DropoutRandom _random;

    /// <param name="info">The model.</param>
    /// <param name="capacity">Samples the buffers hold at first.</param>
    /// <param name="dropoutSeed">Seed of the dropout masks.</param>
    /// <param name="cells">The model's generated training cells by layer index (null for a layer without one), or null.</param>
    public TrainingNetwork(ModelInfo info, int capacity, int dropoutSeed, IReadOnlyList<TrainingCell?>? cells = null)
    {
        Info = info;
        var layers = new List<TrainingLayer>();
        int offset = 0;
        int timesteps = info.Timesteps; // of each layer's input: Conv1D and the pooling layers change them
        var masks = new List<TrainingLayer>(); // the layer that makes the Keras mask and those it reaches
        bool masked = false;
        foreach (LayerInfo layer in info.Layers)
        {
            TrainingCell? cell = cells?[layers.Count];
            layers.Add(layer.Kind switch
            {
                LayerKind.Dense => new DenseLayer(layer, timesteps, offset),
                LayerKind.Dropout => new DropoutLayer(layer, timesteps, offset),
                LayerKind.Activation or LayerKind.Rescaling => new ElementwiseLayer(layer, timesteps, offset),
                LayerKind.LayerNormalization => new LayerNormalizationLayer(layer, timesteps, offset),
                LayerKind.BatchNormalization => new BatchNormalizationLayer(layer, timesteps, offset),
                LayerKind.Normalization => new NormalizationStatisticsLayer(layer, timesteps, offset),
                LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D => new GlobalPoolingLayer(layer, timesteps, offset),
                LayerKind.Embedding => new EmbeddingLayer(layer, timesteps, offset),
                LayerKind.Masking => new MaskingLayer(layer, timesteps, offset),
                LayerKind.Conv1D => new Convolution1DLayer(layer, timesteps, offset),
                LayerKind.MaxPooling1D or LayerKind.AveragePooling1D => new Pooling1DLayer(layer, timesteps, offset),
                LayerKind.Flatten or LayerKind.Reshape or LayerKind.RepeatVector => new ReshapingLayer(layer, timesteps, offset),
                _ => new RecurrentLayer(layer, timesteps, offset, cell),
            });
            TrainingLayer added = layers[^1];
            if (cell is not null && added is not RecurrentLayer)
            {
                throw new ArgumentException($"A training cell was given for layer '{layer.Name}', a {layer.Kind}: only recurrent layers have one.", nameof(cells));
            }

            if (added.MakesMask || masked)
            {
                masks.Add(added);
            }

            if (added.MakesMask)
            {
                masked = true;
            }
            else if (masked)
            {
                // keras compute_mask: a recurrent layer passes its input mask on only with return_sequences, the global
                // pooling layers return none; Dense, Dropout, Activation, Rescaling and the normalization layers pass it
                // on as it is. (No window or reshaping layer follows a mask: RNNG062.)
                masked = layer.Kind is not (LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D) &&
                    !(Shared.LayerShapes.IsRecurrent(layer.Kind) && !layer.ReturnSequences);
            }

            if (Shared.LayerShapes.ChangesTimeAxis(layer.Kind))
            {
                timesteps = layer.OutputTimesteps;
            }

            foreach (WeightShape weight in layer.Weights)
            {
                offset += weight.Length;
            }
        }

        _layers = layers.ToArray();
        _maskedLayers = masks.ToArray();
        OutputMasked = masked;
        ParameterGradients = new float[offset];
        _random = new DropoutRandom(dropoutSeed);
        EnsureCapacity(Math.Max(1, capacity));
    }

    public ModelInfo Info { get; }

    /// <summary>
    /// Whether the model's main output still carries the Keras mask (a sequence output after Masking or
    /// Embedding(mask_zero) that no layer consumed): the loss then counts the kept timesteps only, as Keras's
    /// <c>Loss.__call__</c> does with the mask of <c>y_pred</c>.
    /// </summary>
    public bool OutputMasked { get; }

    /// <summary>The mask of the last <see cref="Forward"/>'s output rows (1 kept, 0 masked), one per sample and timestep; meaningful when <see cref="OutputMasked"/>.</summary>
    public ReadOnlySpan<float> OutputMask(int batch) => _timestepMask.AsSpan(0, batch * Info.Timesteps);

    /// <summary>
    /// Whether a layer normalizes with the statistics of the whole batch (BatchNormalization in training): the trainer
    /// then runs a batch as one chunk, since chunks of it would each see their own statistics.
    /// </summary>
    public bool NeedsWholeBatch => Array.Exists(_layers, l => l is BatchNormalizationLayer);

    /// <summary>
    /// Around an optimizer step: copies the weights Keras does not train (BatchNormalization's moving statistics,
    /// Normalization's adapted ones) into <paramref name="saved"/> (<paramref name="restore"/> false), or writes them
    /// back from it and lets each layer update its own (<paramref name="restore"/> true: BatchNormalization moves its
    /// moving statistics with the last training forward pass's batch statistics), so that no optimizer rule or weight
    /// decay touches them.
    /// </summary>
    public void KeepNonTrainableWeights(Span<float> parameters, Span<float> saved, bool restore)
    {
        int next = 0;
        foreach (TrainingLayer layer in _layers)
        {
            if (layer.NonTrainableLength == 0)
            {
                continue;
            }

            Span<float> kept = parameters.Slice(layer.NonTrainableOffset, layer.NonTrainableLength);
            Span<float> copy = saved.Slice(next, layer.NonTrainableLength);
            next += layer.NonTrainableLength;
            if (!restore)
            {
                kept.CopyTo(copy);
                continue;
            }

            copy.CopyTo(kept);
            layer.AfterOptimizerStep(parameters);
        }
    }

    /// <summary>Floats of every layer's non-trainable weights together (<see cref="KeepNonTrainableWeights"/>).</summary>
    public int NonTrainableLength
    {
        get
        {
            int length = 0;
            foreach (TrainingLayer layer in _layers)
            {
                length += layer.NonTrainableLength;
            }

            return length;
        }
    }

    /// <summary>Floats of one sample's main output.</summary>
    public int OutputLength => _layers[^1].OutputLength;

    /// <summary>The batch size the buffers hold.</summary>
    public int Capacity { get; private set; }

    /// <summary>The gradient of every parameter after <see cref="Backward"/>, in the model's flat Keras order.</summary>
    public float[] ParameterGradients { get; }

    /// <summary>Restarts the dropout masks' random sequence: stream <paramref name="stream"/> of <paramref name="seed"/> (one per chunk of a batch).</summary>
    public void SeedDropout(int seed, int stream = 0) => _random = new DropoutRandom(seed, stream);

    /// <summary>Grows the buffers to hold <paramref name="batch"/> samples; does nothing (allocates nothing) if they already do.</summary>
    public void EnsureCapacity(int batch)
    {
        if (batch <= Capacity)
        {
            return;
        }

        _timestepMask = _maskedLayers.Length > 0 ? new float[batch * Info.Timesteps] : Array.Empty<float>();
        foreach (TrainingLayer layer in _maskedLayers)
        {
            layer.TimestepMask = _timestepMask;
        }

        _outputs = new float[_layers.Length][];
        _outputGradients = new float[_layers.Length][];
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Allocate(batch);
            _outputs[l] = new float[batch * _layers[l].OutputLength];
            _outputGradients[l] = new float[batch * _layers[l].OutputLength];
        }

        Capacity = batch;
    }

    /// <summary>Runs the layers on <paramref name="input"/> and returns the main output of the batch.</summary>
    public Span<float> Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, int batch, bool training)
    {
        ReadOnlySpan<float> current = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<float> output = _outputs[l].AsSpan(0, batch * _layers[l].OutputLength);
            _layers[l].Forward(parameters, current, output, batch, training, ref _random);
            current = output;
        }

        return _outputs[^1].AsSpan(0, batch * OutputLength);
    }

    /// <summary>The buffer the caller fills with the loss gradient of the main output before <see cref="Backward"/>.</summary>
    public Span<float> OutputGradient(int batch) => _outputGradients[^1].AsSpan(0, batch * OutputLength);

    /// <summary>Backpropagates the output gradient through the batch of the last <see cref="Forward"/>, overwriting <see cref="ParameterGradients"/>.</summary>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, int batch)
    {
        Array.Clear(ParameterGradients);
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            TrainingLayer layer = _layers[l];
            ReadOnlySpan<float> layerInput = l == 0 ? input : _outputs[l - 1].AsSpan(0, batch * layer.InputLength);
            Span<float> inputGradient = l == 0 ? Span<float>.Empty : _outputGradients[l - 1].AsSpan(0, batch * layer.InputLength);
            layer.Backward(parameters, layerInput, _outputs[l].AsSpan(0, batch * layer.OutputLength), _outputGradients[l].AsSpan(0, batch * layer.OutputLength), inputGradient, ParameterGradients, batch);
        }
    }
}
