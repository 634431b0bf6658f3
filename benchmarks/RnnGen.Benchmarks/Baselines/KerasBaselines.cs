using System;
using System.Collections.Generic;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>Which hand-written implementation to build.</summary>
public enum BaselineKind
{
    /// <summary>Plain scalar loops (<see cref="NaiveCells"/>).</summary>
    Naive,

    /// <summary>System.Numerics.Tensors.TensorPrimitives (<see cref="TensorPrimitivesCells"/>).</summary>
    TensorPrimitives,
}

/// <summary>
/// Builds the dynamic baselines from a generated model's declaration (<see cref="IRnnModel.Info"/>) and weights
/// (<see cref="IRnnModel.GetWeights"/>, Keras get_weights() order and layout), so that the generated model and both
/// baselines compute one function on one set of numbers.
/// </summary>
public static class KerasBaselines
{
    /// <summary>
    /// The TensorPrimitives baseline's matrix-vector layout: the faster of the two a developer would try, measured by
    /// <see cref="Benchmarks.TensorPrimitivesLayoutBenchmarks"/> (docs/performance.md, "Choosing the TensorPrimitives
    /// baseline").
    /// </summary>
    public const MatVecLayout TensorPrimitivesLayout = MatVecLayout.AxpyRows;

    /// <summary>A whole-sequence baseline for a one-layer model (optionally Bidirectional, return_sequences=False).</summary>
    public static DynamicSequenceModel Sequence(IRnnModel model, BaselineKind kind, MatVecLayout layout = TensorPrimitivesLayout)
    {
        IReadOnlyList<LayerInfo> layers = model.Info.Layers;
        if (layers.Count != 1 || !layers[0].IsRecurrent || layers[0].ReturnSequences || layers[0].GoBackwards)
        {
            throw new NotSupportedException($"{model.Info.Name}: the sequence baselines cover one recurrent layer with return_sequences=False.");
        }

        LayerInfo layer = layers[0];
        float[][] weights = model.GetWeights();
        RecurrentCell forward = Cell(kind, layer, weights, 0, layout);
        RecurrentCell? backward = layer.Bidirectional ? Cell(kind, layer, weights, 3, layout) : null;
        if (layer.Bidirectional && layer.MergeMode != MergeMode.Concat)
        {
            throw new NotSupportedException($"{model.Info.Name}: the Bidirectional baseline implements merge_mode='concat' only.");
        }

        return new DynamicSequenceModel(forward, backward);
    }

    /// <summary>A streaming baseline for a model of one causal recurrent layer and a linear Dense head.</summary>
    public static DynamicStreamingModel Streaming(IRnnModel model, BaselineKind kind, MatVecLayout layout = TensorPrimitivesLayout)
    {
        IReadOnlyList<LayerInfo> layers = model.Info.Layers;
        if (layers.Count != 2 || !layers[0].IsRecurrent || layers[0].Bidirectional || layers[0].GoBackwards
            || layers[1].Kind != LayerKind.Dense || layers[1].Activation != "linear")
        {
            throw new NotSupportedException($"{model.Info.Name}: the streaming baselines cover a causal recurrent layer followed by a linear Dense layer.");
        }

        float[][] weights = model.GetWeights();
        RecurrentCell cell = Cell(kind, layers[0], weights, 0, layout);
        LayerInfo dense = layers[1];
        DenseHead head = kind == BaselineKind.Naive
            ? NaiveCells.Dense(dense.InputWidth, dense.Units, weights[3], weights[4])
            : TensorPrimitivesCells.Dense(dense.InputWidth, dense.Units, weights[3], weights[4], layout);
        return new DynamicStreamingModel(cell, head);
    }

    private static RecurrentCell Cell(BaselineKind kind, LayerInfo layer, float[][] weights, int first, MatVecLayout layout)
    {
        if (!layer.UseBias || layer.Activation != "tanh" || (layer.Kind != LayerKind.SimpleRnn && layer.RecurrentActivation != "sigmoid")
            || (layer.Kind == LayerKind.Gru && !layer.ResetAfter))
        {
            throw new NotSupportedException($"{layer}: the baselines implement the Keras defaults only (tanh, sigmoid, use_bias, GRU reset_after=True).");
        }

        int inputDim = layer.InputWidth, units = layer.Units;
        float[] kernel = weights[first], recurrentKernel = weights[first + 1], bias = weights[first + 2];
        return (kind, layer.Kind) switch
        {
            (BaselineKind.Naive, LayerKind.Lstm) => NaiveCells.Lstm(inputDim, units, kernel, recurrentKernel, bias),
            (BaselineKind.Naive, LayerKind.Gru) => NaiveCells.Gru(inputDim, units, kernel, recurrentKernel, bias),
            (BaselineKind.Naive, LayerKind.SimpleRnn) => NaiveCells.SimpleRnn(inputDim, units, kernel, recurrentKernel, bias),
            (BaselineKind.TensorPrimitives, LayerKind.Lstm) => TensorPrimitivesCells.Lstm(inputDim, units, kernel, recurrentKernel, bias, layout),
            (BaselineKind.TensorPrimitives, LayerKind.Gru) => TensorPrimitivesCells.Gru(inputDim, units, kernel, recurrentKernel, bias, layout),
            (BaselineKind.TensorPrimitives, LayerKind.SimpleRnn) => TensorPrimitivesCells.SimpleRnn(inputDim, units, kernel, recurrentKernel, bias, layout),
            _ => throw new NotSupportedException(layer.ToString()),
        };
    }
}
