using System;
using BenchmarkDotNet.Attributes;
using RnnGen;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// What <c>[Masking]</c> costs (docs/masking.md): a batch of 64 sequences of 64 timesteps of 8 features through LSTM(64)
/// and a Dense, with the mask computed from the data (<see cref="MaskingLstm"/>), against the same layers without
/// Masking given the same padding as lengths (<see cref="PlainLstm"/>), and against the unmasked batch, which runs the
/// chunked kernels. The padded batch has lengths 64, 56, ..., 8 (a ragged batch, mean 36); the full one has none.
/// </summary>
[MemoryDiagnoser]
public class MaskingBenchmarks
{
    private const int Batch = 64;
    private readonly MaskingLstm _masking = new(seed: 1);
    private readonly PlainLstm _plain = new(seed: 1);
    private float[] _full = Array.Empty<float>();
    private float[] _padded = Array.Empty<float>();
    private int[] _lengths = Array.Empty<int>();
    private MaskingLstm.Input[] _paddedInputs = Array.Empty<MaskingLstm.Input>();
    private readonly MaskingLstm.Output[] _outputs = new MaskingLstm.Output[Batch];
    private const int Streams = 1000;
    private readonly float[] _streamInputs = new float[Streams * MaskingLstm.InputDim];
    private readonly float[] _streamOutputs = new float[Streams * MaskingLstm.OutputDim];
    private readonly float[] _streamStates = new float[Streams * MaskingLstm.StreamStateLength];

    [GlobalSetup]
    public void Setup()
    {
        _plain.SetWeights(_masking.GetWeights());
        var random = new Random(7);
        _full = new float[Batch * MaskingLstm.Timesteps * MaskingLstm.InputDim];
        for (int i = 0; i < _full.Length; i++)
        {
            _full[i] = (float)(random.NextDouble() * 2 - 1); // no all-zero timestep: nothing masked
        }

        _lengths = new int[Batch];
        _padded = (float[])_full.Clone();
        int row = MaskingLstm.Timesteps * MaskingLstm.InputDim;
        for (int b = 0; b < Batch; b++)
        {
            _lengths[b] = MaskingLstm.Timesteps - b % 8 * 8;
            Array.Clear(_padded, b * row + _lengths[b] * MaskingLstm.InputDim, (MaskingLstm.Timesteps - _lengths[b]) * MaskingLstm.InputDim);
        }

        _paddedInputs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, MaskingLstm.Input>(_padded).ToArray();
        for (int i = 0; i < _streamInputs.Length; i++)
        {
            // One stream in eight masked at this step (all its features 0), the others kept.
            _streamInputs[i] = i / MaskingLstm.InputDim % 8 == 0 ? 0f : (float)(random.NextDouble() * 2 - 1);
        }

        // Both ways of masking compute the same numbers, and the parallel overload what the serial one computes.
        float[] byData = _masking.Predict(_padded)[0], byLengths = _plain.Predict(_padded, _lengths)[0];
        if (!byData.AsSpan().SequenceEqual(byLengths))
        {
            throw new InvalidOperationException("[Masking] and Predict(input, lengths) disagree.");
        }

        var serial = new MaskingLstm.Output[Batch];
        _masking.Forward(_paddedInputs, serial);
        _masking.Forward(_paddedInputs, _outputs, maxDegreeOfParallelism: 2);
        for (int b = 0; b < Batch; b++)
        {
            if (!serial[b].Result.AsSpan().SequenceEqual(_outputs[b].Result.AsSpan()))
            {
                throw new InvalidOperationException($"The parallel overload disagrees with the serial one at sequence {b}.");
            }
        }
    }

    /// <summary>The model without Masking, unmasked: the batch runs in chunks of four through the batched kernels.</summary>
    [Benchmark(Baseline = true)]
    public float[][] Plain_Full() => _plain.Predict(_full);

    /// <summary>[Masking] on the same batch, nothing masked: one sequence at a time, the mask computed from the data.</summary>
    [Benchmark]
    public float[][] Masking_Full() => _masking.Predict(_full);

    /// <summary>[Masking] on the ragged batch: the padding's timesteps skip the cell.</summary>
    [Benchmark]
    public float[][] Masking_Padded() => _masking.Predict(_padded);

    /// <summary>[Masking] on the ragged batch through the typed batch Forward, on the calling thread.</summary>
    [Benchmark]
    public void Masking_Padded_Forward() => _masking.Forward(_paddedInputs, _outputs);

    /// <summary>The same with the chunks spread over two cores (each worker runs its padded sequences on its own memory).</summary>
    [Benchmark]
    public void Masking_Padded_Forward_TwoCores() => _masking.Forward(_paddedInputs, _outputs, maxDegreeOfParallelism: 2);

    /// <summary>One timestep of 1,000 streams of the [Masking] model (one in eight masked), on the calling thread.</summary>
    [Benchmark]
    public void Masking_StepStreams() => _masking.StepStreams(_streamInputs, _streamOutputs, _streamStates);

    /// <summary>The same on two cores: each worker steps its streams one at a time on its own memory.</summary>
    [Benchmark]
    public void Masking_StepStreams_TwoCores() => _masking.StepStreams(_streamInputs, _streamOutputs, _streamStates, maxDegreeOfParallelism: 2);

    /// <summary>The model without Masking given the ragged batch's lengths: the same work but for computing the mask.</summary>
    [Benchmark]
    public float[][] Plain_Lengths() => _plain.Predict(_padded, _lengths);
}

[Sequential(Timesteps = 64, InputDim = 8)]
[Masking]
[Lstm(64)]
[Dense(4)]
public partial class MaskingLstm;

[Sequential(Timesteps = 64, InputDim = 8)]
[Lstm(64)]
[Dense(4)]
public partial class PlainLstm;
