using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>
/// A validated model with every shape resolved: what the emitter turns into source. Equatable, and free of symbols,
/// syntax and locations, so that an edit that does not change the model leaves the emit step cached.
/// </summary>
internal sealed record ModelSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    string DeclarationKeyword,
    bool IsSequential,
    int Timesteps,
    int InputDim,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>
    /// For a <c>[KerasModel]</c> whose weights the build compiled in: the manifest resource name of the <c>.npz</c> the
    /// parameterless constructor loads; otherwise <see langword="null"/>.
    /// </summary>
    public string? EmbeddedWeights { get; init; }

    /// <summary>For a <c>[KerasModel]</c>: the Keras file as the attribute names it (for the generated docs).</summary>
    public string? KerasFile { get; init; }

    /// <summary>[Sequential]'s WeightPrecision: how the packed recurrent kernels are stored (Float32 unless declared).</summary>
    public WeightPrecision WeightPrecision { get; init; }

    /// <summary>File name of the generated source: namespace, containing types and class, dotted.</summary>
    public string HintName => DottedHintName(Namespace, ContainingTypes, ClassName, ".RnnGen.g.cs");

    /// <summary>A generated file's name: namespace, containing types and class, dotted, then <paramref name="suffix"/>.</summary>
    public static string DottedHintName(string? ns, EquatableArray<ContainingType> containingTypes, string className, string suffix)
    {
        var name = new System.Text.StringBuilder();
        if (ns is not null)
        {
            name.Append(ns).Append('.');
        }

        foreach (ContainingType type in containingTypes)
        {
            name.Append(type.Name).Append('.');
        }

        return name.Append(className).Append(suffix).ToString();
    }
}

/// <summary>
/// One layer with its options resolved to canonical Keras names and its input and output shapes inferred. The shape
/// and identity are required; an option left out has the value of a layer without it (no bias, no flags, linear).
/// </summary>
internal sealed record LayerSpec
{
    public required LayerKind Kind { get; init; }

    /// <summary>Position in the declaration, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The Keras default layer name: <c>lstm_1</c>, <c>bidirectional</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// For a bidirectional layer the wrapped layer's name (<c>lstm</c>, whose copies Keras calls <c>forward_lstm</c> and
    /// <c>backward_lstm</c>); for another recurrent layer, <see cref="Name"/>; empty for Dense and Dropout.
    /// </summary>
    public string InnerName { get; init; } = string.Empty;

    public required int Units { get; init; }

    public required int InputWidth { get; init; }

    public required bool InputIsSequence { get; init; }

    public required int OutputWidth { get; init; }

    public required bool OutputIsSequence { get; init; }

    public string Activation { get; init; } = "linear";

    public string? RecurrentActivation { get; init; }

    public bool UseBias { get; init; }

    public bool UnitForgetBias { get; init; }

    public bool ResetAfter { get; init; }

    public bool ReturnSequences { get; init; }

    public bool ReturnState { get; init; }

    public bool GoBackwards { get; init; }

    public bool Stateful { get; init; }

    public bool Bidirectional { get; init; }

    public MergeMode MergeMode { get; init; } = MergeMode.Concat;

    public string KernelInitializer { get; init; } = "zeros";

    public string RecurrentInitializer { get; init; } = "zeros";

    public string BiasInitializer { get; init; } = "zeros";

    public double DropoutRate { get; init; }

    public double RecurrentDropoutRate { get; init; }

    /// <summary>Keras <c>epsilon</c> of LayerNormalization and BatchNormalization, as the float the attribute holds.</summary>
    public float Epsilon { get; init; }

    /// <summary>Keras <c>center</c> (beta) of the normalization layers.</summary>
    public bool Center { get; init; } = true;

    /// <summary>Keras <c>scale</c> (gamma) of the normalization layers.</summary>
    public bool Scale { get; init; } = true;

    /// <summary>Keras Normalization <c>invert</c>: <c>mean + x * std</c> instead of <c>(x - mean) / std</c>.</summary>
    public bool Invert { get; init; }

    /// <summary>Keras BatchNormalization <c>momentum</c> (training only; kept so the declaration round-trips).</summary>
    public float Momentum { get; init; }

    /// <summary>Keras Rescaling <c>scale</c> and <c>offset</c>.</summary>
    public float RescalingScale { get; init; } = 1f;

    /// <inheritdoc cref="RescalingScale"/>
    public float RescalingOffset { get; init; }

    /// <summary>Keras Masking <c>mask_value</c>.</summary>
    public float MaskValue { get; init; }

    /// <summary>Keras Embedding <c>input_dim</c>: the rows of its table (its input width is 1, one token per timestep).</summary>
    public int EmbeddingInputDim { get; init; }

    /// <summary>Keras Embedding <c>mask_zero</c>: token 0 masks its timestep.</summary>
    public bool MaskZero { get; init; }

    /// <summary>Timesteps of the layer's input when it is a sequence: the model's, or fewer after a Conv1D or pooling layer.</summary>
    public int InputTimesteps { get; init; }

    /// <summary>Timesteps of the layer's output when it is a sequence: its input's, except for Conv1D and pooling (<see cref="RnnGen.Shared.TimeWindows"/>).</summary>
    public int OutputTimesteps { get; init; }

    /// <summary>Conv1D <c>kernel_size</c>, or the pooling layers' <c>pool_size</c>: the timesteps one window reads (before dilation).</summary>
    public int Window { get; init; } = 1;

    /// <summary>Keras <c>strides</c> of Conv1D and the pooling layers.</summary>
    public int Strides { get; init; } = 1;

    /// <summary>Keras Conv1D <c>dilation_rate</c> (1 for the pooling layers).</summary>
    public int DilationRate { get; init; } = 1;

    /// <summary>Keras Conv1D <c>groups</c>.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Keras <c>padding</c> of Conv1D and the pooling layers: <c>valid</c>, <c>same</c> or <c>causal</c>.</summary>
    public string Padding { get; init; } = RnnGen.Shared.TimeWindows.Valid;

    /// <summary>Conv1D, MaxPooling1D and AveragePooling1D: a window slid over the time axis.</summary>
    public bool IsTimeWindow => RnnGen.Shared.LayerShapes.IsTimeWindow(Kind);

    /// <summary>The window layers and Flatten, Reshape and RepeatVector: the output timesteps are not the input's.</summary>
    public bool ChangesTimeAxis => RnnGen.Shared.LayerShapes.ChangesTimeAxis(Kind);

    /// <summary>Padded timesteps before the first input of a Conv1D or pooling layer.</summary>
    public int PadBefore => RnnGen.Shared.TimeWindows.PadBefore(InputTimesteps, Window, Strides, DilationRate, Padding);

    /// <summary>The input width the layer's weight shapes are built from: an Embedding's <c>input_dim</c>, else <see cref="InputWidth"/>.</summary>
    public int WeightInputWidth => Kind == LayerKind.Embedding ? EmbeddingInputDim : InputWidth;

    public bool IsNormalization => RnnGen.Shared.LayerShapes.IsNormalization(Kind);

    /// <summary>Activation and Rescaling: the same function of every value, no weights.</summary>
    public bool IsElementwise => RnnGen.Shared.LayerShapes.IsElementwise(Kind);

    /// <summary>The layers whose row the model class writes as a <c>{Layer}Row(x, y)</c> method: normalization and elementwise.</summary>
    public bool HasRowMethod => IsNormalization || IsElementwise || Kind == LayerKind.Embedding;

    /// <summary>GlobalAveragePooling1D and GlobalMaxPooling1D: a sequence in, one row out, no weights.</summary>
    public bool IsGlobalPooling => RnnGen.Shared.LayerShapes.IsGlobalPooling(Kind);

    public bool IsRecurrent => Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;

    /// <summary>A layer other than a recurrent one that reads the mask (<see cref="RnnGen.Shared.LayerShapes.TakesMask"/>).</summary>
    public bool TakesMask => RnnGen.Shared.LayerShapes.TakesMask(Kind);

    /// <summary>Dense, the normalization and the elementwise layers: one row in, one row out, per timestep or per stream, with no state.</summary>
    public bool IsRowLayer => Kind == LayerKind.Dense || HasRowMethod;

    public int Directions => Bidirectional ? 2 : 1;

    public int GateCount => RnnGen.Shared.LayerShapes.GateCount(Kind);

    /// <summary>Keras class name as <c>model.summary()</c> shows it.</summary>
    public string KerasClassName => Bidirectional ? "Bidirectional" : RnnGen.Shared.LayerShapes.KerasClassName(Kind);
}
