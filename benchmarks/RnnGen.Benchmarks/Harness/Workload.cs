using System;
using BenchmarkDotNet.Running;
using RnnGen.Benchmarks.Benchmarks;

namespace RnnGen.Benchmarks.Harness;

/// <summary>
/// The arithmetic in one benchmark operation, counted as GEMV/GEMM figures usually are: 2 flops per multiply-add of the
/// matrix products, so per timestep and direction 2 * (inputs + units) * gates * units, plus 2 * inputs * outputs for a
/// Dense head. Activations and element-wise gate arithmetic are not counted (they are O(units), not O(units²)).
/// </summary>
public sealed record Workload(string Layer, int Gates, int Units, int InputDim, int Directions, int HeadOutputs, int TimestepsPerOperation)
{
    /// <summary>Matrix-product flops of one timestep (all directions, and the head).</summary>
    public double FlopsPerTimestep =>
        Directions * 2.0 * (InputDim + Units) * Gates * Units + 2.0 * Directions * Units * HeadOutputs;

    public double FlopsPerOperation => FlopsPerTimestep * TimestepsPerOperation;

    /// <summary>The workload of a benchmark case, read from its parameters; null for benchmarks that are not a model run.</summary>
    public static Workload? Of(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (type == typeof(StepBenchmarks))
        {
            var cell = (StepCell)Parameter(benchmarkCase, nameof(StepBenchmarks.Cell));
            int units = (int)Parameter(benchmarkCase, nameof(StepBenchmarks.Units));
            int inputDim = (int)Parameter(benchmarkCase, nameof(StepBenchmarks.InputDim));
            return new Workload(cell.ToString(), GatesOf(cell.ToString()), units, inputDim, Directions: 1, HeadOutputs: 1, TimestepsPerOperation: 1);
        }

        if (type == typeof(MultiStreamBenchmarks))
        {
            var cell = (StepCell)Parameter(benchmarkCase, nameof(MultiStreamBenchmarks.Cell));
            int units = (int)Parameter(benchmarkCase, nameof(MultiStreamBenchmarks.Units));
            int streams = (int)Parameter(benchmarkCase, nameof(MultiStreamBenchmarks.Streams));
            return new Workload(cell.ToString(), GatesOf(cell.ToString()), units, InputDim: 8, Directions: 1, HeadOutputs: 1, TimestepsPerOperation: streams);
        }

        if (type == typeof(TensorPrimitivesLayoutBenchmarks))
        {
            int units = (int)Parameter(benchmarkCase, nameof(TensorPrimitivesLayoutBenchmarks.Units));
            return new Workload("Lstm", GatesOf("Lstm"), units, InputDim: 8, Directions: 1, HeadOutputs: 1, TimestepsPerOperation: 1);
        }

        if (type == typeof(SequenceBenchmarks))
        {
            var layer = (SequenceLayer)Parameter(benchmarkCase, nameof(SequenceBenchmarks.Layer));
            int units = (int)Parameter(benchmarkCase, nameof(SequenceBenchmarks.Units));
            int batch = (int)Parameter(benchmarkCase, nameof(SequenceBenchmarks.Batch));
            bool bidirectional = layer == SequenceLayer.BiLstm;
            string cell = bidirectional ? "Lstm" : layer.ToString();
            return new Workload(layer.ToString(), GatesOf(cell), units, SequenceBenchmarks.InputDim, bidirectional ? 2 : 1, HeadOutputs: 0,
                TimestepsPerOperation: batch * SequenceBenchmarks.Timesteps);
        }

        return null;
    }

    /// <summary>Gate blocks of the cell: SimpleRNN 1, GRU 3 (z, r, h), LSTM 4 (i, f, c, o).</summary>
    public static int GatesOf(string cell) => cell switch
    {
        "SimpleRnn" => 1,
        "Gru" => 3,
        "Lstm" => 4,
        _ => throw new ArgumentException("Unknown cell " + cell),
    };

    private static object Parameter(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters[name] ?? throw new InvalidOperationException($"{benchmarkCase.Descriptor.Type.Name} has no parameter {name}.");
}
