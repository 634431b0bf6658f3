using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using RnnGen.CodeFixes;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The code fixes of the diagnostics whose message names the fix: each is applied to a declaration with that one
/// mistake, the fixed text is compared with what a user would write by hand, and the generator is run again on it to
/// show the fix is the one the message asked for (the diagnostic is gone, and the model compiles).
/// </summary>
public class CodeFixTests
{
    private const string Header = "using RnnGen;\nnamespace Demo;\n\n";

    [Theory]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic class Encoder;", "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder;")]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5)]\nclass Encoder;", "[Lstm(3, Timesteps = 4, InputDim = 5)]\npartial class Encoder;")]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5)]\ninternal sealed class Encoder { }", "[Lstm(3, Timesteps = 4, InputDim = 5)]\ninternal sealed partial class Encoder { }")]
    public Task RNNG001_adds_partial(string declaration, string expected) =>
        AssertFixed(new AddPartialCodeFix(), declaration, "RNNG001", expected);

    [Fact]
    public Task RNNG002_makes_every_containing_type_partial() =>
        AssertFixed(new AddPartialCodeFix(),
            "public class Outer\n{\n    public static class Inner\n    {\n        [Lstm(3, Timesteps = 4, InputDim = 5)]\n        public partial class Encoder;\n    }\n}",
            "RNNG002",
            "public partial class Outer\n{\n    public static partial class Inner\n    {\n        [Lstm(3, Timesteps = 4, InputDim = 5)]\n        public partial class Encoder;\n    }\n}");

    [Theory]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5, Activation = \"rleu\")]", "[Lstm(3, Timesteps = 4, InputDim = 5, Activation = \"relu\")]")]
    [InlineData("[Gru(3, Timesteps = 4, InputDim = 5, RecurrentActivation = \"HardSigmoid\")]", "[Gru(3, Timesteps = 4, InputDim = 5, RecurrentActivation = \"hard_sigmoid\")]")]
    public Task RNNG007_replaces_the_activation_with_the_suggested_one(string layer, string expected) =>
        AssertFixed(new ActivationCodeFix(), layer + "\npublic partial class Encoder;", "RNNG007", expected + "\npublic partial class Encoder;");

    [Fact]
    public async Task RNNG007_without_a_suggestion_offers_no_fix()
    {
        string source = Header + "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dense(2, Activation = \"banana\")]\npublic partial class Classifier;";
        Assert.Empty(await CodeFixHarness.Titles(new ActivationCodeFix(), source, "RNNG007"));
    }

    [Theory]
    [InlineData("[Gru(3, Timesteps = 4, InputDim = 5)]\n[Dense(1)]\npublic partial class Forecaster;", "[Sequential]\n[Gru(3, Timesteps = 4, InputDim = 5)]\n[Dense(1)]\npublic partial class Forecaster;")]
    [InlineData("[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true), Lstm(2)]\npublic partial class Encoder;", "[Sequential]\n[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true), Lstm(2)]\npublic partial class Encoder;")]
    public Task RNNG011_adds_Sequential_before_the_layers(string declaration, string expected) =>
        AssertFixed(new AddSequentialCodeFix(), declaration, "RNNG011", expected);

    [Fact]
    public async Task RNNG011_nested_model_keeps_the_indentation()
    {
        string fixedSource = await CodeFixHarness.Apply(new AddSequentialCodeFix(),
            Header + "public partial class Outer\n{\n    [Gru(3, Timesteps = 4, InputDim = 5)]\n    [Dense(1)]\n    public partial class Forecaster;\n}", "RNNG011");
        Assert.Equal(Header + "public partial class Outer\n{\n    [Sequential]\n    [Gru(3, Timesteps = 4, InputDim = 5)]\n    [Dense(1)]\n    public partial class Forecaster;\n}", fixedSource);
        AssertCompilesWithoutDiagnostics(fixedSource);
    }

    [Fact]
    public async Task RNNG011_without_using_writes_the_qualified_name()
    {
        string source = "namespace Demo;\n\n[RnnGen.Gru(3, Timesteps = 4, InputDim = 5)]\n[RnnGen.Dense(1)]\npublic partial class Forecaster;";
        string fixedSource = await CodeFixHarness.Apply(new AddSequentialCodeFix(), source, "RNNG011");
        Assert.Equal("namespace Demo;\n\n[RnnGen.Sequential]\n[RnnGen.Gru(3, Timesteps = 4, InputDim = 5)]\n[RnnGen.Dense(1)]\npublic partial class Forecaster;", fixedSource);
        AssertCompilesWithoutDiagnostics(fixedSource);
    }

    [Fact]
    public async Task RNNG018_adds_Sequential_and_the_generator_then_asks_for_the_input_shape_on_it()
    {
        string fixedSource = await CodeFixHarness.Apply(new AddSequentialCodeFix(), Header + "[Dense(3)]\npublic partial class Projection;", "RNNG018");
        Assert.Equal(Header + "[Sequential]\n[Dense(3)]\npublic partial class Projection;", fixedSource);

        // No shape can be guessed: RNNG005 and RNNG006 now point at [Sequential], where the shape goes.
        GeneratorRun run = CompilationHarness.Run(fixedSource);
        Assert.Equal(new[] { ("RNNG005", "Sequential"), ("RNNG006", "Sequential") }, run.Reported().Select(d => (d.Id, d.Underlined)).ToArray());
    }

    [Theory]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Lstm(2)]", "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\n[Lstm(2)]")]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3)]\n[Dropout(0.2)]\n[Dense(4)]\n[SimpleRnn(2)]", "[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3, ReturnSequences = true)]\n[Dropout(0.2)]\n[Dense(4)]\n[SimpleRnn(2)]")]
    [InlineData("[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\n[Lstm(3, ReturnSequences = false)]\n[Lstm(2)]", "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\n[Lstm(3, ReturnSequences = true)]\n[Lstm(2)]")]
    public Task RNNG012_sets_ReturnSequences_on_the_layer_the_message_names(string layers, string expected) =>
        AssertFixed(new ReturnSequencesCodeFix(), layers + "\npublic partial class Encoder;", "RNNG012", expected + "\npublic partial class Encoder;");

    [Fact]
    public async Task RNNG012_names_the_layer_in_the_title()
    {
        string source = Header + "[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3)]\n[Dropout(0.2)]\n[Dense(4)]\n[SimpleRnn(2)]\npublic partial class Encoder;";
        Assert.Equal(new[] { "Set ReturnSequences = true on layer 1 (Gru)" }, await CodeFixHarness.Titles(new ReturnSequencesCodeFix(), source, "RNNG012"));
    }

    [Theory]
    [InlineData("[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 7)]", "Remove InputDim", "[Lstm(3, ReturnSequences = true)]\n[Lstm(2)]")]
    [InlineData("[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 7)]", "Set InputDim = 3", "[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 3)]")]
    [InlineData("[Gru(3, ReturnSequences = true)]\n[Gru(2, Timesteps = 8)]", "Remove Timesteps", "[Gru(3, ReturnSequences = true)]\n[Gru(2)]")]
    [InlineData("[Gru(3, ReturnSequences = true)]\n[Gru(2, Timesteps = 8)]", "Set Timesteps = 4", "[Gru(3, ReturnSequences = true)]\n[Gru(2, Timesteps = 4)]")]
    [InlineData("[Lstm(3, InputDim = 6, Activation = \"relu\")]", "Remove InputDim", "[Lstm(3, Activation = \"relu\")]")]
    [InlineData("[Lstm(3, InputDim = 6)]", "Set InputDim = 5", "[Lstm(3, InputDim = 5)]")]
    public Task RNNG013_removes_or_corrects_the_contradicting_dimension(string layers, string title, string expected) =>
        AssertFixed(new ContradictingShapeCodeFix(),
            "[Sequential(Timesteps = 4, InputDim = 5)]\n" + layers + "\npublic partial class Encoder;", "RNNG013",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n" + expected + "\npublic partial class Encoder;", title);

    [Fact]
    public async Task RNNG013_offers_both_fixes()
    {
        string source = Header + "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 7)]\npublic partial class Encoder;";
        Assert.Equal(new[] { "Remove InputDim", "Set InputDim = 3" }, await CodeFixHarness.Titles(new ContradictingShapeCodeFix(), source, "RNNG013"));
    }

    // The fix turns `declaration` into `expected` exactly, and the generator accepts the result.
    private static async Task AssertFixed(CodeFixProvider provider, string declaration, string id, string expected, string? title = null)
    {
        string fixedSource = await CodeFixHarness.Apply(provider, Header + declaration, id, title);
        Assert.Equal(Header + expected, fixedSource);
        AssertCompilesWithoutDiagnostics(fixedSource);
    }

    private static void AssertCompilesWithoutDiagnostics(string source)
    {
        GeneratorRun run = CompilationHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.NotEmpty(run.Sources);
    }
}
