using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace RnnGen.Package.Tests;

/// <summary>
/// What `dotnet pack` of src/RnnGen produces: one package with the runtime library under lib/ and the generator under
/// analyzers/dotnet/cs, its metadata, and a symbol package whose PDBs belong to those DLLs.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests
{
    /// <summary>
    /// The Roslyn the generator is built against: the compiler of the .NET 8 SDK (Visual Studio 17.8), the first with
    /// C# 12, which the generated [InlineArray] structs need. A generator that references a newer Roslyn than the
    /// compiler loading it does not run at all (warning CS9057), so a higher reference would drop .NET 8 SDK users.
    /// </summary>
    private static readonly Version s_roslyn = new(4, 8, 0, 0);

    /// <summary>
    /// Assemblies the compiler provides to every analyzer it loads (they ship beside csc in the SDK and in Visual
    /// Studio), so the package must not carry them. Anything else the generator references must be in the package.
    /// </summary>
    private static readonly HashSet<string> s_providedByTheCompiler = new(StringComparer.Ordinal)
    {
        "netstandard", "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "System.Collections.Immutable",
        "System.Reflection.Metadata", "System.Memory", "System.Buffers", "System.Runtime.CompilerServices.Unsafe",
        "System.Numerics.Vectors", "System.Threading.Tasks.Extensions", "System.Text.Encoding.CodePages",
    };

    /// <summary>
    /// What the IDE, the only host that runs code fixes, adds for the code-fix assembly: Roslyn's Workspaces layer and
    /// the MEF attributes code fixes are exported with. The command-line compiler never loads these: it only reads the
    /// assembly's metadata looking for analyzers and generators, and finds none there.
    /// </summary>
    private static readonly HashSet<string> s_providedByTheIdeToCodeFixes = new(StringComparer.Ordinal)
    {
        "Microsoft.CodeAnalysis.Workspaces", "Microsoft.CodeAnalysis.CSharp.Workspaces", "System.Composition.AttributedModel",
    };

    private const string CodeFixes = "RnnGen.CodeFixes";

    private static readonly string[] s_frameworks = { "net8.0", "net10.0" };

    private readonly PackageFixture _fixture;

    public PackageLayoutTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void Pack_writes_one_package_and_its_symbol_package_with_the_version_of_Directory_Build_props()
    {
        string[] written = Directory.GetFiles(_fixture.FeedDirectory).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

        Assert.Equal(new[] { $"RnnGen.{_fixture.Version}.nupkg", $"RnnGen.{_fixture.Version}.snupkg" }, written);
    }

    [Fact]
    public void The_package_holds_the_runtime_library_per_framework_and_the_generator_as_a_CSharp_analyzer()
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        string[] assets = package.Entries.Select(e => e.FullName)
            .Where(n => n.StartsWith("lib/", StringComparison.Ordinal) || n.StartsWith("analyzers/", StringComparison.Ordinal)
                || n.StartsWith("build", StringComparison.Ordinal) || n.StartsWith("ref/", StringComparison.Ordinal)
                || n.StartsWith("runtimes/", StringComparison.Ordinal) || n.StartsWith("content", StringComparison.Ordinal)
                || n.StartsWith("tools/", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

        // Exactly these: the generator and its code fixes nowhere but under analyzers/ (in lib/ they would become
        // references of the user's app), and the runtime library with its XML docs (for IntelliSense) for each framework;
        // [KerasModel]'s build step: the MSBuild targets (also for transitive references) and `rnngen import`, a
        // framework-dependent net8.0 app whose only dependency, the runtime library, is beside it.
        string[] expected = new[] { "analyzers/dotnet/cs/RnnGen.Generators.dll", $"analyzers/dotnet/cs/{CodeFixes}.dll" }
            .Concat(new[] { "build/RnnGen.targets", "buildTransitive/RnnGen.targets" })
            .Concat(new[] { "RnnGen.Tool.deps.json", "RnnGen.Tool.dll", "RnnGen.Tool.runtimeconfig.json", "RnnGen.dll" }.Select(f => "tools/rnngen-import/" + f))
            .Concat(s_frameworks.SelectMany(f => new[] { $"lib/{f}/RnnGen.dll", $"lib/{f}/RnnGen.xml" }))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, assets);
    }

    [Fact]
    public void Each_runtime_library_is_built_for_its_folder_framework_with_the_package_version()
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        foreach (string framework in s_frameworks)
        {
            using var pe = new PEReader(new MemoryStream(PackageArchive.ReadEntry(package, $"lib/{framework}/RnnGen.dll")));
            MetadataReader metadata = pe.GetMetadataReader();

            Version runtime = References(metadata).Single(r => r.Name == "System.Runtime").Version;
            Assert.Equal(int.Parse(framework.Substring(3, framework.IndexOf('.') - 3), System.Globalization.CultureInfo.InvariantCulture), runtime.Major);
            Assert.Equal(Version.Parse(_fixture.Version.Split('-', '+')[0]), Trim(metadata.GetAssemblyDefinition().Version));
        }
    }

    [Fact]
    public void The_generator_targets_netstandard2_0_and_references_Roslyn_4_8_and_nothing_the_package_lacks()
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        List<ZipArchiveEntry> analyzers = package.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        HashSet<string> packed = analyzers.Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("RnnGen.Generators", packed);
        Assert.Contains(CodeFixes, packed);

        foreach (ZipArchiveEntry analyzer in analyzers)
        {
            using var pe = new PEReader(new MemoryStream(PackageArchive.ReadEntry(package, analyzer.FullName)));
            List<(string Name, Version Version)> references = References(pe.GetMetadataReader());

            Assert.Equal(new Version(2, 0, 0, 0), references.Single(r => r.Name == "netstandard").Version);
            foreach (var (name, version) in references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)))
            {
                Assert.True(version == s_roslyn, $"{analyzer.Name} references {name} {version}; the .NET 8 SDK's compiler is Roslyn {s_roslyn}, and a generator referencing a newer one does not run there (CS9057).");
            }

            bool isCodeFixes = Path.GetFileNameWithoutExtension(analyzer.Name) == CodeFixes;
            string[] missing = references.Select(r => r.Name)
                .Where(n => !s_providedByTheCompiler.Contains(n) && !packed.Contains(n) && !(isCodeFixes && s_providedByTheIdeToCodeFixes.Contains(n)))
                .ToArray();
            Assert.True(missing.Length == 0, $"{analyzer.Name} references {string.Join(", ", missing)}, which neither the package nor the compiler provides.");
        }
    }

    [Fact]
    public void The_nuspec_has_the_metadata_and_no_dependencies()
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        XElement metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

        Assert.Equal("RnnGen", Value("id"));
        Assert.Equal(_fixture.Version, Value("version"));
        XElement license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.NotEmpty(Value("description"));
        Assert.Contains("keras", Value("tags").Split(' '));
        Assert.Contains("lstm", Value("tags").Split(' '));

        // The readme the nuspec names is in the package, and is src/RnnGen/PACKAGE.md.
        string readme = Value("readme");
        byte[] source = File.ReadAllBytes(Path.Combine(_fixture.RepositoryRoot, "src", "RnnGen", "PACKAGE.md"));
        Assert.True(source.AsSpan().SequenceEqual(PackageArchive.ReadEntry(package, readme)), $"the package's {readme} is not src/RnnGen/PACKAGE.md");

        // No invented addresses: the project has no public repository or site yet.
        Assert.Equal("", Value("projectUrl"));
        Assert.Null(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));

        // The runtime library depends on nothing, and the generator project is inside the package, not a dependency.
        // Nor is it a development dependency: the generated code calls the runtime library at run time.
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Equal("", Value("developmentDependency"));
    }

    [Fact]
    public void The_symbol_package_has_the_portable_pdb_of_each_runtime_library()
    {
        using ZipArchive package = ZipFile.OpenRead(_fixture.PackagePath);
        using ZipArchive symbols = ZipFile.OpenRead(_fixture.SymbolPackagePath);
        foreach (string framework in s_frameworks)
        {
            using var pe = new PEReader(new MemoryStream(PackageArchive.ReadEntry(package, $"lib/{framework}/RnnGen.dll")));
            DebugDirectoryEntry codeView = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView);
            Guid dllPdbId = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;

            using MetadataReaderProvider pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(PackageArchive.ReadEntry(symbols, $"lib/{framework}/RnnGen.pdb")));
            Guid pdbId = new(pdb.GetMetadataReader().DebugMetadataHeader!.Id.Take(16).ToArray());

            Assert.Equal(dllPdbId, pdbId);
        }
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => e.FullName == "RnnGen.nuspec");
        using Stream stream = entry.Open();
        return XDocument.Load(stream);
    }

    private static List<(string Name, Version Version)> References(MetadataReader metadata) =>
        metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();

    // Assembly versions have four parts; the package version has three.
    private static Version Trim(Version version) => new(version.Major, version.Minor, version.Build);
}
