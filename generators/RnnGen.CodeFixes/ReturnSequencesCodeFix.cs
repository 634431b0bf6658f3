using System.Collections.Generic;
using System.Threading;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG012 (a recurrent layer after a layer that returns no sequence): sets <c>ReturnSequences = true</c> on the layer
/// the message names, the last recurrent layer before the underlined one (only a recurrent layer drops the time axis;
/// Dense and Dropout in between keep what they get).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnSequencesCodeFix)), Shared]
public sealed class ReturnSequencesCodeFix : RnnGenCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.RecurrentLayerWithoutSequence"/>.</summary>
    public ReturnSequencesCodeFix()
        : base(DiagnosticDescriptors.RecurrentLayerWithoutSequence)
    {
    }

    /// <inheritdoc/>
    private protected override void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        // The diagnostic underlines the attribute of the layer that needs a sequence.
        AttributeSyntax? needsSequence = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as AttributeSyntax
            ?? root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<AttributeSyntax>();
        if (needsSequence?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
            || ProducerOf(model, declaration, needsSequence, context.CancellationToken) is not { } producer)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Set ReturnSequences = true on layer {producer.Number} ({producer.Kind})",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(producer.Attribute,
                    ModelDeclaration.WithNamedArgument(producer.Attribute, "ReturnSequences", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))))),
                equivalenceKey: diagnostic.Id),
            diagnostic);
    }

    // The last recurrent layer before `consumer`, with its 1-based number among the layers (the messages' numbering).
    private static (AttributeSyntax Attribute, string Kind, int Number)? ProducerOf(SemanticModel model, TypeDeclarationSyntax declaration, AttributeSyntax consumer, CancellationToken cancellationToken)
    {
        (AttributeSyntax, string, int)? producer = null;
        int number = 0;
        foreach ((AttributeSyntax attribute, string kind) in ModelDeclaration.Attributes(model, declaration, cancellationToken))
        {
            if (attribute == consumer)
            {
                return producer;
            }

            if (!ModelDeclaration.IsLayer(kind))
            {
                continue;
            }

            number++;
            if (ModelDeclaration.IsRecurrent(kind))
            {
                producer = (attribute, kind, number);
            }
        }

        return null;
    }
}
