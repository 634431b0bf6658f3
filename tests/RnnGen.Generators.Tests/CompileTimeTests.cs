using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// What the compiler guarantees about generated models: tensors of one model's shape do not fit another's Forward, and
/// the generated code compiles cleanly under the strictest settings a user may have, wherever the model is declared.
/// </summary>
public class CompileTimeTests
{
    // The strictest common project settings: XML documentation checked (CS1591 and friends not suppressed), nullable
    // reference types on, and every warning an error.
    private static readonly CSharpParseOptions s_strictParseOptions =
        CompilationHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    private static GeneratorRun CompileStrictly(params string[] sources)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "StrictUserAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, s_strictParseOptions, $"User{i}.cs")),
            CompilationHarness.CreateCompilation().References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                warningLevel: 9999));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new RnnGenerator().AsSourceGenerator() },
            parseOptions: s_strictParseOptions);
        return CompilationHarness.Run(compilation, driver);
    }

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Assert.Empty(run.GeneratorFailures());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.Sources);
        // Everything, hidden and info included, so that a suppressed warning cannot hide: nothing but errors-as-warnings
        // could appear, and none may.
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden));
    }

    private const string Models = """
        /// <summary>An encoder.</summary>
        [RnnGen.Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
        public partial class Encoder;

        /// <summary>A forecaster.</summary>
        [RnnGen.Sequential(Timesteps = 3, InputDim = 1)]
        [RnnGen.Gru(4, Bidirectional = true, ReturnSequences = true, MergeMode = RnnGen.MergeMode.None, Stateful = true, ReturnState = true)]
        public partial class Tagger;
        """;

    public static TheoryData<string, string> Placements => new()
    {
        { "file_scoped_namespace", "namespace Demo.Models;\n\n" + Models },
        { "block_namespace", "namespace Demo\n{\n    namespace Models\n    {\n" + Models + "\n    }\n}" },
        { "global_namespace", Models },
        { "nested_in_partial_class", "namespace Demo;\n/// <summary>Outer.</summary>\npublic static partial class Outer\n{\n" + Models + "\n}" },
        { "nested_in_partial_record", "namespace Demo;\n/// <summary>Outer.</summary>\npublic partial record Outer(int Value)\n{\n" + Models + "\n}" },
        { "nested_in_partial_struct", "namespace Demo;\n/// <summary>Outer.</summary>\npublic partial struct Outer\n{\n" + Models + "\n}" },
        { "nested_in_partial_record_struct_in_class", "namespace Demo;\n/// <summary>Outer.</summary>\npublic partial class Outer\n{\n/// <summary>Middle.</summary>\npublic readonly partial record struct Middle\n{\n" + Models + "\n}\n}" },
        { "sealed_model", "namespace Demo;\n/// <summary>A sealed model.</summary>\n[RnnGen.SimpleRnn(2, Timesteps = 2, InputDim = 2)]\npublic sealed partial class Sealed;" },
        { "large_model_with_reference_type_tensors", "namespace Demo;\n/// <summary>Large.</summary>\n[RnnGen.Lstm(2, Timesteps = 100, InputDim = 1000, ReturnSequences = true, ReturnState = true)]\npublic partial class Large;" },
    };

    [Theory]
    [MemberData(nameof(Placements))]
#pragma warning disable xUnit1026 // `placement` names the theory case in the test output
    public void Generated_code_compiles_with_documentation_nullable_and_warnings_as_errors(string placement, string source)
#pragma warning restore xUnit1026
    {
        AssertCompilesCleanly(CompileStrictly(source));
    }

    [Theory]
    [InlineData("internal")]
    [InlineData("private_nested")]
    public void Non_public_models_compile_with_warnings_as_errors(string accessibility)
    {
        // A model need not be public; then the compiler checks more (e.g. CS0649 for fields it can see are never
        // assigned), and the generated code must still be clean.
        string declaration = "[RnnGen.Lstm(3, Timesteps = 4, InputDim = 5)]\n" + (accessibility == "internal"
            ? "internal partial class Hidden;"
            : "partial class Hidden;");
        string source = accessibility == "internal"
            ? "namespace Demo;\n" + declaration
            : "namespace Demo;\n/// <summary>Outer.</summary>\npublic partial class Outer\n{\n" + declaration.Replace("partial class", "private partial class") + "\n}";
        AssertCompilesCleanly(CompileStrictly(source));
    }

    [Fact]
    public void Model_named_with_a_keyword_compiles()
    {
        AssertCompilesCleanly(CompileStrictly("namespace Demo;\n/// <summary>Keyword.</summary>\n[RnnGen.Gru(2, Timesteps = 2, InputDim = 2)]\npublic partial class @event;"));
    }

    [Fact]
    public void User_types_named_like_the_ones_generated_code_uses_do_not_break_it()
    {
        // Generated code names every type it uses by its global:: name, so types in the user's namespace cannot capture
        // its references.
        string lookalikes = string.Concat(new[]
        {
            "Span", "ReadOnlySpan", "Math", "MathF", "Activations", "Initializers", "GeneratedModelSupport", "IRnnModel", "ModelInfo",
            "LayerInfo", "WeightShape", "OutputInfo", "LayerKind", "MergeMode", "Unsafe", "MemoryMarshal", "InlineArrayAttribute",
            "UnscopedRefAttribute", "GeneratedCodeAttribute", "IReadOnlyList", "ArgumentException", "InvalidOperationException",
            "Array", "Vector", "Vector128", "Vector256", "Buffer", "String", "Int32", "Single", "System", "RnnGen",
        }.Select(name => $"/// <summary>Look-alike.</summary>\npublic sealed class {name} {{ }}\n"));
        string source = "namespace Demo;\n\n" + lookalikes + "/// <summary>A vector model.</summary>\n" +
            "[global::RnnGen.Sequential(Timesteps = 3, InputDim = 2)]\n[global::RnnGen.Lstm(4, Bidirectional = true, ReturnSequences = true)]\n" +
            "[global::RnnGen.Dropout(0.1)]\n[global::RnnGen.Gru(3, Stateful = true)]\n[global::RnnGen.Dense(2, Activation = \"softmax\")]\npublic partial class Classifier;\n" +
            "/// <summary>A single layer.</summary>\n[global::RnnGen.SimpleRnn(2, Timesteps = 2, InputDim = 2, ReturnState = true)]\npublic partial class OneLayer;\n";
        AssertCompilesCleanly(CompileStrictly(source));
    }

    private const string ThreeModels = """
        namespace Demo;

        /// <summary>Input [4, 5], output sequence [4, 3].</summary>
        [RnnGen.Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]
        public partial class Wide;

        /// <summary>Input [4, 2].</summary>
        [RnnGen.Lstm(2, Timesteps = 4, InputDim = 2)]
        public partial class Narrow;

        /// <summary>Input [5, 3]: Wide's features, one timestep more.</summary>
        [RnnGen.Gru(2, Timesteps = 5, InputDim = 3)]
        public partial class Longer;

        /// <summary>Input [4, 3]: exactly Wide's output.</summary>
        [RnnGen.SimpleRnn(2, Timesteps = 4, InputDim = 3)]
        public partial class Matching;

        /// <summary>Wiring.</summary>
        public static class Wiring
        {
            /// <summary>Runs one model into another.</summary>
            public static void Run(Wide wide, Narrow narrow, Longer longer, Matching matching)
            {
                Wide.Input input = default;
                wide.Forward(in input, out Wide.Output wideOutput);
                WIRING
            }
        }
        """;

    [Theory]
    [InlineData("narrow.Forward(in input, out Narrow.Output narrowOutput);")] // [4, 5] into [4, 2]
    [InlineData("narrow.Forward(in wideOutput.Result, out Narrow.Output narrowOutput);")] // [4, 3] into [4, 2]
    [InlineData("longer.Forward(in wideOutput.Result, out Longer.Output longerOutput);")] // [4, 3] into [5, 3]
    [InlineData("wide.Forward(in wideOutput.Result, out Wide.Output again);")] // [4, 3] into [4, 5]
    public void Tensor_of_another_shape_does_not_compile_as_input(string wiring)
    {
        GeneratorRun run = CompileStrictly(ThreeModels.Replace("WIRING", wiring));
        Assert.Empty(run.GeneratorDiagnostics);
        Diagnostic error = Assert.Single(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        // CS1503 (cannot convert to 'in Narrow.Input') when Forward takes only the model's own Input; CS0315 (the type
        // does not satisfy the shape constraint) when it also takes any tensor of the same shape.
        Assert.Contains(error.Id, new[] { "CS1503", "CS0315" });
        int line = error.Location.GetLineSpan().StartLinePosition.Line;
        Assert.Contains(wiring, error.Location.SourceTree!.GetText().Lines[line].ToString());
    }

    [Fact]
    public void Tensor_copied_into_the_right_type_compiles()
    {
        // The control for the test above: the same output, copied into the input type of a model of its shape.
        GeneratorRun run = CompileStrictly(ThreeModels.Replace(
            "WIRING",
            "Matching.Input matchingInput = default;\n" +
            "                wideOutput.Result.AsSpan().CopyTo(matchingInput.AsSpan());\n" +
            "                matching.Forward(in matchingInput, out Matching.Output matchingOutput);"));
        AssertCompilesCleanly(run);
    }

    [Fact]
    public void Model_implements_IRnnModel_and_exposes_its_shape_as_constants()
    {
        GeneratorRun run = CompileStrictly("""
            namespace Demo;

            /// <summary>A model.</summary>
            [RnnGen.Sequential(Timesteps = 3, InputDim = 2)]
            [RnnGen.Gru(4)]
            [RnnGen.Dense(1)]
            public partial class Forecaster;

            /// <summary>Uses the constants where only constants are allowed.</summary>
            public static class Uses
            {
                /// <summary>A constant expression of the model's sizes.</summary>
                public const int Floats = Forecaster.Timesteps * Forecaster.InputDim + Forecaster.OutputDim + Forecaster.ParameterCount;

                /// <summary>Any model behind the interface.</summary>
                public static RnnGen.IRnnModel AsInterface() => new Forecaster();
            }
            """);
        AssertCompilesCleanly(run);
    }
}
