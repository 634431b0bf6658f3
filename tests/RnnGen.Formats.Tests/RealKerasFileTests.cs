using System;
using System.Linq;
using RnnGen.Formats.Hdf5;
using RnnGen.Reference;
using static RnnGen.Formats.Tests.Declared;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Files written by Keras itself, with predictions Keras recorded: dl4j-test-resources (Keras 2.1.3 full models and
/// save_weights files, 25 recorded predictions each), frugally-deep (tf.keras GRU with an initial state, expected values
/// in its README) and a tf.keras Bidirectional LSTM layout file.
/// </summary>
public sealed class RealKerasFileTests
{
    private const float Tolerance = 1e-5f;

    // SimpleRNN(50) -> Dense(1), batch_input_shape [25, 1, 1].
    private static ModelInfo SimpleRnnModel() => Model("SimpleRnnModel", 1, 1, SimpleRnn(50), Dense(1));

    // LSTM(50, recurrent hard_sigmoid under Keras 2.1.3 = clip(0.2x + 0.5)) -> Dense(1).
    private static ModelInfo LstmModel(string recurrent = "hard_sigmoid_keras2") =>
        Model("LstmModel", 1, 1, Lstm(50) with { RecurrentActivation = recurrent }, Dense(1));

    [Theory]
    [InlineData("simple_rnn_tf_keras_2_model.h5")]
    [InlineData("simple_rnn_tf_keras_2_weights.h5")]
    public void SimpleRnn_files_reproduce_the_predictions_Keras_recorded(string file)
    {
        ModelInfo info = SimpleRnnModel();
        float[][] weights = KerasWeights.Read(Fixture.Path("dl4j-test-resources/" + file), info);
        AssertPredictions(info, weights, "dl4j-test-resources/simple_rnn_tf_keras_2_inputs_and_outputs.h5");
    }

    [Theory]
    [InlineData("simple_flatten_lstm_tf_keras_2_model.h5")]
    [InlineData("simple_flatten_lstm_tf_keras_2_weights.h5")]
    public void Lstm_files_reproduce_the_predictions_Keras_recorded(string file)
    {
        ModelInfo info = LstmModel();
        float[][] weights = KerasWeights.Read(Fixture.Path("dl4j-test-resources/" + file), info);
        AssertPredictions(info, weights, "dl4j-test-resources/simple_flatten_lstm_tf_keras_2_inputs_and_outputs.h5");
    }

    [Fact]
    public void The_Keras_2_lstm_file_rejects_the_Keras_3_hard_sigmoid_with_the_fix_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("dl4j-test-resources/simple_flatten_lstm_tf_keras_2_model.h5"), LstmModel("hard_sigmoid")));
        Assert.Contains("recurrent_activation", error.Message);
        Assert.Contains("Keras 2.1.3", error.Message);
        Assert.Contains("declare RecurrentActivation = \"hard_sigmoid_keras2\"", error.Message);
    }

    [Fact]
    public void The_Keras_2_weights_only_file_cannot_check_activations_but_loads()
    {
        // save_weights() stores no config: the activation cannot be checked, only shapes. (With the wrong activation
        // the predictions then differ, which is why the full-model file is preferred.)
        float[][] weights = KerasWeights.Read(Fixture.Path("dl4j-test-resources/simple_flatten_lstm_tf_keras_2_weights.h5"), LstmModel("hard_sigmoid"));
        Assert.Equal(5, weights.Length);
    }

    [Theory]
    [InlineData("temp_stateless.h5")]
    [InlineData("temp_stateful.h5")]
    public void Gru_with_reset_after_and_an_initial_state_matches_frugally_deep(string file)
    {
        // GRU(1, activation=None, recurrent sigmoid, use_bias=False, reset_after=True, return_sequences=True);
        // x = [1, 0, 0], h0 = 10: [-7.676248, -7.5144324, -7.3429837] (frugally-deep README, both models' first call).
        ModelInfo info = Model("FrugallyGru", 3, 1, Gru(1) with { Activation = "linear", UseBias = false, ReturnSequences = true });
        float[][] weights = KerasWeights.Read(Fixture.Path("frugally-deep/" + file), info);
        Assert.Equal(new[] { 1f, -2f, 3f }, weights[0]);
        Assert.Equal(new[] { -0.5f, 2f, -1.1f }, weights[1]);
        float[] output = new ReferenceModel(info, weights).Predict(new[] { 1f, 0f, 0f }, new[] { new[] { 10f } })[0];
        AssertClose(new[] { -7.676248f, -7.5144324f, -7.3429837f }, output);
    }

    [Fact]
    public void The_frugally_deep_gru_rejects_a_declaration_with_bias_naming_both_options()
    {
        ModelInfo info = Model("FrugallyGru", 3, 1, Gru(1) with { Activation = "linear", ReturnSequences = true });
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("frugally-deep/temp_stateless.h5"), info));
        Assert.Contains("use_bias: declared True, the file has False: declare UseBias = false", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
    }

    // Input(None, 3, 4) -> Bidirectional(LSTM(6, hard_sigmoid, return_sequences=True), concat) -> Activation(relu).
    private static ModelInfo BidirectionalModel(int units = 6, MergeMode merge = MergeMode.Concat) =>
        Model("BiLstm", 3, 4, Lstm(units) with { RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true, MergeMode = merge });

    [Fact]
    public void The_bidirectional_lstm_file_loads_forward_then_backward_in_weight_names_order()
    {
        // The final Activation(relu) has no RnnGen layer: passed over by name (WeightlessLayerTests: refused otherwise).
        ModelInfo info = BidirectionalModel();
        float[][] weights = KerasWeights.Read(Fixture.Path("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"), info, new[] { "activation_5" });
        Assert.Equal(6, weights.Length);
        Assert.Equal(new[] { 4 * 24, 6 * 24, 24, 4 * 24, 6 * 24, 24 }, weights.Select(w => w.Length));

        // The arrays must come from forward_lstm_1 first, whatever order HDF5 lists the groups in (alphabetical:
        // backward first); compare with the datasets read directly.
        Hdf5File file = Hdf5File.Open(Fixture.Bytes("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"));
        float[] forwardKernel = file.Resolve("model_weights/bidirectional_2/bidirectional_2/forward_lstm_1/kernel:0")!.Dataset.ReadFloats(1000);
        float[] backwardBias = file.Resolve("model_weights/bidirectional_2/bidirectional_2/backward_lstm_1/bias:0")!.Dataset.ReadFloats(1000);
        Assert.Equal(forwardKernel, weights[0]);
        Assert.Equal(backwardBias, weights[5]);
        Assert.NotEqual(forwardKernel, weights[3]);
    }

    [Fact]
    public void The_bidirectional_lstm_file_rejects_a_mismatching_declaration_naming_the_layer()
    {
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"), BidirectionalModel(units: 5, merge: MergeMode.Sum)));
        Assert.Contains("'bidirectional_2'", error.Message);
        Assert.Contains("units: declared 5, the file has 6", error.Message);
        Assert.Contains("merge_mode: declared sum, the file has concat", error.Message);
    }

    [Fact]
    public void The_bidirectional_lstm_file_rejects_a_unidirectional_declaration()
    {
        ModelInfo info = Model("Lstm", 3, 4, Lstm(6) with { RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true });
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"), info));
        Assert.Contains("declare Bidirectional = true", error.Message);
    }

    [Fact]
    public void Load_into_a_model_sets_its_weights_once_and_a_mismatch_leaves_it_untouched()
    {
        var model = new ReferenceRnnModel(SimpleRnnModel());
        KerasWeights.Load(model, Fixture.Path("dl4j-test-resources/simple_rnn_tf_keras_2_model.h5"));
        Assert.Equal(1, model.SetWeightsCalls);
        float[][] loaded = model.GetWeights();

        var wrong = new ReferenceRnnModel(Model("Wrong", 1, 1, SimpleRnn(49), Dense(1)));
        Assert.Throws<ArgumentException>(() => KerasWeights.Load(wrong, Fixture.Path("dl4j-test-resources/simple_rnn_tf_keras_2_model.h5")));
        Assert.Equal(0, wrong.SetWeightsCalls);
        Assert.All(wrong.GetWeights(), w => Assert.All(w, v => Assert.Equal(0f, v)));
        Assert.Contains(loaded, w => w.Any(v => v != 0));
    }

    private static void AssertPredictions(ModelInfo info, float[][] weights, string recording)
    {
        // /inputs/<layer>_input (25, 1, 1) and /predictions/dense_1 (25, 1): Keras model.predict on the same inputs.
        Hdf5File file = Hdf5File.Open(Fixture.Bytes(recording));
        Hdf5Object inputs = file.Resolve("inputs")!;
        float[] input = inputs.Resolve(inputs.ChildNames.Single())!.Dataset.ReadFloats(1000);
        float[] expected = file.Resolve("predictions/dense_1")!.Dataset.ReadFloats(1000);
        float[] output = new ReferenceModel(info, weights).Predict(input)[0];
        AssertClose(expected, output);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= Tolerance * MathF.Max(1, MathF.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
