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
    [InlineData("model.Predict([1f, 2f, 3f]);", "[1f, 2f, 3f]", "Encoder.Predict expects batch x 4 x 5 floats (a positive multiple of 20), but this collection expression has 3 floats")]
    // The batch Forward: one output per input.
    [InlineData("model.Forward(new Encoder.Input[3], new Encoder.Output[2]);", "new Encoder.Output[2]", "Encoder.Forward expects one output per input (3 outputs for 3 inputs), but this array has 2 outputs")]
    [InlineData("model.Forward(stackalloc Encoder.Input[2], stackalloc Encoder.Output[4]);", "stackalloc Encoder.Output[4]", "Encoder.Forward expects one output per input (2 outputs for 2 inputs), but this stackalloc has 4 outputs")]
    [InlineData("model.Forward([default, default], [default]);", "[default]", "Encoder.Forward expects one output per input (2 outputs for 2 inputs), but this collection expression has 1 output")]
    [InlineData("model.Forward(new Encoder.Input[] { default }, new Encoder.Output[] { default, default });", "new Encoder.Output[] { default, default }", "Encoder.Forward expects one output per input (1 output for 1 input), but this array has 2 outputs")]
    [InlineData("model.Forward(outputs: new Encoder.Output[5], inputs: new Encoder.Input[4]);", "new Encoder.Output[5]", "Encoder.Forward expects one output per input (4 outputs for 4 inputs), but this array has 5 outputs")]
    [InlineData("model.Forward(new Encoder.Input[8], new Encoder.Output[4], 2);", "new Encoder.Output[4]", "Encoder.Forward expects one output per input (8 outputs for 8 inputs), but this array has 4 outputs")]
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
    [InlineData("model.Predict([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f]);")]
    [InlineData("model.Forward(new Encoder.Input[3], new Encoder.Output[3]);")]
    [InlineData("model.Forward(stackalloc Encoder.Input[2], [default, default]);")]
    [InlineData("model.Forward(new Encoder.Input[4], new Encoder.Output[4], 2);")]
    [InlineData("var inputs = new Encoder.Input[3]; model.Forward(inputs, new Encoder.Output[2]);")] // inputs' length unknown at the call
    [InlineData("model.Forward([.. System.Array.Empty<Encoder.Input>()], new Encoder.Output[2]);")] // a spread: length unknown
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
