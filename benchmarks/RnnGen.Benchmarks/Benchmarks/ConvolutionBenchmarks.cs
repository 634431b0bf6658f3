using System;
using BenchmarkDotNet.Attributes;
using RnnGen;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// Issue 13's signal model, <see cref="SignalModel"/>: Conv1D(32, 5, same, relu) -> MaxPooling1D(2) -> LSTM(64) ->
/// Dense(1) over 128 timesteps of 8 features, at batch 1 and 64, against ONNX Runtime on the same weights
/// (<see cref="OnnxExport.BuildSignalModel"/>: Transpose, Conv, Relu, MaxPool, Transpose, LSTM, MatMul + Add) with one
/// intra-op thread and with its default. The outputs are checked against RnnGen's before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class ConvolutionBenchmarks : IDisposable
{
    private readonly SignalModel _model = new(seed: 3);
    private float[] _input = Array.Empty<float>();
    private float[] _output = Array.Empty<float>();
    private float[] _onnxOutput = Array.Empty<float>();
    private OnnxPipelineSession? _onnxOneThread;
    private OnnxPipelineSession? _onnxDefaultThreads;

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new float[Batch * SignalModel.Timesteps * SignalModel.InputDim];
        var random = new Random(11);
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)(random.NextDouble() * 2 - 1);
        }

        _output = new float[Batch];
        _onnxOutput = new float[Batch];
        _model.Predict(_input, _output);
        (_onnxOneThread, _onnxDefaultThreads) = OnnxCheck.Sessions(OnnxExport.BuildSignalModel(_model), _output, "the signal model",
            (_onnxOutput, new long[] { 1, Batch, 1 }), ("x", _input, new long[] { Batch, SignalModel.Timesteps, SignalModel.InputDim }));
    }

    public void Dispose()
    {
        _onnxOneThread?.Dispose();
        _onnxDefaultThreads?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The generated model's allocation-free batch call.</summary>
    [Benchmark(Baseline = true)]
    public int Generated() => _model.Predict(_input, _output);

    [Benchmark]
    public void Onnx_OneThread() => _onnxOneThread!.Run();

    [Benchmark]
    public void Onnx_DefaultThreads() => _onnxDefaultThreads!.Run();
}

/// <summary>ONNX Runtime sessions whose outputs are checked against RnnGen's before anything is timed.</summary>
public static class OnnxCheck
{
    /// <summary>
    /// Sessions on <paramref name="model"/> with one intra-op thread and with ORT's default, each run once and checked
    /// against <paramref name="expected"/> (RnnGen's outputs for the same inputs).
    /// </summary>
    public static (OnnxPipelineSession OneThread, OnnxPipelineSession DefaultThreads) Sessions(byte[] model, float[] expected, string what,
        (float[] Data, long[] Shape) output, params (string Name, Array Data, long[] Shape)[] inputs)
    {
        var oneThread = new OnnxPipelineSession(model, 1, output, inputs);
        var defaultThreads = new OnnxPipelineSession(model, 0, output, inputs);
        foreach (OnnxPipelineSession session in new[] { oneThread, defaultThreads })
        {
            Array.Clear(output.Data);
            session.Run();
            Close(expected, output.Data, what);
        }

        return (oneThread, defaultThreads);
    }

    /// <summary>Throws unless every output is within 1e-4 (absolute, plus 1e-4 relative) of RnnGen's: float32 sums in another order.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i])))
            {
                throw new InvalidOperationException($"ONNX Runtime's {what} disagrees with RnnGen at output {i}: {actual[i]} against {expected[i]}.");
            }
        }
    }
}

[Sequential(Timesteps = 128, InputDim = 8)]
[Conv1D(32, 5, Padding = "same", Activation = "relu", BiasInitializer = "random_uniform(-0.1, 0.1)")]
[MaxPooling1D(2)]
[Lstm(64, BiasInitializer = "random_uniform(-0.1, 0.1)")]
[Dense(1, BiasInitializer = "random_uniform(-0.1, 0.1)")]
public partial class SignalModel;
