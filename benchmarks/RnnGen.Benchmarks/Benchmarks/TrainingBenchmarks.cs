using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Training;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>Seed notebook 001's model, trained with batch size 1.</summary>
[Sequential(Timesteps = 3, InputDim = 1)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class TrainingSeedModel;

/// <summary>LSTM(128) over 64 timesteps of 8 features with a Dense(1) head: the large training case.</summary>
[Sequential(Timesteps = 64, InputDim = 8)]
[Lstm(128)]
[Dense(1)]
public partial class TrainingLstm128;

/// <summary>
/// One training step (forward with cached activations, backpropagation through time, Adam, repacking the inference
/// kernels) through the generated <c>TrainOnBatch</c>, against <see cref="TrainingNaiveBackprop"/> (textbook scalar
/// backpropagation, the baseline of the ratios): the seed model at batch 1 and LSTM(128) at batch 64, the latter also
/// with <see cref="Trainer.MaxDegreeOfParallelism"/> 2. One operation is one step. The FLOP count behind "% of peak"
/// is forward plus backward matrix products: 3 x 2 x T x B x (inputs + units) x 4 units for the LSTM layer (the Dense
/// head is negligible). The TensorFlow.js peer is <c>tests/golden/training-speed.mjs</c>, a separate process.
/// </summary>
// Min beside Mean: on a shared host other processes can only make an operation slower, so the fastest iteration
// tracks the code and the mean tracks the host's load as well.
[MemoryDiagnoser]
[MinColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TrainingBenchmarks
{
    private TrainingSeedModel _seed = null!;
    private TrainingLstm128 _lstm = null!, _lstmParallel = null!;
    private TrainingNaiveBackprop _naiveSeed = null!, _naiveLstm = null!;
    private float[] _seedX = null!, _seedY = null!, _lstmX = null!, _lstmY = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        float[] Fill(int n) => Array.ConvertAll(new float[n], _ => (float)(random.NextDouble() * 2 - 1));
        _seed = new TrainingSeedModel();
        _seed.Compile(new Adam(), new MeanSquaredError());
        _seedX = new float[] { 1, 2, 3 };
        _seedY = new float[] { 4 };
        _lstm = new TrainingLstm128();
        _lstm.Compile(new Adam(), new MeanSquaredError());
        _lstmParallel = new TrainingLstm128();
        _lstmParallel.Compile(new Adam(), new MeanSquaredError());
        _lstmParallel.Trainer.MaxDegreeOfParallelism = 2;
        _lstmX = Fill(64 * TrainingLstm128.Info.InputLength);
        _lstmY = Fill(64);
        _naiveSeed = new TrainingNaiveBackprop(1, 20, 3, lstmRelu: true, new[] { (5, true), (1, false) }, _seed.GetWeights());
        _naiveLstm = new TrainingNaiveBackprop(8, 128, 64, lstmRelu: false, new[] { (1, false) }, _lstm.GetWeights());

        // A row never times a wrong implementation: the baseline's gradients must be the generated model's.
        Check("seed model", _naiveSeed, _seed.ComputeGradients(_seedX, _seedY), _seedX, _seedY, 1);
        Check("LSTM(128)", _naiveLstm, _lstm.ComputeGradients(_lstmX, _lstmY), _lstmX, _lstmY, 64);
    }

    private static void Check(string name, TrainingNaiveBackprop naive, float[][] expected, float[] x, float[] y, int batch)
    {
        naive.Gradients(x, y, batch);
        float[][] actual = naive.LastGradients;
        for (int a = 0; a < expected.Length; a++)
        {
            double scale = expected[a].Max(v => Math.Abs((double)v)) + 1e-12;
            double worst = expected[a].Zip(actual[a], (e, g) => Math.Abs((double)e - g)).Max();
            // Two float32 summation orders and two tanh/sigmoid implementations (MathF against Eigen's rational tanh).
            if (worst > 1e-3 * scale)
            {
                throw new InvalidOperationException($"{name}: the naive backpropagation's gradient {a} differs from the generated model's by {worst} (largest {scale}).");
            }
        }
    }

    /// <summary>The seed model, batch 1, naive backpropagation.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("seed")]
    public float SeedModel_Batch1_Naive() => _naiveSeed.TrainOnBatch(_seedX, _seedY, 1);

    /// <summary>The seed model, batch 1 (the target: under 3 us).</summary>
    [Benchmark]
    [BenchmarkCategory("seed")]
    public float SeedModel_Batch1() => _seed.TrainOnBatch(_seedX, _seedY);

    /// <summary>LSTM(128), 8 inputs, T = 64, batch 64, naive backpropagation.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("lstm128")]
    public float Lstm128_T64_Batch64_Naive() => _naiveLstm.TrainOnBatch(_lstmX, _lstmY, 64);

    /// <summary>LSTM(128), 8 inputs, T = 64, batch 64: 2 x 64 x 64 x 136 x 512 = 0.57 GFLOP forward and twice that backward, 1.71 GFLOP per step.</summary>
    [Benchmark]
    [BenchmarkCategory("lstm128")]
    public float Lstm128_T64_Batch64() => _lstm.TrainOnBatch(_lstmX, _lstmY);

    /// <summary>The same step with <c>MaxDegreeOfParallelism = 2</c> (bitwise the same result).</summary>
    [Benchmark]
    [BenchmarkCategory("lstm128")]
    public float Lstm128_T64_Batch64_TwoCores() => _lstmParallel.TrainOnBatch(_lstmX, _lstmY);
}
