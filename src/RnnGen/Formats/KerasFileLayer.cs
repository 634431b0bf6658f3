using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnnGen;

/// <summary>
/// One layer of a Keras weight file as the file describes it: its Keras class and name, its configuration when the file
/// carries one (<c>.keras</c>, full-model <c>.h5</c>), and the shapes of its weight arrays. Returned by
/// <see cref="KerasWeights.Inspect(string)"/>.
/// </summary>
public sealed class KerasFileLayer
{
    internal KerasFileLayer(string name, string className)
    {
        Name = name;
        ClassName = className;
    }

    /// <summary>The layer's name in the file (<c>lstm_1</c>; for a Keras 3 <c>.weights.h5</c>, its group name).</summary>
    public string Name { get; }

    /// <summary>The Keras class: <c>LSTM</c>, <c>Bidirectional</c>, <c>Dense</c>, <c>Dropout</c>, <c>Activation</c>, ...</summary>
    public string ClassName { get; }

    /// <summary>The RnnGen layer kind, or <see langword="null"/> when RnnGen has no such layer.</summary>
    public LayerKind? Kind { get; internal init; }

    /// <summary>Whether the options below come from the file's configuration; otherwise only the kind, units, bias and
    /// GRU bias layout are known, inferred from the weight shapes.</summary>
    public bool HasConfig { get; internal init; }

    /// <summary>Keras <c>units</c> (0 when unknown or not applicable).</summary>
    public int Units { get; internal init; }

    /// <summary>
    /// The activation as RnnGen names what the file's Keras version computes (<c>hard_sigmoid_keras2</c> for Keras 2's
    /// <c>hard_sigmoid</c>), or <see langword="null"/> when unknown or not supported.
    /// </summary>
    public string? Activation { get; internal init; }

    /// <summary>The activation name as written in the file.</summary>
    public string? FileActivation { get; internal init; }

    /// <summary>Recurrent activation (LSTM, GRU) as RnnGen names it; see <see cref="Activation"/>.</summary>
    public string? RecurrentActivation { get; internal init; }

    /// <summary>The recurrent activation name as written in the file.</summary>
    public string? FileRecurrentActivation { get; internal init; }

    /// <summary>Keras <c>use_bias</c>.</summary>
    public bool UseBias { get; internal init; } = true;

    /// <summary>Keras <c>unit_forget_bias</c> (LSTM).</summary>
    public bool UnitForgetBias { get; internal init; } = true;

    /// <summary>Keras <c>reset_after</c> (GRU).</summary>
    public bool ResetAfter { get; internal init; }

    /// <summary>Keras <c>return_sequences</c>.</summary>
    public bool ReturnSequences { get; internal init; }

    /// <summary>Keras <c>return_state</c>.</summary>
    public bool ReturnState { get; internal init; }

    /// <summary>Keras <c>go_backwards</c>.</summary>
    public bool GoBackwards { get; internal init; }

    /// <summary>Keras <c>stateful</c>.</summary>
    public bool Stateful { get; internal init; }

    /// <summary>Wrapped in Keras <c>Bidirectional</c>.</summary>
    public bool Bidirectional { get; internal init; }

    /// <summary>A Dense layer wrapped in Keras <c>TimeDistributed</c> (declared as a plain <c>[Dense]</c>, which acts on every timestep).</summary>
    public bool IsTimeDistributed => ClassName == "TimeDistributed" && Kind == LayerKind.Dense;

    /// <summary>The <c>merge_mode</c> of a bidirectional layer.</summary>
    public MergeMode MergeMode { get; internal init; }

    /// <summary>Keras <c>Dropout(rate)</c>, or a recurrent layer's <c>dropout</c>.</summary>
    public double DropoutRate { get; internal init; }

    /// <summary>Keras <c>recurrent_dropout</c>.</summary>
    public double RecurrentDropoutRate { get; internal init; }

    /// <summary>Keras <c>epsilon</c> of LayerNormalization and BatchNormalization (from the configuration; 1e-3, Keras's default, without one).</summary>
    public double Epsilon { get; internal init; } = Shared.LayerOptions.DefaultNormalizationEpsilon;

    /// <summary>Keras <c>center</c> of the normalization layers: the layer has and adds <c>beta</c>.</summary>
    public bool Center { get; internal init; } = true;

    /// <summary>Keras <c>scale</c> of the normalization layers: the layer has and multiplies by <c>gamma</c>.</summary>
    public bool Scale { get; internal init; } = true;

    /// <summary>Keras Normalization <c>invert</c>: the layer de-normalizes (<c>mean + x * deviation</c>); false when the file has no configuration.</summary>
    public bool Invert { get; internal init; }

    /// <summary>Keras BatchNormalization <c>momentum</c> (training only).</summary>
    public double Momentum { get; internal init; } = Shared.LayerOptions.DefaultMomentum;

    /// <summary>Keras Rescaling <c>scale</c>: every value is multiplied by it.</summary>
    public double RescalingScale { get; internal init; } = 1;

    /// <summary>Keras Rescaling <c>offset</c>: added after scaling.</summary>
    public double RescalingOffset { get; internal init; }

    /// <summary>Keras Masking <c>mask_value</c>: a timestep whose features all equal it is masked.</summary>
    public double MaskValue { get; internal init; }

    /// <summary>Keras Embedding <c>input_dim</c>: the number of tokens, the rows of its <c>embeddings</c> table (0 for other kinds).</summary>
    public int EmbeddingInputDim { get; internal init; }

    /// <summary>Keras Embedding <c>mask_zero</c>: token 0 masks its timestep.</summary>
    public bool MaskZero { get; internal init; }

    /// <summary>The layer's weight arrays in Keras <c>get_weights()</c> order, named as in the file.</summary>
    public IReadOnlyList<WeightShape> Weights { get; internal init; } = Array.Empty<WeightShape>();

    /// <summary>Keras <c>kernel_size</c> of Conv1D (0 for other kinds).</summary>
    public int KernelSize { get; internal init; }

    /// <summary>Keras <c>target_shape</c> of Reshape, without the batch axis, -1 for the size the rest leaves (<see langword="null"/> for other kinds).</summary>
    public IReadOnlyList<int>? TargetShape { get; internal init; }

    /// <summary>Keras <c>n</c> of RepeatVector (0 for other kinds).</summary>
    public int RepeatCount { get; internal init; }

    /// <summary>Keras <c>pool_size</c> of MaxPooling1D and AveragePooling1D (0 for other kinds).</summary>
    public int PoolSize { get; internal init; }

    /// <summary>Keras <c>strides</c> of Conv1D and the pooling layers (1 for other kinds).</summary>
    public int Strides { get; internal init; } = 1;

    /// <summary>Keras <c>padding</c> of Conv1D and the pooling layers, lower case: <c>valid</c>, <c>same</c> or <c>causal</c>.</summary>
    public string Padding { get; internal init; } = Shared.TimeWindows.Valid;

    /// <summary>Keras <c>dilation_rate</c> of Conv1D (1 for other kinds).</summary>
    public int DilationRate { get; internal init; } = 1;

    /// <summary>Keras <c>groups</c> of Conv1D (1 for other kinds).</summary>
    public int Groups { get; internal init; } = 1;

    /// <summary>
    /// The layer's <c>config</c> object exactly as the file stores it (every option, including those RnnGen does not
    /// read), or <see langword="null"/> when the file has no configuration (<c>.weights.h5</c>, <c>.npz</c>,
    /// <c>save_weights()</c> files). For a layer RnnGen does not generate, this and <see cref="KerasFile"/>'s weight
    /// values are what a caller needs to compute it.
    /// </summary>
    public System.Text.Json.JsonElement? Config { get; internal init; }

    /// <summary>Why RnnGen cannot represent this layer, or other remarks; <see langword="null"/> if none.</summary>
    public string? Note { get; internal init; }

    /// <summary>A Keras-like one-line description: <c>Bidirectional(LSTM(4, recurrent_activation=hard_sigmoid, return_sequences=True))</c>, <c>TimeDistributed(Dense(2, use_bias=True))</c>.</summary>
    public string Describe()
    {
        if (Kind is null)
        {
            return ClassName;
        }

        if (Kind == LayerKind.Dropout)
        {
            return HasConfig ? "Dropout(" + DropoutRate.ToString("R", CultureInfo.InvariantCulture) + ")" : "Dropout(rate not stored)";
        }

        if (Kind == LayerKind.Activation)
        {
            return $"Activation({ActivationText(FileActivation, Activation)})";
        }

        if (Kind == LayerKind.Masking)
        {
            return $"Masking(mask_value={MaskValue.ToString("R", CultureInfo.InvariantCulture)})";
        }

        if (Kind is LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D)
        {
            return Kind.Value + "()";
        }

        if (Kind == LayerKind.Flatten)
        {
            return "Flatten()";
        }

        if (Kind == LayerKind.Reshape)
        {
            return $"Reshape(target_shape=({string.Join(", ", TargetShape!)}{(TargetShape!.Count == 1 ? "," : "")}))";
        }

        if (Kind == LayerKind.RepeatVector)
        {
            return $"RepeatVector({RepeatCount.ToString(CultureInfo.InvariantCulture)})";
        }

        if (Kind is LayerKind.MaxPooling1D or LayerKind.AveragePooling1D)
        {
            return $"{Kind.Value}(pool_size={PoolSize.ToString(CultureInfo.InvariantCulture)}, strides={Strides.ToString(CultureInfo.InvariantCulture)}, padding={Padding})";
        }

        if (Kind == LayerKind.Conv1D)
        {
            return $"Conv1D({Units.ToString(CultureInfo.InvariantCulture)}, kernel_size={KernelSize.ToString(CultureInfo.InvariantCulture)}, strides={Strides.ToString(CultureInfo.InvariantCulture)}, "
                + $"padding={Padding}, dilation_rate={DilationRate.ToString(CultureInfo.InvariantCulture)}, groups={Groups.ToString(CultureInfo.InvariantCulture)}, "
                + $"activation={ActivationText(FileActivation, Activation)}, use_bias={(UseBias ? "True" : "False")})";
        }

        if (Kind == LayerKind.Embedding)
        {
            string sizes = $"input_dim={EmbeddingInputDim.ToString(CultureInfo.InvariantCulture)}, output_dim={Units.ToString(CultureInfo.InvariantCulture)}";
            return HasConfig ? $"Embedding({sizes}, mask_zero={(MaskZero ? "True" : "False")})" : $"Embedding({sizes}, mask_zero not stored)";
        }

        if (Kind == LayerKind.Rescaling)
        {
            return $"Rescaling(scale={RescalingScale.ToString("R", CultureInfo.InvariantCulture)}, offset={RescalingOffset.ToString("R", CultureInfo.InvariantCulture)})";
        }

        if (Kind == LayerKind.Normalization)
        {
            return HasConfig ? $"Normalization(invert={(Invert ? "True" : "False")})" : "Normalization(invert not stored)";
        }

        if (Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization)
        {
            string flags = $"center={(Center ? "True" : "False")}, scale={(Scale ? "True" : "False")}";
            return HasConfig
                ? $"{ClassName}(epsilon={Epsilon.ToString("R", CultureInfo.InvariantCulture)}, {flags})"
                : $"{ClassName}(epsilon not stored, {flags})";
        }

        var options = new StringBuilder(Units.ToString(CultureInfo.InvariantCulture));
        if (HasConfig)
        {
            options.Append(", activation=").Append(ActivationText(FileActivation, Activation));
            if (Kind is LayerKind.Lstm or LayerKind.Gru)
            {
                options.Append(", recurrent_activation=").Append(ActivationText(FileRecurrentActivation, RecurrentActivation));
            }
        }

        options.Append(", use_bias=").Append(UseBias ? "True" : "False");
        if (Kind == LayerKind.Gru)
        {
            options.Append(", reset_after=").Append(ResetAfter ? "True" : "False");
        }

        if (HasConfig && Kind != LayerKind.Dense)
        {
            options.Append(", return_sequences=").Append(ReturnSequences ? "True" : "False");
            if (ReturnState)
            {
                options.Append(", return_state=True");
            }

            if (GoBackwards)
            {
                options.Append(", go_backwards=True");
            }

            if (Stateful)
            {
                options.Append(", stateful=True");
            }
        }

        string inner = Shared.LayerShapes.KerasClassName(Kind.Value) + "(" + options + ")";
        return Bidirectional ? $"Bidirectional({inner}{(HasConfig ? ", merge_mode=" + MergeModeText(MergeMode) : "")})"
            : IsTimeDistributed ? $"TimeDistributed({inner})"
            : inner;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Describe()}";

    internal static string MergeModeText(MergeMode mode) => mode == MergeMode.None ? "None" : mode.ToString().ToLowerInvariant();

    private static string ActivationText(string? fileName, string? canonical) =>
        canonical is null ? (fileName ?? "?") + " (not supported)"
        : fileName is null || fileName == canonical ? canonical
        : $"{fileName} (= {canonical})";
}
