using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using RnnGen.Formats.Tests.Fuzzing;
using Xunit.Abstractions;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Runs the fuzz suite (<see cref="FuzzSuite"/>) over a fixed-seed corpus on every test run, and, with environment
/// variables, as a long run (docs/hostile-files.md gives the command):
/// <list type="bullet">
/// <item><c>RNNGEN_FUZZ_SEED</c>: the seed (default 20261204); a failure names the case that reproduces it.</item>
/// <item><c>RNNGEN_FUZZ_CASES</c>: how many cases (default 3,000).</item>
/// <item><c>RNNGEN_FUZZ_START</c>: the first case index (to repeat one case, or split a run).</item>
/// <item><c>RNNGEN_FUZZ_REPORT</c>: a file that receives the counts every 1,000 cases and at the end.</item>
/// </list>
/// Each case must end, for every call, in success or a documented exception, within its allocation bound, and a failed
/// load must leave the model's weights unchanged. Time is reported, not asserted (the work budget bounds it).
/// </summary>
public sealed class FuzzTests
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("RNNGEN_FUZZ_SEED"), out int seed) ? seed : 20261204;
    private static readonly long Cases = long.TryParse(Environment.GetEnvironmentVariable("RNNGEN_FUZZ_CASES"), out long cases) ? cases : 3_000;
    private static readonly long Start = long.TryParse(Environment.GetEnvironmentVariable("RNNGEN_FUZZ_START"), out long start) ? start : 0;
    private static readonly string? Report = Environment.GetEnvironmentVariable("RNNGEN_FUZZ_REPORT");

    /// <summary>A call slower than this is counted as past the budget in the report (long runs; no unit test asserts time).</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Hostile_and_mutated_files_end_in_documented_exceptions_within_their_allocation_bounds()
    {
        var suite = new FuzzSuite();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var failures = new List<string>();
        double worstRatio = 0;
        string worstCase = "";
        TimeSpan slowest = TimeSpan.Zero;
        TimeSpan slowestCase = TimeSpan.Zero;
        string slowestDescription = "";
        var slowCases = new List<string>();
        long slow = 0;
        var watch = Stopwatch.StartNew();
        long done = 0;
        // A unit run stops after 10 failures; a long run (with a report file) goes on and counts them.
        for (long i = Start; i < Start + Cases && (Report is not null || failures.Count < 10); i++)
        {
            long caseStart = watch.ElapsedTicks;
            (string description, List<FuzzSuite.CallResult> results) = suite.Run(Seed, i);
            done++;
            TimeSpan caseTime = TimeSpan.FromTicks((long)((watch.ElapsedTicks - caseStart) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));
            if (caseTime > slowestCase)
            {
                (slowestCase, slowestDescription) = (caseTime, description);
            }

            foreach (FuzzSuite.CallResult result in results)
            {
                bool documented = !result.Outcome.StartsWith("undocumented", StringComparison.Ordinal);
                string key = $"{result.Call}: {(documented ? result.Outcome : "undocumented exception")}";
                counts[key] = counts.GetValueOrDefault(key) + 1;
                if (!documented)
                {
                    failures.Add($"{description}: {result.Call} threw an {result.Outcome}");
                }

                if (result.Allocated > result.Bound)
                {
                    counts["past the allocation bound"] = counts.GetValueOrDefault("past the allocation bound") + 1;
                    failures.Add($"{description}: {result.Call} allocated {result.Allocated} bytes, past its bound of {result.Bound}");
                }

                if (result.WeightsChanged)
                {
                    counts["weights changed by a failed load"] = counts.GetValueOrDefault("weights changed by a failed load") + 1;
                    failures.Add($"{description}: the failed load changed the model's weights");
                }

                double ratio = (double)result.Allocated / result.Bound;
                if (ratio > worstRatio)
                {
                    (worstRatio, worstCase) = (ratio, $"{description} ({result.Call}: {result.Allocated} of {result.Bound} bytes)");
                }

                if (result.Elapsed > slowest)
                {
                    slowest = result.Elapsed;
                }

                if (result.Elapsed > Slow)
                {
                    slow++;
                    if (slowCases.Count < 20)
                    {
                        slowCases.Add($"slow ({result.Elapsed.TotalSeconds:F1} s): {description}: {result.Call} {result.Outcome}");
                    }
                }
            }

            if (Report is not null && done % 1_000 == 0)
            {
                WriteReport(done, counts, slow, slowest, worstRatio, worstCase, watch.Elapsed, failures.Concat(slowCases).ToList());
            }
        }

        string summary = Summary(done, counts, slow, slowest, worstRatio, worstCase, watch.Elapsed, suite.TargetCount);
        _output.WriteLine(summary);
        _output.WriteLine($"  slowest case to make and run: {slowestCase.TotalMilliseconds:F0} ms, {slowestDescription}");
        if (Report is not null)
        {
            WriteReport(done, counts, slow, slowest, worstRatio, worstCase, watch.Elapsed, failures.Concat(slowCases).ToList());
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures.Take(10)));
    }

    private static void WriteReport(long done, SortedDictionary<string, long> counts, long slow, TimeSpan slowest, double worstRatio, string worstCase, TimeSpan elapsed, List<string> failures) =>
        File.WriteAllText(Report!, Summary(done, counts, slow, slowest, worstRatio, worstCase, elapsed, 0) + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(50)) + Environment.NewLine);

    private static string Summary(long done, SortedDictionary<string, long> counts, long slow, TimeSpan slowest, double worstRatio, string worstCase, TimeSpan elapsed, int targets) =>
        string.Create(CultureInfo.InvariantCulture,
            $"seed {Seed}, cases {Start} to {Start + done - 1} ({done} cases{(targets > 0 ? $", {targets} seed files" : "")}) in {elapsed.TotalSeconds:F1} s{Environment.NewLine}") +
        string.Join(Environment.NewLine, counts.Select(c => $"  {c.Key}: {c.Value}")) + Environment.NewLine +
        string.Create(CultureInfo.InvariantCulture, $"  calls slower than {Slow.TotalSeconds} s: {slow}; slowest {slowest.TotalMilliseconds:F0} ms{Environment.NewLine}") +
        string.Create(CultureInfo.InvariantCulture, $"  highest allocation against its bound: {worstRatio:P1}, {worstCase}");
}
