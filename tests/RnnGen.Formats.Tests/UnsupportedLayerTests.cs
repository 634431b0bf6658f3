using System;
using System.IO;
using System.Linq;
using RnnGen.Formats.Tests.UnsupportedLayers;
using RnnGen.Tool;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Files with a layer RnnGen does not generate (a Conv1DTranspose before the LSTM) and functional graphs (two LSTM branches
/// joined by Concatenate), written by tests/formats-fixtures/generate.mjs: one error per unsupported layer and one for a
/// graph, never a mismatch at every later layer; <see cref="KerasFile"/> reads any layer's weights and config.
/// </summary>
public sealed class UnsupportedLayerTests
{
    [Theory]
    [InlineData("generated/keras2_conv1d_transpose_model.h5")]
    [InlineData("generated/keras3_conv1d_transpose.keras")]
    public void A_layer_RnnGen_does_not_generate_is_reported_once_by_name_and_class(string file)
    {
        var model = new AfterConv();
        float[][] before = model.GetWeights();
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, Fixture.Path(file)));

        Assert.Contains("'conv1d_transpose' (Conv1DTranspose, weights [2, 4, 3], [4]): RnnGen has no Conv1DTranspose layer", error.Message);
        Assert.Contains("ignoredLayers: new[] { \"conv1d_transpose\" }", error.Message);
        Assert.Contains("RnnGen generates SimpleRNN, LSTM and GRU", error.Message);
        // The LSTM and Dense after it pair with the declaration: nothing else is reported, no cascade.
        Assert.DoesNotContain("mismatch", error.Message);
        Assert.DoesNotContain("Other differences", error.Message);
        Assert.Single(error.Message.Split('\n'), line => line.Contains("conv1d_transpose", StringComparison.Ordinal) && line.Contains("RnnGen has no", StringComparison.Ordinal));
        Assert.Equal(before, model.GetWeights());
    }

    [Theory]
    [InlineData("generated/keras2_conv1d_transpose_model.h5")]
    [InlineData("generated/keras3_conv1d_transpose.keras")]
    public void Passing_over_the_unsupported_layer_loads_the_rest_and_KerasFile_reads_the_layer_itself(string file)
    {
        var model = new AfterConv();
        KerasWeights.Load(model, Fixture.Path(file), new[] { "conv1d_transpose" });

        KerasFile keras = KerasFile.Open(Fixture.Path(file));
        KerasFileLayerWeights lstm = keras.Layer("lstm");
        KerasFileLayerWeights dense = keras.Layer("dense");
        float[][] expected = lstm.Weights.Concat(dense.Weights).Select(w => w.Read()).ToArray();
        Assert.Equal(expected, model.GetWeights());

        KerasFileLayerWeights conv = keras.Layer("conv1d_transpose");
        Assert.Equal("Conv1DTranspose", conv.ClassName);
        Assert.Equal(new[] { 2, 4, 3 }, conv.Weights[0].Shape);
        Assert.Equal(24, conv.Weights[0].Read().Length);
        Assert.NotNull(conv.Config);
        Assert.Equal(4, conv.Config!.Value.GetProperty("filters").GetInt32());
        Assert.Equal("valid", conv.Config.Value.GetProperty("padding").GetString());
    }

    [Fact]
    public void Rnngen_inspect_declares_the_chain_after_the_unsupported_first_layer()
    {
        // The LSTM's kernel takes the Conv1DTranspose's 4 filters, not the file's 3 input features.
        string declaration = KerasWeights.Inspect(Fixture.Path("generated/keras3_conv1d_transpose.keras")).ToDeclaration("AfterConv");
        Assert.Contains("[Sequential(Timesteps = 5, InputDim = 4)]", declaration);
        Assert.Contains("// The model below starts after conv1d_transpose (Conv1DTranspose), which RnnGen does not generate", declaration);
        Assert.Contains("KerasFile.Open(path).Layer(\"conv1d_transpose\") and load with ignoredLayers: new[] { \"conv1d_transpose\" }.", declaration);
    }

    [Fact]
    public void The_Keras_2_and_Keras_3_files_hold_the_same_convolution_values()
    {
        // Written by two different writers of the fixture script (legacy weight_names, Keras 3 vars/0): the raw API
        // reads the same arrays from both.
        KerasFileLayerWeights legacy = KerasFile.Open(Fixture.Path("generated/keras2_conv1d_model.h5")).Layer("conv1d");
        KerasFileLayerWeights keras3 = KerasFile.Open(Fixture.Path("generated/keras3_conv1d.keras")).Layer("conv1d");
        Assert.Equal("conv1d/kernel:0", legacy.Weights[0].Name);
        Assert.Equal(legacy.Weights.Select(w => w.Read()), keras3.Weights.Select(w => w.Read()));
    }

    [Fact]
    public void KerasFile_reads_the_values_the_fixture_script_wrote()
    {
        // expected_layernorm.json holds the arrays generate.mjs wrote into the file, in get_weights() order.
        using var expected = Fixture.Json("generated/expected_layernorm.json");
        float[][] written = expected.RootElement.GetProperty("weights").EnumerateArray().Select(Fixture.Floats).ToArray();
        KerasFile file = KerasFile.Open(Fixture.Path("generated/keras3_layernorm.keras"));
        float[][] read = file.Layers.SelectMany(l => l.Weights).Select(w => w.Read()).ToArray();
        Assert.Equal(written, read);
        Assert.Equal(0.001, file.Layer("layer_normalization").Config!.Value.GetProperty("epsilon").GetDouble());
    }

    [Fact]
    public void KerasFile_names_the_layers_it_has_when_asked_for_another()
    {
        KerasFile file = KerasFile.Open(Fixture.Path("generated/keras3_conv1d_transpose.keras"));
        var error = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => file.Layer("embedding"));
        Assert.Contains("no layer named 'embedding'; its layers are 'conv1d_transpose', 'lstm', 'dense'", error.Message);
        Assert.Throws<InvalidDataException>(() => KerasFile.Open(new MemoryStream(new byte[] { 1, 2, 3 })));
    }

    [Fact]
    public void Other_differences_are_still_reported_with_the_unsupported_layer_passed_over()
    {
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(new AfterConvWrongWidth(), Fixture.Path("generated/keras2_conv1d_transpose_model.h5")));
        Assert.Contains("RnnGen has no Conv1DTranspose layer", error.Message);
        Assert.Contains("Other differences, with those layers passed over:", error.Message);
        Assert.Contains("kernel: declared [3, 12], the file's 'lstm/lstm_cell/kernel:0' is [4, 12]", error.Message);
    }

    [Fact]
    public void A_functional_graph_is_refused_with_one_message_saying_what_to_do()
    {
        string path = Fixture.Path("generated/keras3_functional.keras");
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(new FirstBranch(), path));
        Assert.Contains("'keras3_functional.keras' is a functional model that is not one chain of layers: the layer 'concatenate' (Concatenate) joins 2 tensors (from 'lstm', 'lstm_1')", error.Message);
        Assert.Contains("declare it as a [Graph]", error.Message);
        Assert.Contains("declare the chain you need as a [Sequential] class", error.Message);
        Assert.DoesNotContain("mismatch", error.Message);

        // Passing over the other branch, one branch loads.
        var branch = new FirstBranch();
        KerasWeights.Load(branch, path, new[] { "lstm_1", "concatenate", "dense" });
        Assert.Equal(KerasFile.Open(path).Layer("lstm").Weights.Select(w => w.Read()), branch.GetWeights());
    }

    [Fact]
    public void Rnngen_inspect_refuses_a_graph_it_cannot_declare_with_one_line()
    {
        // A merge as the model's output: a [Graph]'s outputs are [GraphNode]s (RNNG076), so the tool cannot write it.
        var info = new KerasFileInfo("siamese.keras", WeightFormat.Keras, "test", new[]
        {
            new KerasFileLayer("shared", "LSTM") { Kind = LayerKind.Lstm, Units = 4, HasConfig = true },
            new KerasFileLayer("diff", "Subtract") { HasConfig = true },
        })
        {
            GraphProblem = "the layer 'shared' (LSTM) is called 2 times (a shared layer)",
            Graph = new RnnGen.Formats.Keras.FunctionalGraph.Layout(
                new[] { new RnnGen.Formats.Keras.FunctionalGraph.LayoutInput("left", 5, 3), new RnnGen.Formats.Keras.FunctionalGraph.LayoutInput("right", 5, 3) },
                new[]
                {
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("shared", "LSTM", 1, new[] { "left" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("diff", "Subtract", 1, new[] { "shared", "shared" }, Array.Empty<string>()),
                },
                new[] { "diff" }),
        };
        var error = Assert.Throws<NotSupportedException>(() => info.ToDeclaration("Siamese"));
        Assert.Equal(
            "'siamese.keras' is a functional graph that rnngen inspect cannot declare yet: the output 'diff' is not the last layer of a chain " +
            "of layers (a merge or an input as an output). Declare it by hand as a [Graph] (docs/graphs.md) " +
            "from the layers rnngen inspect lists, or load the chains you need with KerasWeights.Load(model, path, ignoredLayers).",
            error.Message);
    }

    [Fact]
    public void Rnngen_inspect_passes_masks_between_nodes_and_refuses_the_merges_keras_versions_disagree_on()
    {
        // Masking -> LSTM(return_sequences) read by self-attention and a Dense: Keras passes the mask on to the attention
        // (which ignores the masked timesteps), and the [Graph] does, so the tool declares it. A merge of that sequence
        // with one that carries no mask, or a Multiply of masked sequences, gets different masks or values from tf.keras 2
        // and Keras 3: refused with the generator's reason (GraphMasks), rather than a declaration that is RNNG077.
        KerasFileInfo Info(string mergeClass, string other, bool plainReadsKerasMask = false) => new("padded.keras", WeightFormat.Keras, "test", new[]
        {
            new KerasFileLayer("masking", "Masking") { Kind = LayerKind.Masking, HasConfig = true },
            new KerasFileLayer("encoder", "LSTM") { Kind = LayerKind.Lstm, Units = 4, ReturnSequences = true, HasConfig = true },
            new KerasFileLayer("plain", "LSTM") { Kind = LayerKind.Lstm, Units = 4, ReturnSequences = true, HasConfig = true },
            new KerasFileLayer("attention", "Attention") { HasConfig = true },
            new KerasFileLayer("merge", mergeClass) { HasConfig = true },
            new KerasFileLayer("dense", "Dense") { Kind = LayerKind.Dense, Units = 2, HasConfig = true },
        })
        {
            GraphProblem = "a graph",
            Graph = new RnnGen.Formats.Keras.FunctionalGraph.Layout(
                new[] { new RnnGen.Formats.Keras.FunctionalGraph.LayoutInput("x", 5, 3) },
                new[]
                {
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("masking", "Masking", 1, new[] { "x" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("encoder", "LSTM", 1, new[] { "masking" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("plain", "LSTM", 1, new[] { other }, Array.Empty<string>()) { ReadsKerasMask = plainReadsKerasMask },
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("attention", "Attention", 1, new[] { "encoder", "encoder" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("merge", mergeClass, 1, new[] { "attention", "plain" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("dense", "Dense", 1, new[] { "merge" }, Array.Empty<string>()),
                },
                new[] { "dense" }),
        };

        string declared = Info("Add", "encoder").ToDeclaration("Padded").Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("[GraphNode(\"encoder\", typeof(PaddedEncoder), \"x\", Layers = new[] { \"masking\", \"encoder\" })]", declared);
        Assert.Contains("[Attention(\"attention\", \"encoder\", \"encoder\")]", declared);
        Assert.Contains("[Merge(\"merge\", MergeOperation.Add, \"attention\", \"plain\")]", declared);

        var mixed = Assert.Throws<NotSupportedException>(() => Info("Add", "x").ToDeclaration("Padded"));
        Assert.Contains("the layer 'merge' reads 'attention', a sequence that carries the mask of 'masking': tf.keras 2 and Keras 3 give such a merge different masks", mixed.Message);
        // The Dense called with a mask (Keras 3 wrote a mask keyword for it) that reads no masked tensor: a mask the
        // model computes itself, refused.
        var built = Assert.Throws<NotSupportedException>(() => Info("Add", "x", plainReadsKerasMask: true).ToDeclaration("Padded"));
        Assert.Contains("the layer 'plain' (LSTM) is called with a mask that no Masking or Embedding(mask_zero=True) layer makes", built.Message);
        var product = Assert.Throws<NotSupportedException>(() => Info("Multiply", "encoder").ToDeclaration("Padded"));
        Assert.Contains("the layer 'merge' reads 'attention', a sequence that carries the mask of 'masking': Keras versions differ in what Multiply, Maximum and Minimum give at masked timesteps", product.Message);
    }

    [Fact]
    public void Rnngen_inspect_declares_a_merge_of_a_merge_and_attention_over_a_merge()
    {
        // Keras: sum = Add()([Concatenate()([l1, g1]), l2]); attention = Attention()([l2, concat]); the tail reads
        // Concatenate()([sum, attention]). Each merge and the attention read a merge directly.
        KerasFileLayer Lstm(string name, int units, bool sequences = true) => new(name, "LSTM")
        {
            Kind = LayerKind.Lstm, Units = units, ReturnSequences = sequences, Activation = "tanh", RecurrentActivation = "sigmoid", HasConfig = true,
        };
        var info = new KerasFileInfo("nested.keras", WeightFormat.Keras, "test", new[]
        {
            Lstm("l1", 3), Lstm("g1", 2), Lstm("l2", 5),
            new KerasFileLayer("concat", "Concatenate") { HasConfig = true },
            new KerasFileLayer("sum", "Add") { HasConfig = true },
            new KerasFileLayer("attention", "Attention") { HasConfig = true },
            new KerasFileLayer("both", "Concatenate") { HasConfig = true },
            Lstm("tail", 2, sequences: false),
        })
        {
            GraphProblem = "a graph",
            Graph = new RnnGen.Formats.Keras.FunctionalGraph.Layout(
                new[] { new RnnGen.Formats.Keras.FunctionalGraph.LayoutInput("a", 5, 3) },
                new[]
                {
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("l1", "LSTM", 1, new[] { "a" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("g1", "LSTM", 1, new[] { "a" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("l2", "LSTM", 1, new[] { "a" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("concat", "Concatenate", 1, new[] { "l1", "g1" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("sum", "Add", 1, new[] { "concat", "l2" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("attention", "Attention", 1, new[] { "l2", "concat" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("both", "Concatenate", 1, new[] { "sum", "attention" }, Array.Empty<string>()),
                    new RnnGen.Formats.Keras.FunctionalGraph.LayoutNode("tail", "LSTM", 1, new[] { "both" }, Array.Empty<string>()),
                },
                new[] { "tail" }),
        };
        string declaration = info.ToDeclaration("Nested");
        Assert.Contains("[Merge(\"sum\", MergeOperation.Add, \"concat\", \"l2\")]", declaration);
        Assert.Contains("[Attention(\"attention\", \"l2\", \"concat\")]", declaration);
        Assert.Contains("[Merge(\"both\", MergeOperation.Concatenate, \"sum\", \"attention\")]", declaration);
        Assert.Contains("[GraphNode(\"tail\", typeof(NestedTail), \"both\")]", declaration);
    }

    [Fact]
    public void Rnngen_inspect_declares_a_functional_graph_as_a_graph()
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_functional.keras"));
        Assert.Contains(info.Notes, n => n.Contains("not one chain of layers", StringComparison.Ordinal) && n.Contains("a [Graph]", StringComparison.Ordinal));
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", Fixture.Path("generated/keras3_functional.keras") }, output, error));
        Assert.Contains("[Merge(\"concatenate\", MergeOperation.Concatenate, \"lstm\", \"lstm_1\")]", output.ToString());
    }

    [Fact]
    public void A_functional_chain_with_an_initial_state_input_is_still_one_chain()
    {
        // frugally-deep: Model(inputs=[x, h0], outputs=GRU(...)(x, initial_state=h0)): the second input is a state.
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("frugally-deep/temp_stateful.h5"));
        Assert.DoesNotContain(info.Notes, n => n.Contains("not one chain", StringComparison.Ordinal));
        Assert.Contains("[Gru(1,", info.ToDeclaration("Toy"));
    }
}
