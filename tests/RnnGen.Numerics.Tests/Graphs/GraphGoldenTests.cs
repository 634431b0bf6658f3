using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Numerics.Tests.Golden;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Graphs;

/// <summary>
/// [Graph] models (GraphModels.cs) against TensorFlow.js functional models (tests/golden/graphs.mjs,
/// tfjs-graph-golden.json): an encoder's states as a decoder's initial state (LSTM and GRU), two inputs and two
/// outputs with a concatenation, every element-wise merge, a shared layer, one input read by two branches. Each
/// node's chain gets the fixture's layers by name, so a node wired to the wrong tensor, a merge in the wrong order or
/// a state copied into the wrong field changes the outputs.
/// </summary>
public partial class GraphGoldenTests
{
    private sealed record FixtureCase(string Name, int Batch, Dictionary<string, Tensor> Inputs, Dictionary<string, float[][]> Layers, Tensor[] Expected);

    private static readonly Lazy<Dictionary<string, FixtureCase>> s_cases = new(Load);

    private static Dictionary<string, FixtureCase> Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "tfjs-graph-golden.json")));
        var cases = new Dictionary<string, FixtureCase>();
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var inputs = c.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, GoldenCases.ReadTensor);
            var layers = c.GetProperty("layers").EnumerateArray().ToDictionary(
                l => l.GetProperty("name").GetString()!,
                l => l.GetProperty("weights").EnumerateArray().Select(w => GoldenCases.ReadTensor(w).Data).ToArray());
            var expected = c.GetProperty("expected").EnumerateArray().Select(GoldenCases.ReadTensor).ToArray();
            string name = c.GetProperty("name").GetString()!;
            cases.Add(name, new FixtureCase(name, c.GetProperty("batch").GetInt32(), inputs, layers, expected));
        }

        return cases;
    }

    // A chain's weights: the fixture's layers, by name, in the chain's layer order.
    private static void SetChain(IRnnModel chain, FixtureCase fixture, params string[] layers) =>
        chain.SetWeights(layers.SelectMany(l => fixture.Layers[l]).ToArray());

    private static ReadOnlySpan<float> Sample(Tensor tensor, int b)
    {
        int length = tensor.Data.Length / tensor.Shape[0];
        return tensor.Data.AsSpan(b * length, length);
    }

    private static void AssertOutput(FixtureCase fixture, int index, int b, ReadOnlySpan<float> actual) =>
        Tolerance.AssertClose(Sample(fixture.Expected[index], b), actual, $"{fixture.Name} sample {b} {fixture.Expected[index].Name}");

    [Fact]
    public void The_fixture_has_every_case()
    {
        Assert.Equal(
            new[]
            {
                "additive_attention", "attention_dot", "attention_over_merge", "attention_scaled_concat_key",
                "dot_cosine", "dot_sequence_vector", "dot_sequences_last", "dot_sequences_time", "dot_vectors",
                "mask_attention", "mask_chain_to_chain", "mask_embedding_merge", "mask_mha", "merge_add", "merge_average", "merge_maximum", "merge_minimum", "merge_multiply",
                "merge_of_merge", "merge_subtract", "mha_causal_no_bias", "mha_cross_key_value_dims", "mha_self_attention",
                "one_input_two_branches", "seq2seq", "seq2seq_gru", "shared_siamese", "two_branch_concat",
            },
            s_cases.Value.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Encoder_states_start_the_decoder_lstm()
    {
        FixtureCase fixture = s_cases.Value["seq2seq"];
        var graph = new Seq2Seq();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder", "head");
        AssertSeq2Seq(graph);
    }

    /// <summary>Every sample of the seq2seq case through <paramref name="graph"/>, against TensorFlow.js.</summary>
    internal static void AssertSeq2Seq(Seq2Seq graph)
    {
        FixtureCase fixture = s_cases.Value["seq2seq"];
        for (int b = 0; b < fixture.Batch; b++)
        {
            Seq2SeqEncoder.Input encoderInputs = default;
            Seq2SeqDecoder.Input decoderInputs = default;
            Sample(fixture.Inputs["encoder_inputs"], b).CopyTo(encoderInputs.AsSpan());
            Sample(fixture.Inputs["decoder_inputs"], b).CopyTo(decoderInputs.AsSpan());
            graph.Forward(in encoderInputs, in decoderInputs, out Seq2Seq.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Decoder.Result.AsSpan());
        }
    }

    [Fact]
    public void Encoder_state_starts_the_decoder_gru()
    {
        FixtureCase fixture = s_cases.Value["seq2seq_gru"];
        var graph = new Seq2SeqGru();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder", "head");
        for (int b = 0; b < fixture.Batch; b++)
        {
            GruEncoder.Input encoderInputs = default;
            GruDecoder.Input decoderInputs = default;
            Sample(fixture.Inputs["encoder_inputs"], b).CopyTo(encoderInputs.AsSpan());
            Sample(fixture.Inputs["decoder_inputs"], b).CopyTo(decoderInputs.AsSpan());
            graph.Forward(in encoderInputs, in decoderInputs, out Seq2SeqGru.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Decoder.Result.AsSpan());
        }
    }

    [Fact]
    public void Two_inputs_concatenated_and_two_outputs()
    {
        FixtureCase fixture = s_cases.Value["two_branch_concat"];
        var graph = new TwoBranchConcat();
        SetChain(graph.GruA, fixture, "gru_a");
        SetChain(graph.LstmB, fixture, "lstm_b");
        SetChain(graph.Out, fixture, "hidden", "out");
        SetChain(graph.Aux, fixture, "aux");
        AssertTwoBranchConcat(graph);
    }

    /// <summary>Every sample of the two_branch_concat case through <paramref name="graph"/>, both outputs, against TensorFlow.js.</summary>
    internal static void AssertTwoBranchConcat(TwoBranchConcat graph)
    {
        FixtureCase fixture = s_cases.Value["two_branch_concat"];
        Assert.Equal(new[] { "out", "aux" }, fixture.Expected.Select(e => e.Name));
        for (int b = 0; b < fixture.Batch; b++)
        {
            BranchGru.Input a = default;
            BranchLstm.Input inputB = default;
            Sample(fixture.Inputs["a"], b).CopyTo(a.AsSpan());
            Sample(fixture.Inputs["b"], b).CopyTo(inputB.AsSpan());
            graph.Forward(in a, in inputB, out TwoBranchConcat.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs.Aux.Result.AsSpan());
        }
    }

    public static IEnumerable<object[]> MergeCases => new[]
    {
        new object[] { "merge_add" }, new object[] { "merge_subtract" }, new object[] { "merge_multiply" },
        new object[] { "merge_average" }, new object[] { "merge_maximum" }, new object[] { "merge_minimum" },
    };

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void Element_wise_merges(string name)
    {
        FixtureCase fixture = s_cases.Value[name];
        // Each graph class differs from the others only in its [Merge] operation.
        Func<MergeRnn.Input, MergeGru.Input, MergeTail.Output> run = name switch
        {
            "merge_add" => Loaded(fixture, new MergeAdd(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeAdd.Outputs o); return o.LstmC; }),
            "merge_subtract" => Loaded(fixture, new MergeSubtract(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeSubtract.Outputs o); return o.LstmC; }),
            "merge_multiply" => Loaded(fixture, new MergeMultiply(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeMultiply.Outputs o); return o.LstmC; }),
            "merge_average" => Loaded(fixture, new MergeAverage(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeAverage.Outputs o); return o.LstmC; }),
            "merge_maximum" => Loaded(fixture, new MergeMaximum(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeMaximum.Outputs o); return o.LstmC; }),
            _ => Loaded(fixture, new MergeMinimum(), g => (g.RnnA, g.GruB, g.LstmC), (g, a, b) => { g.Forward(in a, in b, out MergeMinimum.Outputs o); return o.LstmC; }),
        };
        for (int b = 0; b < fixture.Batch; b++)
        {
            MergeRnn.Input inputA = default;
            MergeGru.Input inputB = default;
            Sample(fixture.Inputs["a"], b).CopyTo(inputA.AsSpan());
            Sample(fixture.Inputs["b"], b).CopyTo(inputB.AsSpan());
            AssertOutput(fixture, 0, b, run(inputA, inputB).Result.AsSpan());
        }
    }

    // A merge graph with the fixture's weights in its three nodes, as a function of its two inputs.
    private static Func<MergeRnn.Input, MergeGru.Input, MergeTail.Output> Loaded<TGraph>(
        FixtureCase fixture,
        TGraph graph,
        Func<TGraph, (MergeRnn Rnn, MergeGru Gru, MergeTail Tail)> nodes,
        Func<TGraph, MergeRnn.Input, MergeGru.Input, MergeTail.Output> forward)
    {
        (MergeRnn rnn, MergeGru gru, MergeTail tail) = nodes(graph);
        SetChain(rnn, fixture, "rnn_a");
        SetChain(gru, fixture, "gru_b");
        SetChain(tail, fixture, "lstm_c");
        return (a, b) => forward(graph, a, b);
    }

    [Fact]
    public void Dot_of_two_vectors_is_one_value()
    {
        FixtureCase fixture = s_cases.Value["dot_vectors"];
        var graph = new DotVectors();
        SetChain(graph.LstmA, fixture, "lstm_a");
        SetChain(graph.GruB, fixture, "gru_b");
        SetChain(graph.Head, fixture, "head");
        AssertTwoInputs(fixture, "a", "b", (DotLstmA.Input a, DotGruB.Input b) => { graph.Forward(in a, in b, out DotVectors.Outputs o); return o.Head.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Dot_with_normalize_is_the_cosine_similarity()
    {
        FixtureCase fixture = s_cases.Value["dot_cosine"];
        var graph = new DotCosine();
        SetChain(graph.LstmA, fixture, "lstm_a");
        SetChain(graph.LstmB, fixture, "lstm_b");
        SetChain(graph.Head, fixture, "head");
        AssertTwoInputs(fixture, "a", "b", (CosineBranch.Input a, CosineBranch.Input b) => { graph.Forward(in a, in b, out DotCosine.Outputs o); return o.Head.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Dot_of_two_sequences_over_their_features_is_a_sequence_of_scores()
    {
        FixtureCase fixture = s_cases.Value["dot_sequences_last"];
        var graph = new DotSequencesLast();
        SetChain(graph.LstmX, fixture, "lstm_x");
        SetChain(graph.GruY, fixture, "gru_y");
        SetChain(graph.LstmOut, fixture, "lstm_out");
        AssertTwoInputs(fixture, "x", "y", (DotSequenceX.Input x, DotSequenceY.Input y) => { graph.Forward(in x, in y, out DotSequencesLast.Outputs o); return o.LstmOut.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Dot_of_two_sequences_over_time_is_their_gram_matrix()
    {
        FixtureCase fixture = s_cases.Value["dot_sequences_time"];
        var graph = new DotSequencesTime();
        SetChain(graph.LstmX, fixture, "lstm_x");
        SetChain(graph.LstmY, fixture, "lstm_y");
        SetChain(graph.GruOut, fixture, "gru_out");
        AssertTwoInputs(fixture, "x", "y", (DotSequenceX.Input x, DotTimeY.Input y) => { graph.Forward(in x, in y, out DotSequencesTime.Outputs o); return o.GruOut.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Dot_of_a_sequence_and_a_vector_with_an_axis_each()
    {
        FixtureCase fixture = s_cases.Value["dot_sequence_vector"];
        var graph = new DotSequenceVector();
        SetChain(graph.LstmX, fixture, "lstm_x");
        SetChain(graph.LstmY, fixture, "lstm_y");
        SetChain(graph.Head, fixture, "head");
        AssertTwoInputs(fixture, "x", "y", (DotSequenceX.Input x, DotVectorY.Input y) => { graph.Forward(in x, in y, out DotSequenceVector.Outputs o); return o.Head.Result.AsSpan().ToArray(); });
    }

    // Every sample of a two-input case through run, its one output against TensorFlow.js.
    private static void AssertTwoInputs<TA, TB>(FixtureCase fixture, string first, string second, Func<TA, TB, float[]> run)
        where TA : struct
        where TB : struct
    {
        for (int b = 0; b < fixture.Batch; b++)
        {
            TA a = default;
            TB c = default;
            Sample(fixture.Inputs[first], b).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<TA, float>(new Span<TA>(ref a)));
            Sample(fixture.Inputs[second], b).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<TB, float>(new Span<TB>(ref c)));
            AssertOutput(fixture, 0, b, run(a, c));
        }
    }

    [Fact]
    public void A_shared_layer_reads_both_inputs_with_one_set_of_weights()
    {
        FixtureCase fixture = s_cases.Value["shared_siamese"];
        var graph = new SharedSiamese();
        SetChain(graph.LeftTower, fixture, "shared");
        SetChain(graph.Score, fixture, "score");
        // One model for both nodes: the shared layer's weights appear once in the graph's weights.
        Assert.Equal(fixture.Layers["shared"].Length + fixture.Layers["score"].Length, graph.GetWeights().Length);
        Assert.Equal(SharedSiamese.WeightArrayCount, graph.GetWeights().Length);
        for (int b = 0; b < fixture.Batch; b++)
        {
            SiameseTower.Input left = default;
            SiameseTower.Input right = default;
            Sample(fixture.Inputs["left"], b).CopyTo(left.AsSpan());
            Sample(fixture.Inputs["right"], b).CopyTo(right.AsSpan());
            graph.Forward(in left, in right, out SharedSiamese.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Score.Result.AsSpan());
        }
    }

    [Fact]
    public void One_input_read_by_two_branches_concatenated_per_timestep()
    {
        FixtureCase fixture = s_cases.Value["one_input_two_branches"];
        var graph = new OneInputTwoBranches();
        SetChain(graph.L1, fixture, "l1");
        SetChain(graph.G1, fixture, "g1");
        SetChain(graph.Out, fixture, "l2", "out");
        for (int b = 0; b < fixture.Batch; b++)
        {
            BranchL1.Input x = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            graph.Forward(in x, out OneInputTwoBranches.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void Dot_attention_of_a_decoder_over_an_encoder()
    {
        FixtureCase fixture = s_cases.Value["attention_dot"];
        var graph = new DotAttentionGraph();
        Assert.DoesNotContain("attention", fixture.Layers.Keys); // no use_scale, dot scores: no weights
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        AssertAttention(fixture, (x, y) => { graph.Forward(in x, in y, out DotAttentionGraph.Outputs o); return o.Out.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Scaled_concat_attention_with_a_separate_key()
    {
        FixtureCase fixture = s_cases.Value["attention_scaled_concat_key"];
        var graph = new ScaledConcatAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Keys, fixture, "keys");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        // The attention layer's scale and concat_score_weight come after the chains' arrays.
        float[][] weights = graph.GetWeights();
        Assert.Equal(ScaledConcatAttentionGraph.WeightArrayCount, weights.Length);
        Assert.Equal(new[] { 1f }, weights[^2]);
        weights[^2] = fixture.Layers["attention"][0];
        weights[^1] = fixture.Layers["attention"][1];
        graph.SetWeights(weights);
        AssertAttention(fixture, (x, y) => { graph.Forward(in x, in y, out ScaledConcatAttentionGraph.Outputs o); return o.Out.Result.AsSpan().ToArray(); });
    }

    [Fact]
    public void Additive_attention_with_its_scale_vector()
    {
        FixtureCase fixture = s_cases.Value["additive_attention"];
        var graph = new AdditiveAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        float[][] weights = graph.GetWeights();
        Assert.Equal(4, weights[^1].Length);
        weights[^1] = fixture.Layers["attention"][0];
        graph.SetWeights(weights);
        AssertAttention(fixture, (x, y) => { graph.Forward(in x, in y, out AdditiveAttentionGraph.Outputs o); return o.Out.Result.AsSpan().ToArray(); });

        // A scale of the wrong length is refused, naming the weight, and nothing changes.
        weights[^1] = new float[3];
        var error = Assert.Throws<ArgumentException>(() => graph.SetWeights(weights));
        Assert.Contains("'attention/scale' holds 4 float(s), but 3 were given", error.Message);
        Assert.Equal(fixture.Layers["attention"][0], graph.GetWeights()[^1]);
    }

    [Fact]
    public void A_merge_of_a_merge_of_a_merge()
    {
        FixtureCase fixture = s_cases.Value["merge_of_merge"];
        var graph = new MergeOfMergeGraph();
        SetChain(graph.L1, fixture, "l1");
        SetChain(graph.G1, fixture, "g1");
        SetChain(graph.L2, fixture, "l2");
        SetChain(graph.Out, fixture, "tail", "out");
        for (int b = 0; b < fixture.Batch; b++)
        {
            NestedL1.Input a = default;
            Sample(fixture.Inputs["a"], b).CopyTo(a.AsSpan());
            graph.Forward(in a, out MergeOfMergeGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void Attention_over_a_merge()
    {
        FixtureCase fixture = s_cases.Value["attention_over_merge"];
        var graph = new AttentionOverMergeGraph();
        SetChain(graph.EncA, fixture, "enc_a");
        SetChain(graph.EncB, fixture, "enc_b");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        float[][] weights = graph.GetWeights();
        weights[^1] = fixture.Layers["attention"][0];
        graph.SetWeights(weights);
        for (int b = 0; b < fixture.Batch; b++)
        {
            MergedEncoderA.Input x = default;
            MergedDecoder.Input y = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out AttentionOverMergeGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }
    }

    // A graph's MultiHeadAttention arrays are its last ones, in Keras get_weights() order: the golden layer's, flattened.
    private static void SetMultiHeadAttention(IList<float[]> weights, FixtureCase fixture, int count)
    {
        float[][] arrays = fixture.Layers["mha"];
        Assert.Equal(count, arrays.Length);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(arrays[i].Length, weights[weights.Count - count + i].Length);
            weights[weights.Count - count + i] = arrays[i];
        }
    }

    [Fact]
    public void Multi_head_self_attention_over_a_sequence()
    {
        FixtureCase fixture = s_cases.Value["mha_self_attention"];
        var graph = new MhaSelfAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Out, fixture, "out");
        float[][] weights = graph.GetWeights();
        Assert.Equal(MhaSelfAttentionGraph.WeightArrayCount, weights.Length);
        SetMultiHeadAttention(weights, fixture, 8);
        graph.SetWeights(weights);
        for (int b = 0; b < fixture.Batch; b++)
        {
            MhaSelfEncoder.Input x = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            graph.Forward(in x, out MhaSelfAttentionGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void Multi_head_cross_attention_with_a_key_value_dim_and_output_shape()
    {
        FixtureCase fixture = s_cases.Value["mha_cross_key_value_dims"];
        var graph = new MhaCrossAttentionGraph();
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Keys, fixture, "keys");
        SetChain(graph.Out, fixture, "out");
        float[][] weights = graph.GetWeights();
        SetMultiHeadAttention(weights, fixture, 8);
        graph.SetWeights(weights);
        for (int b = 0; b < fixture.Batch; b++)
        {
            MhaCrossEncoder.Input x = default;
            AttentionDecoder.Input y = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out MhaCrossAttentionGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }
    }

    [Fact]
    public void Causal_multi_head_attention_without_biases()
    {
        FixtureCase fixture = s_cases.Value["mha_causal_no_bias"];
        var graph = new MhaCausalAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Out, fixture, "out");
        float[][] weights = graph.GetWeights();
        SetMultiHeadAttention(weights, fixture, 4);
        graph.SetWeights(weights);
        for (int b = 0; b < fixture.Batch; b++)
        {
            MhaCausalEncoder.Input x = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            graph.Forward(in x, out MhaCausalAttentionGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
        }

        // Forward allocates nothing (the scratch is on the stack at these sizes).
        MhaCausalEncoder.Input input = default;
        graph.Forward(in input, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        graph.Forward(in input, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_fresh_multi_head_attention_starts_as_keras_initializes_it_and_bad_arrays_are_refused()
    {
        var graph = new MhaCrossAttentionGraph();
        float[][] weights = graph.GetWeights();
        float[][] mha = weights[^8..];

        // glorot_uniform with Keras's fans of a 3-D kernel (compute_fans: fan_in = shape[-2] * shape[0], fan_out =
        // shape[-1] * shape[0]): query [4, 3, 2], key [5, 3, 2], value [6, 3, 3], attention_output [3, 3, 5]; biases zeros.
        (int Leading, int Middle, int Last)[] kernels = { (4, 3, 2), (5, 3, 2), (6, 3, 3), (3, 3, 5) };
        for (int k = 0; k < 4; k++)
        {
            (int leading, int middle, int last) = kernels[k];
            float[] kernel = mha[2 * k];
            double limit = Math.Sqrt(6.0 / (middle * leading + last * leading));
            Assert.Equal(leading * middle * last, kernel.Length);
            Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0, limit));
            Assert.True(kernel.Max(Math.Abs) > limit / 2, $"kernel {k} looks too narrow for glorot_uniform (limit {limit})");
            Assert.All(mha[2 * k + 1], b => Assert.Equal(0f, b));
        }

        // A kernel one float short is refused, named, and nothing changes.
        float[][] bad = weights.Select(w => w.ToArray()).ToArray();
        bad[^8] = new float[23];
        var error = Assert.Throws<ArgumentException>(() => graph.SetWeights(bad));
        Assert.Contains("'mha/query/kernel' holds 24 float(s), but 23 were given", error.Message);
        Assert.Equal(weights, graph.GetWeights());

        // The runtime kernel checks what the generated call passes.
        float[] output = new float[25];
        var call = Assert.Throws<ArgumentException>(() => GeneratedModelSupport.MultiHeadAttention(
            new float[20], new float[36], new float[30], 5, 6, heads: 3, keyDim: 2, valueDim: 3, causal: false, mha[..7], output));
        Assert.Contains("7 weight array(s)", call.Message);
    }

    private static void AssertAttention(FixtureCase fixture, Func<AttentionEncoder.Input, AttentionDecoder.Input, float[]> forward)
    {
        for (int b = 0; b < fixture.Batch; b++)
        {
            AttentionEncoder.Input x = default;
            AttentionDecoder.Input y = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y.AsSpan());
            AssertOutput(fixture, 0, b, forward(x, y));
        }
    }

    [Fact]
    public void Weights_round_trip_in_node_order_and_a_bad_set_changes_nothing()
    {
        FixtureCase fixture = s_cases.Value["seq2seq"];
        var graph = new Seq2Seq();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder", "head");
        float[][] weights = graph.GetWeights();
        Assert.Equal(Seq2Seq.WeightArrayCount, weights.Length);
        Assert.Equal(graph.Encoder.GetWeights().Concat(graph.Decoder.GetWeights()).Select(w => w.ToArray()), weights);

        var copy = new Seq2Seq();
        copy.SetWeights(weights);
        Assert.Equal(weights, copy.GetWeights());

        // The decoder's last array one float short: refused before the encoder's arrays are copied.
        float[][] bad = weights.Select(w => w.ToArray()).ToArray();
        bad[0][0] += 1f;
        bad[^1] = bad[^1][..^1];
        var error = Assert.Throws<ArgumentException>(() => copy.SetWeights(bad));
        Assert.Contains("'decoder'", error.Message);
        Assert.Equal(weights, copy.GetWeights());

        error = Assert.Throws<ArgumentException>(() => copy.SetWeights(weights.Take(3).ToArray()));
        Assert.Contains("'encoder' 3, 'decoder' 5", error.Message);
    }

    [Fact]
    public void Forward_allocates_nothing()
    {
        var graph = new TwoBranchConcat();
        BranchGru.Input a = default;
        BranchLstm.Input b = default;
        graph.Forward(in a, in b, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            graph.Forward(in a, in b, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
