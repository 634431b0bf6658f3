using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

/// <summary>
/// <c>[KerasModel("models/forecaster.keras")]</c>: the Keras file is the declaration. The generator never reads the
/// file: the package's MSBuild targets (build/RnnGen.targets) run <c>rnngen import</c> on each <c>KerasModel</c> item,
/// which checks the file as <c>LoadWeights</c> would and writes a description (an AdditionalFile whose metadata names the
/// item). That description carries the declaration <c>rnngen inspect</c> prints; this part reads it as if those layer
/// attributes were written on the class, and runs the same <c>Parse</c> and emitter, so the class is the one the hand
/// declaration gives. Every problem is reported on the attribute's path argument.
/// </summary>
public sealed partial class RnnGenerator
{
    internal const string KerasModelAttributeName = "RnnGen.KerasModelAttribute";

    /// <summary>AdditionalFiles metadata (CompilerVisibleItemMetadata) that marks a description: the item's path relative to the project.</summary>
    internal const string KerasModelMetadata = "build_metadata.AdditionalFiles.RnnGenKerasModel";

    /// <summary>AdditionalFiles metadata: the manifest resource name of the item's compiled-in weights, empty when not embedded.</summary>
    internal const string WeightsResourceMetadata = "build_metadata.AdditionalFiles.RnnGenWeightsResource";

    private static IncrementalValuesProvider<ModelSpec> RegisterKerasModel(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<KerasModelInput> declared = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KerasModelAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (attributeContext, cancellationToken) => ExtractKerasModel(attributeContext, cancellationToken))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(TrackingNames.Extract);

        // Only the descriptions, in a stable order: an AdditionalFile that is not one, or an edit elsewhere, leaves the
        // array equal, so the models below stay cached.
        IncrementalValueProvider<EquatableArray<KerasModelFile>> files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadKerasModelFile(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .Where(static file => file is not null)
            .Collect()
            .Select(static (all, _) => all.OrderBy(f => f!.Path, StringComparer.Ordinal).Select(f => f!).ToEquatableArray())
            .WithTrackingName(TrackingNames.KerasModelFiles);

        IncrementalValuesProvider<(ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub)> models = declared
            .Combine(files)
            .Select(static (pair, cancellationToken) => WithStub(pair.Left.Class, ParseKerasModel(pair.Left, pair.Right, cancellationToken)))
            .WithTrackingName(TrackingNames.Parse);
        return SpecsAndDiagnostics(context, models);
    }

    private static bool IsKerasModelAttribute(INamedTypeSymbol? attributeClass) =>
        attributeClass is { Name: "KerasModelAttribute", ContainingNamespace: { Name: "RnnGen", ContainingNamespace.IsGlobalNamespace: true } };

    internal static KerasModelInput? ExtractKerasModel(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || context.Attributes.Length != 1
            || context.Attributes[0] is not { AttributeConstructor: not null } data)
        {
            return null; // not a class (CS0592), or the attribute did not bind (the compiler reports it)
        }

        var syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        SeparatedSyntaxList<AttributeArgumentSyntax> written = syntax?.ArgumentList?.Arguments ?? default;
        AttributeArgumentSyntax? pathSyntax = written.FirstOrDefault(a => a.NameEquals is null);
        AttributeArgumentSyntax? timestepsSyntax = written.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Timesteps");
        int? timesteps = null;
        foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
        {
            if (named.Key == "Timesteps" && named.Value.Value is int value)
            {
                timesteps = value;
            }
        }

        var layerAttributes = type.GetAttributes()
            .Where(a => KindOf(a.AttributeClass) is not null)
            .Select(a => "[" + KindOf(a.AttributeClass) + "]")
            .ToEquatableArray();

        var input = new ModelInput(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes: ContainingTypes(type),
            ClassName: type.Name,
            DeclarationKeyword: "class",
            IsPartial: type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)),
            UnsupportedReason: UnsupportedReason(type) ?? BaseTypeReason(type, context.SemanticModel.Compilation),
            NonPartialContainingType: FirstNonPartialContainingType(type, cancellationToken),
            AttributesOnSeveralDeclarations: false,
            HasPrimaryConstructor: type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }),
            ClassLocation: LocationInfo.From(declaration.Identifier.GetLocation()),
            Attributes: EquatableArray<AttributeInput>.Empty,
            Members: UserMembers(type, cancellationToken));

        return new KerasModelInput(
            input,
            data.ConstructorArguments.Length == 1 ? data.ConstructorArguments[0].Value as string : null,
            LocationInfo.From(pathSyntax?.Expression ?? (SyntaxNode?)syntax),
            timesteps,
            LocationInfo.From(timestepsSyntax?.Expression),
            layerAttributes);
    }

    internal static KerasModelFile? ReadKerasModelFile(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        if (!options.TryGetValue(KerasModelMetadata, out string? path) || string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        options.TryGetValue(WeightsResourceMetadata, out string? resource);
        string content = text.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return new KerasModelFile(NormalizeModelPath(path), content, string.IsNullOrWhiteSpace(resource) ? null : resource);
    }

    /// <summary>
    /// A project-relative path in one spelling, so the attribute's "./models\x.keras" finds the item "models/x.keras":
    /// forward slashes, no "." segments, ".." applied. Compared ordinally, as the file systems that tell case apart do.
    /// </summary>
    internal static string NormalizeModelPath(string path)
    {
        var segments = new List<string>();
        foreach (string segment in path.Trim().Replace('\\', '/').Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else
            {
                segments.Add(segment);
            }
        }

        return string.Join("/", segments);
    }

    internal static (ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics) ParseKerasModel(
        KerasModelInput input, EquatableArray<KerasModelFile> files, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? at = input.PathLocation ?? input.Class.ClassLocation;
        (ModelSpec?, EquatableArray<DiagnosticInfo>) Fail(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            return (null, diagnostics.ToEquatableArray());
        }

        if (input.Path is not string path || NormalizeModelPath(path).Length == 0)
        {
            return Fail(DiagnosticDescriptors.KerasModelUnreadable, at, input.Path ?? "null", "the path is empty; name the Keras file relative to the project file.");
        }

        if (input.LayerAttributes.Count > 0)
        {
            return Fail(DiagnosticDescriptors.KerasModelWithLayerAttributes, input.Class.ClassLocation, input.Class.DisplayName, string.Join(", ", input.LayerAttributes));
        }

        string normalized = NormalizeModelPath(path);
        KerasModelFile? file = files.FirstOrDefault(f => f.Path == normalized);
        if (file is null)
        {
            return Fail(DiagnosticDescriptors.KerasModelNotInBuild, at, path);
        }

        KerasModelDescription description = KerasModelDescription.Parse(file.Text);
        if (description.Malformed is string malformed)
        {
            return Fail(DiagnosticDescriptors.KerasModelDescriptionUnreadable, at, path, malformed);
        }

        foreach (var (kind, message) in description.Errors)
        {
            DiagnosticDescriptor descriptor = kind switch
            {
                "unsupported" => DiagnosticDescriptors.KerasModelUnsupportedLayer,
                "weights" => DiagnosticDescriptors.KerasModelWeightsContradictConfig,
                _ => DiagnosticDescriptors.KerasModelUnreadable,
            };
            diagnostics.Add(DiagnosticInfo.Create(descriptor, at, path, message));
        }

        if (diagnostics.Count > 0)
        {
            return (null, diagnostics.ToEquatableArray());
        }

        if (input.Timesteps is <= 0)
        {
            return Fail(DiagnosticDescriptors.KerasModelOpenTimesteps, input.TimestepsLocation ?? at, path,
                $"is given Timesteps = {input.Timesteps.Value.ToString(CultureInfo.InvariantCulture)}, which is not positive");
        }

        List<AttributeInput>? attributes = description.Attributes(at, input.Timesteps, out string? problem, out bool timestepsOpen);
        if (attributes is null)
        {
            return Fail(DiagnosticDescriptors.KerasModelDescriptionUnreadable, at, path, problem ?? "no declaration");
        }

        if (timestepsOpen)
        {
            return Fail(DiagnosticDescriptors.KerasModelOpenTimesteps, at, path, "leaves the sequence length open (Input(shape=(None, features)))");
        }

        var (spec, parsed) = Parse(input.Class with { Attributes = attributes.ToEquatableArray() }, cancellationToken);
        return (spec is null ? null : spec with { EmbeddedWeights = file.WeightsResource, KerasFile = path }, parsed);
    }
}
