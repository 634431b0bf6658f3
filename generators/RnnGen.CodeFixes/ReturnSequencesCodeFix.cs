using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
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
/// RNNG012 (a recurrent layer after a layer that returns no sequence): sets <c>ReturnSequences = true</c> on the layer
/// the message names, the last recurrent layer before the underlined one (only a recurrent layer drops the time axis;
/// Dense and Dropout in between keep what they get).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnSequencesCodeFix)), Shared]
public sealed class ReturnSequencesCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RecurrentLayerWithoutSequence.Id);

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
            // The diagnostic underlines the attribute of the layer that needs a sequence.
            AttributeSyntax? needsSequence = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as AttributeSyntax
                ?? root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<AttributeSyntax>();
            if (needsSequence?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
                || ProducerOf(model, declaration, needsSequence, context.CancellationToken) is not { } producer)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Set ReturnSequences = true on layer {producer.Number} ({producer.Kind})",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(producer.Attribute,
                        ModelDeclaration.WithNamedArgument(producer.Attribute, "ReturnSequences", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))))),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
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
