namespace RnnGen;

/// <summary>The kinds of Keras layer RnnGen can declare.</summary>
#if RNNGEN_GENERATOR
internal
#else
public
#endif
enum LayerKind
{
    /// <summary>Keras <c>SimpleRNN</c>.</summary>
    SimpleRnn = 0,

    /// <summary>Keras <c>LSTM</c>.</summary>
    Lstm = 1,

    /// <summary>Keras <c>GRU</c>.</summary>
    Gru = 2,

    /// <summary>Keras <c>Dense</c>.</summary>
    Dense = 3,

    /// <summary>Keras <c>Dropout</c> (identity at inference).</summary>
    Dropout = 4,

    /// <summary>Keras <c>LayerNormalization</c> on the last axis.</summary>
    LayerNormalization = 5,

    /// <summary>Keras <c>BatchNormalization</c> on the last axis, with its moving statistics (inference).</summary>
    BatchNormalization = 6,

    /// <summary>Keras <c>Masking</c>: zeroes the timesteps whose features all equal the mask value, and masks them for the recurrent layers.</summary>
    Masking = 7,

    /// <summary>Keras <c>Embedding</c>: each timestep's integer token selects a row of the <c>embeddings</c> table; with <c>mask_zero</c>, token 0 is masked.</summary>
    Embedding = 8,

    /// <summary>
    /// Keras <c>Normalization</c> (in-model preprocessing) on the last axis, with the statistics <c>adapt()</c> stored:
    /// <c>y = (x - mean) / max(sqrt(variance), 1e-7)</c>, or with <c>invert</c> <c>y = mean + x * max(sqrt(variance), 1e-7)</c>.
    /// </summary>
    Normalization = 9,

    // Elementwise layers take values from 12 up, clear of the other layer kinds being added in parallel.

    /// <summary>Keras <c>Activation</c>: an element-wise activation of every value, no weights.</summary>
    Activation = 12,

    /// <summary>Keras <c>Rescaling</c>: <c>y = x * scale + offset</c> for every value, no weights.</summary>
    Rescaling = 13,

    // Convolution and pooling layers take values from 20 up.

    /// <summary>Keras <c>Conv1D</c>: a 1-D convolution over the time axis (padding valid, same or causal; strides, dilation, groups).</summary>
    Conv1D = 20,

    /// <summary>Keras <c>MaxPooling1D</c>: the maximum of each feature over windows of timesteps, no weights.</summary>
    MaxPooling1D = 21,

    /// <summary>Keras <c>AveragePooling1D</c>: the mean of each feature over windows of timesteps, no weights.</summary>
    AveragePooling1D = 22,

    /// <summary>Keras <c>GlobalAveragePooling1D</c>: the mean over the time axis of a sequence, no weights.</summary>
    GlobalAveragePooling1D = 23,

    /// <summary>Keras <c>GlobalMaxPooling1D</c>: the maximum over the time axis of a sequence, no weights.</summary>
    GlobalMaxPooling1D = 24,

    // Layers that reshape the time axis take values from 25 up.

    /// <summary>Keras <c>Flatten</c>: a sequence <c>(timesteps, features)</c> to one vector of <c>timesteps * features</c>.</summary>
    Flatten = 25,

    /// <summary>Keras <c>Reshape</c>: the same values in row-major order as a vector or a <c>(timesteps, features)</c> sequence.</summary>
    Reshape = 26,

    /// <summary>Keras <c>RepeatVector</c>: a vector repeated <c>n</c> times, a sequence of <c>n</c> timesteps.</summary>
    RepeatVector = 27,
}
