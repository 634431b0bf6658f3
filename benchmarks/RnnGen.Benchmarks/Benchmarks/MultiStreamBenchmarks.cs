using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// Many streams: one timestep of <see cref="Streams"/> independent streams (a server following that many sensors or
/// users), each with its own state, for LSTM(H) or GRU(H) with 8 inputs and a Dense(1) head (Models/StepModels.cs). One
/// operation steps every stream once; the ns/step column is per stream-step.
/// </summary>
[MemoryDiagnoser]
public class MultiStreamBenchmarks
{
    private MultiStreamCase _case = null!;

    [Params(StepCell.Lstm, StepCell.Gru)]
    public StepCell Cell { get; set; }

    [Params(32, 128)]
    public int Units { get; set; }

    [Params(64, 1000)]
    public int Streams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = MultiStreamCase.Create(Cell, Units, Streams);
        _case.CheckAgreement();
    }

    /// <summary>What a server does without the multi-stream API: one model per stream, one Step call each.</summary>
    [Benchmark(Baseline = true)]
    public void Generated_StepEach() => _case.StepEach.Run();

    /// <summary>StepStreams with the states the model holds.</summary>
    [Benchmark]
    public void Generated_StepStreams() => _case.StepStreams.Run();

    /// <summary>StepStreams with the states in the caller's span.</summary>
    [Benchmark]
    public void Generated_StepStreamsCallerStates() => _case.StepStreamsCallerStates.Run();

    /// <summary>ONNX Runtime: every stream as one batch row of a one-timestep call, the states passed in and out, one intra-op thread.</summary>
    [Benchmark]
    public void Onnx_OneThread() => _case.OnnxOneThread.Run();

    /// <summary>The same with ORT's default intra-op threads.</summary>
    [Benchmark]
    public void Onnx_DefaultThreads() => _case.OnnxDefaultThreads.Run();
}

/// <summary>Every way of stepping one set of streams, on the same weights and the same inputs.</summary>
public sealed class MultiStreamCase
{
    /// <summary>Timesteps the agreement check runs with the states carried over.</summary>
    private const int CheckedSteps = 8;

    private MultiStreamCase(Func<IMultiStreamModel> create, int streams)
    {
        IMultiStreamModel model = create();
        TestData.RandomizeBiases(model);
        float[][] weights = model.GetWeights();
        IMultiStreamModel Copy()
        {
            IMultiStreamModel copy = create();
            copy.SetWeights(weights);
            return copy;
        }

        float[] inputs = TestData.Uniform(streams * model.Info.InputDim, TestData.InputSeed);
        StepEach = new StepEachRunner(Copy, streams, inputs);
        StepStreams = new StepStreamsRunner(Copy(), streams, inputs, callerStates: false);
        StepStreamsCallerStates = new StepStreamsRunner(Copy(), streams, inputs, callerStates: true);
        OnnxOneThread = new OnnxStreamsRunner(model, streams, inputs, intraOpThreads: 1);
        OnnxDefaultThreads = new OnnxStreamsRunner(model, streams, inputs, intraOpThreads: 0);
        Name = $"{model.Info.Name} x {streams} streams";
    }

    public string Name { get; }

    public StreamsRunner StepEach { get; }

    public StreamsRunner StepStreams { get; }

    public StreamsRunner StepStreamsCallerStates { get; }

    public StreamsRunner OnnxOneThread { get; }

    public StreamsRunner OnnxDefaultThreads { get; }

    public IEnumerable<(string Name, StreamsRunner Runner)> Runners()
    {
        yield return ("Generated_StepEach", StepEach);
        yield return ("Generated_StepStreams", StepStreams);
        yield return ("Generated_StepStreamsCallerStates", StepStreamsCallerStates);
        yield return ("Onnx_OneThread", OnnxOneThread);
        yield return ("Onnx_DefaultThreads", OnnxDefaultThreads);
    }

    public static MultiStreamCase Create(StepCell cell, int units, int streams) => (cell, units) switch
    {
        (StepCell.Lstm, 32) => new MultiStreamCase(() => new LstmStep32x8(), streams),
        (StepCell.Lstm, 128) => new MultiStreamCase(() => new LstmStep128x8(), streams),
        (StepCell.Gru, 32) => new MultiStreamCase(() => new GruStep32x8(), streams),
        (StepCell.Gru, 128) => new MultiStreamCase(() => new GruStep128x8(), streams),
        _ => throw new ArgumentException($"No multi-stream model is declared for {cell}({units}) (Models/ModelContracts.cs)."),
    };

    /// <summary>
    /// Throws unless every runner's outputs over <see cref="CheckedSteps"/> timesteps, states carried, are one Step
    /// per stream's within <see cref="Agreement.Tolerance"/> (StepStreams gives them bit for bit; the tests assert
    /// that). Leaves every runner with zero states.
    /// </summary>
    public void CheckAgreement()
    {
        float[] expected = Outputs(StepEach);
        foreach ((string name, StreamsRunner runner) in Runners())
        {
            Agreement.Check($"{Name}: {name} against Generated_StepEach over {CheckedSteps} timesteps", expected, Outputs(runner));
            runner.ResetStates();
        }
    }

    private static float[] Outputs(StreamsRunner runner)
    {
        runner.ResetStates();
        var outputs = new List<float>();
        for (int t = 0; t < CheckedSteps; t++)
        {
            runner.Run();
            outputs.AddRange(runner.Outputs);
        }

        return outputs.ToArray();
    }
}

/// <summary>One way of stepping every stream once, on fixed inputs (the states carry from call to call).</summary>
public abstract class StreamsRunner
{
    public abstract float[] Outputs { get; }

    public abstract void Run();

    public abstract void ResetStates();
}

/// <summary>One model per stream, each stepped with <c>Step(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</summary>
public sealed class StepEachRunner : StreamsRunner
{
    private readonly IMultiStreamModel[] _models;
    private readonly float[] _inputs;
    private readonly int _inputDim;

    public StepEachRunner(Func<IMultiStreamModel> create, int streams, float[] inputs)
    {
        _models = new IMultiStreamModel[streams];
        for (int i = 0; i < streams; i++)
        {
            _models[i] = create();
        }

        _inputs = inputs;
        _inputDim = _models[0].Info.InputDim;
        Outputs = new float[streams];
    }

    public override float[] Outputs { get; }

    public override void Run()
    {
        for (int i = 0; i < _models.Length; i++)
        {
            _models[i].Step(_inputs.AsSpan(i * _inputDim, _inputDim), Outputs.AsSpan(i, 1));
        }
    }

    public override void ResetStates()
    {
        foreach (IMultiStreamModel model in _models)
        {
            model.ResetStates();
        }
    }
}

/// <summary>One model, <c>StepStreams</c> over every stream, with model-held or caller-held states.</summary>
public sealed class StepStreamsRunner : StreamsRunner
{
    private readonly IMultiStreamModel _model;
    private readonly float[] _inputs;
    private readonly float[]? _states;
    private readonly int _streams;

    public StepStreamsRunner(IMultiStreamModel model, int streams, float[] inputs, bool callerStates)
    {
        _model = model;
        _streams = streams;
        _inputs = inputs;
        model.ResetStreams(streams);
        int stateLength = (int)model.GetType().GetField("StreamStateLength")!.GetValue(null)!;
        _states = callerStates ? new float[streams * stateLength] : null;
        Outputs = new float[streams];
    }

    public override float[] Outputs { get; }

    public override void Run()
    {
        if (_states is null)
        {
            _model.StepStreams(_inputs, Outputs);
        }
        else
        {
            _model.StepStreams(_inputs, Outputs, _states);
        }
    }

    public override void ResetStates()
    {
        _model.ResetStreams(_streams);
        if (_states is not null)
        {
            Array.Clear(_states);
        }
    }
}

/// <summary>ONNX Runtime: the streams as the batch of a one-timestep call, h and c passed in and taken out.</summary>
public sealed class OnnxStreamsRunner : StreamsRunner
{
    private readonly OnnxSession _session;

    public OnnxStreamsRunner(IRnnModel model, int streams, float[] inputs, int intraOpThreads)
    {
        _session = new OnnxSession(model, timesteps: 1, batch: streams, intraOpThreads);
        inputs.CopyTo(_session.Input, 0); // [1, streams, inputs] is stream-major already
    }

    public override float[] Outputs => _session.Output;

    public override void Run()
    {
        _session.Run();
        _session.H.CopyTo(_session.H0, 0);
        _session.C.CopyTo(_session.C0, 0);
    }

    public override void ResetStates()
    {
        Array.Clear(_session.H0);
        Array.Clear(_session.C0);
    }
}
