using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>
/// Writes the ONNX model of a generated model's weights, for the ONNX Runtime baseline: one recurrent layer (ONNX
/// RNN, LSTM or GRU, forward or bidirectional) and optionally a Dense head (MatMul + Add). Built here, from the same
/// weights as the generated model, rather than exported from Keras: no ONNX converter runs on this machine, and this
/// way the ONNX model cannot drift from the weights the comparison times.
/// </summary>
/// <remarks>
/// Graph inputs: <c>x</c> [timesteps, batch, inputs] (the ONNX time-major layout), <c>h0</c> (and <c>c0</c> for an
/// LSTM) [directions, batch, units]. Outputs: <c>y</c> (the model output: the Dense head's [1, batch, outputs], or the
/// last state [batch, directions x units]), <c>h</c> (and <c>c</c>) [directions, batch, units], the states to pass
/// back in for the next call. Keras to ONNX (onnx/docs/Operators.md, keras/src/layers/rnn/lstm.py and gru.py): Keras
/// kernels are [inputs, gates x units] with the LSTM gates in the order i, f, c, o and the GRU gates z, r, h; ONNX wants
/// W [directions, gates x units, inputs] (transposed), R likewise, and the LSTM gates in the order i, o, f, c. Keras has
/// one LSTM bias (ONNX's recurrent bias Rb is zero); a GRU with reset_after=True has an input and a recurrent bias,
/// which is ONNX's linear_before_reset=1.
/// </remarks>
public static partial class OnnxExport
{
    /// <summary>The ONNX model bytes of <paramref name="model"/> (one recurrent layer, optionally then one Dense layer).</summary>
    public static byte[] Build(IRnnModel model)
    {
        ModelInfo info = model.Info;
        float[][] weights = model.GetWeights();
        LayerInfo recurrent = info.Layers[0];
        LayerInfo? dense = info.Layers.Count > 1 ? info.Layers[1] : null;
        if (info.Layers.Count > 2 || recurrent.Kind == LayerKind.Dense || dense is not null && dense.Kind != LayerKind.Dense
            || recurrent.ReturnSequences || recurrent.GoBackwards || recurrent.Activation != "tanh"
            || recurrent.Kind != LayerKind.SimpleRnn && recurrent.RecurrentActivation != "sigmoid"
            || recurrent.Kind == LayerKind.Gru && !recurrent.ResetAfter || !recurrent.UseBias
            || dense is not null && (dense.Activation != "linear" || recurrent.Bidirectional))
        {
            throw new NotSupportedException($"{info.Name}: the ONNX export covers one forward or bidirectional SimpleRNN/LSTM/GRU (tanh, sigmoid gates, " +
                "GRU reset_after=True, with bias) returning its last output, optionally under one linear Dense layer.");
        }

        int units = recurrent.Units, inputs = recurrent.InputWidth, directions = recurrent.Bidirectional ? 2 : 1;
        (string op, int gates, float[] w, float[] r, float[] b) = RecurrentTensors(recurrent, weights, 0);

        var graph = new ProtoWriter();
        var attributes = new List<byte[]> { Attribute("hidden_size", units) };
        if (recurrent.Kind == LayerKind.Gru)
        {
            attributes.Add(Attribute("linear_before_reset", 1));
        }

        if (directions == 2)
        {
            attributes.Add(Attribute("direction", "bidirectional"));
        }

        bool lstm = recurrent.Kind == LayerKind.Lstm;
        string[] nodeInputs = lstm ? new[] { "x", "W", "R", "B", string.Empty, "h0", "c0" } : new[] { "x", "W", "R", "B", string.Empty, "h0" };
        string[] nodeOutputs = lstm ? new[] { string.Empty, "h", "c" } : new[] { string.Empty, "h" };
        graph.Message(1, Node(op, nodeInputs, nodeOutputs, attributes));
        if (dense is not null)
        {
            AddDense(graph, "h", "y"); // h [1, batch, units] x kernel [units, outputs] + bias: [1, batch, outputs]
        }
        else
        {
            // Keras's last output: [batch, directions x units], each sequence's forward state then its backward one.
            graph.Message(1, Node("Transpose", new[] { "h" }, new[] { "h_batch_major" }, new List<byte[]> { Attribute("perm", new long[] { 1, 0, 2 }) }));
            graph.Message(1, Node("Reshape", new[] { "h_batch_major", "y_shape" }, new[] { "y" }, new List<byte[]>()));
        }

        graph.String(2, info.Name);
        graph.Message(5, Tensor("W", new long[] { directions, gates * units, inputs }, w));
        graph.Message(5, Tensor("R", new long[] { directions, gates * units, units }, r));
        graph.Message(5, Tensor("B", new long[] { directions, 2 * gates * units }, b));
        if (dense is not null)
        {
            graph.Message(5, Tensor("dense_kernel", new long[] { units, dense.Units }, weights[3]));
            graph.Message(5, Tensor("dense_bias", new long[] { dense.Units }, weights[4]));
        }
        else
        {
            graph.Message(5, Int64Tensor("y_shape", new long[] { 0, -1 })); // 0 keeps the batch dimension
        }

        graph.Message(11, ValueInfo("x", "timesteps", "batch", inputs));
        graph.Message(11, ValueInfo("h0", directions, "batch", units));
        if (lstm)
        {
            graph.Message(11, ValueInfo("c0", directions, "batch", units));
        }

        graph.Message(12, dense is not null ? ValueInfo("y", 1, "batch", dense.Units) : ValueInfo("y", "batch", directions * units));
        graph.Message(12, ValueInfo("h", directions, "batch", units));
        if (lstm)
        {
            graph.Message(12, ValueInfo("c", directions, "batch", units));
        }

        return ModelBytes(graph);
    }

    // The ONNX operator and W, R, B of the recurrent layer whose Keras arrays start at weights[first] (kernel, recurrent
    // kernel, bias per direction).
    private static (string Op, int Gates, float[] W, float[] R, float[] B) RecurrentTensors(LayerInfo recurrent, float[][] weights, int first)
    {
        int units = recurrent.Units, inputs = recurrent.InputWidth, directions = recurrent.Bidirectional ? 2 : 1;
        (string op, int[] gateOrder) = recurrent.Kind switch
        {
            LayerKind.SimpleRnn => ("RNN", new[] { 0 }),
            LayerKind.Lstm => ("LSTM", new[] { 0, 3, 1, 2 }), // ONNX i, o, f, c from Keras i, f, c, o
            _ => ("GRU", new[] { 0, 1, 2 }), // z, r, h in both
        };
        int gates = gateOrder.Length;
        var w = new float[directions * gates * units * inputs];
        var r = new float[directions * gates * units * units];
        var b = new float[directions * 2 * gates * units];
        for (int d = 0; d < directions; d++)
        {
            float[] kernel = weights[first + 3 * d], recurrentKernel = weights[first + 3 * d + 1], bias = weights[first + 3 * d + 2];
            for (int g = 0; g < gates; g++)
            {
                int keras = gateOrder[g];
                for (int u = 0; u < units; u++)
                {
                    int row = (d * gates + g) * units + u, column = keras * units + u;
                    for (int i = 0; i < inputs; i++)
                    {
                        w[row * inputs + i] = kernel[i * gates * units + column];
                    }

                    for (int j = 0; j < units; j++)
                    {
                        r[row * units + j] = recurrentKernel[j * gates * units + column];
                    }

                    // B = [Wb, Rb] per direction; a GRU with reset_after=True stores [input bias; recurrent bias].
                    int biasBase = d * 2 * gates * units + g * units + u;
                    b[biasBase] = bias[column];
                    b[biasBase + gates * units] = recurrent.Kind == LayerKind.Gru ? bias[gates * units + column] : 0f;
                }
            }
        }

        return (op, gates, w, r, b);
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, List<byte[]> attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        foreach (string output in outputs)
        {
            node.String(2, output);
        }

        node.String(4, op);
        foreach (byte[] attribute in attributes)
        {
            node.Message(5, attribute);
        }

        return node.ToArray();
    }

    // AttributeProto: name = 1, i = 3, s = 4, ints = 8, type = 20 (INT = 2, STRING = 3, INTS = 7).
    private static byte[] Attribute(string name, long value)
    {
        var attribute = new ProtoWriter();
        attribute.String(1, name);
        attribute.Int(3, value);
        attribute.Int(20, 2);
        return attribute.ToArray();
    }

    private static byte[] Attribute(string name, string value)
    {
        var attribute = new ProtoWriter();
        attribute.String(1, name);
        attribute.String(4, value);
        attribute.Int(20, 3);
        return attribute.ToArray();
    }

    private static byte[] Attribute(string name, long[] values)
    {
        var attribute = new ProtoWriter();
        attribute.String(1, name);
        foreach (long value in values)
        {
            attribute.Int(8, value);
        }

        attribute.Int(20, 7);
        return attribute.ToArray();
    }

    // TensorProto: dims = 1, data_type = 2 (FLOAT = 1, INT64 = 7), name = 8, raw_data = 9 (little-endian).
    private static byte[] Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        tensor.Int(2, 1);
        tensor.String(8, name);
        byte[] raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.Bytes(9, raw);
        return tensor.ToArray();
    }

    private static byte[] Int64Tensor(string name, long[] values)
    {
        var tensor = new ProtoWriter();
        tensor.Int(1, values.Length);
        tensor.Int(2, 7);
        tensor.String(8, name);
        byte[] raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.Bytes(9, raw);
        return tensor.ToArray();
    }

    // ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1; Tensor: elem_type = 1, shape = 2;
    // TensorShapeProto.dim = 1; Dimension: dim_value = 1, dim_param = 2. A string names a free dimension.
    private static byte[] ValueInfo(string name, params object[] dimensions) => TypedValueInfo(name, 1, dimensions);

    // The same for another element type (TensorProto.DataType: FLOAT = 1, INT32 = 6, INT64 = 7).
    private static byte[] TypedValueInfo(string name, int elementType, params object[] dimensions)
    {
        var shape = new ProtoWriter();
        foreach (object dimension in dimensions)
        {
            var dim = new ProtoWriter();
            if (dimension is string parameter)
            {
                dim.String(2, parameter);
            }
            else
            {
                dim.Int(1, Convert.ToInt64(dimension, System.Globalization.CultureInfo.InvariantCulture));
            }

            shape.Message(1, dim.ToArray());
        }

        var tensorType = new ProtoWriter();
        tensorType.Int(1, elementType);
        tensorType.Message(2, shape.ToArray());
        var type = new ProtoWriter();
        type.Message(1, tensorType.ToArray());
        var valueInfo = new ProtoWriter();
        valueInfo.String(1, name);
        valueInfo.Message(2, type.ToArray());
        return valueInfo.ToArray();
    }

    /// <summary>The few protobuf wire-format writes an ONNX model needs: varints and length-delimited fields.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Int(int field, long value)
        {
            Varint((ulong)field << 3); // wire type 0: varint
            Varint((ulong)value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] message) => Bytes(field, message);

        public void Bytes(int field, byte[] value)
        {
            Varint(((ulong)field << 3) | 2); // wire type 2: length-delimited
            Varint((ulong)value.Length);
            _stream.Write(value);
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
