using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RnnGen.Package.Tests;

/// <summary>
/// [KerasModel] from the packed package, the whole MSBuild path: a console app (KerasConsumer/) with a real Keras file as
/// a KerasModel item builds (the package's build/RnnGen.targets runs its rnngen import), predicts the outputs Keras
/// recorded for the file, equals the hand-declared class after LoadWeights bit for bit, still predicts them after the
/// file is deleted (the weights are compiled in), rebuilds without importing again, and fails to build on a file RnnGen
/// cannot compile with the RNNG diagnostic on the attribute's path.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class KerasModelConsumerTests
{
    // RnnGen.Formats.Tests' fixtures: a Keras 3 .keras file and what Keras predicted with it (tests/formats-fixtures).
    private const string ModelFixture = "tests/RnnGen.Formats.Tests/Fixtures/generated/keras3_stack.keras";
    private const string RecordingFixture = "tests/RnnGen.Formats.Tests/Fixtures/generated/expected_stack_keras3.json";
    private const string BrokenFixture = "tests/RnnGen.Formats.Tests/Fixtures/generated/keras2_lambda_model.h5";

    /// <summary>RealKerasFileTests' tolerance: float32 sums in another order than Keras's may differ in the last digits.</summary>
    private const float Tolerance = 1e-5f;

    private readonly PackageFixture _fixture;

    public KerasModelConsumerTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void A_Keras_file_and_one_attribute_build_a_model_that_predicts_Keras_numbers_without_the_file()
    {
        string directory = _fixture.CreateConsumerProject("keras-consumer", "KerasConsumer");
        string model = Path.Combine(directory, "models", "forecaster.keras");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(Path.Combine(_fixture.RepositoryRoot, ModelFixture), model);
        using JsonDocument recording = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_fixture.RepositoryRoot, RecordingFixture)));
        string[] input = recording.RootElement.GetProperty("input").EnumerateArray().Select(v => ((float)v.GetDouble()).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        float[] expected = recording.RootElement.GetProperty("output").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

        CommandResult restore = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        CommandResult build = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "build", "--no-restore");
        Assert.True(build.ExitCode == 0, build.ToString());

        string app = Path.Combine(directory, "bin", "Debug", "net10.0", "KerasConsumer.dll");
        CommandResult run = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(1), input.Prepend(app).Concat(new[] { "--compare", model }).ToArray());
        Assert.True(run.ExitCode == 0, run.ToString());
        float[] predicted = Values(run.Output, "imported");
        Assert.Equal(expected.Length, predicted.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - predicted[i]) <= Tolerance * MathF.Max(1, MathF.Abs(expected[i])), $"element {i}: Keras {expected[i]}, RnnGen {predicted[i]}\n{run}");
        }

        Assert.Contains("same-weights: True", run.Output, StringComparison.Ordinal);
        Assert.Contains("same-output: True", run.Output, StringComparison.Ordinal);

        // A build with nothing changed imports nothing again (the target's Inputs and Outputs).
        CommandResult rebuild = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "build", "--no-restore", "-v", "detailed");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Contains("Skipping target \"RnnGenImportKerasModels\" because all output files are up-to-date", rebuild.Output, StringComparison.Ordinal);

        // The app needs no model file at run time: the same numbers, bit for bit, with the file gone.
        File.Delete(model);
        CommandResult withoutFile = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(1), input.Prepend(app).ToArray());
        Assert.True(withoutFile.ExitCode == 0, withoutFile.ToString());
        Assert.Equal(predicted, Values(withoutFile.Output, "imported"));
    }

    [Fact]
    public void A_Keras_file_RnnGen_cannot_compile_fails_the_build_with_RNNG042_on_the_path()
    {
        string directory = _fixture.CreateConsumerProject("keras-consumer-broken", "KerasConsumer");
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        File.Copy(Path.Combine(_fixture.RepositoryRoot, ModelFixture), Path.Combine(directory, "models", "forecaster.keras"));
        Directory.CreateDirectory(Path.Combine(directory, "broken"));
        File.Copy(Path.Combine(_fixture.RepositoryRoot, BrokenFixture), Path.Combine(directory, "broken", "lambda.h5"));

        CommandResult build = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "build", "-p:DeclareBrokenModel=true");

        Assert.True(build.ExitCode != 0, "the build succeeded: " + build);
        string[] errors = build.Output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.True(errors.Length > 0, build.ToString());
        Assert.All(errors, error =>
        {
            Assert.Contains("BrokenModel.cs(6,", error, StringComparison.Ordinal); // the line of [KerasModel("broken/lambda.h5")]
            Assert.Contains("error RNNG042:", error, StringComparison.Ordinal);
            Assert.Contains("lambda (Lambda)", error, StringComparison.Ordinal);
        });
    }

    private static float[] Values(string output, string name) =>
        output.Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith(name + ": ", StringComparison.Ordinal))
            .Substring(name.Length + 2)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))
            .ToArray();
}
