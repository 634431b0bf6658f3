using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Harness;
using RnnGen.Benchmarks.Models;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// Which matrix-vector shape the TensorPrimitives baseline should use (<see cref="KerasBaselines.TensorPrimitivesLayout"/>):
/// a careful developer would try both and keep the faster, so the comparison with the generated code is against the
/// better one. One LSTM streaming step (Dense(1) head), 8 inputs.
/// </summary>
[MemoryDiagnoser]
public class TensorPrimitivesLayoutBenchmarks
{
    private BaselineStreamingRunner _axpy = null!;
    private BaselineStreamingRunner _dot = null!;

    [Params(8, 32, 128)]
    public int Units { get; set; }

    public int InputDim => 8;

    [GlobalSetup]
    public void Setup()
    {
        StepCase reference = StepCase.Create(StepCell.Lstm, Units, InputDim);
        reference.CheckAgreement();
        _axpy = new BaselineStreamingRunner(KerasBaselines.Streaming(reference.Model, BaselineKind.TensorPrimitives, MatVecLayout.AxpyRows));
        _dot = new BaselineStreamingRunner(KerasBaselines.Streaming(reference.Model, BaselineKind.TensorPrimitives, MatVecLayout.DotRows));
        float[] naive = StepCase.Outputs(reference.Naive, 64, resetEachStep: false);
        Agreement.Check($"LSTM({Units}) AxpyRows against Naive", naive, StepCase.Outputs(_axpy, 64, resetEachStep: false));
        Agreement.Check($"LSTM({Units}) DotRows against Naive", naive, StepCase.Outputs(_dot, 64, resetEachStep: false));
    }

    /// <summary>z += x[k] * W[k, :] for each input row k (TensorPrimitives.MultiplyAdd), Keras layout.</summary>
    [Benchmark(Baseline = true)]
    public float AxpyRows() => _axpy.Step();

    /// <summary>z[j] = Dot(Wᵀ[j, :], [x | h]) for each output j (TensorPrimitives.Dot), pre-transposed.</summary>
    [Benchmark]
    public float DotRows() => _dot.Step();
}
