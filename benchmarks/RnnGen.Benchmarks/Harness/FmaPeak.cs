using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Benchmarks.Harness;

/// <summary>
/// This machine's single-core FP32 peak, measured rather than taken from a datasheet: a loop of fused multiply-adds
/// on 16 independent accumulators (enough to cover FMA latency x FMA pipes: 4 cycles x 2 pipes on Zen 4/5, after
/// AMD's Software Optimization Guide for Family 19h/1Ah), each FMA counting 2 flops per lane. The widest vector the
/// JIT accelerates is used (Vector512 with AVX-512), so the figure is what one core can reach, the ceiling the
/// "% peak" column divides by.
/// </summary>
public static class FmaPeak
{
    private const int Accumulators = 16;

    public sealed record Result(double Gflops, string Vector, int Lanes, double GigaFmasPerSecond)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"single-core FP32 peak: {Gflops:F1} GFLOP/s ({Vector} FMA, {Lanes} lanes, {Accumulators} independent accumulators, {GigaFmasPerSecond:F2} G vector FMA/s)");
    }

    /// <summary>
    /// Best of many short runs (about 2 ms each, 0.2 s in all), on the current thread: on a shared machine some of
    /// them run undisturbed, and the best is the core's own speed.
    /// </summary>
    public static Result Measure()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Best("Vector512", Vector512<float>.Count, Run512);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Best("Vector256", Vector256<float>.Count, Run256);
        }

        return Best("Vector128", Vector128<float>.Count, Run128);
    }

    /// <summary>The same measurement on 256-bit vectors, to show what AVX2-width code can reach on this core.</summary>
    public static Result Measure256() => Best("Vector256", Vector256<float>.Count, Run256);

    private static Result Best(string vector, int lanes, Func<long, float> run)
    {
        const long Iterations = 1_000_000;
        run(1000); // compiled fully optimised (AggressiveOptimization) on first call; this call just warms caches and clocks
        double bestSeconds = double.MaxValue;
        float sink = 0f;
        for (int trial = 0; trial < 60; trial++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += run(Iterations);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            bestSeconds = Math.Min(bestSeconds, seconds);
        }

        if (float.IsNaN(sink))
        {
            throw new InvalidOperationException("The FMA loop produced NaN.");
        }

        double fmas = (double)Iterations * Accumulators;
        return new Result(fmas * lanes * 2 / bestSeconds / 1e9, vector, lanes, fmas / bestSeconds / 1e9);
    }

    // acc = acc * a + b converges to b / (1 - a) = 1: no overflow, no denormals, whatever the iteration count.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run512(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(0.000001f);
        Vector512<float> a0 = Vector512.Create(0.1f), a1 = Vector512.Create(0.2f), a2 = Vector512.Create(0.3f), a3 = Vector512.Create(0.4f);
        Vector512<float> a4 = Vector512.Create(0.5f), a5 = Vector512.Create(0.6f), a6 = Vector512.Create(0.7f), a7 = Vector512.Create(0.8f);
        Vector512<float> a8 = Vector512.Create(0.9f), a9 = Vector512.Create(1.0f), a10 = Vector512.Create(1.1f), a11 = Vector512.Create(1.2f);
        Vector512<float> a12 = Vector512.Create(1.3f), a13 = Vector512.Create(1.4f), a14 = Vector512.Create(1.5f), a15 = Vector512.Create(1.6f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, a, b); a1 = Vector512.FusedMultiplyAdd(a1, a, b);
            a2 = Vector512.FusedMultiplyAdd(a2, a, b); a3 = Vector512.FusedMultiplyAdd(a3, a, b);
            a4 = Vector512.FusedMultiplyAdd(a4, a, b); a5 = Vector512.FusedMultiplyAdd(a5, a, b);
            a6 = Vector512.FusedMultiplyAdd(a6, a, b); a7 = Vector512.FusedMultiplyAdd(a7, a, b);
            a8 = Vector512.FusedMultiplyAdd(a8, a, b); a9 = Vector512.FusedMultiplyAdd(a9, a, b);
            a10 = Vector512.FusedMultiplyAdd(a10, a, b); a11 = Vector512.FusedMultiplyAdd(a11, a, b);
            a12 = Vector512.FusedMultiplyAdd(a12, a, b); a13 = Vector512.FusedMultiplyAdd(a13, a, b);
            a14 = Vector512.FusedMultiplyAdd(a14, a, b); a15 = Vector512.FusedMultiplyAdd(a15, a, b);
        }

        Vector512<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run256(long iterations)
    {
        Vector256<float> a = Vector256.Create(0.999999f), b = Vector256.Create(0.000001f);
        Vector256<float> a0 = Vector256.Create(0.1f), a1 = Vector256.Create(0.2f), a2 = Vector256.Create(0.3f), a3 = Vector256.Create(0.4f);
        Vector256<float> a4 = Vector256.Create(0.5f), a5 = Vector256.Create(0.6f), a6 = Vector256.Create(0.7f), a7 = Vector256.Create(0.8f);
        Vector256<float> a8 = Vector256.Create(0.9f), a9 = Vector256.Create(1.0f), a10 = Vector256.Create(1.1f), a11 = Vector256.Create(1.2f);
        Vector256<float> a12 = Vector256.Create(1.3f), a13 = Vector256.Create(1.4f), a14 = Vector256.Create(1.5f), a15 = Vector256.Create(1.6f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, a, b); a1 = Vector256.FusedMultiplyAdd(a1, a, b);
            a2 = Vector256.FusedMultiplyAdd(a2, a, b); a3 = Vector256.FusedMultiplyAdd(a3, a, b);
            a4 = Vector256.FusedMultiplyAdd(a4, a, b); a5 = Vector256.FusedMultiplyAdd(a5, a, b);
            a6 = Vector256.FusedMultiplyAdd(a6, a, b); a7 = Vector256.FusedMultiplyAdd(a7, a, b);
            a8 = Vector256.FusedMultiplyAdd(a8, a, b); a9 = Vector256.FusedMultiplyAdd(a9, a, b);
            a10 = Vector256.FusedMultiplyAdd(a10, a, b); a11 = Vector256.FusedMultiplyAdd(a11, a, b);
            a12 = Vector256.FusedMultiplyAdd(a12, a, b); a13 = Vector256.FusedMultiplyAdd(a13, a, b);
            a14 = Vector256.FusedMultiplyAdd(a14, a, b); a15 = Vector256.FusedMultiplyAdd(a15, a, b);
        }

        Vector256<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector256.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run128(long iterations)
    {
        Vector128<float> a = Vector128.Create(0.999999f), b = Vector128.Create(0.000001f);
        Vector128<float> a0 = Vector128.Create(0.1f), a1 = Vector128.Create(0.2f), a2 = Vector128.Create(0.3f), a3 = Vector128.Create(0.4f);
        Vector128<float> a4 = Vector128.Create(0.5f), a5 = Vector128.Create(0.6f), a6 = Vector128.Create(0.7f), a7 = Vector128.Create(0.8f);
        for (long i = 0; i < iterations; i++)
        {
            // 8 accumulators twice over keeps the count at 16 FMAs per iteration, as in the wider loops.
            a0 = Vector128.FusedMultiplyAdd(a0, a, b); a1 = Vector128.FusedMultiplyAdd(a1, a, b);
            a2 = Vector128.FusedMultiplyAdd(a2, a, b); a3 = Vector128.FusedMultiplyAdd(a3, a, b);
            a4 = Vector128.FusedMultiplyAdd(a4, a, b); a5 = Vector128.FusedMultiplyAdd(a5, a, b);
            a6 = Vector128.FusedMultiplyAdd(a6, a, b); a7 = Vector128.FusedMultiplyAdd(a7, a, b);
            a0 = Vector128.FusedMultiplyAdd(a0, a, b); a1 = Vector128.FusedMultiplyAdd(a1, a, b);
            a2 = Vector128.FusedMultiplyAdd(a2, a, b); a3 = Vector128.FusedMultiplyAdd(a3, a, b);
            a4 = Vector128.FusedMultiplyAdd(a4, a, b); a5 = Vector128.FusedMultiplyAdd(a5, a, b);
            a6 = Vector128.FusedMultiplyAdd(a6, a, b); a7 = Vector128.FusedMultiplyAdd(a7, a, b);
        }

        Vector128<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        return Vector128.Sum(sum);
    }
}
