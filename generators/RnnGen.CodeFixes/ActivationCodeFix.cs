using RnnGen.Shared;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG007 (unknown activation): replaces the name with the one the message's "Did you mean" offers. The suggestion
/// is computed by the generator's own rule (NameSuggester over ActivationCatalog), so the lightbulb and the message
/// always agree; without a suggestion, or when the name is not a string literal, there is no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ActivationCodeFix)), Shared]
public sealed class ActivationCodeFix : RnnGenCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.UnknownActivation"/>.</summary>
    public ActivationCodeFix()
        : base(DiagnosticDescriptors.UnknownActivation)
    {
    }

    /// <inheritdoc/>
    private protected override void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        // The diagnostic underlines the argument's value. Only a literal is rewritten: a named constant may be used
        // elsewhere, and replacing its use here by a literal would hide the misspelling rather than fix it.
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax written
            || model.GetConstantValue(written, context.CancellationToken) is not { HasValue: true, Value: string name }
            || NameSuggester.Nearest(name, ActivationCatalog.Names) is not { } nearest)
        {
            return;
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
