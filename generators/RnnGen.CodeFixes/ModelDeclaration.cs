using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace RnnGen.CodeFixes;

/// <summary>
/// Reading a model declaration's RnnGen attributes the way the generator does: by the attribute class the compiler
/// binds (<c>[Lstm]</c>, <c>[LstmAttribute]</c> and <c>[RnnGen.Lstm]</c> are the same), in source order.
/// </summary>
internal static class ModelDeclaration
{
    /// <summary>The layer attributes: <c>[Sequential]</c> is the model's, not a layer.</summary>
    private static readonly HashSet<string> s_layers = new() { "SimpleRnn", "Lstm", "Gru", "Dense", "Dropout" };

    /// <summary>The recurrent layers: the only ones that take or drop the time axis (ReturnSequences).</summary>
    private static readonly HashSet<string> s_recurrent = new() { "SimpleRnn", "Lstm", "Gru" };

    /// <summary>"Lstm" for an attribute bound to <c>RnnGen.LstmAttribute</c>; null for any other attribute.</summary>
    public static string? Kind(SemanticModel model, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? type = (model.GetSymbolInfo(attribute, cancellationToken).Symbol as IMethodSymbol)?.ContainingType;
        const string suffix = "Attribute";
        return type is { ContainingNamespace: { Name: "RnnGen", ContainingNamespace.IsGlobalNamespace: true } } && type.Name.EndsWith(suffix)
            ? type.Name.Substring(0, type.Name.Length - suffix.Length)
            : null;
    }

    public static bool IsLayer(string? kind) => kind is not null && s_layers.Contains(kind);

    public static bool IsRecurrent(string? kind) => kind is not null && s_recurrent.Contains(kind);

    /// <summary>Every RnnGen attribute on the declaration, in source order, with its kind.</summary>
    public static List<(AttributeSyntax Attribute, string Kind)> Attributes(SemanticModel model, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var found = new List<(AttributeSyntax, string)>();
        foreach (AttributeSyntax attribute in declaration.AttributeLists.SelectMany(list => list.Attributes))
        {
            if (Kind(model, attribute, cancellationToken) is { } kind)
            {
                found.Add((attribute, kind));
            }
        }

        return found;
    }

    /// <summary>
    /// The attribute with <paramref name="name"/> = <paramref name="value"/>: the existing named argument's value
    /// replaced, or the argument added at the end.
    /// </summary>
    public static AttributeSyntax WithNamedArgument(AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        AttributeArgumentSyntax? existing = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing, existing.WithExpression(value.WithTriviaFrom(existing.Expression)));
        }

        AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name)), nameColon: null, value);
        AttributeArgumentListSyntax arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        return attribute.WithArgumentList(arguments.AddArguments(added));
    }
}
