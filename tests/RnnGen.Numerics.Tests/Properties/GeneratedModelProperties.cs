using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using RnnGen.Numerics.Tests.Infrastructure;
using RnnGen.Reference;

namespace RnnGen.Numerics.Tests.Properties;

/// <summary>
/// Property: for any valid model (<see cref="ModelConfigurations"/>), any weights and any batch of inputs, the generated
/// model computes what the plain reference model computes. Compiling is the slow part, so the configurations are drawn
/// once from a fixed seed and compiled together; FsCheck then draws weights, batch sizes and inputs for each.
/// </summary>
public class GeneratedModelProperties
{
    private const int TrialsPerModel = 8;

    private static readonly Lazy<DynamicModels> s_models = new(() => new DynamicModels(ModelConfigurations.All.Concat(ModelConfigurations.ExponentialModels)));

    public static TheoryData<string> Names => new(ModelConfigurations.All.Select(c => c.Name));

    public static TheoryData<string> ExponentialNames => new(ModelConfigurations.ExponentialModels.Select(c => c.Name));

    /// <summary>One draw: weights for every array of the model, a batch size, and the inputs of two successive calls.</summary>
    public sealed record Trial(float[][] Weights, int Batch, float[] First, float[] Second)
    {
        public override string ToString() => $"batch {Batch}, weights [{string.Join(", ", Weights.Select(w => w.Length))}] floats";
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Generated_model_matches_the_reference_model(string name) =>
        // Weights uniform in [-0.5, 0.5): the scale of trained Keras weights, wide enough to reach the non-linear parts
        // of every activation; inputs uniform in [-1, 1].
        Check(name, TrialSeed + (ulong)Index(ModelConfigurations.All, name), kernelScale: 0.5f, recurrentScale: 0.5f);

    [Theory]
    [MemberData(nameof(ExponentialNames))]
    public void Generated_model_with_exponential_activations_matches_the_reference_model(string name) =>
        // Kernels and biases uniform in [-0.25, 0.25), recurrent kernels in [-0.02, 0.02), inputs in [-1, 1]. With at
        // most 4 inputs and 4 units (ModelConfigurations.ExponentialModels) a pre-activation is at most
        // 1.25 + 0.08 max|h|. A SimpleRNN's h = exp(z) then stays below 5.4, the first fixed point of
        // h = exp(1.25 + 0.08 h), and a step passes a rounding error of h on multiplied by at most 5.4 * 0.08 < 1, so
        // the recurrence does not amplify it (with the main test's 0.5 that recursion has no fixed point and can
        // overflow). An LSTM whose cell output is exp grows faster, h = o exp(c) (at most 8.8e3 over these trials,
        // measured), and stays finite: an inf or NaN would fail the comparison anyway (NaN <= bound is false).
        // Exp's accuracy over its whole range is VectorMathTests'; here the point is that every place an activation is
        // applied computes exp, lane for lane as the reference layers do.
        Check(name, ExponentialTrialSeed + (ulong)Index(ModelConfigurations.ExponentialModels, name), kernelScale: 0.25f, recurrentScale: 0.02f);

    private static void Check(string name, ulong seed, float kernelScale, float recurrentScale)
    {
        IRnnModel model = s_models.Value.Create(name);
        ModelInfo info = model.Info;
        Gen<Trial> trials =
            from weights in Gen.CollectToArray(info.Weights.Select(w => Floats(w.Length, w.Name.EndsWith("/recurrent_kernel", StringComparison.Ordinal) ? recurrentScale : kernelScale)))
            from batch in Gen.Choose(1, 4)
            from first in Floats(batch * info.InputLength, 1f)
            from second in Floats(batch * info.InputLength, 1f)
            select new Trial(weights, batch, first, second);

        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(TrialsPerModel)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        Prop.ForAll(trials.ToArbitrary(), trial => Agrees(name, model, trial)).Check(config);
    }

    // Fixed per configuration (string.GetHashCode is randomized per process), so a failure repeats on every run.
    private const ulong TrialSeed = 7_000_000;
    private const ulong ExponentialTrialSeed = 7_100_000;

    private static int Index(IReadOnlyList<(string Name, CaseModel Model)> cases, string name) => cases.Select(c => c.Name).ToList().IndexOf(name);

    private static Gen<float[]> Floats(int count, float scale) =>
        Gen.Choose(-1 << 20, 1 << 20).Select(i => i * scale / (1 << 20)).ArrayOf(count);

    private static void Agrees(string name, IRnnModel model, Trial trial)
    {
        model.ResetStates();
        model.SetWeights(trial.Weights);
        var reference = new ReferenceModel(model.Info, trial.Weights, ReferencePrecision.Float32);

        // Two calls: a stateful model must continue from the states of the first, any other must not remember it.
        foreach (var (input, call) in new[] { (trial.First, "first call"), (trial.Second, "second call") })
        {
            float[][] actual = model.Predict(input);
            float[][] expected = reference.Predict(input);
            Assert.Equal(expected.Length, actual.Length);
            for (int o = 0; o < expected.Length; o++)
            {
                // The plain bound, 1e-5 * max(1, |e|), against the float32 reference. The generated kernels add the same
                // products in another order (SIMD lanes, fused multiply-adds) and use their own exp and tanh, which
                // differ from the reference by float32 rounding, ~1e-7 relative; with gates bounded by 1
                // (ModelConfigurations) no recurrence amplifies that a hundredfold. Tolerance.cs's float32-noise
                // allowance is not needed: measured, every configuration passes without it.
                Tolerance.AssertClose(expected[o], actual[o], $"{name}, {trial}, {call}, {model.Info.Outputs[o].Name}");
            }
        }
    }
}
