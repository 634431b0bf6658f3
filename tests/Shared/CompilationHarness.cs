using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators;

namespace RnnGen.Testing;

/// <summary>The outcome of running the generator over some source.</summary>
internal sealed class GeneratorRun
{
    public required CSharpCompilation Input { get; init; }

    public required Compilation Output { get; init; }

    public required GeneratorDriver Driver { get; init; }

    public required GeneratorDriverRunResult Result { get; init; }

    /// <summary>Diagnostics the generator reported.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Errors and warnings of the compilation including the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>The generated models: every source but the stand-ins of declarations with errors (<see cref="Stubs"/>).</summary>
    public IReadOnlyList<(string HintName, string Text)> Sources => AllSources.Where(s => !IsStub(s.HintName)).ToList();

    /// <summary>The stand-in members generated for declarations with errors, so their use sites add no errors of their own.</summary>
    public IReadOnlyList<(string HintName, string Text)> Stubs => AllSources.Where(s => IsStub(s.HintName)).ToList();

    private IEnumerable<(string HintName, string Text)> AllSources =>
        Result.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString()));

    private static bool IsStub(string hintName) => hintName.EndsWith(".RnnGen.Stub.g.cs", StringComparison.Ordinal);

    /// <summary>Emits the compilation and loads it into a collectible context.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var emitted = Output.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The compilation failed:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("RnnGen.Tests." + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(stream);
    }
}

/// <summary>Compiles C# with the RnnGen generator in memory, the way the compiler runs it in a user's build.</summary>
internal static class CompilationHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        // The test process's own framework assemblies, plus the RnnGen runtime the generated code calls.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(RnnGen.LstmAttribute).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "RnnGenTestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true,
                optimizationLevel: OptimizationLevel.Release,
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new RnnGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GeneratorRun { Input = compilation, Output = output, Driver = driver, Result = driver.GetRunResult() };
    }

    /// <summary>Runs the generator again, on <paramref name="next"/> or a copy of the same compilation.</summary>
    public static GeneratorRunResult Rerun(GeneratorRun first, CSharpCompilation? next = null) =>
        first.Driver.RunGenerators(next ?? first.Input.Clone()).GetRunResult().Results.Single();

    /// <summary>
    /// The reasons each step of a run gave, by tracking name (NetEscapades.EnumGenerators' caching check): rerun on an
    /// unchanged input, the generator's own steps (RnnGen.Generators.TrackingNames) must all be Cached or Unchanged.
    /// </summary>
    public static IReadOnlyDictionary<string, IncrementalStepRunReason[]> StepReasons(GeneratorRunResult result) =>
        result.TrackedSteps.ToDictionary(step => step.Key, step => step.Value.SelectMany(run => run.Outputs).Select(o => o.Reason).ToArray());
}
