using System;
using System.Linq;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// The checked edges of a generated model's API: SetWeights, Predict's input length, stateful batch sizes, and seeded
/// construction. Every failure must say what was expected, and must leave the model as it was.
/// </summary>
public class GeneratedModelApiTests
{
    [Fact]
    public void SetWeights_with_a_missing_array_names_every_expected_weight_and_changes_nothing()
    {
        var model = new SmallLstm();
        float[][] before = model.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => model.SetWeights(before.Take(2).ToArray()));

        Assert.Equal("weights", error.ParamName);
        Assert.Contains("expects 3 weight array(s)", error.Message);
        Assert.Contains("lstm/kernel [5, 12], lstm/recurrent_kernel [3, 12], lstm/bias [12]", error.Message);
        Assert.Contains("got 2", error.Message);
        AssertSameWeights(before, model.GetWeights());
    }

    [Fact]
    public void SetWeights_with_a_wrong_length_names_the_weight_and_its_shape_and_changes_nothing()
    {
        var model = new SmallLstm();
        float[][] before = model.GetWeights();
        // The first array is valid and different: it must not be copied before the second one is found wrong.
        float[][] weights = { Enumerable.Repeat(0.5f, 60).ToArray(), new float[35], new float[12] };

        var error = Assert.Throws<ArgumentException>(() => model.SetWeights(weights));

        Assert.Equal("weights", error.ParamName);
        Assert.Contains("weights[1] (lstm/recurrent_kernel) must be [3, 12] = 36 floats", error.Message);
        Assert.Contains("but has 35", error.Message);
        AssertSameWeights(before, model.GetWeights());
    }

    [Fact]
    public void SetWeights_with_a_null_array_names_the_weight_and_changes_nothing()
    {
        var model = new SmallLstm();
        float[][] before = model.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => model.SetWeights(new[] { new float[60], new float[36], null! }));

        Assert.Contains("weights[2] (lstm/bias) is null; expected [12] = 12 floats", error.Message);
        AssertSameWeights(before, model.GetWeights());
    }

    [Fact]
    public void SetWeights_with_a_null_list_throws_ArgumentNullException()
    {
        var model = new SmallLstm();
        float[][] before = model.GetWeights();
        var error = Assert.Throws<ArgumentNullException>(() => model.SetWeights(null!));
        Assert.Equal("weights", error.ParamName);
        AssertSameWeights(before, model.GetWeights());
    }

    [Fact]
    public void GetWeights_returns_what_SetWeights_was_given_as_copies()
    {
        var model = new StackedClassifier();
        var random = new Random(7);
        float[][] weights = StackedClassifier.Info.Weights.Select(w => Enumerable.Range(0, w.Length).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();

        model.SetWeights(weights);
        float[][] read = model.GetWeights();
        AssertSameWeights(weights, read);

        read[0][0] = 1234f; // a copy: changing it changes nothing in the model
        weights[1][0] = 5678f; // nor does changing the array that was set
        Assert.NotEqual(1234f, model.GetWeights()[0][0]);
        Assert.NotEqual(5678f, model.GetWeights()[1][0]);
    }

    [Fact]
    public void Weight_shapes_follow_keras_get_weights_order()
    {
        // Keras: Bidirectional(LSTM(5)) on 3 features -> forward kernel [3, 20], recurrent [5, 20], bias [20], then the
        // backward copy; GRU(4, reset_after=False) on 10 features -> [10, 12], [4, 12], [12]; Dense(3) -> [4, 3], [3].
        Assert.Equal(
            new[]
            {
                "bidirectional/forward_lstm/kernel [3, 20]", "bidirectional/forward_lstm/recurrent_kernel [5, 20]", "bidirectional/forward_lstm/bias [20]",
                "bidirectional/backward_lstm/kernel [3, 20]", "bidirectional/backward_lstm/recurrent_kernel [5, 20]", "bidirectional/backward_lstm/bias [20]",
                "gru/kernel [10, 12]", "gru/recurrent_kernel [4, 12]", "gru/bias [12]",
                "dense/kernel [4, 3]", "dense/bias [3]",
            },
            StackedClassifier.Info.Weights.Select(w => w.ToString()));
        Assert.Equal(StackedClassifier.ParameterCount, new StackedClassifier().GetWeights().Sum(w => w.Length));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(0)]
    [InlineData(41)]
    public void Predict_with_a_bad_length_states_the_expected_shape(int length)
    {
        var model = new SmallLstm();
        var error = Assert.Throws<ArgumentException>(() => model.Predict(new float[length]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("SmallLstm expects batch x 4 x 5 floats (Timesteps x InputDim, a positive multiple of 20)", error.Message);
        Assert.Contains($"but the input has {length}", error.Message);
    }

    [Theory]
    [InlineData(1, 2, "input", "StatefulTagger.Step expects one timestep of 2 floats, but the input has 1.")]
    [InlineData(2, 3, "output", "StatefulTagger.Step writes 2 floats, but the output has room for 3.")]
    public void Step_with_a_bad_span_length_names_the_span_and_keeps_the_state(int inputLength, int outputLength, string parameter, string message)
    {
        var model = new StatefulTagger();
        float[] sample = { 0.5f, -1f }, output = new float[StatefulTagger.OutputDim];
        model.Step(sample, output);
        var error = Assert.Throws<ArgumentException>(() => model.Step(new float[inputLength], new float[outputLength]));
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);

        // The refused call did not advance the stream: the next step equals a stream that never saw it.
        var clean = new StatefulTagger();
        float[] expected = new float[StatefulTagger.OutputDim], actual = new float[StatefulTagger.OutputDim];
        clean.Step(sample, expected);
        clean.Step(sample, expected);
        model.Step(sample, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Predict_on_a_batch_equals_Forward_on_each_row()
    {
        var model = new SmallLstm(seed: 3);
        var random = new Random(11);
        float[] batch = Enumerable.Range(0, 3 * 20).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();

        float[][] outputs = model.Predict(batch);

        for (int b = 0; b < 3; b++)
        {
            SmallLstm.Input input = default;
            batch.AsSpan(b * 20, 20).CopyTo(input.AsSpan());
            model.Forward(in input, out SmallLstm.Output output);
            Assert.Equal(output.Result.AsSpan().ToArray(), outputs[0].AsSpan(b * 12, 12).ToArray());
            Assert.Equal(output.StateH.AsSpan().ToArray(), outputs[1].AsSpan(b * 3, 3).ToArray());
            Assert.Equal(output.StateC.AsSpan().ToArray(), outputs[2].AsSpan(b * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Stateful_model_refuses_another_batch_size_until_ResetStates()
    {
        var model = new StatefulTagger();
        float[] two = Input(2, seed: 1), three = Input(3, seed: 2);
        model.Predict(two);

        var error = Assert.Throws<InvalidOperationException>(() => model.Predict(three));
        Assert.Contains("holds states for a batch of 2, but was called with a batch of 3", error.Message);
        Assert.Contains("ResetStates()", error.Message);
        StatefulTagger.Input single = default;
        Assert.Throws<InvalidOperationException>(() => model.Forward(in single, out _)); // Forward is a batch of one

        model.ResetStates();
        Assert.Equal(3 * 3 * 2, model.Predict(three)[0].Length);
    }

    [Fact]
    public void Refused_stateful_call_leaves_the_stored_states_alone()
    {
        float[] first = Input(2, seed: 1), second = Input(2, seed: 3);
        var refused = new StatefulTagger();
        refused.Predict(first);
        Assert.Throws<InvalidOperationException>(() => refused.Predict(Input(1, seed: 5)));
        float[][] afterRefusal = refused.Predict(second);

        var undisturbed = new StatefulTagger();
        undisturbed.Predict(first);
        float[][] expected = undisturbed.Predict(second);

        Assert.Equal(expected[0], afterRefusal[0]);
    }

    [Fact]
    public void Stateful_model_continues_from_its_states_and_ResetStates_starts_over()
    {
        var model = new StatefulTagger();
        float[] input = Input(2, seed: 4);
        float[] first = model.Predict(input)[0];
        float[] second = model.Predict(input)[0];
        Assert.NotEqual(first, second); // the second call starts from the first call's final states

        model.ResetStates();
        Assert.Equal(first, model.Predict(input)[0]);
    }

    [Fact]
    public void Parameterless_constructor_is_reproducible_and_equals_the_default_seed()
    {
        AssertSameWeights(new StackedClassifier().GetWeights(), new StackedClassifier().GetWeights());
        AssertSameWeights(new StackedClassifier().GetWeights(), new StackedClassifier(StackedClassifier.DefaultSeed).GetWeights());
        AssertSameWeights(new StackedClassifier(42).GetWeights(), new StackedClassifier(42).GetWeights());
    }

    [Fact]
    public void Different_seeds_give_different_random_weights()
    {
        float[][] one = new SmallLstm(1).GetWeights(), two = new SmallLstm(2).GetWeights();
        Assert.NotEqual(one[0], two[0]); // kernel: glorot_uniform
        Assert.NotEqual(one[1], two[1]); // recurrent kernel: orthogonal
        Assert.Equal(one[2], two[2]); // bias: zeros (and unit-forget ones) whatever the seed
        Assert.Contains(one[0], w => w != 0f);
    }

    [Fact]
    public void Every_weight_array_draws_from_its_own_stream()
    {
        // Both directions of a bidirectional layer have the same shapes and initializers; with one shared stream
        // position they would start identical, which Keras's independent draws never do.
        float[][] weights = new DefaultBidirectionalLstm().GetWeights();
        Assert.NotEqual(weights[0], weights[3]);
        Assert.NotEqual(weights[1], weights[4]);
    }

    private static float[] Input(int batch, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batch * StatefulTagger.Timesteps * StatefulTagger.InputDim).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

    private static void AssertSameWeights(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
