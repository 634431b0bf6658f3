using System;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RnnGen.Benchmarks.Harness;

/// <summary>What a <see cref="ThroughputColumn"/> shows.</summary>
public enum ThroughputMeasure
{
    /// <summary>Mean time divided by the timesteps (times sequences) of one operation.</summary>
    NanosecondsPerTimestep,

    /// <summary>Matrix-product flops (<see cref="Workload"/>) per second of mean time.</summary>
    Gflops,

    /// <summary><see cref="Gflops"/> as a percentage of this machine's measured single-core FP32 peak.</summary>
    PercentOfPeak,
}

/// <summary>A column computed from the mean time and the case's <see cref="Workload"/>.</summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly ThroughputMeasure _measure;
    private readonly double _peakGflops;

    /// <param name="peakGflops">The single-core FP32 peak (<see cref="FmaPeak"/>); used by <see cref="ThroughputMeasure.PercentOfPeak"/>.</param>
    public ThroughputColumn(ThroughputMeasure measure, double peakGflops)
    {
        _measure = measure;
        _peakGflops = peakGflops;
    }

    public string Id => nameof(ThroughputColumn) + "." + _measure;

    public string ColumnName => _measure switch
    {
        ThroughputMeasure.NanosecondsPerTimestep => "ns/step",
        ThroughputMeasure.Gflops => "GFLOP/s",
        _ => "% peak",
    };

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)_measure;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _measure switch
    {
        ThroughputMeasure.NanosecondsPerTimestep => "Mean / timesteps per operation (all sequences of the batch)",
        ThroughputMeasure.Gflops => "Matrix-product flops per second: 2*(inputs+units)*gates*units per timestep and direction, plus the Dense head",
        _ => FormattableString.Invariant($"GFLOP/s as a percentage of this machine's single-core FP32 peak, measured at start-up: {_peakGflops:F1} GFLOP/s"),
    };

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        Workload? workload = Workload.Of(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (workload is null || meanNs is not > 0)
        {
            return "-";
        }

        double gflops = workload.FlopsPerOperation / meanNs.Value; // flops per ns = GFLOP/s
        return _measure switch
        {
            ThroughputMeasure.NanosecondsPerTimestep => (meanNs.Value / workload.TimestepsPerOperation).ToString("F2", CultureInfo.InvariantCulture),
            ThroughputMeasure.Gflops => gflops.ToString("F2", CultureInfo.InvariantCulture),
            _ => _peakGflops > 0 ? (100.0 * gflops / _peakGflops).ToString("F2", CultureInfo.InvariantCulture) : "?",
        };
    }

    public override string ToString() => ColumnName;
}
