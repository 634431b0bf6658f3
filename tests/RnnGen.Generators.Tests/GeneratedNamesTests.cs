using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// RNNG022 must catch every name the emitter declares in a model class: a class named like any of them could not hold
/// it (CS0542, an error inside generated code). The names are read from the generated code itself, then each is tried
/// as the class name of the same declaration.
/// </summary>
public class GeneratedNamesTests
{
    public static TheoryData<string> Declarations => new()
    {
        "[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]",
        "[Sequential(Timesteps = 6, InputDim = 3)]\n[Gru(5, Bidirectional = true, ReturnSequences = true, MergeMode = MergeMode.Sum)]\n[Dropout(0.1)]\n[SimpleRnn(4, Activation = \"selu\", Stateful = true)]\n[Dense(2, Activation = \"softmax\")]",
        "[Sequential(Timesteps = 3, InputDim = 2)]\n[Gru(20, ResetAfter = false, RecurrentActivation = \"hard_sigmoid\", Stateful = true, ReturnSequences = true)]\n[Dense(7, Activation = \"silu\")]",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Every_generated_member_name_as_the_class_name_is_RNNG022(string attributes)
    {
        GeneratorRun model = CompilationHarness.Run($"using RnnGen;\nnamespace Demo;\n{attributes}\npublic partial class Model;");
        Assert.Empty(model.GeneratorDiagnostics);
        ClassDeclarationSyntax generated = model.Output.SyntaxTrees.Last()
            .GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.ValueText == "Model");
        List<string> names = generated.Members.SelectMany(MemberNames).Distinct().ToList();
        Assert.True(names.Count > 50, $"only {names.Count} members read from the generated class");

        GeneratorRun clashes = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n" + string.Join("\n", names.Select(n => $"{attributes}\npublic partial class {n};")));
        var reported = clashes.GeneratorDiagnostics.Where(d => d.Id == "RNNG022")
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)).ToHashSet();
        List<string> missed = names.Where(n => !reported.Contains(n)).ToList();
        Assert.True(missed.Count == 0, "not reported: " + string.Join(", ", missed));
        Assert.DoesNotContain(clashes.CompilationDiagnostics, d => d.Id == "CS0542");
    }

    private static IEnumerable<string> MemberNames(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText },
        MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
        PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        _ => System.Array.Empty<string>(),
    };
}
