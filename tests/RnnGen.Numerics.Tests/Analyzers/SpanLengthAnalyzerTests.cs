using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RnnGen.Generators.Analyzers;
using RnnGen.Testing;

namespace RnnGen.Numerics.Tests.Analyzers;

/// <summary>RNNG100: span arguments of constant length that can never fit the model.</summary>
public class SpanLengthAnalyzerTests
{
    private const string Model = """
        using System;
        using RnnGen;
        namespace Demo;
        [Lstm(3, Timesteps = 4, InputDim = 5)]
        public partial class Encoder;
        public static class Calls
        {
            public static void Run(Encoder model)
            {
                CALL
            }
        }
        """;

    [Theory]
    [InlineData("model.Predict(new float[19]);", "new float[19]", "Encoder.Predict expects batch x 4 x 5 floats (a positive multiple of 20), but this array has 19 floats")]
    [InlineData("model.Predict(stackalloc float[30]);", "stackalloc float[30]", "Encoder.Predict expects batch x 4 x 5 floats (a positive multiple of 20), but this stackalloc has 30 floats")]
    [InlineData("model.Predict(new float[] { 1, 2, 3 });", "new float[] { 1, 2, 3 }", "Encoder.Predict expects batch x 4 x 5 floats (a positive multiple of 20), but this array has 3 floats")]
    [InlineData("model.Step(new float[4], new float[3]);", "new float[4]", "Encoder.Step expects 5 floats for one timestep's input, but this array has 4 floats")]
    [InlineData("model.Step(new float[5], stackalloc float[2]);", "stackalloc float[2]", "Encoder.Step expects 3 floats for one timestep's output, but this stackalloc has 2 floats")]
    [InlineData("model.Predict(new float[40], new float[7]);", "new float[7]", "Encoder.Predict expects 6 floats for the output of a batch of 2 (2 x 3), but this array has 7 floats")]
    [InlineData("model.Predict(new float[40], new float[3]);", "new float[3]", "Encoder.Predict expects 6 floats for the output of a batch of 2 (2 x 3), but this array has 3 floats")]
    [InlineData("model.Predict(System.Array.Empty<float>().AsSpan(), new float[4]);", "new float[4]", "Encoder.Predict expects batch x 3 floats for the output (a positive multiple of 3), but this array has 4 floats")]
    public async Task Warns_with_the_expected_length(string call, string argument, string message)
    {
        Diagnostic diagnostic = Assert.Single(await Analyze(call));
        Assert.Equal("RNNG100", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(argument, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("model.Predict(new float[40]);")]
    [InlineData("model.Predict(stackalloc float[20]);")]
    [InlineData("model.Step(new float[5], new float[3]);")]
    [InlineData("model.Predict(new float[40], new float[6]);")]
    [InlineData("var data = new float[19]; model.Predict(data);")] // not a constant-length expression at the call: not checked
    public async Task Stays_silent_when_the_length_fits_or_is_unknown(string call) =>
        Assert.Empty(await Analyze(call));

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string call)
    {
        GeneratorRun run = CompilationHarness.Run(Model.Replace("CALL", call));
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        CompilationWithAnalyzers analyzed = run.Output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SpanLengthAnalyzer()));
        return await analyzed.GetAnalyzerDiagnosticsAsync();
    }
}
