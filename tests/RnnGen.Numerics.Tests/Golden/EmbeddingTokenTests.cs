using System;
using System.Linq;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>
/// Tokens of an <c>[Embedding]</c> model (docs/embedding.md): a token outside [0, input_dim) is an
/// <see cref="ArgumentOutOfRangeException"/> naming the token, its sequence and timestep and the range, thrown before
/// anything runs, so a stateful model's states are as they were; <c>Step(int)</c> streams what <c>Forward</c> computes.
/// </summary>
public class EmbeddingTokenTests
{
    private const int Timesteps = 4;
    private const int InputDim = 5;

    private const string Adapters = """
            public float[][] PredictTokens(int[] tokens) => Predict(tokens);
            public float[] ForwardTokens(int[] tokens)
            {
                Forward(tokens, out Output y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<Output, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public float[] StepToken(int token)
            {
                Step(token, out OutputStep y);
                return System.Runtime.InteropServices.MemoryMarshal.Cast<OutputStep, float>(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y, 1)).ToArray();
            }
            public float[] StepFloat(float token)
            {
                var y = new float[OutputDim];
                Step(new float[] { token }, y);
                return y;
            }
            public void StepStreamsArrays(float[] inputs, float[] outputs) => StepStreams(inputs, outputs);
            public void FitOnce(float[] x, float[] y)
            {
                Compile(new RnnGen.Training.Adam(), new RnnGen.Training.MeanSquaredError());
                Fit(x, y, epochs: 1, batchSize: 2);
            }
            public float[] TrainFloats(float[] x, float[] y)
            {
                Compile(new RnnGen.Training.Adam(), new RnnGen.Training.MeanSquaredError());
                Fit(x, y, epochs: 2, batchSize: 1, shuffle: false);
                return new[] { TrainOnBatch(x, y), Evaluate(x, y) };
            }
            public float[] TrainTokens(int[] tokens, float[] y)
            {
                Compile(new RnnGen.Training.Adam(), new RnnGen.Training.MeanSquaredError());
                Fit(tokens, y, epochs: 2, batchSize: 1, shuffle: false);
                return new[] { TrainOnBatch(tokens, y), Evaluate(tokens, y) };
            }
            public void ResetStreamCount(int streams) => ResetStreams(streams);

        """;

    private static readonly CaseLayer Embedding = new("Embedding", 3, EmbeddingInputDim: InputDim);

    private static readonly Lazy<DynamicModels> s_models = new(() => new DynamicModels(new[]
    {
        ("stateful", new CaseModel(Timesteps, 1, new[] { Embedding, new CaseLayer("Lstm", 2, "tanh", "sigmoid", Stateful: true) })),
        ("stream", new CaseModel(Timesteps, 1, new[] { Embedding, new CaseLayer("Gru", 3, "tanh", "sigmoid"), new CaseLayer("Dense", 2) })),
        ("stream_mask_zero", new CaseModel(Timesteps, 1, new[] { Embedding with { MaskZero = true }, new CaseLayer("Gru", 3, "tanh", "sigmoid"), new CaseLayer("Dense", 2) })),
    }, Adapters));

    private static IRnnModel Create(string name) => s_models.Value.Create(name);

    private static readonly float[] s_good = { 1, 2, 3, 4, 0, 4, 2, 1 };
    private static readonly float[] s_next = { 3, 3, 0, 2, 4, 1, 1, 2 };

    [Theory]
    [InlineData(5f, "5")]
    [InlineData(-1f, "-1")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(1e10f, "1E+10")]
    public void A_float_token_out_of_range_names_its_value_place_and_range_and_leaves_the_states_unchanged(float token, string shown)
    {
        IRnnModel model = Create("stateful");
        IRnnModel reference = Create("stateful");
        model.Predict(s_good);
        reference.Predict(s_good);

        float[] bad = (float[])s_next.Clone();
        bad[1 * Timesteps + 2] = token;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(bad));
        Assert.Contains($"the token {shown} at sequence 1, timestep 2", error.Message);
        Assert.Contains($"[0, {InputDim})", error.Message);
        Assert.Equal("input", error.ParamName);

        // The stored states are those of the first call: the next call continues from them as the reference's does.
        Assert.Equal(reference.Predict(s_next)[0], model.Predict(s_next)[0]);
    }

    [Fact]
    public void An_int_token_out_of_range_throws_before_anything_runs()
    {
        IRnnModel model = Create("stateful");
        IRnnModel reference = Create("stateful");
        model.Predict(s_good);
        reference.Predict(s_good);

        int[] bad = s_next.Select(t => (int)t).ToArray();
        bad[7] = InputDim;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<float[][]>(model, "PredictTokens", bad));
        Assert.Contains($"the token {InputDim} at sequence 1, timestep 3", error.Message);
        Assert.Equal("tokens", error.ParamName);

        int[] single = { 0, 1, -7, 2 };
        error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<float[]>(model, "ForwardTokens", single));
        Assert.Contains("the token -7 at sequence 0, timestep 2", error.Message);
        Assert.Throws<ArgumentException>(() => EmbeddingGoldenTests.Call<float[]>(model, "ForwardTokens", new[] { 1, 2, 3 }));

        Assert.Equal(reference.Predict(s_next)[0], model.Predict(s_next)[0]);
    }

    [Fact]
    public void Step_with_tokens_streams_what_Forward_computes_and_a_bad_token_keeps_the_states()
    {
        IRnnModel whole = Create("stream");
        IRnnModel stepped = Create("stream");
        int[] tokens = s_good.Take(Timesteps).Select(t => (int)t).ToArray();
        float[] expected = EmbeddingGoldenTests.Call<float[]>(whole, "ForwardTokens", tokens);

        float[] last = Array.Empty<float>();
        for (int t = 0; t < Timesteps; t++)
        {
            if (t == 2)
            {
                var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", 99));
                Assert.Contains("the token 99", error.Message);
                Assert.Equal("token", error.ParamName);
                error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<float[]>(stepped, "StepFloat", -2f));
                Assert.Contains("the token -2", error.Message);
            }

            last = EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", tokens[t]);
        }

        Tolerance.AssertClose(expected, last, "Step(int) after the whole sequence");
    }

    [Fact]
    public void Step_with_mask_zero_keeps_the_states_at_token_0_as_Keras_does_for_a_masked_step()
    {
        // Keras run one timestep at a time (stateful): a masked step keeps the states and the GRU returns zeros
        // (prev_output starts at zeros), so the Dense returns its bias; the next token continues from the kept states.
        IRnnModel whole = Create("stream_mask_zero");
        IRnnModel stepped = Create("stream_mask_zero");
        float[] bias = stepped.GetWeights()[^1];
        int[] padded = { 3, 1, 4, 0 };
        float[] expected = EmbeddingGoldenTests.Call<float[]>(whole, "ForwardTokens", padded);
        EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", 3);
        EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", 1);
        float[] third = EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", 4);
        Tolerance.AssertClose(expected, third, "Step after the valid tokens");
        Assert.Equal(bias, EmbeddingGoldenTests.Call<float[]>(stepped, "StepToken", 0));

        // A zero between tokens: the states after [3, 1, 0, 4] are those after [3, 1, 4], Forward's for [3, 1, 0, 4].
        IRnnModel gap = Create("stream_mask_zero");
        foreach (int token in new[] { 3, 1, 0 })
        {
            EmbeddingGoldenTests.Call<float[]>(gap, "StepToken", token);
        }

        Tolerance.AssertClose(EmbeddingGoldenTests.Call<float[]>(whole, "ForwardTokens", new[] { 3, 1, 0, 4 }), EmbeddingGoldenTests.Call<float[]>(gap, "StepToken", 4), "Step over a zero");
        Tolerance.AssertClose(expected, EmbeddingGoldenTests.Call<float[]>(whole, "ForwardTokens", new[] { 3, 1, 0, 4 }), "Forward skips the zero");
    }

    [Fact]
    public void The_table_is_Keras_layout_with_Keras_default_initializer()
    {
        // Embedding.build: embeddings (input_dim, output_dim), embeddings_initializer "uniform": RandomUniform(-0.05, 0.05).
        IRnnModel model = Create("stream");
        WeightShape table = model.Info.Layers[0].Weights[0];
        Assert.Equal("embedding/embeddings", table.Name);
        Assert.Equal(new[] { InputDim, 3 }, table.Dimensions);
        float[] embeddings = model.GetWeights()[0];
        Assert.All(embeddings, v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.True(embeddings.Distinct().Count() > embeddings.Length / 2, "the rows are drawn, not constant");
        Assert.Contains("embedding (Embedding)        (None, 4, 3)              15", (string)model.GetType().GetField("Summary")!.GetValue(null)!);
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("stream_mask_zero")] // s_good has a token 0: masked (RnnGen.Training.Tests checks the masked gradients against TensorFlow.js)
    public void The_int_training_overloads_train_as_the_float_ones_on_the_same_values(string name)
    {
        IRnnModel floats = Create(name);
        IRnnModel tokens = Create(name);
        float[] targets = { 0.5f, -0.5f, 1f, 0f };
        float[] viaFloats = EmbeddingGoldenTests.Call<float[]>(floats, "TrainFloats", s_good, targets);
        float[] viaTokens = EmbeddingGoldenTests.Call<float[]>(tokens, "TrainTokens", s_good.Select(t => (int)t).ToArray(), targets);
        Assert.Equal(viaFloats, viaTokens);
        Assert.Equal(floats.GetWeights(), tokens.GetWeights());
        Assert.NotEqual(Create(name).GetWeights()[0], tokens.GetWeights()[0]);

        // A bad int token is named before anything trains.
        int[] bad = s_good.Select(t => (int)t).ToArray();
        bad[1] = -3;
        float[][] before = tokens.GetWeights();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<float[]>(tokens, "TrainTokens", bad, targets));
        Assert.Contains("the token -3 at sequence 0, timestep 1", error.Message);
        Assert.Equal(before, tokens.GetWeights());
    }

    [Fact]
    public void Training_checks_every_token_before_any_step_and_then_trains()
    {
        IRnnModel model = Create("stream");
        float[][] before = model.GetWeights();
        float[] targets = { 0.5f, -0.5f, 1f, 0f };
        // The bad token is in the second sequence, the second batch of Fit: the first batch must not have stepped.
        float[] bad = s_good.ToArray();
        bad[^1] = InputDim;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<object?>(model, "FitOnce", bad, targets));
        Assert.Contains("the token 5 at sequence 1, timestep 3", error.Message);
        Assert.Equal(before, model.GetWeights());

        EmbeddingGoldenTests.Call<object?>(model, "FitOnce", s_good, targets);
        Assert.NotEqual(before[0], model.GetWeights()[0]);
    }

    [Fact]
    public void StepStreams_checks_every_stream_token_before_stepping_any()
    {
        IRnnModel model = Create("stream");
        IRnnModel reference = Create("stream");
        var outputs = new float[2 * 2];
        EmbeddingGoldenTests.Call<object?>(model, "ResetStreamCount", 2);
        EmbeddingGoldenTests.Call<object?>(reference, "ResetStreamCount", 2);
        EmbeddingGoldenTests.Call<object?>(model, "StepStreamsArrays", new float[] { 1, 2 }, outputs);
        EmbeddingGoldenTests.Call<object?>(reference, "StepStreamsArrays", new float[] { 1, 2 }, outputs);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingGoldenTests.Call<object?>(model, "StepStreamsArrays", new float[] { 3, 8 }, outputs));
        Assert.Contains("the token 8 at sequence 1, timestep 0", error.Message);

        var actual = new float[4];
        var expected = new float[4];
        EmbeddingGoldenTests.Call<object?>(model, "StepStreamsArrays", new float[] { 4, 0 }, actual);
        EmbeddingGoldenTests.Call<object?>(reference, "StepStreamsArrays", new float[] { 4, 0 }, expected);
        Assert.Equal(expected, actual);
    }
}
