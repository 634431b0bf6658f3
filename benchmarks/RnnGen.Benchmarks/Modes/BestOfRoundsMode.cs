using System;
using System.Diagnostics;
using RnnGen.Benchmarks.Benchmarks;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--streams</c> and <c>--onnx</c>: the <see cref="MultiStreamBenchmarks"/> cases, and the streaming and whole-sequence
/// cases with ONNX Runtime, timed as the best of many short rounds rather than as BenchmarkDotNet's mean. On a shared,
/// loaded machine other processes can only make a round slower, so the fastest rounds show what the code does on a free
/// core, as <c>--peak</c> does for the FMA peak. Each case is checked (its <c>CheckAgreement</c>) before it is timed.
/// </summary>
public static class BestOfRoundsMode
{
    private const int MaxRounds = 400;

    public static int RunStreams()
    {
        FmaPeak.Result peak = Start("ns per stream-step (% of one core's peak)");
        Console.WriteLine("| Cell | Units | Streams | Generated_StepEach | Generated_StepStreams | Generated_StepStreamsCallerStates | Onnx_OneThread | Onnx_DefaultThreads |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach ((StepCell cell, int units, int streams) in new[]
        {
            (StepCell.Lstm, 128, 64), (StepCell.Lstm, 32, 1000), (StepCell.Gru, 128, 64), (StepCell.Gru, 32, 1000),
        })
        {
            MultiStreamCase streamsCase = MultiStreamCase.Create(cell, units, streams);
            streamsCase.CheckAgreement();
            var workload = new Workload(cell.ToString(), Workload.GatesOf(cell.ToString()), units, InputDim: 8, Directions: 1, HeadOutputs: 1, TimestepsPerOperation: streams);
            Console.Write($"| {cell} | {units} | {streams} |");
            foreach ((_, StreamsRunner runner) in streamsCase.Runners())
            {
                Console.Write(Cell(BestNanoseconds(runner.Run), workload, peak));
            }

            Console.WriteLine();
        }

        return 0;
    }

    /// <summary>
    /// <c>--small-steps</c>: <c>Step</c> at 8 and 16 units, 1 and 8 inputs, beside the two hand-written forms
    /// (<c>HandWritten</c>, the probe, and <c>HandWrittenPacked</c>), where a few nanoseconds decide and
    /// BenchmarkDotNet's means on this shared machine move by more than that.
    /// </summary>
    public static int RunSmallSteps()
    {
        FmaPeak.Result peak = Start("ns per step (% of one core's peak)");
        Console.WriteLine("| Cell | Units | Inputs | Generated_Step | HandWritten | HandWrittenPacked | Step / best hand-written |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (StepCell cell in Enum.GetValues<StepCell>())
        {
            foreach (int units in new[] { 8, 16 })
            {
                foreach (int inputs in new[] { 1, 8 })
                {
                    StepCase stepCase = StepCase.Create(cell, units, inputs);
                    stepCase.CheckAgreement();
                    var workload = new Workload(cell.ToString(), Workload.GatesOf(cell.ToString()), units, inputs, 1, 1, 1);
                    double step = BestNanoseconds(Warm(() => stepCase.GeneratedStep!.Step()));
                    double handWritten = stepCase.HandWritten is { } probe ? BestNanoseconds(Warm(() => probe.Step())) : double.NaN;
                    double packed = BestNanoseconds(Warm(() => stepCase.HandWrittenPacked.Step()));
                    double best = double.IsNaN(handWritten) ? packed : Math.Min(handWritten, packed);
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {cell} | {units} | {inputs} |{Cell(step, workload, peak)}{Cell(handWritten, workload, peak)}{Cell(packed, workload, peak)} {step / best:F2} |"));
                }
            }
        }

        return 0;
    }

    // Calls for half a second first: the hand-written baselines are not marked AggressiveOptimization as the generated
    // kernels are, and BestNanoseconds's 20 warm-up calls and 80 ms of rounds would time them before tiered compilation
    // has optimized them (they measured 5 to 10 times slower that way).
    private static Action Warm(Action call)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5)
        {
            call();
        }

        return call;
    }

    public static int RunOnnx()
    {
        FmaPeak.Result peak = Start("time per call (% of one core's peak)");
        Console.WriteLine("Streaming, 8 inputs, Dense(1) head, one timestep per call:");
        Console.WriteLine();
        Console.WriteLine("| Cell | Units | Generated_Step | Onnx_OneThread | Onnx_DefaultThreads | ORT one thread / Step |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        foreach (StepCell cell in Enum.GetValues<StepCell>())
        {
            foreach (int units in new[] { 8, 16, 32, 64, 128 })
            {
                StepCase stepCase = StepCase.Create(cell, units, 8);
                stepCase.CheckAgreement();
                var workload = new Workload(cell.ToString(), Workload.GatesOf(cell.ToString()), units, 8, 1, 1, 1);
                double step = BestNanoseconds(() => stepCase.GeneratedStep!.Step());
                double one = BestNanoseconds(() => stepCase.OnnxOneThread.Step());
                double all = BestNanoseconds(() => stepCase.OnnxDefaultThreads.Step());
                Console.WriteLine(FormattableString.Invariant($"| {cell} | {units} |{Cell(step, workload, peak)}{Cell(one, workload, peak)}{Cell(all, workload, peak)} {one / step:F1} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Whole sequences, T = 64, 8 inputs, time per call for the whole batch:");
        Console.WriteLine();
        Console.WriteLine("| Layer | Units | Batch | Generated | Generated_Batch | Onnx_OneThread | Onnx_DefaultThreads | ORT best / generated best |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (SequenceLayer layer in new[] { SequenceLayer.Lstm, SequenceLayer.Gru })
        {
            foreach (int units in new[] { 32, 128 })
            {
                foreach (int batch in new[] { 1, 64 })
                {
                    SequenceCase sequenceCase = SequenceCase.Create(layer, units, batch);
                    sequenceCase.CheckAgreement();
                    var workload = new Workload(layer.ToString(), Workload.GatesOf(layer.ToString()), units, SequenceBenchmarks.InputDim, 1, 0, batch * SequenceBenchmarks.Timesteps);
                    double generated = BestNanoseconds(sequenceCase.Generated.Run);
                    double generatedBatch = BestNanoseconds(sequenceCase.GeneratedBatch!.Run);
                    double one = BestNanoseconds(sequenceCase.OnnxOneThread.Run);
                    double all = BestNanoseconds(sequenceCase.OnnxDefaultThreads.Run);
                    double ratio = Math.Min(one, all) / Math.Min(generated, generatedBatch);
                    Console.WriteLine(FormattableString.Invariant($"| {layer} | {units} | {batch} |{Cell(generated, workload, peak)}{Cell(generatedBatch, workload, peak)}{Cell(one, workload, peak)}{Cell(all, workload, peak)} {ratio:F1} |"));
                }
            }
        }

        return 0;
    }

    private static FmaPeak.Result Start(string unit)
    {
        FmaPeak.Result peak = FmaPeak.Measure();
        Console.WriteLine("This machine's " + peak);
        Console.WriteLine($"Best of up to {MaxRounds} rounds (each at least 0.2 ms of calls, about 2 s per runner at most); {unit}.");
        Console.WriteLine();
        return peak;
    }

    // One table cell: the time (per stream-step for the many-stream cases, else per call) and the share of the peak.
    private static string Cell(double nanoseconds, Workload workload, FmaPeak.Result peak)
    {
        double percent = 100.0 * workload.FlopsPerOperation / nanoseconds / peak.Gflops;
        if (workload.TimestepsPerOperation > 1 && workload.HeadOutputs == 1)
        {
            return FormattableString.Invariant($" {nanoseconds / workload.TimestepsPerOperation:F1} ns ({percent:F0}%) |");
        }

        string time = nanoseconds >= 1e6 ? FormattableString.Invariant($"{nanoseconds / 1e6:F2} ms")
            : nanoseconds >= 1e4 ? FormattableString.Invariant($"{nanoseconds / 1e3:F1} µs")
            : nanoseconds >= 1e3 ? FormattableString.Invariant($"{nanoseconds:F0} ns")
            : FormattableString.Invariant($"{nanoseconds:F1} ns");
        return FormattableString.Invariant($" {time} ({percent:F1}%) |");
    }

    internal static double BestNanoseconds(Action call)
    {
        for (int i = 0; i < 20; i++)
        {
            call(); // warm: JIT tiers, caches
        }

        long start = Stopwatch.GetTimestamp();
        call();
        double once = Math.Max(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1e-4);
        int calls = Math.Max(1, (int)Math.Ceiling(0.2 / once));
        int rounds = Math.Clamp((int)(2000 / (once * calls)), 20, MaxRounds);
        double best = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
        }

        return best;
    }
}
