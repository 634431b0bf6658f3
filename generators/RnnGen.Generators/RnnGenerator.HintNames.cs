using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    /// <summary>
    /// Adds each model's source under its hint name (<see cref="ModelSpec.HintName"/>), unless that name differs only in
    /// case from another model's, or equals it: hint names must be unique without regard to case (Roslyn fails the
    /// whole generator otherwise), while C# names are case-sensitive (<c>Demo.Model</c> and <c>Demo.model</c> are two
    /// models) and a class <c>Outer.Model</c> and a namespace <c>Outer</c> holding <c>Model</c> give the same dotted
    /// name. Every such model but the first (in ordinal order of its exact name) gets a hash of that name appended.
    /// </summary>
    /// <remarks>
    /// Only the names are collected over all models; the colliding ones compare by value, so a change to one model
    /// re-emits that model alone, as before.
    /// </remarks>
    private static void RegisterSources(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ModelSpec>[] specs)
    {
        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<(string HintName, string ExactName)>> names =
            specs[0].Select(static (spec, _) => (spec.HintName, ExactName(spec))).Collect();
        for (int i = 1; i < specs.Length; i++)
        {
            names = names.Combine(specs[i].Select(static (spec, _) => (spec.HintName, ExactName(spec))).Collect())
                .Select(static (pair, _) => pair.Left.AddRange(pair.Right));
        }

        IncrementalValueProvider<EquatableArray<string>> renamed = names.Select(static (all, _) => all
            .GroupBy(n => n.HintName, StringComparer.OrdinalIgnoreCase)
            .SelectMany(group => group.Select(n => n.ExactName).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).Skip(1))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToEquatableArray());

        foreach (IncrementalValuesProvider<ModelSpec> kind in specs)
        {
            context.RegisterSourceOutput(kind.Combine(renamed), static (output, pair) =>
            {
                string exactName = ExactName(pair.Left);
                string hintName = pair.Right.Contains(exactName)
                    ? pair.Left.HintName.Replace(".RnnGen.g.cs", "." + StableHash(exactName) + ".RnnGen.g.cs")
                    : pair.Left.HintName;
                output.AddSource(hintName, Emit(pair.Left));
            });
        }
    }

    // Namespace, containing types and class, told apart: "Demo|Outer+Model".
    private static string ExactName(ModelSpec spec) =>
        (spec.Namespace ?? string.Empty) + "|" + string.Join("+", spec.ContainingTypes.Select(t => t.Name).Concat(new[] { spec.ClassName }));

    // FNV-1a over the UTF-16 code units: stable across processes and platforms, unlike string.GetHashCode.
    private static string StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char ch in text)
        {
            hash = (hash ^ ch) * 16777619;
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
