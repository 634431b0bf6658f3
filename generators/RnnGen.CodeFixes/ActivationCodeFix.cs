using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Shared;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG007 (unknown activation): replaces the name with the one the message's "Did you mean" offers. The suggestion
/// is computed by the generator's own rule (NameSuggester over ActivationCatalog), so the lightbulb and the message
/// always agree; without a suggestion, or when the name is not a string literal, there is no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ActivationCodeFix)), Shared]
public sealed class ActivationCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownActivation.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // The diagnostic underlines the argument's value. Only a literal is rewritten: a named constant may be used
            // elsewhere, and replacing its use here by a literal would hide the misspelling rather than fix it.
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax written
                || model.GetConstantValue(written, context.CancellationToken) is not { HasValue: true, Value: string name }
                || NameSuggester.Nearest(name, ActivationCatalog.Names) is not { } nearest)
            {
                continue;
            }

            LiteralExpressionSyntax replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(nearest));
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use '{nearest}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(written, replacement.WithTriviaFrom(written)))),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }
}
