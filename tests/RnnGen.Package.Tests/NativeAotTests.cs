using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RnnGen.Package.Tests;

/// <summary>
/// The consumer app published with NativeAOT (`dotnet publish -r RID -p:PublishAot=true`): the whole program, generated
/// model and RnnGen runtime included, compiles to native code with no trim or AOT warning and computes Keras's numbers.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class NativeAotTests
{
    private readonly PackageFixture _fixture;

    public NativeAotTests(PackageFixture fixture) => _fixture = fixture;

    [NativeAotFact]
    public void The_consumer_publishes_with_NativeAOT_without_warnings_and_prints_the_keras_outputs()
    {
        // A copy of its own: publishing for a runtime identifier restores a different graph from the shared consumer's.
        string directory = _fixture.CreateConsumerProject("consumer-nativeaot");
        string output = Path.Combine(directory, "native");

        CommandResult publish = DotnetCli.Dotnet(directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(10),
            "publish", "-f", "net10.0", "-r", NativeAotFactAttribute.PortableRuntimeIdentifier(), "-p:PublishAot=true", "-o", output,
            // Restore one framework: `-f net10.0` alone would still restore the NativeAOT compiler and runtime packs of net8.0
            // too (some 250 MB) for a publish that never uses them.
            "-p:TargetFrameworks=net10.0",
            // Nor does this app need the ASP.NET Core packs that a restore for a runtime identifier fetches by default.
            "-p:DisableTransitiveFrameworkReferenceDownloads=true");

        Assert.True(publish.ExitCode == 0, publish.ToString());
        // ILC reports trim and AOT problems as IL2xxx / IL3xxx warnings (TreatWarningsAsErrors does not cover them all).
        Assert.False(Regex.IsMatch(publish.Output, @"warning IL\d{4}"), publish.ToString());

        string executable = Path.Combine(output, OperatingSystem.IsWindows() ? "Consumer.exe" : "Consumer");
        Assert.True(File.Exists(executable), "no native executable: " + publish);
        // Native code only: no managed Consumer.dll or RnnGen.dll beside it, everything is compiled in.
        Assert.DoesNotContain(Directory.GetFiles(output, "*.dll"), path => Path.GetFileName(path) is "Consumer.dll" or "RnnGen.dll");

        CommandResult run = DotnetCli.Run(executable, directory, _fixture.ConsumerEnvironment, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        KerasSeedOutputs.AssertPrintedByConsumer(ConsumerBuild.ParseOutputs(run.Output), run.ToString());
    }
}

/// <summary>
/// A fact that needs the native toolchain NativeAOT links with, and is skipped, saying why, where it is missing.
/// </summary>
/// <remarks>
/// On Linux the .NET SDK links with clang, or gcc when clang is absent (Microsoft.NETCore.Native.Unix.targets,
/// CppCompilerAndLinkerAlternative); on macOS with Xcode's clang. On Windows it needs the MSVC linker of Visual
/// Studio's "Desktop development with C++", which is not probed here.
/// </remarks>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "NativeAOT on Windows needs Visual Studio's C++ tools, which this test does not look for; it runs on Linux and macOS.";
        }
        else if (!OnPath("clang") && !OnPath("gcc"))
        {
            Skip = "NativeAOT needs clang or gcc to link, and neither is on PATH (install clang, e.g. `apt-get install clang`).";
        }
    }

    /// <summary>The portable runtime identifier of this machine (linux-x64, osx-arm64, ...), for which NuGet has the NativeAOT packs.</summary>
    public static string PortableRuntimeIdentifier()
    {
        string os = OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsWindows() ? "win" : "linux";
        string architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return os + "-" + architecture;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
