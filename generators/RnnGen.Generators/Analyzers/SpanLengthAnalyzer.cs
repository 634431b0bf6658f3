using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.Generators.Analyzers;

/// <summary>
/// RNNG100: a span argument of a generated model's <c>Predict</c>, <c>Step</c> or <c>Forward</c> that is an array or
/// <c>stackalloc</c> of constant length, and that length can never fit the model (the typed overloads make such
/// mistakes impossible; the span overloads can only throw at run time, so this warns at the call).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SpanLengthAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.SpanLengthMismatch);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? model = start.Compilation.GetTypeByMetadataName("RnnGen.IRnnModel");
            if (model is not null)
            {
                start.RegisterOperationAction(operation => Analyze(operation, model), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol modelInterface)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name is not ("Predict" or "Step" or "Forward"))
        {
            return;
        }

        // The model's own type: the receiver's, so a call through a variable of the generated class is checked.
        if (invocation.Instance?.Type is not INamedTypeSymbol type || !type.AllInterfaces.Contains(modelInterface, SymbolEqualityComparer.Default))
        {
            return;
        }

        int? timesteps = Constant(type, "Timesteps"), inputDim = Constant(type, "InputDim"), outputDim = Constant(type, "OutputDim");
        int? outputLength = Constant(type, "OutputLength");
        if (timesteps is null || inputDim is null || outputDim is null || outputLength is null)
        {
            return;
        }

        // The batch the input implies, when the input too has a constant length that fits.
        int? batch = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "input" && ConstantLength(argument.Value, out _) is int inputLength
                && inputLength > 0 && inputLength % (timesteps.Value * inputDim.Value) == 0)
            {
                batch = inputLength / (timesteps.Value * inputDim.Value);
            }
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !IsFloatSpan(parameter.Type))
            {
                continue;
            }

            if (ConstantLength(argument.Value, out string kind) is not int length)
            {
                continue;
            }

            string? expected = Expected(method.Name, parameter.Name, length, timesteps.Value, inputDim.Value, outputDim.Value, outputLength.Value, batch);
            if (expected is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.SpanLengthMismatch, argument.Value.Syntax.GetLocation(),
                    type.Name, method.Name, expected, kind, length));
            }
        }
    }

    // What the parameter needs, when `length` cannot be it; null when the length fits.
    private static string? Expected(string method, string parameter, int length, int timesteps, int inputDim, int outputDim, int outputLength, int? batch)
    {
        if (method == "Step")
        {
            int needed = parameter == "input" ? inputDim : outputDim;
            return length == needed ? null : $"{needed} floats for one timestep's {parameter}";
        }

        if (parameter == "input")
        {
            int row = timesteps * inputDim;
            return length > 0 && length % row == 0 ? null : $"batch x {timesteps} x {inputDim} floats (a positive multiple of {row})";
        }

        if (method == "Predict" && parameter == "output")
        {
            if (batch is int rows)
            {
                return length == rows * outputLength ? null : $"{rows * outputLength} floats for the output of a batch of {rows} ({rows} x {outputLength})";
            }

            return length > 0 && length % outputLength == 0 ? null : $"batch x {outputLength} floats for the output (a positive multiple of {outputLength})";
        }

        return null;
    }

    private static int? Constant(INamedTypeSymbol type, string name) =>
        type.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: int value } ? value : null;

    private static bool IsFloatSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } span
        && span.TypeArguments[0].SpecialType == SpecialType.System_Single;

    // The length of an array creation or stackalloc with constant size, seen through the conversion to a span.
    private static int? ConstantLength(IOperation value, out string kind)
    {
        kind = "array";
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is IArrayCreationOperation array && array.DimensionSizes.Length == 1)
        {
            return array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size } ? size : null;
        }

        SemanticModel? model = value.SemanticModel;
        switch (value.Syntax)
        {
            case StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType } allocation
                when arrayType.RankSpecifiers[0].Sizes.Count == 1:
                kind = "stackalloc";
                return allocation.Initializer is { } initializer
                    ? initializer.Expressions.Count
                    : model?.GetConstantValue(arrayType.RankSpecifiers[0].Sizes[0]) is { HasValue: true, Value: int count } ? count : null;
            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackalloc:
                kind = "stackalloc";
                return implicitStackalloc.Initializer.Expressions.Count;
        }

        return null;
    }
}
