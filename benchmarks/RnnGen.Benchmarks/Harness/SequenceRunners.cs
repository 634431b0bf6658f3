using System;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Harness;

/// <summary>One implementation of a whole-sequence model, run over a fixed batch of sequences (identical for all).</summary>
public abstract class SequenceRunner
{
    protected SequenceRunner(int batch, int timesteps, int inputDim)
    {
        Batch = batch;
        Timesteps = timesteps;
        InputDim = inputDim;
    }

    public int Batch { get; }

    public int Timesteps { get; }

    public int InputDim { get; }

    /// <summary>Runs every sequence of the batch.</summary>
    public abstract void Run();

    /// <summary>The outputs of the last <see cref="Run"/>, batch-major.</summary>
    public abstract float[] Outputs();

    /// <summary>The batch: <paramref name="batch"/> x <paramref name="timesteps"/> x <paramref name="inputDim"/> floats.</summary>
    public static float[] Inputs(int batch, int timesteps, int inputDim) =>
        TestData.Uniform(batch * timesteps * inputDim, TestData.InputSeed);
}

/// <summary>A hand-written baseline: one sequence after another.</summary>
public sealed class BaselineSequenceRunner : SequenceRunner
{
    private readonly DynamicSequenceModel _model;
    private readonly float[] _inputs;
    private readonly float[] _outputs;

    public BaselineSequenceRunner(DynamicSequenceModel model, int batch, int timesteps)
        : base(batch, timesteps, model.InputDim)
    {
        _model = model;
        _inputs = Inputs(batch, timesteps, model.InputDim);
        _outputs = new float[batch * model.OutputDim];
    }

    public override void Run()
    {
        int inputLength = Timesteps * InputDim, outputDim = _model.OutputDim;
        for (int b = 0; b < Batch; b++)
        {
            _model.Forward(_inputs.AsSpan(b * inputLength, inputLength), _outputs.AsSpan(b * outputDim, outputDim));
        }
    }

    public override float[] Outputs() => (float[])_outputs.Clone();
}

/// <summary>The generated model's single-sequence <c>Forward(in Input, out Output)</c>, once per sequence.</summary>
public sealed class GeneratedSequenceRunner<TInput, TOutput> : SequenceRunner
    where TInput : struct
    where TOutput : struct
{
    private readonly IWholeSequenceModel<TInput, TOutput> _model;
    private readonly TInput[] _inputs;
    private readonly TOutput[] _outputs;

    public GeneratedSequenceRunner(IWholeSequenceModel<TInput, TOutput> model, int batch)
        : base(batch, model.Info.Timesteps, model.Info.InputDim)
    {
        _model = model;
        _inputs = GeneratedInputs<TInput>(batch, model.Info);
        _outputs = new TOutput[batch];
    }

    public override void Run()
    {
        for (int b = 0; b < _inputs.Length; b++)
        {
            _model.Forward(in _inputs[b], out _outputs[b]);
        }
    }

    public override float[] Outputs() => GeneratedOutputs(_outputs);

    internal static T[] GeneratedInputs<T>(int batch, ModelInfo info)
        where T : struct
    {
        float[] floats = Inputs(batch, info.Timesteps, info.InputDim);
        var inputs = new T[batch];
        for (int b = 0; b < batch; b++)
        {
            floats.AsSpan(b * info.InputLength, info.InputLength).CopyTo(StructFloats.Of(ref inputs[b]));
        }

        return inputs;
    }

    internal static float[] GeneratedOutputs<T>(T[] outputs)
        where T : struct
    {
        int length = StructFloats.Count<T>();
        var floats = new float[outputs.Length * length];
        for (int b = 0; b < outputs.Length; b++)
        {
            StructFloats.Of(ref outputs[b]).CopyTo(floats.AsSpan(b * length, length));
        }

        return floats;
    }
}

/// <summary>The generated batch calls, <c>Forward(ReadOnlySpan&lt;Input&gt;, Span&lt;Output&gt;)</c> and <c>Forward(ReadOnlyMemory&lt;Input&gt;, Memory&lt;Output&gt;, maxDegreeOfParallelism)</c>.</summary>
public sealed class GeneratedBatchRunner<TInput, TOutput> : SequenceRunner
    where TInput : struct
    where TOutput : struct
{
    private readonly IBatchModel<TInput, TOutput> _model;
    private readonly TInput[] _inputs;
    private readonly TOutput[] _outputs;
    private readonly int _maxDegreeOfParallelism;

    /// <param name="maxDegreeOfParallelism">0 for the overload without it; otherwise the value passed.</param>
    public GeneratedBatchRunner(IBatchModel<TInput, TOutput> model, int batch, int maxDegreeOfParallelism)
        : base(batch, model.Info.Timesteps, model.Info.InputDim)
    {
        _model = model;
        _inputs = GeneratedSequenceRunner<TInput, TOutput>.GeneratedInputs<TInput>(batch, model.Info);
        _outputs = new TOutput[batch];
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    public override void Run()
    {
        if (_maxDegreeOfParallelism == 0)
        {
            _model.Forward(_inputs, _outputs);
        }
        else
        {
            _model.Forward(_inputs, _outputs, _maxDegreeOfParallelism);
        }
    }

    public override float[] Outputs() => GeneratedSequenceRunner<TInput, TOutput>.GeneratedOutputs(_outputs);
}
