using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using RnnGen.Testing;

namespace RnnGen.Numerics.Tests.Seeds;

/// <summary>
/// The numbers and summaries the seed notebooks printed from Keras (shared/seeds), reproduced by declared models.
/// The expected values are Keras's printed outputs, copied from the notebooks.
/// </summary>
public class SeedNotebookTests
{
    // train_X of the notebooks: 4 timesteps of 5 features, batch 1.
    private static readonly float[] s_trainX =
    {
        0.1f, 4.2f, 1.5f, 1.1f, 2.8f,
        1.0f, 3.1f, 2.5f, 0.7f, 1.1f,
        0.3f, 2.1f, 1.5f, 2.1f, 0.1f,
        2.2f, 1.4f, 0.5f, 0.9f, 1.1f,
    };

    [Fact]
    public void Bidirectional_lstm_with_constant_initializers_reproduces_keras()
    {
        var model = new SeedBidirectionalLstm();
        SeedBidirectionalLstm.Input input = default;
        s_trainX.AsSpan().CopyTo(input.AsSpan());
        model.Forward(in input, out SeedBidirectionalLstm.Output output);

        // hidden_states, forward_h, forward_c, backward_h, backward_c = bilstm(train_X)
        AssertAll(new[] { 0.6303139f, 0.6303139f, 0.6303139f, 0.70387346f, 0.70387346f, 0.70387346f }, output.Result.AsSpan().ToArray());
        AssertAll(Enumerable.Repeat(0.6303139f, 3).ToArray(), output.ForwardStateH.AsSpan().ToArray());
        AssertAll(Enumerable.Repeat(1.5707088f, 3).ToArray(), output.ForwardStateC.AsSpan().ToArray());
        AssertAll(Enumerable.Repeat(0.70387346f, 3).ToArray(), output.BackwardStateH.AsSpan().ToArray());
        AssertAll(Enumerable.Repeat(1.6402447f, 3).ToArray(), output.BackwardStateC.AsSpan().ToArray());
    }

    [Fact]
    public void Bidirectional_lstm_sequence_reproduces_keras()
    {
        var model = new SeedBidirectionalLstmSequences();
        float[][] outputs = model.Predict(s_trainX);

        // Keras: [[0.35906476 x3, 0.70387346 x3], [0.5511133 x3, 0.5886358 x3], [0.5911575 x3, 0.39516988 x3],
        // [0.6303139 x3, 0.2194224 x3]]: forward in time order, backward flipped back to time order.
        float[] forward = { 0.35906476f, 0.5511133f, 0.5911575f, 0.6303139f };
        float[] backward = { 0.70387346f, 0.5886358f, 0.39516988f, 0.2194224f };
        float[] expected = Enumerable.Range(0, 4)
            .SelectMany(t => Enumerable.Repeat(forward[t], 3).Concat(Enumerable.Repeat(backward[t], 3)))
            .ToArray();
        AssertAll(expected, outputs[0]);
        AssertAll(Enumerable.Repeat(0.6303139f, 3).ToArray(), outputs[1]);
        AssertAll(Enumerable.Repeat(0.70387346f, 3).ToArray(), outputs[3]);
    }

    [Fact]
    public Task Seed_outputs_snapshot()
    {
        var text = new StringBuilder();
        float[][] state = new SeedBidirectionalLstm().Predict(s_trainX);
        float[][] sequence = new SeedBidirectionalLstmSequences().Predict(s_trainX);
        foreach (var (name, values) in new[] { ("output", state[0]), ("forward_h", state[1]), ("forward_c", state[2]), ("backward_h", state[3]), ("backward_c", state[4]), ("sequence", sequence[0]) })
        {
            text.Append(name).Append(": ").AppendLine(string.Join(" ", values.Select(v => v.ToString("F6", CultureInfo.InvariantCulture))));
        }

        return Snapshot.Verify(text.ToString());
    }

    [Fact]
    public void Parameter_counts_match_the_notebook_summaries()
    {
        Assert.Equal(42, SeedSimpleRnnModel.ParameterCount);
        Assert.Equal(112 + 136, SeedDeepRnn.ParameterCount);
        Assert.Equal(new long[] { 112, 136 }, SeedDeepRnn.Info.Layers.Select(l => l.Weights.Sum(w => (long)w.Length)));

        // The forecaster's cell in the notebook (shared/seeds/001) calls no model.summary(), so Keras printed no count
        // for it: 1,871 is Keras's parameter formulas applied by hand, LSTM 4 units (input + units + 1) = 4 * 20 * 22
        // (keras LSTMCell.build: kernel, recurrent_kernel, bias) and Dense (input + 1) units = 21 * 5 and 6 * 1.
        Assert.Equal(1871, SeedForecaster.ParameterCount);
        Assert.Equal(new long[] { 1760, 105, 6 }, SeedForecaster.Info.Layers.Select(l => l.Weights.Sum(w => (long)w.Length)));
    }

    [Fact]
    public Task Summaries_snapshot() =>
        Snapshot.Verify(string.Join("\n\n", SeedSimpleRnnModel.Summary, SeedDeepRnn.Summary, SeedForecaster.Summary));

    private static void AssertAll(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(System.Math.Abs(expected[i] - actual[i]) <= 1e-6, $"element {i}: {actual[i]:R}, Keras printed {expected[i]:R}");
        }
    }
}
