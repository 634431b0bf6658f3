using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG013 (a layer's declared Timesteps or InputDim contradicts what its input has): two fixes, as the message offers,
/// "remove InputDim from layer N" (the generator infers it) and "make them agree" (set it to the input's value).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ContradictingShapeCodeFix)), Shared]
public sealed class ContradictingShapeCodeFix : CodeFixProvider
{
    // The input's value is only in the message (a code fix sees no other argument of a generator's diagnostic):
    // "Layer {0} ({1}) declares {2} = {3}, but its input has {2} = {4} ({5}): ...". The tests check the message and
    // this fix on the same diagnostic, so a change of wording fails them rather than silently dropping the fix.
    private static readonly Regex s_inferred = new(@"declares (?<name>\w+) = -?\d+, but its input has \k<name> = (?<value>\d+) ", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ContradictingShape.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // The diagnostic underlines the declared value, the expression of a named attribute argument.
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: { } nameEquals } argument
                || argument.Parent is not AttributeArgumentListSyntax arguments)
            {
                continue;
            }

            string name = nameEquals.Name.Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Remove {name}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(arguments, Remove(arguments, argument)))),
                    equivalenceKey: diagnostic.Id + ".Remove"),
                diagnostic);

            Match match = s_inferred.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture));
            if (match.Success && match.Groups["name"].Value == name && int.TryParse(match.Groups["value"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int inferred))
            {
                ExpressionSyntax value = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(inferred));
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Set {name} = {inferred}",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, value.WithTriviaFrom(argument.Expression)))),
                        equivalenceKey: diagnostic.Id + ".Set"),
                    diagnostic);
            }
        }
    }

    // The argument and the separator before it (after it, for the first), so "(3, InputDim = 7)" becomes "(3)".
    private static AttributeArgumentListSyntax Remove(AttributeArgumentListSyntax arguments, AttributeArgumentSyntax argument)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> rest = arguments.Arguments.Remove(argument);
        return arguments.WithArguments(rest);
    }
}
