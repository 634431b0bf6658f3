using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using RnnGen.Tool;

namespace RnnGen.Formats.Tests;

/// <summary>
/// What a Keras user does, end to end, for every fixture file: run <c>rnngen inspect</c> on it, paste the declaration it
/// prints (Pasted/*.cs, compiled by the generator in this project), call <c>LoadWeights</c> on the generated class and
/// get the predictions Keras recorded. Also: the stream overload, mismatching declarations, and SaveWeights.
/// </summary>
public sealed class PastedDeclarationTests
{
    // Keras and RnnGen both compute in float32, in different orders of summation and with different exp/tanh: the
    // recorded predictions agree to about 6 significant digits (dl4j README: numpy itself is 2.1e-6 off Keras).
    private const float Tolerance = 1e-5f;

    public static TheoryData<string> Files => WeightFileCases.Names();

    [Theory]
    [MemberData(nameof(Files))]
    public void Rnngen_inspect_prints_the_declaration_that_is_compiled_here(string file)
    {
        // Files that do not store the sequence length (or leave it open) are inspected with --timesteps, so that the
        // declaration compiles exactly as printed.
        WeightFileCase test = WeightFileCases.All[file];
        string printed = Declaration(Inspect(test.FullPath, test.FilledTimesteps));
        Assert.DoesNotContain("TIMESTEPS", printed);

        // The printed block is a whole file starting with the using line; pasted, it got a namespace line after that.
        Assert.StartsWith("using RnnGen;\n\n// ", printed, StringComparison.Ordinal);
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pasted", test.Pasted + ".cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string namespaceLine = $"namespace Pasted.{test.Pasted};\n\n";
        string pasted = "using RnnGen;\n\n" + After(source, "using RnnGen;\n\n" + namespaceLine);
        Assert.Equal(pasted, printed);
        string command = $"rnngen inspect {Path.GetFileName(test.Fixture)}" + (test.FilledTimesteps is int t ? $" --timesteps {t}" : "");
        Assert.StartsWith($"// Pasted from `{command}`.", source, StringComparison.Ordinal);
    }

    public static TheoryData<string> FilesWithoutALength()
    {
        var data = new TheoryData<string>();
        foreach (var (name, test) in WeightFileCases.All)
        {
            if (test.FilledTimesteps is not null)
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilesWithoutALength))]
    public void Without_timesteps_the_tool_prints_a_placeholder_saying_why_the_length_is_missing(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        string withLength = Declaration(Inspect(test.FullPath, test.FilledTimesteps));
        string placeholder = Declaration(Inspect(test.FullPath, null));
        Assert.Contains("Timesteps = TIMESTEPS", placeholder);

        // A weights-only file does not store the length; a .keras archive built on Input(shape=(None, 3)) leaves it open.
        string why = KerasWeights.Inspect(test.FullPath).HasConfig
            ? "the Keras model leaves the sequence length open (None)"
            : "the file stores weights only, not the sequence length";
        string[] placeholderLines = placeholder.Split('\n');
        string[] lengthLines = withLength.Split('\n');
        Assert.Contains($"// TIMESTEPS: {why}; RNN weights fit any length.", placeholderLines);
        Assert.Contains("// Replace it with the length you will feed, or run rnngen inspect with --timesteps N.", placeholderLines);
        Assert.Contains($"// Timesteps = {test.FilledTimesteps} as requested: {why}; RNN weights fit any length.", lengthLines);

        // Apart from those comments and the length itself, the two declarations are the same.
        static string[] Rest(string[] lines) => lines.Where(l => !l.Contains("timesteps", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("// Replace it", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Rest(lengthLines), Rest(placeholderLines));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_pasted_declaration_loads_the_file(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel pasted = test.NewPasted();
        test.Load(pasted);
        ILoadableModel asBuilt = test.NewAsBuilt();
        test.Load(asBuilt);
        Assert.NotEqual(test.NewPasted().GetWeights(), pasted.GetWeights());
        if (!test.PastedOrderDiffers)
        {
            Assert.Equal(asBuilt.GetWeights(), pasted.GetWeights());
            return;
        }

        // Declared in another order, each layer still holds what Keras saved for the layer of its name.
        Assert.NotEqual(asBuilt.Info.Layers.Select(l => l.Name), pasted.Info.Layers.Select(l => l.Name));
        var expected = ByLayerName(asBuilt);
        var actual = ByLayerName(pasted);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, weights) in expected)
        {
            Assert.Equal(weights, actual[name]);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadWeights_reproduces_the_predictions_Keras_recorded(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel model = test.NewAsBuilt();
        test.Load(model);
        KerasRecording recording = test.Recording(model);
        AssertClose(recording.Output, test.Predict(model, recording.Input), recording.Source);

        // The allocation-free batch overload of IRnnModel computes the same (the initial-state models: without it; the
        // models whose last layer the test applies itself: before it).
        if (file.StartsWith("temp_", StringComparison.Ordinal) || test.IgnoredLayers is not null)
        {
            return;
        }

        var output = new float[recording.Output.Length];
        int batch = model.Predict(recording.Input, output);
        Assert.Equal(recording.Input.Length / (model.Info.Timesteps * model.Info.InputDim), batch);
        AssertClose(recording.Output, output, recording.Source + " via Predict(input, output)");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadWeights_from_a_stream_with_the_format_detected_loads_the_same(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel fromPath = test.NewAsBuilt();
        test.Load(fromPath);
        ILoadableModel fromStream = test.NewAsBuilt();
        using (FileStream stream = File.OpenRead(test.FullPath))
        {
            test.Load(fromStream, stream);
        }

        Assert.Equal(fromPath.GetWeights(), fromStream.GetWeights());
        KerasRecording recording = test.Recording(fromPath);
        Assert.Equal(test.Predict(fromPath, recording.Input), test.Predict(fromStream, recording.Input));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_mismatching_declaration_is_rejected_naming_the_layer_and_nothing_is_loaded(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel model = test.NewMismatched();
        float[][] before = model.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => model.LoadWeights(test.FullPath));
        Assert.Contains("nothing was loaded", error.Message);
        foreach (string part in test.MismatchMessage)
        {
            Assert.Contains(part, error.Message);
        }

        Assert.Equal(before, model.GetWeights());

        using FileStream stream = File.OpenRead(test.FullPath);
        var fromStream = Assert.Throws<ArgumentException>(() => model.LoadWeights(stream, WeightFormat.Detect));
        Assert.Contains(test.MismatchMessage[0], fromStream.Message);
        Assert.Equal(before, model.GetWeights());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void SaveWeights_then_LoadWeights_on_a_new_instance_round_trips_exactly(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel source = test.NewAsBuilt();
        test.Load(source);
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-{Guid.NewGuid():N}.npz");
        try
        {
            source.SaveWeights(path);
            Assert.Equal(WeightFormat.Npz, KerasWeights.DetectFormat(path));
            ILoadableModel copy = test.NewAsBuilt();
            copy.LoadWeights(path);
            Assert.Equal(source.GetWeights(), copy.GetWeights());
            KerasRecording recording = test.Recording(source);
            Assert.Equal(test.Predict(source, recording.Input), test.Predict(copy, recording.Input));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_stateful_gru_continues_from_its_stored_state_as_tf_keras_did()
    {
        // frugally-deep README: after a first call with initial_state h0 = 10, a call without it continues from the
        // stored state; reset_states() forgets it.
        var model = new Pasted.FrugallyDeepStatefulH5.TempStateful();
        model.LoadWeights(Fixture.Path("frugally-deep/temp_stateful.h5"));
        float[][] initial = { WeightFileCases.FrugallyInitialState };
        AssertClose(WeightFileCases.FrugallyFirstCall, model.Predict(WeightFileCases.FrugallyInput, initial)[0], "first call");
        AssertClose(WeightFileCases.FrugallyContinued, model.Predict(WeightFileCases.FrugallyInput)[0], "second call");
        model.ResetStates();
        AssertClose(WeightFileCases.FrugallyFirstCall, model.Predict(WeightFileCases.FrugallyInput, initial)[0], "after ResetStates");
    }

    [Fact]
    public void An_explicit_initial_state_overrides_the_stored_state_of_the_stateful_gru()
    {
        // frugally-deep README: with initial_state h0 = 10, the TF 2.0 stateful model gives the first call's values on
        // every call, as Keras 3 does (RNN.call reads the stored state only when initial_state is None); a call
        // without it continues from the stored state (the README's continued values). So: initial state, none, then
        // the initial state again without ResetStates, which must start from h0 again, not from the stored state.
        var model = new Pasted.FrugallyDeepStatefulH5.TempStateful();
        model.LoadWeights(Fixture.Path("frugally-deep/temp_stateful.h5"));
        float[][] initial = { WeightFileCases.FrugallyInitialState };
        AssertClose(WeightFileCases.FrugallyFirstCall, model.Predict(WeightFileCases.FrugallyInput, initial)[0], "first call, with the initial state");
        AssertClose(WeightFileCases.FrugallyContinued, model.Predict(WeightFileCases.FrugallyInput)[0], "second call, without it");
        AssertClose(WeightFileCases.FrugallyFirstCall, model.Predict(WeightFileCases.FrugallyInput, initial)[0], "third call, with the initial state again");
        AssertClose(WeightFileCases.FrugallyFirstCall, model.Predict(WeightFileCases.FrugallyInput, initial)[0], "fourth call, with the initial state again");
    }

    [Theory]
    [InlineData("simple_rnn_tf_keras_2_model.h5")]
    [InlineData("simple_flatten_lstm_tf_keras_2_model.h5")]
    public void Streaming_one_timestep_per_row_gives_the_dl4j_predictions(string file)
    {
        // Each recorded row is a sequence of one timestep from a zero state: one Step after ResetStates.
        WeightFileCase test = WeightFileCases.All[file];
        var model = (IStreamingModel)test.NewAsBuilt();
        ((ILoadableModel)model).LoadWeights(test.FullPath);
        KerasRecording recording = test.Recording(model);
        var outputs = new float[recording.Output.Length];
        for (int row = 0; row < recording.Input.Length; row++)
        {
            model.ResetStates();
            model.Step(recording.Input.AsSpan(row, 1), outputs.AsSpan(row, 1));
        }

        AssertClose(recording.Output, outputs, recording.Source + " via Step");
    }

    [Fact]
    public void A_weights_only_file_cannot_tell_the_activation_so_the_printed_default_computes_something_else()
    {
        // What the printed comment warns about: the dl4j LSTM used Keras 2's hard_sigmoid, which save_weights() does
        // not record; the declaration from the weights-only file loads, but with RnnGen's default sigmoid.
        WeightFileCase test = WeightFileCases.All["simple_flatten_lstm_tf_keras_2_weights.h5"];
        ILoadableModel pasted = test.NewPasted();
        pasted.LoadWeights(test.FullPath);
        KerasRecording recording = test.Recording(pasted);
        float[] output = test.Predict(pasted, recording.Input);
        float largest = recording.Output.Zip(output, (e, a) => MathF.Abs(e - a)).Max();
        Assert.True(largest > 100 * Tolerance, $"the sigmoid declaration should differ from Keras, but is within {largest}");
    }

    private static string Inspect(string path, int? timesteps)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = timesteps is int t ? new[] { "inspect", path, "--timesteps", t.ToString(CultureInfo.InvariantCulture) } : new[] { "inspect", path };
        Assert.Equal(0, Program.Run(args, output, error));
        Assert.Equal("", error.ToString());
        return output.ToString();
    }

    private static string Declaration(string inspectOutput) => After(inspectOutput, "C# declaration:\n\n");

    private static Dictionary<string, float[][]> ByLayerName(IRnnModel model)
    {
        float[][] weights = model.GetWeights();
        var byName = new Dictionary<string, float[][]>();
        int next = 0;
        foreach (LayerInfo layer in model.Info.Layers)
        {
            byName[layer.Name] = weights[next..(next + layer.Weights.Count)];
            next += layer.Weights.Count;
        }

        return byName;
    }

    private static string After(string text, string marker)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker.TrimEnd()}' not found in:\n{text}");
        return text[(at + marker.Length)..].TrimEnd() + "\n";
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                MathF.Abs(expected[i] - actual[i]) <= Tolerance * MathF.Max(1, MathF.Abs(expected[i])),
                $"{what}: element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
