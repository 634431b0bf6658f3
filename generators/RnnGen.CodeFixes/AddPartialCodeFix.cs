using System.Linq;
using System.Threading;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG001 (the model class is not partial) and RNNG002 (a type it is nested in is not partial): adds <c>partial</c>
/// to the class, or to every containing type that lacks it, as the messages say.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFix)), Shared]
public sealed class AddPartialCodeFix : RnnGenCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.ClassNotPartial"/> and <see cref="DiagnosticDescriptors.ContainingTypeNotPartial"/>.</summary>
    public AddPartialCodeFix()
        : base(DiagnosticDescriptors.ClassNotPartial, DiagnosticDescriptors.ContainingTypeNotPartial)
    {
    }

    /// <inheritdoc/>
    private protected override void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        // Both diagnostics underline the model class's name.
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax modelClass)
        {
            return;
        }

        bool containing = diagnostic.Id == DiagnosticDescriptors.ContainingTypeNotPartial.Id;
        string title = containing ? "Make the containing types partial" : $"Make '{modelClass.Identifier.ValueText}' partial";
        context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => AddPartialAsync(context.Document, root, modelClass, containing, cancellationToken), equivalenceKey: diagnostic.Id),
            diagnostic);
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
