using RnnGen.Formats.Keras;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Version-dependent meanings of a configuration: defaults absent from old configs and the two hard_sigmoid formulas.
/// </summary>
public sealed class KerasConfigTests
{
    // A Keras 2.0-era Sequential config (a bare layer list) whose GRU predates reset_after and omits recurrent_activation.
    private const string OldGru = """
        {"class_name": "Sequential", "config": [
          {"class_name": "GRU", "config": {"name": "gru_1", "units": 3, "activation": "tanh", "use_bias": true,
            "return_sequences": false, "go_backwards": false, "batch_input_shape": [null, 7, 2]}}]}
        """;

    [Theory]
    [InlineData("2.0.8", "hard_sigmoid_keras2")] // standalone Keras before 2.3: recurrent_activation='hard_sigmoid'
    [InlineData("2.2.4-tf", "sigmoid")]          // tf.keras: 'sigmoid'
    [InlineData("2.3.1", "sigmoid")]             // Keras 2.3 adopted tf.keras's default
    public void Absent_options_take_the_defaults_of_the_version_that_wrote_them(string version, string recurrent)
    {
        ModelConfig config = KerasConfig.Parse(OldGru, new KerasDialect(version, 2), "config");
        LayerConfig gru = Assert.Single(config.Layers);
        Assert.Equal(LayerKind.Gru, gru.Kind);
        Assert.False(gru.ResetAfter); // no reset_after key: the GRU of Keras 2.0-2.1.2, reset before the matrix product
        Assert.Equal(recurrent, gru.RecurrentActivation);
        Assert.Equal(7, config.Timesteps);
        Assert.Equal(2, config.InputDim);
    }

    [Theory]
    [InlineData("2.4.0", "hard_sigmoid_keras2")]
    [InlineData("3.6.0", "hard_sigmoid")]
    [InlineData(null, "hard_sigmoid_keras2")] // a legacy file without keras_version is Keras 2
    public void Hard_sigmoid_means_what_the_writing_version_computes(string? version, string expected) =>
        Assert.Equal(expected, new KerasDialect(version, 2).Canonical("hard_sigmoid"));

    [Fact]
    public void Keras_3_serialized_functions_and_merge_mode_none_are_understood()
    {
        const string json = """
            {"module": "keras", "class_name": "Functional", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, null, 4]}},
              {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": null,
                "layer": {"class_name": "LSTM", "config": {"units": 5,
                  "activation": {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "function"},
                  "recurrent_activation": "sigmoid", "return_sequences": true}}}}]}}
            """;
        ModelConfig config = KerasConfig.Parse(json, new KerasDialect("3.3.3", 3), "config");
        LayerConfig layer = Assert.Single(config.Layers);
        Assert.True(layer.Bidirectional);
        Assert.Equal(MergeMode.None, layer.MergeMode);
        Assert.Equal("relu", layer.Activation);
        Assert.Null(config.Timesteps);
        Assert.Equal(4, config.InputDim);
    }
}
