using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Keras;

namespace RnnGen.Formats.Tests;

/// <summary>
/// What the loader makes of normalization layers beyond the pasted-declaration cases (WeightFileCases): a
/// <c>.weights.h5</c> without configuration, the options a configuration may hold that RnnGen does not compute,
/// graphs in Keras 2 and Keras 3 node formats, and Normalization's integer count and config when a model is saved.
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
    public void A_shared_layer_in_a_keras_2_graph_is_one_node_per_call_the_later_ones_sharing_the_first()
    {
        // tf.keras 2: the shared LSTM has two inbound nodes; its second call's tensor is ["shared", 1, 0, {}].
        const string json = """
            {"class_name": "Functional", "config": {"name": "model", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 3], "name": "left"}, "name": "left", "inbound_nodes": []},
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 3], "name": "right"}, "name": "right", "inbound_nodes": []},
              {"class_name": "LSTM", "config": {"name": "shared", "units": 4}, "name": "shared", "inbound_nodes": [[["left", 0, 0, {}]], [["right", 0, 0, {}]]]},
              {"class_name": "Subtract", "config": {"name": "diff"}, "name": "diff", "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]},
              {"class_name": "Dense", "config": {"name": "score", "units": 1}, "name": "score", "inbound_nodes": [[["diff", 0, 0, {}]]]}],
              "input_layers": [["left", 0, 0], ["right", 0, 0]], "output_layers": [["score", 0, 0]]}}
            """;
        ModelConfig config = KerasConfig.Parse(json, new KerasDialect("2.4.0", 2), "config");
        Assert.Equal("the layer 'shared' (LSTM) is called 2 times (a shared layer)", config.GraphProblem);
        Assert.Equal(new[] { "shared", "shared_call2", "diff", "score" }, config.Graph!.Nodes.Select(n => n.Name));
        FunctionalGraph.LayoutNode second = config.Graph.Nodes[1];
        Assert.Equal(("shared", "shared", "right"), (second.Layer, second.Shares, second.Reads.Single()));
        Assert.Null(config.Graph.Nodes[0].Shares);
        Assert.Equal(new[] { "shared", "shared_call2" }, config.Graph.Nodes.Single(n => n.Name == "diff").Reads);
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

    [Theory]
    [InlineData("keras3_normalization.keras", 4213)]
    [InlineData("keras3_normalization_invert.keras", 1870)]
    public void A_saved_normalization_keeps_its_count_an_int64_scalar_and_its_config_is_the_fixtures(string fixture, long count)
    {
        // Keras creates count with add_weight(dtype="int") and assigns what it loads to it; Normalization.get_config
        // writes axis as a list and mean and variance as None when the layer was adapted.
        WeightFileCase test = WeightFileCases.All[fixture];
        ILoadableModel model = test.NewPasted();
        test.Load(model);
        byte[] saved = KerasWeights.KerasArchive(model.Info, model.GetWeights());
        using var zip = new ZipArchive(new MemoryStream(saved));
        using var weights = new MemoryStream();
        using (Stream entry = zip.GetEntry("model.weights.h5")!.Open())
        {
            entry.CopyTo(weights);
        }

        Hdf5Dataset countDataset = Hdf5File.Open(weights.ToArray()).Resolve("layers/normalization/vars/2")!.Dataset;
        Assert.Equal(Hdf5TypeClass.FixedPoint, countDataset.Datatype.Class);
        Assert.Equal(8, countDataset.Datatype.Size);
        Assert.True(countDataset.Datatype.Signed);
        Assert.Empty(countDataset.Dataspace.Dimensions);
        Assert.Equal(count, countDataset.ReadInteger());

        using JsonDocument ours = JsonDocument.Parse(ReadEntry(zip, "config.json"));
        using var fixtureZip = new ZipArchive(new MemoryStream(Fixture.Bytes("generated/" + fixture)));
        using JsonDocument keras = JsonDocument.Parse(ReadEntry(fixtureZip, "config.json"));
        SaveWeightsTests.AssertSubset(ours.RootElement, keras.RootElement, "config.json", ignored: "build_input_shape");

        ILoadableModel copy = test.NewPasted();
        KerasWeights.Load(copy, new MemoryStream(saved), WeightFormat.Keras);
        Assert.Equal(model.GetWeights(), copy.GetWeights());
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void An_integer_array_where_weights_are_read_is_still_refused_with_its_type_named()
    {
        // Only a scalar integer (Normalization's count) is read as a weight value; the optimizer's int64 iteration
        // counter in a .keras archive is a scalar too, but the reader never takes it for a layer weight, and an array
        // of integers keeps the float-only message (BadInputTests).
        var zip = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_normalization.keras"), "keras");
        Hdf5Dataset count = Hdf5File.Open(zip.Read("model.weights.h5", long.MaxValue)).Resolve("layers/normalization/vars/2")!.Dataset;
        var error = Assert.Throws<InvalidDataException>(() => count.ReadFloats(10));
        Assert.Contains("64-bit little-endian signed integer", error.Message);
        Assert.Equal(4213, count.ReadInteger());
    }

    [Theory]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": [-1], "invert": true, "mean": null, "variance": null}}""", true)]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": -1, "mean": null, "variance": null}}""", false)]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": [1], "invert": false}}""", false)]
    public void An_adapted_normalization_on_the_last_axis_is_read_with_invert(string normalization, bool invert)
    {
        LayerConfig layer = Parse(normalization, returnSequences: false).Layers[1];
        Assert.Equal((LayerKind?)LayerKind.Normalization, layer.Kind);
        Assert.Null(layer.Note);
        Assert.Equal(invert, layer.Invert);
    }

    [Theory]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": [], "mean": null, "variance": null}}""", "Normalization(axis=None)")]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": [-1], "mean": [1.0, 2.0, 3.0, 4.0], "variance": [1.0, 1.0, 1.0, 1.0]}}""", "mean and variance given in its config")]
    [InlineData("""{"class_name": "Normalization", "config": {"name": "n", "axis": [1], "mean": null}}""", "over axis 1, the time axis of its input")]
    public void Normalization_options_RnnGen_does_not_compute_are_named(string normalization, string note)
    {
        // The first two after an LSTM returning a vector, the third after one returning a sequence.
        LayerConfig layer = Parse(normalization, returnSequences: note.Contains("time axis", StringComparison.Ordinal)).Layers[1];
        Assert.Null(layer.Kind);
        Assert.Contains(note, layer.Note);
    }
}
