using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RnnGen.Package.Tests;

/// <summary>
/// The consumer project (a console app referencing the RnnGen package by version), restored once and built once for
/// both target frameworks; later commands on it reuse that restore (<c>--no-restore</c>).
/// </summary>
public sealed class ConsumerBuild
{
    private ConsumerBuild(PackageFixture fixture, string directory, CommandResult restore, CommandResult build)
    {
        Fixture = fixture;
        Directory = directory;
        Restore = restore;
        Build = build;
    }

    public PackageFixture Fixture { get; }

    public string Directory { get; }

    public CommandResult Restore { get; }

    public CommandResult Build { get; }

    internal static ConsumerBuild Create(PackageFixture fixture)
    {
        string directory = fixture.CreateConsumerProject("consumer");
        CommandResult restore = DotnetCli.Dotnet(directory, fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "restore");
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException("The consumer project did not restore: " + restore);
        }

        CommandResult build = DotnetCli.Dotnet(directory, fixture.ConsumerEnvironment, TimeSpan.FromMinutes(5), "build", "--no-restore");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("The consumer project did not build: " + build);
        }

        return new ConsumerBuild(fixture, directory, restore, build);
    }

    /// <summary>The built app of <paramref name="targetFramework"/>.</summary>
    public string OutputDirectory(string targetFramework) => Path.Combine(Directory, "bin", "Debug", targetFramework);

    /// <summary>
    /// Runs the built app of <paramref name="targetFramework"/> with <c>dotnet Consumer.dll</c>. A net8.0 app may roll
    /// forward to a newer runtime when the machine has no .NET 8 runtime: it still loads the package's lib/net8.0.
    /// </summary>
    public CommandResult Run(string targetFramework)
    {
        var environment = new Dictionary<string, string>(Fixture.ConsumerEnvironment) { ["DOTNET_ROLL_FORWARD"] = "Major" };
        return DotnetCli.Dotnet(Directory, environment, TimeSpan.FromMinutes(1), Path.Combine(OutputDirectory(targetFramework), "Consumer.dll"));
    }

    /// <summary>Parses the app's "name: v v v" lines (see Consumer/Program.cs), in the order printed.</summary>
    public static List<(string Name, float[] Values)> ParseOutputs(string output) =>
        output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Contains(": ", StringComparison.Ordinal))
            .Select(line => line.Split(": ", 2))
            .Select(parts => (parts[0], parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))
                .ToArray()))
            .ToList();
}
