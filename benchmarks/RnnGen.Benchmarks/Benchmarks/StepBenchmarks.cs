using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>The recurrent layer of a streaming model.</summary>
public enum StepCell
{
    Lstm,
    Gru,
}

/// <summary>
/// Streaming: one timestep per call, the state carried between calls, for LSTM(H) or GRU(H) and a Dense(1) head
/// (Models/StepModels.cs). One operation is one timestep.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private StepCase _case = null!;

    [Params(StepCell.Lstm, StepCell.Gru)]
    public StepCell Cell { get; set; }

    [Params(8, 16, 32, 64, 128)]
    public int Units { get; set; }

    [Params(1, 8)]
    public int InputDim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = StepCase.Create(Cell, Units, InputDim);
        _case.CheckAgreement();
    }

    /// <summary>Baseline (a): plain scalar loops, run-time sizes.</summary>
    [Benchmark(Baseline = true)]
    public float Naive() => _case.Naive.Step();

    /// <summary>Baseline (b): TensorPrimitives, run-time sizes.</summary>
    [Benchmark]
    public float TensorPrimitives() => _case.TensorPrimitives.Step();

    /// <summary>The generated whole-sequence Forward of the one-timestep model: one Step's arithmetic from a zero state.</summary>
    [Benchmark]
    public float Generated_ForwardT1() => _case.GeneratedForward.Step();

    /// <summary>The generated Step(in InputStep, out OutputStep).</summary>
    [Benchmark]
    public float Generated_Step() => _case.GeneratedStep!.Step();

    /// <summary>The generated Step(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;).</summary>
    [Benchmark]
    public float Generated_StepSpan() => _case.GeneratedSpanStep!.Step();

    /// <summary>Hand-written fixed-size C# (Baselines/HandWrittenCells.cs): the target of issue 15. NaN without AVX-512.</summary>
    [Benchmark]
    public float HandWritten() => _case.HandWritten?.Step() ?? float.NaN;

    /// <summary>
    /// Hand-written fixed-size C#, second form (Baselines/PackedHandWrittenCells.cs): weights packed per block of units
    /// with the gates side by side, one pass over [x | h] for every gate of the block.
    /// </summary>
    [Benchmark]
    public float HandWrittenPacked() => _case.HandWrittenPacked.Step();

    /// <summary>ONNX Runtime on the same weights, one intra-op thread, the state passed in and out per call.</summary>
    [Benchmark]
    public float Onnx_OneThread() => _case.OnnxOneThread.Step();

    /// <summary>ONNX Runtime with its default intra-op threads (one per physical core).</summary>
    [Benchmark]
    public float Onnx_DefaultThreads() => _case.OnnxDefaultThreads.Step();
}

/// <summary>Every implementation of one streaming configuration, built on the generated model's weights.</summary>
public sealed class StepCase
{
    /// <summary>Timesteps the agreement check runs with the state carried over.</summary>
    private const int CheckedSteps = 64;

    private readonly Func<ReadOnlySpan<float>, float[][], float> _predictFromState;

    private StepCase(IRnnModel model, Func<ReadOnlySpan<float>, float[][], float> predictFromState, StreamingRunner generatedForward, StreamingRunner? generatedStep, StreamingRunner? generatedSpanStep)
    {
        Model = model;
        _predictFromState = predictFromState;
        Naive = new BaselineStreamingRunner(KerasBaselines.Streaming(model, BaselineKind.Naive));
        TensorPrimitives = new BaselineStreamingRunner(KerasBaselines.Streaming(model, BaselineKind.TensorPrimitives));
        GeneratedForward = generatedForward;
        GeneratedStep = generatedStep;
        GeneratedSpanStep = generatedSpanStep;
        OnnxOneThread = new OnnxStreamingRunner(model, intraOpThreads: 1);
        OnnxDefaultThreads = new OnnxStreamingRunner(model, intraOpThreads: 0);
        HandWritten = HandWrittenCell.IsSupported ? CreateHandWritten(model) : null;
        HandWrittenPacked = new PackedHandWrittenRunner(PackedHandWrittenCell.Create(model));
    }

    /// <summary>The second hand-written form: packed, gate-interleaved unit blocks (any AVX2 machine).</summary>
    public StreamingRunner HandWrittenPacked { get; }

    /// <summary>The hand-written fixed-size baseline with the model's weights (null without AVX-512).</summary>
    public StreamingRunner? HandWritten { get; }

    private static StreamingRunner CreateHandWritten(IRnnModel model)
    {
        float[][] w = model.GetWeights();
        bool lstm = model.Info.Layers[0].Kind == LayerKind.Lstm;
        return (lstm, model.Info.Layers[0].Units, model.Info.InputDim) switch
        {
            (true, 8, 1) => new HandWrittenLstm<S8, S1>(w),
            (true, 8, 8) => new HandWrittenLstm<S8, S8>(w),
            (true, 16, 1) => new HandWrittenLstm<S16, S1>(w),
            (true, 16, 8) => new HandWrittenLstm<S16, S8>(w),
            (true, 32, 1) => new HandWrittenLstm<S32, S1>(w),
            (true, 32, 8) => new HandWrittenLstm<S32, S8>(w),
            (true, 64, 1) => new HandWrittenLstm<S64, S1>(w),
            (true, 64, 8) => new HandWrittenLstm<S64, S8>(w),
            (true, 128, 1) => new HandWrittenLstm<S128, S1>(w),
            (true, 128, 8) => new HandWrittenLstm<S128, S8>(w),
            (false, 8, 1) => new HandWrittenGru<S8, S1>(w),
            (false, 8, 8) => new HandWrittenGru<S8, S8>(w),
            (false, 16, 1) => new HandWrittenGru<S16, S1>(w),
            (false, 16, 8) => new HandWrittenGru<S16, S8>(w),
            (false, 32, 1) => new HandWrittenGru<S32, S1>(w),
            (false, 32, 8) => new HandWrittenGru<S32, S8>(w),
            (false, 64, 1) => new HandWrittenGru<S64, S1>(w),
            (false, 64, 8) => new HandWrittenGru<S64, S8>(w),
            (false, 128, 1) => new HandWrittenGru<S128, S1>(w),
            (false, 128, 8) => new HandWrittenGru<S128, S8>(w),
            _ => throw new ArgumentException($"No hand-written cell for {model.Info.Name}."),
        };
    }

    public IRnnModel Model { get; }

    public BaselineStreamingRunner Naive { get; }

    public BaselineStreamingRunner TensorPrimitives { get; }

    public StreamingRunner GeneratedForward { get; }

    /// <summary>The generated Step API (null if a model had none).</summary>
    public StreamingRunner? GeneratedStep { get; }

    public StreamingRunner? GeneratedSpanStep { get; }

    /// <summary>ONNX Runtime on the ONNX model of the same weights (Baselines/OnnxExport.cs), one intra-op thread.</summary>
    public StreamingRunner OnnxOneThread { get; }

    public StreamingRunner OnnxDefaultThreads { get; }

    public IEnumerable<(string Name, StreamingRunner Runner)> Runners()
    {
        yield return ("Naive", Naive);
        yield return ("TensorPrimitives", TensorPrimitives);
        yield return ("Generated_ForwardT1", GeneratedForward);
        if (GeneratedStep is not null)
        {
            yield return ("Generated_Step", GeneratedStep);
        }

        if (GeneratedSpanStep is not null)
        {
            yield return ("Generated_StepSpan", GeneratedSpanStep);
        }

        if (HandWritten is not null)
        {
            yield return ("HandWritten", HandWritten);
        }

        yield return ("HandWrittenPacked", HandWrittenPacked);

        yield return ("Onnx_OneThread", OnnxOneThread);
        yield return ("Onnx_DefaultThreads", OnnxDefaultThreads);
    }

    public static StepCase Create(StepCell cell, int units, int inputDim) => (cell, units, inputDim) switch
    {
        (StepCell.Lstm, 8, 1) => Build(new LstmStep8x1()),
        (StepCell.Lstm, 8, 8) => Build(new LstmStep8x8()),
        (StepCell.Lstm, 16, 1) => Build(new LstmStep16x1()),
        (StepCell.Lstm, 16, 8) => Build(new LstmStep16x8()),
        (StepCell.Lstm, 32, 1) => Build(new LstmStep32x1()),
        (StepCell.Lstm, 32, 8) => Build(new LstmStep32x8()),
        (StepCell.Lstm, 64, 1) => Build(new LstmStep64x1()),
        (StepCell.Lstm, 64, 8) => Build(new LstmStep64x8()),
        (StepCell.Lstm, 128, 1) => Build(new LstmStep128x1()),
        (StepCell.Lstm, 128, 8) => Build(new LstmStep128x8()),
        (StepCell.Gru, 8, 1) => Build(new GruStep8x1()),
        (StepCell.Gru, 8, 8) => Build(new GruStep8x8()),
        (StepCell.Gru, 16, 1) => Build(new GruStep16x1()),
        (StepCell.Gru, 16, 8) => Build(new GruStep16x8()),
        (StepCell.Gru, 32, 1) => Build(new GruStep32x1()),
        (StepCell.Gru, 32, 8) => Build(new GruStep32x8()),
        (StepCell.Gru, 64, 1) => Build(new GruStep64x1()),
        (StepCell.Gru, 64, 8) => Build(new GruStep64x8()),
        (StepCell.Gru, 128, 1) => Build(new GruStep128x1()),
        (StepCell.Gru, 128, 8) => Build(new GruStep128x8()),
        _ => throw new ArgumentException($"No streaming model is declared for {cell}({units}) with input {inputDim} (Models/StepModels.cs)."),
    };

    private static StepCase Build<TInput, TOutput>(IWholeSequenceModel<TInput, TOutput> model)
        where TInput : struct
        where TOutput : struct
    {
        TestData.RandomizeBiases(model);
        var forward = new GeneratedForwardStreamingRunner<TInput, TOutput>(model);
        StreamingRunner? step = null, spanStep = null;
        // Each Step runner gets its own model instance (same weights): the two must not share one streaming state.
        IStepRunnerSource source = (IStepRunnerSource)model;
        step = source.CreateStepRunner();
        var second = (IRnnModel)Activator.CreateInstance(model.GetType())!;
        second.SetWeights(model.GetWeights());
        spanStep = ((IStepRunnerSource)second).CreateSpanStepRunner();
        return new StepCase(model, (input, state) => model.Predict(input, state)[0][0], forward, step, spanStep);
    }

    /// <summary>
    /// Throws unless every implementation computes what the generated model computes, within
    /// <see cref="Agreement.Tolerance"/>. Naive is checked timestep by timestep against the generated model started
    /// from Naive's own state (Predict with Keras initial_state), which covers the recurrent kernel and the carried
    /// state without the Step API; TensorPrimitives and the generated Step against Naive over
    /// <see cref="CheckedSteps"/> timesteps with the state carried; the one-timestep Forward from a zero state.
    /// Leaves every runner rewound with zero states.
    /// </summary>
    public void CheckAgreement()
    {
        string name = Model.Info.Name;
        int inputDim = Model.Info.InputDim;
        float[] signal = StreamingRunner.Signal(inputDim);
        var fromState = new float[CheckedSteps];
        Naive.ResetStates();
        Naive.Rewind();
        for (int t = 0; t < CheckedSteps; t++)
        {
            fromState[t] = _predictFromState(signal.AsSpan(t * inputDim, inputDim), Naive.Model.States());
            Naive.Step();
        }

        float[] naiveCarried = Outputs(Naive, CheckedSteps, resetEachStep: false);
        Agreement.Check($"{name}: Naive against the generated model started from Naive's state", fromState, naiveCarried);
        float[] naiveFresh = Outputs(Naive, 16, resetEachStep: true);
        Agreement.Check($"{name}: Generated_ForwardT1 against Naive, from a zero state", naiveFresh, Outputs(GeneratedForward, 16, resetEachStep: true));
        if (GeneratedStep is not null && GeneratedSpanStep is not null)
        {
            float[] generated = Outputs(GeneratedStep, CheckedSteps, resetEachStep: false);
            Agreement.Check($"{name}: Naive against Generated_Step over {CheckedSteps} timesteps", generated, naiveCarried);
            Agreement.Check($"{name}: Generated_StepSpan against Generated_Step", generated, Outputs(GeneratedSpanStep, CheckedSteps, resetEachStep: false));
        }

        Agreement.Check($"{name}: Onnx_OneThread against Naive over {CheckedSteps} timesteps", naiveCarried, Outputs(OnnxOneThread, CheckedSteps, resetEachStep: false));
        Agreement.Check($"{name}: Onnx_DefaultThreads against Naive over {CheckedSteps} timesteps", naiveCarried, Outputs(OnnxDefaultThreads, CheckedSteps, resetEachStep: false));

        Agreement.Check($"{name}: TensorPrimitives against Naive over {CheckedSteps} timesteps", naiveCarried, Outputs(TensorPrimitives, CheckedSteps, resetEachStep: false));
        if (HandWritten is not null)
        {
            Agreement.Check($"{name}: HandWritten against Naive over {CheckedSteps} timesteps", naiveCarried, Outputs(HandWritten, CheckedSteps, resetEachStep: false));
        }

        Agreement.Check($"{name}: HandWrittenPacked against Naive over {CheckedSteps} timesteps", naiveCarried, Outputs(HandWrittenPacked, CheckedSteps, resetEachStep: false));

        foreach ((_, StreamingRunner runner) in Runners())
        {
            runner.ResetStates();
            runner.Rewind();
        }
    }

    /// <summary>Outputs of <paramref name="steps"/> timesteps from a rewound signal and zero states.</summary>
    public static float[] Outputs(StreamingRunner runner, int steps, bool resetEachStep)
    {
        runner.ResetStates();
        runner.Rewind();
        var outputs = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            if (resetEachStep)
            {
                runner.ResetStates();
            }

            outputs[i] = runner.Step();
        }

        return outputs;
    }
}
