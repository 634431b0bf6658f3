using System.Globalization;
using System.Text.RegularExpressions;

namespace RnnGen.CodeFixes;

/// <summary>
/// RNNG013 (a layer's declared Timesteps or InputDim contradicts what its input has): two fixes, as the message offers,
/// "remove InputDim from layer N" (the generator infers it) and "make them agree" (set it to the input's value).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ContradictingShapeCodeFix)), Shared]
public sealed class ContradictingShapeCodeFix : RnnGenCodeFix
{
    // The input's value is only in the message (a code fix sees no other argument of a generator's diagnostic):
    // "Layer {0} ({1}) declares {2} = {3}, but its input has {2} = {4} ({5}): ...". The tests check the message and
    // this fix on the same diagnostic, so a change of wording fails them rather than silently dropping the fix.
    private static readonly Regex s_inferred = new(@"declares (?<name>\w+) = -?\d+, but its input has \k<name> = (?<value>\d+) ", RegexOptions.CultureInvariant);

    /// <summary>Fixes <see cref="DiagnosticDescriptors.ContradictingShape"/>.</summary>
    public ContradictingShapeCodeFix()
        : base(DiagnosticDescriptors.ContradictingShape)
    {
    }

    /// <inheritdoc/>
    private protected override void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        // The diagnostic underlines the declared value, the expression of a named attribute argument.
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: { } nameEquals } argument
            || argument.Parent is not AttributeArgumentListSyntax arguments)
        {
            return;
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

    // The argument and the separator before it (after it, for the first), so "(3, InputDim = 7)" becomes "(3)".
    private static AttributeArgumentListSyntax Remove(AttributeArgumentListSyntax arguments, AttributeArgumentSyntax argument)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> rest = arguments.Arguments.Remove(argument);
        return arguments.WithArguments(rest);
    }
}
