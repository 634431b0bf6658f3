namespace RnnGen.Shared;

/// <summary>
/// Weight shapes of each layer kind, exactly as Keras <c>layer.get_weights()</c> returns them (no transposition):
/// kernel <c>[input, g*units]</c>, recurrent kernel <c>[units, g*units]</c>, bias <c>[g*units]</c>, where g is the
/// number of gate blocks (LSTM i, f, c, o; GRU z, r, h). A GRU with <c>reset_after=True</c> keeps separate input and
/// recurrent biases as bias <c>[2, 3*units]</c> (row 0 input, row 1 recurrent): Keras <c>GRUCell.build</c>.
/// </summary>
internal static class LayerShapes
{
    /// <summary>Gate blocks per unit: 1 for SimpleRNN, 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h).</summary>
    public static int GateCount(LayerKind kind) => kind switch
    {
        LayerKind.Lstm => 4,
        LayerKind.Gru => 3,
        _ => 1,
    };

    public static bool IsRecurrent(LayerKind kind) =>
        kind == LayerKind.SimpleRnn || kind == LayerKind.Lstm || kind == LayerKind.Gru;

    /// <summary>Rows of the bias array: 2 for a GRU with <c>reset_after</c>, else 1.</summary>
    public static int BiasRows(LayerKind kind, bool resetAfter) => kind == LayerKind.Gru && resetAfter ? 2 : 1;

    /// <summary>
    /// The weight arrays of one direction of a layer, in Keras order, as (name, rows, columns); columns 0 marks a 1-D
    /// array of <c>rows</c> elements.
    /// </summary>
    /// <remarks>
    /// A Conv1D kernel is 3-D in Keras, <c>[kernel_size, input / groups, filters]</c>: it is returned with its two
    /// leading axes as one, <c>rows = kernel_size * input / groups</c>, and <see cref="Dimensions"/> gives it back its
    /// three axes.
    /// </remarks>
    public static (string Name, int Rows, int Columns)[] Weights(LayerKind kind, int inputWidth, int units, bool useBias, bool resetAfter,
        bool center = LayerOptions.DefaultCenter, bool scale = LayerOptions.DefaultScale, int kernelSize = 1, int groups = 1)
    {
        if (kind == LayerKind.Dropout || IsElementwise(kind) || IsGlobalPooling(kind) || IsPooling(kind) || IsReshaping(kind))
        {
            return new (string, int, int)[0];
        }

        if (kind == LayerKind.Conv1D)
        {
            // BaseConv.build: kernel kernel_size + (input_channel // groups, filters), then bias (filters,) if use_bias.
            var convolution = ("kernel", kernelSize * (inputWidth / groups), units);
            return useBias ? new[] { convolution, ("bias", units, 0) } : new[] { convolution };
        }

        if (kind == LayerKind.Normalization)
        {
            // Normalization.build when adapted: mean and variance of the normalized axis's size, then the scalar count
            // of samples adapt() saw (kept "for backwards compatibility with older saved models"; call() never reads it).
            return new[] { ("mean", inputWidth, 0), ("variance", inputWidth, 0), ("count", 1, 0) };
        }

        if (IsNormalization(kind))
        {
            // LayerNormalization.build / BatchNormalization.build: gamma if scale, beta if center, then (BatchNormalization)
            // the non-trainable moving_mean and moving_variance, each of the normalized axis's size.
            var weights = new System.Collections.Generic.List<(string, int, int)>(4);
            if (scale)
            {
                weights.Add(("gamma", inputWidth, 0));
            }

            if (center)
            {
                weights.Add(("beta", inputWidth, 0));
            }

            if (kind == LayerKind.BatchNormalization)
            {
                weights.Add(("moving_mean", inputWidth, 0));
                weights.Add(("moving_variance", inputWidth, 0));
            }

            return weights.ToArray();
        }

        if (kind == LayerKind.Embedding)
        {
            // Embedding.build: embeddings (input_dim, output_dim); the caller passes input_dim as inputWidth.
            return new[] { ("embeddings", inputWidth, units) };
        }

        if (kind == LayerKind.Dense)
        {
            return useBias
                ? new[] { ("kernel", inputWidth, units), ("bias", units, 0) }
                : new[] { ("kernel", inputWidth, units) };
        }

        int width = GateCount(kind) * units;
        var kernel = ("kernel", inputWidth, width);
        var recurrent = ("recurrent_kernel", units, width);
        if (!useBias)
        {
            return new[] { kernel, recurrent };
        }

        var bias = BiasRows(kind, resetAfter) == 2 ? ("bias", 2, width) : ("bias", width, 0);
        return new[] { kernel, recurrent, bias };
    }

    /// <summary>
    /// The Keras shape of weight <paramref name="name"/> of <see cref="Weights"/>: <c>[rows, columns]</c>, <c>[rows]</c>
    /// for a 1-D weight, <c>[kernel_size, rows / kernel_size, columns]</c> for a Conv1D kernel, and <c>[]</c> for
    /// Normalization's scalar count.
    /// </summary>
    public static int[] Dimensions(LayerKind kind, string name, int rows, int columns, int kernelSize) =>
        kind == LayerKind.Conv1D && name == "kernel" ? new[] { kernelSize, rows / kernelSize, columns }
        : IsScalarWeight(kind, name) ? new int[0]
        : columns == 0 ? new[] { rows }
        : new[] { rows, columns };

    /// <summary>Whether the weight is a scalar in Keras (shape <c>()</c>), held as one float: Normalization's <c>count</c>.</summary>
    public static bool IsScalarWeight(LayerKind kind, string name) => kind == LayerKind.Normalization && name == "count";

    /// <summary>Whether the layer's weights are all statistics that Keras does not train (Normalization's).</summary>
    public static bool HasOnlyStatistics(LayerKind kind) => kind == LayerKind.Normalization;

    /// <summary>Whether the layer is MaxPooling1D or AveragePooling1D: windows of timesteps to one row each, no weights.</summary>
    public static bool IsPooling(LayerKind kind) => kind is LayerKind.MaxPooling1D or LayerKind.AveragePooling1D;

    /// <summary>Whether the layer is Flatten, Reshape or RepeatVector: the values moved to another shape, no weights.</summary>
    public static bool IsReshaping(LayerKind kind) => kind is LayerKind.Flatten or LayerKind.Reshape or LayerKind.RepeatVector;

    /// <summary>
    /// Whether the layer's output timesteps are not its input's, one by one: the window layers and the reshaping ones.
    /// A model with one has no Step and no masked calls, and the layers after it are sized for its timesteps.
    /// </summary>
    public static bool ChangesTimeAxis(LayerKind kind) => IsTimeWindow(kind) || IsReshaping(kind);

    /// <summary>Whether the layer slides a window over the time axis (Conv1D, MaxPooling1D, AveragePooling1D), so its output may have fewer timesteps than its input.</summary>
    public static bool IsTimeWindow(LayerKind kind) => kind == LayerKind.Conv1D || IsPooling(kind);

    /// <summary>Whether the layer is LayerNormalization, BatchNormalization or Normalization: per-feature, on the last axis, same width out.</summary>
    public static bool IsNormalization(LayerKind kind) => kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization or LayerKind.Normalization;

    /// <summary>Whether the layer is Activation, Rescaling or Masking: a function of each row, no weights, same shape out.</summary>
    public static bool IsElementwise(LayerKind kind) => kind is LayerKind.Activation or LayerKind.Rescaling or LayerKind.Masking;

    /// <summary>
    /// Whether the layer reads the mask, beside the recurrent ones: GlobalAveragePooling1D, which averages the unmasked
    /// timesteps only (<c>keras/src/layers/pooling/global_average_pooling1d.py</c>; Keras's GlobalMaxPooling1D takes no mask).
    /// </summary>
    public static bool TakesMask(LayerKind kind) => kind == LayerKind.GlobalAveragePooling1D;

    /// <summary>Whether the layer is GlobalAveragePooling1D or GlobalMaxPooling1D: a sequence in, one row of the same width out, no weights.</summary>
    public static bool IsGlobalPooling(LayerKind kind) => kind is LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D;

    /// <summary>
    /// Whether the layer's output has its input's width (it has no units): Dropout, the normalization and the
    /// elementwise layers (Masking among them), and global pooling. One rule for the generator's parser and for
    /// <c>rnngen</c>'s reading of a Keras file.
    /// </summary>
    public static bool KeepsWidth(LayerKind kind) =>
        kind == LayerKind.Dropout || IsNormalization(kind) || IsElementwise(kind) || IsGlobalPooling(kind) || IsPooling(kind) || kind == LayerKind.RepeatVector;

    /// <summary>The width of one timestep of the layer's main output (the last axis of Keras's <c>compute_output_shape</c>).</summary>
    public static int OutputWidth(LayerKind kind, int inputWidth, int units, bool bidirectional, MergeMode mergeMode) =>
        KeepsWidth(kind) ? inputWidth : bidirectional && mergeMode == MergeMode.Concat ? 2 * units : units;

    /// <summary>
    /// Whether the layer's main output is a sequence: a recurrent layer's <c>return_sequences</c> (a Reshape's: whether
    /// its target has a time axis); global pooling and Flatten drop the time axis, RepeatVector makes one; other layers
    /// keep their input's.
    /// </summary>
    public static bool OutputIsSequence(LayerKind kind, bool inputIsSequence, bool returnSequences) =>
        IsRecurrent(kind) || kind == LayerKind.Reshape ? returnSequences
        : kind == LayerKind.RepeatVector || (inputIsSequence && !IsGlobalPooling(kind) && kind != LayerKind.Flatten);

    /// <summary>
    /// Parameters of one direction of a layer (Keras <c>count_params()</c>, which counts BatchNormalization's
    /// non-trainable moving statistics too).
    /// </summary>
    public static long ParameterCount(LayerKind kind, int inputWidth, int units, bool useBias, bool resetAfter,
        bool center = LayerOptions.DefaultCenter, bool scale = LayerOptions.DefaultScale, int kernelSize = 1, int groups = 1)
    {
        long total = 0;
        foreach (var (_, rows, columns) in Weights(kind, inputWidth, units, useBias, resetAfter, center, scale, kernelSize, groups))
        {
            total += columns == 0 ? rows : (long)rows * columns;
        }

        return total;
    }

    /// <summary>Keras's default layer name stem (<c>naming.to_snake_case(class name)</c>): <c>simple_rnn</c>, <c>lstm</c>, ...</summary>
    public static string KerasNameStem(LayerKind kind) => kind switch
    {
        LayerKind.SimpleRnn => "simple_rnn",
        LayerKind.Lstm => "lstm",
        LayerKind.Gru => "gru",
        LayerKind.Dense => "dense",
        LayerKind.LayerNormalization => "layer_normalization",
        LayerKind.BatchNormalization => "batch_normalization",
        LayerKind.Normalization => "normalization",
        LayerKind.Activation => "activation",
        LayerKind.Rescaling => "rescaling",
        LayerKind.Masking => "masking",
        LayerKind.Embedding => "embedding",
        LayerKind.GlobalAveragePooling1D => "global_average_pooling1d",
        LayerKind.GlobalMaxPooling1D => "global_max_pooling1d",
        LayerKind.Conv1D => "conv1d",
        LayerKind.MaxPooling1D => "max_pooling1d",
        LayerKind.AveragePooling1D => "average_pooling1d",
        LayerKind.Flatten => "flatten",
        LayerKind.Reshape => "reshape",
        LayerKind.RepeatVector => "repeat_vector",
        _ => "dropout",
    };

    /// <summary>Keras class name: <c>SimpleRNN</c>, <c>LSTM</c>, <c>GRU</c>, <c>Dense</c>, <c>Dropout</c>.</summary>
    public static string KerasClassName(LayerKind kind) => kind switch
    {
        LayerKind.SimpleRnn => "SimpleRNN",
        LayerKind.Lstm => "LSTM",
        LayerKind.Gru => "GRU",
        LayerKind.Dense => "Dense",
        LayerKind.LayerNormalization => "LayerNormalization",
        LayerKind.BatchNormalization => "BatchNormalization",
        LayerKind.Normalization => "Normalization",
        LayerKind.Activation => "Activation",
        LayerKind.Rescaling => "Rescaling",
        LayerKind.Masking => "Masking",
        LayerKind.Embedding => "Embedding",
        LayerKind.GlobalAveragePooling1D => "GlobalAveragePooling1D",
        LayerKind.GlobalMaxPooling1D => "GlobalMaxPooling1D",
        LayerKind.Conv1D => "Conv1D",
        LayerKind.MaxPooling1D => "MaxPooling1D",
        LayerKind.AveragePooling1D => "AveragePooling1D",
        LayerKind.Flatten => "Flatten",
        LayerKind.Reshape => "Reshape",
        LayerKind.RepeatVector => "RepeatVector",
        _ => "Dropout",
    };
}
