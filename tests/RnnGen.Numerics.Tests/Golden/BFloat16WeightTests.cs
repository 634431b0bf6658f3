using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RnnGen.Kernels;
using RnnGen.Numerics.Tests.Infrastructure;
using RnnGen.Numerics.Tests.KerasReference;
using Xunit.Abstractions;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>
/// <c>[Sequential(WeightPrecision = WeightPrecision.BFloat16)]</c> on every golden case (TensorFlow.js, ONNX Runtime)
/// and every Keras 3 unit-test vector: the same models declared with bfloat16 weights, given the case's float32
/// weights.
/// <list type="bullet">
/// <item>Against a float32 model given the weights the bfloat16 model reports (<c>GetWeights</c>: the kernels rounded to
/// bfloat16), every output of <c>Predict</c>, the batched kernels and <c>Step</c> must be equal bit for bit: the
/// kernels widen each stored weight exactly and sum in the float32 kernels' order.</item>
/// <item>Against the engine (Keras, TF.js, ONNX Runtime), the error must stay within the bound bfloat16's mantissa
/// gives (derived at <see cref="FirstOrderBound"/>); the largest absolute and relative errors of each family are
/// written to the test output and stated in docs/performance.md.</item>
/// </list>
/// </summary>
public class BFloat16WeightTests
{
    private readonly ITestOutputHelper _output;

    public BFloat16WeightTests(ITestOutputHelper output) => _output = output;

    /// <summary>One case: its family (the engine that computed it), the model, weights, input and expected outputs.</summary>
    private sealed record Case(string Family, string Name, CaseModel Model, float[][] Weights, float[] Input, float[][]? InitialState, int Calls, float[][] Expected);

    private static readonly Lazy<List<Case>> s_cases = new(() =>
        GoldenCases.All.Value
            .Select(c => new Case(c.Engine, c.Engine + ":" + c.Name, c.Model, c.Weights.Select(w => w.Data).ToArray(), c.Input.Data,
                c.InitialState?.Select(s => s.Data).ToArray(), c.Calls, c.Expected.Select(e => e.Data).ToArray()))
            .Concat(Keras3VectorTests.Cases.Select(c => new Case("keras3", "keras3:" + c.Name, c.Model, c.Weights, c.Input, c.InitialState, c.Calls,
                c.Expected.Select(e => e.Data).ToArray())))
            .ToList());

    private static readonly Lazy<DynamicModels> s_bfloat16 = new(() =>
        new DynamicModels(s_cases.Value.Select(c => (c.Name, c.Model)), precision: WeightPrecision.BFloat16));

    // The same declarations ([Sequential] around every case) with float32 weights, so that the two differ in nothing else.
    private static readonly Lazy<DynamicModels> s_float32 = new(() =>
        new DynamicModels(s_cases.Value.Select(c => (c.Name, c.Model)), precision: WeightPrecision.Float32));

    public static IEnumerable<object[]> CaseNames => s_cases.Value.Select(c => new object[] { c.Name });

    public static IEnumerable<object[]> Families => s_cases.Value.Select(c => c.Family).Distinct().Select(f => new object[] { f });

    /// <summary>
    /// bfloat16's unit roundoff: 8 significant bits (7 stored and the implicit one) rounded to nearest, so for w in
    /// [2^e, 2^(e+1)) the error is at most half the spacing 2^(e-7), and |round(w) - w| &lt;= 2^-8 |w|.
    /// </summary>
    private const double UnitRoundoff = 1.0 / 256;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Get_weights_returns_the_rounded_kernels_and_the_rest_unchanged(string name)
    {
        Case c = s_cases.Value.Single(x => x.Name == name);
        IRnnModel model = s_bfloat16.Value.Create(name);
        model.SetWeights(c.Weights);
        float[][] reported = model.GetWeights();
        var owners = model.Info.Layers.SelectMany(l => l.Weights.Select(w => (Layer: l, Weight: w))).ToList();
        Assert.Equal(c.Weights.Length, reported.Length);
        for (int i = 0; i < reported.Length; i++)
        {
            bool rounded = owners[i].Layer.IsRecurrent && owners[i].Weight.Name.EndsWith("kernel", StringComparison.Ordinal);
            for (int j = 0; j < reported[i].Length; j++)
            {
                float set = c.Weights[i][j], got = reported[i][j];
                if (!rounded)
                {
                    Assert.Equal(set, got);
                    continue;
                }

                // A bfloat16: the low 16 bits of the float32 are zero, and it is the nearest one (within half its ulp).
                Assert.Equal(0u, BitConverter.SingleToUInt32Bits(got) & 0xFFFFu);
                Assert.True(Math.Abs((double)got - set) <= UnitRoundoff * Math.Abs((double)set),
                    $"{name} {owners[i].Weight.Name}[{j}]: {set:R} reported as {got:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Equals_a_float32_model_with_the_rounded_weights_bit_for_bit(string name)
    {
        Case c = s_cases.Value.Single(x => x.Name == name);

        // A fresh pair of models for each API: a stateful model keeps its states (and its batch size) between calls.
        (IRnnModel BFloat16, IRnnModel Float32) Pair()
        {
            IRnnModel bfloat16 = s_bfloat16.Value.Create(name), float32 = s_float32.Value.Create(name);
            bfloat16.SetWeights(c.Weights);
            float32.SetWeights(bfloat16.GetWeights());
            return (bfloat16, float32);
        }

        var (a, b) = Pair();
        float[][] outputsA = Run(a, c), outputsB = Run(b, c);
        for (int i = 0; i < outputsA.Length; i++)
        {
            AssertBitwise(outputsB[i], outputsA[i], $"{name} Predict output {i}");
        }

        // The batched kernels: 9 rows (two chunks of 4, one alone).
        if (c.InitialState is null)
        {
            (a, b) = Pair();
            int rows = 9, row = a.Info.InputLength;
            float[] input = Enumerable.Range(0, rows).SelectMany(r => c.Input.AsSpan((r % (c.Input.Length / row)) * row, row).ToArray()).ToArray();
            float[] batchA = new float[rows * a.Info.Outputs[0].Length], batchB = new float[batchA.Length];
            for (int call = 0; call < c.Calls; call++)
            {
                a.Predict(input, batchA);
                b.Predict(input, batchB);
            }

            AssertBitwise(batchB, batchA, $"{name} batch Predict");
        }

        // Step, one timestep at a time.
        (a, b) = Pair();
        if (a is IStreamingModel streamA && b is IStreamingModel streamB)
        {
            ModelInfo info = streamA.Info;
            int width = info.Outputs[0].Dimensions[^1];
            float[] stepA = new float[width], stepB = new float[width];
            streamA.ResetStates();
            streamB.ResetStates();
            for (int t = 0; t < info.Timesteps; t++)
            {
                streamA.Step(c.Input.AsSpan(t * info.InputDim, info.InputDim), stepA);
                streamB.Step(c.Input.AsSpan(t * info.InputDim, info.InputDim), stepB);
                AssertBitwise(stepB, stepA, $"{name} Step {t}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Error_against_the_engine_is_within_the_bfloat16_bound(string family)
    {
        double worstAbsolute = 0, worstScaled = 0, worstRelative = 0, worstBoundUse = 0;
        string worstCase = string.Empty;
        int cases = 0, values = 0;
        foreach (Case c in s_cases.Value.Where(x => x.Family == family))
        {
            IRnnModel model = s_bfloat16.Value.Create(c.Name);
            model.SetWeights(c.Weights);
            float[][] outputs = Run(model, c);
            double bound = FirstOrderBound(c, model.Info);
            cases++;
            for (int i = 0; i < c.Expected.Length; i++)
            {
                // Relative to the output's own scale: its largest |value| (an element near zero says little about relative error).
                double scale = Math.Max(1e-6, c.Expected[i].Select(Math.Abs).DefaultIfEmpty(0f).Max());
                for (int j = 0; j < c.Expected[i].Length; j++)
                {
                    double expected = c.Expected[i][j], error = Math.Abs(outputs[i][j] - expected);
                    values++;
                    Assert.True(error <= bound * Math.Max(1, Math.Abs(expected)),
                        $"{c.Name} output {i}[{j}]: {outputs[i][j]:R} against {expected:R}, |diff| {error:G3} > bound {bound:G3}");
                    worstAbsolute = Math.Max(worstAbsolute, error);
                    worstScaled = Math.Max(worstScaled, error / Math.Max(1, Math.Abs(expected)));
                    worstRelative = Math.Max(worstRelative, error / scale);
                    double use = error / (bound * Math.Max(1, Math.Abs(expected)));
                    if (use > worstBoundUse)
                    {
                        worstBoundUse = use;
                        worstCase = c.Name;
                    }
                }
            }
        }

        _output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0}: {1} cases, {2} values: largest |error| {3:G3}, largest |error| / max(1, |expected|) {4:G3}, largest |error| relative to the output's largest |value| {5:G3}; at most {6:P0} of the bound ({7})",
            family, cases, values, worstAbsolute, worstScaled, worstRelative, worstBoundUse, worstCase));
    }

    /// <summary>
    /// The error bfloat16 weights may add to an output, to first order, scaled like <see cref="Tolerance"/> (an absolute
    /// bound for outputs of order 1, relative beyond).
    /// </summary>
    /// <remarks>
    /// Rounding a weight w to bfloat16 changes it by at most u |w|, u = 2^-8 (8 significant bits, round to nearest).
    /// A pre-activation z = b + sum over the fan-in F of a_k w_k then moves by at most u * sum |a_k| |w_k| &lt;=
    /// u * F * A * W, where W is the layer's largest |kernel weight| and A bounds its inputs and states (max(1, the
    /// largest |input|) for the first layer; the recurrent states of tanh and sigmoid cells are within 1, and linear or
    /// relu outputs are covered by the relative scaling). The activations of the cases have slopes of at most about 1,
    /// so a step's output moves by no more than its pre-activation. The error of one step is carried into the next
    /// through the recurrent kernel; over T steps (times the calls of a stateful case) at most T such errors add up
    /// while the recurrence does not amplify them. Stacked layers add theirs. Plus the plain float32 tolerance
    /// (<see cref="Tolerance.Default"/>) that every comparison with an engine allows. The bound is loose (it assumes
    /// every rounding pushes the same way); the test output states how much of it each family uses.
    /// </remarks>
    private static double FirstOrderBound(Case c, ModelInfo info)
    {
        double inputs = Math.Max(1, c.Input.Select(Math.Abs).DefaultIfEmpty(0f).Max());
        double steps = c.Model.Timesteps * c.Calls;
        double sum = 0;
        int w = 0;
        foreach (LayerInfo layer in info.Layers)
        {
            double largest = 0;
            int fanIn = 0;
            foreach (WeightShape weight in layer.Weights)
            {
                if (layer.IsRecurrent && weight.Name.EndsWith("kernel", StringComparison.Ordinal))
                {
                    largest = Math.Max(largest, c.Weights[w].Select(Math.Abs).DefaultIfEmpty(0f).Max());
                    fanIn += weight.Dimensions[0];
                }

                w++;
            }

            // Each direction has its own kernel pair; fanIn counted both, which only loosens the bound for bidirectional layers.
            sum += UnitRoundoff * fanIn * largest * inputs * steps;
        }

        return sum + Tolerance.Default;
    }

    private static float[][] Run(IRnnModel model, Case c)
    {
        float[][] outputs = null!;
        for (int call = 0; call < c.Calls; call++)
        {
            outputs = c.InitialState is null ? model.Predict(c.Input) : DynamicModels.PredictWithInitialState(model, c.Input, c.InitialState);
        }

        return outputs;
    }

    private static void AssertBitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R} with bfloat16 weights and {expected[i]:R} with the rounded float32 weights.");
            }
        }
    }
}
