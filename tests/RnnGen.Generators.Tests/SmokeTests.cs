using System.Linq;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

public class SmokeTests
{
    [Fact]
    public void Lstm_generates_code_that_compiles()
    {
        GeneratorRun run = CompilationHarness.Run("""
            using RnnGen;
            namespace Demo;
            [Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
            public partial class Encoder;
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        System.IO.File.WriteAllText("/tmp/gen.cs", run.Sources.Single().Text);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
