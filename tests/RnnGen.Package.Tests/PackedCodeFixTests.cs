using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis.CodeFixes;

namespace RnnGen.Package.Tests;

/// <summary>
/// The code fixes exactly as packed: loaded beside the packed generator (whose descriptors they name) the way the IDE
/// loads a package's analyzer folder, they are MEF-exported code-fix providers for the diagnostics
/// docs/diagnostics.md lists under "Code fixes".
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackedCodeFixTests
{
    private readonly PackageFixture _fixture;

    public PackedCodeFixTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void The_packed_code_fixes_load_beside_the_packed_generator_and_fix_the_documented_diagnostics()
    {
        string directory = Path.Combine(_fixture.Root, "code-fixes");
        Directory.CreateDirectory(directory);
        string generatorPath = Extract("analyzers/dotnet/cs/RnnGen.Generators.dll", directory);
        string codeFixesPath = Extract("analyzers/dotnet/cs/RnnGen.CodeFixes.dll", directory);

        // One load context for the analyzer folder; Roslyn and its Workspaces come from this process.
        var context = new AssemblyLoadContext("packed RnnGen code fixes", isCollectible: true);
        context.Resolving += (loading, name) => name.Name == "RnnGen.Generators" ? loading.LoadFromAssemblyPath(generatorPath) : null;
        try
        {
            CodeFixProvider[] providers = context.LoadFromAssemblyPath(codeFixesPath).GetTypes()
                .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
                .Select(t =>
                {
                    // The IDE finds code fixes through this MEF export only.
                    Assert.NotNull(t.GetCustomAttribute<ExportCodeFixProviderAttribute>());
                    return (CodeFixProvider)Activator.CreateInstance(t)!;
                })
                .ToArray();

            string[] fixedIds = providers.SelectMany(p => p.FixableDiagnosticIds).OrderBy(id => id, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "RNNG001", "RNNG002", "RNNG007", "RNNG011", "RNNG012", "RNNG013", "RNNG018" }, fixedIds);

            string documented = File.ReadAllText(Path.Combine(_fixture.RepositoryRoot, "docs", "diagnostics.md"));
            string section = documented.Substring(documented.IndexOf("## Code fixes", StringComparison.Ordinal));
            section = section.Substring(0, section.IndexOf("\n## ", 3, StringComparison.Ordinal));
            Assert.All(fixedIds, id => Assert.Contains(id, section, StringComparison.Ordinal));
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
}
