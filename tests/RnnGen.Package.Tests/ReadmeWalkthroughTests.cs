using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Package.Tests;

/// <summary>
/// README's "Install" walkthrough as a new user follows it: a fresh `dotnet new console` app, `dotnet add package
/// RnnGen --version ...` from the packed feed, README's Program.cs pasted in, `dotnet run`, and Keras's numbers out.
/// The program is read from README itself, so the README cannot drift from what works.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ReadmeWalkthroughTests
{
    /// <summary>The HTML comment in README.md that precedes the program this test builds.</summary>
    private const string ProgramMarker = "<!-- The package tests build and run this program";

    private readonly PackageFixture _fixture;

    public ReadmeWalkthroughTests(PackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void The_README_commands_name_the_packed_version()
    {
        string readme = File.ReadAllText(Path.Combine(_fixture.RepositoryRoot, "README.md"));

        Assert.Contains($"RnnGen.{_fixture.Version}.nupkg", readme, StringComparison.Ordinal);
        Assert.Contains($"dotnet add package RnnGen --version {_fixture.Version}", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void The_README_program_runs_from_the_package_in_a_new_console_app_and_prints_Kerass_numbers()
    {
        string program = ReadmeProgram(File.ReadAllText(Path.Combine(_fixture.RepositoryRoot, "README.md")));
        IReadOnlyDictionary<string, string> environment = _fixture.ConsumerEnvironment;

        // The folder holds the fixture's nuget.config (the feed plus the machine's usual sources), as the README's
        // `dotnet new nugetconfig` + `dotnet nuget add source` give a user's app.
        CommandResult create = DotnetCli.Dotnet(_fixture.Root, environment, TimeSpan.FromMinutes(2), "new", "console", "-o", "MyApp");
        Assert.True(create.ExitCode == 0, create.ToString());
        string app = Path.Combine(_fixture.Root, "MyApp");

        CommandResult add = DotnetCli.Dotnet(app, environment, TimeSpan.FromMinutes(5), "add", "package", "RnnGen", "--version", _fixture.Version);
        Assert.True(add.ExitCode == 0, add.ToString());

        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        var invariant = new Dictionary<string, string>(environment) { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };
        CommandResult run = DotnetCli.Dotnet(app, invariant, TimeSpan.FromMinutes(5), "run");
        Assert.True(run.ExitCode == 0, run.ToString());

        // The program's own lines; anything else `dotnet run` printed is build output.
        string[] names = { "output", "forward_c", "backward_c" };
        var printed = ConsumerBuild.ParseOutputs(string.Join("\n", run.Output.Split('\n').Where(line => names.Any(n => line.StartsWith(n + ":", StringComparison.Ordinal)))));
        KerasSeedOutputs.AssertClose(KerasSeedOutputs.Output, KerasSeedOutputs.Find(printed, "output", run.ToString()), "output", run.ToString());
        KerasSeedOutputs.AssertClose(KerasSeedOutputs.ForwardC, KerasSeedOutputs.Find(printed, "forward_c", run.ToString()), "forward_c", run.ToString());
        KerasSeedOutputs.AssertClose(KerasSeedOutputs.BackwardC, KerasSeedOutputs.Find(printed, "backward_c", run.ToString()), "backward_c", run.ToString());
    }

    /// <summary>The ```csharp block that follows <see cref="ProgramMarker"/>.</summary>
    private static string ReadmeProgram(string readme)
    {
        int marker = readme.IndexOf(ProgramMarker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has no line starting with " + ProgramMarker);
        const string fence = "```csharp\n";
        int start = readme.IndexOf(fence, marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "no ```csharp block after the README marker");
        start += fence.Length;
        int end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        Assert.True(end >= 0, "the README's ```csharp block is not closed");
        return readme.Substring(start, end - start + 1);
    }
}
