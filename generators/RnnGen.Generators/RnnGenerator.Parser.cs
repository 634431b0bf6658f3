using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    // Limits that keep every generated size an int and every fixed-size struct well under the runtime's 1 MiB cap on
    // the size of a value type.
    internal const int MaxWidth = 65536;
    internal const int MaxTimesteps = 1 << 20;
    internal const long MaxParameters = int.MaxValue / 2;

    private static readonly string[] PublicMemberNames =
    {
        "Timesteps", "InputDim", "Units", "OutputDim", "OutputLength", "ParameterCount", "DefaultSeed", "Summary", "Info",
        "Input", "InputStep", "Output", "OutputStep", "OutputSequence", "State", "InitialState", "GetWeights", "SetWeights",
        "LoadWeights", "SaveWeights", "Forward", "Predict", "Step", "ResetStates",
    };


    // Each sequence tensor (the input, a layer output that keeps the time axis) is one generated array or struct whose
    // length the generated code writes as a constant int expression, and the working memory holds two of them at once:
    // 2^28 floats (1 GiB) keeps all of it far from int.MaxValue. Timesteps and widths within their own limits can
    // still multiply past it (2^20 x 2^16).
    internal const long MaxSequenceFloats = 1 << 28;

    /// <summary>
    /// Validates a model and infers its shapes, layer by layer. Pure: the same input always gives the same spec and
    /// diagnostics. Returns no spec when there is any error, so nothing half-valid is emitted.
    /// </summary>
    internal static (ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics) Parse(ModelInput input, CancellationToken cancellationToken)
    {
        var parser = new ModelParser(input, cancellationToken);
        ModelSpec? spec = parser.Run();
        bool hasError = parser.Diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        return (hasError ? null : spec, parser.Diagnostics.ToEquatableArray());
    }

    private sealed class ModelParser
    {
        private readonly ModelInput _input;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);

        public ModelParser(ModelInput input, CancellationToken cancellationToken)
        {
            _input = input;
            _cancellationToken = cancellationToken;
        }

        public List<DiagnosticInfo> Diagnostics { get; } = new();

        public ModelSpec? Run()
        {
            CheckClass();

            AttributeInput? sequential = _input.Attributes.FirstOrDefault(a => a.Kind == AttributeKind.Sequential);
            List<AttributeInput> layers = _input.Attributes.Where(a => a.Kind != AttributeKind.Sequential).ToList();

            if (sequential is null)
            {
                if (layers.Count > 1)
                {
                    foreach (AttributeInput extra in layers.Skip(1))
                    {
                        Report(DiagnosticDescriptors.LayersWithoutSequential, extra.Location, _input.DisplayName, layers.Count);
                    }

                    return null;
                }

                if (layers[0].Kind is AttributeKind.Dense or AttributeKind.Dropout)
                {
                    Report(DiagnosticDescriptors.LayerNeedsSequential, layers[0].Location, _input.DisplayName, layers[0].Kind);
                    return null;
                }
            }
            else if (!layers.Any(l => l.Kind != AttributeKind.Dropout))
            {
                Report(DiagnosticDescriptors.EmptySequential, sequential.Location, _input.DisplayName,
                    layers.Count == 0 ? "no layer attributes" : "only Dropout layers");
                return null;
            }

            if (!InputShape(sequential, layers, out int timesteps, out int inputDim))
            {
                // Still check each layer's own arguments, so one build reports every mistake.
                InferLayers(layers, 1, 1, checkShapes: false);
                return null;
            }

            List<LayerSpec> specs = InferLayers(layers, timesteps, inputDim, checkShapes: true);
            if (specs.Count != layers.Count)
            {
                return null;
            }

            long parameters = specs.Sum(s => ParameterCount(s));
            if (parameters > MaxParameters)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, (sequential ?? layers[0]).Location, $"'{_input.DisplayName}'",
                    "the parameter count", parameters.ToString(CultureInfo.InvariantCulture), MaxParameters.ToString(CultureInfo.InvariantCulture));
                return null;
            }

            if (!SequencesFit(sequential, layers, specs, timesteps, inputDim))
            {
                return null;
            }

            var spec = new ModelSpec(
                _input.Namespace, _input.ContainingTypes, _input.ClassName, _input.DeclarationKeyword,
                IsSequential: sequential is not null, timesteps, inputDim, specs.ToEquatableArray());

            // The class cannot share its name with a member the emitter will declare in it (CS0542).
            if (new Emit.ModelLayout(spec).MemberNames().Contains(_input.ClassName))
            {
                Report(DiagnosticDescriptors.NameClashesWithGeneratedMember, _input.ClassLocation, _input.ClassName,
                    Array.IndexOf(PublicMemberNames, _input.ClassName) >= 0 ? "a public member" : "a private member of the generated implementation");
                return null;
            }

            return spec;
        }

        private void CheckClass()
        {
            if (!_input.IsPartial)
            {
                Report(DiagnosticDescriptors.ClassNotPartial, _input.ClassLocation, _input.ClassName, _input.DeclarationKeyword);
            }

            if (_input.NonPartialContainingType is string outer)
            {
                Report(DiagnosticDescriptors.ContainingTypeNotPartial, _input.ClassLocation, _input.ClassName, outer);
            }

            if (_input.UnsupportedReason is string reason)
            {
                Report(DiagnosticDescriptors.UnsupportedClass, _input.ClassLocation, _input.ClassName, reason);
            }

            if (_input.HasPrimaryConstructor)
            {
                Report(DiagnosticDescriptors.PrimaryConstructor, _input.ClassLocation, _input.ClassName);
            }

            if (_input.AttributesOnSeveralDeclarations)
            {
                Report(DiagnosticDescriptors.AttributesOnSeveralDeclarations, _input.ClassLocation, _input.DisplayName);
            }
        }

        // The model input shape: [Sequential]'s Timesteps/InputDim, else the first layer's (Keras input_shape on the
        // first layer). Both declared and different is a contradiction on the layer.
        private bool InputShape(AttributeInput? sequential, List<AttributeInput> layers, out int timesteps, out int inputDim)
        {
            AttributeInput first = layers.FirstOrDefault(l => l.Kind != AttributeKind.Dropout) ?? layers[0];
            int firstIndex = layers.IndexOf(first) + 1;
            string owner = sequential is null ? LayerLabel(firstIndex, first.Kind) : $"'{_input.DisplayName}' ([Sequential])";
            bool ok = Dimension(sequential, first, firstIndex, owner, "Timesteps", MaxTimesteps, DiagnosticDescriptors.InvalidTimesteps, out timesteps);
            ok &= Dimension(sequential, first, firstIndex, owner, "InputDim", MaxWidth, DiagnosticDescriptors.InvalidInputDim, out inputDim);
            return ok;
        }

        private bool Dimension(AttributeInput? sequential, AttributeInput first, int firstIndex, string owner, string name, int max,
            Microsoft.CodeAnalysis.DiagnosticDescriptor missing, out int value)
        {
            ArgumentInput? onModel = sequential?.Find(name);
            ArgumentInput? onLayer = first.Find(name);
            ArgumentInput? declared = onModel ?? onLayer;
            value = 0;
            if (declared is null)
            {
                string where = sequential is null ? "is missing" : "is missing: declare it on [Sequential] or on the first layer";
                Report(missing, (sequential ?? first).Location, owner, where);
                return false;
            }

            if (declared.HasError || declared.Value is not int number)
            {
                return false; // the compiler reports the bad constant itself
            }

            if (number <= 0)
            {
                Report(missing, declared.Location, owner, $"is {number}, which is not positive");
                return false;
            }

            if (number > max)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, declared.Location, owner, name, number, max);
                return false;
            }

            if (onModel is not null && onLayer is not null && !onLayer.HasError && onLayer.Value is int layerValue && layerValue != number)
            {
                Report(DiagnosticDescriptors.ContradictingShape, onLayer.Location, firstIndex, first.Kind, name, layerValue, number, "declared on [Sequential]");
                return false;
            }

            value = number;
            return true;
        }

        private List<LayerSpec> InferLayers(List<AttributeInput> layers, int timesteps, int inputDim, bool checkShapes)
        {
            var specs = new List<LayerSpec>();
            bool isSequence = true;
            int width = inputDim;
            int producer = 0; // the layer whose output feeds the next; 0 is the model input
            AttributeKind producerKind = AttributeKind.Sequential;
            bool valid = true;

            for (int i = 0; i < layers.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                AttributeInput layer = layers[i];
                int number = i + 1;
                AttributeInput? next = layers.Skip(i + 1).FirstOrDefault(l => l.Kind != AttributeKind.Dropout);
                LayerSpec? spec = layer.Kind switch
                {
                    AttributeKind.Dense => ParseDense(layer, number, width, isSequence),
                    AttributeKind.Dropout => ParseDropout(layer, number, width, isSequence),
                    _ => ParseRecurrent(layer, number, width, isSequence, timesteps, producer, producerKind, next, layers.IndexOf(next!) + 1, isFirst: i == 0 || !checkShapes),
                };

                if (spec is null)
                {
                    valid = false;
                    continue;
                }

                specs.Add(spec);
                if (layer.Kind != AttributeKind.Dropout)
                {
                    width = spec.OutputWidth;
                    isSequence = spec.OutputIsSequence;
                    producer = number;
                    producerKind = layer.Kind;
                }
            }

            return valid ? specs : new List<LayerSpec>();
        }

        private LayerSpec? ParseRecurrent(AttributeInput layer, int number, int width, bool isSequence, int timesteps,
            int producer, AttributeKind producerKind, AttributeInput? next, int nextNumber, bool isFirst)
        {
            LayerKind kind = layer.Kind switch
            {
                AttributeKind.SimpleRnn => LayerKind.SimpleRnn,
                AttributeKind.Lstm => LayerKind.Lstm,
                _ => LayerKind.Gru,
            };
            int errors = Diagnostics.Count;

            int units = Units(layer, number);
            string activation = Activation(layer, number, "Activation", "tanh", allowSoftmax: false);
            string? recurrentActivation = kind == LayerKind.SimpleRnn
                ? null
                : Activation(layer, number, "RecurrentActivation", "sigmoid", allowSoftmax: false);
            bool useBias = Bool(layer, "UseBias", true);
            bool resetAfter = kind == LayerKind.Gru && Bool(layer, "ResetAfter", true);
            bool returnSequences = Bool(layer, "ReturnSequences", false);
            bool returnState = Bool(layer, "ReturnState", false);
            bool goBackwards = Bool(layer, "GoBackwards", false);
            bool stateful = Bool(layer, "Stateful", false);
            bool bidirectional = Bool(layer, "Bidirectional", false);
            MergeMode mergeMode = Merge(layer, number, bidirectional);
            double dropout = Rate(layer, number, "Dropout");
            double recurrentDropout = Rate(layer, number, "RecurrentDropout");

            if (bidirectional && goBackwards)
            {
                Report(DiagnosticDescriptors.BidirectionalGoBackwards, layer.Find("GoBackwards")?.Location ?? layer.Location, number, layer.Kind);
            }

            int biasRows = LayerShapes.BiasRows(kind, resetAfter);
            string kernelInitializer = Initializer(layer, number, "KernelInitializer", "glorot_uniform", isMatrix: true);
            string recurrentInitializer = Initializer(layer, number, "RecurrentInitializer", "orthogonal", isMatrix: true);
            string biasInitializer = Initializer(layer, number, "BiasInitializer", "zeros", isMatrix: biasRows == 2);

            if (!isSequence)
            {
                Report(DiagnosticDescriptors.RecurrentLayerWithoutSequence, layer.Location, number, layer.Kind, producer, producerKind);
            }
            else if (!isFirst)
            {
                CheckDeclaredShape(layer, number, "Timesteps", timesteps, producer, producerKind);
                CheckDeclaredShape(layer, number, "InputDim", width, producer, producerKind);
            }

            if (next is not null)
            {
                if (returnState)
                {
                    Report(DiagnosticDescriptors.MultipleOutputsInStack, layer.Find("ReturnState")?.Location ?? layer.Location,
                        number, layer.Kind, "ReturnState = true", nextNumber, next.Kind);
                }

                if (bidirectional && mergeMode == MergeMode.None)
                {
                    Report(DiagnosticDescriptors.MultipleOutputsInStack, layer.Find("MergeMode")?.Location ?? layer.Location,
                        number, layer.Kind, "MergeMode = MergeMode.None", nextNumber, next.Kind);
                }
            }

            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            // Keras names the wrapped layer first (it consumes an 'lstm' name), then the Bidirectional wrapper.
            string innerName = NextName(LayerShapes.KerasNameStem(kind));
            string name = bidirectional ? NextName("bidirectional") : innerName;

            int outputWidth = bidirectional && mergeMode == MergeMode.Concat ? 2 * units : units;
            return new LayerSpec(
                kind, number - 1, name, innerName, units, width, InputIsSequence: true, outputWidth, returnSequences,
                activation, recurrentActivation, useBias, UnitForgetBias: kind == LayerKind.Lstm && Bool(layer, "UnitForgetBias", true),
                resetAfter, returnSequences, returnState, goBackwards, stateful, bidirectional, mergeMode,
                kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout);
        }

        private LayerSpec? ParseDense(AttributeInput layer, int number, int width, bool isSequence)
        {
            int errors = Diagnostics.Count;
            int units = Units(layer, number);
            string activation = Activation(layer, number, "Activation", "linear", allowSoftmax: true);
            bool useBias = Bool(layer, "UseBias", true);
            string kernelInitializer = Initializer(layer, number, "KernelInitializer", "glorot_uniform", isMatrix: true);
            string biasInitializer = Initializer(layer, number, "BiasInitializer", "zeros", isMatrix: false);
            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            return new LayerSpec(
                LayerKind.Dense, number - 1, NextName("dense"), "", units, width, isSequence, units, isSequence,
                activation, null, useBias, false, false, false, false, false, false, false, MergeMode.Concat,
                kernelInitializer, "zeros", biasInitializer, 0, 0);
        }

        private LayerSpec? ParseDropout(AttributeInput layer, int number, int width, bool isSequence)
        {
            int errors = Diagnostics.Count;
            double rate = Rate(layer, number, "rate");
            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            return new LayerSpec(
                LayerKind.Dropout, number - 1, NextName("dropout"), "", 0, width, isSequence, width, isSequence,
                "linear", null, false, false, false, false, false, false, false, false, MergeMode.Concat,
                "zeros", "zeros", "zeros", rate, 0);
        }

        private bool SequencesFit(AttributeInput? sequential, List<AttributeInput> layers, List<LayerSpec> specs, int timesteps, int inputDim)
        {
            bool fits = true;
            long input = (long)timesteps * inputDim;
            if (input > MaxSequenceFloats)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, (sequential ?? layers[0]).Location, $"'{_input.DisplayName}'",
                    $"the input (Timesteps x InputDim = {timesteps} x {inputDim} floats)", input, MaxSequenceFloats);
                fits = false;
            }

            for (int i = 0; i < specs.Count; i++)
            {
                long output = (long)timesteps * specs[i].OutputWidth;
                if (specs[i].Kind != LayerKind.Dropout && specs[i].OutputIsSequence && output > MaxSequenceFloats)
                {
                    Report(DiagnosticDescriptors.SizeTooLarge, layers[i].Location, LayerLabel(i + 1, layers[i].Kind),
                        $"the output sequence (Timesteps x width = {timesteps} x {specs[i].OutputWidth} floats)", output, MaxSequenceFloats);
                    fits = false;
                }
            }

            return fits;
        }

        private void CheckDeclaredShape(AttributeInput layer, int number, string name, int inferred, int producer, AttributeKind producerKind)
        {
            ArgumentInput? declared = layer.Find(name);
            if (declared is { HasError: false, Value: int value } && value != inferred)
            {
                string source = producer == 0 ? "the model input" : $"the output of layer {producer} ({producerKind})";
                Report(DiagnosticDescriptors.ContradictingShape, declared.Location, number, layer.Kind, name, value, inferred, source);
            }
        }

        private int Units(AttributeInput layer, int number)
        {
            ArgumentInput? argument = layer.Find("units");
            if (argument is null)
            {
                Report(DiagnosticDescriptors.InvalidUnits, layer.Location, number, layer.Kind, "missing");
                return 0;
            }

            if (argument.HasError || argument.Value is not int units)
            {
                return 0;
            }

            if (units <= 0)
            {
                Report(DiagnosticDescriptors.InvalidUnits, argument.Location, number, layer.Kind, units);
            }
            else if (units > MaxWidth)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, argument.Location, LayerLabel(number, layer.Kind), "units", units, MaxWidth);
            }

            return units;
        }

        private string Activation(AttributeInput layer, int number, string property, string defaultName, bool allowSoftmax)
        {
            ArgumentInput? argument = layer.Find(property);
            if (argument is null || argument.HasError)
            {
                return defaultName;
            }

            string? written = argument.Value as string;
            string? canonical = ActivationCatalog.Canonical(written);
            if (canonical is null)
            {
                string? nearest = NameSuggester.Nearest(written!, ActivationCatalog.Names);
                Report(DiagnosticDescriptors.UnknownActivation, argument.Location, number, layer.Kind, property, written!,
                    nearest is null ? string.Empty : $" Did you mean '{nearest}'?",
                    ActivationCatalog.ListForMessage(allowSoftmax));
                return defaultName;
            }

            if (canonical == "softmax" && !allowSoftmax)
            {
                Report(DiagnosticDescriptors.ActivationNotAllowed, argument.Location, number, layer.Kind, property, written!,
                    "softmax couples all units, which only a Dense layer supports; use it on a Dense layer after this one");
                return defaultName;
            }

            return canonical;
        }

        private string Initializer(AttributeInput layer, int number, string property, string defaultName, bool isMatrix)
        {
            ArgumentInput? argument = layer.Find(property);
            if (argument is null || argument.HasError)
            {
                return defaultName;
            }

            string written = argument.Value as string ?? string.Empty;
            if (!InitializerSpec.TryParse(written, out InitializerSpec spec, out string error, out bool unknownName))
            {
                if (unknownName)
                {
                    int open = written.IndexOf('(');
                    string name = open < 0 ? written : written.Substring(0, open);
                    string? nearest = NameSuggester.Nearest(name, InitializerSpec.Names);
                    Report(DiagnosticDescriptors.UnknownInitializer, argument.Location, number, layer.Kind, property, written,
                        nearest is null ? string.Empty : $" Did you mean '{nearest}'?", string.Join(", ", InitializerSpec.Names));
                }
                else
                {
                    Report(DiagnosticDescriptors.MalformedInitializer, argument.Location, number, layer.Kind, property, error);
                }

                return defaultName;
            }

            if (!isMatrix && (spec.Name == "orthogonal" || spec.Name == "identity"))
            {
                Report(DiagnosticDescriptors.MalformedInitializer, argument.Location, number, layer.Kind, property,
                    $"'{spec.Name}' needs a 2-D weight, and this one is 1-D (Keras raises the same error)");
                return defaultName;
            }

            return spec.ToString();
        }

        private static bool Bool(AttributeInput layer, string property, bool defaultValue) =>
            layer.Find(property) is { HasError: false, Value: bool value } ? value : defaultValue;

        private MergeMode Merge(AttributeInput layer, int number, bool bidirectional)
        {
            ArgumentInput? argument = layer.Find("MergeMode");
            if (argument is null || argument.HasError || argument.Value is not int value)
            {
                return MergeMode.Concat;
            }

            if (!bidirectional)
            {
                Report(DiagnosticDescriptors.MergeModeWithoutBidirectional, argument.Location, number, layer.Kind);
            }

            if (value < (int)MergeMode.Concat || value > (int)MergeMode.None)
            {
                Report(DiagnosticDescriptors.ActivationNotAllowed, argument.Location, number, layer.Kind, "MergeMode", value,
                    "use one of MergeMode.Concat, Sum, Mul, Ave or None");
                return MergeMode.Concat;
            }

            return (MergeMode)value;
        }

        private double Rate(AttributeInput layer, int number, string property)
        {
            ArgumentInput? argument = layer.Find(property);
            if (argument is null || argument.HasError)
            {
                return 0;
            }

            double rate = Convert.ToDouble(argument.Value, CultureInfo.InvariantCulture);
            if (!(rate >= 0 && rate < 1))
            {
                Report(DiagnosticDescriptors.DropoutRateOutOfRange, argument.Location, number, layer.Kind,
                    property == "rate" ? "rate" : property, rate.ToString("R", CultureInfo.InvariantCulture));
            }

            return rate;
        }

        private string NextName(string stem)
        {
            _nameCounts.TryGetValue(stem, out int count);
            _nameCounts[stem] = count + 1;
            return count == 0 ? stem : stem + "_" + count.ToString(CultureInfo.InvariantCulture);
        }

        private static string LayerLabel(int number, AttributeKind kind) => $"Layer {number} ({kind})";

        private static long ParameterCount(LayerSpec spec) =>
            spec.Directions * LayerShapes.ParameterCount(spec.Kind, spec.InputWidth, spec.Units, spec.UseBias, spec.ResetAfter);

        private static bool IsError(DiagnosticInfo diagnostic) =>
            DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            Diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? _input.ClassLocation, arguments));
    }
}
