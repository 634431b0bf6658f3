using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RnnGen.Formats.Keras;
using RnnGen.Tool;

namespace RnnGen.Formats.Tests;

/// <summary>
/// <see cref="KerasWeights.Inspect(string)"/>, the declaration it writes, and the <c>rnngen inspect</c> command. The
/// expected declarations restate what the files' own READMEs and configurations say about the models.
/// </summary>
public sealed class InspectTests
{
    [Fact]
    public void The_bidirectional_lstm_file_inspects_as_its_readme_describes()
    {
        // dl4j README: tf.keras 2.2.4-tf; Input(None, 3, 4) -> Bidirectional(LSTM(6, tanh, hard_sigmoid,
        // return_sequences=True), merge_mode='concat') -> Activation(relu).
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"));
        Assert.Equal(WeightFormat.LegacyH5, info.Format);
        Assert.Equal("2.2.4-tf", info.KerasVersion);
        Assert.Equal(3, info.Timesteps);
        Assert.Equal(4, info.InputDim);
        KerasFileLayer lstm = info.Layers[0];
        Assert.Equal((LayerKind?)LayerKind.Lstm, lstm.Kind);
        Assert.True(lstm.Bidirectional);
        Assert.Equal(6, lstm.Units);
        Assert.Equal("hard_sigmoid", lstm.FileRecurrentActivation);
        Assert.Equal("hard_sigmoid_keras2", lstm.RecurrentActivation);
        Assert.Equal(new[] { "[4, 24]", "[6, 24]", "[24]", "[4, 24]", "[6, 24]", "[24]" }, lstm.Weights.Select(w => w.ShapeText));
        Assert.Equal((LayerKind?)LayerKind.Activation, info.Layers[1].Kind);
        Assert.Equal("relu", info.Layers[1].Activation);
        Assert.Equal("Activation", info.Layers[1].ClassName);

        string declaration = info.ToDeclaration("BiLstm");
        Assert.Contains("[Sequential(Timesteps = 3, InputDim = 4)]", declaration);
        Assert.Contains("[Lstm(6, RecurrentActivation = \"hard_sigmoid_keras2\", ReturnSequences = true, Bidirectional = true)]", declaration);
        Assert.Contains("ReturnSequences = true, Bidirectional = true)]\n[Activation(\"relu\")]\npublic partial class BiLstm;", declaration.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("refuses", declaration);
        Assert.EndsWith("public partial class BiLstm;" + Environment.NewLine, declaration);
    }

    [Fact]
    public void A_single_recurrent_layer_gets_a_single_attribute()
    {
        // frugally-deep README: GRU(1, activation=None, use_bias=False, reset_after=True, return_sequences=True,
        // stateful=True), input (1, 3, 1).
        string declaration = KerasWeights.Inspect(Fixture.Path("frugally-deep/temp_stateful.h5")).ToDeclaration("Toy");
        Assert.Contains("[Gru(1, Timesteps = 3, InputDim = 1, Activation = \"linear\", UseBias = false, ReturnSequences = true, Stateful = true)]", declaration);
        Assert.DoesNotContain("[Sequential", declaration);
    }

    [Fact]
    public void The_Keras_3_archive_declares_every_layer_with_Keras_3_names()
    {
        string declaration = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack.keras")).ToDeclaration("Stack");
        string[] expected =
        {
            "using RnnGen;",
            "[Sequential(Timesteps = 5, InputDim = 3)]",
            "[Lstm(4, RecurrentActivation = \"hard_sigmoid\", ReturnSequences = true, Bidirectional = true)]",
            "[Dropout(0.25)]",
            "[Gru(3, RecurrentActivation = \"hard_sigmoid\")]",
            "[Dense(4, Activation = \"relu\")]",
            "[Dense(2, Activation = \"tanh\")]",
            "public partial class Stack;",
        };
        string[] lines = declaration.Split(Environment.NewLine).Where(l => !l.StartsWith("//", StringComparison.Ordinal) && l.Length > 0).ToArray();
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void An_open_timestep_count_becomes_a_placeholder_with_a_comment()
    {
        // keras3_stack_deflated.keras was written with batch_shape [None, None, 3].
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack_deflated.keras"));
        Assert.Null(info.Timesteps);
        string declaration = info.ToDeclaration();
        Assert.Contains("[Sequential(Timesteps = TIMESTEPS, InputDim = 3)]", declaration);
        Assert.Contains("// TIMESTEPS: the Keras model leaves the sequence length open (None)", declaration);
        Assert.DoesNotContain("stores weights only", declaration);

        // A weights-only file does not store the length at all, which is another reason.
        string weightsOnly = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack.weights.h5")).ToDeclaration();
        Assert.Contains("// TIMESTEPS: the file stores weights only, not the sequence length", weightsOnly);
        Assert.DoesNotContain("(None)", weightsOnly);
    }

    [Fact]
    public void A_requested_timestep_count_replaces_the_placeholder_or_the_stored_length()
    {
        KerasFileInfo open = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack_deflated.keras"));
        string filled = open.ToDeclaration("Stack", timesteps: 7);
        Assert.Contains("[Sequential(Timesteps = 7, InputDim = 3)]", filled);
        Assert.DoesNotContain("TIMESTEPS", filled);

        // keras3_stack.keras was built for 5 timesteps: another length is declared as asked, with a comment.
        KerasFileInfo fixedLength = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack.keras"));
        string longer = fixedLength.ToDeclaration("Stack", timesteps: 9);
        Assert.Contains("[Sequential(Timesteps = 9, InputDim = 3)]", longer);
        Assert.Contains("// Timesteps = 9 as requested: the Keras model was built for 5; RNN weights fit any length.", longer);
        Assert.DoesNotContain("as requested", fixedLength.ToDeclaration("Stack", timesteps: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => fixedLength.ToDeclaration("Stack", timesteps: 0));

        // A single-layer declaration carries the length in its own attribute.
        string single = KerasWeights.Inspect(Fixture.Path("frugally-deep/temp_stateful.h5")).ToDeclaration("Toy", timesteps: 6);
        Assert.Contains("[Gru(1, Timesteps = 6, InputDim = 1,", single);
    }

    [Fact]
    public void Weights_only_files_infer_kinds_from_shapes_and_say_what_is_unknown()
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras2_stack_weights.h5"));
        Assert.False(info.HasConfig);
        Assert.Equal(new LayerKind?[] { LayerKind.Lstm, LayerKind.Dropout, LayerKind.Gru, LayerKind.Dense, LayerKind.Dense }, info.Layers.Select(l => l.Kind));
        Assert.True(info.Layers[0].Bidirectional);
        Assert.False(info.Layers[2].ResetAfter); // bias [9], the Keras 2.0 GRU convention
        string declaration = info.ToDeclaration();
        Assert.Contains("[Gru(3, ResetAfter = false)]", declaration);
        Assert.Contains("The file stores no configuration", declaration);
    }

    [Fact]
    public void A_weights_h5_without_config_is_ordered_by_chaining_kernel_widths_and_says_so()
    {
        // keras3_stack.weights.h5 lists bidirectional, dense, dense_1, gru by name; only one order chains the widths
        // 3 -> 8 -> 3 -> 4 -> 2 through every layer.
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack.weights.h5"));
        Assert.False(info.LayerOrderKnown);
        Assert.Equal(new[] { "bidirectional", "gru", "dense", "dense_1" }, info.Layers.Select(l => l.Name));
        Assert.Equal(3, info.InputDim);
        string report = info.ToString();
        Assert.Contains("Layers (order not recorded; shown in the one order in which each kernel takes the previous layer's output):", report);
        Assert.DoesNotContain("by name", report);
        Assert.Contains("// The file does not record the layer order; below is the only order in which each kernel takes the previous", info.ToDeclaration());
    }

    [Fact]
    public void Where_the_widths_allow_several_orders_recurrent_layers_come_first_and_the_note_says_so()
    {
        // Nine layers of width 2 (then 1) chain in many orders. A Dense may precede a recurrent layer in a Sequential,
        // but nothing here requires it, so the recurrent layers come first, kinds in name order, and Dense last.
        KerasFileInfo deep = KerasWeights.Inspect(Fixture.Path("generated/keras3_deep.weights.h5"));
        Assert.Equal(
            new[] { "gru", "lstm", "lstm_1", "lstm_2", "lstm_3", "simple_rnn", "simple_rnn_1", "dense", "dense_1" },
            deep.Layers.Select(l => l.Name));
        Assert.Contains(deep.Notes, n => n.Contains("The kernel widths allow several orders; layers are shown in one of them, with recurrent layers before Dense layers", StringComparison.Ordinal));
        Assert.Contains("Layers (order not recorded; the kernel widths allow several orders; shown with recurrent layers first, kinds by name):", deep.ToString());
        string declaration = deep.ToDeclaration();
        Assert.Contains("// The file does not record the layer order, and the kernel widths allow several: below, recurrent layers come", declaration);
        Assert.Contains("// Put the attributes in the Keras model's order.", declaration);
    }

    [Fact]
    public void Layers_are_ordered_by_their_widths_not_their_names()
    {
        // keras3_simple.weights.h5 holds simple_rnn (2 -> 3) and dense (3 -> 2): both orders chain, and the recurrent
        // one is taken.
        KerasFileInfo simple = KerasWeights.Inspect(Fixture.Path("generated/keras3_simple.weights.h5"));
        Assert.Equal(new[] { "simple_rnn", "dense" }, simple.Layers.Select(l => l.Name));
        Assert.Equal(2, simple.InputDim);

        // keras3_timedistributed.weights.h5: lstm (3 -> 4), time_distributed (4 -> 3), dense (3 -> 2). Only one order
        // fits, and in it the Dense named first (dense) comes last.
        KerasFileInfo wrapped = KerasWeights.Inspect(Fixture.Path("generated/keras3_timedistributed.weights.h5"));
        Assert.Equal(new[] { "lstm", "time_distributed", "dense" }, wrapped.Layers.Select(l => l.Name));
        Assert.Contains("shown in the one order in which each kernel takes the previous layer's output", wrapped.ToString());
    }

    [Fact]
    public void A_Dense_that_the_widths_put_before_a_recurrent_layer_comes_first()
    {
        // Dense(8) on 3 features, then LSTM(4) on its 8 outputs: recurrent first cannot chain (the Dense kernel has 3
        // rows, the LSTM gives 4), so the Dense leads. With a Dense(4) -> LSTM(4) on 4 features both orders chain, and
        // the recurrent one is preferred, said as a choice.
        List<FileLayer> forced = new() { Layer("dense", [3, 8], [8]), Layer("lstm", [8, 16], [4, 16], [16]) };
        Assert.Equal(LayerOrder.ChainedByWidths, KerasFileReader.OrderByShapes(forced));
        Assert.Equal(new[] { "dense", "lstm" }, forced.Select(l => l.Description.Name));

        List<FileLayer> either = new() { Layer("dense", [4, 4], [4]), Layer("lstm", [4, 16], [4, 16], [16]) };
        Assert.Equal(LayerOrder.ChosenAmongWidthOrders, KerasFileReader.OrderByShapes(either));
        Assert.Equal(new[] { "lstm", "dense" }, either.Select(l => l.Description.Name));

        // A dropout group has no weights and no place: last. Kernels that chain in no order: by name.
        List<FileLayer> broken = new() { Layer("dropout"), Layer("dense", [5, 8], [8]), Layer("lstm", [7, 16], [4, 16], [16]) };
        Assert.Equal(LayerOrder.ByName, KerasFileReader.OrderByShapes(broken));
        Assert.Equal(new[] { "dense", "lstm", "dropout" }, broken.Select(l => l.Description.Name));

        static FileLayer Layer(string name, params int[][] shapes)
        {
            var weights = shapes.Select((s, i) => new FileWeight($"layers/{name}/vars/{i}", s.Select(d => (long)d).ToArray(), _ => new float[s.Aggregate(1, (a, b) => a * b)])).ToList();
            return new FileLayer(ShapeInference.Describe(name, ShapeInference.ClassFromName(name), weights), weights);
        }
    }

    [Theory]
    [InlineData("generated/keras3_stack_pre310.weights.h5")] // Keras 3.0-3.9: an empty layers/dropout/vars
    [InlineData("generated/tfkeras213_stack.weights.h5")]    // tf.keras 2.13: an empty _layer_checkpoint_dependencies/dropout/vars
    public void A_weightless_layer_of_a_weights_h5_is_named_in_a_comment_not_placed(string file)
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path(file));
        KerasFileLayer dropout = Assert.Single(info.Layers, l => l.Kind == LayerKind.Dropout);
        Assert.Same(dropout, info.Layers[^1]);
        Assert.Contains("records neither where this layer goes", dropout.Note);
        Assert.Equal("Dropout(rate not stored)", dropout.Describe());

        string declaration = info.ToDeclaration("Stack");
        Assert.DoesNotContain(declaration.Split(Environment.NewLine), l => l.StartsWith("[Dropout", StringComparison.Ordinal));
        Assert.Contains("// dropout (Dropout): no weights, and the file records neither where it goes nor its options.", declaration);
        // The comment comes before the attributes, so it does not stand at a position in the model.
        Assert.True(declaration.IndexOf("// dropout (Dropout)", StringComparison.Ordinal) < declaration.IndexOf("[Sequential", StringComparison.Ordinal));
    }

    [Fact]
    public void A_weightless_layer_keeps_its_place_where_the_file_records_the_order()
    {
        // A legacy save_weights() file lists its layers in model order (layer_names), Dropout second.
        string declaration = KerasWeights.Inspect(Fixture.Path("generated/keras2_stack_weights.h5")).ToDeclaration("Stack");
        string[] attributes = declaration.Split(Environment.NewLine).Where(l => l.StartsWith('[')).ToArray();
        Assert.StartsWith("[Dropout(0)] // the rate is not stored", attributes[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_TimeDistributed_Dense_of_a_weights_h5_is_declared_as_a_Dense_after_a_sequence()
    {
        // keras3_timedistributed.weights.h5: LSTM(4, return_sequences) -> TimeDistributed(Dense(3)) -> Dense(2), kept
        // as layers/lstm, layers/time_distributed/layer/vars and layers/dense.
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_timedistributed.weights.h5"));
        KerasFileLayer wrapped = info.Layers[1];
        Assert.Equal("time_distributed", wrapped.Name);
        Assert.Equal((LayerKind?)LayerKind.Dense, wrapped.Kind);
        Assert.True(wrapped.IsTimeDistributed);
        Assert.Equal(new[] { "layers/time_distributed/layer/vars/0", "layers/time_distributed/layer/vars/1" }, wrapped.Weights.Select(w => w.Name));
        Assert.Equal("TimeDistributed(Dense(3, use_bias=True))", wrapped.Describe());

        // TimeDistributed needs a sequence, so the LSTM before it returns sequences even without a config.
        string[] attributes = info.ToDeclaration().Split(Environment.NewLine).Where(l => l.StartsWith('[')).ToArray();
        Assert.Equal(new[] { "[Sequential(Timesteps = TIMESTEPS, InputDim = 3)]", "[Lstm(4, ReturnSequences = true)]", "[Dense(3)]", "[Dense(2)]" }, attributes);
    }

    [Fact]
    public void Same_shaped_TimeDistributed_and_Dense_groups_are_pointed_out()
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_timedistributed_ambiguous.weights.h5"));
        Assert.Contains(info.Notes, n => n.Contains("A TimeDistributed(Dense) group and a plain Dense group have the same shapes", StringComparison.Ordinal));
        Assert.DoesNotContain(KerasWeights.Inspect(Fixture.Path("generated/keras3_timedistributed.weights.h5")).Notes, n => n.Contains("TimeDistributed", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tool_prints_the_report_and_the_declaration()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(new[] { "inspect", Fixture.Path("generated/keras2_stack_model.h5") }, output, error);
        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("Keras:   2.4.0, backend tensorflow", text);
        Assert.Contains("gru/gru_cell/bias:0 [9]", text);
        Assert.Contains("[Gru(3, RecurrentActivation = \"hard_sigmoid_keras2\", ResetAfter = false)]", text);
        Assert.Contains("public partial class Keras2StackModel;", text);
        Assert.Equal("", error.ToString());

        var filled = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", Fixture.Path("generated/keras3_stack.weights.h5"), "--timesteps", "12", "--class", "Stack" }, filled, error));
        Assert.Contains("[Sequential(Timesteps = 12, InputDim = 3)]", filled.ToString());
        Assert.Contains("public partial class Stack;", filled.ToString());
        Assert.DoesNotContain("TIMESTEPS", filled.ToString());
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void The_tool_reports_unreadable_files_and_usage_errors_with_exit_codes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-{Guid.NewGuid():N}.h5");
        File.WriteAllText(path, "not a weight file");
        try
        {
            var error = new StringWriter();
            Assert.Equal(1, Program.Run(new[] { "inspect", path }, new StringWriter(), error));
            Assert.Contains("Not a Keras weight file", error.ToString());
            Assert.Equal(2, Program.Run(new[] { "frobnicate" }, new StringWriter(), new StringWriter()));
            Assert.Equal(2, Program.Run(new[] { "inspect" }, new StringWriter(), new StringWriter()));
            string weights = Fixture.Path("generated/keras3_stack.weights.h5");
            foreach (string bad in new[] { "0", "-3", "five", "2.5" })
            {
                var timestepsError = new StringWriter();
                Assert.Equal(2, Program.Run(new[] { "inspect", weights, "--timesteps", bad }, new StringWriter(), timestepsError));
                Assert.Contains($"--timesteps wants a positive whole number, not '{bad}'", timestepsError.ToString());
            }

            Assert.Equal(0, Program.Run(new[] { "--help" }, new StringWriter(), new StringWriter()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("my_model.weights.h5", "MyModel")]
    [InlineData("2024-run.keras", "Model2024Run")]
    [InlineData("lstm.npz", "Lstm")]
    public void Class_names_come_from_the_file_name(string file, string expected) =>
        Assert.Equal(expected, Program.ClassNameFor(file));
}
