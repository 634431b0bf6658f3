using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Text;

namespace RnnGen.Package.Tests;

/// <summary>
/// Packs RnnGen once for all the tests of the <see cref="PackageCollection"/>, into a feed in a temporary folder that
/// also holds the consumer projects, their nuget.config and their own NuGet package folder; deletes it all afterwards.
/// </summary>
/// <remarks>
/// <para>
/// Packing reuses what `dotnet test` already restored (<c>--no-restore</c>) and builds in the Release configuration,
/// whose bin/ and obj/ folders no Debug build running beside it touches.
/// </para>
/// <para>
/// The consumers restore into an empty NUGET_PACKAGES folder, so that no RnnGen left in a package cache by an earlier
/// run can stand in for the one just packed, and so that this test build of RnnGen never lands in the user's cache.
/// The other packages they need come from the machine's usual sources, through NuGet's HTTP cache, which keeps what
/// earlier runs downloaded.
/// </para>
/// </remarks>
public sealed class PackageFixture : IDisposable
{
    /// <summary>Name prefix of the temporary folders, also used to find folders left behind by killed runs.</summary>
    private const string TemporaryPrefix = "rnngen-package-tests-";

    /// <summary>Set to 1 to keep the temporary folder for a look at the consumer projects after a failure.</summary>
    private const string KeepVariable = "RNNGEN_KEEP_PACKAGE_TEST_FOLDER";

    private readonly Lazy<ConsumerBuild> _consumer;

    public PackageFixture()
    {
        RepositoryRoot = Metadata("RnnGen.RepositoryRoot");
        Version = Metadata("RnnGen.Version");
        DeleteFoldersOfKilledRuns();
        Root = Directory.CreateTempSubdirectory(TemporaryPrefix).FullName;
        FeedDirectory = Path.Combine(Root, "feed");
        PackagesDirectory = Path.Combine(Root, "nuget-packages");
        Directory.CreateDirectory(PackagesDirectory);

        Pack = DotnetCli.Dotnet(RepositoryRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(5),
            "pack", Path.Combine("src", "RnnGen", "RnnGen.csproj"), "-c", "Release", "--no-restore", "-o", FeedDirectory);
        if (Pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + Pack);
        }

        PackagePath = Path.Combine(FeedDirectory, $"RnnGen.{Version}.nupkg");
        SymbolPackagePath = Path.Combine(FeedDirectory, $"RnnGen.{Version}.snupkg");
        WriteConsumerSettings();
        _consumer = new Lazy<ConsumerBuild>(() => ConsumerBuild.Create(this));
    }

    /// <summary>The repository whose src/RnnGen is packed.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The version every RnnGen artifact must carry: RnnGenVersion of Directory.Build.props.</summary>
    public string Version { get; }

    /// <summary>The temporary folder holding everything below.</summary>
    public string Root { get; }

    /// <summary>The local feed the package is packed into.</summary>
    public string FeedDirectory { get; }

    /// <summary>The consumers' NUGET_PACKAGES: empty before their first restore.</summary>
    public string PackagesDirectory { get; }

    public CommandResult Pack { get; }

    public string PackagePath { get; }

    public string SymbolPackagePath { get; }

    /// <summary>The consumer project, restored and built once (on first use) for the tests that share it.</summary>
    public ConsumerBuild Consumer => _consumer.Value;

    /// <summary>The environment of every command run on a consumer project.</summary>
    public IReadOnlyDictionary<string, string> ConsumerEnvironment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = PackagesDirectory,
    };

    /// <summary>
    /// Writes a fresh copy of a consumer project (the <paramref name="template"/> folder beside these tests: Consumer,
    /// or KerasConsumer) to <c>Root/name</c>, with its package reference set to the packed version.
    /// </summary>
    public string CreateConsumerProject(string name, string template = "Consumer")
    {
        string source = Path.Combine(AppContext.BaseDirectory, template);
        string target = Path.Combine(Root, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            string fileName = Path.GetFileName(file);
            if (fileName == template + ".csproj.template")
            {
                File.WriteAllText(Path.Combine(target, template + ".csproj"), File.ReadAllText(file).Replace("{RnnGenVersion}", Version, StringComparison.Ordinal));
            }
            else
            {
                File.Copy(file, Path.Combine(target, fileName));
            }
        }

        return target;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (on Windows) must not fail the run; the next run deletes the folder once it is stale.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Metadata(string key) =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test project sets no {key}.");

    // A run killed before Dispose leaves its folder (with hundreds of MB of extracted packages) in the temp folder.
    // A day is far longer than any run, so a folder that old belongs to no live run.
    private static void DeleteFoldersOfKilledRuns()
    {
        foreach (string folder in Directory.GetDirectories(Path.GetTempPath(), TemporaryPrefix + "*"))
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddDays(-1))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // Settings for the projects under Root, which decide what a consumer sees, isolated from whatever surrounds the
    // temp folder: MSBuild and NuGet look upward from a project for these files and stop at the first they find.
    private void WriteConsumerSettings()
    {
        // The same SDK as the repository's build.
        File.Copy(Path.Combine(RepositoryRoot, "global.json"), Path.Combine(Root, "global.json"));
        const string emptyProject = "<Project>\n  <!-- Stops MSBuild's upward search: the consumer projects are standalone. -->\n</Project>\n";
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), emptyProject);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), emptyProject);
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), emptyProject);

        // The machine's usual package sources (user and machine-wide nuget.config), asked before this folder has a
        // nuget.config of its own, plus the feed; RnnGen may only come from the feed.
        List<string> sources = UsualPackageSources();
        var config = new StringBuilder();
        config.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine("    <clear />");
        config.AppendLine($"    <add key=\"rnngen-test-feed\" value=\"{SecurityElement.Escape(FeedDirectory)}\" />");
        for (int i = 0; i < sources.Count; i++)
        {
            config.AppendLine($"    <add key=\"usual-source-{i}\" value=\"{SecurityElement.Escape(sources[i])}\" />");
        }

        config.AppendLine("  </packageSources>");
        config.AppendLine("  <packageSourceMapping>");
        config.AppendLine("    <clear />");
        config.AppendLine("    <packageSource key=\"rnngen-test-feed\"><package pattern=\"RnnGen\" /></packageSource>");
        for (int i = 0; i < sources.Count; i++)
        {
            config.AppendLine($"    <packageSource key=\"usual-source-{i}\"><package pattern=\"*\" /></packageSource>");
        }

        config.AppendLine("  </packageSourceMapping>");
        config.AppendLine("</configuration>");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), config.ToString());
    }

    private List<string> UsualPackageSources()
    {
        CommandResult list = DotnetCli.Dotnet(Root, new Dictionary<string, string>(), TimeSpan.FromMinutes(1),
            "nuget", "list", "source", "--format", "short");
        // One line per source: "E <url or folder>" when enabled, "D ..." when disabled.
        List<string> sources = list.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line.Substring(2).Trim())
            .ToList();
        if (list.ExitCode != 0 || sources.Count == 0)
        {
            // NuGet's own default when no nuget.config names a source.
            sources = new List<string> { "https://api.nuget.org/v3/index.json" };
        }

        return sources;
    }
}

/// <summary>The tests that share one packed RnnGen; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "RnnGen package";
}
