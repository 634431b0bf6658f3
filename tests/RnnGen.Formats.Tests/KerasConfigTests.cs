using System.Linq;
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

    // A Keras 3 functional Masking -> LSTM -> Dense: Keras runs Masking.compute_mask symbolically, so the file lists its
    // operations (NotEqual, then Any) as entries of their own, and the LSTM's call reads their output as its mask keyword.
    private static string MaskedFunctional(string denseReads) => """
        {"module": "keras", "class_name": "Functional", "config": {"name": "padded", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "name": "x", "config": {"batch_shape": [null, 5, 3], "name": "x"}, "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "Masking", "name": "masking", "config": {"name": "masking", "mask_value": 0.0},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["x", 0, 0]}}], "kwargs": {}}]},
          {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "name": "not_equal", "config": {"name": "not_equal"}, "registered_name": "NotEqual",
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["x", 0, 0]}}, 0.0], "kwargs": {}}]},
          {"module": "keras.src.ops.numpy", "class_name": "Any", "name": "any", "config": {"name": "any", "axis": -1, "keepdims": false}, "registered_name": "Any",
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["not_equal", 0, 0]}}], "kwargs": {}}]},
          {"module": "keras.layers", "class_name": "LSTM", "name": "lstm", "config": {"name": "lstm", "units": 4, "return_sequences": false},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["masking", 0, 0]}}],
             "kwargs": {"training": false, "mask": {"class_name": "__keras_tensor__", "config": {"keras_history": ["any", 0, 0]}}}}]},
          {"module": "keras.layers", "class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 1},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["DENSE_READS", 0, 0]}}], "kwargs": {}}]}],
          "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0]]}}
        """.Replace("DENSE_READS", denseReads, System.StringComparison.Ordinal);

    [Fact]
    public void Keras_3_mask_operations_are_not_layers_and_a_masked_functional_chain_is_a_chain()
    {
        ModelConfig config = KerasConfig.Parse(MaskedFunctional("lstm"), new KerasDialect("3.10.0", 3), "config");
        Assert.Equal(new[] { "masking", "lstm", "dense" }, config.Layers.Select(l => l.Name));
        Assert.Null(config.GraphProblem);

        // An operation the model computes with (here read by the Dense) is the model's own: it stays, and is refused
        // as a layer RnnGen does not generate, with the operations it reads.
        ModelConfig computed = KerasConfig.Parse(MaskedFunctional("any"), new KerasDialect("3.10.0", 3), "config");
        Assert.Equal(new[] { "masking", "not_equal", "any", "lstm", "dense" }, computed.Layers.Select(l => l.Name));

        // So is one that gives the model's output (keras.ops.sigmoid(dense) as the output): not dropped as a mask's.
        string outputOperation = MaskedFunctional("lstm").Replace(
            "\"output_layers\": [[\"dense\", 0, 0]]",
            "\"output_layers\": [[\"any\", 0, 0]]", System.StringComparison.Ordinal);
        Assert.Contains("any", KerasConfig.Parse(outputOperation, new KerasDialect("3.10.0", 3), "config").Layers.Select(l => l.Name));

        // A mask the model builds itself (lstm(x, mask=ops.any(ops.not_equal(x, 0), -1)) with no Masking layer) is not
        // one RnnGen makes: the file is refused as a chain, naming the layer, rather than run without it.
        string ownMask = MaskedFunctional("lstm").Replace("\"class_name\": \"Masking\"", "\"class_name\": \"Dropout\"", System.StringComparison.Ordinal);
        ModelConfig model = KerasConfig.Parse(ownMask, new KerasDialect("3.10.0", 3), "config");
        Assert.Equal("the layer 'lstm' (LSTM) is called with a mask that no Masking or Embedding(mask_zero=True) layer before it makes (a mask the model computes itself)", model.GraphProblem);
    }
}
