using System;
using System.Linq;
using RnnGen.Formats.Keras;

namespace RnnGen.Formats.Tests;

/// <summary>
/// What the loader makes of normalization layers beyond the pasted-declaration cases (WeightFileCases): a
/// <c>.weights.h5</c> without configuration, the options a configuration may hold that RnnGen does not compute, and
/// graphs in Keras 2 and Keras 3 node formats.
/// </summary>
public sealed class NormalizationFileTests
{
    [Fact]
    public void A_weights_h5_loads_into_the_declaration_of_its_keras_archive_and_reproduces_the_outputs()
    {
        // The .weights.h5 has no configuration: its groups are found by the names Keras derives from the declared
        // layers (lstm, batch_normalization, dense); epsilon and the activations come from the declaration.
        var model = new Pasted.Keras3BatchnormKeras.Keras3Batchnorm();
        model.LoadWeights(Fixture.Path("generated/keras3_batchnorm.weights.h5"));
        using var expected = Fixture.Json("generated/expected_batchnorm.json");
        float[] input = Fixture.Floats(expected.RootElement.GetProperty("input"));
        float[] output = Fixture.Floats(expected.RootElement.GetProperty("output"));
        float[] predicted = model.Predict(input)[0];
        Assert.Equal(output.Length, predicted.Length);
        for (int i = 0; i < output.Length; i++)
        {
            Assert.Equal(output[i], predicted[i], 1e-5f);
        }
    }

    [Fact]
    public void A_weights_h5_is_inspected_in_chain_order_with_its_normalization_layer()
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_batchnorm.weights.h5"));
        Assert.Equal(new[] { "lstm", "batch_normalization", "dense" }, info.Layers.Select(l => l.Name));
        KerasFileLayer normalization = info.Layers[1];
        Assert.Equal((LayerKind?)LayerKind.BatchNormalization, normalization.Kind);
        Assert.True(normalization.Center && normalization.Scale);
        Assert.Contains("[BatchNormalization] // epsilon is not stored: Keras's default 1e-3 is assumed", info.ToDeclaration("Model", timesteps: 4));
    }

    private static ModelConfig Parse(string normalization, bool returnSequences) => KerasConfig.Parse($$$"""
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 4, "return_sequences": {{{(returnSequences ? "true" : "false")}}}, "batch_input_shape": [null, 5, 3]}},
          {{{normalization}}}]}}
        """, new KerasDialect("2.4.0", 2), "config");

    [Theory]
    [InlineData("""{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [2], "epsilon": 0.001}}""", true)]
    [InlineData("""{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [1], "epsilon": 0.001}}""", false)]
    [InlineData("""{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": 2, "epsilon": 0.001}}""", true)]
    [InlineData("""{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "epsilon": 0.001}}""", false)]
    public void A_positive_axis_is_the_last_one_when_it_matches_the_input_rank(string normalization, bool returnSequences)
    {
        LayerConfig layer = Parse(normalization, returnSequences).Layers[1];
        Assert.NotNull(layer.Kind);
        Assert.Null(layer.Note);
    }

    [Theory]
    [InlineData("""{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [1]}}""", true, "over axis 1, the time axis of its input")]
    [InlineData("""{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [1, 2]}}""", true, "over the axes [1, 2]")]
    [InlineData("""{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1, "rms_scaling": true}}""", false, "rms_scaling=True")]
    [InlineData("""{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "renorm": true}}""", false, "renorm=True")]
    public void Options_RnnGen_does_not_compute_make_the_layer_one_it_does_not_generate(string normalization, bool returnSequences, string note)
    {
        LayerConfig layer = Parse(normalization, returnSequences).Layers[1];
        Assert.Null(layer.Kind);
        Assert.Contains(note, layer.Note);
    }

    [Fact]
    public void Keras_2_graph_nodes_are_read_too()
    {
        // tf.keras 2 functional config: an Add of two Dense branches (inbound_nodes as nested lists).
        const string json = """
            {"class_name": "Functional", "config": {"name": "model", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 3], "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}, "name": "lstm", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 4}, "name": "dense", "inbound_nodes": [[["lstm", 0, 0, {}]]]},
              {"class_name": "Add", "config": {"name": "add"}, "name": "add", "inbound_nodes": [[["lstm", 0, 0, {}], ["dense", 0, 0, {}]]]}],
              "input_layers": [["input_1", 0, 0]], "output_layers": [["add", 0, 0]]}}
            """;
        ModelConfig config = KerasConfig.Parse(json, new KerasDialect("2.4.0", 2), "config");
        Assert.Equal("the layer 'add' (Add) joins 2 tensors (from 'lstm', 'dense')", config.GraphProblem);

        // The wiring a [Graph] declaration is written from: the input's shape, what each layer reads, the outputs.
        Assert.Equal(new[] { new FunctionalGraph.LayoutInput("input_1", 5, 3) }, config.Graph!.Inputs);
        Assert.Equal(new[] { "lstm", "dense" }, config.Graph.Nodes.Single(n => n.Name == "add").Reads);
        Assert.Equal(new[] { "lstm" }, config.Graph.Nodes.Single(n => n.Name == "dense").Reads);
        Assert.Equal(new[] { "add" }, config.Graph.Outputs);
    }

    [Fact]
    public void An_encoder_decoder_graph_is_named_as_such()
    {
        // Keras 3: the decoder LSTM takes the encoder's states as initial_state.
        const string json = """
            {"class_name": "Functional", "config": {"name": "seq2seq", "layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 3], "name": "encoder_input"}, "name": "encoder_input", "inbound_nodes": []},
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 4, 2], "name": "decoder_input"}, "name": "decoder_input", "inbound_nodes": []},
              {"class_name": "LSTM", "config": {"name": "encoder", "units": 4, "return_state": true}, "name": "encoder",
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["encoder_input", 0, 0]}}], "kwargs": {}}]},
              {"class_name": "LSTM", "config": {"name": "decoder", "units": 4, "return_sequences": true}, "name": "decoder",
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["decoder_input", 0, 0]}}],
                 "kwargs": {"initial_state": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["encoder", 0, 1]}},
                                              {"class_name": "__keras_tensor__", "config": {"keras_history": ["encoder", 0, 2]}}]}}]}],
              "input_layers": [["encoder_input", 0, 0], ["decoder_input", 0, 0]], "output_layers": [["decoder", 0, 0]]}}
            """;
        ModelConfig config = KerasConfig.Parse(json, new KerasDialect("3.6.0", 3), "config");
        Assert.Equal("the layer 'decoder' (LSTM) takes its initial_state from 'encoder', another layer's output (an encoder-decoder graph)", config.GraphProblem);

        Assert.Equal(new[] { new FunctionalGraph.LayoutInput("encoder_input", 5, 3), new FunctionalGraph.LayoutInput("decoder_input", 4, 2) }, config.Graph!.Inputs);
        FunctionalGraph.LayoutNode decoder = config.Graph.Nodes.Single(n => n.Name == "decoder");
        Assert.Equal(new[] { "decoder_input" }, decoder.Reads);
        Assert.Equal(new[] { "encoder", "encoder" }, decoder.InitialState);
        Assert.Equal(new[] { "decoder" }, config.Graph.Outputs);
    }
}
