using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Testing;
using RnnGen.Tool.Import;

namespace RnnGen.Generators.Tests;

/// <summary>
/// One description the build hands the compiler for a KerasModel item: the item's path as the project names it, the
/// text <c>rnngen import</c> wrote, and the weights it packed (null: EmbedWeights="false").
/// </summary>
internal sealed record KerasModelItem(string Path, string Description, byte[]? Weights);

/// <summary>
/// Runs the generator the way build/RnnGen.targets sets up the compiler for KerasModel items: each description as an
/// AdditionalFile with the RnnGenKerasModel and RnnGenWeightsResource metadata, each weight file as a manifest resource.
/// The descriptions come from the real <c>rnngen import</c> on the real Keras files of RnnGen.Formats.Tests/Fixtures.
/// </summary>
internal static class KerasModelHarness
{
    public static string FixturePath(string relative) => Path.Combine(AppContext.BaseDirectory, "KerasFixtures", relative);

    /// <summary>What the build step makes of <paramref name="file"/>, as the item <paramref name="itemPath"/>.</summary>
    public static KerasModelItem Import(string file, string itemPath, bool embed = true)
    {
        string path = Path.IsPathRooted(file) ? file : FixturePath(file);
        KerasImport.Result result = KerasImport.Read(path);
        byte[]? weights = null;
        if (embed)
        {
            using var stream = new MemoryStream();
            result.WriteWeights(stream);
            weights = stream.ToArray();
        }

        return new KerasModelItem(itemPath, result.Description.ToString(), weights);
    }

    private static readonly Lazy<string> s_temporaryFolder = new(() =>
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-kerasmodel-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    });

    /// <summary>A file in a temporary folder of this test run, deleted when the run ends.</summary>
    public static string TemporaryFile(string name, byte[] content)
    {
        string path = Path.Combine(s_temporaryFolder.Value, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// keras3_stack.keras with its config.json saying GRU(5) where the weights are GRU(3)'s: a configuration the
    /// weights contradict, as a hand-edited or half-written file would be.
    /// </summary>
    public static string ContradictingKerasFile()
    {
        using var copy = new MemoryStream();
        copy.Write(File.ReadAllBytes(FixturePath("generated/keras3_stack.keras")));
        using (var archive = new System.IO.Compression.ZipArchive(copy, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            System.IO.Compression.ZipArchiveEntry entry = archive.GetEntry("config.json")!;
            string config;
            using (var reader = new StreamReader(entry.Open()))
            {
                config = reader.ReadToEnd();
            }

            int gru = config.IndexOf("\"class_name\":\"GRU\"", StringComparison.Ordinal);
            int units = config.IndexOf("\"units\":3", gru, StringComparison.Ordinal);
            config = config[..units] + "\"units\":5" + config[(units + "\"units\":3".Length)..];
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("config.json").Open());
            writer.Write(config);
        }

        return TemporaryFile("wrong.keras", copy.ToArray());
    }

    public static string ResourceName(KerasModelItem item) => "RnnGen.KerasModel/" + item.Path;

    public static GeneratorDriver CreateDriver(IEnumerable<KerasModelItem> items) => CreateDriver(items, out _);

    /// <summary>A driver whose AdditionalFiles are <paramref name="texts"/>: one description per item, in order.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<KerasModelItem> items, out ImmutableArray<AdditionalText> texts)
    {
        texts = items.Select((item, i) => (AdditionalText)new InMemoryText($"/obj/rnngen/{i}.model.txt", item.Description)).ToImmutableArray();
        var options = new Dictionary<string, Dictionary<string, string>>();
        int index = 0;
        foreach (KerasModelItem item in items)
        {
            var metadata = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.RnnGenKerasModel"] = item.Path };
            if (item.Weights is not null)
            {
                metadata["build_metadata.AdditionalFiles.RnnGenWeightsResource"] = ResourceName(item);
            }

            options[$"/obj/rnngen/{index++}.model.txt"] = metadata;
        }

        return CSharpGeneratorDriver.Create(
            new[] { new RnnGenerator().AsSourceGenerator() },
            texts,
            CompilationHarness.ParseOptions,
            new OptionsProvider(options),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static GeneratorRun Run(string source, params KerasModelItem[] items) =>
        CompilationHarness.Run(CompilationHarness.CreateCompilation(source), CreateDriver(items));

    /// <summary>Emits the run's compilation with each item's weights as a manifest resource, and loads it.</summary>
    public static Assembly Load(GeneratorRun run, params KerasModelItem[] items)
    {
        var resources = items.Where(i => i.Weights is not null)
            .Select(i => new ResourceDescription(ResourceName(i), () => new MemoryStream(i.Weights!), isPublic: true))
            .ToArray();
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream, manifestResources: resources);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The compilation failed:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("RnnGen.KerasModelTests." + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(stream);
    }

    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class OptionsProvider(Dictionary<string, Dictionary<string, string>> byFile) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(byFile.TryGetValue(textFile.Path, out var options) ? options : new Dictionary<string, string>());
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}
