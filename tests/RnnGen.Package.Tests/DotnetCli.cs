using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace RnnGen.Package.Tests;

/// <summary>What one run of the dotnet CLI did: its exit code and everything it wrote, stdout and stderr interleaved.</summary>
public sealed record CommandResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The whole run, for assertion messages: a failure then shows the build log that explains it.</summary>
    public override string ToString() =>
        $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s:{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs the dotnet CLI (or a program the tests built) as a child process, the way a user's terminal would, but with
/// nothing left running afterwards.
/// </summary>
internal static class DotnetCli
{
    // Inherited from the `dotnet test` that runs these tests: they point MSBuild at the test host's SDK and build
    // session, which a separate build of another project must not share.
    private static readonly string[] s_inheritedVariablesToDrop =
    {
        "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "VSTEST_HOST_DEBUG", "VSTEST_RUNNER_DEBUG",
    };

    /// <summary>
    /// The dotnet executable: the one running these tests (the SDK sets DOTNET_HOST_PATH for child builds), else the
    /// one on PATH.
    /// </summary>
    public static string Executable => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static CommandResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments) =>
        Run(Executable, workingDirectory, environment, timeout, arguments);

    /// <summary>Runs <paramref name="fileName"/> and waits for it, killing it and its children after <paramref name="timeout"/>.</summary>
    public static CommandResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in s_inheritedVariablesToDrop)
        {
            start.Environment.Remove(name);
        }

        // No first-run banner, no telemetry, no progress animation in the captured log.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        // No process may outlive its build: a reused MSBuild node or a compiler server would keep the output pipe open
        // (so the wait below would hang until it exits by itself, minutes later) and keep running after the tests.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (KeyValuePair<string, string> variable in environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string commandLine = fileName + " " + string.Join(" ", arguments);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds} s:{Environment.NewLine}{Read(output)}");
        }

        // The timed wait returns at exit; this one also waits for the last lines of output to be read.
        process.WaitForExit();
        return new CommandResult(commandLine, workingDirectory, process.ExitCode, Read(output), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
