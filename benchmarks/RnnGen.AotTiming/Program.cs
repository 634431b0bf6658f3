// Times the generated kernels the same way under the JIT and in a NativeAOT app: each case is the best of 15 rounds
// (other processes can only make a round slower), after warm-up calls. The outputs' sum is printed so that a build
// that computes something else is seen.
using System.Diagnostics;
using System.Runtime.Intrinsics;
using RnnGen;

// RuntimeFeature.IsDynamicCodeCompiled is false under the JIT too in a project with PublishAot (the SDK sets the switch).
bool jit = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
Console.WriteLine($"runtime: {(jit ? "JIT" : "NativeAOT")}, " +
    $"vectors: {(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128)} bits, " +
    $"FMA: {System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported}");

var random = new Random(3);
float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

var step16 = new AotLstm16Step();
var step64 = new AotLstm64Step();
var sequence128 = new AotLstm128Sequence();
var sequence64 = new AotLstm64Sequence();
var gruSequence64 = new AotGru64Sequence();
float[] stepInput = Random(8);
float[] stepOutput = new float[1];
float[] sequenceInput = Random(64 * 64 * 8);
float[] sequenceOutput = new float[64 * 4];

Report("Step, LSTM(16) x 8 inputs + Dense(1)", "ns", 1_000, () => step16.Step(stepInput, stepOutput), 20_000, stepOutput);
Report("Step, LSTM(64) x 8 inputs + Dense(1)", "ns", 1_000, () => step64.Step(stepInput, stepOutput), 5_000, stepOutput);
Report("Predict, LSTM(128) + Dense(4), 64 x 8, batch 1", "us", 1, () => sequence128.Predict(sequenceInput.AsSpan(0, 64 * 8), sequenceOutput.AsSpan(0, 4)), 50, sequenceOutput);
Report("Predict, LSTM(64) + Dense(4), 64 x 8, batch 64", "us", 1, () => sequence64.Predict(sequenceInput, sequenceOutput), 10, sequenceOutput);
Report("Predict, GRU(64) + Dense(4), 64 x 8, batch 64", "us", 1, () => gruSequence64.Predict(sequenceInput, sequenceOutput), 10, sequenceOutput);

static void Report(string name, string unit, double perMicrosecond, Action call, int calls, float[] output)
{
    for (int i = 0; i < calls; i++)
    {
        call();
    }

    double best = double.MaxValue;
    for (int round = 0; round < 15; round++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls);
    }

    Console.WriteLine($"{name}: {best * perMicrosecond:F1} {unit} (output sum {output.Sum():G6})");
}

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(16)]
[Dense(1)]
internal partial class AotLstm16Step;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(64)]
[Dense(1)]
internal partial class AotLstm64Step;

[Sequential(Timesteps = 64, InputDim = 8)]
[Lstm(128)]
[Dense(4)]
internal partial class AotLstm128Sequence;

[Sequential(Timesteps = 64, InputDim = 8)]
[Lstm(64)]
[Dense(4)]
internal partial class AotLstm64Sequence;

[Sequential(Timesteps = 64, InputDim = 8)]
[Gru(64)]
[Dense(4)]
internal partial class AotGru64Sequence;
