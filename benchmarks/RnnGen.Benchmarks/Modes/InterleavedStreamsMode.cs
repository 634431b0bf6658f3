using System;
using System.Diagnostics;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--interleaved-streams</c>: a profiling experiment for docs/performance.md ("Where the time goes"). For each
/// streaming model of <c>StepBenchmarks</c> with 8 inputs, times <c>Step</c> on one stream, then on four independent
/// models stepped in turn. If a step were bound by the latency of its own dependency chain, four streams would overlap
/// and take less time per step; if it were bound by weight traffic, four streams (four times the weights) would take
/// more once the weights leave L1; if neither changes, the work per step (instructions) is what counts.
/// Times are the best of 7 rounds of 100,000 steps per stream (other processes can only make a round slower).
/// </summary>
public static class InterleavedStreamsMode
{
    private const int StepsPerRound = 100_000;
    private const int Rounds = 7;

    public static int Run()
    {
        Console.WriteLine("Step, 8 inputs, Dense(1) head: ns per step, best of 7 rounds");
        Console.WriteLine();
        Console.WriteLine("| Model | Weights (float32) | One stream | Four interleaved streams | Four / one |");
        Console.WriteLine("|---|--:|--:|--:|--:|");
        Measure("LSTM(8)", () => new LstmStep8x8());
        Measure("LSTM(16)", () => new LstmStep16x8());
        Measure("LSTM(32)", () => new LstmStep32x8());
        Measure("LSTM(64)", () => new LstmStep64x8());
        Measure("LSTM(128)", () => new LstmStep128x8());
        Measure("GRU(8)", () => new GruStep8x8());
        Measure("GRU(16)", () => new GruStep16x8());
        Measure("GRU(32)", () => new GruStep32x8());
        Measure("GRU(64)", () => new GruStep64x8());
        Measure("GRU(128)", () => new GruStep128x8());
        return 0;
    }

    private static void Measure(string name, Func<IStreamingModel> create)
    {
        IStreamingModel a = create(), b = create(), c = create(), d = create();
        float[] input = new float[8], output = new float[1];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = 0.1f * i - 0.3f;
        }

        for (int i = 0; i < StepsPerRound; i++)
        {
            a.Step(input, output);
            b.Step(input, output);
            c.Step(input, output);
            d.Step(input, output);
        }

        double one = double.MaxValue, four = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < StepsPerRound; i++)
            {
                a.Step(input, output);
            }

            one = Math.Min(one, Stopwatch.GetElapsedTime(start).TotalNanoseconds / StepsPerRound);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < StepsPerRound; i++)
            {
                a.Step(input, output);
                b.Step(input, output);
                c.Step(input, output);
                d.Step(input, output);
            }

            four = Math.Min(four, Stopwatch.GetElapsedTime(start).TotalNanoseconds / (4.0 * StepsPerRound));
        }

        long weightBytes = a.Info.ParameterCount * sizeof(float);
        Console.WriteLine($"| {name} | {weightBytes / 1024.0:F0} KB | {one:F1} ns | {four:F1} ns | {four / one:F2} |");
    }
}
