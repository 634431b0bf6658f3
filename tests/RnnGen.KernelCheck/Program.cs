// Checks every model of Models.cs against the float64 reference model, on the vector width this process runs, and
// exits non-zero on any mismatch. See the project file for why this is a separate process.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using RnnGen;
using RnnGen.KernelCheck;
using RnnGen.Reference;

string width = Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : Vector128.IsHardwareAccelerated ? "128" : "none";
Console.WriteLine($"vector width: {width}");
var models = new IRnnModel[]
{
    new Lstm1(), new Lstm3(), new Lstm8(), new Lstm13(), new Lstm33(), new Lstm64(), new GruResetAfter5(),
    new GruResetBefore20(), new GruResetAfter70(), new GruResetBefore17(), new SimpleRnn9(), new SimpleRnn40(),
    new BidirectionalLstm6(), new BidirectionalGru4(), new Stack(), new DenseOnSequences(),
    new BidirectionalSimpleRnn7Concat(), new BidirectionalGru5Sum(), new BidirectionalLstm3Mul(), new GruStateful6(),
    new SimpleRnnBackwardSequences5(), new ActivationStack(), new BFloat16Stack(),
};

if (args.Length > 0 && args[0] == "--dump")
{
    // Every output of every model as the bits of each float, for a byte-for-byte comparison of two builds of the
    // generator (a restructuring must not change what the kernels compute).
    Dump(models);
    return 0;
}

var random = new Random(20261123);
int failures = 0;
foreach (IRnnModel model in models)
{
    float[][] weights = model.Info.Weights.Select(w => Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
    model.SetWeights(weights);
    const int batch = 6; // one chunk of four through the batched kernels, two sequences alone
    float[] input = Enumerable.Range(0, batch * model.Info.InputLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    // The weights the model computes with: those set, or for WeightPrecision.BFloat16 its kernels rounded (GetWeights).
    float[][] used = model.GetWeights();
    var exact = new ReferenceModel(model.Info, used, ReferencePrecision.Float64);
    var single = new ReferenceModel(model.Info, used, ReferencePrecision.Float32);

    // Two calls, so that stateful layers are checked carrying their states.
    for (int call = 0; call < 2; call++)
    {
        float[][] actual = model.Predict(input), expected = exact.Predict(input), rounded = single.Predict(input);
        for (int o = 0; o < actual.Length; o++)
        {
            failures += Compare($"{model.Info.Name} call {call + 1} {model.Info.Outputs[o].Name}", expected[o], rounded[o], actual[o]);
        }
    }

    if (model is IStreamingModel stream)
    {
        model.ResetStates();
        float[] expected = model.Predict(input.AsSpan(0, model.Info.InputLength))[0];
        int outputs = model.Info.Outputs[0].Dimensions[^1];
        bool sequence = model.Info.Outputs[0].Dimensions.Count == 2;
        var output = new float[outputs];
        stream.ResetStates();
        for (int t = 0; t < model.Info.Timesteps; t++)
        {
            stream.Step(input.AsSpan(t * model.Info.InputDim, model.Info.InputDim), output);
            if (sequence || t == model.Info.Timesteps - 1)
            {
                float[] want = expected.AsSpan(sequence ? t * outputs : 0, outputs).ToArray();
                failures += Compare($"{model.Info.Name} step {t}", want, want, output);
            }
        }
    }
}

failures += CheckAdam(new Lstm13(), random);
failures += CheckMultiplyAdd();

Console.WriteLine(failures == 0 ? $"all {models.Length} models and Adam's update agree with the reference" : $"{failures} mismatch(es)");
return failures == 0 ? 0 : 1;

// VectorMath.MultiplyAdd fuses exactly where the CPU has an FMA instruction: fused without it, .NET computes each
// lane in software (30 to 70 times slower, docs/performance.md "NativeAOT"); unfused with it, the kernels would
// give up a rounding and the speed of one instruction. a = b = 1 + 2^-13 makes a * b = 1 + 2^-12 + 2^-26, which
// float rounds to 1 + 2^-12: with c = -(1 + 2^-12) the fused result is 2^-26 and the unfused one 0.
static int CheckMultiplyAdd()
{
    bool hasFma = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
    float a = 1f + MathF.Pow(2, -13), c = -(1f + MathF.Pow(2, -12));
    float want = hasFma ? MathF.Pow(2, -26) : 0f;
    var results = new List<(string Width, float Value)>
    {
        ("128", RnnGen.Kernels.VectorMath.MultiplyAdd(Vector128.Create(a), Vector128.Create(a), Vector128.Create(c)).GetElement(0)),
    };
    if (Vector256.IsHardwareAccelerated)
    {
        results.Add(("256", RnnGen.Kernels.VectorMath.MultiplyAdd(Vector256.Create(a), Vector256.Create(a), Vector256.Create(c)).GetElement(0)));
    }

    if (Vector512.IsHardwareAccelerated)
    {
        results.Add(("512", RnnGen.Kernels.VectorMath.MultiplyAdd(Vector512.Create(a), Vector512.Create(a), Vector512.Create(c)).GetElement(0)));
    }

    int failures = 0;
    foreach ((string vectorWidth, float value) in results)
    {
        if (value != want)
        {
            Console.WriteLine($"MultiplyAdd at {vectorWidth} bits gives {value:R}, want {want:R} ({(hasFma ? "fused: the CPU has FMA" : "a multiply and an add: the CPU has no FMA")})");
            failures++;
        }
    }

    Console.WriteLine($"multiply-add: {(hasFma ? "fused" : "a multiply and an add")} at {string.Join(", ", results.Select(r => r.Width))} bits");
    return failures;
}

static void Dump(IRnnModel[] models)
{
    var random = new Random(7);
    foreach (IRnnModel model in models)
    {
        model.ResetStates();
        model.SetWeights(model.Info.Weights.Select(w => Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray());
        const int batch = 9; // two chunks of four and one sequence alone
        float[] input = Enumerable.Range(0, batch * model.Info.InputLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        for (int call = 0; call < 2; call++)
        {
            float[][] outputs = model.Predict(input);
            for (int o = 0; o < outputs.Length; o++)
            {
                Console.WriteLine($"{model.Info.Name} predict {call} {o}: {Hex(outputs[o])}");
            }

            float[] batched = new float[batch * model.Info.Outputs[0].Length];
            model.Predict(input, batched);
            Console.WriteLine($"{model.Info.Name} batch {call}: {Hex(batched)}");
        }

        if (model is IMaskedPredict masked)
        {
            // Masks that keep every step, none, a prefix, a suffix and every other step, one per sequence (batch 9 cycles them).
            bool[] mask = new bool[batch * model.Info.Timesteps];
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < model.Info.Timesteps; t++)
                {
                    mask[b * model.Info.Timesteps + t] = (b % 5) switch
                    {
                        0 => true,
                        1 => false,
                        2 => t < model.Info.Timesteps / 2 + 1,
                        3 => t >= model.Info.Timesteps / 2,
                        _ => t % 2 == 0,
                    };
                }
            }

            Dump("masked", masked.Predict(input, mask));
            if (masked is IInitialStatePredict initial)
            {
                float[][] initialState = InitialStates(model, batch, random);
                Dump("initial", initial.Predict(input, initialState));
                Dump("masked initial", initial.Predict(input, mask, initialState));
            }

            void Dump(string what, float[][] outputs)
            {
                for (int o = 0; o < outputs.Length; o++)
                {
                    Console.WriteLine($"{model.Info.Name} {what} {o}: {Hex(outputs[o])}");
                }
            }
        }

        if (model is IStreamingModel stream)
        {
            stream.ResetStates();
            var output = new float[model.Info.Outputs[0].Dimensions[^1]];
            for (int t = 0; t < 2 * model.Info.Timesteps; t++)
            {
                stream.Step(input.AsSpan(t * model.Info.InputDim, model.Info.InputDim), output);
                Console.WriteLine($"{model.Info.Name} step {t}: {Hex(output)}");
            }
        }
    }
}

// Random initial states for the one recurrent layer of a model: h (and an LSTM's c) per direction, batch x units each.
static float[][] InitialStates(IRnnModel model, int batch, Random random)
{
    LayerInfo layer = model.Info.Layers.Single(l => l.Kind is LayerKind.Lstm or LayerKind.Gru or LayerKind.SimpleRnn);
    int count = (layer.Kind == LayerKind.Lstm ? 2 : 1) * (layer.Bidirectional ? 2 : 1);
    return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, batch * layer.Units).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
}

// Adam's vector update (written for Vector512, copied per width by the build) against Keras's rule written here per
// element: the vector expressions are not fused, so every element must round exactly as this scalar loop does.
static int CheckAdam(Lstm13 model, Random random)
{
    const float LearningRate = 0.01f, Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-7f;
    const int Samples = 3;
    model.SetWeights(Lstm13.Info.Weights.Select(w => Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray());
    float[] x = Enumerable.Range(0, Samples * Lstm13.Info.InputLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    float[] y = Enumerable.Range(0, Samples * Lstm13.Info.Outputs[0].Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    model.Compile(new RnnGen.Training.Adam(learningRate: LearningRate, beta1: Beta1, beta2: Beta2, epsilon: Epsilon), new RnnGen.Training.MeanSquaredError());
    float[][] before = model.GetWeights();
    float[][] gradients = model.ComputeGradients(x, y);
    model.TrainOnBatch(x, y);
    float[][] after = model.GetWeights();

    // Step 1 from zero slots: m = g (1 - beta1), v = g^2 (1 - beta2), w -= m lr_t / (sqrt(v) + epsilon).
    float alpha = LearningRate * MathF.Sqrt(1 - MathF.Pow(Beta2, 1)) / (1 - MathF.Pow(Beta1, 1));
    for (int a = 0; a < before.Length; a++)
    {
        for (int i = 0; i < before[a].Length; i++)
        {
            float g = gradients[a][i];
            float m = 0f + (g - 0f) * (1 - Beta1), v = 0f + (g * g - 0f) * (1 - Beta2);
            float expected = before[a][i] - m * alpha / (MathF.Sqrt(v) + Epsilon);
            if (BitConverter.SingleToInt32Bits(after[a][i]) != BitConverter.SingleToInt32Bits(expected))
            {
                Console.WriteLine($"MISMATCH Adam {Lstm13.Info.Name} weight {a}[{i}]: {after[a][i]:R}, expected {expected:R}");
                return 1;
            }
        }
    }

    return 0;
}

static string Hex(float[] values) =>
    string.Join(" ", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8")));

// 1e-5 relative to max(1, |value|), plus twice the float32 noise of the element (see the numerics tests' Tolerance).
static int Compare(string what, float[] expected, float[] single, float[] actual)
{
    for (int i = 0; i < expected.Length; i++)
    {
        double bound = 1e-5 * Math.Max(1, Math.Abs(expected[i])) + 2 * Math.Abs(single[i] - expected[i]);
        if (!(Math.Abs(actual[i] - expected[i]) <= bound))
        {
            Console.WriteLine($"MISMATCH {what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
            return 1;
        }
    }

    return 0;
}
