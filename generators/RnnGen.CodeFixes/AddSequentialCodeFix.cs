using System.Linq;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG011 (several layer attributes without <c>[Sequential]</c>) and RNNG018 (a Dense or Dropout layer alone, which
/// needs a stack): adds <c>[Sequential]</c> on its own line before the first layer attribute, where the generator reads
/// the layer order from. The input shape stays where it is declared (a first recurrent layer's Timesteps and InputDim
/// serve the stack); where none is declared the generator then asks for it on <c>[Sequential]</c> (RNNG005, RNNG006),
/// since no value can be guessed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSequentialCodeFix)), Shared]
public sealed class AddSequentialCodeFix : RnnGenCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.LayersWithoutSequential"/> and <see cref="DiagnosticDescriptors.LayerNeedsSequential"/>.</summary>
    public AddSequentialCodeFix()
        : base(DiagnosticDescriptors.LayersWithoutSequential, DiagnosticDescriptors.LayerNeedsSequential)
    {
    }

    /// <inheritdoc/>
    private protected override void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        // Both diagnostics underline a layer attribute of the model.
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return;
        }

        var attributes = ModelDeclaration.Attributes(model, declaration, context.CancellationToken);
        if (attributes.Any(a => a.Kind == "Sequential")
            || attributes.FirstOrDefault(a => ModelDeclaration.IsLayer(a.Kind)).Attribute?.Parent is not AttributeListSyntax firstLayerList)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Add [Sequential]",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, AddSequential(model, declaration, firstLayerList)))),
                equivalenceKey: diagnostic.Id),
            diagnostic);
    }

    // [Sequential] as its own attribute list, indented like the list it precedes, on the line before it, with the
    // file's line ending; written RnnGen.Sequential where no 'using RnnGen;' brings the attribute into scope.
    private static TypeDeclarationSyntax AddSequential(SemanticModel model, TypeDeclarationSyntax declaration, AttributeListSyntax firstLayerList)
    {
        NameSyntax name = model.LookupNamespacesAndTypes(firstLayerList.SpanStart, name: "SequentialAttribute").Any()
            ? SyntaxFactory.IdentifierName("Sequential")
            : SyntaxFactory.ParseName("RnnGen.Sequential");
        SyntaxTrivia lineEnd = firstLayerList.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        SyntaxTriviaList indentation = SyntaxFactory.TriviaList(firstLayerList.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        AttributeListSyntax sequential = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithLeadingTrivia(firstLayerList.GetLeadingTrivia())
            .WithTrailingTrivia(lineEnd.IsKind(SyntaxKind.EndOfLineTrivia) ? lineEnd : SyntaxFactory.LineFeed);
        int index = declaration.AttributeLists.IndexOf(firstLayerList);
        SyntaxList<AttributeListSyntax> lists = declaration.AttributeLists
            .Replace(firstLayerList, firstLayerList.WithLeadingTrivia(indentation))
            .Insert(index, sequential);
        return declaration.WithAttributeLists(lists);
    }
}
