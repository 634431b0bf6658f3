using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RnnGen.Package.Tests;

/// <summary>
/// The app whose model is a Keras file (KerasConsumer/, [KerasModel("models/forecaster.keras")]) published as users
/// ship it: trimmed and self-contained, and with NativeAOT. Each publish gives no trim or AOT warning; the model file is
/// then deleted and the published program, reading its weights from its own image, prints what Keras predicted.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class KerasModelPublishTests
{
    private const string ModelFixture = "tests/RnnGen.Formats.Tests/Fixtures/generated/keras3_stack.keras";
    private const string RecordingFixture = "tests/RnnGen.Formats.Tests/Fixtures/generated/expected_stack_keras3.json";

    /// <summary>KerasModelConsumerTests' tolerance: float32 sums in another order than Keras's may differ in the last digits.</summary>
    private const float Tolerance = 1e-5f;

    private readonly PackageFixture _fixture;

    public KerasModelPublishTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void A_Keras_file_model_published_trimmed_and_self_contained_predicts_Keras_numbers_without_the_file()
    {
        string directory = PrepareProject("keras-consumer-trimmed");
        string output = Path.Combine(directory, "trimmed");
        CommandResult publish = Publish(directory, output, "--self-contained", "-p:PublishTrimmed=true");

        // The trimmed app runs on its own runtime: its apphost, not `dotnet app.dll`.
        AssertPredictsKerasWithoutTheFile(directory, Path.Combine(output, OperatingSystem.IsWindows() ? "KerasConsumer.exe" : "KerasConsumer"), publish);
    }

    [NativeAotFact]
    public void A_Keras_file_model_published_with_NativeAOT_predicts_Keras_numbers_without_the_file()
    {
        string directory = PrepareProject("keras-consumer-nativeaot");
        string output = Path.Combine(directory, "native");
        CommandResult publish = Publish(directory, output, "-p:PublishAot=true");

        // Native code only: no managed assembly beside the executable; the weights are in the executable's image.
        Assert.DoesNotContain(Directory.GetFiles(output, "*.dll"), path => Path.GetFileName(path) is "KerasConsumer.dll" or "RnnGen.dll");
        AssertPredictsKerasWithoutTheFile(directory, Path.Combine(output, OperatingSystem.IsWindows() ? "KerasConsumer.exe" : "KerasConsumer"), publish);
    }

    private string PrepareProject(string name)
    {
        string directory = _fixture.CreateConsumerProject(name, "KerasConsumer");
        string model = Path.Combine(directory, "models", "forecaster.keras");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(Path.Combine(_fixture.RepositoryRoot, ModelFixture), model);
        return directory;
    }

    private CommandResult Publish(string directory, string output, params string[] options)
    {
        CommandResult publish = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(15),
            new[] { "publish", "-r", NativeAotFactAttribute.PortableRuntimeIdentifier(), "-o", output,
                // This app needs none of the ASP.NET Core packs that a restore for a runtime identifier fetches by default.
                "-p:DisableTransitiveFrameworkReferenceDownloads=true" }.Concat(options).ToArray());
        Assert.True(publish.ExitCode == 0, publish.ToString());
        // The trimmer and ILC report what they cannot prove safe as IL2xxx / IL3xxx warnings.
        Assert.False(Regex.IsMatch(publish.Output, @"warning IL\d{4}"), publish.ToString());
        return publish;
    }

    private void AssertPredictsKerasWithoutTheFile(string directory, string executable, CommandResult publish)
    {
        Assert.True(File.Exists(executable), "no executable: " + publish);
        File.Delete(Path.Combine(directory, "models", "forecaster.keras"));

        using JsonDocument recording = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_fixture.RepositoryRoot, RecordingFixture)));
        string[] input = recording.RootElement.GetProperty("input").EnumerateArray().Select(v => ((float)v.GetDouble()).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        float[] expected = recording.RootElement.GetProperty("output").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

        CommandResult run = DotnetCli.Run(executable, directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(1), input);
        Assert.True(run.ExitCode == 0, run.ToString());
        float[] predicted = run.Output.Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith("imported: ", StringComparison.Ordinal))["imported: ".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(expected.Length, predicted.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - predicted[i]) <= Tolerance * MathF.Max(1, MathF.Abs(expected[i])), $"element {i}: Keras {expected[i]}, RnnGen {predicted[i]}\n{run}");
        }
    }
}
