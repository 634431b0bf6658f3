using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RnnGen.Shared;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Writes the <c>[Graph]</c> declaration of a functional model that is not one chain (docs/graphs.md): each run of
/// layers between two joins becomes a <c>[Sequential]</c> class, declared with <see cref="DeclarationWriter"/>'s layer
/// attributes, and the graph class names the inputs, the nodes (with their file layers, so <c>LoadWeights</c> finds
/// them), the merges and the outputs. What a <c>[Graph]</c> cannot declare yet is refused with the reason.
/// </summary>
/// <remarks>
/// A layer continues the chain of the layer it reads when that layer feeds it alone, is not an output, and does not
/// start another layer's initial state; otherwise (a graph input, a merge, a branch, an initial state) it starts a
/// chain. Keras lists a functional model's layers after what they read (<c>keras/src/models/functional.py</c>), so
/// one pass in file order sees every tensor before its readers.
/// </remarks>
internal static class GraphDeclarationWriter
{
    private sealed class Chain
    {
        public required string Reads { get; init; }
        public required (int Timesteps, int Width) Input { get; init; }
        public string? InitialState { get; init; }
        public List<KerasFileLayer> Layers { get; } = new();

        // The mask the tensor it reads carries (the layer that made it), or null.
        public string? ReadsMask { get; init; }

        // A shared layer's call is a chain of that one layer; a later call runs the first call's chain (Shares).
        public bool Shared { get; init; }
        public Chain? Shares { get; init; }
        public string? CallName { get; init; }

        public string Name => CallName ?? Layers[^1].Name;
    }

    private static readonly Dictionary<string, string> s_merges = new(StringComparer.Ordinal)
    {
        ["Concatenate"] = "Concatenate", ["Add"] = "Add", ["Subtract"] = "Subtract", ["Multiply"] = "Multiply",
        ["Average"] = "Average", ["Maximum"] = "Maximum", ["Minimum"] = "Minimum", ["Dot"] = "Dot",
    };

    public static string Write(KerasFileInfo info, FunctionalGraph.Layout graph, string className, int? requestedTimesteps)
    {
        string Refuse(string why) => throw new NotSupportedException(
            $"'{info.Source}' is a functional graph that rnngen inspect cannot declare yet: {why}. Declare it by hand as a [Graph] " +
            "(docs/graphs.md) from the layers rnngen inspect lists, or load the chains you need with KerasWeights.Load(model, path, ignoredLayers).");

        var layers = new Dictionary<string, KerasFileLayer>(StringComparer.Ordinal);
        foreach (KerasFileLayer layer in info.Layers)
        {
            layers.TryAdd(layer.Name, layer);
        }

        var readers = new Dictionary<string, int>(StringComparer.Ordinal);
        var startsStates = new HashSet<string>(StringComparer.Ordinal);
        foreach (FunctionalGraph.LayoutNode node in graph.Nodes)
        {
            foreach (string read in node.Reads.Concat(node.InitialState))
            {
                readers[read] = readers.TryGetValue(read, out int count) ? count + 1 : 1;
            }

            startsStates.UnionWith(node.InitialState);
        }

        // Shapes of every tensor: (timesteps, width), timesteps 0 for a vector.
        var shapes = new Dictionary<string, (int Timesteps, int Width)>(StringComparer.Ordinal);
        string? openLength = null;
        foreach (FunctionalGraph.LayoutInput input in graph.Inputs)
        {
            int? timesteps = requestedTimesteps ?? input.Timesteps;
            if (input.Features is not int features)
            {
                return Refuse($"the input '{input.Name}' states no (timesteps, features) shape");
            }

            if (timesteps is null)
            {
                openLength ??= input.Name;
                timesteps = 0; // written as TIMESTEPS below
            }

            shapes[input.Name] = (timesteps.Value, features);
        }

        if (openLength is not null)
        {
            return Refuse($"the input '{openLength}' leaves its timesteps open (None); run rnngen inspect with --timesteps N");
        }

        var chains = new List<Chain>();
        var chainEnding = new Dictionary<string, Chain>(StringComparer.Ordinal);
        var order = new List<object>(); // chains and merges in file order, as the graph class lists them

        // The tensors that carry a Masking or Embedding(mask_zero) mask, with the layer that made it: Keras passes it on
        // to their readers, and the [Graph] does (GraphMasks has the joins' rules, which the generator checks too).
        var masks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? MaskOf(string tensor) => masks.TryGetValue(tensor, out string? mask) ? mask : null;
        string MaskRefusal(FunctionalGraph.LayoutNode node, string read, string problem) =>
            $"the layer '{node.Name}' reads '{read}', a sequence that carries the mask of '{masks[read]}': {problem}";
        static string ModelMaskRefusal(FunctionalGraph.LayoutNode node) =>
            $"the layer '{node.Name}' ({node.ClassName}) is called with a mask that no Masking or Embedding(mask_zero=True) layer makes (a mask the model computes itself)";
        foreach (FunctionalGraph.LayoutNode node in graph.Nodes)
        {
            bool attention = node.ClassName is "Attention" or "AdditiveAttention" or "MultiHeadAttention";
            if (node.Calls > 1 && (attention || s_merges.ContainsKey(node.ClassName)))
            {
                return Refuse($"the layer '{node.Name}' ({node.ClassName}) is called {node.Calls} times (a shared merge or attention layer: declare one per call)");
            }

            foreach (string read in node.Reads.Concat(node.InitialState))
            {
                if (!shapes.ContainsKey(read))
                {
                    return Refuse($"the layer '{node.Name}' reads '{read}', which the file does not list before it");
                }
            }

            if (attention)
            {
                (int Timesteps, int Width)? attended = node.ClassName == "MultiHeadAttention"
                    ? MultiHeadAttentionShape(node, layers, shapes, out string? problem)
                    : AttentionShape(node, shapes, out problem);
                if (attended is null)
                {
                    return Refuse(problem!);
                }

                bool attentionMasked = node.Reads.Any(r => MaskOf(r) is not null);
                if (node.ReadsKerasMask && !attentionMasked)
                {
                    return Refuse(ModelMaskRefusal(node));
                }

                // Keras 3's MultiHeadAttention with dropout takes its Softmax layer's path even at inference, which recent
                // versions give zeros rather than equal weights in a row with nothing to attend to.
                if (attentionMasked && node.ClassName == "MultiHeadAttention" && layers.TryGetValue(node.Layer, out KerasFileLayer? mhaLayer)
                    && mhaLayer.Config is { } mhaConfig && mhaConfig.TryGetProperty("dropout", out System.Text.Json.JsonElement dropout)
                    && dropout.TryGetDouble(out double rate) && rate > 0)
                {
                    return Refuse(MaskRefusal(node, node.Reads.First(r => MaskOf(r) is not null),
                        $"its dropout ({rate.ToString(CultureInfo.InvariantCulture)}) makes Keras 3 compute masked attention through its Softmax layer, which versions disagree on for a query timestep with nothing to attend to"));
                }

                shapes[node.Name] = attended.Value;
                if (MaskOf(node.Reads[0]) is string queryMask)
                {
                    masks[node.Name] = queryMask; // Keras's attention layers pass the query's mask on
                }

                order.Add(node);
                continue;
            }

            if (s_merges.ContainsKey(node.ClassName))
            {
                (int Timesteps, int Width)? merged = MergeShape(node, layers, shapes, out string? problem);
                if (merged is null)
                {
                    return Refuse(problem!);
                }

                if (GraphMasks.Merge(node.ClassName, node.Reads.Select(MaskOf).ToList(), out string? mergedMask) is string maskProblem)
                {
                    return Refuse(MaskRefusal(node, node.Reads.First(r => MaskOf(r) is not null), maskProblem));
                }

                shapes[node.Name] = merged.Value;
                if (mergedMask is not null)
                {
                    masks[node.Name] = mergedMask;
                }

                order.Add(node);
                continue;
            }

            if (!layers.TryGetValue(node.Layer, out KerasFileLayer? layer) || layer.Kind is null)
            {
                return Refuse($"the layer '{node.Layer}' ({node.ClassName}) is not one RnnGen generates");
            }

            if (node.Reads.Count != 1)
            {
                return Refuse($"the layer '{node.Name}' ({node.ClassName}) reads {node.Reads.Count} tensors");
            }

            string source = node.Reads[0];
            string? initialState = node.InitialState.Distinct(StringComparer.Ordinal).ToList() switch
            {
                { Count: 0 } => null,
                { Count: 1 } states when chainEnding.ContainsKey(states[0]) => states[0],
                var states => Refuse($"the layer '{node.Name}' takes its initial_state from {string.Join(", ", states.Select(s => "'" + s + "'"))}: a [Graph] takes the states of one [GraphNode]"),
            };

            (int Timesteps, int Width)? output = OutputShape(layer, shapes[source]);
            if (output is null)
            {
                return Refuse($"the layer '{node.Name}' ({node.ClassName}) is not yet written into a [Graph] chain by rnngen inspect");
            }

            // A shared layer's calls are chains of their own: the later ones run the first one's model (Shares), which
            // must hold that layer alone, and no layer continues them.
            bool shared = node.Calls > 1;
            Chain? chain = null;
            bool continues = !shared && chainEnding.TryGetValue(source, out chain) && !chain.Shared
                && readers[source] == 1 && !graph.Outputs.Contains(source) && !startsStates.Contains(source) && initialState is null;
            string? incoming = MaskOf(source);
            if (node.ReadsKerasMask && incoming is null && layer.Kind is not (LayerKind.Masking or LayerKind.Embedding))
            {
                return Refuse(ModelMaskRefusal(node));
            }

            if (incoming is not null && initialState is not null && LayerShapes.IsRecurrent(layer.Kind.Value))
            {
                return Refuse(MaskRefusal(node, source, GraphMasks.InitialStateProblem));
            }

            if (!continues)
            {
                Chain? owner = node.Shares is null ? null : chains.FirstOrDefault(c => c.Shared && c.Shares is null && c.Layers[0].Name == node.Shares);
                if (node.Shares is not null && (owner is null || owner.Input != shapes[source]))
                {
                    return Refuse($"the call '{node.Name}' of the shared layer '{node.Layer}' reads '{source}', {(owner is null ? "before the layer's first call" : "a tensor of another shape than its first call's")}");
                }

                chain = new Chain { Reads = source, Input = shapes[source], InitialState = initialState, Shared = shared, Shares = owner, CallName = node.Shares is null ? null : node.Name, ReadsMask = incoming };
                chains.Add(chain);
                order.Add(chain);
            }
            else
            {
                chainEnding.Remove(source);
            }

            if (incoming is not null && chain!.ReadsMask is not null && LayerShapes.ChangesTimeAxis(layer.Kind.Value)
                && chain.Layers.Any(l => l.Kind is LayerKind kind && (LayerShapes.IsRecurrent(kind) || LayerShapes.TakesMask(kind))))
            {
                return Refuse(MaskRefusal(node, source, GraphMasks.BlockerProblem));
            }

            chain!.Layers.Add(layer);
            chainEnding[node.Name] = chain;
            shapes[node.Name] = output.Value;

            // Masking and Embedding make the mask from their input alone; a layer that changes the timesteps drops it
            // (Keras 3 warns), a vector output ends it; the others pass it on.
            string? mask = layer.Kind is LayerKind.Masking or LayerKind.Embedding ? (layer.Kind == LayerKind.Masking || layer.MaskZero ? node.Name : null)
                : LayerShapes.ChangesTimeAxis(layer.Kind.Value) ? null
                : incoming;
            if (mask is not null && output.Value.Timesteps > 0)
            {
                masks[node.Name] = mask;
            }
        }

        foreach (string output in graph.Outputs)
        {
            if (!chainEnding.ContainsKey(output))
            {
                return Refuse($"the output '{output}' is not the last layer of a chain of layers (a merge or an input as an output)");
            }
        }

        return Text(info, graph, className, chains, order, shapes, layers);
    }

    private static (int Timesteps, int Width)? MergeShape(
        FunctionalGraph.LayoutNode node, Dictionary<string, KerasFileLayer> layers, Dictionary<string, (int Timesteps, int Width)> shapes, out string? problem)
    {
        problem = null;
        if (!s_merges.ContainsKey(node.ClassName))
        {
            problem = $"the layer '{node.Name}' is a {node.ClassName}, which [Merge] does not have yet";
            return null;
        }

        var inputs = node.Reads.Select(r => shapes[r]).ToList();
        if (node.ClassName == "Dot")
        {
            System.Text.Json.JsonElement? dotConfig = layers.TryGetValue(node.Name, out KerasFileLayer? dot) ? dot.Config : null;
            int[]? axes = DotAxes(dotConfig);
            if (node.Reads.Count != 2 || axes is null)
            {
                string written = dotConfig is { } c && c.TryGetProperty("axes", out System.Text.Json.JsonElement given) ? given.GetRawText() : "not stored";
                problem = $"the layer '{node.Name}' (Dot) reads {node.Reads.Count} tensor(s) with axes {written}, and [Merge] takes Dot of two tensors with one axis each";
                return null;
            }

            string? why = Shared.DotShapes.Resolve(axes, inputs[0], inputs[1], out _, out _, out (int Timesteps, int Width) output);
            if (why is not null)
            {
                problem = $"the layer '{node.Name}' (Dot): {why}";
                return null;
            }

            return output;
        }

        if (node.ClassName == "Concatenate" && layers.TryGetValue(node.Name, out KerasFileLayer? layer) && layer.Config is { } config
            && config.TryGetProperty("axis", out System.Text.Json.JsonElement axis) && axis.TryGetInt32(out int a)
            && a != -1 && a != (inputs[0].Timesteps == 0 ? 1 : 2))
        {
            problem = $"the layer '{node.Name}' concatenates on axis {a}, and [Merge] concatenates on the last";
            return null;
        }

        return node.ClassName == "Concatenate" ? (inputs[0].Timesteps, inputs.Sum(i => i.Width)) : inputs[0];
    }

    // Keras Dot's axes as its config has them: an int, or a list of two.
    private static int[]? DotAxes(System.Text.Json.JsonElement? config)
    {
        if (config is not { } c || !c.TryGetProperty("axes", out System.Text.Json.JsonElement axes))
        {
            return null;
        }

        if (axes.ValueKind == System.Text.Json.JsonValueKind.Number && axes.TryGetInt32(out int one))
        {
            return new[] { one };
        }

        return axes.ValueKind == System.Text.Json.JsonValueKind.Array && axes.GetArrayLength() == 2
            && axes[0].TryGetInt32(out int first) && axes[1].TryGetInt32(out int second)
            ? new[] { first, second }
            : null;
    }

    // Keras attention: query (Tq, dim), value (Tv, dv), key (Tv, dim), all sequences; the output is (Tq, dv).
    private static (int Timesteps, int Width)? AttentionShape(FunctionalGraph.LayoutNode node, Dictionary<string, (int Timesteps, int Width)> shapes, out string? problem)
    {
        problem = null;
        if (node.Reads.Count is not (2 or 3) || node.Reads.Any(r => shapes[r].Timesteps == 0))
        {
            problem = $"the layer '{node.Name}' ({node.ClassName}) reads {node.Reads.Count} tensor(s), and [{node.ClassName}] reads a query, a value and an optional key, all sequences";
            return null;
        }

        return (shapes[node.Reads[0]].Timesteps, shapes[node.Reads[1]].Width);
    }

    /// <summary>Keras MultiHeadAttention's sizes from its config (value_dim and output_shape resolved), or why they cannot be declared.</summary>
    private static (int Heads, int KeyDim, int ValueDim, int Output, bool UseBias)? MultiHeadAttentionConfig(
        FunctionalGraph.LayoutNode node, Dictionary<string, KerasFileLayer> layers, int queryWidth, out string? problem)
    {
        problem = null;
        System.Text.Json.JsonElement config = layers.TryGetValue(node.Name, out KerasFileLayer? layer) && layer.Config is { } c ? c : default;
        int? Int(string name) => config.ValueKind == System.Text.Json.JsonValueKind.Object && config.TryGetProperty(name, out System.Text.Json.JsonElement v)
            && v.ValueKind == System.Text.Json.JsonValueKind.Number && v.TryGetInt32(out int i) ? i : null;
        bool Null(string name) => config.ValueKind != System.Text.Json.JsonValueKind.Object || !config.TryGetProperty(name, out System.Text.Json.JsonElement v)
            || v.ValueKind == System.Text.Json.JsonValueKind.Null;

        if (Int("num_heads") is not int heads || heads < 1 || Int("key_dim") is not int keyDim || keyDim < 1)
        {
            problem = $"the layer '{node.Name}' (MultiHeadAttention) states no positive num_heads and key_dim";
            return null;
        }

        // attention_axes None attends over every axis between the batch and the features: the time axis here.
        System.Text.Json.JsonElement axes = default;
        bool timeAxis = Null("attention_axes") || (config.TryGetProperty("attention_axes", out axes)
            && ((axes.ValueKind == System.Text.Json.JsonValueKind.Number && axes.TryGetInt32(out int one) && one is 1 or -2)
                || (axes.ValueKind == System.Text.Json.JsonValueKind.Array && axes.GetArrayLength() == 1 && axes[0].TryGetInt32(out int first) && first is 1 or -2)));
        if (!timeAxis)
        {
            problem = $"the layer '{node.Name}' (MultiHeadAttention) attends over attention_axes {axes.GetRawText()}, and [MultiHeadAttention] over the time axis";
            return null;
        }

        int output = queryWidth;
        if (!Null("output_shape"))
        {
            System.Text.Json.JsonElement shape = config.GetProperty("output_shape");
            int? stated = shape.ValueKind == System.Text.Json.JsonValueKind.Number && shape.TryGetInt32(out int o) ? o
                : shape.ValueKind == System.Text.Json.JsonValueKind.Array && shape.GetArrayLength() == 1 && shape[0].TryGetInt32(out int p) ? p
                : null;
            if (stated is not int value || value < 1)
            {
                problem = $"the layer '{node.Name}' (MultiHeadAttention) has output_shape {shape.GetRawText()}, and [MultiHeadAttention] gives one feature axis";
                return null;
            }

            output = value;
        }

        bool useBias = config.ValueKind != System.Text.Json.JsonValueKind.Object || !config.TryGetProperty("use_bias", out System.Text.Json.JsonElement bias)
            || bias.ValueKind != System.Text.Json.JsonValueKind.False;
        return (heads, keyDim, Int("value_dim") ?? keyDim, output, useBias);
    }

    // Keras MultiHeadAttention: query (Tq, dq), value (Tv, dv), key (Tv, dk), all sequences; the output is (Tq, output_shape).
    private static (int Timesteps, int Width)? MultiHeadAttentionShape(
        FunctionalGraph.LayoutNode node, Dictionary<string, KerasFileLayer> layers, Dictionary<string, (int Timesteps, int Width)> shapes, out string? problem)
    {
        if (node.Reads.Count is not (2 or 3) || node.Reads.Any(r => shapes[r].Timesteps == 0) || shapes[node.Reads[^1]].Timesteps != shapes[node.Reads[1]].Timesteps)
        {
            problem = $"the layer '{node.Name}' (MultiHeadAttention) reads {node.Reads.Count} tensor(s), and [MultiHeadAttention] reads a query, a value and an optional key " +
                "(no attention_mask), all sequences, the key with the value's timesteps";
            return null;
        }

        return MultiHeadAttentionConfig(node, layers, shapes[node.Reads[0]].Width, out problem) is { } sizes
            ? (shapes[node.Reads[0]].Timesteps, sizes.Output)
            : null;
    }

    // The [MultiHeadAttention] attribute of a file's layer: num_heads and key_dim, and the other options where not Keras's defaults.
    private static string MultiHeadAttentionAttribute(
        FunctionalGraph.LayoutNode node, Dictionary<string, KerasFileLayer> layers, Dictionary<string, (int Timesteps, int Width)> shapes, Func<string, string> quote)
    {
        int queryWidth = shapes[node.Reads[0]].Width;
        (int heads, int keyDim, int valueDim, int output, bool useBias) = MultiHeadAttentionConfig(node, layers, queryWidth, out _)!.Value;
        var text = new StringBuilder("MultiHeadAttention(");
        text.Append(quote(node.Name)).Append(", ").Append(quote(node.Reads[0])).Append(", ").Append(quote(node.Reads[1]))
            .Append(", numHeads: ").Append(heads.ToString(CultureInfo.InvariantCulture)).Append(", keyDim: ").Append(keyDim.ToString(CultureInfo.InvariantCulture));
        if (node.Reads.Count > 2)
        {
            text.Append(", Key = ").Append(quote(node.Reads[2]));
        }

        if (valueDim != keyDim)
        {
            text.Append(", ValueDim = ").Append(valueDim.ToString(CultureInfo.InvariantCulture));
        }

        if (output != queryWidth)
        {
            text.Append(", OutputShape = ").Append(output.ToString(CultureInfo.InvariantCulture));
        }

        if (!useBias)
        {
            text.Append(", UseBias = false");
        }

        if (node.UseCausalMask)
        {
            text.Append(", UseCausalMask = true");
        }

        return text.Append(')').ToString();
    }

    // The [Attention] / [AdditiveAttention] attribute of a file's attention layer: Keras's options where not the default.
    private static string AttentionAttribute(FunctionalGraph.LayoutNode node, Dictionary<string, KerasFileLayer> layers, Func<string, string> quote)
    {
        var text = new StringBuilder();
        text.Append(node.ClassName).Append('(').Append(quote(node.Name)).Append(", ").Append(quote(node.Reads[0])).Append(", ").Append(quote(node.Reads[1]));
        if (node.Reads.Count > 2)
        {
            text.Append(", Key = ").Append(quote(node.Reads[2]));
        }

        System.Text.Json.JsonElement? config = layers.TryGetValue(node.Name, out KerasFileLayer? layer) ? layer.Config : null;
        bool additive = node.ClassName == "AdditiveAttention";
        if (config is { } c && c.TryGetProperty("use_scale", out System.Text.Json.JsonElement useScale)
            && useScale.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False && useScale.GetBoolean() != additive)
        {
            text.Append(", UseScale = ").Append(additive ? "false" : "true");
        }

        if (!additive && config is { } d && d.TryGetProperty("score_mode", out System.Text.Json.JsonElement mode)
            && mode.ValueKind == System.Text.Json.JsonValueKind.String && mode.GetString() != "dot")
        {
            text.Append(", ScoreMode = ").Append(quote(mode.GetString()!));
        }

        return text.Append(')').ToString();
    }

    // The shape a layer gives its readers, for the layers a [Graph] chain is written with; null for the others.
    private static (int Timesteps, int Width)? OutputShape(KerasFileLayer layer, (int Timesteps, int Width) input) => layer.Kind switch
    {
        LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru when !(layer.Bidirectional && layer.MergeMode == MergeMode.None) =>
            (layer.ReturnSequences ? input.Timesteps : 0, layer.Units * (layer.Bidirectional && layer.MergeMode == MergeMode.Concat ? 2 : 1)),
        LayerKind.Dense or LayerKind.Embedding => (input.Timesteps, layer.Units),
        LayerKind.Dropout or LayerKind.Activation or LayerKind.LayerNormalization or LayerKind.BatchNormalization or LayerKind.Normalization
            or LayerKind.Rescaling or LayerKind.Masking => input,
        LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D when input.Timesteps > 0 => (0, input.Width),
        _ => null,
    };

    private static string Text(
        KerasFileInfo info, FunctionalGraph.Layout graph, string className, List<Chain> chains, List<object> order,
        Dictionary<string, (int Timesteps, int Width)> shapes, Dictionary<string, KerasFileLayer> layers)
    {
        string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        string Quote(string name) => "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var classNames = new HashSet<string>(StringComparer.Ordinal) { className };
        var chainClass = new Dictionary<Chain, string>();
        foreach (Chain chain in chains.Where(c => c.Shares is null))
        {
            // Prefixed with the graph's name: two inspected graphs with an 'encoder' each declare two classes, and no
            // chain class is named like an RnnGen attribute ([Lstm] on a class Lstm would read as the wrong thing).
            string name = className + GraphNames.Pascal(chain.Name);
            string unique = name;
            for (int i = 2; !classNames.Add(unique); i++)
            {
                unique = name + Int(i);
            }

            chainClass[chain] = unique;
        }

        var text = new StringBuilder();
        text.AppendLine("using RnnGen;").AppendLine();
        text.Append("// ").Append(info.Source).Append(": ").Append(info.FormatDescription)
            .Append(info.KerasVersion is null ? "" : ", Keras " + info.KerasVersion).AppendLine(".");
        text.AppendLine("// A functional graph: each chain of layers between two joins is a [Sequential] class, and the [Graph] class");
        text.AppendLine("// wires them as the Keras model does (docs/graphs.md). LoadWeights on the graph reads every node's layers.");
        text.AppendLine();
        foreach (Chain chain in chains.Where(c => c.Shares is null))
        {
            // A chain that reads a vector (a recurrent layer's last output, a merge of such) is one timestep of it.
            int timesteps = chain.Input.Timesteps == 0 ? 1 : chain.Input.Timesteps;
            bool tokens = chain.Layers[0].Kind == LayerKind.Embedding;
            text.Append("[Sequential(Timesteps = ").Append(Int(timesteps)).Append(tokens ? string.Empty : ", InputDim = " + Int(chain.Input.Width)).AppendLine(")]");
            foreach (KerasFileLayer layer in chain.Layers)
            {
                text.Append('[').Append(DeclarationWriter.Attribute(layer, null, followedByRecurrent: false)).AppendLine("]");
            }

            text.Append("public partial class ").Append(chainClass[chain]).AppendLine(";").AppendLine();
        }

        text.Append("[Graph(").Append(string.Join(", ", graph.Outputs.Select(Quote))).AppendLine(")]");
        foreach (FunctionalGraph.LayoutInput input in graph.Inputs)
        {
            (int timesteps, int width) = shapes[input.Name];
            text.Append("[GraphInput(").Append(Quote(input.Name)).Append(", Timesteps = ").Append(Int(timesteps))
                .Append(", InputDim = ").Append(Int(width)).AppendLine(")]");
        }

        foreach (object item in order)
        {
            if (item is Chain chain)
            {
                text.Append("[GraphNode(").Append(Quote(chain.Name)).Append(", typeof(").Append(chainClass[chain.Shares ?? chain]).Append("), ").Append(Quote(chain.Reads));
                if (chain.Shares is not null)
                {
                    text.Append(", Shares = ").Append(Quote(chain.Shares.Name));
                }

                if (chain.InitialState is not null)
                {
                    text.Append(", InitialState = ").Append(Quote(chain.InitialState));
                }

                if (chain.Layers.Count > 1)
                {
                    text.Append(", Layers = new[] { ").Append(string.Join(", ", chain.Layers.Select(l => Quote(l.Name)))).Append(" }");
                }

                text.AppendLine(")]");
            }
            else if (item is FunctionalGraph.LayoutNode { ClassName: "Attention" or "AdditiveAttention" } attention)
            {
                text.Append('[').Append(AttentionAttribute(attention, layers, Quote)).AppendLine("]");
            }
            else if (item is FunctionalGraph.LayoutNode { ClassName: "MultiHeadAttention" } multiHead)
            {
                text.Append('[').Append(MultiHeadAttentionAttribute(multiHead, layers, shapes, Quote)).AppendLine("]");
            }
            else
            {
                var merge = (FunctionalGraph.LayoutNode)item;
                text.Append("[Merge(").Append(Quote(merge.Name)).Append(", MergeOperation.").Append(s_merges[merge.ClassName]).Append(", ")
                    .Append(string.Join(", ", merge.Reads.Select(Quote)));
                if (merge.ClassName == "Dot")
                {
                    // Keras's axes as written (one for both, or one each), and normalize when set.
                    System.Text.Json.JsonElement? config = layers.TryGetValue(merge.Name, out KerasFileLayer? dot) ? dot.Config : null;
                    text.Append(", Axes = new[] { ").Append(string.Join(", ", DotAxes(config)!)).Append(" }");
                    if (config is { } c && c.TryGetProperty("normalize", out System.Text.Json.JsonElement normalize) && normalize.ValueKind == System.Text.Json.JsonValueKind.True)
                    {
                        text.Append(", Normalize = true");
                    }
                }

                text.AppendLine(")]");
            }
        }

        text.Append("public partial class ").Append(className).AppendLine(";");
        return text.ToString();
    }
}
