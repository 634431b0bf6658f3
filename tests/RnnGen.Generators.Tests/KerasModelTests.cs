using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// <c>[KerasModel("path")]</c>: every real Keras file with a configuration in the fixtures (Keras 2 and 3,
/// Deeplearning4j's tf.keras files, frugally-deep's, the repository's generated ones) compiles to the class its
/// <c>rnngen inspect</c> declaration generates, with the file's weights compiled in: equal, bit for bit, to that
/// declaration after <c>LoadWeights(file)</c>, and to Keras's recorded predictions where the fixture has them. The
/// descriptions are written by the real <c>rnngen import</c>, as the build does.
/// </summary>
public class KerasModelTests
{
    private const float Tolerance = 1e-5f; // RealKerasFileTests' tolerance for float32 sums in another order

    public static TheoryData<string> Files => new()
    {
        "generated/keras3_stack.keras",
        "generated/keras3_stack_deflated.keras",
        "generated/keras3_timedistributed.keras",
        "generated/keras2_deep_model.h5",
        "generated/keras2_dense_activation_model.h5", // Dense -> Activation(relu) -> Dense -> Activation(sigmoid)
        "generated/keras2_layernorm_model.h5",
        "generated/keras2_batchnorm_model.h5",
        "generated/keras3_layernorm.keras",
        "generated/keras3_batchnorm.keras",
        "generated/keras2_normalization_model.h5",
        "generated/keras3_normalization.keras",
        "generated/keras3_normalization_invert.keras", // LSTM -> Dense -> Normalization(invert=True)
        "generated/keras2_conv1d_model.h5", // Conv1D(4, 2)
        "generated/keras3_conv1d.keras",
        "generated/keras2_masking_model.h5",
        "generated/keras3_masking.keras",
        "generated/keras2_embedding_model.h5",
        "generated/keras3_embedding.keras",
        "generated/keras2_simple_model.h5",
        "generated/keras2_stack_chunked_model.h5",
        "generated/keras2_stack_model.h5",
        "generated/keras2_stack_split_attributes.h5",
        "dl4j-test-resources/simple_flatten_lstm_tf_keras_2_model.h5",
        "dl4j-test-resources/simple_rnn_tf_keras_2_model.h5",
        "dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5", // ends in Activation(relu)
        "frugally-deep/temp_stateful.h5",
        "frugally-deep/temp_stateless.h5",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void The_imported_class_is_the_class_of_its_rnngen_inspect_declaration_and_loads_the_same_weights(string file)
    {
        string path = KerasModelHarness.FixturePath(file);
        KerasModelItem embedded = KerasModelHarness.Import(file, "models/" + Path.GetFileName(file));
        // A file that leaves the length open (None) gets it from the attribute, as `inspect --timesteps` does.
        int? timesteps = embedded.Description.Contains("TIMESTEPS", StringComparison.Ordinal) ? 7 : null;
        string imported = $"[RnnGen.KerasModel(\"{embedded.Path}\"{(timesteps is int t ? $", Timesteps = {t}" : "")})]\npublic partial class Model;\n";
        string declaration = KerasWeights.Inspect(path).ToDeclaration("Model", timesteps);

        // Without embedded weights the generated source is the declaration's, character for character.
        GeneratorRun plain = KerasModelHarness.Run(imported, embedded with { Weights = null });
        GeneratorRun reference = CompilationHarness.Run(declaration);
        Assert.Empty(plain.GeneratorDiagnostics);
        Assert.Empty(reference.GeneratorDiagnostics);
        Assert.Equal(Normalize(Assert.Single(reference.Sources).Text), Normalize(Assert.Single(plain.Sources).Text));

        // With them, the parameterless constructor holds the file's weights: those LoadWeights reads, bit for bit.
        string declared = declaration.Replace("using RnnGen;\n", "using RnnGen;\nnamespace Declared\n{\n", StringComparison.Ordinal) + "}\n";
        GeneratorRun run = KerasModelHarness.Run(imported, embedded);
        run = CompilationHarness.Run(run.Input.AddSyntaxTrees(CSharpSyntaxTree.ParseText(declared, CompilationHarness.ParseOptions, "Declared.cs")), KerasModelHarness.CreateDriver(new[] { embedded }));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Assembly assembly = KerasModelHarness.Load(run, embedded);
        var fromFile = (IRnnModel)Activator.CreateInstance(assembly.GetType("Model")!)!;
        var loaded = (IRnnModel)Activator.CreateInstance(assembly.GetType("Declared.Model")!)!;
        loaded.GetType().GetMethod("LoadWeights", new[] { typeof(string) })!.Invoke(loaded, new object[] { path });

        float[][] weights = fromFile.GetWeights();
        Assert.Equal(loaded.GetWeights(), weights);
        Assert.Contains(weights, w => w.Any(v => v != 0));
        float[] input = Input(3 * fromFile.Info.InputLength);
        Assert.Equal(loaded.Predict(input), fromFile.Predict(input));
    }

    public static TheoryData<string, string> Recorded => new()
    {
        { "generated/keras3_stack.keras", "generated/expected_stack_keras3.json" },
        { "generated/keras3_timedistributed.keras", "generated/expected_timedistributed.json" },
        { "generated/keras2_stack_model.h5", "generated/expected_stack_keras2.json" },
        { "generated/keras2_deep_model.h5", "generated/expected_deep.json" },
        { "generated/keras2_simple_model.h5", "generated/expected_simple.json" },
        { "generated/keras2_dense_activation_model.h5", "generated/expected_dense_activation.json" },
        { "generated/keras3_batchnorm.keras", "generated/expected_batchnorm.json" },
        { "generated/keras3_normalization.keras", "generated/expected_normalization.json" },
        { "generated/keras3_normalization_invert.keras", "generated/expected_normalization_invert.json" },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void The_imported_class_predicts_what_Keras_recorded_for_the_file(string file, string recording)
    {
        KerasModelItem item = KerasModelHarness.Import(file, "forecaster.keras");
        GeneratorRun run = KerasModelHarness.Run("[RnnGen.KerasModel(\"forecaster.keras\")]\npublic partial class Forecaster;\n", item);
        Assert.Empty(run.GeneratorDiagnostics);
        var model = (IRnnModel)Activator.CreateInstance(KerasModelHarness.Load(run, item).GetType("Forecaster")!)!;

        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(KerasModelHarness.FixturePath(recording)));
        float[] input = Floats(expected.RootElement.GetProperty("input"));
        float[] output = Floats(expected.RootElement.GetProperty("output"));
        float[] predicted = model.Predict(input)[0];
        Assert.Equal(output.Length, predicted.Length);
        for (int i = 0; i < output.Length; i++)
        {
            Assert.True(MathF.Abs(output[i] - predicted[i]) <= Tolerance * MathF.Max(1, MathF.Abs(output[i])),
                $"element {i}: Keras {output[i]}, RnnGen {predicted[i]}");
        }
    }

    [Fact]
    public void An_architecture_json_with_its_weights_h5_beside_it_imports_as_the_keras_archive_does()
    {
        // Keras 3's model.to_json() is the archive's config.json (both serialize_keras_object(model)); the fixtures'
        // keras3_stack.weights.h5 is model.save_weights() of the same model.
        string folder = Path.GetDirectoryName(KerasModelHarness.TemporaryFile("stack.json", ConfigOf("generated/keras3_stack.keras")))!;
        string json = Path.Combine(folder, "stack.json");
        File.Copy(KerasModelHarness.FixturePath("generated/keras3_stack.weights.h5"), Path.Combine(folder, "stack.weights.h5"), overwrite: true);
        KerasModelItem fromJson = KerasModelHarness.Import(json, "stack.json");
        KerasModelItem fromArchive = KerasModelHarness.Import("generated/keras3_stack.keras", "stack.keras");

        GeneratorRun run = KerasModelHarness.Run(
            "[RnnGen.KerasModel(\"stack.json\")] public partial class FromJson;\n[RnnGen.KerasModel(\"stack.keras\")] public partial class FromArchive;\n",
            fromJson, fromArchive);
        Assert.Empty(run.GeneratorDiagnostics);
        Assembly assembly = KerasModelHarness.Load(run, fromJson, fromArchive);
        var model = (IRnnModel)Activator.CreateInstance(assembly.GetType("FromJson")!)!;
        var archived = (IRnnModel)Activator.CreateInstance(assembly.GetType("FromArchive")!)!;
        Assert.Equal(archived.GetWeights(), model.GetWeights());

        // Without the weights beside it, the JSON alone declares nothing: RNNG041 names the file it needs.
        File.Delete(Path.Combine(folder, "stack.weights.h5"));
        GeneratorRun alone = KerasModelHarness.Run("[RnnGen.KerasModel(\"stack.json\")] public partial class FromJson;\n", KerasModelHarness.Import(json, "stack.json"));
        ReportedDiagnostic reported = Assert.Single(alone.Reported());
        Assert.Equal("RNNG041", reported.Id);
        Assert.Contains("'stack.weights.h5'", reported.Message, StringComparison.Ordinal);
    }

    private static byte[] ConfigOf(string archive)
    {
        using ZipArchive zip = ZipFile.OpenRead(KerasModelHarness.FixturePath(archive));
        using var copy = new MemoryStream();
        using (Stream entry = zip.GetEntry("config.json")!.Open())
        {
            entry.CopyTo(copy);
        }

        return copy.ToArray();
    }

    [Fact]
    public void With_EmbedWeights_false_the_constructor_draws_initial_weights_and_LoadWeights_reads_the_file()
    {
        KerasModelItem item = KerasModelHarness.Import("generated/keras3_stack.keras", "m.keras", embed: false);
        GeneratorRun run = KerasModelHarness.Run("[RnnGen.KerasModel(\"m.keras\")]\npublic partial class M;\n", item);
        Assert.DoesNotContain("GetManifestResourceStream", Assert.Single(run.Sources).Text, StringComparison.Ordinal);
        var model = (IRnnModel)Activator.CreateInstance(KerasModelHarness.Load(run).GetType("M")!)!;
        float[][] initial = model.GetWeights();
        KerasWeights.Load(model, KerasModelHarness.FixturePath("generated/keras3_stack.keras"));
        Assert.NotEqual(initial, model.GetWeights());
    }

    [Fact]
    public void A_missing_weights_resource_is_an_exception_naming_the_resource()
    {
        KerasModelItem item = KerasModelHarness.Import("generated/keras3_stack.keras", "m.keras");
        GeneratorRun run = KerasModelHarness.Run("[RnnGen.KerasModel(\"m.keras\")]\npublic partial class M;\n", item);
        Type type = KerasModelHarness.Load(run /* no resources */).GetType("M")!;
        var error = Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(type));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("'RnnGen.KerasModel/m.keras'", error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./models/m.keras")]
    [InlineData("models\\\\m.keras")]
    [InlineData("models/sub/../m.keras")]
    public void The_attribute_path_finds_the_item_in_any_spelling_of_the_same_relative_path(string written)
    {
        KerasModelItem item = KerasModelHarness.Import("generated/keras3_stack.keras", "models/m.keras");
        GeneratorRun run = KerasModelHarness.Run($"[RnnGen.KerasModel(\"{written}\")]\npublic partial class M;\n", item);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        KerasModelItem item = KerasModelHarness.Import("generated/keras3_stack.keras", "m.keras");
        GeneratorRun first = KerasModelHarness.Run("[RnnGen.KerasModel(\"m.keras\")]\npublic partial class M;\n", item);
        first.AssertRerunIsCached();

        CSharpCompilation next = first.Input.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other;\npublic class Unrelated { public int Value; }", CompilationHarness.ParseOptions, "Unrelated.cs"));
        IReadOnlyDictionary<string, IncrementalStepRunReason[]> reasons = GeneratorRunInspection.RerunReasons(first, next);
        Assert.All(reasons, step => Assert.All(step.Value, reason =>
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step.Key}: {reason}")));
        Assert.All(reasons[TrackingNames.Spec], reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        GeneratorRunInspection.AssertNothingEmittedAgain(CompilationHarness.Rerun(first, next), expectSource: true);
    }

    [Fact]
    public void A_changed_description_regenerates_the_model()
    {
        const string Source = "[RnnGen.KerasModel(\"m.keras\")]\npublic partial class M;\n";
        KerasModelItem before = KerasModelHarness.Import("generated/keras3_stack.keras", "m.keras");
        KerasModelItem after = KerasModelHarness.Import("generated/keras2_stack_model.h5", "m.keras");
        GeneratorDriver driver = KerasModelHarness.CreateDriver(new[] { before }, out var texts);
        GeneratorRun first = CompilationHarness.Run(CompilationHarness.CreateCompilation(Source), driver);

        // The build replaced the file: the same AdditionalFile with new text.
        GeneratorDriver replaced = first.Driver.ReplaceAdditionalText(texts[0], new KerasModelHarness.InMemoryText(texts[0].Path, after.Description));
        GeneratorDriverRunResult rerun = replaced.RunGenerators(first.Input.Clone()).GetRunResult();
        var reasons = CompilationHarness.StepReasons(rerun.Results.Single());
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[TrackingNames.KerasModelFiles]);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[TrackingNames.Spec]);
        string regenerated = rerun.Results.Single().GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("hard_sigmoid_keras2", regenerated, StringComparison.Ordinal);
        Assert.DoesNotContain("hard_sigmoid_keras2", first.Sources.Single().Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generated/keras3_stack.keras", null)]
    [InlineData("generated/keras3_stack_deflated.keras", 9)]
    [InlineData("generated/keras2_masking_model.h5", null)]
    [InlineData("generated/keras3_masking.keras", null)]
    [InlineData("generated/keras2_embedding_model.h5", null)]
    [InlineData("generated/keras3_embedding.keras", null)]
    public void Rnngen_inspect_prints_an_item_and_an_attribute_line_that_compile_as_they_are(string file, int? timesteps)
    {
        var output = new StringWriter();
        string[] args = new[] { "inspect", KerasModelHarness.FixturePath(file), "--class", "Forecaster" }
            .Concat(timesteps is int t ? new[] { "--timesteps", t.ToString(System.Globalization.CultureInfo.InvariantCulture) } : Array.Empty<string>()).ToArray();
        Assert.Equal(0, RnnGen.Tool.Program.Run(args, output, new StringWriter()));
        string[] lines = output.ToString().Split('\n').Select(l => l.Trim()).ToArray();
        string item = Assert.Single(lines, l => l.StartsWith("<ItemGroup><KerasModel Include=\"", StringComparison.Ordinal));
        string attribute = Assert.Single(lines, l => l.StartsWith("[RnnGen.KerasModel(", StringComparison.Ordinal));

        string includePath = item.Split('"')[1];
        GeneratorRun run = KerasModelHarness.Run(attribute, KerasModelHarness.Import(file, includePath));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("partial class Forecaster", Assert.Single(run.Sources).Text, StringComparison.Ordinal);
        Assert.Empty(run.CompilationDiagnostics);
        if (file.Contains("masking", StringComparison.Ordinal))
        {
            // The file's Masking is compiled as the [Masking] layer: the model computes its mask from the data.
            Assert.Contains("global::RnnGen.KerasMask.Compute(input, InputDim, dataMask", run.Sources.Single().Text, StringComparison.Ordinal);
        }

        if (file.Contains("embedding", StringComparison.Ordinal))
        {
            // The file's Embedding is compiled as the [Embedding] layer: a gather from the table, tokens checked; the
            // Keras 2 file's mask_zero=True makes its mask token != 0.
            string source = run.Sources.Single().Text;
            Assert.Contains("EmbeddingKernels.Gather(", source, StringComparison.Ordinal);
            Assert.Contains("public const int InputDim = 1;", source, StringComparison.Ordinal);
            Assert.Equal(file.Contains("keras2", StringComparison.Ordinal), source.Contains("global::RnnGen.KerasMask.Compute(input, InputDim, dataMask", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Rnngen_inspect_says_why_a_file_cannot_be_the_declaration()
    {
        var output = new StringWriter();
        Assert.Equal(0, RnnGen.Tool.Program.Run(new[] { "inspect", KerasModelHarness.FixturePath("generated/keras2_lambda_model.h5") }, output, new StringWriter()));
        Assert.Contains("As [KerasModel]: this file cannot be compiled as the declaration: lambda (Lambda): changes the model's output", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<KerasModel Include", output.ToString(), StringComparison.Ordinal);
    }

    private static string Normalize(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static float[] Input(int length)
    {
        var random = new Random(20261204);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
