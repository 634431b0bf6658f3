using System;
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
        WeightFileCase test = WeightFileCases.All[file];
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", test.FullPath }, output, error));
        Assert.Equal("", error.ToString());

        string printed = After(output.ToString(), "C# declaration:\n\n");
        const string Placeholder = "Timesteps = TIMESTEPS";
        if (test.FilledTimesteps is int timesteps)
        {
            // The one edit the printed comment asks for: the sequence length the file leaves open.
            Assert.Contains(Placeholder, printed);
            printed = printed.Replace(Placeholder, $"Timesteps = {timesteps}", StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("TIMESTEPS", printed);
        }

        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pasted", test.Pasted + ".cs"));
        string pasted = After(source, $"namespace Pasted.{test.Pasted};\n\n");
        Assert.Equal(pasted, printed);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_pasted_declaration_loads_the_file(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel pasted = test.NewPasted();
        if (test.PastedLoadFailure is string failure)
        {
            var error = Assert.Throws<ArgumentException>(() => pasted.LoadWeights(test.FullPath));
            Assert.Contains(failure, error.Message);
            return;
        }

        pasted.LoadWeights(test.FullPath);
        ILoadableModel asBuilt = test.NewAsBuilt();
        asBuilt.LoadWeights(test.FullPath);
        Assert.NotEqual(test.NewPasted().GetWeights(), pasted.GetWeights());
        Assert.Equal(asBuilt.GetWeights(), pasted.GetWeights());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadWeights_reproduces_the_predictions_Keras_recorded(string file)
    {
        WeightFileCase test = WeightFileCases.All[file];
        ILoadableModel model = test.NewAsBuilt();
        model.LoadWeights(test.FullPath);
        KerasRecording recording = test.Recording(model);
        AssertClose(recording.Output, test.Predict(model, recording.Input), recording.Source);

        // The allocation-free batch overload of IRnnModel computes the same (the initial-state models: without it).
        if (file.StartsWith("temp_", StringComparison.Ordinal))
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
        fromPath.LoadWeights(test.FullPath);
        ILoadableModel fromStream = test.NewAsBuilt();
        using (FileStream stream = File.OpenRead(test.FullPath))
        {
            fromStream.LoadWeights(stream, WeightFormat.Detect);
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
        source.LoadWeights(test.FullPath);
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
