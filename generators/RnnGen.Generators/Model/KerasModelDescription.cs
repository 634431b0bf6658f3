using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>
/// Reads the description <c>rnngen import</c> writes for a <c>KerasModel</c> item (the format is documented on the
/// tool's ModelDescription): a header, the source file name, error lines, and the declaration <c>rnngen inspect</c>
/// prints, whose attributes become <see cref="AttributeInput"/>s as if they were written on the class.
/// </summary>
internal sealed class KerasModelDescription
{
    private const string Header = "rnngen-keras-model 1";

    // The layer attributes a declaration may hold, by name.
    private static readonly Dictionary<string, AttributeKind> s_kinds = new(StringComparer.Ordinal)
    {
        ["Sequential"] = AttributeKind.Sequential,
        ["SimpleRnn"] = AttributeKind.SimpleRnn,
        ["Lstm"] = AttributeKind.Lstm,
        ["Gru"] = AttributeKind.Gru,
        ["Dense"] = AttributeKind.Dense,
        ["Dropout"] = AttributeKind.Dropout,
        ["LayerNormalization"] = AttributeKind.LayerNormalization,
        ["BatchNormalization"] = AttributeKind.BatchNormalization,
        ["Normalization"] = AttributeKind.Normalization,
        ["Activation"] = AttributeKind.Activation,
        ["Rescaling"] = AttributeKind.Rescaling,
        ["Masking"] = AttributeKind.Masking,
        ["GlobalAveragePooling1D"] = AttributeKind.GlobalAveragePooling1D,
        ["GlobalMaxPooling1D"] = AttributeKind.GlobalMaxPooling1D,
        ["Embedding"] = AttributeKind.Embedding,
        ["Conv1D"] = AttributeKind.Conv1D,
        ["MaxPooling1D"] = AttributeKind.MaxPooling1D,
        ["AveragePooling1D"] = AttributeKind.AveragePooling1D,
        ["Flatten"] = AttributeKind.Flatten,
        ["Reshape"] = AttributeKind.Reshape,
        ["RepeatVector"] = AttributeKind.RepeatVector,
    };

    // The names of each attribute's constructor parameters, as Extract names positional arguments ([Lstm(4)] is
    // units = 4); "units" when not listed; the normalization attributes have none.
    private static readonly Dictionary<AttributeKind, string[]> s_constructorParameters = new()
    {
        [AttributeKind.Dropout] = new[] { "rate" },
        [AttributeKind.Activation] = new[] { "activation" },
        [AttributeKind.Rescaling] = new[] { "scale" },
        [AttributeKind.Embedding] = new[] { "inputDim", "outputDim" },
        [AttributeKind.Conv1D] = new[] { "filters", "kernelSize" },
        [AttributeKind.MaxPooling1D] = new[] { "poolSize" },
        [AttributeKind.AveragePooling1D] = new[] { "poolSize" },
        [AttributeKind.Reshape] = new[] { "targetTimesteps", "targetFeatures" },
        [AttributeKind.RepeatVector] = new[] { "n" },
    };

    // Arguments whose attribute property is a double: the declaration writes 0.25 and 1 alike.
    private static readonly HashSet<string> s_doubles = new(StringComparer.Ordinal) { "rate", "Dropout", "RecurrentDropout" };

    private KerasModelDescription()
    {
    }

    /// <summary>Why the text is not a description this generator reads, or null.</summary>
    public string? Malformed { get; private set; }

    /// <summary>The build's errors: kind (<c>unreadable</c>, <c>unsupported</c>, <c>weights</c>) and message.</summary>
    public List<(string Kind, string Message)> Errors { get; } = new();

    /// <summary>The declaration's C# text, or null.</summary>
    public string? Declaration { get; private set; }

    public static KerasModelDescription Parse(string text)
    {
        var description = new KerasModelDescription();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != Header)
        {
            description.Malformed = "its first line is not '" + Header + "'";
            return description;
        }

        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line == "declaration")
            {
                description.Declaration = string.Join("\n", lines, i + 1, lines.Length - i - 1);
                break;
            }

            if (line.StartsWith("error ", StringComparison.Ordinal))
            {
                string rest = line.Substring("error ".Length);
                int space = rest.IndexOf(' ');
                description.Errors.Add(space < 0 ? (rest, string.Empty) : (rest.Substring(0, space), rest.Substring(space + 1)));
            }
        }

        if (description.Declaration is null && description.Errors.Count == 0)
        {
            description.Malformed = "it has neither a declaration nor an error";
        }

        return description;
    }

    /// <summary>
    /// The declaration's attributes in source order, every location <paramref name="location"/> (the attribute's path).
    /// <paramref name="timesteps"/>, when given, replaces the file's sequence length; <paramref name="timestepsOpen"/>
    /// says that neither gives one. Null, with <paramref name="problem"/>, when the text holds no usable declaration.
    /// </summary>
    public List<AttributeInput>? Attributes(LocationInfo? location, int? timesteps, out string? problem, out bool timestepsOpen)
    {
        problem = null;
        timestepsOpen = false;
        TypeDeclarationSyntax? type = Declaration is null ? null
            : SyntaxFactory.ParseCompilationUnit(Declaration).DescendantNodes().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        if (type is null)
        {
            problem = "no class declaration";
            return null;
        }

        var attributes = new List<AttributeInput>();
        foreach (AttributeSyntax attribute in type.AttributeLists.SelectMany(l => l.Attributes))
        {
            string name = attribute.Name.ToString();
            if (!s_kinds.TryGetValue(name, out AttributeKind kind))
            {
                problem = "an unknown attribute [" + name + "]";
                return null;
            }

            string[] constructorParameters = s_constructorParameters.TryGetValue(kind, out string[]? parameters) ? parameters : new[] { "units" };
            if (kind == AttributeKind.Reshape && attribute.ArgumentList?.Arguments.Count(a => a.NameEquals is null) == 1)
            {
                constructorParameters = new[] { "targetFeatures" }; // Reshape(targetFeatures): a vector target
            }

            var arguments = new List<ArgumentInput>();
            int positional = 0;
            foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
            {
                string argumentName = argument.NameEquals?.Name.Identifier.ValueText
                    ?? constructorParameters[System.Math.Min(positional++, constructorParameters.Length - 1)];
                if (argumentName == "Timesteps" && timesteps is int given)
                {
                    arguments.Add(new ArgumentInput(argumentName, given, HasError: false, location));
                    continue;
                }

                if (argument.Expression is IdentifierNameSyntax)
                {
                    // A placeholder (TIMESTEPS): the file does not give this value.
                    timestepsOpen |= argumentName == "Timesteps";
                    if (argumentName != "Timesteps")
                    {
                        problem = "no value for " + argumentName;
                        return null;
                    }

                    continue;
                }

                if (!TryValue(argument.Expression, out object? value))
                {
                    problem = "the value of " + argumentName + " is not a constant: " + argument.Expression;
                    return null;
                }

                if (s_doubles.Contains(argumentName) && value is int whole)
                {
                    value = (double)whole;
                }

                arguments.Add(new ArgumentInput(argumentName, value, HasError: false, location));
            }

            attributes.Add(new AttributeInput(kind, location, arguments.ToEquatableArray()));
        }

        if (attributes.Count == 0)
        {
            problem = "a declaration without layers";
            return null;
        }

        return attributes;
    }

    private static bool TryValue(ExpressionSyntax expression, out object? value)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal:
                value = literal.Token.Value;
                return literal.Kind() is SyntaxKind.NumericLiteralExpression or SyntaxKind.StringLiteralExpression
                    or SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression;
            case PrefixUnaryExpressionSyntax { OperatorToken.ValueText: "-" } negative when TryValue(negative.Operand, out object? operand):
                value = operand switch
                {
                    int i => -i,
                    float f => -f,
                    double d => -d,
                    _ => null,
                };
                return value is not null;
            case MemberAccessExpressionSyntax { Expression: PredefinedTypeSyntax { Keyword.ValueText: "float" } } special
                when special.Name.Identifier.ValueText is "NaN" or "PositiveInfinity" or "NegativeInfinity":
                // A Masking's mask value may be any float (the declaration writes these by name).
                value = special.Name.Identifier.ValueText == "NaN" ? float.NaN
                    : special.Name.Identifier.ValueText == "PositiveInfinity" ? float.PositiveInfinity
                    : float.NegativeInfinity;
                return true;
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "MergeMode" } } member
                when Enum.IsDefined(typeof(MergeMode), member.Name.Identifier.ValueText):
                // Enums reach Parse as their int value, as the compiler gives an attribute's enum argument.
                value = (int)(MergeMode)Enum.Parse(typeof(MergeMode), member.Name.Identifier.ValueText);
                return true;
            default:
                value = null;
                return false;
        }
    }
}
