using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// Applies a code fix the way the IDE does (Roslyn's own code-fix tests work the same way): the generator reports its
/// diagnostics on the source, the provider registers its actions for one of them in a workspace document, and the
/// chosen action's change (after the formatting and simplification passes every code action gets) is the fixed text.
/// </summary>
internal static class CodeFixHarness
{
    /// <summary>The titles of the actions <paramref name="provider"/> offers for the one <paramref name="id"/> diagnostic of <paramref name="source"/>.</summary>
    public static async Task<IReadOnlyList<string>> Titles(CodeFixProvider provider, string source, string id) =>
        (await Actions(provider, source, id)).Actions.Select(a => a.Title).ToList();

    /// <summary>The source after applying the action titled <paramref name="title"/> (or the only action).</summary>
    public static async Task<string> Apply(CodeFixProvider provider, string source, string id, string? title = null)
    {
        (Document document, List<CodeAction> actions) = await Actions(provider, source, id);
        CodeAction action = title is null ? Assert.Single(actions) : Assert.Single(actions, a => a.Title == title);
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    private static async Task<(Document Document, List<CodeAction> Actions)> Actions(CodeFixProvider provider, string source, string id)
    {
        Assert.Contains(id, provider.FixableDiagnosticIds);
        GeneratorRun run = CompilationHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);

        var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Create(), "Demo", "Demo", LanguageNames.CSharp,
            compilationOptions: run.Input.Options, parseOptions: CompilationHarness.ParseOptions, metadataReferences: run.Input.References));
        Document document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return (document, actions);
    }
}
