using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>A diagnostic as a user sees it: id, severity, the source text it underlines, and its message.</summary>
internal sealed record ReportedDiagnostic(string Id, DiagnosticSeverity Severity, string Underlined, string Message)
{
    public override string ToString() => $"{Id} ({Severity}) on `{Underlined}`: {Message}";
}

/// <summary>Reads what a generator run reported and produced, the way a test needs to assert on it.</summary>
internal static class GeneratorRunInspection
{
    /// <summary>
    /// The generator's diagnostics with the text under each location. The generator reports locations by file path and
    /// span (it keeps no syntax trees between pipeline steps), so the text is looked up in the input tree of that path.
    /// </summary>
    public static IReadOnlyList<ReportedDiagnostic> Reported(this GeneratorRun run) =>
        run.GeneratorDiagnostics.Select(d => new ReportedDiagnostic(
            d.Id,
            d.Severity,
            UnderlinedText(run.Input, d.Location),
            d.GetMessage(CultureInfo.InvariantCulture))).ToList();

    public static string UnderlinedText(Compilation compilation, Location location)
    {
        string path = location.GetLineSpan().Path;
        SyntaxTree? tree = location.SourceTree ?? compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        return tree is null ? $"<no source: {location}>" : tree.GetText().ToString(location.SourceSpan);
    }

    /// <summary>Exceptions the generator threw (the compiler turns each into warning CS8785 and generates nothing).</summary>
    public static IReadOnlyList<string> GeneratorFailures(this GeneratorRun run) =>
        run.Result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!.ToString())
            .Concat(run.Output.GetDiagnostics().Where(d => d.Id == "CS8785").Select(d => d.ToString()))
            .ToList();

    /// <summary>Errors and warnings of the user's own source, before the generator added anything.</summary>
    public static IReadOnlyList<Diagnostic> InputProblems(this GeneratorRun run) =>
        run.Input.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>Every step name the generator declares in <see cref="TrackingNames"/>, read from the class itself.</summary>
    public static IReadOnlyList<string> TrackedStepNames { get; } = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToList();

    /// <summary>
    /// Runs the generator again, on <paramref name="next"/> or a copy of the same compilation, and returns the reasons
    /// each step of <see cref="TrackingNames"/> gave.
    /// </summary>
    public static IReadOnlyDictionary<string, IncrementalStepRunReason[]> RerunReasons(GeneratorRun first, CSharpCompilation? next = null) =>
        TrackedReasons(CompilationHarness.Rerun(first, next));

    private static IReadOnlyDictionary<string, IncrementalStepRunReason[]> TrackedReasons(GeneratorRunResult result) =>
        CompilationHarness.StepReasons(result).Where(step => TrackedStepNames.Contains(step.Key)).ToDictionary(step => step.Key, step => step.Value);

    /// <summary>
    /// Runs the generator again on an identical compilation and asserts the model step answered from its cache: its
    /// values compare equal, so an IDE does not regenerate on every keystroke. The model step is
    /// <see cref="TrackingNames.Spec"/> (the spec that Emit reads) for a valid model, and
    /// <see cref="TrackingNames.Diagnostics"/> (the errors reported instead) for a declaration with mistakes. Every other
    /// step of <see cref="TrackingNames"/> must be Cached or Unchanged, and every output step that adds source must be
    /// Cached: nothing is emitted again.
    /// </summary>
    public static void AssertRerunIsCached(this GeneratorRun run, string modelStep = TrackingNames.Spec)
    {
        GeneratorRunResult rerun = CompilationHarness.Rerun(run);
        AssertCachedRerun(TrackedReasons(rerun), modelStep);
        AssertNothingEmittedAgain(rerun, expectSource: modelStep == TrackingNames.Spec);
    }

    /// <summary>The output check of <see cref="AssertRerunIsCached"/>: every output step that adds source was Cached.</summary>
    public static void AssertNothingEmittedAgain(GeneratorRunResult rerun, bool expectSource)
    {
        // The source output reads the Spec step (through the step that gives each spec its final hint name,
        // RnnGenerator.RegisterSources); the diagnostics output is combined with the compilation on purpose
        // (RnnGenerator.Register), so it re-runs on a new compilation object but only re-reports.
        var emitting = rerun.TrackedOutputSteps.SelectMany(step => step.Value)
            .Where(output => output.Inputs.Any(input => ReadsSpec(input.Source)))
            .ToList();
        if (expectSource)
        {
            Assert.NotEmpty(emitting);
        }

        Assert.All(emitting.SelectMany(output => output.Outputs), output => Assert.True(
            output.Reason == IncrementalStepRunReason.Cached,
            $"An output step that adds source ran again with reason {output.Reason} on an identical compilation; it must be Cached."));
    }

    private static bool ReadsSpec(IncrementalGeneratorRunStep step) =>
        step.Name == TrackingNames.Spec || step.Inputs.Any(input => ReadsSpec(input.Source));

    /// <summary>The check of <see cref="AssertRerunIsCached"/> on the reasons each tracked step gave.</summary>
    public static void AssertCachedRerun(IReadOnlyDictionary<string, IncrementalStepRunReason[]> reasons, string modelStep = TrackingNames.Spec)
    {
        Assert.True(reasons.TryGetValue(modelStep, out IncrementalStepRunReason[]? modelReasons), $"The rerun has no {modelStep} step.");
        Assert.NotEmpty(modelReasons!);
        Assert.All(modelReasons!, reason => Assert.True(
            reason == IncrementalStepRunReason.Cached,
            $"Step {modelStep} ran again with reason {reason} on an identical compilation; it must be Cached."));
        foreach (string step in TrackedStepNames.Where(name => name != modelStep))
        {
            if (!reasons.TryGetValue(step, out IncrementalStepRunReason[]? stepReasons))
            {
                // A declaration with only mistakes has no spec to track; a compilation without KerasModel descriptions
                // gives the collected (empty) set of them no step on a rerun; a valid declaration (or one whose class
                // cannot take stand-ins) has no stub (StubTests checks the stub's own caching).
                Assert.True((step == TrackingNames.Spec && modelStep == TrackingNames.Diagnostics) || step == TrackingNames.KerasModelFiles || step == TrackingNames.Stub,
                    $"The rerun has no {step} step.");
                continue;
            }

            Assert.All(stepReasons!, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} ran again with reason {reason} on an identical compilation."));
        }
    }

    /// <summary>Parses <paramref name="source"/> with the harness's options, as a replacement tree at the same path.</summary>
    public static CSharpCompilation ReplaceSource(CSharpCompilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees[index];
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, (CSharpParseOptions)old.Options, old.FilePath));
    }
}
