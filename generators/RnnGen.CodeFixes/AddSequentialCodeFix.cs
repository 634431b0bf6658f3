using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG011 (several layer attributes without <c>[Sequential]</c>) and RNNG018 (a Dense or Dropout layer alone, which
/// needs a stack): adds <c>[Sequential]</c> on its own line before the first layer attribute, where the generator reads
/// the layer order from. The input shape stays where it is declared (a first recurrent layer's Timesteps and InputDim
/// serve the stack); where none is declared the generator then asks for it on <c>[Sequential]</c> (RNNG005, RNNG006),
/// since no value can be guessed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSequentialCodeFix)), Shared]
public sealed class AddSequentialCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LayersWithoutSequential.Id, DiagnosticDescriptors.LayerNeedsSequential.Id);

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
            // Both diagnostics underline a layer attribute of the model.
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
            {
                continue;
            }

            var attributes = ModelDeclaration.Attributes(model, declaration, context.CancellationToken);
            if (attributes.Any(a => a.Kind == "Sequential")
                || attributes.FirstOrDefault(a => ModelDeclaration.IsLayer(a.Kind)).Attribute?.Parent is not AttributeListSyntax firstLayerList)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add [Sequential]",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, AddSequential(model, declaration, firstLayerList)))),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
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
