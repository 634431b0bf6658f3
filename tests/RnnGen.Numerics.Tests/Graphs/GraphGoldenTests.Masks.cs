using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RnnGen.Numerics.Tests.Graphs;

// Masks between a graph's nodes (docs/graphs.md, masks) against the TF.js mask cases of graphs.mjs: each case's five
// samples have no masked timestep, padding at the end, masked timesteps at the start, here and there, and (where the
// case allows) all timesteps masked. A node given no mask, or the wrong one, changes the outputs of the padded samples.
public partial class GraphGoldenTests
{
    // A graph's attention arrays are its last ones, in node order: the fixture layers', by name.
    private static float[][] WithAttentions(float[][] weights, FixtureCase fixture, params string[] layers)
    {
        float[][] attention = layers.SelectMany(l => fixture.Layers[l]).ToArray();
        for (int i = 0; i < attention.Length; i++)
        {
            Assert.Equal(attention[i].Length, weights[weights.Length - attention.Length + i].Length);
            weights[weights.Length - attention.Length + i] = attention[i];
        }

        return weights;
    }

    [Fact]
    public void A_masked_sequence_carries_its_mask_to_the_chains_that_read_it()
    {
        FixtureCase fixture = s_cases.Value["mask_chain_to_chain"];
        var graph = new MaskChainToChain();
        SetChain(graph.Enc, fixture, "enc");
        SetChain(graph.Head, fixture, "dec", "head");
        SetChain(graph.Last, fixture, "last");
        SetChain(graph.RnnHead, fixture, "rnn", "rnn_head");
        for (int b = 0; b < fixture.Batch; b++)
        {
            MaskingEncoder.Input x = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            graph.Forward(in x, out MaskChainToChain.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Head.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs.Last.Result.AsSpan());
            AssertOutput(fixture, 2, b, outputs.RnnHead.Result.AsSpan());
        }
    }

    [Fact]
    public void Merges_of_sequences_with_one_embedding_mask_pass_it_on()
    {
        FixtureCase fixture = s_cases.Value["mask_embedding_merge"];
        var graph = new MaskEmbeddingMerge();
        SetChain(graph.LstmA, fixture, "embedding", "lstm_a");
        SetChain(graph.LstmB, fixture, "lstm_b");
        SetChain(graph.Out, fixture, "out");
        SetChain(graph.AvgHead, fixture, "avg_head");
        for (int b = 0; b < fixture.Batch; b++)
        {
            MaskedTokens.Input tokens = default;
            Sample(fixture.Inputs["tokens"], b).CopyTo(tokens.AsSpan());
            graph.Forward(in tokens, out MaskEmbeddingMerge.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs.AvgHead.Result.AsSpan());
        }
    }

    [Fact]
    public void Attention_reads_the_query_and_value_masks_and_passes_the_query_mask_on()
    {
        FixtureCase fixture = s_cases.Value["mask_attention"];
        var graph = new MaskAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        SetChain(graph.AdditiveHead, fixture, "additive_head");
        graph.SetWeights(WithAttentions(graph.GetWeights(), fixture, "attention", "additive"));
        for (int b = 0; b < fixture.Batch; b++)
        {
            MaskedAttentionEncoder.Input x = default;
            MaskedAttentionDecoder.Input y = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out MaskAttentionGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs.AdditiveHead.Result.AsSpan());
        }
    }

    [Fact]
    public void Multi_head_attention_combines_the_query_value_and_causal_masks()
    {
        FixtureCase fixture = s_cases.Value["mask_mha"];
        var graph = new MaskMhaGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        SetChain(graph.SelfHead, fixture, "self_head");
        graph.SetWeights(WithAttentions(graph.GetWeights(), fixture, "mha", "self_mha"));
        for (int b = 0; b < fixture.Batch; b++)
        {
            MaskedAttentionEncoder.Input x = default;
            MaskedAttentionDecoder.Input y = default;
            Sample(fixture.Inputs["x"], b).CopyTo(x.AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y.AsSpan());
            graph.Forward(in x, in y, out MaskMhaGraph.Outputs outputs);
            AssertOutput(fixture, 0, b, outputs.Out.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs.SelfHead.Result.AsSpan());
        }

        // Masks on the stack: Forward still allocates nothing.
        MaskedAttentionEncoder.Input input = default;
        MaskedAttentionDecoder.Input target = default;
        graph.Forward(in input, in target, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        graph.Forward(in input, in target, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(new float[] { 3, 7, 1, 0, 0 }, new float[] { 3, 7, 1 })]
    [InlineData(new float[] { 0, 0, 3, 7, 1 }, new float[] { 3, 7, 1 })]
    [InlineData(new float[] { 3, 0, 7, 0, 1 }, new float[] { 3, 7, 1 })]
    public void Padding_tokens_change_nothing_in_the_docs_text_classifier(float[] padded, float[] tokens)
    {
        // docs/graphs.md's example at 5 and 3 timesteps with the same weights (uniform in [-1, 1), seeded): the masked
        // padding is skipped by the LSTM, ignored and zeroed by the attention and left out of the average, so the
        // padded sequence gives the unpadded one's output. Without the masks between the nodes it would not.
        var longer = new PaddedTextClassifier();
        var shorter = new ShortTextClassifier();
        var random = new Random(7);
        float[][] weights = longer.GetWeights().Select(w => w.Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        longer.SetWeights(weights);
        shorter.SetWeights(weights);

        PaddedTextEncoder.Input x = default;
        padded.CopyTo(x.AsSpan());
        ShortTextEncoder.Input y = default;
        tokens.CopyTo(y.AsSpan());
        longer.Forward(in x, out PaddedTextClassifier.Outputs a);
        shorter.Forward(in y, out ShortTextClassifier.Outputs b);
        Assert.Equal(b.Out.Result.AsSpan()[0], a.Out.Result.AsSpan()[0], 6);
    }

    [Fact]
    public void The_batch_forward_gives_every_sample_what_tfjs_computes_and_refuses_spans_that_do_not_pair()
    {
        FixtureCase fixture = s_cases.Value["mask_attention"];
        var graph = new MaskAttentionGraph();
        SetChain(graph.Encoder, fixture, "encoder");
        SetChain(graph.Decoder, fixture, "decoder");
        SetChain(graph.Out, fixture, "out");
        SetChain(graph.AdditiveHead, fixture, "additive_head");
        graph.SetWeights(WithAttentions(graph.GetWeights(), fixture, "attention", "additive"));
        var x = new MaskedAttentionEncoder.Input[fixture.Batch];
        var y = new MaskedAttentionDecoder.Input[fixture.Batch];
        for (int b = 0; b < fixture.Batch; b++)
        {
            Sample(fixture.Inputs["x"], b).CopyTo(x[b].AsSpan());
            Sample(fixture.Inputs["y"], b).CopyTo(y[b].AsSpan());
        }

        var outputs = new MaskAttentionGraph.Outputs[fixture.Batch];
        graph.Forward(x, y, outputs);
        for (int b = 0; b < fixture.Batch; b++)
        {
            AssertOutput(fixture, 0, b, outputs[b].Out.Result.AsSpan());
            AssertOutput(fixture, 1, b, outputs[b].AdditiveHead.Result.AsSpan());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        graph.Forward(x, y, outputs);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        float[] Results() => outputs.SelectMany(o => o.Out.Result.AsSpan().ToArray().Concat(o.AdditiveHead.Result.AsSpan().ToArray())).ToArray();
        float[] copy = Results();
        var error = Assert.Throws<ArgumentException>(() => graph.Forward(x, y.AsSpan(0, 4), outputs));
        Assert.Equal("outputs", error.ParamName);
        Assert.StartsWith("MaskAttentionGraph.Forward needs one sample of each input per output, but has 5 x, 4 y for 5 outputs.", error.Message);
        Assert.Equal(copy, Results()); // refused before any sample ran
    }
}

