extern alias RnnGenGenerators;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGenGenerators::RnnGen.Generators;

namespace RnnGen.Benchmarks.Harness;

/// <summary>Runs the RnnGen generator in process, on an in-memory compilation, the way the compiler runs it in a build.</summary>
public static class GeneratorHost
{
    /// <summary>C# 12, the language the generated code needs ([InlineArray]) and the oldest SDK the generator supports.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        // The framework this process runs on, plus the RnnGen runtime the generated code calls.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(LstmAttribute).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "RnnGenBenchmarkInput",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(new[] { new RnnGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    /// <summary>
    /// <paramref name="count"/> annotated classes covering every layer kind, options and a spread of sizes (units 8 to
    /// 256, inputs 1 to 64, timesteps 1 to 128), as a large project with many models would hold them.
    /// </summary>
    public static string AnnotatedClasses(int count)
    {
        var source = new StringBuilder("using RnnGen;\n\nnamespace Generated.Models;\n\n");
        for (int i = 0; i < count; i++)
        {
            int units = 8 << (i % 6);                 // 8 .. 256
            int inputDim = 1 + (i * 7) % 64;
            int timesteps = 1 + (i * 13) % 128;
            string shape = string.Create(CultureInfo.InvariantCulture, $"Timesteps = {timesteps}, InputDim = {inputDim}");
            string declaration = (i % 8) switch
            {
                0 => $"[Lstm({units}, {shape})]",
                1 => $"[Gru({units}, {shape}, ReturnSequences = true)]",
                2 => $"[SimpleRnn({units}, {shape}, ReturnState = true)]",
                3 => $"[Lstm({units}, {shape}, Bidirectional = true, ReturnSequences = true)]",
                4 => $"[Sequential({shape})]\n[Lstm({units})]\n[Dense(1)]",
                5 => $"[Sequential({shape})]\n[Gru({units}, ReturnSequences = true)]\n[Gru({units})]\n[Dense(4, Activation = \"relu\")]",
                6 => $"[Gru({units}, {shape}, ResetAfter = false, ReturnState = true)]",
                _ => $"[Sequential({shape})]\n[SimpleRnn({units}, ReturnSequences = true)]\n[Dropout(0.1)]\n[Lstm({units}, Stateful = true)]\n[Dense(2)]",
            };
            source.Append(declaration).Append("\npublic partial class Model").Append(i.ToString(CultureInfo.InvariantCulture)).Append(";\n\n");
        }

        return source.ToString();
    }

    /// <summary>Runs the generator and the compiler over <paramref name="compilation"/>; throws on any error.</summary>
    public static (GeneratorDriverRunResult Run, Compilation Output) GenerateAndCheck(CSharpCompilation compilation)
    {
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);
        IEnumerable<Diagnostic> errors = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error);
        string messages = string.Join("\n", errors.Take(10));
        if (messages.Length > 0)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" + messages);
        }

        return (driver.GetRunResult(), output);
    }
}
