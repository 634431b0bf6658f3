using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using RnnGen.Benchmarks.Benchmarks;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--time-to-full-speed</c>: how long a fresh process runs slow code before the JIT's tiers reach steady state.
/// BenchmarkDotNet discards exactly this (it warms up first), but a streaming application pays it on every start.
/// Each kernel runs in a new child process, once per runtime configuration (default tiering with Dynamic PGO; PGO
/// off; tiering off, so everything is compiled fully optimised on first call; the 100 ms call-counting delay off); the
/// child times every call with Stopwatch ticks and reports when the per-call time first comes within 10% of steady
/// state. See https://learn.microsoft.com/dotnet/core/runtime-config/compilation for the settings.
/// </summary>
public static class TimeToFullSpeedMode
{
    public const string ParentFlag = "--time-to-full-speed";
    public const string ChildFlag = "--time-to-full-speed-child";

    /// <summary>"Full speed": a window's typical call within this factor of the steady state's.</summary>
    private const double Within = 1.10;

    /// <summary>
    /// The percentile that stands for "the speed of the code". Other processes can only make a call slower (by
    /// preempting it), never faster, so on a shared machine a low percentile tracks the code the JIT produced while
    /// the median also tracks the neighbours; on a quiet machine the two agree.
    /// </summary>
    private const double Percentile = 0.20;

    /// <summary>Most calls per window (step kernels); long kernels use fewer, down to 4, so a run holds 200 windows or more.</summary>
    private const int MaxWindow = 32;

    private static readonly (string Name, string[] Environment)[] s_variants =
    {
        ("default (tiered, Dynamic PGO)", Array.Empty<string>()),
        ("TieredPGO=0", new[] { "DOTNET_TieredPGO=0" }),
        ("TieredCompilation=0", new[] { "DOTNET_TieredCompilation=0" }),
        ("TC_CallCountingDelayMs=0", new[] { "DOTNET_TC_CallCountingDelayMs=0" }),
    };

    /// <summary>The kernels: LSTM(64) over 8 inputs one timestep per call, and LSTM(128) over 64 timesteps per call.</summary>
    private static readonly string[] s_kernels =
    {
        "step/Naive", "step/TensorPrimitives", "step/Generated_ForwardT1",
        "step/Generated_Step",
        "sequence/Naive", "sequence/TensorPrimitives", "sequence/Generated",
    };

    public static int RunParent(string[] args)
    {
        double seconds = Option(args, "--seconds", 2.0);
        int maxCalls = (int)Option(args, "--max-calls", 4_000_000);
        Console.WriteLine(FormattableString.Invariant(
            $"Time to full speed: each kernel in a fresh process per runtime configuration, every call timed for {seconds} s (at most {maxCalls:N0} calls)."));
        Console.WriteLine("step = LSTM(64), 8 inputs, Dense(1) head, one timestep per call; sequence = LSTM(128), 64 timesteps x 8 inputs per call.");
        Console.WriteLine(FormattableString.Invariant(
            $"Full speed = the first window of calls (up to {MaxWindow}) whose {Percentile * 100:F0}th-percentile call time is within {(Within - 1) * 100:F0}% of the steady state's (the {Percentile * 100:F0}th percentile of the last 20% of calls)."));
        Console.WriteLine();
        Console.WriteLine("| Kernel | Runtime configuration | First call (µs) | Calls 2-30 (ns, p20) | Steady (ns, p20) | Calls to full speed | ms to full speed | Calls timed |");
        Console.WriteLine("|--------|-----------------------|----------------:|---------------------:|-----------------:|--------------------:|-----------------:|------------:|");
        bool allOk = true;
        var profiles = new List<string>();
        foreach (string kernel in s_kernels)
        {
            foreach ((string name, string[] environment) in s_variants)
            {
                ChildResult? result = RunChild(kernel, environment, seconds, maxCalls, out string error);
                if (result is null)
                {
                    allOk = false;
                    Console.WriteLine($"| {kernel} | {name} | failed: {error.Replace('\n', ' ').Replace('|', '/')} | | | | |");
                    continue;
                }

                Console.WriteLine(FormattableString.Invariant(
                    $"| {kernel} | {name} | {result.FirstCallNs / 1000.0:F1} | {result.EarlyNs:F0} | {result.SteadyNs:F0} | {(result.CallsToFullSpeed < 0 ? "never" : result.CallsToFullSpeed.ToString("N0", CultureInfo.InvariantCulture))} | {(result.MsToFullSpeed < 0 ? "-" : result.MsToFullSpeed.ToString("F1", CultureInfo.InvariantCulture))} | {result.Calls:N0} |"));
                profiles.Add($"{kernel}, {name}: {result.Profile}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("20th-percentile ns per call by call number (each bucket [n, 10n); elapsed ms at the bucket's first call in brackets):");
        foreach (string profile in profiles)
        {
            Console.WriteLine("  " + profile);
        }

        return allOk ? 0 : 1;
    }

    private sealed record ChildResult(double FirstCallNs, double EarlyNs, double SteadyNs, long CallsToFullSpeed, double MsToFullSpeed, long Calls, string Profile);

    private static ChildResult? RunChild(string kernel, string[] environment, double seconds, int maxCalls, out string error)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Re-run this program: through its apphost, or through the dotnet host when started as `dotnet x.dll`.
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(ChildFlag);
        start.ArgumentList.Add(kernel);
        start.ArgumentList.Add(seconds.ToString("R", CultureInfo.InvariantCulture));
        start.ArgumentList.Add(maxCalls.ToString(CultureInfo.InvariantCulture));
        // The child must see only this variant's settings, whatever the parent was started with.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_T", StringComparison.Ordinal) || k.StartsWith("COMPlus_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (string setting in environment)
        {
            string[] parts = setting.Split('=', 2);
            start.Environment[parts[0]] = parts[1];
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            error = $"exit {process.ExitCode}: {error.Split('\n').FirstOrDefault()}";
            return null;
        }

        string[] f = line.Substring("RESULT ".Length).Split('\t');
        return new ChildResult(Parse(f[0]), Parse(f[1]), Parse(f[2]), (long)Parse(f[3]), Parse(f[4]), (long)Parse(f[5]), f[6].Trim());
    }

    /// <summary>The child: builds one kernel, then times each call until the time or call budget runs out.</summary>
    public static int RunChild(string[] args)
    {
        string kernel = args[1];
        double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        int maxCalls = int.Parse(args[3], CultureInfo.InvariantCulture);
        Func<float> call = Kernel(kernel);

        // Two timestamps per call: start and end. Kept raw, analysed after the run, so that analysis costs nothing
        // while timing.
        var starts = new long[maxCalls];
        var ends = new long[maxCalls];
        long budget = (long)(seconds * Stopwatch.Frequency);
        float sink = 0;
        int calls = 0;
        long origin = Stopwatch.GetTimestamp();
        while (calls < maxCalls)
        {
            long before = Stopwatch.GetTimestamp();
            sink += call();
            long after = Stopwatch.GetTimestamp();
            starts[calls] = before;
            ends[calls] = after;
            calls++;
            if (after - origin > budget)
            {
                break;
            }
        }

        if (float.IsNaN(sink))
        {
            throw new InvalidOperationException("NaN output.");
        }

        double nsPerTick = 1e9 / Stopwatch.Frequency;
        var durations = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            durations[i] = (ends[i] - starts[i]) * nsPerTick;
        }

        double steady = Quantile(durations.AsSpan(calls - Math.Max(1, calls / 5)), Percentile);
        int window = Math.Clamp(calls / 200, 4, MaxWindow);
        long callsToFull = -1;
        double msToFull = -1;
        for (int w = 0; w + window <= calls; w += window)
        {
            if (Quantile(durations.AsSpan(w, window), Percentile) <= steady * Within)
            {
                callsToFull = w;
                msToFull = (starts[w] - origin) * nsPerTick / 1e6;
                break;
            }
        }

        var profile = new List<string>();
        for (long from = 1; from <= calls; from *= 10)
        {
            int first = (int)from - 1, count = (int)Math.Min(from * 9, calls - first);
            profile.Add(FormattableString.Invariant($"{from}: {Quantile(durations.AsSpan(first, count), Percentile):F0} [{(starts[first] - origin) * nsPerTick / 1e6:F1}]"));
        }

        double early = calls > 1 ? Quantile(durations.AsSpan(1, Math.Min(29, calls - 1)), Percentile) : durations[0];
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT {durations[0]:R}\t{early:R}\t{steady:R}\t{callsToFull}\t{msToFull:R}\t{calls}\t{string.Join("; ", profile)}"));
        return 0;
    }

    private static Func<float> Kernel(string name)
    {
        string[] parts = name.Split('/');
        if (parts[0] == "step")
        {
            StepCase stepCase = StepCase.Create(StepCell.Lstm, 64, 8);
            StreamingRunner runner = stepCase.Runners().Single(r => r.Name == parts[1]).Runner;
            return runner.Step;
        }

        SequenceCase sequenceCase = SequenceCase.Create(SequenceLayer.Lstm, 128, 1);
        SequenceRunner sequence = sequenceCase.Runners().Single(r => r.Name == parts[1]).Runner;
        return () =>
        {
            sequence.Run();
            return 0f;
        };
    }

    /// <summary>The nearest-rank quantile q of the values.</summary>
    private static double Quantile(Span<double> values, double q)
    {
        double[] copy = values.ToArray();
        Array.Sort(copy);
        return copy[Math.Clamp((int)Math.Ceiling(q * copy.Length) - 1, 0, copy.Length - 1)];
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double Option(string[] args, string name, double fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
