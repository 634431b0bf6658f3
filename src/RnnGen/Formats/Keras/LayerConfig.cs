using System;
using System.Collections.Generic;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

/// <summary>One layer of a model configuration, as far as RnnGen cares.</summary>
internal sealed class LayerConfig
{
    public string Name { get; set; } = "";

    public string ClassName { get; set; } = "";

    public LayerKind? Kind { get; set; }

    public bool IsInput { get; set; }

    public bool Bidirectional { get; set; }

    public MergeMode MergeMode { get; set; }

    public int Units { get; set; }

    public string? FileActivation { get; set; }

    public string? Activation { get; set; }

    public string? FileRecurrentActivation { get; set; }

    public string? RecurrentActivation { get; set; }

    public bool UseBias { get; set; } = true;

    public bool UnitForgetBias { get; set; } = true;

    public bool ResetAfter { get; set; }

    public bool ReturnSequences { get; set; }

    public bool ReturnState { get; set; }

    public bool GoBackwards { get; set; }

    public bool Stateful { get; set; }

    public double DropoutRate { get; set; }

    public double RecurrentDropoutRate { get; set; }

    public string? Note { get; set; }

    public double Epsilon { get; set; }

    public bool Center { get; set; } = true;

    public bool Scale { get; set; } = true;

    public double Momentum { get; set; }

    /// <summary>Keras Normalization <c>invert</c>.</summary>
    public bool Invert { get; set; }

    public double RescalingScale { get; set; } = 1;

    public double RescalingOffset { get; set; }

    public double MaskValue { get; set; }

    public int EmbeddingInputDim { get; set; }

    public bool MaskZero { get; set; }

    /// <summary>A positive <c>axis</c> of a normalization layer, resolved once the input rank is known (-1: the last).</summary>
    public int NormalizationAxis { get; set; } = -1;

    /// <summary>The layer's <c>config</c> object as the file has it (cloned, so it outlives the parsed document).</summary>
    public JsonElement? Config { get; set; }

    public int KernelSize { get; set; }

    public int[]? TargetShape { get; set; }

    public int RepeatCount { get; set; }

    public int PoolSize { get; set; }

    public int Strides { get; set; } = 1;

    public string Padding { get; set; } = Shared.TimeWindows.Valid;

    public int DilationRate { get; set; } = 1;

    public int Groups { get; set; } = 1;

    public KerasFileLayer ToPublic(IReadOnlyList<WeightShape> weights) => new(Name, ClassName)
    {
        KernelSize = KernelSize,
        TargetShape = TargetShape,
        RepeatCount = RepeatCount,
        PoolSize = PoolSize,
        Strides = Strides,
        Padding = Padding,
        DilationRate = DilationRate,
        Groups = Groups,
        Config = Config,
        Epsilon = Epsilon,
        Center = Center,
        Scale = Scale,
        Momentum = Momentum,
        Invert = Invert,
        RescalingScale = RescalingScale,
        RescalingOffset = RescalingOffset,
        MaskValue = MaskValue,
        EmbeddingInputDim = EmbeddingInputDim,
        MaskZero = MaskZero,
        Kind = Kind,
        HasConfig = true,
        Units = Units,
        Activation = Activation,
        FileActivation = FileActivation,
        RecurrentActivation = RecurrentActivation,
        FileRecurrentActivation = FileRecurrentActivation,
        UseBias = UseBias,
        UnitForgetBias = UnitForgetBias,
        ResetAfter = ResetAfter,
        ReturnSequences = ReturnSequences,
        ReturnState = ReturnState,
        GoBackwards = GoBackwards,
        Stateful = Stateful,
        Bidirectional = Bidirectional,
        MergeMode = MergeMode,
        DropoutRate = DropoutRate,
        RecurrentDropoutRate = RecurrentDropoutRate,
        Weights = weights,
        Note = Note,
    };
}
