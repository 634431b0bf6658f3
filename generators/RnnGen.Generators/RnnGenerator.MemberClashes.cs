using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

/// <summary>
/// A member the user declared in the model class, as plain values: the name the compiler checks for duplicates (a
/// constructor is <c>.ctor</c>, an explicit interface implementation <c>IRnnModel.Info</c>), whether it is a method
/// (methods of one name may overload), its signature in the form C# compares (see
/// <see cref="RnnGenerator.MemberClashes"/>), and how a message names it.
/// </summary>
/// <remarks><see cref="IsInherited"/>: declared in a base class, where the generated member would hide it (C# CS0108).</remarks>
internal sealed record UserMember(string Name, bool IsMethod, string Signature, string Kind, string Display, LocationInfo? Location, bool IsInherited = false);

public sealed partial class RnnGenerator
{
    /// <summary>
    /// The members the user declared in <paramref name="type"/>, on every partial declaration. The generator's input
    /// compilation never holds the generated part, so none of these are generated ones.
    /// </summary>
    internal static EquatableArray<UserMember> UserMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var members = new List<UserMember>();
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared
                || member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise })
            {
                continue;
            }

            Location? location = member.Locations.FirstOrDefault(l => l.IsInSource);
            if (location is null)
            {
                continue;
            }

            string name = ExplicitInterfaceName(member, cancellationToken) ?? member switch
            {
                IMethodSymbol { MethodKind: MethodKind.Constructor } => ".ctor",
                IMethodSymbol { MethodKind: MethodKind.StaticConstructor } => ".cctor",
                IPropertySymbol { IsIndexer: true } => "this[]",
                _ => member.Name,
            };
            string display = member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } ? type.Name : member.Name;
            string signature = string.Empty;
            if (member is IMethodSymbol method)
            {
                signature = Signature(method.TypeParameters.Length, method.Parameters.Select(p => (p.RefKind != RefKind.None, CanonicalType(p.Type))));
                display += "(" + string.Join(", ", method.Parameters.Select(p => RefKindText(p.RefKind) + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")";
            }
            else if (member is IPropertySymbol { IsIndexer: true } indexer)
            {
                signature = Signature(0, indexer.Parameters.Select(p => (p.RefKind != RefKind.None, CanonicalType(p.Type))));
            }

            members.Add(new UserMember(name, member is IMethodSymbol, signature, KindOf(member), display, LocationInfo.From(location)));
        }

        // Members of the base classes that the generated ones would hide (a warning inside the generated file, an error
        // under TreatWarningsAsErrors). Reported on the model class: the base class may not be the user's to change.
        LocationInfo? classLocation = LocationInfo.From(type.Locations.FirstOrDefault(l => l.IsInSource));
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            foreach (ISymbol member in baseType.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsImplicitlyDeclared || member.DeclaredAccessibility == Accessibility.Private || member.Name.IndexOf('.') >= 0
                    || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary })
                {
                    continue;
                }

                string signature = member is IMethodSymbol inherited
                    ? Signature(inherited.TypeParameters.Length, inherited.Parameters.Select(p => (p.RefKind != RefKind.None, CanonicalType(p.Type))))
                    : string.Empty;
                members.Add(new UserMember(member.Name, member is IMethodSymbol, signature, "inherited " + KindOf(member),
                    baseType.Name + "." + member.Name, classLocation, IsInherited: true));
            }
        }

        return members.ToEquatableArray();
    }

    /// <summary>
    /// Why the generated constructors could not be compiled in <paramref name="type"/>: they call the base class's
    /// parameterless constructor, so one must exist and be accessible. Null when they can.
    /// </summary>
    internal static string? BaseTypeReason(INamedTypeSymbol type, Compilation compilation)
    {
        INamedTypeSymbol? baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.TypeKind == TypeKind.Error)
        {
            return null;
        }

        bool callable = baseType.InstanceConstructors.Any(c =>
            c.Parameters.All(p => p.IsOptional || p.IsParams) && compilation.IsSymbolAccessibleWithin(c, type));
        return callable ? null : $"derived from '{baseType.Name}', which has no accessible parameterless constructor for the generated constructors to call";
    }

    /// <summary>
    /// A C# signature as the compiler compares members for duplicates (CS0111, CS0663): the number of type parameters and
    /// the parameter types, where method type parameters count by position and ref, in and out are one kind.
    /// </summary>
    private static string Signature(int arity, IEnumerable<(bool IsByRef, string Type)> parameters) =>
        "`" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture) + "(" +
        string.Join(",", parameters.Select(p => (p.IsByRef ? "ref " : string.Empty) + p.Type)) + ")";

    // Types by their simple names: the user's side is read before the generated nested types exist (they are error
    // types there, named as written), and the generated side is syntax. Dropping namespaces can only make two different
    // types look alike, which reports a clash the compiler would not; it never hides one.
    private static string CanonicalType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => CanonicalType(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]",
        IPointerTypeSymbol pointer => CanonicalType(pointer.PointedAtType) + "*",
        ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } parameter => "!!" + parameter.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture),
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => CanonicalType(nullable.TypeArguments[0]),
        INamedTypeSymbol { SpecialType: not SpecialType.None } special => special.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
        INamedTypeSymbol { IsGenericType: true } generic => generic.Name + "<" + string.Join(",", generic.TypeArguments.Select(CanonicalType)) + ">",
        _ => type.Name,
    };

    private static string CanonicalType(TypeSyntax type, IReadOnlyList<string> methodTypeParameters) => type switch
    {
        ArrayTypeSyntax array => CanonicalType(array.ElementType, methodTypeParameters)
            + string.Concat(array.RankSpecifiers.Select(r => "[" + new string(',', r.Rank - 1) + "]")),
        PointerTypeSyntax pointer => CanonicalType(pointer.ElementType, methodTypeParameters) + "*",
        NullableTypeSyntax nullable => CanonicalType(nullable.ElementType, methodTypeParameters),
        RefTypeSyntax reference => CanonicalType(reference.Type, methodTypeParameters),
        PredefinedTypeSyntax predefined => predefined.Keyword.ValueText,
        QualifiedNameSyntax qualified => CanonicalType(qualified.Right, methodTypeParameters),
        AliasQualifiedNameSyntax alias => CanonicalType(alias.Name, methodTypeParameters),
        GenericNameSyntax generic => generic.Identifier.ValueText + "<" + string.Join(",", generic.TypeArgumentList.Arguments.Select(a => CanonicalType(a, methodTypeParameters))) + ">",
        IdentifierNameSyntax identifier => methodTypeParameters.Contains(identifier.Identifier.ValueText)
            ? "!!" + IndexOf(methodTypeParameters, identifier.Identifier.ValueText).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : identifier.Identifier.ValueText,
        _ => type.ToString(),
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    private static string KindOf(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => "constructor",
        IMethodSymbol => "method",
        IFieldSymbol { IsConst: true } => "constant",
        IFieldSymbol => "field",
        IPropertySymbol { IsIndexer: true } => "indexer",
        IPropertySymbol => "property",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };

    // "IRnnModel.Info" for an explicit interface implementation: the interface's simple name, as on the generated side.
    private static string? ExplicitInterfaceName(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            ExplicitInterfaceSpecifierSyntax? specifier = reference.GetSyntax(cancellationToken) switch
            {
                MethodDeclarationSyntax m => m.ExplicitInterfaceSpecifier,
                BasePropertyDeclarationSyntax p => p.ExplicitInterfaceSpecifier,
                _ => null,
            };
            if (specifier is not null)
            {
                string memberName = member.Name.Substring(member.Name.LastIndexOf('.') + 1);
                return SimpleName(specifier.Name) + "." + (member is IPropertySymbol { IsIndexer: true } ? "this[]" : memberName);
            }
        }

        return null;
    }

    private static string SimpleName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => SimpleName(qualified.Right),
        AliasQualifiedNameSyntax alias => SimpleName(alias.Name),
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => name.ToString(),
    };

    /// <summary>A member of the generated class: as <see cref="UserMember"/>, plus whether it is public API.</summary>
    private sealed record GeneratedMember(string Name, bool IsMethod, string Signature, string Kind, string Display, bool IsPublic);

    /// <summary>
    /// The user's members that the generated class would declare again (C# CS0102, CS0111, CS0663 inside the generated
    /// file, then CS0121 at its calls). The rules are C#'s: members of one name clash unless both are methods (or both
    /// constructors) with different signatures. Names of the generated implementation's private members are reserved
    /// whatever the signature, since the generated code calls them and a user overload could take over a call.
    /// </summary>
    /// <remarks>
    /// The generated members are read from the generated source itself, so the check follows the emitter wherever it
    /// goes; it is only emitted and parsed here when some user member is a candidate (a constructor, or a name the
    /// layout can declare), which keeps a class without such members as cheap as before.
    /// </remarks>
    internal static IEnumerable<(UserMember User, string Clash, string Remedy)> MemberClashes(ModelInput input, ModelSpec spec)
    {
        if (input.Members.Count == 0)
        {
            yield break;
        }

        var candidateNames = new HashSet<string>(RnnGen.Generators.Emit.GeneratedNames.Members(spec), StringComparer.Ordinal);
        if (!input.Members.Any(m => !m.IsInherited && m.Name is ".ctor" or ".cctor" || m.Name.IndexOf('.') >= 0 || candidateNames.Contains(m.Name)))
        {
            yield break;
        }

        List<GeneratedMember> generated = GeneratedMembers(Emit(spec), input);
        var byName = generated.ToLookup(g => g.Name, StringComparer.Ordinal);
        foreach (UserMember user in input.Members)
        {
            foreach (GeneratedMember member in byName[user.Name])
            {
                bool overloads = user.IsMethod && member.IsMethod && user.Signature != member.Signature;
                // An inherited member is hidden, not redeclared: only C#'s hiding rule applies to it.
                bool reserved = !member.IsPublic && member.Name != ".ctor" && !user.IsInherited;
                if (!overloads || reserved)
                {
                    string what = $"the {(member.IsPublic || member.Name == ".ctor" ? "public" : "private")} {member.Kind} '{member.Display}'";
                    string remedy = member.Name == ".ctor" ? "give it other parameters or remove it"
                        : user.IsInherited ? "derive the model from another class, or rename the member in the base class"
                        : reserved ? $"rename the {user.Kind} (the names of the generated private members are reserved, whatever the parameters)"
                        : $"rename the {user.Kind}";
                    yield return (user, what, remedy);
                    break;
                }
            }
        }
    }

    private static List<GeneratedMember> GeneratedMembers(string source, ModelInput input)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
        // The model class is the one at the depth of its containing types (no generated nested type can share its name:
        // RNNG022).
        ClassDeclarationSyntax model = root.DescendantNodes().OfType<ClassDeclarationSyntax>().First(c =>
            c.Identifier.ValueText == input.ClassName && c.Ancestors().OfType<TypeDeclarationSyntax>().Count() == input.ContainingTypes.Count);

        var members = new List<GeneratedMember>();
        foreach (MemberDeclarationSyntax member in model.Members)
        {
            bool isPublic = member.Modifiers.Any(SyntaxKind.PublicKeyword);
            switch (member)
            {
                case BaseTypeDeclarationSyntax type:
                    members.Add(new GeneratedMember(type.Identifier.ValueText, false, string.Empty, "nested type", type.Identifier.ValueText, isPublic));
                    break;
                case DelegateDeclarationSyntax type:
                    members.Add(new GeneratedMember(type.Identifier.ValueText, false, string.Empty, "delegate", type.Identifier.ValueText, isPublic));
                    break;
                case MethodDeclarationSyntax method:
                {
                    List<string> typeParameters = method.TypeParameterList?.Parameters.Select(p => p.Identifier.ValueText).ToList() ?? new List<string>();
                    string name = method.ExplicitInterfaceSpecifier is { } specifier
                        ? SimpleName(specifier.Name) + "." + method.Identifier.ValueText
                        : method.Identifier.ValueText;
                    bool isApi = isPublic || method.ExplicitInterfaceSpecifier is not null;
                    members.Add(new GeneratedMember(name, true, Signature(typeParameters.Count, Parameters(method.ParameterList, typeParameters)),
                        "method", isApi ? name + Display(method.ParameterList) : name, isApi));
                    break;
                }

                case ConstructorDeclarationSyntax constructor:
                    members.Add(new GeneratedMember(constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ? ".cctor" : ".ctor", true,
                        Signature(0, Parameters(constructor.ParameterList, Array.Empty<string>())), "constructor",
                        constructor.Identifier.ValueText + Display(constructor.ParameterList), isPublic));
                    break;
                case DestructorDeclarationSyntax:
                    members.Add(new GeneratedMember("Finalize", true, Signature(0, Array.Empty<(bool, string)>()), "finalizer", "Finalize()", false));
                    break;
                case IndexerDeclarationSyntax indexer:
                    members.Add(new GeneratedMember(indexer.ExplicitInterfaceSpecifier is { } on ? SimpleName(on.Name) + ".this[]" : "this[]", false,
                        Signature(0, Parameters(indexer.ParameterList, Array.Empty<string>())), "indexer", "this" + indexer.ParameterList, isPublic));
                    break;
                case PropertyDeclarationSyntax property:
                    members.Add(new GeneratedMember(property.ExplicitInterfaceSpecifier is { } of ? SimpleName(of.Name) + "." + property.Identifier.ValueText : property.Identifier.ValueText,
                        false, string.Empty, "property", property.Identifier.ValueText, isPublic || property.ExplicitInterfaceSpecifier is not null));
                    break;
                case EventDeclarationSyntax declared:
                    members.Add(new GeneratedMember(declared.ExplicitInterfaceSpecifier is { } by ? SimpleName(by.Name) + "." + declared.Identifier.ValueText : declared.Identifier.ValueText,
                        false, string.Empty, "event", declared.Identifier.ValueText, isPublic || declared.ExplicitInterfaceSpecifier is not null));
                    break;
                case BaseFieldDeclarationSyntax field:
                    string kind = field is EventFieldDeclarationSyntax ? "event" : field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "constant" : "field";
                    foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                    {
                        members.Add(new GeneratedMember(variable.Identifier.ValueText, false, string.Empty, kind, variable.Identifier.ValueText, isPublic));
                    }

                    break;
            }
        }

        return members;
    }

    private static IEnumerable<(bool IsByRef, string Type)> Parameters(BaseParameterListSyntax list, IReadOnlyList<string> typeParameters) =>
        list.Parameters.Select(p => (
            p.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword)),
            p.Type is null ? string.Empty : CanonicalType(p.Type, typeParameters)));

    // "(in Input input, out Output output)" as "(in Input, out Output)", the way the user's side is shown.
    private static string Display(BaseParameterListSyntax list)
    {
        var text = new StringBuilder("(");
        for (int i = 0; i < list.Parameters.Count; i++)
        {
            ParameterSyntax parameter = list.Parameters[i];
            text.Append(i == 0 ? string.Empty : ", ")
                .Append(string.Concat(parameter.Modifiers.Where(m => !m.IsKind(SyntaxKind.ParamsKeyword) && !m.IsKind(SyntaxKind.ScopedKeyword)).Select(m => m.ValueText + " ")))
                .Append(parameter.Type is null ? string.Empty : ShortType(parameter.Type));
        }

        return text.Append(')').ToString();
    }

    private static string ShortType(TypeSyntax type) =>
        type.ToString().Replace("global::", string.Empty).Replace("System.Collections.Generic.", string.Empty).Replace("System.", string.Empty);
}
