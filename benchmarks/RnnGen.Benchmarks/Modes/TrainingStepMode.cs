using System;
using System.Diagnostics;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Benchmarks;
using RnnGen.Training;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--training-step</c>: the training steps of <see cref="TrainingBenchmarks"/> timed by the fastest window, for a
/// shared host where BenchmarkDotNet's means measure the other processes too (they can only make a window slower, so
/// the fastest window tracks the code). Seed model: the best of 300 windows of 1,000 steps; LSTM(128): the best of 40
/// single steps after 40 warm-up steps (5 for the naive baseline, whose step takes seconds). Also splits the seed model's step into its parts
/// (forward and loss, gradients, the inference repack, which a step defers to the next inference call) for
/// docs/performance.md's "where the time goes".
/// </summary>
public static class TrainingStepMode
{
    public static int Run(double peakGflops)
    {
        var bench = new TrainingBenchmarks();
        bench.Setup();
        Console.WriteLine("Fastest window per operation (us):");
        Console.WriteLine($"  seed model, batch 1, naive backpropagation: {Best(() => bench.SeedModel_Batch1_Naive(), 1000, 100):F2}");
        Console.WriteLine($"  seed model, batch 1, TrainOnBatch:           {Best(() => bench.SeedModel_Batch1(), 1000, 300):F2}");

        var seed = new TrainingSeedModel();
        seed.Compile(new Adam(), new MeanSquaredError());
        float[] x = new float[39], y = new float[13];
        for (int i = 0; i < 13; i++)
        {
            x[3 * i] = i + 1;
            x[3 * i + 1] = i + 2;
            x[3 * i + 2] = i + 3;
            y[i] = i + 4;
        }

        Trainer trainer = seed.Trainer;
        float[] one = { 1, 2, 3 }, target = { 4 };
        float[][] weights = seed.GetWeights();
        Console.WriteLine($"  seed model, Fit, batch 1, per sample:        {Best(() => trainer.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false), 20, 300) / 13:F2}");
        Console.WriteLine($"  parts: forward and loss {Best(() => trainer.ComputeLoss(one, target, training: true), 1000, 200):F2}, " +
            $"forward, loss and gradients (with the result arrays) {Best(() => trainer.ComputeGradients(one, target), 1000, 200):F2}, " +
            $"SetWeights (copy and repack) {Best(() => seed.SetWeights(weights), 1000, 200):F2}");
        // A step leaves the repack to the next inference call: what a user who alternates the two pays.
        float[] prediction = new float[1];
        Console.WriteLine($"  Predict of one sequence {Best(() => seed.Predict(one, prediction), 1000, 200):F2}, " +
            $"TrainOnBatch then Predict (the deferred repack included) {Best(() => { trainer.TrainOnBatch(one, target); seed.Predict(one, prediction); }, 1000, 200):F2}");

        double lstm = Best(() => bench.Lstm128_T64_Batch64(), 1, 40, warmup: 40);
        double lstmTwo = Best(() => bench.Lstm128_T64_Batch64_TwoCores(), 1, 40, warmup: 40);
        double naive = Best(() => bench.Lstm128_T64_Batch64_Naive(), 1, 5);
        const double Gflop = 1.71; // 3 x 2 x 64 x 64 x 136 x 512 forward and backward matrix products
        Console.WriteLine($"  LSTM(128), T = 64, batch 64, naive:          {naive:F0} ({Gflop / (naive * 1e-6):F2} GFLOP/s)");
        Console.WriteLine($"  LSTM(128), T = 64, batch 64, one core:       {lstm:F0} ({Gflop / (lstm * 1e-6):F1} GFLOP/s, {100 * Gflop / (lstm * 1e-6) / peakGflops:F1}% of the one-core peak)");
        Console.WriteLine($"  LSTM(128), T = 64, batch 64, two cores:      {lstmTwo:F0} ({Gflop / (lstmTwo * 1e-6):F1} GFLOP/s)");
        return 0;
    }

    // The fastest of `rounds` windows of `inner` calls, in microseconds per call, after `warmup` calls (enough for the
    // JIT's tier-1 code: a step called fewer than 30 times may still run its first, unoptimized compilation).
    private static double Best(Action action, int inner, int rounds, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++)
            {
                action();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds / inner);
        }

        return best;
    }
}
