using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The incremental pipeline (RnnGenerator.Initialize): what re-runs after an edit. An IDE runs the generator on every
/// keystroke, so an edit that does not change a model must not re-emit it (Andrew Lock, "Creating a source generator,
/// part 10: testing your incremental generator pipeline outputs are cacheable"; the Roslyn incremental generators
/// cookbook's rule that pipeline values hold no symbols or syntax).
/// </summary>
public class IncrementalTests
{
    private const string Model = """
        using RnnGen;
        namespace Demo;

        [Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]
        public partial class Encoder;

        public static class Helper
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    [Fact]
    public void Identical_compilation_is_fully_cached()
    {
        CompilationHarness.Run(Model).AssertRerunIsCached();
    }

    [Theory]
    [InlineData(IncrementalStepRunReason.Unchanged)]
    [InlineData(IncrementalStepRunReason.Modified)]
    [InlineData(IncrementalStepRunReason.New)]
    public void Rerun_check_requires_the_model_step_to_be_cached(IncrementalStepRunReason specReason)
    {
        // The snapshot tests' caching check: other steps may be Cached or Unchanged, the model step only Cached. Without
        // this, a spec that re-ran and happened to compare equal (Unchanged) would pass as cached.
        var reasons = new Dictionary<string, IncrementalStepRunReason[]>
        {
            [TrackingNames.Extract] = new[] { IncrementalStepRunReason.Unchanged },
            [TrackingNames.Parse] = new[] { IncrementalStepRunReason.Unchanged },
            [TrackingNames.Diagnostics] = new[] { IncrementalStepRunReason.Cached },
        };
        GeneratorRunInspection.AssertCachedRerun(new Dictionary<string, IncrementalStepRunReason[]>(reasons) { [TrackingNames.Spec] = new[] { IncrementalStepRunReason.Cached } });

        reasons[TrackingNames.Spec] = new[] { IncrementalStepRunReason.Cached, specReason };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeneratorRunInspection.AssertCachedRerun(reasons));
        reasons.Remove(TrackingNames.Spec);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeneratorRunInspection.AssertCachedRerun(reasons));
    }

    [Fact]
    public void Rerun_check_requires_the_source_output_to_be_cached()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        GeneratorRunInspection.AssertNothingEmittedAgain(CompilationHarness.Rerun(first), expectSource: true);

        // A changed model is emitted again: the check must see it.
        CSharpCompilation changed = GeneratorRunInspection.ReplaceSource(first.Input, 0, Model.Replace("InputDim = 5", "InputDim = 6"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeneratorRunInspection.AssertNothingEmittedAgain(CompilationHarness.Rerun(first, changed), expectSource: true));
    }

    [Fact]
    public void New_unrelated_file_leaves_every_step_cached()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        CSharpCompilation next = first.Input.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other;\npublic class Unrelated { public int Value; }", CompilationHarness.ParseOptions, "Unrelated.cs"));

        AssertAll(GeneratorRunInspection.RerunReasons(first, next), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Edit_in_another_file_leaves_every_step_cached()
    {
        GeneratorRun first = CompilationHarness.Run(Model, "namespace Other;\npublic class Unrelated { }");
        CSharpCompilation next = GeneratorRunInspection.ReplaceSource(first.Input, 1, "namespace Other;\npublic class Unrelated { public int Added; }");

        AssertAll(GeneratorRunInspection.RerunReasons(first, next), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Comment_below_the_class_re_extracts_but_changes_nothing()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        CSharpCompilation next = GeneratorRunInspection.ReplaceSource(first.Input, 0, Model.Replace("2 * x;", "2 * x; // doubled"));

        // The file changed, but nothing Extract reads from the class moved: every value compares equal.
        AssertAll(GeneratorRunInspection.RerunReasons(first, next), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Whitespace_above_the_class_re_parses_but_does_not_re_emit()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        CSharpCompilation next = GeneratorRunInspection.ReplaceSource(first.Input, 0, Model.Replace("namespace Demo;\n", "namespace Demo;\n\n\n"));

        IReadOnlyDictionary<string, IncrementalStepRunReason[]> reasons = GeneratorRunInspection.RerunReasons(first, next);
        // The attribute and class locations moved: Extract's output (which keeps them for diagnostics) changed, so
        // Parse runs again ...
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, reasons[TrackingNames.Extract]);
        Assert.Equal(new[] { IncrementalStepRunReason.Unchanged }, reasons[TrackingNames.Parse]);
        // ... and its spec, which has no locations, compares equal, so nothing downstream runs and nothing is re-emitted.
        Assert.Equal(new[] { IncrementalStepRunReason.Cached }, reasons[TrackingNames.Spec]);
        Assert.Equal(new[] { IncrementalStepRunReason.Cached }, reasons[TrackingNames.Diagnostics]);
    }

    [Fact]
    public void Whitespace_above_a_broken_class_moves_its_diagnostic()
    {
        string broken = Model.Replace("InputDim = 5", "InputDim = 0");
        GeneratorRun first = CompilationHarness.Run(broken);
        GeneratorRun second = CompilationHarness.Run(
            GeneratorRunInspection.ReplaceSource(first.Input, 0, broken.Replace("namespace Demo;\n", "namespace Demo;\n\n\n")),
            first.Driver);

        int before = Assert.Single(first.GeneratorDiagnostics).Location.GetLineSpan().StartLinePosition.Line;
        int after = Assert.Single(second.GeneratorDiagnostics).Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(before + 2, after);
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(second, TrackingNames.Parse));
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(second, TrackingNames.Diagnostics));
    }

    [Fact]
    public void Changed_units_re_emit_the_model()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        GeneratorRun second = CompilationHarness.Run(GeneratorRunInspection.ReplaceSource(first.Input, 0, Model.Replace("Lstm(3,", "Lstm(4,")), first.Driver);

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(second, TrackingNames.Spec));
        Assert.Contains("public const int Units = 4;", second.Sources.Single().Text);
        Assert.Contains("public const int Units = 3;", first.Sources.Single().Text);
    }

    [Fact]
    public void Changed_option_re_emits_the_model()
    {
        GeneratorRun first = CompilationHarness.Run(Model);
        GeneratorRun second = CompilationHarness.Run(
            GeneratorRunInspection.ReplaceSource(first.Input, 0, Model.Replace("ReturnSequences = true", "ReturnSequences = true, GoBackwards = true")),
            first.Driver);

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(second, TrackingNames.Spec));
        Assert.NotEqual(first.Sources.Single().Text, second.Sources.Single().Text);
    }

    [Fact]
    public void Same_declaration_generates_byte_identical_text_in_separate_compilations()
    {
        // Different neighbours, file order and file names: only the declaration itself may shape the output.
        string declaration = "namespace Demo;\n[RnnGen.Sequential(Timesteps = 3, InputDim = 2)]\n[RnnGen.Gru(4, Bidirectional = true, ReturnSequences = true)]\n[RnnGen.Dense(2, Activation = \"softmax\")]\npublic partial class Tagger;";
        GeneratorRun one = CompilationHarness.Run(declaration);
        GeneratorRun two = CompilationHarness.Run(
            "namespace Elsewhere;\n[RnnGen.SimpleRnn(2, Timesteps = 1, InputDim = 1)]\npublic partial class Other;",
            "// leading comment\n" + declaration);

        string first = one.Sources.Single(s => s.HintName == "Demo.Tagger.RnnGen.g.cs").Text;
        string second = two.Sources.Single(s => s.HintName == "Demo.Tagger.RnnGen.g.cs").Text;
        Assert.Equal(first, second);
    }

    [Fact]
    public void Spec_holds_no_symbols_syntax_locations_or_compilations()
    {
        List<string> problems = ForbiddenMembers(typeof(ModelSpec), out HashSet<Type> walked);
        Assert.Empty(problems);
        // The walk reached the layers, their containing types and the equatable arrays that hold them.
        Assert.Contains(typeof(LayerSpec), walked);
        Assert.Contains(typeof(ContainingType), walked);
    }

    [Fact]
    public void Forbidden_member_walk_finds_a_location()
    {
        // A control for the walk above: a diagnostic carries its location, and the walk must say so.
        List<string> problems = ForbiddenMembers(typeof(DiagnosticInfo), out _);
        Assert.Contains(problems, p => p.Contains(nameof(LocationInfo), StringComparison.Ordinal));
        Assert.Contains(ForbiddenMembers(typeof(HoldsASymbol), out _), p => p.Contains("ISymbol", StringComparison.Ordinal));
    }

    private sealed record HoldsASymbol(ISymbol Symbol);

    // Types that pin a compilation in memory (symbols, syntax, compilations) or change with every edit above the model
    // (locations): a pipeline value holding one is never equal across runs, so it defeats the cache.
    private static readonly Type[] s_forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxToken), typeof(SyntaxReference), typeof(Location),
        typeof(Compilation), typeof(SemanticModel), typeof(AttributeData), typeof(TypedConstant), typeof(LocationInfo),
    };

    private static List<string> ForbiddenMembers(Type root, out HashSet<Type> walked)
    {
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        Walk(root, root.Name);
        walked = seen;
        return problems;

        void Walk(Type type, string path)
        {
            if (s_forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is Type forbidden)
            {
                problems.Add($"{path}: {type.Name} is a {forbidden.Name}");
                return;
            }

            if (type == typeof(object) || type.IsInterface || type.IsAbstract && !type.IsSealed)
            {
                problems.Add($"{path}: {type.Name} could hold anything");
                return;
            }

            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
            {
                return;
            }

            if (type.IsArray)
            {
                Walk(type.GetElementType()!, path + "[]");
                return;
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Walk(field.FieldType, path + "." + field.Name);
            }
        }
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRun run, string step) =>
        run.Result.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static void AssertAll(IReadOnlyDictionary<string, IncrementalStepRunReason[]> reasons, params IncrementalStepRunReason[] allowed)
    {
        Assert.NotEmpty(reasons);
        foreach (var (step, stepReasons) in reasons)
        {
            Assert.All(stepReasons, reason => Assert.True(allowed.Contains(reason), $"Step {step} gave {reason}."));
        }
    }
}
