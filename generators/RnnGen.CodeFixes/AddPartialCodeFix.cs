using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG001 (the model class is not partial) and RNNG002 (a type it is nested in is not partial): adds <c>partial</c>
/// to the class, or to every containing type that lacks it, as the messages say.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFix)), Shared]
public sealed class AddPartialCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ClassNotPartial.Id, DiagnosticDescriptors.ContainingTypeNotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // Both diagnostics underline the model class's name.
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax model)
            {
                continue;
            }

            bool containing = diagnostic.Id == DiagnosticDescriptors.ContainingTypeNotPartial.Id;
            string title = containing ? "Make the containing types partial" : $"Make '{model.Identifier.ValueText}' partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => AddPartialAsync(context.Document, root, model, containing, cancellationToken), equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }

    private static Task<Document> AddPartialAsync(Document document, SyntaxNode root, TypeDeclarationSyntax model, bool containing, CancellationToken cancellationToken)
    {
        TypeDeclarationSyntax[] targets = containing
            ? model.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !IsPartial(t)).ToArray()
            : new[] { model };
        SyntaxNode fixedRoot = root.ReplaceNodes(targets, (original, rewritten) => AddPartial(rewritten));
        return Task.FromResult(document.WithSyntaxRoot(fixedRoot));
    }

    private static bool IsPartial(TypeDeclarationSyntax type) => type.Modifiers.Any(SyntaxKind.PartialKeyword);

    // C# wants 'partial' right before 'class', so it goes last among the modifiers; without modifiers it takes over
    // the keyword's leading trivia (the line break and indentation after the attributes).
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (IsPartial(type))
        {
            return type;
        }

        SyntaxToken partialKeyword = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count == 0)
        {
            SyntaxToken keyword = type.Keyword;
            return type
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partialKeyword.WithLeadingTrivia(keyword.LeadingTrivia)));
        }

        return type.WithModifiers(type.Modifiers.Add(partialKeyword));
    }
}
