using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Emit;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

/// <summary>
/// Turns a <c>partial class</c> carrying RnnGen layer attributes into a fixed-size Keras-equivalent model.
/// The work is split by role, as in dotnet/runtime's Regex and System.Text.Json generators:
/// <c>Extract</c> (attribute data to plain values), <c>Parse</c> (pure validation and shape inference) and
/// <c>Emit</c> (source text), each in its own file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class RnnGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One ForAttributeWithMetadataName per attribute: the compiler then only looks at classes that carry one of
        // ours (far cheaper than a syntax predicate over every class). A class can carry several of our attributes, so
        // Extract lets exactly one pipeline own it: [Sequential] if present, else its first layer attribute.
        IncrementalValuesProvider<ModelSpec>[] specs =
        {
            Register(context, AttributeKind.Sequential),
            Register(context, AttributeKind.SimpleRnn),
            Register(context, AttributeKind.Lstm),
            Register(context, AttributeKind.Gru),
            Register(context, AttributeKind.Dense),
            Register(context, AttributeKind.Dropout),
            RegisterKerasModel(context),
            Register(context, AttributeKind.LayerNormalization),
            Register(context, AttributeKind.BatchNormalization),
            Register(context, AttributeKind.Normalization),
            Register(context, AttributeKind.Activation),
            Register(context, AttributeKind.Rescaling),
            Register(context, AttributeKind.Masking),
            Register(context, AttributeKind.Embedding),
            Register(context, AttributeKind.GlobalAveragePooling1D),
            Register(context, AttributeKind.GlobalMaxPooling1D),
            Register(context, AttributeKind.Conv1D),
            Register(context, AttributeKind.MaxPooling1D),
            Register(context, AttributeKind.AveragePooling1D),
            Register(context, AttributeKind.Flatten),
            Register(context, AttributeKind.Reshape),
            Register(context, AttributeKind.RepeatVector),
        };
        RegisterSources(context, specs);
        RegisterGraphs(context);
    }

    private static IncrementalValuesProvider<ModelSpec> Register(IncrementalGeneratorInitializationContext context, AttributeKind kind)
    {
        IncrementalValuesProvider<(ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub)> models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MetadataName(kind),
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: (attributeContext, cancellationToken) => Extract(attributeContext, kind, cancellationToken))
            .Where(static input => input is not null)
            .WithTrackingName(TrackingNames.Extract)
            .Select(static (input, cancellationToken) => WithStub(input!, Parse(input!, cancellationToken)))
            .WithTrackingName(TrackingNames.Parse);
        return SpecsAndDiagnostics(context, models);
    }

    private static IncrementalValuesProvider<ModelSpec> SpecsAndDiagnostics(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<(ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub)> models)
    {
        // Source and diagnostics go through separate outputs: diagnostics carry locations, which move with every edit
        // above the class, while the spec does not; so such an edit re-reports but does not re-emit
        // (dotnet/runtime#92509).
        IncrementalValuesProvider<ModelSpec> specs = models
            .Select(static (model, _) => model.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Spec);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = models
            .Select(static (model, _) => model.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        ReportDiagnostics(context, diagnostics);

        // A declaration with errors gets stand-in members instead of a model, so its use sites add no CS1061/CS0426
        // to the RNNG errors (one error per mistake). Its own output: a valid model never reads this step.
        IncrementalValuesProvider<StubSpec> stubs = models
            .Select(static (model, _) => model.Stub)
            .Where(static stub => stub is not null)
            .Select(static (stub, _) => stub!)
            .WithTrackingName(TrackingNames.Stub);
        context.RegisterSourceOutput(stubs, static (output, stub) =>
            output.AddSource(stub.HintName(StableHash((stub.Namespace ?? string.Empty) + "|" + stub.DisplayName.Replace('.', '+'))), StubEmitter.Write(stub)));

        return specs;
    }

    /// <summary>
    /// Reports diagnostics against the real syntax tree, not only a file path: the compiler applies #pragma warning and
    /// [SuppressMessage] only to diagnostics located in a tree (dotnet/roslyn#68291). Combining with the compilation
    /// re-runs only this reporting step; the models before it stay cached.
    /// </summary>
    private static void ReportDiagnostics(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics) =>
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (DiagnosticInfo diagnostic in pair.Left)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
            }
        });

    private static (ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub) WithStub(
        ModelInput input, (ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics) parsed) =>
        (parsed.Spec, parsed.Diagnostics, StubSpec.For(input, parsed.Spec, parsed.Diagnostics));

    internal static string MetadataName(AttributeKind kind) => "RnnGen." + kind + "Attribute";
}
