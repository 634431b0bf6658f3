using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Emit;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private const string GraphAttributeName = "RnnGen.GraphAttribute";

    /// <summary>
    /// The <c>[Graph]</c> pipeline. Its transform reads the graph's attributes and, through the symbols of the node
    /// types, each chain model's attributes, which it parses as the model pipeline does (for shapes only; the chain
    /// reports its own errors). The transform runs again on every compilation change, so an edit to a chain class
    /// re-checks the graphs that use it; its result is equatable, so the emit step runs only when it changes.
    /// </summary>
    private static void RegisterGraphs(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<(GraphSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)> graphs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GraphAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (attributeContext, cancellationToken) => GraphParser.Run(attributeContext, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = graphs
            .Select(static (g, _) => g.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        ReportDiagnostics(context, diagnostics);

        IncrementalValuesProvider<GraphSpec> specs = graphs
            .Select(static (g, _) => g.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Spec);
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, GraphEmitter.Write(spec)));
    }

    /// <summary>A chain model's spec from its class's attributes, or null when it has none or has errors.</summary>
    private static ModelSpec? ChainSpec(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var ours = new List<(AttributeKind Kind, AttributeData Data, AttributeSyntax? Syntax)>();
        foreach (AttributeData data in type.GetAttributes())
        {
            if (KindOf(data.AttributeClass) is AttributeKind kind)
            {
                ours.Add((kind, data, data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax));
            }
        }

        if (ours.Count == 0 || ours.Any(a => a.Data.AttributeConstructor is null))
        {
            return null;
        }

        ours = ours
            .OrderBy(a => a.Syntax?.SyntaxTree.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(a => a.Syntax?.SpanStart ?? 0)
            .ToList();
        var input = new ModelInput(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes: ContainingTypes(type),
            ClassName: type.Name,
            DeclarationKeyword: "class",
            IsPartial: true,
            UnsupportedReason: null,
            NonPartialContainingType: null,
            AttributesOnSeveralDeclarations: false,
            HasPrimaryConstructor: false,
            ClassLocation: null,
            Attributes: ours.Select(a => new AttributeInput(a.Kind, null, ReadArguments(a.Data, a.Syntax))).ToEquatableArray(),
            Members: EquatableArray<UserMember>.Empty);
        return Parse(input, cancellationToken).Spec;
    }

    /// <summary>What a graph needs of a chain model: its types' names, shapes and states (see <see cref="GraphChain"/>).</summary>
    private static GraphChain ChainOf(INamedTypeSymbol type, ModelLayout layout)
    {
        ModelSpec spec = layout.Spec;
        OutputLayout result = layout.Outputs[0];
        var states = layout.Outputs.Where(o => o.IsState).ToList();
        var initial = layout.InitialStateLayer?.States.Select(s => s.FieldName).ToList() ?? new List<string>();
        return new GraphChain(
            TypeName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            DisplayName: type.Name,
            Timesteps: spec.Timesteps,
            InputDim: spec.InputDim,
            ResultTimesteps: result.IsSequence ? result.Rows : 0,
            ResultWidth: result.Width,
            StateFields: states.Select(s => s.FieldName).ToEquatableArray(),
            StateWidth: states.Count > 0 ? states[0].Width : 0,
            InitialStateFields: initial.ToEquatableArray(),
            InitialStateWidth: layout.InitialStateLayer?.Spec.Units ?? 0,
            WeightArrays: layout.Weights.Count,
            LayerCount: spec.Layers.Count,
            MaskValue: layout.MaskingLayer?.MaskValue ?? 0f,
            MaskLayer: layout.MaskingLayer is not { } maker ? null : maker.Kind == LayerKind.Masking ? "[Masking]" : "[Embedding(MaskZero = true)]",
            ResetsMask: spec.Layers.Count > 0 && spec.Layers[0].Kind is LayerKind.Masking or LayerKind.Embedding,
            TakesMask: layout.HasMaskedApi,
            DropsMask: spec.Layers.Any(l => l.ChangesTimeAxis),
            MaskBlocker: MaskBlocker(spec));
    }

    /// <summary>The first layer that changes the timesteps, as an attribute, when a layer before it reads the mask; else null.</summary>
    private static string? MaskBlocker(ModelSpec spec)
    {
        bool reads = false;
        foreach (LayerSpec layer in spec.Layers)
        {
            if (layer.ChangesTimeAxis)
            {
                return reads ? $"[{layer.Kind}]" : null;
            }

            reads |= layer.IsRecurrent || layer.TakesMask;
        }

        return null;
    }

    /// <summary>
    /// Checks a <c>[Graph]</c> declaration and resolves it to a <see cref="GraphSpec"/>: names, what each node reads, the
    /// order nodes run in (a cycle is an error), every shape where tensors join, initial states and outputs. Each
    /// mistake is reported once, on the attribute argument that causes it.
    /// </summary>
    private sealed class GraphParser
    {
        private readonly List<DiagnosticInfo> _diagnostics = new();
        private readonly CancellationToken _cancellationToken;
        private readonly string _className;

        private GraphParser(string className, CancellationToken cancellationToken)
        {
            _className = className;
            _cancellationToken = cancellationToken;
        }

        /// <summary>One declared tensor: a graph input, a chain node or a merge, as written.</summary>
        private sealed class Declared
        {
            public required string Kind { get; init; } // "[GraphInput]", "[GraphNode]", "[Merge]"
            public required string Name { get; init; }
            public required AttributeSyntax? Syntax { get; init; }
            public List<(string Name, LocationInfo? Location)> Reads { get; } = new();
            public (string Name, LocationInfo? Location)? InitialState { get; set; }
            public (string Name, LocationInfo? Location)? Shares { get; set; }
            public List<string>? FileLayers { get; set; }

            // What the node must run after: the tensors it reads and the node whose states start it.
            public IEnumerable<(string Name, LocationInfo? Location)> RunsAfter =>
                InitialState is { } initial ? Reads.Append(initial) : Reads;
            public int Timesteps { get; set; }
            public int InputDim { get; set; }
            public INamedTypeSymbol? ModelType { get; set; }
            public GraphChain? Chain { get; set; }
            public MergeOperation Operation { get; set; }

            // [Merge(..., MergeOperation.Dot)]: Axes as written (null: the last of both), Normalize, and the resolved plan.
            public int[]? DotAxes { get; set; }
            public bool Normalize { get; set; }
            public GraphDot? Dot { get; set; }

            // [Attention] / [AdditiveAttention]: use_scale, score_mode concat, and the resolved sizes.
            public bool UseScale { get; set; }
            public bool Concat { get; set; }
            public GraphAttention? Attention { get; set; }

            // [MultiHeadAttention]: num_heads, key_dim, value_dim (0: key_dim), use_bias, output_shape (0: the query's
            // width), use_causal_mask, and the resolved sizes.
            public int NumHeads { get; set; }
            public int KeyDim { get; set; }
            public int ValueDim { get; set; }
            public bool UseBias { get; set; }
            public int OutputShape { get; set; }
            public bool Causal { get; set; }
            public GraphMultiHeadAttention? MultiHeadAttention { get; set; }

            public bool IsAttention => Kind is "[Attention]" or "[AdditiveAttention]" or "[MultiHeadAttention]";

            // The node whose Masking or Embedding(mask_zero) made the mask its output carries (GraphNodeSpec.Mask).
            public string? Mask { get; set; }

            // The node's output shape once resolved: timesteps (0 for a vector) and width; null when unknown.
            public (int Timesteps, int Width)? Shape { get; set; }

            public LocationInfo? Location => LocationInfo.From(Syntax);
        }

        public static (GraphSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics) Run(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.TargetNode is not TypeDeclarationSyntax declaration)
            {
                return (null, EquatableArray<DiagnosticInfo>.Empty);
            }

            var parser = new GraphParser(type.Name, cancellationToken);
            GraphSpec? spec = parser.Parse(type, declaration);
            return (parser._diagnostics.Count == 0 ? spec : null, parser._diagnostics.ToEquatableArray());
        }

        private GraphSpec? Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
        {
            LocationInfo? classLocation = LocationInfo.From(declaration.Identifier.GetLocation());
            bool partial = type.DeclaringSyntaxReferences.All(r => r.GetSyntax(_cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                Report(DiagnosticDescriptors.ClassNotPartial, classLocation, type.Name, type.IsRecord ? "record" : "class");
            }

            if (FirstNonPartialContainingType(type, _cancellationToken) is string outer)
            {
                Report(DiagnosticDescriptors.ContainingTypeNotPartial, classLocation, type.Name, outer);
            }

            if (UnsupportedReason(type) is string reason)
            {
                Report(DiagnosticDescriptors.UnsupportedClass, classLocation, type.Name, reason);
            }

            AttributeData? graph = null;
            var declared = new List<Declared>();
            foreach (AttributeData data in type.GetAttributes())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var syntax = data.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax;
                if (data.AttributeConstructor is null && IsGraphAttribute(data.AttributeClass))
                {
                    return null; // did not bind: the compiler reports it
                }

                switch (data.AttributeClass?.Name)
                {
                    case "GraphAttribute" when IsGraphAttribute(data.AttributeClass):
                        graph = data;
                        break;
                    case "GraphInputAttribute" when IsGraphAttribute(data.AttributeClass):
                        declared.Add(ReadInput(data, syntax));
                        break;
                    case "GraphNodeAttribute" when IsGraphAttribute(data.AttributeClass):
                        declared.Add(ReadNode(data, syntax));
                        break;
                    case "MergeAttribute" when IsGraphAttribute(data.AttributeClass):
                        declared.Add(ReadMerge(data, syntax));
                        break;
                    case "AttentionAttribute" or "AdditiveAttentionAttribute" when IsGraphAttribute(data.AttributeClass):
                        declared.Add(ReadAttention(data, syntax));
                        break;
                    case "MultiHeadAttentionAttribute" when IsGraphAttribute(data.AttributeClass):
                        declared.Add(ReadMultiHeadAttention(data, syntax));
                        break;
                    default:
                        if (KindOf(data.AttributeClass) is AttributeKind kind || IsKerasModelAttribute(data.AttributeClass))
                        {
                            string name = data.AttributeClass!.Name.Substring(0, data.AttributeClass.Name.Length - "Attribute".Length);
                            Report(DiagnosticDescriptors.GraphNotSupported, LocationInfo.From(syntax), "[" + name + "]", type.Name,
                                "a layer attribute on the graph class", "a graph's layers belong to its nodes' [Sequential] classes: move it to one of them");
                        }

                        break;
                }
            }

            if (graph is null)
            {
                return null;
            }

            var graphSyntax = graph.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax;
            List<(string Name, LocationInfo? Location)> outputs = Strings(graph, 0, graphSyntax, 0);

            CheckNames(declared);
            var byName = new Dictionary<string, Declared>(StringComparer.Ordinal);
            foreach (Declared tensor in declared)
            {
                if (!byName.ContainsKey(tensor.Name))
                {
                    byName.Add(tensor.Name, tensor);
                }
            }

            ResolveChains(declared);
            bool readsKnown = CheckReads(declared, byName);
            List<Declared>? order = readsKnown ? Order(declared, byName) : null;
            if (order is null)
            {
                return null;
            }

            foreach (Declared tensor in order)
            {
                InferShape(tensor, byName);
            }

            CheckOutputs(outputs, byName, LocationInfo.From(graphSyntax) ?? classLocation);
            CheckInputsRead(declared);
            if (_diagnostics.Count > 0 || declared.Any(d => d.Kind == "[GraphNode]" && d.Chain is null))
            {
                return null; // an error here, or a chain with errors of its own (reported on the chain)
            }

            var inputs = declared.Where(d => d.Kind == "[GraphInput]").Select(input =>
            {
                Declared first = order.First(d => d.Kind == "[GraphNode]" && d.Reads[0].Name == input.Name);
                return new GraphInputSpec(input.Name, input.Timesteps, input.InputDim, first.Chain!.TypeName + ".Input");
            }).ToEquatableArray();
            var nodes = order.Where(d => d.Kind != "[GraphInput]").Select(d => new GraphNodeSpec(d.Name, d.Reads.Select(r => r.Name).ToEquatableArray(), d.Shape!.Value.Timesteps, d.Shape.Value.Width)
            {
                Chain = d.Chain,
                InitialState = d.InitialState?.Name,
                Shares = d.Shares?.Name,
                Operation = d.Operation,
                Dot = d.Dot,
                Attention = d.Attention,
                MultiHeadAttention = d.MultiHeadAttention,
                Mask = d.Mask,
                FileLayers = (d.FileLayers ?? (d.Chain?.LayerCount == 1 ? new List<string> { d.Name } : new List<string>())).ToEquatableArray(),
            }).ToEquatableArray();

            return new GraphSpec(
                type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                ContainingTypes(type),
                type.Name,
                inputs,
                nodes,
                outputs.Select(o => o.Name).ToEquatableArray());
        }

        private static bool IsGraphAttribute(INamedTypeSymbol? attributeClass) =>
            attributeClass is { ContainingNamespace: { Name: "RnnGen", ContainingNamespace.IsGlobalNamespace: true } }
            && attributeClass.Name is "GraphAttribute" or "GraphInputAttribute" or "GraphNodeAttribute" or "MergeAttribute"
                or "AttentionAttribute" or "AdditiveAttentionAttribute" or "MultiHeadAttentionAttribute";

        private Declared ReadInput(AttributeData data, AttributeSyntax? syntax)
        {
            var input = new Declared { Kind = "[GraphInput]", Name = String(data, 0) ?? string.Empty, Syntax = syntax };
            input.Timesteps = Named<int>(data, "Timesteps");
            input.InputDim = Named<int>(data, "InputDim");
            string where = $"[GraphInput] '{input.Name}'";
            if (input.Timesteps <= 0)
            {
                Report(DiagnosticDescriptors.InvalidTimesteps, NamedLocation(syntax, "Timesteps") ?? input.Location, where,
                    input.Timesteps == 0 ? "is missing" : $"is {input.Timesteps}, not positive");
            }

            if (input.InputDim <= 0)
            {
                Report(DiagnosticDescriptors.InvalidInputDim, NamedLocation(syntax, "InputDim") ?? input.Location, where,
                    input.InputDim == 0 ? "is missing" : $"is {input.InputDim}, not positive");
            }

            input.Shape = (input.Timesteps, input.InputDim);
            return input;
        }

        private Declared ReadNode(AttributeData data, AttributeSyntax? syntax)
        {
            var node = new Declared { Kind = "[GraphNode]", Name = String(data, 0) ?? string.Empty, Syntax = syntax };
            node.ModelType = data.ConstructorArguments.Length > 1 ? data.ConstructorArguments[1].Value as INamedTypeSymbol : null;
            node.Reads.Add((String(data, 2) ?? string.Empty, PositionalLocation(syntax, 2)));
            if (Named<string>(data, "InitialState") is string initial)
            {
                node.InitialState = (initial, NamedLocation(syntax, "InitialState"));
            }

            foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
            {
                if (argument.Key == "Layers" && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
                {
                    node.FileLayers = argument.Value.Values.Select(v => v.Value as string ?? string.Empty).ToList();
                }
            }

            if (Named<string>(data, "Shares") is string shares)
            {
                node.Shares = (shares, NamedLocation(syntax, "Shares"));
            }

            return node;
        }

        private Declared ReadMerge(AttributeData data, AttributeSyntax? syntax)
        {
            var merge = new Declared { Kind = "[Merge]", Name = String(data, 0) ?? string.Empty, Syntax = syntax };
            merge.Operation = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int operation ? (MergeOperation)operation : MergeOperation.Concatenate;
            merge.Reads.AddRange(Strings(data, 2, syntax, 2));
            foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
            {
                if (argument.Key == "Axes" && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
                {
                    merge.DotAxes = argument.Value.Values.Select(v => v.Value is int axis ? axis : 0).ToArray();
                }
            }

            merge.Normalize = Named<bool>(data, "Normalize");
            return merge;
        }

        private Declared ReadAttention(AttributeData data, AttributeSyntax? syntax)
        {
            bool additive = data.AttributeClass!.Name == "AdditiveAttentionAttribute";
            var attention = new Declared { Kind = additive ? "[AdditiveAttention]" : "[Attention]", Name = String(data, 0) ?? string.Empty, Syntax = syntax };
            attention.Reads.Add((String(data, 1) ?? string.Empty, PositionalLocation(syntax, 1)));
            attention.Reads.Add((String(data, 2) ?? string.Empty, PositionalLocation(syntax, 2)));
            if (Named<string>(data, "Key") is string key)
            {
                attention.Reads.Add((key, NamedLocation(syntax, "Key")));
            }

            attention.UseScale = data.NamedArguments.Any(a => a.Key == "UseScale") ? Named<bool>(data, "UseScale") : additive;
            string mode = Named<string>(data, "ScoreMode") ?? "dot";
            attention.Concat = mode == "concat";
            if (mode is not ("dot" or "concat"))
            {
                Report(DiagnosticDescriptors.GraphNotSupported, NamedLocation(syntax, "ScoreMode") ?? attention.Location, attention.Kind, attention.Name,
                    $"ScoreMode \"{mode}\"", "Keras's score modes are \"dot\" and \"concat\"");
            }

            return attention;
        }

        private Declared ReadMultiHeadAttention(AttributeData data, AttributeSyntax? syntax)
        {
            var attention = new Declared { Kind = "[MultiHeadAttention]", Name = String(data, 0) ?? string.Empty, Syntax = syntax };
            attention.Reads.Add((String(data, 1) ?? string.Empty, PositionalLocation(syntax, 1)));
            attention.Reads.Add((String(data, 2) ?? string.Empty, PositionalLocation(syntax, 2)));
            if (Named<string>(data, "Key") is string key)
            {
                attention.Reads.Add((key, NamedLocation(syntax, "Key")));
            }

            attention.NumHeads = data.ConstructorArguments.Length > 3 && data.ConstructorArguments[3].Value is int heads ? heads : 0;
            attention.KeyDim = data.ConstructorArguments.Length > 4 && data.ConstructorArguments[4].Value is int keyDim ? keyDim : 0;
            attention.ValueDim = Named<int>(data, "ValueDim");
            attention.OutputShape = Named<int>(data, "OutputShape");
            attention.UseBias = !data.NamedArguments.Any(a => a.Key == "UseBias") || Named<bool>(data, "UseBias");
            attention.Causal = Named<bool>(data, "UseCausalMask");

            // Keras requires num_heads and key_dim; value_dim and output_shape default to key_dim and the query's width.
            void Size(string argument, int value, LocationInfo? location, bool zeroIsDefault, string meaning)
            {
                if (value < 0 || (value == 0 && !zeroIsDefault))
                {
                    Report(DiagnosticDescriptors.GraphAttentionSize, location ?? attention.Location, attention.Kind, attention.Name, argument, value, meaning);
                }
                else if (value > MaxWidth)
                {
                    Report(DiagnosticDescriptors.SizeTooLarge, location ?? attention.Location, $"{attention.Kind} '{attention.Name}'", argument, value, MaxWidth);
                }
            }

            Size("numHeads", attention.NumHeads, PositionalLocation(syntax, 3), false, "Keras's num_heads counts the attention heads, at least 1");
            Size("keyDim", attention.KeyDim, PositionalLocation(syntax, 4), false, "Keras's key_dim is each head's query and key size, at least 1");
            Size("ValueDim", attention.ValueDim, NamedLocation(syntax, "ValueDim"), true, "leave it out (or 0) for Keras's default, key_dim");
            Size("OutputShape", attention.OutputShape, NamedLocation(syntax, "OutputShape"), true, "leave it out (or 0) for Keras's default, the query's features");
            return attention;
        }

        private void CheckNames(List<Declared> declared)
        {
            var seen = new Dictionary<string, Declared>(StringComparer.Ordinal);
            var seenPascal = new Dictionary<string, Declared>(StringComparer.Ordinal);
            foreach (Declared tensor in declared)
            {
                LocationInfo? location = PositionalLocation(tensor.Syntax, 0) ?? tensor.Location;
                string pascal = GraphNames.Pascal(tensor.Name);
                if (pascal.Length == 0 || char.IsDigit(pascal[0]))
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, location, tensor.Kind, tensor.Name,
                        "a name needs a letter first (a Keras layer name such as 'encoder' or 'dense_1'), because its PascalCase form names generated members");
                }
                else if (seen.TryGetValue(tensor.Name, out Declared? other))
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, location, tensor.Kind, tensor.Name,
                        $"the name is also {other.Kind} '{other.Name}'; give each input and node its own name, as Keras does");
                }
                else if (seenPascal.TryGetValue(pascal, out other))
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, location, tensor.Kind, tensor.Name,
                        $"its C# name {pascal} is also that of {other.Kind} '{other.Name}'; rename one of them");
                }
                else if (pascal is "Forward" or "Outputs" or "GetWeights" or "SetWeights" or "LoadWeights" or "ResetStates" or "WeightArrayCount"
                    or "WeightNodes" or "AttentionWeights" || pascal == _className)
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, location, tensor.Kind, tensor.Name,
                        $"its C# name {pascal} is that of a generated member or of the class; rename it");
                }

                seen[tensor.Name] = tensor;
                seenPascal[pascal] = tensor;
            }

            // Forward's parameters are the inputs' camelCase names, its locals the nodes' names with Output, Input, State, Mask.
            var locals = new Dictionary<string, Declared>(StringComparer.Ordinal);
            foreach (Declared node in declared.Where(d => d.Kind != "[GraphInput]"))
            {
                foreach (string suffix in new[] { "Output", "Input", "State", "Mask" })
                {
                    locals[GraphNames.Camel(node.Name) + suffix] = node;
                }
            }

            foreach (Declared input in declared.Where(d => d.Kind == "[GraphInput]"))
            {
                if (locals.TryGetValue(GraphNames.Camel(input.Name), out Declared? node))
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, PositionalLocation(input.Syntax, 0) ?? input.Location, input.Kind, input.Name,
                        $"its parameter name {GraphNames.Camel(input.Name)} is that of a local Forward keeps for {node.Kind} '{node.Name}'; rename one of them");
                }
            }
        }

        private void ResolveChains(List<Declared> declared)
        {
            foreach (Declared node in declared.Where(d => d.Kind == "[GraphNode]"))
            {
                LocationInfo? location = PositionalLocation(node.Syntax, 1) ?? node.Location;
                if (node.ModelType is not { TypeKind: TypeKind.Class } model)
                {
                    Report(DiagnosticDescriptors.GraphNodeNotAChain, location, node.Name, node.ModelType?.Name ?? "(none)", "is not a class");
                    continue;
                }

                var attributes = model.GetAttributes();
                if (attributes.Any(a => IsKerasModelAttribute(a.AttributeClass)))
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, location, "[GraphNode]", node.Name, $"a [KerasModel] class ('{model.Name}')",
                        "declare the chain with [Sequential] (rnngen inspect prints it) and load the file's weights into the graph");
                    continue;
                }

                if (attributes.Any(a => a.AttributeClass is { Name: "GraphAttribute" } c && IsGraphAttribute(c)))
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, location, "[GraphNode]", node.Name, $"a graph as a node ('{model.Name}')",
                        "declare its nodes in this graph");
                    continue;
                }

                if (!attributes.Any(a => KindOf(a.AttributeClass) is not null))
                {
                    Report(DiagnosticDescriptors.GraphNodeNotAChain, location, node.Name, model.Name, "has no RnnGen layer attributes");
                    continue;
                }

                if (ChainSpec(model, _cancellationToken) is not ModelSpec spec)
                {
                    continue; // the chain's own errors are reported on it
                }

                // One layout for the checks below and the chain's sizes: it lays out every buffer, so it is built once.
                var layout = new ModelLayout(spec);
                GraphChain chain = ChainOf(model, layout);
                if (layout.UsesReferenceTypes)
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, location, "[GraphNode]", node.Name,
                        $"'{model.Name}', whose tensors exceed 16 KiB (class-typed Input and Output)",
                        "split the chain or use its Forward directly");
                    continue;
                }

                if (layout.Outputs[0].FieldName != "Result")
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, location, "[GraphNode]", node.Name,
                        $"'{model.Name}', whose last layer returns its two directions apart (MergeMode.None)",
                        "merge them in the chain (MergeMode.Concat, Sum, Mul or Ave)");
                    continue;
                }

                node.Chain = chain;
            }
        }

        // Every name a node reads exists; true when so (the order and shapes need them).
        private bool CheckReads(List<Declared> declared, Dictionary<string, Declared> byName)
        {
            bool known = true;
            string all = string.Join(", ", declared.Select(d => "'" + d.Name + "'"));
            foreach (Declared tensor in declared)
            {
                var references = tensor.RunsAfter.ToList();
                if (tensor.Shares is { } shares)
                {
                    references.Add(shares);
                }

                foreach ((string name, LocationInfo? location) in references)
                {
                    if (!byName.ContainsKey(name))
                    {
                        string? nearest = RnnGen.Shared.NameSuggester.Nearest(name, declared.Select(d => d.Name).ToArray());
                        Report(DiagnosticDescriptors.GraphUnknownTensor, location ?? tensor.Location, tensor.Kind, tensor.Name, name, _className,
                            nearest is null ? string.Empty : $" Did you mean '{nearest}'?", all);
                        known = false;
                    }
                }

                if (tensor.Kind == "[Merge]" && tensor.Operation != MergeOperation.Dot && (tensor.DotAxes is not null || tensor.Normalize))
                {
                    string option = tensor.DotAxes is not null ? "Axes" : "Normalize";
                    Report(DiagnosticDescriptors.GraphShapeMismatch, NamedLocation(tensor.Syntax, option) ?? tensor.Location, tensor.Kind, tensor.Name,
                        $"{option} is an option of MergeOperation.Dot, and this merge is {tensor.Operation}: leave it out");
                    known = false;
                }

                if (tensor.Kind == "[Merge]")
                {
                    int needed = tensor.Operation is MergeOperation.Subtract or MergeOperation.Dot ? 2 : 0;
                    if (tensor.Reads.Count < 2 || (needed == 2 && tensor.Reads.Count != 2))
                    {
                        Report(DiagnosticDescriptors.GraphShapeMismatch, tensor.Location, tensor.Kind, tensor.Name,
                            $"{tensor.Operation} reads {(needed == 2 ? "exactly two" : "at least two")} tensors, but {tensor.Reads.Count} {(tensor.Reads.Count == 1 ? "is" : "are")} named");
                        known = false;
                    }
                }
            }

            return known;
        }

        // The tensors in an order where each comes after everything it reads (depth-first, declaration order kept
        // where it already is one); null after reporting a cycle.
        private List<Declared>? Order(List<Declared> declared, Dictionary<string, Declared> byName)
        {
            var order = new List<Declared>();
            var state = new Dictionary<Declared, int>(); // 1: on the current path, 2: done
            var path = new List<Declared>();
            bool Visit(Declared tensor)
            {
                if (state.TryGetValue(tensor, out int seen))
                {
                    if (seen == 2)
                    {
                        return true;
                    }

                    var cycle = path.Skip(path.IndexOf(tensor)).Concat(new[] { tensor }).Select(d => "'" + d.Name + "'");
                    Report(DiagnosticDescriptors.GraphCycle, tensor.Location, tensor.Kind, tensor.Name, string.Join(" reads ", cycle));
                    return false;
                }

                state[tensor] = 1;
                path.Add(tensor);
                foreach ((string name, _) in tensor.RunsAfter)
                {
                    if (!Visit(byName[name]))
                    {
                        return false;
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[tensor] = 2;
                order.Add(tensor);
                return true;
            }

            foreach (Declared tensor in declared)
            {
                if (!Visit(tensor))
                {
                    return null;
                }
            }

            return order;
        }

        private static string ShapeText((int Timesteps, int Width) shape) =>
            shape.Timesteps == 0 ? $"a vector of {shape.Width}" : $"a [{shape.Timesteps}, {shape.Width}] sequence";

        private void InferShape(Declared tensor, Dictionary<string, Declared> byName)
        {
            if (tensor.Kind == "[GraphInput]")
            {
                return;
            }

            var reads = tensor.Reads.Select(r => (r.Name, r.Location, Shape: byName[r.Name].Shape, From: byName[r.Name])).ToList();
            if (reads.Any(r => r.Shape is null))
            {
                return; // an error upstream
            }

            if (!InferMask(tensor, reads.Select(r => (r.Name, r.Location, r.From)).ToList(), byName))
            {
                return;
            }

            if (tensor.Kind == "[Merge]")
            {
                InferMerge(tensor, reads.Select(r => (r.Name, r.Location, r.Shape!.Value, r.From)).ToList());
                return;
            }

            if (tensor.IsAttention)
            {
                InferAttention(tensor, reads.Select(r => (r.Name, r.Location, r.Shape!.Value, r.From)).ToList());
                return;
            }

            if (tensor.Chain is not GraphChain chain)
            {
                return;
            }

            (string name, LocationInfo? location, (int Timesteps, int Width)? incoming, Declared from) = reads[0];
            (int t, int w) = incoming!.Value;
            bool fits = w == chain.InputDim && (t == chain.Timesteps || (t == 0 && chain.Timesteps == 1));
            if (!fits)
            {
                string hint = t == 0
                    ? $"declare the chain with Timesteps = 1, InputDim = {w} to read a vector"
                    : $"declare {chain.DisplayName} with Timesteps = {t}, InputDim = {w}, or read a tensor of its shape";
                Report(DiagnosticDescriptors.GraphShapeMismatch, location ?? tensor.Location, tensor.Kind, tensor.Name,
                    $"reads '{name}', {ShapeText((t, w))}, but {chain.DisplayName} takes [{chain.Timesteps}, {chain.InputDim}] (Timesteps = {chain.Timesteps}, InputDim = {chain.InputDim}); {hint}");
            }

            CheckInitialState(tensor, byName);
            CheckShares(tensor, byName);
            CheckFileLayers(tensor);
            tensor.Shape = (chain.ResultTimesteps, chain.ResultWidth);
        }

        private static string MaskText(Declared masked, Dictionary<string, Declared> byName) =>
            $"the mask of the {byName[masked.Mask!].Chain!.MaskSource} of '{masked.Mask}'";

        /// <summary>
        /// Which mask the tensor's output carries in Keras (<see cref="Declared.Mask"/>), from the masks of what it reads:
        /// a <c>[Masking]</c> or <c>[Embedding(MaskZero = true)]</c> chain makes one, the layers that keep the timesteps
        /// pass it on (a recurrent layer with <c>ReturnSequences</c>, Dense, normalization; attention the query's), and
        /// the ones that return a vector consume it. False after reporting a read that cannot take its mask.
        /// </summary>
        private bool InferMask(Declared tensor, List<(string Name, LocationInfo? Location, Declared From)> reads, Dictionary<string, Declared> byName)
        {
            if (tensor.Kind == "[GraphNode]")
            {
                if (tensor.Chain is not GraphChain chain)
                {
                    return true; // an error reported elsewhere
                }

                (string name, LocationInfo? location, Declared from) = reads[0];
                bool readsMask = from.Mask is not null && !chain.ResetsMask;
                if (tensor.InitialState is not null && (chain.MakesMask || readsMask))
                {
                    string what = readsMask ? $"reading '{name}', a sequence that carries {MaskText(from, byName)}," : $"a chain whose {chain.MaskLayer} masks its recurrent layer,";
                    // (Keras 3's numbers are those of the chain declared without the mask; tf.keras 2's, of this one.)
                    Report(DiagnosticDescriptors.GraphNotSupported, (readsMask ? location : tensor.InitialState.Value.Location) ?? tensor.Location, tensor.Kind, tensor.Name,
                        $"{what} with InitialState", GraphMasks.InitialStateProblem);
                    return false;
                }

                if (chain.ResetsMask)
                {
                    // Keras's Masking and Embedding compute their mask from their input alone (compute_mask ignores the
                    // mask passed in), so the chain's mask is its own.
                    tensor.Mask = chain.MaskSource is null ? null : tensor.Name;
                }
                else if (from.Mask is not null && chain.MaskBlocker is not null)
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, location ?? tensor.Location, tensor.Kind, tensor.Name,
                        $"reading '{name}', a sequence that carries {MaskText(from, byName)}, into {chain.DisplayName}, whose {chain.MaskBlocker} comes after a layer that reads the mask",
                        GraphMasks.BlockerProblem);
                    return false;
                }
                else
                {
                    // A chain that keeps the timesteps passes the mask on (the recurrent layers read it, Dense and
                    // normalization pass it through); one that returns a vector consumes it, and a layer that changes
                    // the timesteps drops it (Keras 3 warns that it "will therefore destroy the mask information").
                    tensor.Mask = chain.ResultTimesteps > 0 && !chain.DropsMask ? from.Mask : null;
                }

                return true;
            }

            if (tensor.IsAttention)
            {
                // Keras's attention layers return the query's mask (compute_mask), and read the query's and the value's.
                tensor.Mask = reads[0].From.Mask;
                return true;
            }

            string? problem = GraphMasks.Merge(tensor.Operation.ToString(), reads.Select(r => r.From.Mask).ToList(), out string? mask);
            if (problem is not null)
            {
                var masked = reads.First(r => r.From.Mask is not null);
                var other = reads.FirstOrDefault(r => r.From.Mask != masked.From.Mask);
                string what = other.Name is null
                    ? $"{tensor.Operation} of sequences that carry {MaskText(masked.From, byName)}"
                    : $"merging '{masked.Name}', which carries {MaskText(masked.From, byName)}, with '{other.Name}', which carries {(other.From.Mask is null ? "no mask" : MaskText(other.From, byName))}";
                Report(DiagnosticDescriptors.GraphNotSupported, other.Location ?? tensor.Location, tensor.Kind, tensor.Name, what, problem);
                return false;
            }

            tensor.Mask = mask;
            return true;
        }

        private void InferMerge(Declared merge, List<(string Name, LocationInfo? Location, (int Timesteps, int Width) Shape, Declared From)> reads)
        {
            if (merge.Operation == MergeOperation.Dot)
            {
                string? problem = RnnGen.Shared.DotShapes.Resolve(merge.DotAxes ?? new[] { -1 }, reads[0].Shape, reads[1].Shape,
                    out bool xOverTime, out bool yOverTime, out (int Timesteps, int Width) output);
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.GraphShapeMismatch, NamedLocation(merge.Syntax, "Axes") ?? merge.Location, merge.Kind, merge.Name,
                        $"Dot of '{reads[0].Name}', {ShapeText(reads[0].Shape)}, and '{reads[1].Name}', {ShapeText(reads[1].Shape)}: {problem}");
                    return;
                }

                merge.Dot = new GraphDot(merge.Normalize, reads[0].Shape.Timesteps, reads[0].Shape.Width, xOverTime, reads[1].Shape.Timesteps, reads[1].Shape.Width, yOverTime);
                merge.Shape = output;
                return;
            }

            (int t0, int w0) = reads[0].Shape;
            for (int i = 1; i < reads.Count; i++)
            {
                (int t, int w) = reads[i].Shape;
                bool joins = merge.Operation == MergeOperation.Concatenate ? t == t0 : t == t0 && w == w0;
                if (!joins)
                {
                    string need = merge.Operation == MergeOperation.Concatenate
                        ? "Concatenate joins tensors with the same timesteps (or vectors) on their last axis"
                        : $"{merge.Operation} needs tensors of one shape";
                    Report(DiagnosticDescriptors.GraphShapeMismatch, reads[i].Location ?? merge.Location, merge.Kind, merge.Name,
                        $"'{reads[0].Name}' is {ShapeText(reads[0].Shape)} but '{reads[i].Name}' is {ShapeText(reads[i].Shape)}; {need}");
                    return;
                }
            }

            int width = merge.Operation == MergeOperation.Concatenate ? reads.Sum(r => r.Shape.Width) : w0;
            merge.Shape = (t0, width);
        }

        // Keras's attention reads sequences: query (Tq, dim), value (Tv, dv), key (Tv, dim); it gives (Tq, dv).
        // MultiHeadAttention's weights grow with the product of its sizes; a kernel past this is no model's.
        private const long MaxAttentionWeightFloats = 1 << 24;

        private void InferAttention(Declared attention, List<(string Name, LocationInfo? Location, (int Timesteps, int Width) Shape, Declared From)> reads)
        {
            if (reads.FirstOrDefault(r => r.Shape.Timesteps == 0) is { Name: not null } vector)
            {
                Report(DiagnosticDescriptors.GraphShapeMismatch, vector.Location ?? attention.Location, attention.Kind, attention.Name,
                    $"'{vector.Name}' is {ShapeText(vector.Shape)}; attention reads sequences (Keras: (batch, timesteps, features)), so return sequences from the layer before it");
                return;
            }

            (string _, LocationInfo? _, (int Timesteps, int Width) query, Declared _) = reads[0];
            (int Timesteps, int Width) value = reads[1].Shape;
            var key = reads.Count > 2 ? reads[2] : reads[1];
            if (attention.Kind == "[MultiHeadAttention]")
            {
                InferMultiHeadAttention(attention, query, value, key);
                return;
            }

            if (key.Shape.Timesteps != value.Timesteps || key.Shape.Width != query.Width)
            {
                string what = reads.Count > 2
                    ? $"the key '{key.Name}' is {ShapeText(key.Shape)}, but it needs the value's {value.Timesteps} timesteps and the query's {query.Width} features"
                    : $"the query '{reads[0].Name}' has {query.Width} features and the value '{reads[1].Name}' (also the key) {value.Width}; without Key they must be equal";
                Report(DiagnosticDescriptors.GraphShapeMismatch, key.Location ?? attention.Location, attention.Kind, attention.Name, what);
                return;
            }

            attention.Attention = new GraphAttention(attention.Kind == "[AdditiveAttention]", attention.UseScale, attention.Concat, query.Timesteps, value.Timesteps, query.Width, value.Width);
            attention.Shape = (query.Timesteps, value.Width);
        }

        // MultiHeadAttention projects each input itself, so only the key's timesteps must be the value's; it gives
        // (Tq, output_shape).
        private void InferMultiHeadAttention(
            Declared attention, (int Timesteps, int Width) query, (int Timesteps, int Width) value,
            (string Name, LocationInfo? Location, (int Timesteps, int Width) Shape, Declared From) key)
        {
            if (key.Shape.Timesteps != value.Timesteps)
            {
                Report(DiagnosticDescriptors.GraphShapeMismatch, key.Location ?? attention.Location, attention.Kind, attention.Name,
                    $"the key '{key.Name}' is {ShapeText(key.Shape)}, but it needs the value's {value.Timesteps} timesteps (a score per value timestep)");
                return;
            }

            if (attention.NumHeads <= 0 || attention.KeyDim <= 0 || attention.ValueDim < 0 || attention.OutputShape < 0)
            {
                return; // reported on the argument
            }

            int valueDim = attention.ValueDim == 0 ? attention.KeyDim : attention.ValueDim;
            int output = attention.OutputShape == 0 ? query.Width : attention.OutputShape;
            var spec = new GraphMultiHeadAttention(attention.NumHeads, attention.KeyDim, valueDim, attention.UseBias, attention.Causal, output,
                query.Timesteps, value.Timesteps, query.Width, value.Width, key.Shape.Width);

            // Each array is a generated field and each projection a stack or pooled buffer: keep them in the range of the chains'.
            long largest = System.Math.Max(
                System.Math.Max((long)query.Width, System.Math.Max(value.Width, key.Shape.Width)) * attention.NumHeads * System.Math.Max(attention.KeyDim, valueDim),
                (long)attention.NumHeads * valueDim * output);
            if (largest > MaxAttentionWeightFloats)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, attention.Location, $"{attention.Kind} '{attention.Name}'", "its largest projection kernel",
                    $"{largest} floats", $"{MaxAttentionWeightFloats} floats");
                return;
            }

            // Its output lives on the stack of Forward, as a chain's Output does: 16 KiB at most.
            if ((long)query.Timesteps * output * sizeof(float) > 16 * 1024)
            {
                Report(DiagnosticDescriptors.GraphNotSupported, NamedLocation(attention.Syntax, "OutputShape") ?? attention.Location, attention.Kind, attention.Name,
                    $"an output of [{query.Timesteps}, {output}], over 16 KiB", "lower OutputShape or the query's timesteps");
                return;
            }

            attention.MultiHeadAttention = spec;
            attention.Shape = (query.Timesteps, output);
        }

        private void CheckInitialState(Declared node, Dictionary<string, Declared> byName)
        {
            if (node.InitialState is not { } initial || node.Chain is not GraphChain chain)
            {
                return;
            }

            LocationInfo? location = initial.Location ?? node.Location;
            Declared source = byName[initial.Name];
            if (chain.InitialStateFields.Count == 0)
            {
                Report(DiagnosticDescriptors.GraphInitialStateMismatch, location, node.Name, initial.Name,
                    $"needs a chain with exactly one recurrent layer, and {chain.DisplayName} has none or several");
                return;
            }

            if (source.Chain is not GraphChain from || from.StateFields.Count == 0)
            {
                Report(DiagnosticDescriptors.GraphInitialStateMismatch, location, node.Name, initial.Name,
                    $"names {source.Kind} '{source.Name}', which returns no states; name a [GraphNode] whose last layer has ReturnState = true");
                return;
            }

            if (from.StateFields.Count != chain.InitialStateFields.Count || from.StateWidth != chain.InitialStateWidth)
            {
                Report(DiagnosticDescriptors.GraphInitialStateMismatch, location, node.Name, initial.Name,
                    $"gives {from.StateFields.Count} state(s) of {from.StateWidth} ({string.Join(", ", from.StateFields)}), but {chain.DisplayName}'s recurrent layer starts from {chain.InitialStateFields.Count} of {chain.InitialStateWidth} ({string.Join(", ", chain.InitialStateFields)}); Keras needs the same kind of layer and units");
            }
        }

        // Layers names one file layer per weighted layer of the chain; a node that shares a model loads nothing.
        private void CheckFileLayers(Declared node)
        {
            if (node.FileLayers is not List<string> layers || node.Chain is not GraphChain chain)
            {
                return;
            }

            LocationInfo? location = NamedLocation(node.Syntax, "Layers") ?? node.Location;
            if (node.Shares is not null)
            {
                Report(DiagnosticDescriptors.GraphNameInvalid, location, node.Kind, node.Name,
                    $"Layers is set on a node that shares '{node.Shares.Value.Name}''s model, whose own Layers load it; remove it here");
            }
            else if (layers.Count != chain.LayerCount)
            {
                Report(DiagnosticDescriptors.GraphNameInvalid, location, node.Kind, node.Name,
                    $"Layers names {layers.Count} file layer(s), but {chain.DisplayName} declares {chain.LayerCount} layer(s); name the file layer of each, in order");
            }
        }

        private void CheckShares(Declared node, Dictionary<string, Declared> byName)
        {
            if (node.Shares is not { } shares)
            {
                return;
            }

            Declared owner = byName[shares.Name];
            LocationInfo? location = shares.Location ?? node.Location;
            if (owner.Kind != "[GraphNode]" || owner.Shares is not null || owner == node)
            {
                Report(DiagnosticDescriptors.GraphNameInvalid, location, node.Kind, node.Name,
                    $"Shares = \"{shares.Name}\" must name another [GraphNode] that owns its model (one without Shares)");
            }
            else if (owner.Chain is GraphChain ownerChain && node.Chain is GraphChain chain && ownerChain.TypeName != chain.TypeName)
            {
                Report(DiagnosticDescriptors.GraphNameInvalid, location, node.Kind, node.Name,
                    $"Shares = \"{shares.Name}\", a {ownerChain.DisplayName}, but this node is a {chain.DisplayName}; a shared layer has one model type");
            }
        }

        private void CheckOutputs(List<(string Name, LocationInfo? Location)> outputs, Dictionary<string, Declared> byName, LocationInfo? location)
        {
            if (outputs.Count == 0)
            {
                Report(DiagnosticDescriptors.GraphOutputInvalid, location, _className, "it names no outputs; write [Graph(\"name_of_the_last_node\")]");
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string name, LocationInfo? at) in outputs)
            {
                if (!byName.TryGetValue(name, out Declared? tensor))
                {
                    string? nearest = RnnGen.Shared.NameSuggester.Nearest(name, byName.Keys.ToArray());
                    Report(DiagnosticDescriptors.GraphOutputInvalid, at ?? location, _className,
                        $"output '{name}' is no node of the graph{(nearest is null ? string.Empty : $" (did you mean '{nearest}'?)")}");
                }
                else if (tensor.Kind != "[GraphNode]")
                {
                    Report(DiagnosticDescriptors.GraphOutputInvalid, at ?? location, _className,
                        $"output '{name}' is a {tensor.Kind}; an output is a [GraphNode] (end a branch with a chain, a Dense layer for instance)");
                }
                else if (!seen.Add(name))
                {
                    Report(DiagnosticDescriptors.GraphOutputInvalid, at ?? location, _className, $"output '{name}' is named twice");
                }
            }
        }

        // Each graph input is a parameter typed as the Input of a chain node that reads it directly.
        private void CheckInputsRead(List<Declared> declared)
        {
            foreach (Declared input in declared.Where(d => d.Kind == "[GraphInput]"))
            {
                var readers = declared.Where(d => d.Reads.Any(r => r.Name == input.Name)).ToList();
                if (readers.Count == 0)
                {
                    Report(DiagnosticDescriptors.GraphNameInvalid, PositionalLocation(input.Syntax, 0) ?? input.Location, input.Kind, input.Name,
                        "no node reads it; remove it, or name it as a node's input");
                }
                else if (!readers.Any(r => r.Kind == "[GraphNode]"))
                {
                    Report(DiagnosticDescriptors.GraphNotSupported, PositionalLocation(input.Syntax, 0) ?? input.Location, input.Kind, input.Name,
                        "an input that only [Merge] nodes read", "let a [GraphNode] read it (its chain's Input type is the parameter's type)");
                }
            }
        }

        private static string? String(AttributeData data, int index) =>
            data.ConstructorArguments.Length > index ? data.ConstructorArguments[index].Value as string : null;

        private static T? Named<T>(AttributeData data, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is T value)
                {
                    return value;
                }
            }

            return default;
        }

        // A params string[] constructor argument, each element with the location of its expression where written so.
        private static List<(string Name, LocationInfo? Location)> Strings(AttributeData data, int index, AttributeSyntax? syntax, int position)
        {
            var result = new List<(string, LocationInfo?)>();
            if (data.ConstructorArguments.Length <= index || data.ConstructorArguments[index].Kind != TypedConstantKind.Array)
            {
                return result;
            }

            var positional = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList() ?? new List<AttributeArgumentSyntax>();
            var values = data.ConstructorArguments[index].Values;
            for (int i = 0; i < values.Length; i++)
            {
                LocationInfo? location = positional.Count == values.Length + position ? LocationInfo.From(positional[position + i].Expression) : null;
                result.Add((values[i].Value as string ?? string.Empty, location ?? LocationInfo.From(syntax)));
            }

            return result;
        }

        private static LocationInfo? PositionalLocation(AttributeSyntax? syntax, int position)
        {
            var positional = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();
            return positional is not null && positional.Count > position ? LocationInfo.From(positional[position].Expression) : null;
        }

        private static LocationInfo? NamedLocation(AttributeSyntax? syntax, string name) =>
            LocationInfo.From(syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression);

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
    }
}
