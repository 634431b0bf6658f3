using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Tool;

namespace RnnGen.Formats.Tests;

/// <summary>
/// The user's path for a functional model that is not one chain: <c>rnngen inspect</c> prints a <c>[Graph]</c> over
/// <c>[Sequential]</c> chains (Pasted/Keras3*Keras.cs, compiled here), the graph's <c>LoadWeights</c> reads the file, and
/// <c>Forward</c> gives what TensorFlow.js computed for the same functional models and weights
/// (tests/golden/graphs.mjs; the archives carry those weights, tests/formats-fixtures).
/// </summary>
public sealed class PastedGraphTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "generated/keras3_seq2seq.keras", "Keras3Seq2seqKeras" },
        { "generated/keras3_two_branch.keras", "Keras3TwoBranchKeras" },
        { "generated/keras3_functional.keras", "Keras3FunctionalKeras" },
        { "generated/keras3_attention.keras", "Keras3AttentionKeras" },
        { "generated/keras3_dot.keras", "Keras3DotKeras" },
        { "generated/keras3_siamese.keras", "Keras3SiameseKeras" },
        { "generated/keras3_mha.keras", "Keras3MhaKeras" },
        { "generated/keras3_mha_causal.keras", "Keras3MhaCausalKeras" },
        { "generated/keras2_mha_model.h5", "Keras2MhaModelH5" },
        { "generated/keras3_merge_of_merge.keras", "Keras3MergeOfMergeKeras" },
        { "generated/keras3_attention_over_merge.keras", "Keras3AttentionOverMergeKeras" },
        { "generated/keras3_mask_attention.keras", "Keras3MaskAttentionKeras" },
        { "generated/keras3_mask_embedding_merge.keras", "Keras3MaskEmbeddingMergeKeras" },
        { "generated/keras3_mask_mha.keras", "Keras3MaskMhaKeras" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Rnngen_inspect_prints_the_graph_declaration_that_is_compiled_here(string fixture, string pasted)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", Fixture.Path(fixture) }, output, error));
        Assert.Equal(string.Empty, error.ToString());
        string printed = After(output.ToString(), "C# declaration:\n\n");

        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pasted", pasted + ".cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.StartsWith($"// Pasted from `rnngen inspect {Path.GetFileName(fixture)}`.", source, StringComparison.Ordinal);
        Assert.Equal("using RnnGen;\n\n" + After(source, $"using RnnGen;\n\nnamespace Pasted.{pasted};\n\n"), printed);
    }

    [Fact]
    public void The_pasted_encoder_decoder_loads_the_archive_and_computes_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3Seq2seqKeras.Keras3Seq2seq();
        graph.LoadWeights(Fixture.Path("generated/keras3_seq2seq.keras"));
        GraphCase golden = GraphCase.Load("seq2seq");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3Seq2seqKeras.Keras3Seq2seqEncoder.Input encoderInputs = default;
            Pasted.Keras3Seq2seqKeras.Keras3Seq2seqHead.Input decoderInputs = default;
            golden.Input("encoder_inputs", b).CopyTo(encoderInputs.AsSpan());
            golden.Input("decoder_inputs", b).CopyTo(decoderInputs.AsSpan());
            graph.Forward(in encoderInputs, in decoderInputs, out var outputs);
            golden.AssertOutput(0, b, outputs.Head.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_two_branch_graph_loads_the_archive_and_computes_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3TwoBranchKeras.Keras3TwoBranch();
        graph.LoadWeights(Fixture.Path("generated/keras3_two_branch.keras"));
        GraphCase golden = GraphCase.Load("two_branch_concat");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3TwoBranchKeras.Keras3TwoBranchGruA.Input a = default;
            Pasted.Keras3TwoBranchKeras.Keras3TwoBranchLstmB.Input inputB = default;
            golden.Input("a", b).CopyTo(a.AsSpan());
            golden.Input("b", b).CopyTo(inputB.AsSpan());
            graph.Forward(in a, in inputB, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
            golden.AssertOutput(1, b, outputs.Aux.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_attention_graph_loads_the_archive_and_computes_what_tfjs_computes()
    {
        // Keras lists this model's layers from the decoder's input 'y' on; the graph's inputs keep input_layers' order (x, y),
        // and the attention layer's scale and concat_score_weight load from its file layer.
        var graph = new Pasted.Keras3AttentionKeras.Keras3Attention();
        graph.LoadWeights(Fixture.Path("generated/keras3_attention.keras"));
        float[][] weights = graph.GetWeights();
        Assert.Equal(Pasted.Keras3AttentionKeras.Keras3Attention.WeightArrayCount, weights.Length);
        KerasFile file = KerasFile.Open(Fixture.Path("generated/keras3_attention.keras"));
        Assert.Equal(file.Layer("attention").Weights.Select(w => w.Read()), weights[^2..]);
        GraphCase golden = GraphCase.Load("attention_scaled_concat_key");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3AttentionKeras.Keras3AttentionEncoder.Input x = default;
            Pasted.Keras3AttentionKeras.Keras3AttentionDecoder.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_dot_graph_loads_the_archive_and_computes_what_tfjs_computes()
    {
        // Dot(axes=[2, 1]) of a (4, 5) sequence and a vector of 5: four scores, declared from the file's axes.
        var graph = new Pasted.Keras3DotKeras.Keras3Dot();
        graph.LoadWeights(Fixture.Path("generated/keras3_dot.keras"));
        GraphCase golden = GraphCase.Load("dot_sequence_vector");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3DotKeras.Keras3DotLstmX.Input x = default;
            Pasted.Keras3DotKeras.Keras3DotLstmY.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Head.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_siamese_graph_runs_its_shared_layer_on_both_inputs_with_one_set_of_weights()
    {
        // Keras lists the shared LSTM once with two calls (inbound nodes); rnngen inspect declares the second call as a
        // [GraphNode] with Shares, and the file's one 'shared' layer loads the model both calls run.
        var graph = new Pasted.Keras3SiameseKeras.Keras3Siamese();
        graph.LoadWeights(Fixture.Path("generated/keras3_siamese.keras"));
        Assert.Equal(3 + 2, graph.GetWeights().Length); // the LSTM's arrays once, then the Dense's
        KerasFile file = KerasFile.Open(Fixture.Path("generated/keras3_siamese.keras"));
        Assert.Equal(file.Layer("shared").Weights.Select(w => w.Read()), graph.Shared.GetWeights());
        GraphCase golden = GraphCase.Load("shared_siamese");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3SiameseKeras.Keras3SiameseShared.Input left = default;
            Pasted.Keras3SiameseKeras.Keras3SiameseShared.Input right = default;
            golden.Input("left", b).CopyTo(left.AsSpan());
            golden.Input("right", b).CopyTo(right.AsSpan());
            graph.Forward(in left, in right, out var outputs);
            golden.AssertOutput(0, b, outputs.Score.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_multi_head_cross_attention_loads_the_archive_and_computes_what_tfjs_computes()
    {
        // Keras 3 keeps MultiHeadAttention's four projections in sub-groups (query_dense, key_dense, value_dense,
        // output_dense), which the file lists alphabetically; they load in get_weights() order. The key is a keyword
        // argument of the call (mha(decoder, encoder, key=keys)).
        string path = Fixture.Path("generated/keras3_mha.keras");
        var graph = new Pasted.Keras3MhaKeras.Keras3Mha();
        graph.LoadWeights(path);
        KerasFile file = KerasFile.Open(path);
        Assert.Equal(new[] { "query_dense", "key_dense", "value_dense", "output_dense" },
            file.Layer("mha").Weights.Where((_, i) => i % 2 == 0).Select(w => w.Name.Split('/')[^3]));
        Assert.Equal(file.Layer("mha").Weights.Select(w => w.Read()), graph.GetWeights()[^8..]);
        GraphCase golden = GraphCase.Load("mha_cross_key_value_dims");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MhaKeras.Keras3MhaEncoder.Input x = default;
            Pasted.Keras3MhaKeras.Keras3MhaDecoder.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_causal_multi_head_attention_loads_the_archive_and_computes_what_tfjs_computes()
    {
        // use_causal_mask=True is a call argument (the node's kwargs), use_bias=False leaves four arrays.
        var graph = new Pasted.Keras3MhaCausalKeras.Keras3MhaCausal();
        graph.LoadWeights(Fixture.Path("generated/keras3_mha_causal.keras"));
        GraphCase golden = GraphCase.Load("mha_causal_no_bias");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MhaCausalKeras.Keras3MhaCausalEncoder.Input x = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            graph.Forward(in x, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_keras2_multi_head_self_attention_loads_the_legacy_file_and_computes_what_tfjs_computes()
    {
        // tf.keras 2 passes the value as a keyword of the node ([["encoder", 0, 0, {"value": ["encoder", 0, 0]}]]) and
        // names the weights mha/query/kernel:0, ..., mha/attention_output/bias:0 in weight_names order.
        var graph = new Pasted.Keras2MhaModelH5.Keras2MhaModel();
        graph.LoadWeights(Fixture.Path("generated/keras2_mha_model.h5"));
        GraphCase golden = GraphCase.Load("mha_self_attention");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras2MhaModelH5.Keras2MhaModelEncoder.Input x = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            graph.Forward(in x, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_merge_of_a_merge_loads_the_archive_and_computes_what_tfjs_computes()
    {
        // Average(Add(Concatenate(l1, g1), l2), l2): merges that read merges, then a chain of two file layers.
        var graph = new Pasted.Keras3MergeOfMergeKeras.Keras3MergeOfMerge();
        graph.LoadWeights(Fixture.Path("generated/keras3_merge_of_merge.keras"));
        GraphCase golden = GraphCase.Load("merge_of_merge");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MergeOfMergeKeras.Keras3MergeOfMergeL1.Input a = default;
            golden.Input("a", b).CopyTo(a.AsSpan());
            graph.Forward(in a, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_attention_over_a_merge_loads_the_archive_and_computes_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3AttentionOverMergeKeras.Keras3AttentionOverMerge();
        graph.LoadWeights(Fixture.Path("generated/keras3_attention_over_merge.keras"));
        GraphCase golden = GraphCase.Load("attention_over_merge");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3AttentionOverMergeKeras.Keras3AttentionOverMergeEncA.Input x = default;
            Pasted.Keras3AttentionOverMergeKeras.Keras3AttentionOverMergeDecoder.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
        }
    }

    // The mask cases: the archives' Masking and Embedding(mask_zero) layers make masks that Keras 3 writes as operations
    // (NotEqual, Any, ...) feeding the next layers' mask keywords; rnngen inspect passes over them, the printed graph
    // computes the masks itself and passes them between its nodes, and gives TF.js's outputs for every mask pattern.
    [Fact]
    public void The_pasted_masked_attention_graph_loads_the_archive_and_computes_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3MaskAttentionKeras.Keras3MaskAttention();
        graph.LoadWeights(Fixture.Path("generated/keras3_mask_attention.keras"));
        GraphCase golden = GraphCase.Load("mask_attention");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MaskAttentionKeras.Keras3MaskAttentionEncoder.Input x = default;
            Pasted.Keras3MaskAttentionKeras.Keras3MaskAttentionDecoder.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
            golden.AssertOutput(1, b, outputs.AdditiveHead.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_masked_embedding_merges_load_the_archive_and_compute_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3MaskEmbeddingMergeKeras.Keras3MaskEmbeddingMerge();
        graph.LoadWeights(Fixture.Path("generated/keras3_mask_embedding_merge.keras"));
        GraphCase golden = GraphCase.Load("mask_embedding_merge");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MaskEmbeddingMergeKeras.Keras3MaskEmbeddingMergeLstmA.Input tokens = default;
            golden.Input("tokens", b).CopyTo(tokens.AsSpan());
            graph.Forward(in tokens, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
            golden.AssertOutput(1, b, outputs.AvgHead.Result.AsSpan());
        }
    }

    [Fact]
    public void The_pasted_masked_multi_head_attention_graph_loads_the_archive_and_computes_what_tfjs_computes()
    {
        var graph = new Pasted.Keras3MaskMhaKeras.Keras3MaskMha();
        graph.LoadWeights(Fixture.Path("generated/keras3_mask_mha.keras"));
        GraphCase golden = GraphCase.Load("mask_mha");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3MaskMhaKeras.Keras3MaskMhaEncoder.Input x = default;
            Pasted.Keras3MaskMhaKeras.Keras3MaskMhaDecoder.Input y = default;
            golden.Input("x", b).CopyTo(x.AsSpan());
            golden.Input("y", b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out var outputs);
            golden.AssertOutput(0, b, outputs.Out.Result.AsSpan());
            golden.AssertOutput(1, b, outputs.SelfHead.Result.AsSpan());
        }
    }

    [Fact]
    public void A_multi_head_attention_declared_with_other_sizes_or_without_bias_is_refused_and_nothing_is_loaded()
    {
        string path = Fixture.Path("generated/keras2_mha_model.h5");
        var swapped = new Declarations.MultiHeadAttentionWithHeadsSwapped();
        float[][] before = swapped.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => swapped.LoadWeights(path)).Message;
        Assert.Contains("'mha/query/kernel' is [8, 4, 2] in the graph, but 'keras2_mha_model.h5' stores it as [8, 2, 4]", message);
        Assert.Contains("check NumHeads, KeyDim, ValueDim, OutputShape and UseBias", message);
        Assert.Equal(before, swapped.GetWeights());

        var withoutBias = new Declarations.MultiHeadAttentionWithoutBias();
        message = Assert.Throws<ArgumentException>(() => withoutBias.LoadWeights(path)).Message;
        Assert.Contains("the attention layer 'mha' has 4 weight array(s)", message);
        Assert.Contains("holds 8", message);
        Assert.Contains("Nothing was loaded", message);
    }

    [Fact]
    public void A_file_layer_with_weights_that_no_node_reads_is_refused_and_nothing_is_loaded()
    {
        // The declared Attention has no weights; the file's has use_scale and concat scores. Left unread, its scale
        // would be ignored and the graph would compute another model.
        var graph = new Declarations.AttentionDeclaredWithoutScale();
        float[][] before = graph.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => graph.LoadWeights(Fixture.Path("generated/keras3_attention.keras"))).Message;
        Assert.Contains("the file layer 'attention' (Attention, weights [], []) is read by no node of the graph", message);
        Assert.Contains("declare its UseScale and ScoreMode as the file's config has them", message);
        Assert.Contains("Nothing was loaded", message);
        Assert.Equal(before, graph.GetWeights());
    }

    [Fact]
    public void The_pasted_branching_graph_loads_each_branch_from_its_layer()
    {
        // keras3_functional.keras has no recorded outputs: each node's chain holds exactly its file layer's arrays.
        string path = Fixture.Path("generated/keras3_functional.keras");
        var graph = new Pasted.Keras3FunctionalKeras.Keras3Functional();
        graph.LoadWeights(path);
        KerasFile file = KerasFile.Open(path);
        Assert.Equal(file.Layer("lstm").Weights.Select(w => w.Read()), graph.Lstm.GetWeights());
        Assert.Equal(file.Layer("lstm_1").Weights.Select(w => w.Read()), graph.Lstm1.GetWeights());
        Assert.Equal(file.Layer("dense").Weights.Select(w => w.Read()), graph.Dense.GetWeights());
    }

    private static string After(string text, string marker)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker.TrimEnd()}' not found in:\n{text}");
        return text[(at + marker.Length)..].TrimEnd() + "\n";
    }

    /// <summary>One case of tfjs-graph-golden.json: its inputs and TensorFlow.js's outputs, batch first.</summary>
    internal sealed record GraphCase(int Batch, Dictionary<string, float[]> Inputs, List<float[]> Expected)
    {
        public static GraphCase Load(string name)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "tfjs-graph-golden.json")));
            JsonElement c = document.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
            static float[] Data(JsonElement tensor) => tensor.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            return new GraphCase(
                c.GetProperty("batch").GetInt32(),
                c.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, Data),
                c.GetProperty("expected").EnumerateArray().Select(Data).ToList());
        }

        public ReadOnlySpan<float> Input(string name, int b) => Inputs[name].AsSpan(b * (Inputs[name].Length / Batch), Inputs[name].Length / Batch);

        public void AssertOutput(int index, int b, ReadOnlySpan<float> actual)
        {
            int length = Expected[index].Length / Batch;
            Assert.Equal(length, actual.Length);
            for (int i = 0; i < length; i++)
            {
                float expected = Expected[index][b * length + i];
                // float32 through different summation orders and exp/tanh: the tolerance of the golden tests (1e-5).
                Assert.True(MathF.Abs(expected - actual[i]) <= 1e-5f * MathF.Max(1, MathF.Abs(expected)), $"output {index}, sample {b}, element {i}: expected {expected}, got {actual[i]}");
            }
        }
    }
}
