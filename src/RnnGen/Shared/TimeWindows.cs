namespace RnnGen.Shared;

/// <summary>
/// The time axis of the layers that slide a window over it (Conv1D, MaxPooling1D, AveragePooling1D): how many timesteps
/// come out and how many padded ones go before the first, as Keras computes them. One rule for the generator's shape
/// inference, the generated kernels' arguments, the reference layers and the Keras file reader.
/// </summary>
internal static class TimeWindows
{
    /// <summary>Keras <c>padding="valid"</c>: no padding, every window lies inside the sequence.</summary>
    public const string Valid = "valid";

    /// <summary>Keras <c>padding="same"</c>: padded so that <c>ceil(timesteps / strides)</c> windows come out.</summary>
    public const string Same = "same";

    /// <summary>Keras <c>padding="causal"</c> (Conv1D only): padded before the first timestep only, so no output reads a later input.</summary>
    public const string Causal = "causal";

    /// <summary>Keras's default <c>strides</c> of Conv1D and <c>dilation_rate</c>; the pooling layers' strides default to their pool size.</summary>
    public const int DefaultStrides = 1;

    /// <summary>Keras's default <c>pool_size</c> of MaxPooling1D and AveragePooling1D.</summary>
    public const int DefaultPoolSize = 2;

    /// <summary>The paddings a layer of <paramref name="kind"/> takes: causal only for Conv1D (Keras <c>standardize_padding(allow_causal=rank == 1)</c> in BaseConv; the pooling layers reject it).</summary>
    public static bool IsPadding(LayerKind kind, string padding) =>
        padding == Valid || padding == Same || (padding == Causal && kind == LayerKind.Conv1D);

    /// <summary>Timesteps one window covers: <c>dilation * (window - 1) + 1</c>.</summary>
    public static long Span(int window, int dilation) => (long)dilation * (window - 1) + 1;

    /// <summary>
    /// Timesteps out of a window layer over <paramref name="timesteps"/> inputs
    /// (<c>keras/src/ops/operation_utils.py</c> compute_conv_output_shape and compute_pooling_output_shape):
    /// <c>floor((timesteps - span) / strides) + 1</c> for valid, <c>floor((timesteps - 1) / strides) + 1</c> for same
    /// and causal. Zero or less for valid when the sequence is shorter than one window.
    /// </summary>
    public static long OutputTimesteps(int timesteps, int window, int strides, int dilation, string padding) =>
        padding == Valid
            ? timesteps >= Span(window, dilation) ? (timesteps - Span(window, dilation)) / strides + 1 : 0
            : (timesteps - 1) / strides + 1;

    /// <summary>
    /// The input timesteps <c>[First, End)</c> that pooling window <paramref name="t"/> covers, padding left out (the
    /// pooling layers' forward and backward passes). Never empty: <see cref="OutputTimesteps"/> keeps every window's
    /// start inside the sequence or the first half of its padding.
    /// </summary>
    public static (int First, int End) PoolingWindow(int t, int timesteps, int poolSize, int strides, int padBefore)
    {
        int start = t * strides - padBefore;
        return (System.Math.Max(start, 0), System.Math.Min(start + poolSize, timesteps));
    }

    /// <summary>
    /// Padded timesteps before the first input: none for valid; <c>dilation * (window - 1)</c> for causal (Keras
    /// Conv1D.call pads the start, then convolves with valid); for same, half of what the windows need beyond the
    /// sequence, rounded down, the rest going after the end (TensorFlow's SAME padding, which Keras's backends follow).
    /// </summary>
    public static int PadBefore(int timesteps, int window, int strides, int dilation, string padding)
    {
        if (padding == Valid)
        {
            return 0;
        }

        long span = Span(window, dilation);
        if (padding == Causal)
        {
            return (int)(span - 1);
        }

        long outputs = OutputTimesteps(timesteps, window, strides, dilation, padding);
        long total = System.Math.Max((outputs - 1) * strides + span - timesteps, 0);
        return (int)(total / 2);
    }
}
