// RnnGen benchmarks. BenchmarkDotNet runs the generated models against the two dynamic baselines; the modes below
// measure or check what BenchmarkDotNet cannot. Usage (docs/performance.md has the full set of commands):
//   dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- --filter '*'            everything
//   dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- --filter '*' --job short a quick pass
//   ... -- --time-to-full-speed [--seconds 2] [--max-calls 4000000]   JIT warm-up in fresh processes
//   ... -- --generator-size                                           generated source size, LSTM(1024) x 1024 compiles
//   ... -- --interleaved-streams                                      one Step stream vs four in turn (a profile)
//   ... -- --cell-anatomy                                             an LSTM step's parts timed apart (a profile)
//   ... -- --peak                                                     this core's FP32 FMA peak
//   ... -- --generator-time [--runs 15]                              the generator over 200 classes, min of N cold runs
//   ... -- --streams                                                  many streams per call, best of many short rounds
//   ... -- --weight-precision                                         Step with float32 against bfloat16 weights, the same way
//   ... -- --small-steps                                              Step at 8 and 16 units beside the hand-written forms, the same way
//   ... -- --onnx                                                     Step and whole sequences against ONNX Runtime, the same way
//   ... -- --check                                                    every configuration's agreement check, no timing
//   ... -- --training-step                                            training steps by their fastest window (a loaded host)
using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Modes;

namespace RnnGen.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == TimeToFullSpeedMode.ChildFlag)
        {
            return TimeToFullSpeedMode.RunChild(args);
        }

        if (args.Contains(TimeToFullSpeedMode.ParentFlag))
        {
            return TimeToFullSpeedMode.RunParent(args);
        }

        if (args.Contains("--generator-size"))
        {
            return GeneratedSizeMode.Run();
        }

        if (args.Contains("--interleaved-streams"))
        {
            return InterleavedStreamsMode.Run();
        }

        if (args.Contains("--cell-anatomy"))
        {
            return CellAnatomyMode.Run();
        }

        if (args.Contains("--generator-time"))
        {
            return GeneratorTimeMode.Run(args);
        }

        if (args.Contains("--streams"))
        {
            return BestOfRoundsMode.RunStreams();
        }

        if (args.Contains("--small-steps"))
        {
            return BestOfRoundsMode.RunSmallSteps();
        }

        if (args.Contains("--onnx"))
        {
            return BestOfRoundsMode.RunOnnx();
        }

        if (args.Contains("--weight-precision"))
        {
            return WeightPrecisionMode.Run();
        }

        if (args.Contains("--check"))
        {
            return CheckMode.Run();
        }

        FmaPeak.Result peak = FmaPeak.Measure();
        Console.WriteLine("This machine's " + peak);
        if (args.Contains("--training-step"))
        {
            return TrainingStepMode.Run(peak.Gflops);
        }

        if (args.Contains("--peak"))
        {
            Console.WriteLine("For comparison, 256-bit FMA: " + FmaPeak.Measure256());
            return 0;
        }

        IConfig config = DefaultConfig.Instance
            .AddColumn(
                new ThroughputColumn(ThroughputMeasure.NanosecondsPerTimestep, peak.Gflops),
                new ThroughputColumn(ThroughputMeasure.Gflops, peak.Gflops),
                new ThroughputColumn(ThroughputMeasure.PercentOfPeak, peak.Gflops))
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
        Console.WriteLine("Peak used for '% peak': " + peak);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
