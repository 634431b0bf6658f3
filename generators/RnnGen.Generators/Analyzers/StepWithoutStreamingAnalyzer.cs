using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Analyzers;

/// <summary>
/// RNNG101: <c>model.Step(...)</c> on a generated model that has no <c>Step</c> because a layer reads the sequence from
/// its end (Bidirectional, or GoBackwards = true) or pools over all of it (GlobalAveragePooling1D, GlobalMaxPooling1D), or slides a window over it (Conv1D, MaxPooling1D, AveragePooling1D): such a model implements <see cref="T:RnnGen.IRnnModel"/> but not
/// <see cref="T:RnnGen.IStreamingModel"/> (ModelEmitter writes the streaming API for causal models only). The compiler
/// says only that the member does not exist (CS1061); this says why, naming the layer, and what to call instead.
/// An analyzer cannot remove the compiler's error (suppressors may not suppress errors), so both are listed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StepWithoutStreamingAnalyzer : DiagnosticAnalyzer
{
    private const string Step = "Step";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.StepWithoutStreaming);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? model = start.Compilation.GetTypeByMetadataName("RnnGen.IRnnModel");
            INamedTypeSymbol? streaming = start.Compilation.GetTypeByMetadataName("RnnGen.IStreamingModel");
            if (model is not null && streaming is not null)
            {
                start.RegisterSyntaxNodeAction(
                    node => Analyze(node, model, streaming),
                    SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.MemberBindingExpression);
            }
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol modelInterface, INamedTypeSymbol streamingInterface)
    {
        // `model.Step` or `model?.Step`, where the name does not bind (with an extension method called Step it does).
        (SimpleNameSyntax name, ExpressionSyntax? receiver) = context.Node switch
        {
            MemberAccessExpressionSyntax access => (access.Name, access.Expression),
            MemberBindingExpressionSyntax binding => (binding.Name, binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression),
            _ => (null!, null),
        };
        if (receiver is null || name.Identifier.ValueText != Step
            || context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken) is not { Symbol: null, CandidateSymbols.IsEmpty: true })
        {
            return;
        }

        if (context.SemanticModel.GetTypeInfo(receiver, context.CancellationToken).Type is not INamedTypeSymbol type
            || !type.AllInterfaces.Contains(modelInterface, SymbolEqualityComparer.Default)
            || type.AllInterfaces.Contains(streamingInterface, SymbolEqualityComparer.Default))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StepWithoutStreaming, name.GetLocation(), type.Name, Reason(type)));
    }

    // The first layer attribute that reads the sequence from its end, by its number in the stack as the generator's
    // messages count layers ([Sequential] is not one); a general reason when the attributes do not tell.
    private static string Reason(INamedTypeSymbol type)
    {
        int number = 0;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            // Every layer attribute the generator reads counts, as in its own messages (a normalization or Activation
            // layer before the Bidirectional one moves its number).
            if (RnnGenerator.KindOf(attribute.AttributeClass) is not AttributeKind attributeKind || attributeKind == AttributeKind.Sequential)
            {
                continue;
            }

            number++;
            string kind = attributeKind.ToString();
            if (attributeKind is AttributeKind.GlobalAveragePooling1D or AttributeKind.GlobalMaxPooling1D)
            {
                return $"layer {number} ({kind}) pools over every timestep of the sequence";
            }

            if (attributeKind is AttributeKind.Conv1D or AttributeKind.MaxPooling1D or AttributeKind.AveragePooling1D)
            {
                return $"layer {number} ({kind}) slides a window over the timesteps, so one input timestep is not one output timestep";
            }

            if (attributeKind is AttributeKind.Flatten or AttributeKind.Reshape or AttributeKind.RepeatVector)
            {
                return $"layer {number} ({kind}) reshapes the time axis, so one input timestep is not one output timestep";
            }

            if (IsSet(attribute, "Bidirectional"))
            {
                return $"layer {number} ({kind}) is Bidirectional, and its backward half reads the sequence from the last timestep first";
            }

            if (IsSet(attribute, "GoBackwards"))
            {
                return $"layer {number} ({kind}) has GoBackwards = true, and reads the sequence from the last timestep first";
            }
        }

        return "it has a Bidirectional or GoBackwards layer, which reads the sequence from the last timestep first, or a global pooling layer";
    }

    private static bool IsSet(AttributeData attribute, string property) =>
        attribute.NamedArguments.Any(argument => argument.Key == property && argument.Value.Value is true);
}
