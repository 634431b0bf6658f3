using System;
using RnnGen.Benchmarks.Benchmarks;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--weight-precision</c>: the <see cref="WeightPrecisionBenchmarks"/> cases (Step, 8 inputs, Dense(1) head, float32
/// against bfloat16 weights on the same weights) timed as the best of many short rounds, as <c>--streams</c> does: on a
/// loaded machine other processes only make a round slower. The two precisions alternate, three times each, and each
/// keeps its fastest, so that a quiet or busy spell of the machine falls on both.
/// </summary>
public static class WeightPrecisionMode
{
    public static int Run()
    {
        Console.WriteLine("Step, 8 inputs, Dense(1) head: best of up to 400 rounds, three alternating passes per precision; ns per step.");
        Console.WriteLine();
        Console.WriteLine("| Cell | Units | Float32 | BFloat16 | BFloat16 / Float32 |");
        Console.WriteLine("|---|--:|--:|--:|--:|");
        foreach (StepCell cell in Enum.GetValues<StepCell>())
        {
            foreach (int units in new[] { 64, 128 })
            {
                var float32 = new WeightPrecisionBenchmarks { Cell = cell, Units = units, Precision = WeightPrecision.Float32 };
                var bfloat16 = new WeightPrecisionBenchmarks { Cell = cell, Units = units, Precision = WeightPrecision.BFloat16 };
                float32.Setup();
                bfloat16.Setup();
                double a = double.MaxValue, b = double.MaxValue;
                for (int pass = 0; pass < 3; pass++)
                {
                    a = Math.Min(a, BestOfRoundsMode.BestNanoseconds(() => float32.Generated_Step()));
                    b = Math.Min(b, BestOfRoundsMode.BestNanoseconds(() => bfloat16.Generated_Step()));
                }

                Console.WriteLine(FormattableString.Invariant($"| {cell} | {units} | {a:F0} | {b:F0} | {b / a:F2} |"));
            }
        }

        return 0;
    }
}
