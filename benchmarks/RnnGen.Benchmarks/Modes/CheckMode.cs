using System;
using System.Diagnostics;
using RnnGen.Benchmarks.Benchmarks;

namespace RnnGen.Benchmarks.Modes;

/// <summary>
/// <c>--check</c>: runs every benchmark configuration's agreement check (what each [GlobalSetup] does) and nothing
/// else, in a few seconds: the baselines, ONNX Runtime and every generated API must compute the generated model's function within
/// the tolerance. Exits non-zero on the first disagreement.
/// </summary>
public static class CheckMode
{
    public static int Run()
    {
        var stopwatch = Stopwatch.StartNew();
        int checkedCases = 0;
        try
        {
            foreach (StepCell cell in Enum.GetValues<StepCell>())
            {
                foreach (int units in new[] { 8, 16, 32, 64, 128 })
                {
                    foreach (int inputDim in new[] { 1, 8 })
                    {
                        StepCase.Create(cell, units, inputDim).CheckAgreement();
                        checkedCases++;
                    }
                }
            }

            foreach (StepCell cell in Enum.GetValues<StepCell>())
            {
                foreach (int units in new[] { 32, 128 })
                {
                    // 9 streams: two chunks of four and one stream left over.
                    MultiStreamCase.Create(cell, units, streams: 9).CheckAgreement();
                    checkedCases++;
                }
            }

            foreach (SequenceLayer layer in Enum.GetValues<SequenceLayer>())
            {
                foreach (int units in new[] { 16, 32, 64, 128 })
                {
                    // Batch 3, not 64: the check covers every sequence position and the batch path in less time.
                    SequenceCase.Create(layer, units, batch: 3).CheckAgreement();
                    checkedCases++;
                }
            }
        }
        catch (InvalidOperationException exception)
        {
            Console.WriteLine("FAILED: " + exception.Message);
            return 1;
        }

        const string step = "with the Step API";
        const string batch = "with the batch API";
        const string streams = "with the multi-stream API";
        const string onnx = "ONNX Runtime on the same weights";
        Console.WriteLine($"All {checkedCases} configurations agree within {Harness.Agreement.Tolerance:G3} ({step}, {batch}, {streams}, {onnx}; {stopwatch.Elapsed.TotalSeconds:F1} s).");
        return 0;
    }
}
