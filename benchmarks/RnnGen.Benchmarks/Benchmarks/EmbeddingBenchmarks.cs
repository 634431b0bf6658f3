using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using RnnGen;
using RnnGen.Benchmarks.Baselines;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// What <c>[Embedding(MaskZero = true)]</c> costs (docs/embedding.md): the text model, Embedding(1000, 32) ->
/// Bidirectional(LSTM(32)) -> Dense(1), on a ragged batch of 64 token sequences of up to 64 tokens (lengths 64, 56, ...,
/// 8, zeros after), against the same LSTM and Dense given the gathered rows as floats and the lengths
/// (<see cref="EmbeddedRowsTagger"/>): the difference is the token check, the gather and the mask from the tokens.
/// ONNX Runtime runs the same model in the same run (issue 13), built from the same weights by
/// <see cref="OnnxExport.BuildTextModel"/> (Gather, a bidirectional LSTM with <c>sequence_lens</c>, MatMul + Add), with one
/// intra-op thread and with its default; its outputs are checked against RnnGen's before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class EmbeddingBenchmarks : IDisposable
{
    private const int Batch = 64;
    private readonly TokenTagger _tokens = new(seed: 1);
    private readonly EmbeddedRowsTagger _rows = new(seed: 1);
    private int[] _padded = Array.Empty<int>();
    private float[] _embedded = Array.Empty<float>();
    private int[] _lengths = Array.Empty<int>();
    private readonly float[] _onnxOutput = new float[Batch];
    private OnnxPipelineSession? _onnxOneThread;
    private OnnxPipelineSession? _onnxDefaultThreads;

    [GlobalSetup]
    public void Setup()
    {
        float[][] weights = _tokens.GetWeights();
        _rows.SetWeights(weights.Skip(1).ToArray());
        var random = new Random(7);
        _padded = new int[Batch * TokenTagger.Timesteps];
        _lengths = new int[Batch];
        _embedded = new float[Batch * TokenTagger.Timesteps * EmbeddedRowsTagger.InputDim];
        for (int b = 0; b < Batch; b++)
        {
            _lengths[b] = TokenTagger.Timesteps - b % 8 * 8;
            for (int t = 0; t < _lengths[b]; t++)
            {
                int token = random.Next(1, 1000);
                _padded[b * TokenTagger.Timesteps + t] = token;
                weights[0].AsSpan(token * EmbeddedRowsTagger.InputDim, EmbeddedRowsTagger.InputDim)
                    .CopyTo(_embedded.AsSpan((b * TokenTagger.Timesteps + t) * EmbeddedRowsTagger.InputDim));
            }
        }

        // Both compute the same numbers.
        float[] expected = _tokens.Predict(_padded)[0];
        if (!expected.AsSpan().SequenceEqual(_rows.Predict(_embedded, _lengths)[0]))
        {
            throw new InvalidOperationException("[Embedding(MaskZero = true)] and the gathered rows with lengths disagree.");
        }

        long[] tokens = Array.ConvertAll(_padded, t => (long)t);
        (_onnxOneThread, _onnxDefaultThreads) = OnnxCheck.Sessions(OnnxExport.BuildTextModel(_tokens), expected, "the text model",
            (_onnxOutput, new long[] { Batch, 1 }), ("tokens", tokens, new long[] { Batch, TokenTagger.Timesteps }), ("lengths", _lengths, new long[] { Batch }));
    }

    public void Dispose()
    {
        _onnxOneThread?.Dispose();
        _onnxDefaultThreads?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The gathered rows and their lengths: the recurrent work alone.</summary>
    [Benchmark(Baseline = true)]
    public float[][] Rows_Lengths() => _rows.Predict(_embedded, _lengths);

    /// <summary>The tokens: checked, gathered, masked from token 0, then the same recurrent work.</summary>
    [Benchmark]
    public float[][] Tokens_MaskZero() => _tokens.Predict(_padded);

    /// <summary>ONNX Runtime, one intra-op thread: tokens and lengths in, the Dense output out.</summary>
    [Benchmark]
    public void Onnx_OneThread() => _onnxOneThread!.Run();

    /// <summary>ONNX Runtime with its default intra-op threads.</summary>
    [Benchmark]
    public void Onnx_DefaultThreads() => _onnxDefaultThreads!.Run();
}

[Sequential(Timesteps = 64)]
[Embedding(1000, 32, MaskZero = true)]
[Lstm(32, Bidirectional = true)]
[Dense(1)]
public partial class TokenTagger;

[Sequential(Timesteps = 64, InputDim = 32)]
[Lstm(32, Bidirectional = true)]
[Dense(1)]
public partial class EmbeddedRowsTagger;
