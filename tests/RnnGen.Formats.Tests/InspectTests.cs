using System;
using System.IO;
using System.Linq;
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
        Assert.Null(info.Layers[1].Kind);
        Assert.Equal("Activation", info.Layers[1].ClassName);

        string declaration = info.ToDeclaration("BiLstm");
        Assert.Contains("[Sequential(Timesteps = 3, InputDim = 4)]", declaration);
        Assert.Contains("[Lstm(6, RecurrentActivation = \"hard_sigmoid_keras2\", ReturnSequences = true, Bidirectional = true)]", declaration);
        Assert.Contains("// activation_5 (Activation): RnnGen has no Activation layer: apply relu to the model's output yourself.", declaration);
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
        Assert.Contains("// TIMESTEPS: the file leaves the sequence length open (None)", declaration);
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
    public void A_weights_h5_without_config_is_ordered_by_chaining_kernel_widths()
    {
        // keras3_stack.weights.h5 lists bidirectional, dense, dense_1, gru by name; only one order chains the widths
        // 3 -> 8 -> 3 -> 4 -> 2 through every layer.
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/keras3_stack.weights.h5"));
        Assert.False(info.LayerOrderKnown);
        Assert.Equal(new[] { "bidirectional", "gru", "dense", "dense_1" }, info.Layers.Select(l => l.Name));
        Assert.Equal(3, info.InputDim);

        // Nine layers of width 2 allow many orders: they stay by name, and the note says so.
        KerasFileInfo deep = KerasWeights.Inspect(Fixture.Path("generated/keras3_deep.weights.h5"));
        Assert.Equal("dense", deep.Layers[0].Name);
        Assert.Contains(deep.Notes, n => n.Contains("by name", StringComparison.Ordinal));
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
