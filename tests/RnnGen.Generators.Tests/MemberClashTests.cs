using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// RNNG024: a member the user declares in a model class that the generated part would declare again. Without the check
/// the compiler reports CS0102 / CS0111 / CS0121 inside the generated file, which the user cannot edit. The members to
/// collide with are read from the generated code of the same declaration, so every kind is covered: constants, fields,
/// properties, methods with their exact signatures, constructors, nested types and explicit interface implementations.
/// </summary>
public class MemberClashTests
{
    public static TheoryData<string> Declarations => GeneratedNamesTests.Declarations;

    [Theory]
    [MemberData(nameof(Declarations))]
    public void A_field_named_like_any_generated_member_is_RNNG024_on_the_field(string attributes)
    {
        ClassDeclarationSyntax generated = GeneratedClass(attributes);
        List<string> names = generated.Members.SelectMany(PlainNames).Distinct().ToList();
        Assert.True(names.Count > 50, $"only {names.Count} members read from the generated class");

        string fields = string.Join("\n", names.Select(n => $"    private int {n};"));
        GeneratorRun run = CompilationHarness.Run($"using RnnGen;\nnamespace Demo;\n{attributes}\npublic partial class Model\n{{\n{fields}\n}}");

        AssertEachReported(run, names);
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void A_method_or_property_with_the_signature_of_a_generated_one_is_RNNG024(string attributes)
    {
        // Each generated method, constructor and property declared again by the user with the same signature (other
        // parameter names, its own body).
        ClassDeclarationSyntax generated = GeneratedClass(attributes);
        var copies = new List<(string Name, string Text)>();
        foreach (MemberDeclarationSyntax member in generated.Members)
        {
            switch (member)
            {
                case MethodDeclarationSyntax method:
                    copies.Add((method.Identifier.ValueText,
                        $"{Modifiers(method.Modifiers)} {method.ReturnType} {method.ExplicitInterfaceSpecifier}{method.Identifier}{method.TypeParameterList}({Renamed(method.ParameterList)}) {method.ConstraintClauses} => throw null!;"));
                    break;
                case ConstructorDeclarationSyntax constructor:
                    copies.Add((constructor.Identifier.ValueText, $"public {constructor.Identifier}({Renamed(constructor.ParameterList)}) {{ }}"));
                    break;
                case PropertyDeclarationSyntax property:
                    copies.Add((property.Identifier.ValueText,
                        $"{Modifiers(property.Modifiers)} {property.Type} {property.ExplicitInterfaceSpecifier}{property.Identifier} => throw null!;"));
                    break;
            }
        }

        Assert.Contains(copies, c => c.Name == "Model"); // the constructors
        Assert.Contains(copies, c => c.Text.Contains("IRnnModel.Info")); // an explicit interface implementation
        Assert.Contains(copies, c => c.Text.Contains("Forward<")); // a generic method

        // One class per copy, so that each copy is the only member that can be reported in its class.
        var source = new StringBuilder("using RnnGen;\nnamespace Demo;\n");
        for (int i = 0; i < copies.Count; i++)
        {
            string className = "Model" + i;
            source.Append(attributes).Append($"\npublic partial class {className}\n{{\n    ")
                .Append(copies[i].Text.Replace(" Model(", $" {className}("))
                .Append("\n}\n");
        }

        GeneratorRun run = CompilationHarness.Run(source.ToString());
        Assert.Empty(run.Sources);
        var reportedIn = run.GeneratorDiagnostics.Where(d => d.Id == "RNNG024")
            .Select(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).AncestorsAndSelf().OfType<ClassDeclarationSyntax>().First().Identifier.ValueText)
            .ToList();
        List<string> missed = Enumerable.Range(0, copies.Count).Where(i => !reportedIn.Contains("Model" + i)).Select(i => copies[i].Text).ToList();
        Assert.True(missed.Count == 0, "not reported:\n" + string.Join("\n", missed));
        Assert.Equal(copies.Count, reportedIn.Count);
    }

    public static TheoryData<string, string> Clashes => new()
    {
        { "public int Units;", "Units" },
        { "public static int Timesteps => 1;", "Timesteps" },
        { "public Model(int layers) { }", "Model" },
        { "public float[][] GetWeights() => new float[0][];", "GetWeights" },
        { "public void SetWeights(System.Collections.Generic.IReadOnlyList<float[]> all) { }", "SetWeights" },
        { "public class Input { }", "Input" },
        { "public struct Output { }", "Output" },
        { "public event System.Action? Summary;", "Summary" },
        { "public void ResetStates() { }", "ResetStates" },
        { "public int Predict(System.ReadOnlySpan<float> x, System.Span<float> y) => 0;", "Predict" },
        { "private void Run() { }", "Run" },
        { "private static int LstmLayer;", "LstmLayer" },
        { "private readonly float[] _scratch = new float[1];", "_scratch" },
        { "RnnGen.ModelInfo RnnGen.IRnnModel.Info => null!;", "Info" },
        // Differs from Step(in InputStep, out OutputStep) only in ref kinds, which C# does not allow (CS0663).
        { "public void Step(ref Model.InputStep input, ref Model.OutputStep output) { }", "Step" },
    };

    [Theory]
    [MemberData(nameof(Clashes))]
    public void A_clashing_member_is_reported_on_itself_and_nothing_is_generated(string member, string underlined)
    {
        GeneratorRun run = CompilationHarness.Run(Lstm($"    {member}"));
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RNNG024", reported.Id);
        Assert.Equal(underlined, GeneratorRunInspection.UnderlinedText(run.Input, reported.Location));
        Assert.True(reported.Location.SourceSpan.Start > run.Input.SyntaxTrees[0].ToString().IndexOf('{'), "reported on the class, not on the member");
        Assert.Empty(run.Sources);
    }

    public static TheoryData<string> Overloads => new()
    {
        "public Model(string weightsPath) : this() { LoadWeights(weightsPath); }",
        "public Model(int seed, string weightsPath) : this(seed) { LoadWeights(weightsPath); }",
        "public float[][] GetWeights(int layer) => GetWeights();",
        "public float[][] Predict(float[] input) => Predict((System.ReadOnlySpan<float>)input);",
        "public void Forward(Input input, out Output output) => Forward(in input, out output);",
        "public Output Forward(Input input) { Forward(in input, out Output output); return output; }",
        "public int Layers => 1;",
        "private int _calls; public int Calls => _calls++;",
        "public void SetWeights(float[][] weights) => SetWeights((System.Collections.Generic.IReadOnlyList<float[]>)weights);",
    };

    [Theory]
    [MemberData(nameof(Overloads))]
    public void An_overload_of_a_public_member_or_another_name_compiles_without_a_diagnostic(string member)
    {
        GeneratorRun run = CompilationHarness.Run(Lstm($"    {member}"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void A_clash_in_another_partial_declaration_is_reported_in_that_file()
    {
        GeneratorRun run = CompilationHarness.Run(
            Lstm(string.Empty),
            "namespace Demo;\npublic partial class Model\n{\n    public const int OutputDim = 3;\n}");
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RNNG024", reported.Id);
        Assert.Equal("Source1.cs", reported.Location.GetLineSpan().Path);
        Assert.Equal("OutputDim", GeneratorRunInspection.UnderlinedText(run.Input, reported.Location));
    }

    [Fact]
    public void A_model_nested_in_other_types_is_checked_against_its_own_generated_members()
    {
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\npublic partial class Outer\n{\n    public int Units;\n    public partial struct Inner\n    {\n" +
            "        [Lstm(3, Timesteps = 4, InputDim = 5)]\n        public partial class Model\n        {\n            public int InputDim;\n        }\n    }\n}");
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("InputDim", GeneratorRunInspection.UnderlinedText(run.Input, reported.Location));
    }

    [Fact]
    public void A_base_class_member_the_generated_one_would_hide_is_RNNG024_on_the_class()
    {
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\npublic class Base\n{\n    public virtual int Units => 1;\n    public void Run(int times) { }\n}\n" +
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Model : Base;");
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RNNG024", reported.Id);
        Assert.Equal("Model", GeneratorRunInspection.UnderlinedText(run.Input, reported.Location));
        Assert.Equal(
            "Inherited property 'Base.Units' clashes with the public constant 'Units' in the code RnnGen generates for 'Model': derive the model from another class, or rename the member in the base class.",
            reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("public class Base { protected Base() { } public void Run(int times) { } }")]
    [InlineData("public class Base { public Base(int size = 3) { } }")]
    [InlineData("public class Base { public Base(params int[] sizes) { } public Base(string name) { } }")]
    public void A_base_class_with_a_callable_parameterless_constructor_and_no_hidden_member_compiles(string baseClass)
    {
        GeneratorRun run = CompilationHarness.Run($"using RnnGen;\nnamespace Demo;\n{baseClass}\n[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Model : Base;");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("public class Base { public Base(string name) { } }")]
    [InlineData("public class Base { private Base() { } public Base(int size) { } }")]
    public void A_base_class_without_a_callable_parameterless_constructor_is_RNNG003(string baseClass)
    {
        GeneratorRun run = CompilationHarness.Run($"using RnnGen;\nnamespace Demo;\n{baseClass}\n[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Model : Base;");
        Diagnostic reported = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RNNG003", reported.Id);
        Assert.StartsWith(
            "'Model' is derived from 'Base', which has no accessible parameterless constructor for the generated constructors to call",
            reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    private static string Lstm(string members) =>
        $"using RnnGen;\nnamespace Demo;\n[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Model\n{{\n{members}\n}}";

    private static ClassDeclarationSyntax GeneratedClass(string attributes)
    {
        GeneratorRun model = CompilationHarness.Run($"using RnnGen;\nnamespace Demo;\n{attributes}\npublic partial class Model;");
        Assert.Empty(model.GeneratorDiagnostics);
        return model.Output.SyntaxTrees.Last().GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.ValueText == "Model");
    }

    private static void AssertEachReported(GeneratorRun run, IReadOnlyCollection<string> names)
    {
        var reported = run.GeneratorDiagnostics.Where(d => d.Id == "RNNG024")
            .Select(d => GeneratorRunInspection.UnderlinedText(run.Input, d.Location)).ToList();
        List<string> missed = names.Where(n => !reported.Contains(n)).ToList();
        Assert.True(missed.Count == 0, "not reported: " + string.Join(", ", missed));
        Assert.Equal(names.Count, reported.Count);
        Assert.Empty(run.Sources);
    }

    // Names a plain field can take: not constructors, and explicit interface implementations have none of their own.
    private static IEnumerable<string> PlainNames(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText },
        MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method => new[] { method.Identifier.ValueText },
        PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property => new[] { property.Identifier.ValueText },
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        _ => System.Array.Empty<string>(),
    };

    private static string Modifiers(SyntaxTokenList modifiers) =>
        string.Join(" ", modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText));

    // The same parameter types and modifiers under other names, so the copy is a new declaration, not a text match.
    private static string Renamed(ParameterListSyntax parameters) =>
        string.Join(", ", parameters.Parameters.Select((p, i) => $"{string.Join(" ", p.Modifiers.Select(m => m.ValueText))} {p.Type} renamed{i}"));
}
