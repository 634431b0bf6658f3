using System;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Harness;

/// <summary>
/// One implementation of a streaming model, fed timestep after timestep from a fixed input signal (a ring of
/// <see cref="SignalSteps"/> timesteps, identical for every implementation). Every implementation is driven through
/// this one virtual call, so the harness costs each of them the same.
/// </summary>
public abstract class StreamingRunner
{
    /// <summary>Timesteps in the input ring: a power of two, so the cursor wraps with a mask.</summary>
    public const int SignalSteps = 1024;

    private int _cursor;

    /// <summary>Runs the next timestep of the signal and returns the first output.</summary>
    public float Step()
    {
        int index = _cursor;
        _cursor = (index + 1) & (SignalSteps - 1);
        return StepAt(index);
    }

    /// <summary>Starts the signal over (the states are untouched: see <see cref="ResetStates"/>).</summary>
    public void Rewind() => _cursor = 0;

    public abstract void ResetStates();

    protected abstract float StepAt(int index);

    /// <summary>The signal: <see cref="SignalSteps"/> x <paramref name="inputDim"/> floats.</summary>
    public static float[] Signal(int inputDim) => TestData.Uniform(SignalSteps * inputDim, TestData.InputSeed + inputDim);
}

/// <summary>A hand-written baseline (<see cref="DynamicStreamingModel"/>).</summary>
public sealed class BaselineStreamingRunner : StreamingRunner
{
    private readonly DynamicStreamingModel _model;
    private readonly float[] _signal;
    private readonly float[] _output;

    public BaselineStreamingRunner(DynamicStreamingModel model)
    {
        _model = model;
        _signal = Signal(model.InputDim);
        _output = new float[model.OutputDim];
    }

    public DynamicStreamingModel Model => _model;

    public override void ResetStates() => _model.ResetStates();

    protected override float StepAt(int index)
    {
        int inputDim = _model.InputDim;
        _model.Step(_signal.AsSpan(index * inputDim, inputDim), _output);
        return _output[0];
    }
}

/// <summary>
/// The generated model's whole-sequence <c>Forward</c> on a one-timestep model: the same arithmetic as one Step, from
/// a zero state every call. It stands in for Step until the generated Step API exists, and afterwards shows the cost
/// of Step's state handling against it.
/// </summary>
public sealed class GeneratedForwardStreamingRunner<TInput, TOutput> : StreamingRunner
    where TInput : struct
    where TOutput : struct
{
    private readonly IWholeSequenceModel<TInput, TOutput> _model;
    private readonly TInput[] _inputs;
    private TOutput _output;

    public GeneratedForwardStreamingRunner(IWholeSequenceModel<TInput, TOutput> model)
    {
        if (model.Info.Timesteps != 1)
        {
            throw new ArgumentException($"{model.Info.Name} has {model.Info.Timesteps} timesteps; a one-step stand-in needs 1.");
        }

        _model = model;
        _inputs = new TInput[SignalSteps];
        float[] signal = Signal(model.Info.InputDim);
        for (int i = 0; i < _inputs.Length; i++)
        {
            signal.AsSpan(i * model.Info.InputDim, model.Info.InputDim).CopyTo(StructFloats.Of(ref _inputs[i]));
        }
    }

    public override void ResetStates() => _model.ResetStates();

    protected override float StepAt(int index)
    {
        _model.Forward(in _inputs[index], out _output);
        return StructFloats.Of(ref _output)[0];
    }
}

/// <summary>The generated typed streaming call, <c>Step(in InputStep, out OutputStep)</c>.</summary>
public sealed class GeneratedStepRunner<TInputStep, TOutputStep> : StreamingRunner
    where TInputStep : struct
    where TOutputStep : struct
{
    private readonly IStreamingModel<TInputStep, TOutputStep> _model;
    private readonly TInputStep[] _inputs;
    private TOutputStep _output;

    public GeneratedStepRunner(IStreamingModel<TInputStep, TOutputStep> model)
    {
        _model = model;
        _inputs = new TInputStep[SignalSteps];
        float[] signal = Signal(model.Info.InputDim);
        for (int i = 0; i < _inputs.Length; i++)
        {
            signal.AsSpan(i * model.Info.InputDim, model.Info.InputDim).CopyTo(StructFloats.Of(ref _inputs[i]));
        }
    }

    public override void ResetStates() => _model.ResetStates();

    protected override float StepAt(int index)
    {
        _model.Step(in _inputs[index], out _output);
        return StructFloats.Of(ref _output)[0];
    }
}

/// <summary>The generated span streaming call, <c>Step(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</summary>
public sealed class GeneratedSpanStepRunner<TInputStep, TOutputStep> : StreamingRunner
    where TInputStep : struct
    where TOutputStep : struct
{
    private readonly IStreamingModel<TInputStep, TOutputStep> _model;
    private readonly float[] _signal;
    private readonly float[] _output;
    private readonly int _inputDim;

    public GeneratedSpanStepRunner(IStreamingModel<TInputStep, TOutputStep> model)
    {
        _model = model;
        _inputDim = model.Info.InputDim;
        _signal = Signal(_inputDim);
        _output = new float[StructFloats.Count<TOutputStep>()];
    }

    public override void ResetStates() => _model.ResetStates();

    protected override float StepAt(int index)
    {
        _model.Step(_signal.AsSpan(index * _inputDim, _inputDim), _output);
        return _output[0];
    }
}
