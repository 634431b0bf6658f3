using System;
using System.Collections.Generic;

namespace RnnGen;

/// <summary>
/// The declaration of one layer of a generated model, with everything shape inference resolved. Generated models
/// expose these through <see cref="ModelInfo.Layers"/>; weight loaders check files against them and the reference
/// layers run from them.
/// </summary>
public sealed class LayerInfo
{
    /// <summary>Creates the description of a layer of kind <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public LayerInfo(LayerKind kind, string name)
    {
        Kind = kind;
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The layer kind.</summary>
    public LayerKind Kind { get; }

    /// <summary>Keras default name in the model (<c>lstm</c>, <c>lstm_1</c>, <c>bidirectional</c>, <c>dense</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Keras <c>units</c> (0 for Dropout).</summary>
    public int Units { get; init; }

    /// <summary>Features per timestep of the layer's input.</summary>
    public int InputWidth { get; init; }

    /// <summary>Whether the layer's input is a sequence <c>[Timesteps, InputWidth]</c> rather than a vector.</summary>
    public bool InputIsSequence { get; init; } = true;

    /// <summary>Features per timestep (or of the vector) of the layer's main output.</summary>
    public int OutputWidth { get; init; }

    /// <summary>Whether the layer's main output is a sequence.</summary>
    public bool OutputIsSequence { get; init; }

    /// <summary>Keras <c>activation</c> (canonical name).</summary>
    public string Activation { get; init; } = "linear";

    /// <summary>Keras <c>recurrent_activation</c> (LSTM, GRU), else <see langword="null"/>.</summary>
    public string? RecurrentActivation { get; init; }

    /// <summary>Keras <c>use_bias</c>.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>Keras <c>unit_forget_bias</c> (LSTM).</summary>
    public bool UnitForgetBias { get; init; }

    /// <summary>Keras <c>reset_after</c> (GRU).</summary>
    public bool ResetAfter { get; init; }

    /// <summary>Keras <c>return_sequences</c>.</summary>
    public bool ReturnSequences { get; init; }

    /// <summary>Keras <c>return_state</c>.</summary>
    public bool ReturnState { get; init; }

    /// <summary>Keras <c>go_backwards</c>.</summary>
    public bool GoBackwards { get; init; }

    /// <summary>Keras <c>stateful</c>.</summary>
    public bool Stateful { get; init; }

    /// <summary>Wrapped in Keras <c>Bidirectional</c>.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Keras <c>merge_mode</c> of the <c>Bidirectional</c> wrapper.</summary>
    public MergeMode MergeMode { get; init; }

    /// <summary>Keras <c>Dropout(rate)</c>, or the <c>dropout</c> of a recurrent layer (no effect at inference).</summary>
    public double DropoutRate { get; init; }

    /// <summary>Keras <c>recurrent_dropout</c> (no effect at inference).</summary>
    public double RecurrentDropoutRate { get; init; }

    /// <summary>Keras <c>epsilon</c> of LayerNormalization and BatchNormalization (0 for other kinds).</summary>
    public double Epsilon { get; init; }

    /// <summary>Keras <c>center</c> of LayerNormalization and BatchNormalization: the layer adds <c>beta</c>.</summary>
    public bool Center { get; init; } = true;

    /// <summary>Keras <c>scale</c> of LayerNormalization and BatchNormalization: the layer multiplies by <c>gamma</c>.</summary>
    public bool Scale { get; init; } = true;

    /// <summary>Keras <c>invert</c> of Normalization: the layer computes <c>mean + x * deviation</c> (false for other kinds).</summary>
    public bool Invert { get; init; }

    /// <summary>Keras <c>momentum</c> of BatchNormalization: how much of the moving statistics a training step keeps (0.99 for other kinds, unused).</summary>
    public double Momentum { get; init; } = Shared.LayerOptions.DefaultMomentum;

    /// <summary>Keras <c>scale</c> of Rescaling (1 for other kinds).</summary>
    public double RescalingScale { get; init; } = 1;

    /// <summary>Keras <c>offset</c> of Rescaling (0 for other kinds).</summary>
    public double RescalingOffset { get; init; }

    /// <summary>Keras <c>mask_zero</c> of Embedding: token 0 masks its timestep (false for other kinds).</summary>
    public bool MaskZero { get; init; }

    /// <summary>Keras <c>mask_value</c> of Masking (0 for other kinds).</summary>
    public double MaskValue { get; init; }

    /// <summary>
    /// Timesteps of the layer's input: set for the layers that change the time axis (Conv1D, the pooling layers, Flatten,
    /// Reshape, RepeatVector; 0 for other kinds, whose input has the model's <see cref="ModelInfo.Timesteps"/> or those
    /// the last such layer before it left).
    /// </summary>
    public int InputTimesteps { get; init; }

    /// <summary>Timesteps of the output of a layer that changes the time axis: Conv1D's and the pooling layers', a Reshape's target, RepeatVector's <c>n</c>, 1 for Flatten (0 for other kinds: they keep their input's).</summary>
    public int OutputTimesteps { get; init; }

    /// <summary>Keras <c>kernel_size</c> of Conv1D (0 for other kinds).</summary>
    public int KernelSize { get; init; }

    /// <summary>Keras <c>pool_size</c> of MaxPooling1D and AveragePooling1D (0 for other kinds).</summary>
    public int PoolSize { get; init; }

    /// <summary>Keras <c>strides</c> of Conv1D and the pooling layers (1 for other kinds).</summary>
    public int Strides { get; init; } = 1;

    /// <summary>Keras <c>padding</c> of Conv1D and the pooling layers: <c>valid</c>, <c>same</c> or <c>causal</c>.</summary>
    public string Padding { get; init; } = Shared.TimeWindows.Valid;

    /// <summary>Keras <c>dilation_rate</c> of Conv1D (1 for other kinds).</summary>
    public int DilationRate { get; init; } = 1;

    /// <summary>Keras <c>groups</c> of Conv1D (1 for other kinds).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether this is Conv1D, MaxPooling1D or AveragePooling1D: a window slid over the time axis.</summary>
    public bool IsTimeWindow => Shared.LayerShapes.IsTimeWindow(Kind);

    /// <summary>The timesteps one window reads: Conv1D's <see cref="KernelSize"/> or the pooling layers' <see cref="PoolSize"/>.</summary>
    public int Window => Kind == LayerKind.Conv1D ? KernelSize : PoolSize;

    /// <summary>Padded timesteps before the first input of a Conv1D or pooling layer (Keras's padding rule).</summary>
    public int PadBefore => Shared.TimeWindows.PadBefore(InputTimesteps, Window, Strides, DilationRate, Padding);

    /// <summary>Whether this is Activation or Rescaling: the same function of every value, no weights.</summary>
    public bool IsElementwise => Shared.LayerShapes.IsElementwise(Kind);

    /// <summary>Whether this is LayerNormalization, BatchNormalization or Normalization.</summary>
    public bool IsNormalization => Shared.LayerShapes.IsNormalization(Kind);

    /// <summary>This layer's weight arrays in Keras <c>get_weights()</c> order (forward then backward when bidirectional).</summary>
    public IReadOnlyList<WeightShape> Weights { get; init; } = Array.Empty<WeightShape>();

    /// <summary>Whether this is a recurrent layer (SimpleRNN, LSTM or GRU).</summary>
    public bool IsRecurrent => Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;

    /// <summary>Keras class name shown by <c>model.summary()</c> (<c>LSTM</c>, or <c>Bidirectional</c>).</summary>
    public string KerasClassName => Bidirectional ? "Bidirectional" : Shared.LayerShapes.KerasClassName(Kind);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({KerasClassName})";
}
