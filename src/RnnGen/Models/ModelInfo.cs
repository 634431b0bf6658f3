using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen;

/// <summary>
/// What a generated model declares: input shape, layers in order, weight arrays in Keras <c>model.get_weights()</c>
/// order, and outputs in Keras call order. Each generated class exposes one as <c>static ModelInfo Info</c>.
/// </summary>
public sealed class ModelInfo
{
    /// <summary>Creates a model description.</summary>
    public ModelInfo(string name, int timesteps, int inputDim, IReadOnlyList<LayerInfo> layers, IReadOnlyList<OutputInfo> outputs)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Timesteps = timesteps;
        InputDim = inputDim;
        Layers = layers ?? throw new ArgumentNullException(nameof(layers));
        Outputs = outputs ?? throw new ArgumentNullException(nameof(outputs));
        Weights = layers.SelectMany(l => l.Weights).ToArray();
        ParameterCount = Weights.Sum(w => (long)w.Length);
    }

    /// <summary>The C# class name of the model.</summary>
    public string Name { get; }

    /// <summary>Timesteps of the input sequence.</summary>
    public int Timesteps { get; }

    /// <summary>Features per timestep of the input.</summary>
    public int InputDim { get; }

    /// <summary>Floats in one input sequence: <c>Timesteps * InputDim</c>.</summary>
    public int InputLength => Timesteps * InputDim;

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>All weight arrays in Keras <c>model.get_weights()</c> order.</summary>
    public IReadOnlyList<WeightShape> Weights { get; }

    /// <summary>The outputs of a call, in Keras order (<c>[output, h, c]</c>, ...), each without the batch axis.</summary>
    public IReadOnlyList<OutputInfo> Outputs { get; }

    /// <summary>Total trainable parameters (Keras <c>count_params()</c>).</summary>
    public long ParameterCount { get; }
}

/// <summary>One output of a model call: its Keras role and its shape without the batch axis.</summary>
public sealed class OutputInfo
{
    /// <summary>Creates an output description.</summary>
    public OutputInfo(string name, params int[] dimensions)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Dimensions = (int[])dimensions.Clone();
        Length = dimensions.Aggregate(1, (a, b) => checked(a * b));
    }

    /// <summary>The role: <c>output</c>, <c>output_forward</c>, <c>output_backward</c>, <c>state_h</c>, <c>state_c</c>,
    /// <c>forward_h</c>, <c>forward_c</c>, <c>backward_h</c> or <c>backward_c</c>.</summary>
    public string Name { get; }

    /// <summary>Shape without the batch axis.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Floats per batch row.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public override string ToString() => Name + " (None, " + string.Join(", ", Dimensions) + ")";
}
