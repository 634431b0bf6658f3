using System;
using System.Collections.Generic;

namespace RnnGen.Benchmarks.Baselines;

// The two models of issue 13's ONNX Runtime comparison, each built from the generated model's own weights:
// the text model (Embedding with mask_zero -> Bidirectional LSTM -> Dense) and the signal model (Conv1D -> MaxPooling1D
// -> LSTM -> Dense).
public static partial class OnnxExport
{
    /// <summary>
    /// Embedding -> Bidirectional(LSTM) (concat, last output) -> Dense. Inputs: <c>tokens</c> int64 [batch, timesteps]
    /// and <c>lengths</c> int32 [batch]; output <c>y</c> [batch, outputs]. Keras's mask_zero with the padding after each
    /// sequence is ONNX's <c>sequence_lens</c>: the forward direction stops after the last valid timestep, the reverse
    /// one starts from it (onnx/docs/Operators.md, LSTM), as Keras's masked Bidirectional reads the valid part.
    /// </summary>
    public static byte[] BuildTextModel(IRnnModel model)
    {
        ModelInfo info = model.Info;
        float[][] weights = model.GetWeights();
        if (info.Layers.Count != 3 || info.Layers[0].Kind != LayerKind.Embedding || !info.Layers[0].MaskZero
            || info.Layers[1].Kind != LayerKind.Lstm || !info.Layers[1].Bidirectional || info.Layers[1].MergeMode != MergeMode.Concat
            || info.Layers[1].ReturnSequences || info.Layers[2].Kind != LayerKind.Dense || info.Layers[2].Activation != "linear")
        {
            throw new NotSupportedException($"{info.Name}: the text-model export covers Embedding(mask_zero) -> Bidirectional(LSTM, concat) -> Dense (linear).");
        }

        LayerInfo embedding = info.Layers[0], recurrent = info.Layers[1], dense = info.Layers[2];
        int units = recurrent.Units;
        (_, int gates, float[] w, float[] r, float[] b) = RecurrentTensors(recurrent, weights, 1);
        var graph = new ProtoWriter();
        graph.Message(1, Node("Gather", new[] { "embeddings", "tokens" }, new[] { "rows" }, new List<byte[]>()));
        graph.Message(1, Node("Transpose", new[] { "rows" }, new[] { "x" }, new List<byte[]> { Attribute("perm", new long[] { 1, 0, 2 }) }));
        graph.Message(1, Node("LSTM", new[] { "x", "W", "R", "B", "lengths" }, new[] { string.Empty, "h" },
            new List<byte[]> { Attribute("hidden_size", units), Attribute("direction", "bidirectional") }));
        // [2, batch, units] -> [batch, 2 x units]: each sequence's forward state, then its backward one (Keras's concat).
        graph.Message(1, Node("Transpose", new[] { "h" }, new[] { "h_batch_major" }, new List<byte[]> { Attribute("perm", new long[] { 1, 0, 2 }) }));
        graph.Message(1, Node("Reshape", new[] { "h_batch_major", "merged_shape" }, new[] { "merged" }, new List<byte[]>()));
        AddDense(graph, "merged", "y");
        graph.String(2, info.Name);
        graph.Message(5, Tensor("embeddings", new long[] { embedding.Weights[0].Length / embedding.OutputWidth, embedding.OutputWidth }, weights[0]));
        graph.Message(5, Tensor("W", new long[] { 2, gates * units, recurrent.InputWidth }, w));
        graph.Message(5, Tensor("R", new long[] { 2, gates * units, units }, r));
        graph.Message(5, Tensor("B", new long[] { 2, 2 * gates * units }, b));
        graph.Message(5, Int64Tensor("merged_shape", new long[] { 0, -1 }));
        graph.Message(5, Tensor("dense_kernel", new long[] { 2 * units, dense.Units }, weights[7])); // after the embeddings and two directions of three arrays
        graph.Message(5, Tensor("dense_bias", new long[] { dense.Units }, weights[8]));
        graph.Message(11, TypedValueInfo("tokens", 7, "batch", info.Timesteps));
        graph.Message(11, TypedValueInfo("lengths", 6, "batch"));
        graph.Message(12, ValueInfo("y", "batch", dense.Units));
        return ModelBytes(graph);
    }

    /// <summary>
    /// Conv1D (channels last, any padding Keras's TimeWindows rule gives, strides, dilation, groups; relu, tanh or
    /// linear) -> MaxPooling1D (valid) -> LSTM (last output) -> Dense. Input <c>x</c> float [batch, timesteps, inputs]
    /// (Keras's layout); output <c>y</c> [1, batch, outputs].
    /// </summary>
    public static byte[] BuildSignalModel(IRnnModel model)
    {
        ModelInfo info = model.Info;
        float[][] weights = model.GetWeights();
        if (info.Layers.Count != 4 || info.Layers[0].Kind != LayerKind.Conv1D || !info.Layers[0].UseBias
            || info.Layers[1].Kind != LayerKind.MaxPooling1D || info.Layers[1].Padding != "valid"
            || info.Layers[2].Kind != LayerKind.Lstm || info.Layers[2].Bidirectional || info.Layers[2].ReturnSequences
            || info.Layers[2].Activation != "tanh" || info.Layers[2].RecurrentActivation != "sigmoid" || !info.Layers[2].UseBias
            || info.Layers[3].Kind != LayerKind.Dense || info.Layers[3].Activation != "linear"
            || info.Layers[0].Activation is not ("relu" or "tanh" or "linear"))
        {
            throw new NotSupportedException($"{info.Name}: the signal-model export covers Conv1D (relu, tanh or linear) -> MaxPooling1D (valid) -> LSTM -> Dense (linear).");
        }

        LayerInfo conv = info.Layers[0], pool = info.Layers[1], recurrent = info.Layers[2], dense = info.Layers[3];
        int filters = conv.OutputWidth, channels = conv.InputWidth / conv.Groups, kernel = conv.KernelSize;
        // Keras's kernel [kernel_size, channels / groups, filters] to ONNX's [filters, channels / groups, kernel_size].
        var convWeight = new float[filters * channels * kernel];
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int k = 0; k < kernel; k++)
                {
                    convWeight[(f * channels + c) * kernel + k] = weights[0][(k * channels + c) * filters + f];
                }
            }
        }

        long span = (long)conv.DilationRate * (kernel - 1) + 1;
        long totalPad = Math.Max((long)(conv.OutputTimesteps - 1) * conv.Strides + span - conv.InputTimesteps, 0);
        var convAttributes = new List<byte[]>
        {
            Attribute("kernel_shape", new long[] { kernel }),
            Attribute("strides", new long[] { conv.Strides }),
            Attribute("dilations", new long[] { conv.DilationRate }),
            Attribute("group", conv.Groups),
            Attribute("pads", new long[] { conv.PadBefore, totalPad - conv.PadBefore }),
        };
        int units = recurrent.Units;
        (_, int gates, float[] w, float[] r, float[] b) = RecurrentTensors(recurrent, weights, 2);
        var graph = new ProtoWriter();
        graph.Message(1, Node("Transpose", new[] { "x" }, new[] { "x_channels_first" }, new List<byte[]> { Attribute("perm", new long[] { 0, 2, 1 }) }));
        string convolved = conv.Activation == "linear" ? "activated" : "convolved";
        graph.Message(1, Node("Conv", new[] { "x_channels_first", "conv_weight", "conv_bias" }, new[] { convolved }, convAttributes));
        if (conv.Activation != "linear")
        {
            graph.Message(1, Node(conv.Activation == "relu" ? "Relu" : "Tanh", new[] { "convolved" }, new[] { "activated" }, new List<byte[]>()));
        }

        graph.Message(1, Node("MaxPool", new[] { "activated" }, new[] { "pooled" },
            new List<byte[]> { Attribute("kernel_shape", new long[] { pool.PoolSize }), Attribute("strides", new long[] { pool.Strides }) }));
        graph.Message(1, Node("Transpose", new[] { "pooled" }, new[] { "sequence" }, new List<byte[]> { Attribute("perm", new long[] { 2, 0, 1 }) }));
        graph.Message(1, Node("LSTM", new[] { "sequence", "W", "R", "B" }, new[] { string.Empty, "h" }, new List<byte[]> { Attribute("hidden_size", units) }));
        AddDense(graph, "h", "y");
        graph.String(2, info.Name);
        graph.Message(5, Tensor("conv_weight", new long[] { filters, channels, kernel }, convWeight));
        graph.Message(5, Tensor("conv_bias", new long[] { filters }, weights[1]));
        graph.Message(5, Tensor("W", new long[] { 1, gates * units, recurrent.InputWidth }, w));
        graph.Message(5, Tensor("R", new long[] { 1, gates * units, units }, r));
        graph.Message(5, Tensor("B", new long[] { 1, 2 * gates * units }, b));
        graph.Message(5, Tensor("dense_kernel", new long[] { units, dense.Units }, weights[5]));
        graph.Message(5, Tensor("dense_bias", new long[] { dense.Units }, weights[6]));
        graph.Message(11, ValueInfo("x", "batch", info.Timesteps, info.InputDim));
        graph.Message(12, ValueInfo("y", 1, "batch", dense.Units));
        return ModelBytes(graph);
    }

    // input · dense_kernel + dense_bias into `output`.
    private static void AddDense(ProtoWriter graph, string input, string output)
    {
        graph.Message(1, Node("MatMul", new[] { input, "dense_kernel" }, new[] { "dense_product" }, new List<byte[]>()));
        graph.Message(1, Node("Add", new[] { "dense_product", "dense_bias" }, new[] { output }, new List<byte[]>()));
    }

    // ModelProto: ir_version 8, opset 17, the graph.
    private static byte[] ModelBytes(ProtoWriter graph)
    {
        var onnx = new ProtoWriter();
        onnx.Int(1, 8);
        onnx.String(2, "RnnGen.Benchmarks");
        var opset = new ProtoWriter();
        opset.String(1, string.Empty);
        opset.Int(2, 17);
        onnx.Message(8, opset.ToArray());
        onnx.Message(7, graph.ToArray());
        return onnx.ToArray();
    }
}
