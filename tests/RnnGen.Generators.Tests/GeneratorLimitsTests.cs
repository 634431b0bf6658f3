using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using RnnGen.Testing;
using Xunit.Abstractions;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The layer limit (RNNG021 past 64 layer attributes): the generated source grows with the layer count, so the limit is
/// what bounds it. A 1,000-layer stack would otherwise generate about 33 M characters and take half a minute to compile.
/// </summary>
public class GeneratorLimitsTests
{
    /// <summary>The bound docs/diagnostics.md states for the largest model the limit allows.</summary>
    internal const int MaxGeneratedCharacters = 6_000_000;

    private readonly ITestOutputHelper _output;

    public GeneratorLimitsTests(ITestOutputHelper output) => _output = output;

    // The layers that generate the most code per layer: every kernel width, both directions, a GRU with two passes.
    private static string Stack(int layers, string layer) =>
        "using RnnGen;\nnamespace Demo;\n[Sequential(Timesteps = 3, InputDim = 4)]\n"
        + string.Concat(Enumerable.Repeat(layer + "\n", layers)) + "public partial class Model;";

    [Theory]
    [InlineData("[Gru(5, Bidirectional = true, ResetAfter = false, ReturnSequences = true, Activation = \"selu\", RecurrentActivation = \"hard_sigmoid\")]")]
    [InlineData("[Lstm(20, Bidirectional = true, ReturnSequences = true, Activation = \"mish\", RecurrentActivation = \"softsign\")]")]
    [InlineData("[Dense(6, Activation = \"elu\")]")]
    public void The_deepest_stack_allowed_generates_less_than_the_documented_bound(string layer)
    {
        GeneratorRun run = CompilationHarness.Run(Stack(RnnGenerator.MaxLayers, layer));
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception)); // not GeneratorFailures: compiling 5 M characters takes seconds
        Assert.Empty(run.GeneratorDiagnostics);
        int characters = run.Sources.Single().Text.Length;
        _output.WriteLine($"{RnnGenerator.MaxLayers} x {layer}: {characters} characters");
        Assert.True(characters < MaxGeneratedCharacters, $"{characters} characters generated");
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(5_000)]
    public void A_stack_past_the_limit_is_RNNG021_on_Sequential_and_generates_nothing(int layers)
    {
        GeneratorRun run = CompilationHarness.Run(Stack(layers, "[Dense(1)]"));
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RNNG021", reported.Id);
        Assert.Equal("Sequential(Timesteps = 3, InputDim = 4)", GeneratorRunInspection.UnderlinedText(run.Input, reported.Location));
        Assert.Contains($"the number of layers is too large ({layers}); RnnGen supports at most 64", reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_stack_at_the_limit_compiles()
    {
        // Dense layers, the cheapest to compile: the point is that the limit itself is a model that builds.
        GeneratorRun run = CompilationHarness.Run(Stack(RnnGenerator.MaxLayers - 1, "[Dense(2)]").Replace("[Sequential(Timesteps = 3, InputDim = 4)]\n", "[Sequential(Timesteps = 3, InputDim = 4)]\n[SimpleRnn(2)]\n"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
