using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Decides whether a functional model (<c>Model</c> / <c>Functional</c> configuration with <c>inbound_nodes</c>) is one
/// chain of layers, which an RnnGen stack declares: one data input, each layer reading the output of the layer listed
/// before it and feeding only the next, one output layer. Extra inputs are allowed where Keras passes them to a recurrent
/// layer as its <c>initial_state</c>, which RnnGen takes at the call (<c>Predict(input, initialState)</c>). Anything
/// else (a merge such as <c>Concatenate</c>, a branch, a shared layer, several outputs, another layer's states as an
/// <c>initial_state</c>) is a graph, and <see cref="Problem"/> names its first such place.
/// </summary>
/// <remarks>
/// Node formats read: tf.keras 2 / Keras 2 <c>"inbound_nodes": [[["name", node, tensor, {kwargs}], ...]]</c> (for a
/// recurrent layer the tensors after the first are its initial states, <c>RNN.__call__</c>), and Keras 3
/// <c>"inbound_nodes": [{"args": [...], "kwargs": {...}}]</c>, where each tensor is an object with a
/// <c>keras_history</c> of <c>[layer name, node index, tensor index]</c> (<c>keras/src/models/functional.py</c>,
/// <c>serialize_node</c>).
/// </remarks>
internal static class FunctionalGraph
{
    /// <summary>A layer of the configuration: what its first call reads, and (<see cref="CallReads"/>) what each call reads.</summary>
    private sealed record Node(string Name, string ClassName, int Calls, List<string> Primary, List<string> Extra)
    {
        public List<(List<string> Primary, List<string> Extra)> CallReads { get; } = new();

        /// <summary>A MultiHeadAttention's first call passed <c>use_causal_mask=True</c>.</summary>
        public bool UseCausalMask { get; init; }

        /// <summary>Its first call has a mask keyword that Keras 3 filled from its input's mask (<see cref="MaskOperations"/>).</summary>
        public bool ReadsKerasMask { get; init; }

        /// <summary>A Masking layer, or an Embedding with <c>mask_zero</c>: it makes a mask from its input.</summary>
        public bool MakesMask { get; init; }
    }

    /// <summary>
    /// The tensor a layer's call number <paramref name="call"/> (Keras's node index, from 0) gives: the layer's name for
    /// its first call, <c>{name}_call{n}</c> (n from 2) for the calls of a shared layer after it.
    /// </summary>
    public static string TensorName(string layer, int call) => call == 0 ? layer : $"{layer}_call{call + 1}";

    /// <summary>
    /// The first place where <paramref name="config"/> (the model's <c>config</c> object) stops being one chain, or null;
    /// <paramref name="maskOperations"/> (<see cref="MaskOperations"/>) are passed over.
    /// </summary>
    public static string? Problem(JsonElement config, JsonElement layers, HashSet<string> maskOperations, string what)
    {
        List<Node>? nodes = ReadNodes(layers, maskOperations, what);
        if (nodes is null)
        {
            return null; // a Sequential configuration: a chain by construction
        }

        var byName = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (Node node in nodes)
        {
            byName.TryAdd(node.Name, node);
        }

        bool IsInput(string name) => byName.TryGetValue(name, out Node? n) && n.ClassName == "InputLayer";
        static bool IsRecurrent(string className) => className is "SimpleRNN" or "LSTM" or "GRU" or "Bidirectional" or "UnifiedLSTM" or "UnifiedGRU" or "LSTMV2" or "GRUV2";
        static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

        bool masked = false;
        foreach (Node node in nodes.Where(n => n.ClassName != "InputLayer"))
        {
            if (node.ReadsKerasMask && !masked)
            {
                return $"the layer '{node.Name}' ({node.ClassName}) is called with a mask that no Masking or Embedding(mask_zero=True) layer before it makes (a mask the model computes itself)";
            }

            masked |= node.MakesMask;
            if (node.Calls > 1)
            {
                return $"the layer '{node.Name}' ({node.ClassName}) is called {node.Calls} times (a shared layer)";
            }

            if (node.Extra.Count == 0)
            {
                continue;
            }

            if (!IsRecurrent(node.ClassName))
            {
                return $"the layer '{node.Name}' ({node.ClassName}) joins {node.Primary.Count + node.Extra.Count} tensors (from {Quoted(node.Primary.Concat(node.Extra))})";
            }

            string? fromLayer = node.Extra.FirstOrDefault(e => !IsInput(e));
            if (fromLayer is not null)
            {
                return $"the layer '{node.Name}' ({node.ClassName}) takes its initial_state from '{fromLayer}', another layer's output (an encoder-decoder graph)";
            }
        }

        foreach (IGrouping<string, Node> readers in nodes.Where(n => n.Primary.Count > 0).GroupBy(n => n.Primary[0], StringComparer.Ordinal))
        {
            if (readers.Count() > 1)
            {
                return $"the output of '{readers.Key}' feeds {readers.Count()} layers ({Quoted(readers.Select(r => r.Name))})";
            }
        }

        var dataInputs = nodes.Where(n => n.ClassName == "InputLayer" && nodes.Any(r => r.Primary.Contains(n.Name))).Select(n => n.Name).ToList();
        if (dataInputs.Count > 1)
        {
            return $"the model has {dataInputs.Count} inputs that layers read as data ({Quoted(dataInputs)})";
        }

        var outputs = new List<string>();
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("output_layers", out JsonElement o))
        {
            History(o, outputs, what, 0);
            CollectLegacyNames(o, outputs, what);
        }

        List<string> distinctOutputs = outputs.Distinct(StringComparer.Ordinal).ToList();
        if (distinctOutputs.Count > 1)
        {
            return $"the model has {distinctOutputs.Count} output layers ({Quoted(distinctOutputs)})";
        }

        // In a chain each layer reads the one listed before it (Keras lists the layers of a functional model in
        // topological order).
        string? previous = null;
        foreach (Node node in nodes.Where(n => n.ClassName != "InputLayer" && n.Primary.Count > 0))
        {
            if (previous is not null && node.Primary[0] != previous)
            {
                return $"the layer '{node.Name}' ({node.ClassName}) reads from '{node.Primary[0]}', not from '{previous}' listed before it";
            }

            previous = node.Name;
        }

        return null;
    }

    /// <summary>
    /// The Keras 3 operation entries of a functional configuration that only compute masks, by name. In a functional
    /// model Keras 3 runs a layer's <c>compute_mask</c> on symbolic tensors (Masking's <c>ops.any(ops.not_equal(inputs,
    /// mask_value), axis=-1)</c>, Embedding's <c>ops.not_equal(inputs, 0)</c>, a merge's <c>ops.logical_or</c>, ...), and
    /// <c>Layer.__call__</c> passes the result to the next layer as its <c>mask</c> (MultiHeadAttention: <c>query_mask</c>,
    /// <c>value_mask</c>, <c>key_mask</c>) keyword, so those operations (<c>"module": "keras.src.ops.numpy"</c>, ...) are
    /// serialized with the layers. RnnGen computes the masks from the Masking and Embedding layers themselves; an operation
    /// that anything but such a keyword or another mask operation reads is a computation of the model's and stays.
    /// </summary>
    public static HashSet<string> MaskOperations(JsonElement config, JsonElement layers, string what)
    {
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement entry in layers.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("module", out JsonElement module) && module.ValueKind == JsonValueKind.String
                && (module.GetString() ?? string.Empty).StartsWith("keras.src.ops.", StringComparison.Ordinal) && LayerName(entry, what) is string name)
            {
                operations.Add(name);
            }
        }

        if (operations.Count == 0)
        {
            return operations;
        }

        // What each entry reads, apart from its mask keywords; an operation read by a layer, or by an operation so read,
        // is the model's own.
        var reads = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var used = new Stack<string>();
        foreach (JsonElement entry in layers.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || LayerName(entry, what) is not string name
                || !entry.TryGetProperty("inbound_nodes", out JsonElement inbound) || inbound.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var names = new List<string>();
            foreach (JsonElement node in inbound.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (node.TryGetProperty("args", out JsonElement args))
                {
                    History(args, names, what, 0);
                }

                if (node.TryGetProperty("kwargs", out JsonElement kwargs) && kwargs.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty keyword in kwargs.EnumerateObject().Where(k => !IsMaskKeyword(k.Name)))
                    {
                        History(keyword.Value, names, what, 0);
                    }
                }
            }

            if (operations.Contains(name))
            {
                reads[name] = names;
            }
            else
            {
                names.Where(operations.Contains).ToList().ForEach(used.Push);
            }
        }

        // An operation that gives a model output is the model's too.
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("output_layers", out JsonElement outputs))
        {
            var names = new List<string>();
            History(outputs, names, what, 0);
            CollectLegacyNames(outputs, names, what);
            names.Where(operations.Contains).ToList().ForEach(used.Push);
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        while (used.Count > 0)
        {
            string operation = used.Pop();
            if (kept.Add(operation) && reads.TryGetValue(operation, out List<string>? inputs))
            {
                inputs.Where(operations.Contains).ToList().ForEach(used.Push);
            }
        }

        operations.ExceptWith(kept);
        return operations;
    }

    // The keywords Keras 3's Layer.__call__ fills with the inputs' masks: mask (query_mask, value_mask, key_mask for
    // MultiHeadAttention). Not attention_mask, which a model passes itself.
    private static bool IsMaskKeyword(string keyword) => keyword is "mask" or "query_mask" or "value_mask" or "key_mask";

    private static bool HasTensor(JsonElement value, string what)
    {
        var names = new List<string>();
        History(value, names, what, 0);
        return names.Count > 0;
    }

    /// <summary>
    /// The layers of a functional configuration as nodes: name, class, how often called, the tensors the first call
    /// reads (<see cref="Node.Primary"/>: the first argument; a merge's list) and the others (<see cref="Node.Extra"/>:
    /// initial states and other keyword tensors); null for a Sequential configuration.
    /// </summary>
    private static List<Node>? ReadNodes(JsonElement layers, HashSet<string> maskOperations, string what)
    {
        var nodes = new List<Node>();
        foreach (JsonElement entry in layers.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("inbound_nodes", out JsonElement inbound) || inbound.ValueKind != JsonValueKind.Array)
            {
                // A Sequential configuration (no inbound_nodes).
                return null;
            }

            string className = entry.TryGetProperty("class_name", out JsonElement c) && c.ValueKind == JsonValueKind.String ? KerasConfig.Text(c, what) : "?";
            string name = LayerName(entry, what) ?? className;
            if (maskOperations.Contains(name))
            {
                continue; // a mask's computation, which RnnGen makes from the Masking and Embedding layers
            }

            // One entry per call of the layer (a shared layer has several), each what that call reads.
            var calls = new List<(List<string> Primary, List<string> Extra)>();
            bool causal = false;
            bool kerasMask = false;
            foreach (JsonElement node in inbound.EnumerateArray())
            {
                var primary = new List<string>();
                var extra = new List<string>();
                if (className == "MultiHeadAttention")
                {
                    bool callCausal = MultiHeadAttentionCall(node, primary, extra, what);
                    causal |= calls.Count == 0 && callCausal;
                    kerasMask |= calls.Count == 0 && node.ValueKind == JsonValueKind.Object && node.TryGetProperty("kwargs", out JsonElement mhaKeywords)
                        && mhaKeywords.ValueKind == JsonValueKind.Object && mhaKeywords.EnumerateObject().Any(k => IsMaskKeyword(k.Name) && HasTensor(k.Value, what));
                }
                else if (node.ValueKind == JsonValueKind.Array)
                {
                    // Keras 2: [[name, node_index, tensor_index, kwargs], ...].
                    foreach (JsonElement tensor in node.EnumerateArray())
                    {
                        if (tensor.ValueKind == JsonValueKind.Array && tensor.GetArrayLength() > 0 && tensor[0].ValueKind == JsonValueKind.String)
                        {
                            (primary.Count == 0 ? primary : extra).Add(Tensor(tensor, what));
                        }
                    }
                }
                else if (node.ValueKind == JsonValueKind.Object)
                {
                    var args = new List<string>();
                    if (node.TryGetProperty("args", out JsonElement a))
                    {
                        History(a, args, what, 0);
                    }

                    if (node.TryGetProperty("kwargs", out JsonElement k) && k.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty keyword in k.EnumerateObject())
                        {
                            // A mask keyword Keras filled from the input's mask (computed by mask operations) is not
                            // an input; one the model passes from a tensor of its own is, and is refused as such.
                            var tensors = new List<string>();
                            History(keyword.Value, tensors, what, 0);
                            if (!(IsMaskKeyword(keyword.Name) && tensors.All(maskOperations.Contains)))
                            {
                                extra.AddRange(tensors);
                            }
                            else
                            {
                                kerasMask |= calls.Count == 0 && tensors.Count > 0;
                            }
                        }
                    }

                    primary.AddRange(args.Take(1));
                    extra.InsertRange(0, args.Skip(1));
                }

                calls.Add((primary, extra));
            }

            bool makesMask = className == "Masking" || (className == "Embedding" && entry.TryGetProperty("config", out JsonElement embedding)
                && embedding.ValueKind == JsonValueKind.Object && embedding.TryGetProperty("mask_zero", out JsonElement maskZero) && maskZero.ValueKind == JsonValueKind.True);
            var added = new Node(name, className, inbound.GetArrayLength(),
                calls.Count > 0 ? calls[0].Primary : new List<string>(), calls.Count > 0 ? calls[0].Extra : new List<string>())
            {
                UseCausalMask = causal,
                ReadsKerasMask = kerasMask,
                MakesMask = makesMask,
            };
            added.CallReads.AddRange(calls);
            nodes.Add(added);
        }

        return nodes;
    }

    /// <summary>
    /// One call of a MultiHeadAttention, <c>call(query, value, key=None, ..., attention_mask=None, ...,
    /// use_causal_mask=False)</c> (<c>keras/src/layers/attention/multi_head_attention.py</c>): the query into
    /// <paramref name="primary"/>, the value, the key and an attention mask (when given) into <paramref name="extra"/> in
    /// that order, whether passed by position or by name; true for <c>use_causal_mask=True</c>. Keras 3 writes
    /// <c>{"args": [query, value], "kwargs": {"key": ..., "use_causal_mask": true}}</c>; tf.keras 2 writes the first
    /// argument as the tensor and every other one as a keyword, <c>[["query", 0, 0, {"value": ["value", 0, 0]}]]</c>.
    /// </summary>
    private static bool MultiHeadAttentionCall(JsonElement node, List<string> primary, List<string> extra, string what)
    {
        var positional = new List<List<string>>();
        JsonElement keywords = default;
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement tensor in node.EnumerateArray())
            {
                if (tensor.ValueKind == JsonValueKind.Array && tensor.GetArrayLength() > 0 && tensor[0].ValueKind == JsonValueKind.String)
                {
                    positional.Add(new List<string> { Tensor(tensor, what) });
                    if (tensor.GetArrayLength() > 3 && tensor[3].ValueKind == JsonValueKind.Object)
                    {
                        keywords = tensor[3];
                    }
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("args", out JsonElement args) && args.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement arg in args.EnumerateArray())
                {
                    var names = new List<string>();
                    History(arg, names, what, 0);
                    CollectLegacyNames(arg, names, what);
                    positional.Add(names);
                }
            }

            node.TryGetProperty("kwargs", out keywords);
        }

        List<string> Argument(int position, string keyword)
        {
            if (position < positional.Count)
            {
                return positional[position];
            }

            var names = new List<string>();
            if (keywords.ValueKind == JsonValueKind.Object && keywords.TryGetProperty(keyword, out JsonElement value))
            {
                History(value, names, what, 0);
                CollectLegacyNames(value, names, what);
            }

            return names;
        }

        primary.AddRange(Argument(0, "query"));
        extra.AddRange(Argument(1, "value"));
        extra.AddRange(Argument(2, "key"));
        extra.AddRange(Argument(int.MaxValue, "attention_mask"));
        return keywords.ValueKind == JsonValueKind.Object && keywords.TryGetProperty("use_causal_mask", out JsonElement causal)
            && causal.ValueKind == JsonValueKind.True;
    }

    /// <summary>A functional model's wiring, in configuration order (each layer after what it reads), for a [Graph] declaration.</summary>
    /// <param name="Inputs">Each InputLayer: name and (timesteps, features) where stated (a token input has 1 feature).</param>
    /// <param name="Nodes">Every other layer: what its first call reads (a merge's or an attention layer's tensors in order) and its initial states.</param>
    /// <param name="Outputs">The model's output layers, in order.</param>
    internal sealed record Layout(IReadOnlyList<LayoutInput> Inputs, IReadOnlyList<LayoutNode> Nodes, IReadOnlyList<string> Outputs);

    internal sealed record LayoutInput(string Name, int? Timesteps, int? Features);

    /// <summary>
    /// One call of a layer: its tensor's name (<see cref="TensorName"/>), and for a shared layer's later calls the first
    /// call's name (<see cref="Shares"/>); <see cref="Layer"/> is the file layer either way.
    /// </summary>
    internal sealed record LayoutNode(string Name, string ClassName, int Calls, IReadOnlyList<string> Reads, IReadOnlyList<string> InitialState)
    {
        public string Layer { get; init; } = Name;

        /// <summary>A MultiHeadAttention called with <c>use_causal_mask=True</c>.</summary>
        public bool UseCausalMask { get; init; }

        /// <summary>Its call reads a mask Keras 3 filled in from its input (a <c>mask</c> keyword of mask operations).</summary>
        public bool ReadsKerasMask { get; init; }

        public string? Shares { get; init; }
    }

    /// <summary>
    /// The wiring of a functional configuration, or null for a Sequential one; <paramref name="maskOperations"/>
    /// (<see cref="MaskOperations"/>) are passed over.
    /// </summary>
    public static Layout? Read(JsonElement config, JsonElement layers, IReadOnlyDictionary<string, (int? Timesteps, int? Features)> inputShapes,
        HashSet<string> maskOperations, string what)
    {
        List<Node>? nodes = ReadNodes(layers, maskOperations, what);
        if (nodes is null)
        {
            return null;
        }

        // Layers called on a list of tensors: the merges, and attention ([query, value, key]).
        static bool IsMerge(string className) => className is "Concatenate" or "Add" or "Subtract" or "Multiply" or "Average" or "Maximum" or "Minimum" or "Dot"
            or "Attention" or "AdditiveAttention" or "MultiHeadAttention";
        var inputs = nodes.Where(n => n.ClassName == "InputLayer")
            .Select(n => inputShapes.TryGetValue(n.Name, out var shape) ? new LayoutInput(n.Name, shape.Timesteps, shape.Features) : new LayoutInput(n.Name, null, null))
            .ToList();
        var calls = nodes.Where(n => n.ClassName != "InputLayer")
            .SelectMany(n => n.CallReads.Select((call, index) => (IsMerge(n.ClassName)
                ? new LayoutNode(TensorName(n.Name, index), n.ClassName, n.Calls, call.Primary.Concat(call.Extra).ToList(), Array.Empty<string>())
                : new LayoutNode(TensorName(n.Name, index), n.ClassName, n.Calls, call.Primary, call.Extra))
                with { Layer = n.Name, Shares = index == 0 ? null : n.Name, UseCausalMask = n.UseCausalMask, ReadsKerasMask = index == 0 && n.ReadsKerasMask }))
            .ToList();

        // Each call after what it reads: Keras lists a shared layer once, and its later calls may read tensors of layers
        // listed after it. File order otherwise; a call that waits on a tensor waits in a list under that tensor's name
        // (linear in the calls, whatever a file declares), and calls whose reads never appear follow at the end.
        var known = new HashSet<string>(inputs.Select(n => n.Name), StringComparer.Ordinal);
        var waiting = new Dictionary<string, List<LayoutNode>>(StringComparer.Ordinal);
        var others = new List<LayoutNode>(calls.Count);
        var placed = new HashSet<LayoutNode>(ReferenceEqualityComparer.Instance);
        var ready = new Stack<LayoutNode>();
        foreach (LayoutNode call in calls)
        {
            ready.Push(call);
            while (ready.Count > 0)
            {
                LayoutNode next = ready.Pop();
                string? missing = next.Reads.Concat(next.InitialState).FirstOrDefault(r => !known.Contains(r));
                if (missing is not null)
                {
                    (waiting.TryGetValue(missing, out List<LayoutNode>? list) ? list : waiting[missing] = new List<LayoutNode>()).Add(next);
                    continue;
                }

                others.Add(next);
                placed.Add(next);
                if (known.Add(next.Name) && waiting.Remove(next.Name, out List<LayoutNode>? released))
                {
                    for (int r = released.Count - 1; r >= 0; r--)
                    {
                        ready.Push(released[r]);
                    }
                }
            }
        }

        others.AddRange(calls.Where(c => !placed.Contains(c)));
        var outputs = new List<string>();
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("output_layers", out JsonElement o))
        {
            History(o, outputs, what, 0);
            CollectLegacyNames(o, outputs, what);
        }

        // The model's inputs in input_layers order (model([x, y])), which need not be the order the layers are listed in:
        // Keras lists layers by depth from the outputs (keras/src/ops/function.py).
        var declaredInputs = new List<string>();
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("input_layers", out JsonElement i))
        {
            History(i, declaredInputs, what, 0);
            CollectLegacyNames(i, declaredInputs, what);
        }

        inputs = inputs.OrderBy(input => declaredInputs.IndexOf(input.Name) is int at && at >= 0 ? at : int.MaxValue).ToList();
        return new Layout(inputs, others, outputs.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The error for a functional model that is not one chain.</summary>
    public static string Refusal(string source, string problem) =>
        $"'{source}' is a functional model that is not one chain of layers: {problem}. A [Sequential] class declares one chain " +
        "(one data input, each layer reading the one before it, extra inputs only as a recurrent layer's initial_state), so " +
        "it cannot load this file: declare it as a [Graph] over [Sequential] chains (docs/graphs.md; rnngen inspect prints " +
        "one) and call the graph's LoadWeights, or declare the chain you need as a [Sequential] class and load it with " +
        "KerasWeights.Load(model, path, ignoredLayers: the other layers), or read any layer's weights and configuration " +
        "with KerasFile.Open(path) and compute the rest yourself.";

    /// <summary>A configuration entry's layer name (<c>name</c>, or Keras 2's <c>config.name</c>), or null.</summary>
    internal static string? LayerName(JsonElement entry, string what)
    {
        if (entry.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String)
        {
            return KerasConfig.Text(n, what);
        }

        return entry.TryGetProperty("config", out JsonElement c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("name", out JsonElement inner) && inner.ValueKind == JsonValueKind.String
            ? KerasConfig.Text(inner, what)
            : null;
    }

    // Keras 3 tensors: {"class_name": "__keras_tensor__", "config": {"keras_history": ["name", 0, 0], ...}}, anywhere
    // inside args and kwargs (lists of states are nested lists).
    private static void History(JsonElement value, List<string> names, string what, int depth)
    {
        if (depth > KerasConfig.MaxJsonDepth)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (value.TryGetProperty("keras_history", out JsonElement history) && history.ValueKind == JsonValueKind.Array
                && history.GetArrayLength() > 0 && history[0].ValueKind == JsonValueKind.String)
            {
                names.Add(Tensor(history, what));
                return;
            }

            foreach (JsonProperty property in value.EnumerateObject())
            {
                History(property.Value, names, what, depth + 1);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in value.EnumerateArray())
            {
                History(item, names, what, depth + 1);
            }
        }
    }

    // output_layers as [["name", 0, 0], ...] (both generations), or one ["name", 0, 0].
    private static void CollectLegacyNames(JsonElement value, List<string> names, string what)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        if (value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.String)
        {
            names.Add(Tensor(value, what));
            return;
        }

        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && item[0].ValueKind == JsonValueKind.String)
            {
                names.Add(Tensor(item, what));
            }
        }
    }

    // [layer name, node index, tensor index, ...]: the tensor of that call of the layer (TensorName).
    private static string Tensor(JsonElement reference, string what)
    {
        string layer = KerasConfig.Text(reference[0], what);
        int call = reference.GetArrayLength() > 1 && reference[1].ValueKind == JsonValueKind.Number && reference[1].TryGetInt32(out int index) && index > 0 ? index : 0;
        return TensorName(layer, call);
    }
}
