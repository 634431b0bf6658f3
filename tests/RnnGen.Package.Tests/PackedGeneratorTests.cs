using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RnnGen.Package.Tests;

/// <summary>
/// The generator exactly as packed, run by the Roslyn it references (4.8, the compiler of the .NET 8 SDK) rather than
/// by the newer compiler of the SDK that builds these tests: a generator that needs anything newer than its reference
/// fails here, as it would fail (silently, with warning CS9057) in a .NET 8 SDK user's build.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackedGeneratorTests
{
    private const string Declaration = """
        using System;
        using RnnGen;

        namespace RoslynCheck;

        // The seed notebook's constant-initializer Bidirectional LSTM: its outputs are numbers Keras printed.
        [Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, ReturnState = true,
            KernelInitializer = "constant(0.1)", RecurrentInitializer = "constant(0.1)", BiasInitializer = "constant(0)")]
        public partial class SeedBidirectionalLstm;

        public static class Entry
        {
            public static float[] Run(float[] features)
            {
                var model = new SeedBidirectionalLstm();
                SeedBidirectionalLstm.Input input = default;
                features.AsSpan().CopyTo(input.AsSpan());
                model.Forward(in input, out SeedBidirectionalLstm.Output output);
                return output.Result.AsSpan().ToArray();
            }
        }
        """;

    // train_X of the seed notebook, (1, 4, 5).
    private static readonly float[] s_features =
    {
        0.1f, 4.2f, 1.5f, 1.1f, 2.8f,
        1.0f, 3.1f, 2.5f, 0.7f, 1.1f,
        0.3f, 2.1f, 1.5f, 2.1f, 0.1f,
        2.2f, 1.4f, 0.5f, 0.9f, 1.1f,
    };

    private readonly PackageFixture _fixture;

    public PackedGeneratorTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void The_packed_generator_runs_under_Roslyn_4_8_and_its_model_computes_Kerass_numbers()
    {
        // This process compiles with the Roslyn the generator references, not with the SDK's.
        Assert.Equal(new Version(4, 8, 0, 0), typeof(CSharpCompilation).Assembly.GetName().Version);

        string directory = Path.Combine(_fixture.Root, "roslyn-4.8");
        Directory.CreateDirectory(directory);
        string generatorPath = Extract("analyzers/dotnet/cs/RnnGen.Generators.dll", directory);
        string runtimePath = Extract("lib/net10.0/RnnGen.dll", directory);

        // The generator's own load context, as the compiler gives each analyzer; Roslyn itself comes from this
        // process (the default context), so the generator's IIncrementalGenerator is this process's.
        var context = new AssemblyLoadContext("packed RnnGen", isCollectible: true);
        context.Resolving += (loading, name) => name.Name == "RnnGen" ? loading.LoadFromAssemblyPath(runtimePath) : null;
        try
        {
            Assembly generatorAssembly = context.LoadFromAssemblyPath(generatorPath);
            ISourceGenerator[] generators = generatorAssembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null)
                .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
                .ToArray();
            Assert.Single(generators);

            // C# 12: the newest language Roslyn 4.8 knows, and the one the generated [InlineArray] structs need.
            var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
            CSharpCompilation compilation = CSharpCompilation.Create(
                "RoslynCheck",
                new[] { CSharpSyntaxTree.ParseText(Declaration, parseOptions) },
                PlatformReferences().Append(MetadataReference.CreateFromFile(runtimePath)),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

            GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out var generatorDiagnostics);
            GeneratorDriverRunResult run = driver.GetRunResult();
            Assert.Empty(generatorDiagnostics);
            Assert.All(run.Results, r => Assert.Null(r.Exception));
            Assert.NotEmpty(run.GeneratedTrees);

            using var image = new MemoryStream();
            var emitted = generated.Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

            image.Position = 0;
            Assembly model = context.LoadFromStream(image);
            var result = (float[])model.GetType("RoslynCheck.Entry", throwOnError: true)!
                .GetMethod("Run")!.Invoke(null, new object[] { s_features })!;
            KerasSeedOutputs.AssertClose(KerasSeedOutputs.Output, result, "Forward output", "(packed generator under Roslyn 4.8)");
        }
        finally
        {
            context.Unload();
        }
    }

    private string Extract(string entry, string directory)
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        string path = Path.Combine(directory, Path.GetFileName(entry));
        File.WriteAllBytes(path, PackageArchive.ReadEntry(package, entry));
        return path;
    }

    // The assemblies of the running .NET: enough to compile against, as the generated code needs only the BCL.
    private static IEnumerable<MetadataReference> PlatformReferences() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
}
