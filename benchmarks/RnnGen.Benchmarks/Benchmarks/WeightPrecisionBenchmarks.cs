using System;
using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// The generated <c>Step</c> with float32 weights (the models of Models/StepModels.cs) against the same model declared
/// with <c>WeightPrecision = WeightPrecision.BFloat16</c> (Models/BFloat16StepModels.cs), on the same weights, in one run:
/// 8 inputs, a Dense(1) head, 64 and 128 units, where a step streams its weights from L2 (LSTM(128): 272 KB in float32).
/// </summary>
[MinColumn]
public class WeightPrecisionBenchmarks
{
    private StreamingRunner _runner = null!;

    [Params(StepCell.Lstm, StepCell.Gru)]
    public StepCell Cell { get; set; }

    [Params(64, 128)]
    public int Units { get; set; }

    [Params(WeightPrecision.Float32, WeightPrecision.BFloat16)]
    public WeightPrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (IRnnModel float32, IRnnModel bfloat16) = (Cell, Units) switch
        {
            (StepCell.Lstm, 64) => ((IRnnModel)new LstmStep64x8(), (IRnnModel)new LstmStep64x8BFloat16()),
            (StepCell.Lstm, 128) => (new LstmStep128x8(), new LstmStep128x8BFloat16()),
            (StepCell.Gru, 64) => (new GruStep64x8(), new GruStep64x8BFloat16()),
            (StepCell.Gru, 128) => (new GruStep128x8(), new GruStep128x8BFloat16()),
            _ => throw new ArgumentException($"No bfloat16 streaming model is declared for {Cell}({Units}) (Models/BFloat16StepModels.cs)."),
        };

        TestData.RandomizeBiases(float32);
        bfloat16.SetWeights(float32.GetWeights());
        CheckAgreement(float32, bfloat16);
        _runner = ((IStepRunnerSource)(Precision == WeightPrecision.Float32 ? float32 : bfloat16)).CreateStepRunner();
        _runner.ResetStates();
        _runner.Rewind();
    }

    /// <summary>The generated Step(in InputStep, out OutputStep).</summary>
    [Benchmark]
    public float Generated_Step() => _runner.Step();

    /// <summary>
    /// Throws unless the bfloat16 model computes, over 64 steps with the state carried, exactly what a float32 model
    /// given its rounded weights (GetWeights) computes; and states how far that is from the float32 model.
    /// </summary>
    private static void CheckAgreement(IRnnModel float32, IRnnModel bfloat16)
    {
        var rounded = (IRnnModel)Activator.CreateInstance(float32.GetType())!;
        rounded.SetWeights(bfloat16.GetWeights());
        StreamingRunner a = ((IStepRunnerSource)bfloat16).CreateStepRunner(), b = ((IStepRunnerSource)rounded).CreateStepRunner(), c = ((IStepRunnerSource)float32).CreateStepRunner();
        foreach (StreamingRunner runner in new[] { a, b, c })
        {
            runner.ResetStates();
            runner.Rewind();
        }

        double largest = 0;
        for (int t = 0; t < 64; t++)
        {
            float x = a.Step(), y = b.Step(), z = c.Step();
            if (BitConverter.SingleToUInt32Bits(x) != BitConverter.SingleToUInt32Bits(y))
            {
                throw new InvalidOperationException($"{bfloat16.Info.Name}: step {t} gives {x:R} with bfloat16 weights and {y:R} with the same weights rounded in float32.");
            }

            largest = Math.Max(largest, Math.Abs(x - z));
        }

        Console.WriteLine($"// {bfloat16.Info.Name}: equal bit for bit to float32 with the rounded weights over 64 steps; largest |difference| from the float32 weights {largest:G3}");
        bfloat16.ResetStates();
        float32.ResetStates();
    }
}
