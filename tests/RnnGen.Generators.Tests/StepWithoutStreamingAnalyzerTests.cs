using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RnnGen.Generators.Analyzers;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// RNNG101: <c>Step</c> on a model whose Bidirectional or GoBackwards layer needs the whole sequence. The compiler's
/// own error (CS1061) stays; RNNG101 sits on the same token and says why and what to call instead.
/// </summary>
public class StepWithoutStreamingAnalyzerTests
{
    private const string Source = """
        using System;
        using RnnGen;
        namespace Demo;
        LAYERS
        public partial class Encoder;
        public static class Calls
        {
            public static void Run(Encoder model, float[] input, float[] output)
            {
                CALL
            }
        }
        """;

    [Theory]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true)]", "model.Step(input, output);",
        "'Encoder' has no Step: layer 1 (Lstm) is Bidirectional, and its backward half reads the sequence from the last timestep first, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    [InlineData("[Gru(3, Timesteps = 4, InputDim = 5, GoBackwards = true)]", "model.Step(input, output);",
        "'Encoder' has no Step: layer 1 (Gru) has GoBackwards = true, and reads the sequence from the last timestep first, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\n[Dropout(0.1)]\n[SimpleRnn(3, Bidirectional = true, MergeMode = MergeMode.Sum)]\n[Dense(1)]", "model?.Step(input, output);",
        "'Encoder' has no Step: layer 3 (SimpleRnn) is Bidirectional, and its backward half reads the sequence from the last timestep first, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\n[GlobalAveragePooling1D]\n[Dense(1)]", "model.Step(input, output);",
        "'Encoder' has no Step: layer 2 (GlobalAveragePooling1D) pools over every timestep of the sequence, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    // Every layer counts, as in the generator's messages: here the Bidirectional layer is the fourth.
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Dense(4)]\n[LayerNormalization]\n[Activation(\"tanh\")]\n[Lstm(3, Bidirectional = true)]", "model.Step(input, output);",
        "'Encoder' has no Step: layer 4 (Lstm) is Bidirectional, and its backward half reads the sequence from the last timestep first, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    [InlineData("[Gru(3, Timesteps = 4, InputDim = 5, GoBackwards = true)]", "Action<float[], float[]> step = model.Step;",
        "'Encoder' has no Step: layer 1 (Gru) has GoBackwards = true, and reads the sequence from the last timestep first, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.")]
    public async Task Step_on_a_model_that_needs_the_whole_sequence_says_why(string layers, string call, string message)
    {
        (GeneratorRun run, ImmutableArray<Diagnostic> diagnostics) = await Analyze(layers, call);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("RNNG101", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Step", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // What the compiler says on the same token, and what the analyzer adds to: the generated class is a model that
        // does not stream (no IStreamingModel), so it has no Step.
        Diagnostic compilerError = Assert.Single(run.CompilationDiagnostics);
        Assert.Equal("CS1061", compilerError.Id);
        Assert.True(compilerError.Location.SourceSpan.Contains(diagnostic.Location.SourceSpan), "CS1061 is on the Step token too ('.Step' after '?')");
        INamedTypeSymbol encoder = run.Output.GetTypeByMetadataName("Demo.Encoder")!;
        Assert.Contains(encoder.AllInterfaces, i => i.Name == "IRnnModel");
        Assert.DoesNotContain(encoder.AllInterfaces, i => i.Name == "IStreamingModel");
    }

    [Theory]
    // A causal model has Step: nothing to say.
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5)]", "model.Step(input, output);")]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3, ReturnSequences = true)]\n[Dense(2)]", "model.Step(input, output);")]
    // Forward on a Bidirectional model is what it offers.
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true)]", "model.Predict(input, output);")]
    public async Task Nothing_is_reported_where_the_call_compiles(string layers, string call)
    {
        (GeneratorRun run, ImmutableArray<Diagnostic> diagnostics) = await Analyze(layers, call);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Another_misspelt_member_is_left_to_the_compiler()
    {
        (GeneratorRun run, ImmutableArray<Diagnostic> diagnostics) = await Analyze("[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true)]", "model.Stepp(input, output);");
        Assert.Equal("CS1061", Assert.Single(run.CompilationDiagnostics).Id);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task A_Step_extension_method_is_a_Step()
    {
        string source = Source.Replace("LAYERS", "[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true)]").Replace("CALL", "model.Step(input, output);")
            + "\npublic static class EncoderExtensions { public static void Step(this Encoder model, float[] input, float[] output) { } }";
        GeneratorRun run = CompilationHarness.Run(source);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Empty(await run.Output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new StepWithoutStreamingAnalyzer())).GetAnalyzerDiagnosticsAsync());
    }

    private static async Task<(GeneratorRun Run, ImmutableArray<Diagnostic> Diagnostics)> Analyze(string layers, string call)
    {
        GeneratorRun run = CompilationHarness.Run(Source.Replace("LAYERS", layers).Replace("CALL", call));
        Assert.Empty(run.GeneratorDiagnostics);
        CompilationWithAnalyzers analyzed = run.Output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new StepWithoutStreamingAnalyzer()));
        return (run, await analyzed.GetAnalyzerDiagnosticsAsync());
    }
}
