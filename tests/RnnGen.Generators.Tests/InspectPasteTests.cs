using System;
using System.IO;
using System.Linq;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// <c>rnngen inspect --no-using</c>: the declaration without its using line, names qualified, pastes into any place a
/// class may go (here: a namespace block of a file without <c>using RnnGen;</c>, beside another class) and generates
/// the model the default whole-file declaration generates.
/// </summary>
public class InspectPasteTests
{
    [Theory]
    [InlineData("generated/keras3_stack.keras")]
    [InlineData("generated/keras2_stack_model.h5")]
    [InlineData("generated/keras2_deep_model.h5")]
    [InlineData("generated/keras3_timedistributed.keras")]
    public void The_declaration_without_the_using_line_compiles_anywhere_as_the_whole_file_does(string file)
    {
        string whole = Declaration(KerasModelHarness.FixturePath(file));
        string pasteable = Declaration(KerasModelHarness.FixturePath(file), "--no-using");
        Assert.StartsWith("using RnnGen;\n", whole, StringComparison.Ordinal);
        Assert.DoesNotContain("using RnnGen;", pasteable, StringComparison.Ordinal);

        GeneratorRun asFile = CompilationHarness.Run(whole);
        GeneratorRun pasted = CompilationHarness.Run("namespace Deep.Inside\n{\n    public static class Other { }\n\n" + pasteable + "\n}\n");

        Assert.Empty(asFile.GeneratorDiagnostics);
        Assert.Empty(pasted.GeneratorDiagnostics);
        Assert.Empty(pasted.CompilationDiagnostics);
        // The same model: the generated sources differ only by the namespace around the class (and its indentation).
        Assert.Equal(Body(Assert.Single(asFile.Sources).Text), Body(Assert.Single(pasted.Sources).Text));
    }

    [Fact]
    public void Enum_arguments_are_qualified_too()
    {
        string pasteable = RnnGen.Tool.Program.WithoutUsing(
            "using RnnGen;\n\n// a comment [Lstm] stays\n[Lstm(2, Timesteps = 3, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.Sum)]\npublic partial class Both;");
        Assert.Equal(
            "// a comment [Lstm] stays\n[RnnGen.Lstm(2, Timesteps = 3, InputDim = 2, Bidirectional = true, MergeMode = RnnGen.MergeMode.Sum)]\npublic partial class Both;",
            pasteable.Replace("\r\n", "\n", StringComparison.Ordinal));

        GeneratorRun run = CompilationHarness.Run("namespace Deep { " + pasteable + " }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    private static string Declaration(string path, params string[] options)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, RnnGen.Tool.Program.Run(new[] { "inspect", path }.Concat(options).ToArray(), output, error));
        Assert.Equal("", error.ToString());
        string text = output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        int at = text.IndexOf("C# declaration", StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        return text[(text.IndexOf(":\n\n", at, StringComparison.Ordinal) + 3)..];
    }

    private static string[] Body(string generated) => generated.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && line != "{" && line != "}" && !line.StartsWith("namespace ", StringComparison.Ordinal) && !line.StartsWith("//", StringComparison.Ordinal))
        .ToArray();
}
