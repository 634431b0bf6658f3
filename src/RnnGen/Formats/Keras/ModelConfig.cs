using System;
using System.Collections.Generic;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

/// <summary>The parts of a model configuration RnnGen checks: layers in order and the input shape.</summary>
internal sealed class ModelConfig
{
    public string ClassName { get; set; } = "";

    /// <summary>Layers in model order, input layers excluded.</summary>
    public List<LayerConfig> Layers { get; } = new();

    /// <summary>The names of the input layers (a functional model's <c>InputLayer</c> entries).</summary>
    public HashSet<string> InputNames { get; } = new(StringComparer.Ordinal);

    public int? Timesteps { get; set; }

    public int? InputDim { get; set; }

    /// <summary>Whether a (batch, timesteps, features) input shape was found, so that a null <see cref="Timesteps"/> is Keras's None.</summary>
    public bool InputShapeStated { get; set; }

    /// <summary>Where a functional model stops being one chain of layers (<see cref="FunctionalGraph"/>), or null.</summary>
    public string? GraphProblem { get; set; }

    /// <summary>A functional model's wiring when it is a graph (<see cref="GraphProblem"/> set), for a [Graph] declaration.</summary>
    public FunctionalGraph.Layout? Graph { get; set; }

    public List<string> Notes { get; } = new();
}
