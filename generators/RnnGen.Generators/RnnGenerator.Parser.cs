using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using RnnGen.Generators.Emit;
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

    // Layer attributes of one model (Dense and Dropout included). Deep Keras recurrent stacks have a handful of
    // recurrent layers (GNMT's encoder has 8 LSTM layers, DeepSpeech 2 up to 7 recurrent ones); 64 leaves room for a
    // Dropout and a Dense after each of 21 of them, and keeps the generated source under 6 M characters (64 bidirectional
    // LSTM layers, the largest kind, generate 5.7 M; a 1,000-layer stack would generate 33 M and take half a minute to
    // compile). GeneratorLimitsTests measures it.
    internal const int MaxLayers = 64;


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

    /// <summary>
    /// What reaches a layer of a stack: the width and whether it is a sequence (null where an earlier error leaves it
    /// unknown), the layer that produced it (0: the model input), and the last layer before it of the kinds that can
    /// drop the time axis (LastRecurrent: a recurrent layer, or a global pooling layer, which always drops it).
    /// </summary>
    private readonly record struct Incoming(int? Width, bool? IsSequence, int Producer, AttributeKind ProducerKind, int LastRecurrent, AttributeKind LastRecurrentKind)
    {
        /// <summary>Timesteps of the sequence that reaches the layer (the model's until a Conv1D or pooling layer changes them); null where unknown.</summary>
        public int? Timesteps { get; init; }
    }

    private sealed partial class ModelParser
    {
        private readonly ModelInput _input;
        private readonly CancellationToken _cancellationToken;
        private readonly KerasNameCounter _names = new();

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
                    string named = ListOf(layers.Select((l, i) => $"[{l.Kind}] (layer {i + 1})").ToList());
                    foreach (AttributeInput extra in layers.Skip(1))
                    {
                        Report(DiagnosticDescriptors.LayersWithoutSequential, extra.Location, _input.DisplayName, layers.Count, named);
                    }

                    return null;
                }

                if (layers[0].Kind is AttributeKind.Dense or AttributeKind.Dropout or AttributeKind.LayerNormalization or AttributeKind.BatchNormalization or AttributeKind.Normalization
                    or AttributeKind.Activation or AttributeKind.Rescaling or AttributeKind.Masking or AttributeKind.GlobalAveragePooling1D or AttributeKind.GlobalMaxPooling1D or AttributeKind.Embedding
                    or AttributeKind.Conv1D or AttributeKind.MaxPooling1D or AttributeKind.AveragePooling1D
                    or AttributeKind.Flatten or AttributeKind.Reshape or AttributeKind.RepeatVector)
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

            // Checked before any layer: the generated source grows with the layer count (10 K to 90 K characters a
            // layer), and a declaration far past any real model would make every build slow.
            if (layers.Count > MaxLayers)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, (sequential ?? layers[0]).Location, $"'{_input.DisplayName}'",
                    "the number of layers", layers.Count, MaxLayers);
                return null;
            }

            // With a bad input shape, still check every layer (its own arguments, and its shape against the layers
            // before it where that is known), so one build reports every mistake.
            InputShape(sequential, layers, out int? knownTimesteps, out int? knownInputDim);
            List<LayerSpec> specs = InferLayers(layers, knownTimesteps, knownInputDim);
            if (knownTimesteps is not int timesteps || knownInputDim is not int inputDim || specs.Count != layers.Count)
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
                IsSequential: sequential is not null, timesteps, inputDim, specs.ToEquatableArray())
            {
                WeightPrecision = ParseWeightPrecision(sequential, specs),
            };

            // The class cannot share its name with a member the emitter will declare in it (CS0542).
            if (GeneratedNames.Members(spec).Contains(_input.ClassName))
            {
                Report(DiagnosticDescriptors.NameClashesWithGeneratedMember, _input.ClassLocation, _input.ClassName,
                    Array.IndexOf(GeneratedNames.PublicMembers, _input.ClassName) >= 0 ? "a public member" : "a private member of the generated implementation");
                return null;
            }

            // A user member the generated class would declare again: reported on the user's member, before the compiler
            // reports it inside the generated file.
            if (!Diagnostics.Any(IsError))
            {
                foreach (var (member, clash, remedy) in MemberClashes(_input, spec))
                {
                    Report(DiagnosticDescriptors.MemberClashesWithGeneratedMember, member.Location,
                        char.ToUpperInvariant(member.Kind[0]) + member.Kind.Substring(1), member.Display, clash, _input.DisplayName, remedy);
                }
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
        // first layer). Both declared and different is a contradiction on the layer. Null where it is missing or wrong.
        private void InputShape(AttributeInput? sequential, List<AttributeInput> layers, out int? timesteps, out int? inputDim)
        {
            AttributeInput first = FirstShapedLayer(layers);
            int firstIndex = layers.IndexOf(first) + 1;
            string owner = sequential is null ? LayerLabel(firstIndex, first.Kind) : $"'{_input.DisplayName}' ([Sequential])";

            // Only a recurrent layer has Timesteps and InputDim properties (DenseAttribute and DropoutAttribute do not),
            // so suggest the first layer only when it is one.
            string where = sequential is null ? "is missing"
                : IsRecurrent(layers[0].Kind) ? "is missing: declare it on [Sequential] or on the first layer"
                : "is missing: declare it on [Sequential]";
            timesteps = Dimension(sequential, first, firstIndex, owner, where, "Timesteps", MaxTimesteps, DiagnosticDescriptors.InvalidTimesteps);
            inputDim = layers[0].Kind == AttributeKind.Embedding ? EmbeddingModelInputDim(sequential, owner) : Dimension(sequential, first, firstIndex, owner, where, "InputDim", MaxWidth, DiagnosticDescriptors.InvalidInputDim);
        }

        private int? Dimension(AttributeInput? sequential, AttributeInput first, int firstIndex, string owner, string whereMissing,
            string name, int max, Microsoft.CodeAnalysis.DiagnosticDescriptor missing)
        {
            ArgumentInput? onModel = sequential?.Find(name);
            ArgumentInput? onLayer = first.Find(name);
            ArgumentInput? declared = onModel ?? onLayer;
            if (declared is null)
            {
                Report(missing, (sequential ?? first).Location, owner, whereMissing);
                return null;
            }

            if (declared.HasError || declared.Value is not int number)
            {
                return null; // the compiler reports the bad constant itself
            }

            if (number <= 0)
            {
                Report(missing, declared.Location, owner, $"is {number}, which is not positive");
                return null;
            }

            if (number > max)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, declared.Location, owner, name, number, max);
                return null;
            }

            if (onModel is not null && onLayer is not null && !onLayer.HasError && onLayer.Value is int layerValue && layerValue != number)
            {
                Report(DiagnosticDescriptors.ContradictingShape, onLayer.Location, firstIndex, first.Kind, name, layerValue, number, "declared on [Sequential]");
                return null;
            }

            return number;
        }

        // The layer whose Timesteps/InputDim InputShape reads: the first that is not a Dropout.
        private static AttributeInput FirstShapedLayer(List<AttributeInput> layers) =>
            layers.FirstOrDefault(l => l.Kind != AttributeKind.Dropout) ?? layers[0];

        // Null timesteps or inputDim: the model input shape is missing or wrong (already reported). The layers are still
        // checked, against what is known.
        private List<LayerSpec> InferLayers(List<AttributeInput> layers, int? timesteps, int? inputDim)
        {
            var specs = new List<LayerSpec>();
            var incoming = new Incoming(inputDim, IsSequence: true, Producer: 0, AttributeKind.Sequential, LastRecurrent: 0, AttributeKind.Sequential) { Timesteps = timesteps };
            int firstShaped = layers.IndexOf(FirstShapedLayer(layers));
            bool valid = true;

            for (int i = 0; i < layers.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                AttributeInput layer = layers[i];
                int number = i + 1;
                LayerSpec? spec = layer.Kind switch
                {
                    AttributeKind.Dense => ParseDense(layer, number, incoming),
                    AttributeKind.Dropout => ParseDropout(layer, number, incoming),
                    AttributeKind.LayerNormalization or AttributeKind.BatchNormalization or AttributeKind.Normalization => ParseNormalization(layer, number, incoming),
                    AttributeKind.Activation => ParseActivationLayer(layer, number, incoming),
                    AttributeKind.Rescaling => ParseRescaling(layer, number, incoming),
                    AttributeKind.Masking => ParseMasking(layer, number, incoming),
                    AttributeKind.Embedding => ParseEmbedding(layer, number, incoming),
                    AttributeKind.GlobalAveragePooling1D or AttributeKind.GlobalMaxPooling1D => ParseGlobalPooling(layers, layer, number, incoming),
                    AttributeKind.Conv1D => ParseConv1D(layers, layer, number, incoming),
                    AttributeKind.MaxPooling1D or AttributeKind.AveragePooling1D => ParsePooling1D(layers, layer, number, incoming),
                    AttributeKind.Flatten => ParseFlatten(layers, layer, number, incoming),
                    AttributeKind.Reshape => ParseReshape(layers, layer, number, incoming),
                    AttributeKind.RepeatVector => ParseRepeatVector(layers, layer, number, incoming),
                    // InputShape has already checked the Timesteps/InputDim the first layer declares.
                    _ => ParseRecurrent(layers, i, incoming, checkDeclaredShape: i != firstShaped),
                };

                if (spec is null)
                {
                    valid = false;
                }
                else
                {
                    // Every layer keeps the timesteps that reach it, but a Conv1D or pooling layer, which computes its own.
                    int inputTimesteps = incoming.Timesteps ?? 0;
                    spec = spec with { InputTimesteps = inputTimesteps, OutputTimesteps = spec.ChangesTimeAxis ? spec.OutputTimesteps : inputTimesteps };
                    specs.Add(spec);
                }

                // Dropout passes its input on unchanged. Any other layer feeds the next one what it computes, and a layer
                // with errors still what it declares, so the next layer is checked against that rather than against a
                // width from further back.
                if (layer.Kind != AttributeKind.Dropout)
                {
                    (int? width, bool? isSequence) = spec is null
                        ? DeclaredOutput(layer, incoming)
                        : (spec.OutputWidth, spec.OutputIsSequence);
                    bool recurrent = DropsTimeAxis(layer.Kind);
                    incoming = new Incoming(width, isSequence, number, layer.Kind,
                        recurrent ? number : incoming.LastRecurrent, recurrent ? layer.Kind : incoming.LastRecurrentKind)
                    {
                        Timesteps = !ChangesTimeAxis(layer.Kind) ? incoming.Timesteps
                            : spec is null ? null
                            : spec.OutputTimesteps,
                    };
                }
            }

            return valid ? specs : new List<LayerSpec>();
        }

        // The output of a layer that has errors, as far as its declaration says: its width when its units (and, for a
        // Bidirectional layer, its merge mode) are valid, and whether it returns a sequence when ReturnSequences
        // compiled. A Dense layer keeps its input's time axis, or its absence (Keras Dense acts on the last axis).
        private static (int? Width, bool? IsSequence) DeclaredOutput(AttributeInput layer, Incoming incoming)
        {
            if (layer.Kind is AttributeKind.LayerNormalization or AttributeKind.BatchNormalization or AttributeKind.Normalization or AttributeKind.Activation or AttributeKind.Rescaling or AttributeKind.Masking)
            {
                // Normalization and the elementwise layers keep their input's shape.
                return (incoming.Width, incoming.IsSequence);
            }

            if (IsGlobalPooling(layer.Kind))
            {
                return (incoming.Width, false);
            }

            if (layer.Kind is AttributeKind.MaxPooling1D or AttributeKind.AveragePooling1D or AttributeKind.RepeatVector)
            {
                return (incoming.Width, true);
            }

            if (layer.Kind is AttributeKind.Flatten or AttributeKind.Reshape)
            {
                return (null, layer.Kind == AttributeKind.Reshape ? layer.Find("targetTimesteps") is not null : false);
            }

            if (layer.Kind == AttributeKind.Conv1D)
            {
                return (layer.Find("filters") is { HasError: false, Value: int filters } && filters > 0 && filters <= MaxWidth ? filters : null, true);
            }

            int? units = layer.Find(layer.Kind == AttributeKind.Embedding ? "outputDim" : "units") is { HasError: false, Value: int value } && value > 0 && value <= MaxWidth ? value : null;
            if (layer.Kind is AttributeKind.Dense or AttributeKind.Embedding)
            {
                return (units, incoming.IsSequence);
            }

            bool? bidirectional = KnownBool(layer, LayerOptions.Bidirectional, false);
            MergeMode? mergeMode = layer.Find("MergeMode") switch
            {
                null => MergeMode.Concat,
                { HasError: false, Value: int mode } when mode >= (int)MergeMode.Concat && mode <= (int)MergeMode.None => (MergeMode)mode,
                _ => null,
            };
            int? width = bidirectional switch
            {
                false => units,
                // MergeMode.None passes two tensors on, which RNNG014 reports; there is no one width to check against.
                true => mergeMode switch
                {
                    MergeMode.Concat => 2 * units,
                    MergeMode.Sum or MergeMode.Mul or MergeMode.Ave => units,
                    _ => null,
                },
                null => null,
            };
            return (width, KnownBool(layer, LayerOptions.ReturnSequences, false));
        }

        // RNNG012: a layer that needs a sequence after the last recurrent layer returned its last output only. Only a
        // recurrent layer drops the time axis (the model input has one, and Dense and Dropout keep a 2-D input 2-D, as
        // in Keras), so the fix is on the last recurrent layer, whatever lies in between.
        private void ReportWithoutSequence(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            List<AttributeKind> between = layers.Skip(incoming.LastRecurrent).Take(number - 1 - incoming.LastRecurrent).Select(l => l.Kind).ToList();
            string passedOn = between.Count switch
            {
                0 => string.Empty,
                1 => $", and the layer in between ({between[0]}) keeps it without a time axis",
                _ => $", and the layers in between ({string.Join(", ", between)}) keep it without a time axis",
            };
            Report(DiagnosticDescriptors.RecurrentLayerWithoutSequence, layer.Location, number, layer.Kind,
                incoming.LastRecurrent, incoming.LastRecurrentKind, passedOn);
        }

        private LayerSpec? ParseRecurrent(List<AttributeInput> layers, int index, Incoming incoming, bool checkDeclaredShape)
        {
            AttributeInput layer = layers[index];
            int number = index + 1;
            AttributeInput? next = layers.Skip(index + 1).FirstOrDefault(l => l.Kind != AttributeKind.Dropout);
            int nextNumber = layers.IndexOf(next!) + 1;
            LayerKind kind = layer.Kind switch
            {
                AttributeKind.SimpleRnn => LayerKind.SimpleRnn,
                AttributeKind.Lstm => LayerKind.Lstm,
                _ => LayerKind.Gru,
            };
            int errors = Diagnostics.Count;

            int units = Units(layer, number);
            string activation = Activation(layer, number, LayerOptions.Activation, LayerOptions.DefaultRecurrentLayerActivation, allowSoftmax: false);
            string? recurrentActivation = kind == LayerKind.SimpleRnn
                ? null
                : Activation(layer, number, LayerOptions.RecurrentActivation, LayerOptions.DefaultRecurrentActivation, allowSoftmax: false);
            bool useBias = Bool(layer, LayerOptions.UseBias, LayerOptions.DefaultUseBias);
            bool resetAfter = kind == LayerKind.Gru && Bool(layer, LayerOptions.ResetAfter, LayerOptions.DefaultResetAfter);
            bool returnSequences = Bool(layer, LayerOptions.ReturnSequences, false);
            bool returnState = Bool(layer, LayerOptions.ReturnState, false);
            bool goBackwards = Bool(layer, LayerOptions.GoBackwards, false);
            bool stateful = Bool(layer, LayerOptions.Stateful, false);
            bool bidirectional = Bool(layer, LayerOptions.Bidirectional, false);
            MergeMode mergeMode = Merge(layer, number, bidirectional);
            double dropout = Rate(layer, number, "Dropout");
            double recurrentDropout = Rate(layer, number, "RecurrentDropout");

            if (bidirectional && goBackwards)
            {
                Report(DiagnosticDescriptors.BidirectionalGoBackwards, layer.Find("GoBackwards")?.Location ?? layer.Location, number, layer.Kind);
            }

            int biasRows = LayerShapes.BiasRows(kind, resetAfter);
            string kernelInitializer = Initializer(layer, number, LayerOptions.KernelInitializer, LayerOptions.DefaultKernelInitializer, isMatrix: true);
            string recurrentInitializer = Initializer(layer, number, LayerOptions.RecurrentInitializer, LayerOptions.DefaultRecurrentInitializer, isMatrix: true);
            string biasInitializer = Initializer(layer, number, LayerOptions.BiasInitializer, LayerOptions.DefaultBiasInitializer, isMatrix: biasRows == 2);

            if (incoming.IsSequence == false)
            {
                ReportNoSequence(layers, layer, number, incoming);
            }
            else if (incoming.IsSequence == true && checkDeclaredShape)
            {
                CheckDeclaredShape(layer, number, "Timesteps", incoming.Timesteps, incoming);
                CheckDeclaredShape(layer, number, "InputDim", incoming.Width, incoming);
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
            string innerName = _names.Next(LayerShapes.KerasNameStem(kind));
            string name = bidirectional ? _names.Next("bidirectional") : innerName;

            int outputWidth = LayerShapes.OutputWidth(kind, incoming.Width ?? 0, units, bidirectional, mergeMode);
            return new LayerSpec
            {
                Kind = kind,
                Index = number - 1,
                Name = name,
                InnerName = innerName,
                Units = units,
                InputWidth = incoming.Width ?? 0,
                InputIsSequence = true,
                OutputWidth = outputWidth,
                OutputIsSequence = returnSequences,
                Activation = activation,
                RecurrentActivation = recurrentActivation,
                UseBias = useBias,
                UnitForgetBias = kind == LayerKind.Lstm && Bool(layer, LayerOptions.UnitForgetBias, LayerOptions.DefaultUnitForgetBias),
                ResetAfter = resetAfter,
                ReturnSequences = returnSequences,
                ReturnState = returnState,
                GoBackwards = goBackwards,
                Stateful = stateful,
                Bidirectional = bidirectional,
                MergeMode = mergeMode,
                KernelInitializer = kernelInitializer,
                RecurrentInitializer = recurrentInitializer,
                BiasInitializer = biasInitializer,
                DropoutRate = dropout,
                RecurrentDropoutRate = recurrentDropout,
            };
        }

        // A width or sequence flag the stack leaves unknown only follows a layer with errors, so the spec built with a
        // stand-in value is never emitted.
        private LayerSpec? ParseDense(AttributeInput layer, int number, Incoming incoming)
        {
            int width = incoming.Width ?? 0;
            bool isSequence = incoming.IsSequence ?? true;
            int errors = Diagnostics.Count;
            int units = Units(layer, number);
            string activation = Activation(layer, number, LayerOptions.Activation, LayerOptions.DefaultDenseActivation, allowSoftmax: true);
            bool useBias = Bool(layer, LayerOptions.UseBias, LayerOptions.DefaultUseBias);
            string kernelInitializer = Initializer(layer, number, LayerOptions.KernelInitializer, LayerOptions.DefaultKernelInitializer, isMatrix: true);
            string biasInitializer = Initializer(layer, number, LayerOptions.BiasInitializer, LayerOptions.DefaultBiasInitializer, isMatrix: false);
            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            return new LayerSpec
            {
                Kind = LayerKind.Dense,
                Index = number - 1,
                Name = _names.Next("dense"),
                Units = units,
                InputWidth = width,
                InputIsSequence = isSequence,
                OutputWidth = units,
                OutputIsSequence = isSequence,
                Activation = activation,
                UseBias = useBias,
                KernelInitializer = kernelInitializer,
                BiasInitializer = biasInitializer,
            };
        }

        private LayerSpec? ParseDropout(AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            double rate = Rate(layer, number, "rate");
            return Diagnostics.Skip(errors).Any(IsError) ? null : ShapeKeepingSpec(LayerKind.Dropout, number, incoming) with { DropoutRate = rate };
        }

        // LayerNormalization, BatchNormalization and Normalization: per feature on the last axis, so the shape passes through.
        private LayerSpec? ParseNormalization(AttributeInput layer, int number, Incoming incoming)
        {
            bool isSequence = incoming.IsSequence ?? true;
            int errors = Diagnostics.Count;
            LayerKind kind = layer.Kind switch
            {
                AttributeKind.LayerNormalization => LayerKind.LayerNormalization,
                AttributeKind.BatchNormalization => LayerKind.BatchNormalization,
                _ => LayerKind.Normalization,
            };

            // Keras counts axes of (batch, timesteps, features) or (batch, features): -1 and the last positive index
            // are the features axis.
            if (layer.Find(LayerOptions.Axis) is { HasError: false, Value: int axis } axisArgument)
            {
                int rank = incoming.IsSequence == false ? 2 : 3;
                bool last = axis == -1 || (incoming.IsSequence is not null && axis == rank - 1);
                if (!last)
                {
                    string features = incoming.Width is int w ? w.ToString(CultureInfo.InvariantCulture) : "features";
                    string shape = isSequence ? $"(batch, timesteps, {features})" : $"(batch, {features})";
                    string what = axis == 0 || axis == -rank ? $"is the batch axis of its {shape} input"
                        : isSequence && (axis == 1 || axis == -2) ? $"is the time axis of its {shape} input"
                        : $"is not an axis of its {shape} input";
                    Report(DiagnosticDescriptors.NormalizationAxisNotLast, axisArgument.Location, number, layer.Kind, axis, what);
                }
            }

            if (kind == LayerKind.Normalization)
            {
                // Keras Normalization has no epsilon, center or scale: its floor on the deviation is backend.epsilon().
                return Diagnostics.Skip(errors).Any(IsError) ? null : ShapeKeepingSpec(kind, number, incoming) with
                {
                    Epsilon = LayerOptions.BackendEpsilon,
                    Invert = Bool(layer, LayerOptions.Invert, LayerOptions.DefaultInvert),
                };
            }

            float epsilon = Float(layer, LayerOptions.Epsilon, LayerOptions.DefaultNormalizationEpsilon, out ArgumentInput? epsilonArgument);
            if (!(epsilon > 0) || float.IsInfinity(epsilon))
            {
                Report(DiagnosticDescriptors.InvalidEpsilon, epsilonArgument?.Location ?? layer.Location, number, layer.Kind,
                    epsilon.ToString("R", CultureInfo.InvariantCulture));
            }

            float momentum = 0;
            if (kind == LayerKind.BatchNormalization)
            {
                momentum = Float(layer, LayerOptions.Momentum, LayerOptions.DefaultMomentum, out ArgumentInput? momentumArgument);
                if (!(momentum >= 0 && momentum <= 1))
                {
                    Report(DiagnosticDescriptors.InvalidMomentum, momentumArgument?.Location ?? layer.Location, number, layer.Kind,
                        momentum.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            return ShapeKeepingSpec(kind, number, incoming) with
            {
                Epsilon = epsilon,
                Center = Bool(layer, LayerOptions.Center, LayerOptions.DefaultCenter),
                Scale = Bool(layer, LayerOptions.Scale, LayerOptions.DefaultScale),
                Momentum = momentum,
            };
        }

        // A float option: the default when absent or not compiled (the compiler reports that).
        private static float Float(AttributeInput layer, string property, float defaultValue, out ArgumentInput? argument)
        {
            argument = layer.Find(property);
            return argument is { HasError: false, Value: not null and not string and not bool }
                ? Convert.ToSingle(argument.Value, CultureInfo.InvariantCulture)
                : defaultValue;
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
                long output = (long)specs[i].OutputTimesteps * specs[i].OutputWidth;
                if (specs[i].Kind != LayerKind.Dropout && specs[i].OutputIsSequence && output > MaxSequenceFloats)
                {
                    Report(DiagnosticDescriptors.SizeTooLarge, layers[i].Location, LayerLabel(i + 1, layers[i].Kind),
                        $"the output sequence (Timesteps x width = {specs[i].OutputTimesteps} x {specs[i].OutputWidth} floats)", output, MaxSequenceFloats);
                    fits = false;
                }
            }

            return fits;
        }

        // Skipped when the inferred value is unknown: an earlier error left it so, and comparing would invent a mistake.
        private void CheckDeclaredShape(AttributeInput layer, int number, string name, int? inferred, Incoming incoming)
        {
            ArgumentInput? declared = layer.Find(name);
            if (inferred is not null && declared is { HasError: false, Value: int value } && value != inferred)
            {
                string source = incoming.Producer == 0 ? "the model input" : $"the output of layer {incoming.Producer} ({incoming.ProducerKind})";
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
                Report(DiagnosticDescriptors.OptionValueNotAllowed, argument.Location, number, layer.Kind, property, written!,
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

        // The default also where the argument did not compile (the compiler reports it).
        private static bool Bool(AttributeInput layer, string property, bool defaultValue) =>
            KnownBool(layer, property, defaultValue) ?? defaultValue;

        // Null when the argument is written but did not compile: its value is unknown, not the default.
        private static bool? KnownBool(AttributeInput layer, string property, bool defaultValue) =>
            layer.Find(property) switch
            {
                null => defaultValue,
                { HasError: false, Value: bool value } => value,
                _ => null,
            };

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
                Report(DiagnosticDescriptors.OptionValueNotAllowed, argument.Location, number, layer.Kind, "MergeMode", value,
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


        private static string LayerLabel(int number, AttributeKind kind) => $"Layer {number} ({kind})";

        private static bool IsRecurrent(AttributeKind kind) => kind is AttributeKind.SimpleRnn or AttributeKind.Lstm or AttributeKind.Gru;

        // "a", "a and b", "a, b and c".
        private static string ListOf(IReadOnlyList<string> items) =>
            items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

        private static long ParameterCount(LayerSpec spec) =>
            spec.Directions * LayerShapes.ParameterCount(spec.Kind, spec.WeightInputWidth, spec.Units, spec.UseBias, spec.ResetAfter, spec.Center, spec.Scale, spec.Window, spec.Groups);

        private static bool IsError(DiagnosticInfo diagnostic) =>
            DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            Diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? _input.ClassLocation, arguments));
    }
}
