using Microsoft.CodeAnalysis;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Diagnostics;

/// <summary>A diagnostic to report, as equatable values (descriptor id, message arguments, location).</summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, LocationInfo? Location)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        var texts = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            texts[i] = System.Convert.ToString(arguments[i], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return new DiagnosticInfo(descriptor.Id, texts.ToEquatableArray(), location);
    }

    /// <summary>The diagnostic, located in <paramref name="compilation"/>'s syntax tree of the same path when there is one.</summary>
    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        Location? location = null;
        if (Location is not null)
        {
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath == Location.FilePath && tree.Length >= Location.TextSpan.End)
                {
                    location = Microsoft.CodeAnalysis.Location.Create(tree, Location.TextSpan);
                    break;
                }
            }
        }

        return Create(location ?? Location?.ToLocation());
    }

    public Diagnostic ToDiagnostic() => Create(Location?.ToLocation());

    private Diagnostic Create(Location? location)
    {
        var arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), location ?? Microsoft.CodeAnalysis.Location.None, arguments);
    }
}
