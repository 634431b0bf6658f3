using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>The layer of a whole-sequence model (Models/SequenceModels.cs).</summary>
public enum SequenceLayer
{
    SimpleRnn,
    Lstm,
    Gru,
    BiLstm,
}

/// <summary>
/// Whole sequences: T = 64 timesteps of 8 features through one recurrent layer, returning its last output. One
/// operation is one batch of <see cref="Batch"/> sequences.
/// </summary>
[MemoryDiagnoser]
public class SequenceBenchmarks
{
    /// <summary>Timesteps of every sequence model (Models/SequenceModels.cs).</summary>
    public const int Timesteps = 64;

    /// <summary>Features per timestep of every sequence model.</summary>
    public const int InputDim = 8;

    private SequenceCase _case = null!;

    [Params(SequenceLayer.SimpleRnn, SequenceLayer.Lstm, SequenceLayer.Gru, SequenceLayer.BiLstm)]
    public SequenceLayer Layer { get; set; }

    [Params(16, 32, 64, 128)]
    public int Units { get; set; }

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = SequenceCase.Create(Layer, Units, Batch);
        _case.CheckAgreement();
    }

    /// <summary>Baseline (a): plain scalar loops, one sequence after another.</summary>
    [Benchmark(Baseline = true)]
    public void Naive() => _case.Naive.Run();

    /// <summary>Baseline (b): TensorPrimitives, one sequence after another.</summary>
    [Benchmark]
    public void TensorPrimitives() => _case.TensorPrimitives.Run();

    /// <summary>The generated Forward(in Input, out Output), once per sequence.</summary>
    [Benchmark]
    public void Generated() => _case.Generated.Run();

    /// <summary>The generated batch Forward(ReadOnlySpan&lt;Input&gt;, Span&lt;Output&gt;).</summary>
    [Benchmark]
    public void Generated_Batch() => _case.GeneratedBatch!.Run();

    /// <summary>The same with maxDegreeOfParallelism = Environment.ProcessorCount (the baselines stay on one core).</summary>
    [Benchmark]
    public void Generated_BatchParallel() => _case.GeneratedBatchParallel!.Run();

    /// <summary>ONNX Runtime on the same weights, the whole batch in one call, one intra-op thread.</summary>
    [Benchmark]
    public void Onnx_OneThread() => _case.OnnxOneThread.Run();

    /// <summary>ONNX Runtime with its default intra-op threads (one per physical core).</summary>
    [Benchmark]
    public void Onnx_DefaultThreads() => _case.OnnxDefaultThreads.Run();
}

/// <summary>Every implementation of one whole-sequence configuration, on the generated model's weights.</summary>
public sealed class SequenceCase
{
    private SequenceCase(IRnnModel model, int batch, SequenceRunner generated, SequenceRunner? generatedBatch, SequenceRunner? generatedBatchParallel)
    {
        Model = model;
        Naive = new BaselineSequenceRunner(KerasBaselines.Sequence(model, BaselineKind.Naive), batch, model.Info.Timesteps);
        TensorPrimitives = new BaselineSequenceRunner(KerasBaselines.Sequence(model, BaselineKind.TensorPrimitives), batch, model.Info.Timesteps);
        Generated = generated;
        GeneratedBatch = generatedBatch;
        GeneratedBatchParallel = generatedBatchParallel;
        OnnxOneThread = new OnnxSequenceRunner(model, batch, intraOpThreads: 1);
        OnnxDefaultThreads = new OnnxSequenceRunner(model, batch, intraOpThreads: 0);
    }

    public IRnnModel Model { get; }

    public SequenceRunner Naive { get; }

    public SequenceRunner TensorPrimitives { get; }

    public SequenceRunner Generated { get; }

    /// <summary>The generated batch API (null if a model had none).</summary>
    public SequenceRunner? GeneratedBatch { get; }

    public SequenceRunner? GeneratedBatchParallel { get; }

    /// <summary>ONNX Runtime on the ONNX model of the same weights (Baselines/OnnxExport.cs), one intra-op thread.</summary>
    public SequenceRunner OnnxOneThread { get; }

    public SequenceRunner OnnxDefaultThreads { get; }

    public IEnumerable<(string Name, SequenceRunner Runner)> Runners()
    {
        yield return ("Naive", Naive);
        yield return ("TensorPrimitives", TensorPrimitives);
        yield return ("Generated", Generated);
        if (GeneratedBatch is not null)
        {
            yield return ("Generated_Batch", GeneratedBatch);
        }

        if (GeneratedBatchParallel is not null)
        {
            yield return ("Generated_BatchParallel", GeneratedBatchParallel);
        }

        yield return ("Onnx_OneThread", OnnxOneThread);
        yield return ("Onnx_DefaultThreads", OnnxDefaultThreads);
    }

    public static SequenceCase Create(SequenceLayer layer, int units, int batch) => (layer, units) switch
    {
        (SequenceLayer.SimpleRnn, 16) => Build(new SimpleRnnSequence16(), batch),
        (SequenceLayer.SimpleRnn, 32) => Build(new SimpleRnnSequence32(), batch),
        (SequenceLayer.SimpleRnn, 64) => Build(new SimpleRnnSequence64(), batch),
        (SequenceLayer.SimpleRnn, 128) => Build(new SimpleRnnSequence128(), batch),
        (SequenceLayer.Lstm, 16) => Build(new LstmSequence16(), batch),
        (SequenceLayer.Lstm, 32) => Build(new LstmSequence32(), batch),
        (SequenceLayer.Lstm, 64) => Build(new LstmSequence64(), batch),
        (SequenceLayer.Lstm, 128) => Build(new LstmSequence128(), batch),
        (SequenceLayer.Gru, 16) => Build(new GruSequence16(), batch),
        (SequenceLayer.Gru, 32) => Build(new GruSequence32(), batch),
        (SequenceLayer.Gru, 64) => Build(new GruSequence64(), batch),
        (SequenceLayer.Gru, 128) => Build(new GruSequence128(), batch),
        (SequenceLayer.BiLstm, 16) => Build(new BiLstmSequence16(), batch),
        (SequenceLayer.BiLstm, 32) => Build(new BiLstmSequence32(), batch),
        (SequenceLayer.BiLstm, 64) => Build(new BiLstmSequence64(), batch),
        (SequenceLayer.BiLstm, 128) => Build(new BiLstmSequence128(), batch),
        _ => throw new ArgumentException($"No sequence model is declared for {layer}({units}) (Models/SequenceModels.cs)."),
    };

    private static SequenceCase Build<TInput, TOutput>(IWholeSequenceModel<TInput, TOutput> model, int batch)
        where TInput : struct
        where TOutput : struct
    {
        TestData.RandomizeBiases(model);
        var generated = new GeneratedSequenceRunner<TInput, TOutput>(model, batch);
        SequenceRunner? generatedBatch = null, generatedBatchParallel = null;
        generatedBatch = ((IBatchRunnerSource)model).CreateBatchRunner(batch, 0);
        generatedBatchParallel = ((IBatchRunnerSource)model).CreateBatchRunner(batch, Environment.ProcessorCount);
        return new SequenceCase(model, batch, generated, generatedBatch, generatedBatchParallel);
    }

    /// <summary>Throws unless every implementation's outputs, over the whole batch, are the generated model's within <see cref="Agreement.Tolerance"/>.</summary>
    public void CheckAgreement()
    {
        Generated.Run();
        float[] expected = Generated.Outputs();
        foreach ((string name, SequenceRunner runner) in Runners())
        {
            if (ReferenceEquals(runner, Generated))
            {
                continue;
            }

            runner.Run();
            Agreement.Check($"{Model.Info.Name} x {Generated.Batch}: {name} against Generated", expected, runner.Outputs());
        }
    }
}
