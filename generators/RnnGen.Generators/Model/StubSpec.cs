using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>
/// What <see cref="Emit.StubEmitter"/> needs for a class whose declaration has errors: where the class is, whether the
/// stand-in constructors may be declared, and the member names the user's part already declares.
/// </summary>
internal sealed record StubSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    bool DeclareConstructors,
    EquatableArray<string> UserMemberNames)
{
    public string DisplayName => string.Join(".", ContainingTypes.Select(t => t.Name).Concat(new[] { ClassName }));

    /// <summary>File name of the stand-in source: the model's dotted name and a hash of it, so names that differ only in case stay apart.</summary>
    public string HintName(string hash) =>
        (Namespace is null ? string.Empty : Namespace + ".") + DisplayName + "." + hash + ".RnnGen.Stub.g.cs";

    /// <summary>
    /// The stub for a declaration that produced no model because of an error, or <see langword="null"/> when a stub
    /// would itself fail to compile: the class (or a class around it) is not partial, or is a kind RnnGen does not
    /// generate into; RNNG001-RNNG003 report those, and the compiler would report the stub's partial part as well.
    /// </summary>
    public static StubSpec? For(ModelInput input, ModelSpec? spec, EquatableArray<DiagnosticInfo> diagnostics)
    {
        if (spec is not null
            || !diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            || !input.IsPartial
            || input.UnsupportedReason is not null
            || input.NonPartialContainingType is not null)
        {
            return null;
        }

        bool userConstructors = input.HasPrimaryConstructor || input.Members.Any(m => m.Name == ".ctor" && !m.IsInherited);
        return new StubSpec(
            input.Namespace,
            input.ContainingTypes,
            input.ClassName,
            DeclareConstructors: !userConstructors,
            input.Members.Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray());
    }
}
