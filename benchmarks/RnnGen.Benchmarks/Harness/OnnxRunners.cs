using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;
using RnnGen.Benchmarks.Baselines;

namespace RnnGen.Benchmarks.Harness;

/// <summary>
/// An ONNX Runtime session on the ONNX model of a generated model's weights (<see cref="OnnxExport"/>), with every
/// input and output bound once to pinned arrays (<see cref="OrtIoBinding"/>), the cheapest way through ORT's C# API:
/// a call copies nothing between managed and native memory and allocates no tensors.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue[] _values;

    /// <param name="model">The generated model whose weights the ONNX model gets.</param>
    /// <param name="timesteps">Timesteps per call: 1 for streaming.</param>
    /// <param name="batch">Sequences per call.</param>
    /// <param name="intraOpThreads">ORT's intra-op threads: 1, or 0 for ORT's default (one per physical core).</param>
    public OnnxSession(IRnnModel model, int timesteps, int batch, int intraOpThreads)
    {
        LayerInfo layer = model.Info.Layers[0];
        int directions = layer.Bidirectional ? 2 : 1;
        HasCellState = layer.Kind == LayerKind.Lstm;
        OutputLength = model.Info.Layers.Count > 1 ? model.Info.Layers[^1].Units : directions * layer.Units;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxExport.Build(model), options);
        Input = new float[timesteps * batch * layer.InputWidth];
        H0 = new float[directions * batch * layer.Units];
        C0 = new float[HasCellState ? H0.Length : 0];
        Output = new float[batch * OutputLength];
        H = new float[H0.Length];
        C = new float[C0.Length];
        long[] state = { directions, batch, layer.Units };
        _values = new[]
        {
            OrtValue.CreateTensorValueFromMemory(Input, new long[] { timesteps, batch, layer.InputWidth }),
            OrtValue.CreateTensorValueFromMemory(H0, state),
            OrtValue.CreateTensorValueFromMemory(Output, model.Info.Layers.Count > 1 ? new long[] { 1, batch, OutputLength } : new long[] { batch, OutputLength }),
            OrtValue.CreateTensorValueFromMemory(H, state),
            HasCellState ? OrtValue.CreateTensorValueFromMemory(C0, state) : null!,
            HasCellState ? OrtValue.CreateTensorValueFromMemory(C, state) : null!,
        };
        _binding = _session.CreateIoBinding();
        _binding.BindInput("x", _values[0]);
        _binding.BindInput("h0", _values[1]);
        _binding.BindOutput("y", _values[2]);
        _binding.BindOutput("h", _values[3]);
        if (HasCellState)
        {
            _binding.BindInput("c0", _values[4]);
            _binding.BindOutput("c", _values[5]);
        }
    }

    public bool HasCellState { get; }

    /// <summary>Floats of the model output per sequence.</summary>
    public int OutputLength { get; }

    /// <summary>x, time-major: [timesteps, batch, inputs].</summary>
    public float[] Input { get; }

    public float[] H0 { get; }

    public float[] C0 { get; }

    /// <summary>y: [batch, outputs].</summary>
    public float[] Output { get; }

    public float[] H { get; }

    public float[] C { get; }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value?.Dispose();
        }

        _session.Dispose();
        _runOptions.Dispose();
    }
}

/// <summary>
/// ONNX Runtime as a streaming model: one call per timestep with the state passed in and taken out (ONNX models are
/// stateless; the caller carries h and c from one call to the next).
/// </summary>
public sealed class OnnxStreamingRunner : StreamingRunner
{
    private readonly OnnxSession _session;
    private readonly float[] _signal;
    private readonly int _inputDim;

    public OnnxStreamingRunner(IRnnModel model, int intraOpThreads)
    {
        _session = new OnnxSession(model, timesteps: 1, batch: 1, intraOpThreads);
        _inputDim = model.Info.InputDim;
        _signal = Signal(_inputDim);
    }

    public override void ResetStates()
    {
        Array.Clear(_session.H0);
        Array.Clear(_session.C0);
    }

    protected override float StepAt(int index)
    {
        _signal.AsSpan(index * _inputDim, _inputDim).CopyTo(_session.Input);
        _session.Run();
        _session.H.CopyTo(_session.H0, 0);
        _session.C.CopyTo(_session.C0, 0);
        return _session.Output[0];
    }
}

/// <summary>ONNX Runtime on a whole batch of sequences in one call, from zero states.</summary>
public sealed class OnnxSequenceRunner : SequenceRunner
{
    private readonly OnnxSession _session;

    public OnnxSequenceRunner(IRnnModel model, int batch, int intraOpThreads)
        : base(batch, model.Info.Timesteps, model.Info.InputDim)
    {
        _session = new OnnxSession(model, model.Info.Timesteps, batch, intraOpThreads);

        // The same batch as every runner, moved once into ONNX's time-major layout (not part of the timed call).
        float[] inputs = Inputs(batch, Timesteps, InputDim);
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < Timesteps; t++)
            {
                inputs.AsSpan((b * Timesteps + t) * InputDim, InputDim).CopyTo(_session.Input.AsSpan((t * batch + b) * InputDim));
            }
        }
    }

    public override void Run() => _session.Run();

    public override float[] Outputs() => (float[])_session.Output.Clone();
}

/// <summary>
/// An ONNX model with named inputs and one output <c>y</c>, all bound once to managed arrays (IO binding, as
/// <see cref="OnnxSession"/>), so a timed <see cref="Run"/> copies nothing and allocates nothing on the managed side.
/// </summary>
public sealed class OnnxPipelineSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _values = new();

    /// <param name="model">The ONNX model bytes.</param>
    /// <param name="intraOpThreads">ORT's intra-op threads: 1, or 0 for ORT's default (one per physical core).</param>
    /// <param name="output">The array <c>y</c> is written to, and its shape.</param>
    /// <param name="inputs">Each input's name, array (float, int or long) and shape.</param>
    public OnnxPipelineSession(byte[] model, int intraOpThreads, (float[] Data, long[] Shape) output, params (string Name, Array Data, long[] Shape)[] inputs)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _binding = _session.CreateIoBinding();
        foreach ((string name, Array data, long[] shape) in inputs)
        {
            OrtValue value = data switch
            {
                float[] floats => OrtValue.CreateTensorValueFromMemory(floats, shape),
                long[] longs => OrtValue.CreateTensorValueFromMemory(longs, shape),
                int[] ints => OrtValue.CreateTensorValueFromMemory(ints, shape),
                _ => throw new ArgumentException($"Input {name}: {data.GetType()} is not a float, long or int array."),
            };
            _values.Add(value);
            _binding.BindInput(name, value);
        }

        OrtValue y = OrtValue.CreateTensorValueFromMemory(output.Data, output.Shape);
        _values.Add(y);
        _binding.BindOutput("y", y);
    }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }

        _session.Dispose();
        _runOptions.Dispose();
    }
}
