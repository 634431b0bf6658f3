using System;
using BenchmarkDotNet.Attributes;
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
/// kernels) through the generated <c>TrainOnBatch</c>: the seed model at batch 1 and LSTM(128) at batch 64. One
/// operation is one step. The FLOP count behind "% of peak" is forward plus backward matrix products:
/// 3 x 2 x T x B x (inputs + units) x 4 units for the LSTM layer (the Dense head is negligible).
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingSeedModel _seed = null!;
    private TrainingLstm128 _lstm = null!;
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
        _lstmX = Fill(64 * TrainingLstm128.Info.InputLength);
        _lstmY = Fill(64);
    }

    /// <summary>The seed model, batch 1 (the target: under 3 us).</summary>
    [Benchmark]
    public float SeedModel_Batch1() => _seed.TrainOnBatch(_seedX, _seedY);

    /// <summary>LSTM(128), 8 inputs, T = 64, batch 64: 2 x 64 x 64 x 136 x 512 = 0.57 GFLOP forward and twice that backward, 1.71 GFLOP per step.</summary>
    [Benchmark]
    public float Lstm128_T64_Batch64() => _lstm.TrainOnBatch(_lstmX, _lstmY);
}
