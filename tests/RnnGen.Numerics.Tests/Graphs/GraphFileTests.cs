using System;
using System.IO;
using System.Linq;
using RnnGen.Numerics.Tests.Golden;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Graphs;

/// <summary>
/// A [Graph]'s <c>LoadWeights</c> on Keras 3 functional-model archives (tests/formats-fixtures: keras3_seq2seq.keras and
/// keras3_two_branch.keras, whose configs wire the layers as Keras serializes them, <c>initial_state</c> included, and
/// whose weights are the TensorFlow.js golden cases'): loaded node by node from the named file layers, the graph gives
/// TensorFlow.js's outputs; a file or a declaration that does not fit is refused with the node named, and nothing changes.
/// </summary>
public class GraphFileTests
{
    private static string Archive(string name) => Path.Combine(AppContext.BaseDirectory, "Graphs", name);

    [Fact]
    public void An_encoder_decoder_archive_loads_node_by_node_and_computes_what_tfjs_computes()
    {
        var graph = new Seq2Seq();
        graph.LoadWeights(Archive("keras3_seq2seq.keras"));
        GraphGoldenTests.AssertSeq2Seq(graph);
    }

    [Fact]
    public void A_two_input_two_output_archive_loads_node_by_node_and_computes_what_tfjs_computes()
    {
        var graph = new TwoBranchConcat();
        graph.LoadWeights(Archive("keras3_two_branch.keras"));
        GraphGoldenTests.AssertTwoBranchConcat(graph);
    }

    [Fact]
    public void A_file_that_does_not_fit_a_node_is_refused_and_nothing_changes()
    {
        // The GRU encoder-decoder's chains against the LSTM archive: the error names the node, the graph is untouched.
        var graph = new Seq2SeqGru();
        float[][] before = graph.GetWeights();
        var error = Assert.Throws<ArgumentException>(() => graph.LoadWeights(Archive("keras3_seq2seq.keras")));
        Assert.Contains("node 'encoder'", error.Message);
        Assert.Contains("Nothing was loaded", error.Message);
        Assert.Equal(before, graph.GetWeights());
    }

    [Fact]
    public void A_node_whose_layers_are_not_in_the_file_is_refused_with_the_file_layers_listed()
    {
        // Seq2Seq's nodes read 'encoder', 'decoder' and 'head'; the two-branch archive has none of them.
        var graph = new Seq2Seq();
        float[][] before = graph.GetWeights();
        var error = Assert.Throws<ArgumentException>(() => graph.LoadWeights(Archive("keras3_two_branch.keras")));
        Assert.Contains("node 'encoder' reads file layer(s) 'encoder'", error.Message);
        Assert.Contains("'gru_a'", error.Message);
        Assert.Equal(before, graph.GetWeights());
    }

    [Fact]
    public void A_graph_without_layer_names_for_a_chain_of_several_layers_says_to_set_Layers()
    {
        // OneInputTwoBranches's 'out' chain (LSTM + Dense) has no Layers: loading says so before reading any node.
        var graph = new OneInputTwoBranches();
        var error = Assert.Throws<ArgumentException>(() => graph.LoadWeights(Archive("keras3_seq2seq.keras")));
        Assert.Contains("node 'l1' reads file layer(s) 'l1'", error.Message);
    }
}
