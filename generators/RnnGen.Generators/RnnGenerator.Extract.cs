using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    /// <summary>
    /// Reads the class and all of its RnnGen attributes into plain values. Returns <see langword="null"/> when another
    /// pipeline owns the class (see <see cref="Initialize"/>), so each class yields exactly one model.
    /// </summary>
    internal static ModelInput? Extract(GeneratorAttributeSyntaxContext context, AttributeKind pipeline, CancellationToken cancellationToken)
    {
        // Our attributes are valid on classes only (AttributeUsage): on a struct, record struct or interface the compiler
        // already reports CS0592, and generating a class-shaped partial for it would only add errors.
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return null;
        }

        var ours = new List<(AttributeKind Kind, AttributeData Data, AttributeSyntax? Syntax)>();
        foreach (AttributeData data in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsKerasModelAttribute(data.AttributeClass))
            {
                return null; // the [KerasModel] pipeline owns the class, and reports the layer attributes beside it
            }

            if (KindOf(data.AttributeClass) is AttributeKind kind)
            {
                ours.Add((kind, data, data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax));
            }
        }

        // Source order is layer order. Attributes on several partial declarations have no natural order; order them
        // by file then position so the result is at least deterministic (RNNG016 reports it).
        ours = ours
            .OrderBy(a => a.Syntax?.SyntaxTree.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(a => a.Syntax?.SpanStart ?? 0)
            .ToList();
        if (ours.Count == 0)
        {
            return null;
        }

        // An attribute whose constructor did not bind ([Lstm], [Lstm("3")]) has no arguments at all, not even the ones
        // written correctly: the compiler reports the error (CS7036, CS1503), and any RNNG message about its arguments
        // would be wrong ("Timesteps is missing" when it is not). Nothing is generated until it binds.
        if (ours.Any(a => a.Data.AttributeConstructor is null))
        {
            return null;
        }

        var owner = ours.FirstOrDefault(a => a.Kind == AttributeKind.Sequential);
        if (owner.Data is null)
        {
            owner = ours[0];
        }

        if (owner.Kind != pipeline
            || owner.Syntax is null
            || owner.Syntax.SyntaxTree != declaration.SyntaxTree
            || !declaration.Span.Contains(owner.Syntax.Span))
        {
            return null;
        }

        var declarations = new HashSet<SyntaxNode>();
        foreach (var attribute in ours)
        {
            if (attribute.Syntax?.Parent?.Parent is SyntaxNode holder)
            {
                declarations.Add(holder);
            }
        }

        var attributes = ours
            .Select(a => new AttributeInput(a.Kind, LocationInfo.From(a.Syntax), ReadArguments(a.Data, a.Syntax)))
            .ToEquatableArray();

        return new ModelInput(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes: ContainingTypes(type),
            ClassName: type.Name,
            DeclarationKeyword: type.IsRecord ? "record" : "class",
            IsPartial: type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)),
            UnsupportedReason: UnsupportedReason(type) ?? BaseTypeReason(type, context.SemanticModel.Compilation),
            NonPartialContainingType: FirstNonPartialContainingType(type, cancellationToken),
            AttributesOnSeveralDeclarations: declarations.Count > 1,
            HasPrimaryConstructor: type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }),
            ClassLocation: LocationInfo.From(declaration.Identifier.GetLocation()),
            Attributes: attributes,
            Members: UserMembers(type, cancellationToken));
    }

    /// <summary>The attribute's kind when it is one of RnnGen's (in namespace <c>RnnGen</c>); null for any other.</summary>
    internal static AttributeKind? KindOf(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null
            || attributeClass.TypeKind == TypeKind.Error
            || attributeClass.ContainingNamespace is not { Name: "RnnGen", ContainingNamespace.IsGlobalNamespace: true })
        {
            return null;
        }

        return attributeClass.Name switch
        {
            "SequentialAttribute" => AttributeKind.Sequential,
            "SimpleRnnAttribute" => AttributeKind.SimpleRnn,
            "LstmAttribute" => AttributeKind.Lstm,
            "GruAttribute" => AttributeKind.Gru,
            "DenseAttribute" => AttributeKind.Dense,
            "DropoutAttribute" => AttributeKind.Dropout,
            "LayerNormalizationAttribute" => AttributeKind.LayerNormalization,
            "BatchNormalizationAttribute" => AttributeKind.BatchNormalization,
            "NormalizationAttribute" => AttributeKind.Normalization,
            "ActivationAttribute" => AttributeKind.Activation,
            "RescalingAttribute" => AttributeKind.Rescaling,
            "MaskingAttribute" => AttributeKind.Masking,
            "EmbeddingAttribute" => AttributeKind.Embedding,
            "GlobalAveragePooling1DAttribute" => AttributeKind.GlobalAveragePooling1D,
            "GlobalMaxPooling1DAttribute" => AttributeKind.GlobalMaxPooling1D,
            "Conv1DAttribute" => AttributeKind.Conv1D,
            "MaxPooling1DAttribute" => AttributeKind.MaxPooling1D,
            "AveragePooling1DAttribute" => AttributeKind.AveragePooling1D,
            "FlattenAttribute" => AttributeKind.Flatten,
            "ReshapeAttribute" => AttributeKind.Reshape,
            "RepeatVectorAttribute" => AttributeKind.RepeatVector,
            _ => null,
        };
    }

    private static EquatableArray<ArgumentInput> ReadArguments(AttributeData data, AttributeSyntax? syntax)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> written = syntax?.ArgumentList?.Arguments ?? default;
        var positional = written.Where(a => a.NameEquals is null).ToList();
        var arguments = new List<ArgumentInput>();

        if (data.AttributeConstructor is IMethodSymbol constructor)
        {
            for (int i = 0; i < constructor.Parameters.Length && i < data.ConstructorArguments.Length; i++)
            {
                string name = constructor.Parameters[i].Name;
                AttributeArgumentSyntax? argument =
                    positional.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)
                    ?? (i < positional.Count && positional[i].NameColon is null ? positional[i] : null);
                arguments.Add(ToArgument(name, data.ConstructorArguments[i], argument));
            }
        }

        foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
        {
            AttributeArgumentSyntax? argument = written.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
            arguments.Add(ToArgument(named.Key, named.Value, argument));
        }

        return arguments.ToEquatableArray();
    }

    private static ArgumentInput ToArgument(string name, TypedConstant constant, AttributeArgumentSyntax? syntax)
    {
        LocationInfo? location = LocationInfo.From(syntax?.Expression ?? (SyntaxNode?)syntax);
        if (constant.Kind == TypedConstantKind.Error || constant.Kind == TypedConstantKind.Array)
        {
            return new ArgumentInput(name, null, HasError: true, location);
        }

        return new ArgumentInput(name, constant.Value, HasError: false, location);
    }

    private static EquatableArray<ContainingType> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string keyword = outer.TypeKind switch
            {
                TypeKind.Struct => outer.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => outer.IsRecord ? "record" : "class",
            };
            chain.Insert(0, new ContainingType(keyword, outer.Name));
        }

        return chain.ToEquatableArray();
    }

    private static string? UnsupportedReason(INamedTypeSymbol type)
    {
        if (type.IsStatic)
        {
            return "static";
        }

        if (type.IsRecord)
        {
            // A record's `with` copies fields shallowly: the copy would share the original's weights and working memory.
            return "a record (a 'with' copy would share the model's weights and working memory)";
        }

        if (type.IsFileLocal)
        {
            return "file-local (the generated part, in another file, cannot belong to it)";
        }

        // IsGenericType is also true for a non-generic type nested in a generic one; its own type parameters tell them apart.
        if (type.TypeParameters.Length > 0)
        {
            return "generic";
        }

        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
            {
                return "nested in the generic type '" + outer.Name + "'";
            }
        }

        return null;
    }

    private static string? FirstNonPartialContainingType(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool partial = outer.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                return outer.Name;
            }
        }

        return null;
    }
}
