using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using RnnGen.Testing;
using Xunit.Abstractions;

namespace RnnGen.Generators.Tests;

/// <summary>
/// What a model costs the compiler, in sizes rather than times (timings belong to the benchmarks): the weights are data
/// filled at run time and the kernels loop over unit blocks, so the generated source must not grow with the weight
/// count (Units x (InputDim + Units)), and a large layer must still generate and compile.
/// </summary>
public class GeneratorCostTests
{
    private readonly ITestOutputHelper _output;

    public GeneratorCostTests(ITestOutputHelper output) => _output = output;

    private static string Lstm(int size) => $"using RnnGen;\nnamespace Demo;\n\n[Lstm({size}, Timesteps = 2, InputDim = {size})]\npublic partial class Model;";

    [Fact]
    public void Generated_source_of_an_Lstm_grows_at_most_linearly_with_its_size()
    {
        // Doubling InputDim = Units quadruples the weights; a source that held them, or unrolled a loop over them,
        // would grow about 4x per doubling; one that unrolled a loop over the units, about 2x.
        int[] sizes = { 128, 256, 512, 1024 };
        var bytes = new List<int>();
        foreach (int size in sizes)
        {
            GeneratorRun run = CompilationHarness.Run(Lstm(size));
            Assert.Empty(run.GeneratorFailures());
            Assert.Empty(run.GeneratorDiagnostics);
            bytes.Add(Encoding.UTF8.GetByteCount(run.Sources.Single().Text));
        }

        _output.WriteLine(string.Join(", ", sizes.Zip(bytes, (size, b) => $"Lstm({size}): {b} bytes")));
        for (int i = 1; i < sizes.Length; i++)
        {
            double ratio = (double)bytes[i] / bytes[i - 1];
            Assert.True(ratio < 2.5, $"Lstm({sizes[i]}) generates {bytes[i]} bytes, {ratio:F2}x the {bytes[i - 1]} of Lstm({sizes[i - 1]}).");
        }
    }

    [Fact]
    public void Lstm_1024_with_1024_inputs_generates_and_compiles()
    {
        GeneratorRun run = CompilationHarness.Run(Lstm(1024));
        Assert.Empty(run.GeneratorFailures());
        Assert.Empty(run.GeneratorDiagnostics);
        _output.WriteLine($"Lstm(1024, InputDim = 1024): {Encoding.UTF8.GetByteCount(run.Sources.Single().Text)} bytes of generated source");

        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        using var stream = new MemoryStream();
        EmitResult emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    }
}
