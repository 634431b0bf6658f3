using System;
using System.Diagnostics;
using System.IO;

namespace RnnGen.Numerics.Tests.Kernels;

/// <summary>
/// A process uses one vector width for its lifetime (the JIT folds IsHardwareAccelerated), so the 256- and 128-bit
/// kernels are checked in child processes of tests/RnnGen.KernelCheck, told by the runtime's own switches to prefer
/// narrower vectors. Each run compares every kernel shape with the float64 reference model.
/// </summary>
public class VectorWidthTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("DOTNET_PreferredVectorBitWidth", "256")]
    [InlineData("DOTNET_EnableAVX2", "0")]
    public void Kernels_of_this_vector_width_agree_with_the_reference(string? variable, string? value)
    {
        (int exitCode, string output) = RunKernelCheck(variable, value);
        Assert.True(exitCode == 0, output);
        Assert.Contains("agree with the reference", output, StringComparison.Ordinal);

        // The switch must really have changed the width, or this test would only repeat the default run.
        if (variable is not null && RunKernelCheck(null, null).Output.Contains("vector width: 512", StringComparison.Ordinal))
        {
            Assert.Contains(variable == "DOTNET_EnableAVX2" ? "vector width: 128" : "vector width: 256", output, StringComparison.Ordinal);
        }
    }

    private static (int ExitCode, string Output) RunKernelCheck(string? variable, string? value)
    {
        // The check is built beside this project (same configuration): tests/RnnGen.KernelCheck/bin/<config>/net10.0.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string testsDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        string dll = Path.Combine(testsDirectory, "RnnGen.KernelCheck", "bin", configuration, "net10.0", "RnnGen.KernelCheck.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build tests/RnnGen.KernelCheck first.");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (variable is not null)
        {
            start.Environment[variable] = value;
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
