using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.Generators.Analyzers;

/// <summary>
/// RNNG100: a span argument of a generated model's <c>Predict</c>, <c>Step</c> or <c>Forward</c> that is an array,
/// <c>stackalloc</c> or collection expression of constant length, and that length can never fit the model (the typed
/// overloads make such mistakes impossible; the span overloads can only throw at run time, so this warns at the call).
/// The batch <c>Forward</c> overloads take spans (or memory) of the model's <c>Input</c> and <c>Output</c> tensors and
/// need one output per input: outputs of a constant length other than the inputs' are flagged too.
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

        if (method.Name == "Forward")
        {
            AnalyzeBatch(context, invocation, type);
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
                    type.Name, method.Name, expected, kind, Count(length, "float")));
            }
        }
    }

    // The batch Forward(ReadOnlySpan<Input> inputs, Span<Output> outputs) and its ReadOnlyMemory/Memory twin throw unless
    // both have the same length (ModelEmitter.Batch); the warning goes on the outputs, the argument the exception names.
    private static void AnalyzeBatch(OperationAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol type)
    {
        IArgumentOperation? inputs = null, outputs = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            switch (argument.Parameter is { } parameter ? BufferElement(parameter.Type, invocation.TargetMethod.ContainingType) : null)
            {
                case "Input":
                    inputs = argument;
                    break;
                case "Output":
                    outputs = argument;
                    break;
            }
        }

        if (inputs is null || outputs is null
            || ConstantLength(inputs.Value, out _) is not int inputCount
            || ConstantLength(outputs.Value, out string kind) is not int outputCount
            || inputCount == outputCount)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.SpanLengthMismatch, outputs.Value.Syntax.GetLocation(),
            type.Name, "Forward", $"one output per input ({Count(inputCount, "output")} for {Count(inputCount, "input")})", kind,
            Count(outputCount, "output")));
    }

    // "Input" or "Output" for a Span, ReadOnlySpan, Memory or ReadOnlyMemory of the model's own tensor of that name.
    private static string? BufferElement(ITypeSymbol type, INamedTypeSymbol model) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } buffer
        && buffer.ContainingNamespace.ContainingNamespace.IsGlobalNamespace
        && buffer.TypeArguments[0] is INamedTypeSymbol { Name: "Input" or "Output" } element
        && SymbolEqualityComparer.Default.Equals(element.ContainingType, model)
            ? element.Name
            : null;

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

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

    // The length of an array creation, stackalloc or collection expression with constant size, seen through the
    // conversion to a span.
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
            case CollectionExpressionSyntax collection:
                // A spread (`[..items]`) adds a length only known at run time.
                kind = "collection expression";
                return collection.Elements.All(element => element is ExpressionElementSyntax) ? collection.Elements.Count : null;
        }

        return null;
    }
}
