using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The generated files' long lines are wrapped by <see cref="LineWrapper"/>, which may change whitespace only: the
/// tokens of every wrapped line (string contents included) must equal the tokens of the line it came from.
/// </summary>
public class LineWrapperTests
{
    public static TheoryData<string> TrickyLines => new()
    {
        // commas inside strings, interpolation holes with their own strings and braces, char literals
        "throw new global::System.ArgumentException($\"Model.Forward needs {a.Length} of {(b ? \"x, y\" : \"z\")} floats, got {c}, {{literal, braces}}.\", nameof(input), inner, more, and, more, arguments, here, to, pass, the, limit);",
        "Call(',', '\\'', @\"verbatim, \"\"quoted\"\", text\", $@\"both {x}, kinds\", first, second, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth);",
        // a type argument list's comma is not a place to cut
        "RunMany(global::System.Runtime.InteropServices.MemoryMarshal.Cast<Input, float>(inputs), inputs.Length, floats, OutputFloats, floats.Slice(12), OutputFloats, 0, 4);",
        // an expression body and a trailing comment with a comma and an apostrophe
        "public global::System.Span<float> AsSpan() => global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref global::System.Runtime.CompilerServices.Unsafe.As<InputStep, float>(ref _element0), Timesteps * InputDim); // Keras's layout, row-major",
        // comparisons written with spaces are not type argument lists
        "bool inside = first < count && count > 0 && Compare(left, right, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth, eleventh, twelfth) < limit;",
    };

    [Theory]
    [MemberData(nameof(TrickyLines))]
    public void A_wrapped_line_has_the_tokens_of_the_original(string line)
    {
        Assert.True(line.Length > LineWrapper.MaxLength, "the case must be long enough to be wrapped");
        var lines = LineWrapper.Wrap(line);

        Assert.True(lines.Count > 1, string.Join("\n", lines));
        Assert.Equal(Tokens(line), Tokens(string.Join("\n", lines)));
    }

    [Fact]
    public void A_doc_comment_is_cut_between_words_and_never_inside_a_tag()
    {
        string line = "/// <summary>The output sequence: <see cref=\"Timesteps\"/> x <see cref=\"OutputDim\"/> floats, row-major; index it as <c>sequence[t][feature]</c>, a fixed-size value type.</summary>";
        var lines = LineWrapper.Wrap(line);

        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.StartsWith("/// ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= LineWrapper.FillWidth, l));
        Assert.Equal(Words(line), lines.SelectMany(Words));
        Assert.DoesNotContain(lines, l => l.TrimEnd().EndsWith("<see", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_line_of_every_generated_snapshot_keeps_its_tokens()
    {
        // The snapshots are wrapped already; wrapping a whole snapshot again, joined back per statement, must not move
        // a token either. This reads every generated file the snapshot tests hold.
        string[] files = Directory.GetFiles(SnapshotDirectory(), "SnapshotTests.*.verified.cs");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            string rewrapped = string.Join("\n", text.Split('\n').SelectMany(l => LineWrapper.Wrap(l)));
            Assert.Equal(Tokens(text), Tokens(rewrapped));
        }
    }

    private static string[] Tokens(string code) =>
        SyntaxFactory.ParseTokens(code).Select(t => t.Kind() + ":" + t.Text).ToArray();

    private static string[] Words(string comment) =>
        comment.Replace("///", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string SnapshotDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
