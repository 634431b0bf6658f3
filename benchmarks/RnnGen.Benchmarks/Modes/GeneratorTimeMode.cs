using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Benchmarks.Benchmarks;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--generator-time [--runs N]</c>: the cold generator run of <see cref="GeneratorBenchmarks"/> (200 annotated
/// classes) timed N times in one process, printing the minimum, the median and every run. On a machine other work
/// shares, the minimum is the estimate of the generator's own cost (interference only adds time), where
/// BenchmarkDotNet's in-process runs of over a second time out and its out-of-process build does not finish in time.
/// </summary>
public static class GeneratorTimeMode
{
    public static int Run(string[] args)
    {
        int index = Array.IndexOf(args, "--runs");
        int runs = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : 15;
        CSharpCompilation compilation = GeneratorHost.Compilation(GeneratorHost.AnnotatedClasses(GeneratorBenchmarks.ClassCount));

        // Warm-up: JIT the generator and Roslyn, and check the output once.
        (GeneratorDriverRunResult check, _) = GeneratorHost.GenerateAndCheck(compilation);
        if (check.GeneratedTrees.Length != GeneratorBenchmarks.ClassCount)
        {
            Console.WriteLine($"Expected {GeneratorBenchmarks.ClassCount} generated files, got {check.GeneratedTrees.Length}.");
            return 1;
        }

        var milliseconds = new double[runs];
        var cpuMilliseconds = new double[runs];
        long allocated = long.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            long bytes = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            GeneratorDriver driver = GeneratorHost.Driver().RunGenerators(compilation);
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            cpuMilliseconds[i] = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - bytes);
            GC.KeepAlive(driver);
        }

        double[] sorted = milliseconds.OrderBy(m => m).ToArray();
        Console.WriteLine(FormattableString.Invariant(
            $"generator, {GeneratorBenchmarks.ClassCount} classes, {runs} cold runs: min {sorted[0]:F0} ms, median {sorted[runs / 2]:F0} ms, {allocated / 1e6:F1} MB allocated, CPU time min {cpuMilliseconds.Min():F0} ms median {cpuMilliseconds.OrderBy(m => m).ElementAt(runs / 2):F0} ms; runs: {string.Join(" ", milliseconds.Select(m => m.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}"));
        return 0;
    }
}
