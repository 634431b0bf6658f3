using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Everything the emitter derives from a <see cref="ModelSpec"/> before writing a line: where each Keras weight sits
/// in the parameter buffer, the working memory of one forward pass, the stored states of stateful layers, and the
/// outputs in Keras call order. Computed once per emit, never cached (the spec is what the pipeline caches).
/// </summary>
internal sealed class ModelLayout
{
    /// <summary>Input or output tensors above this many floats (16 KiB) are classes, not structs: see docs/attribute-reference.md.</summary>
    public const int MaxValueTypeFloats = 4096;

    public ModelLayout(ModelSpec spec)
    {
        Spec = spec;
        Layers = spec.Layers.Select(l => new LayerLayout(l)).ToList();
        ComputeLayers = Layers.Where(l => l.Spec.Kind != LayerKind.Dropout).ToList();
        Last = ComputeLayers[ComputeLayers.Count - 1];

        // Parameters: Keras model.get_weights() order (layer by layer, forward direction first).
        int offset = 0;
        foreach (LayerLayout layer in ComputeLayers)
        {
            for (int d = 0; d < layer.Spec.Directions; d++)
            {
                foreach (var (name, rows, columns) in LayerShapes.Weights(layer.Spec.Kind, layer.Spec.InputWidth, layer.Spec.Units, layer.Spec.UseBias, layer.Spec.ResetAfter))
                {
                    var weight = new WeightLayout(layer, d, name, rows, columns, offset);
                    layer.Directions[d].Weights[name] = weight;
                    Weights.Add(weight);
                    offset += weight.Length;
                }
            }
        }

        ParameterCount = offset;

        // Working memory: per recurrent direction two state buffers h (read and written alternately, so a step never
        // overwrites the state it reads) and the cell state c, each padded to whole 16-float vectors; a GRU with
        // reset_after=False also keeps its z, r*h and x_h blocks between its two passes.
        int scratch = 0;
        foreach (LayerLayout layer in ComputeLayers.Where(l => l.Spec.IsRecurrent))
        {
            int padded = PaddedUnits(layer.Spec.Units);
            foreach (DirectionLayout direction in layer.Directions)
            {
                direction.HOffset = scratch;
                direction.HNextOffset = scratch + padded;
                scratch += 2 * padded;
                if (layer.Spec.Kind == LayerKind.Lstm)
                {
                    direction.COffset = scratch;
                    scratch += padded;
                }

                if (layer.Spec.Kind == LayerKind.Gru && !layer.Spec.ResetAfter)
                {
                    direction.GatesOffset = scratch;
                    scratch += 3 * padded;
                }
            }
        }

        // The streaming Step API keeps its own states, so Forward between two Steps does not disturb a stream.
        IsCausal = ComputeLayers.All(l => !l.Spec.Bidirectional && !l.Spec.GoBackwards);
        if (IsCausal)
        {
            foreach (LayerLayout layer in ComputeLayers.Where(l => l.Spec.IsRecurrent))
            {
                int padded = PaddedUnits(layer.Spec.Units);
                var stream = new DirectionLayout(layer, 0) { HOffset = scratch, HNextOffset = scratch + padded };
                scratch += 2 * padded;
                if (layer.Spec.Kind == LayerKind.Lstm)
                {
                    stream.COffset = scratch;
                    scratch += padded;
                }

                if (layer.Spec.Kind == LayerKind.Gru && !layer.Spec.ResetAfter)
                {
                    stream.GatesOffset = scratch;
                    scratch += 3 * padded;
                }

                layer.Stream = stream;
            }
        }

        // One padded output row for Dense kernels that write whole vectors.
        int denseRow = ComputeLayers.Where(l => l.Spec.Kind == LayerKind.Dense).Select(l => PaddedUnits(l.Spec.Units)).DefaultIfEmpty(0).Max();
        DenseRowOffset = scratch;
        scratch += denseRow;

        // Packed weights, for each vector width the hardware may offer (see Tiers): each layer's kernels read their
        // weights in the order KernelPacking writes them.
        PackedLengths = new int[Tiers.Length];
        for (int tier = 0; tier < Tiers.Length; tier++)
        {
            int packed = 0;
            foreach (LayerLayout layer in ComputeLayers)
            {
                LayerSpec s = layer.Spec;
                int lanes = layer.Lanes[tier] = LanesFor(Tiers[tier].Lanes, s.Kind == LayerKind.Dense && layer.DenseUsesRows ? s.InputWidth : s.Units);
                foreach (DirectionLayout direction in layer.Directions)
                {
                    // Each direction's weights start on a 64-byte boundary of the aligned buffer, as its first does.
                    packed = RoundUp(packed, 16);
                    direction.PackedOffsets[tier] = packed;
                    packed += s.Kind == LayerKind.Dense
                        ? (layer.DenseUsesRows ? (s.InputWidth + 1) * s.Units : (s.InputWidth + 1) * RoundUp(s.Units, lanes))
                        : RoundUp(s.Units, lanes) / lanes * ((s.InputWidth + s.Units) * s.GateCount * lanes + LayerShapes.BiasRows(s.Kind, s.ResetAfter) * s.GateCount * lanes);
                }
            }

            PackedLengths[tier] = Math.Max(packed, 1);
        }

        int carry = 0;
        foreach (LayerLayout layer in ComputeLayers.Take(ComputeLayers.Count - 1))
        {
            carry = Math.Max(carry, layer.OutputRows(spec.Timesteps) * layer.Spec.OutputWidth);
        }

        CarryOffsets = new[] { scratch, scratch + carry };
        scratch += 2 * carry;

        // The batch API's working memory, a separate array (one per worker when a batch runs on several cores): the
        // states of a chunk of BatchChunk sequences per recurrent direction, and chunk-sized carry buffers.
        int chunk = ModelEmitter.BatchChunk;
        int batchScratch = 0;
        foreach (LayerLayout layer in ComputeLayers.Where(l => l.Spec.IsRecurrent))
        {
            int padded = PaddedUnits(layer.Spec.Units);
            layer.BatchInputStride = spec.Timesteps * layer.Spec.InputWidth;
            foreach (DirectionLayout direction in layer.Directions)
            {
                direction.BatchHOffset = batchScratch;
                direction.BatchHNextOffset = batchScratch + chunk * padded;
                batchScratch += 2 * chunk * padded;
                if (layer.Spec.Kind == LayerKind.Lstm)
                {
                    direction.BatchCOffset = batchScratch;
                    batchScratch += chunk * padded;
                }

                if (layer.Spec.Kind == LayerKind.Gru && !layer.Spec.ResetAfter)
                {
                    direction.BatchGatesOffset = batchScratch;
                    batchScratch += chunk * 3 * padded;
                }
            }
        }

        BatchCarryOffsets = new[] { batchScratch, batchScratch + chunk * carry };
        batchScratch += 2 * chunk * carry;
        BatchDenseRowOffset = batchScratch;
        batchScratch += denseRow;
        BatchScratchLength = Math.Max(batchScratch, 1);


        // The one recurrent layer an initial state can be given to (Keras initial_state): only models with exactly
        // one recurrent layer have the initial-state overloads, so which layer it feeds is never ambiguous.
        List<LayerLayout> recurrent = ComputeLayers.Where(l => l.Spec.IsRecurrent).ToList();
        InitialStateLayer = recurrent.Count == 1 ? recurrent[0] : null;
        if (InitialStateLayer is not null)
        {
            InitialStateScratchOffset = scratch;
            scratch += InitialStateLayer.StateCount * InitialStateLayer.Spec.Units;
        }

        ScratchLength = Math.Max(scratch, 1);

        // Stored states of stateful layers, one row per batch row.
        int stored = 0;
        foreach (LayerLayout layer in recurrent.Where(l => l.Spec.Stateful))
        {
            layer.StoredOffset = stored;
            stored += layer.StateCount * layer.Spec.Units;
        }

        StoredStateStride = stored;

        // Outputs in Keras call order.
        LayerSpec last = Last.Spec;
        int outputRows = Last.OutputRows(spec.Timesteps);
        if (last.Bidirectional && last.MergeMode == MergeMode.None)
        {
            Outputs.Add(new OutputLayout("output_forward", "ForwardResult", outputRows, last.Units, last.OutputIsSequence, "the forward layer's output"));
            Outputs.Add(new OutputLayout("output_backward", "BackwardResult", outputRows, last.Units, last.OutputIsSequence, "the backward layer's output, in forward time order"));
        }
        else
        {
            Outputs.Add(new OutputLayout("output", "Result", outputRows, last.OutputWidth, last.OutputIsSequence, "the model output"));
        }

        if (last.IsRecurrent && last.ReturnState)
        {
            foreach (StateLayout state in Last.States)
            {
                Outputs.Add(new OutputLayout(state.KerasName, state.FieldName, 1, last.Units, false, state.Description));
            }
        }

        OutputDim = Outputs[0].Width;
        ResultIsSequence = Outputs[0].IsSequence;
        StateWidth = last.IsRecurrent ? last.Units : InitialStateLayer?.Spec.Units ?? 0;
        int outputFloats = Outputs.Sum(o => o.Length);
        UsesReferenceTypes = spec.Timesteps * spec.InputDim > MaxValueTypeFloats || outputFloats > MaxValueTypeFloats;
    }

    /// <summary>
    /// The vector widths the generated kernels are written for, widest first; the first whose
    /// <c>Vector{Bits}.IsHardwareAccelerated</c> is true at run time is used (a JIT-time constant, so only its code runs).
    /// </summary>
    public static readonly (string Bits, int Lanes)[] Tiers = { ("512", 16), ("256", 8), ("128", 4) };

    public ModelSpec Spec { get; }

    /// <summary>No Bidirectional and no go_backwards layer: the model can run one timestep at a time (Step).</summary>
    public bool IsCausal { get; }

    public int DenseRowOffset { get; }

    public int[] BatchCarryOffsets { get; }

    public int BatchDenseRowOffset { get; }

    public int BatchScratchLength { get; }

    /// <summary>Length of the packed weight buffer for each of <see cref="Tiers"/>.</summary>
    public int[] PackedLengths { get; }

    /// <summary>Units rounded up to whole vectors of the widest tier, the size of every state buffer.</summary>
    public static int PaddedUnits(int units) => RoundUp(units, 16);

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// The lanes a kernel over <paramref name="width"/> floats uses on hardware with <paramref name="tierLanes"/>:
    /// narrower vectors when the width would leave most of a wide one empty (8 units on AVX-512 use 256-bit vectors).
    /// </summary>
    public static int LanesFor(int tierLanes, int width)
    {
        int lanes = tierLanes;
        while (lanes > 4 && width <= lanes / 2)
        {
            lanes /= 2;
        }

        return lanes;
    }

    public static string VectorType(int lanes) => lanes switch
    {
        16 => "global::System.Runtime.Intrinsics.Vector512",
        8 => "global::System.Runtime.Intrinsics.Vector256",
        _ => "global::System.Runtime.Intrinsics.Vector128",
    };

    public List<LayerLayout> Layers { get; }

    /// <summary>The layers that compute something (all but Dropout, the identity at inference).</summary>
    public List<LayerLayout> ComputeLayers { get; }

    public LayerLayout Last { get; }

    public List<WeightLayout> Weights { get; } = new();

    public int ParameterCount { get; }

    public int ScratchLength { get; }

    public int[] CarryOffsets { get; }

    public LayerLayout? InitialStateLayer { get; }

    public int InitialStateScratchOffset { get; }

    public int StoredStateStride { get; }

    public bool IsStateful => StoredStateStride > 0;

    public List<OutputLayout> Outputs { get; } = new();

    public int OutputDim { get; }

    public bool ResultIsSequence { get; }

    public int StateWidth { get; }

    public bool UsesReferenceTypes { get; }

    public int InputLength => Spec.Timesteps * Spec.InputDim;

    /// <summary>
    /// Every name the emitter declares in the model class (a superset: all vector widths and optional members). A
    /// class of one of these names could not hold them (C# CS0542), so the parser reports RNNG022 instead.
    /// GeneratedNamesTests checks the emitted code against it.
    /// </summary>
    public IEnumerable<string> MemberNames()
    {
        string[] fixedNames =
        {
            "Timesteps", "InputDim", "Units", "OutputDim", "OutputLength", "ParameterCount", "DefaultSeed", "Summary",
            "Info", "Input", "InputStep", "Output", "OutputStep", "OutputSequence", "State", "InitialState", "GetWeights",
            "SetWeights", "LoadWeights", "SaveWeights", "Forward", "Predict", "Step", "ResetStates", "InitializeWeights",
            "PackWeights", "Run", "RunMany", "RunChunks", "RunChunk", "RunOne", "StepCore", "BeginCall", "WorkerScratch",
            "ForwardOnWorkers", "ParallelBatch", "PackedLength", "ScratchLength", "CarryAOffset", "CarryBOffset",
            "InitialStateOffset", "DenseRowOffset",
            "StoredStateStride", "BatchChunk", "BatchCarryAOffset", "BatchCarryBOffset", "BatchDenseRowOffset",
            "BatchScratchLength", "OutputFloats", "_parameters", "_packed", "_scratch", "_streamReverse", "_batchScratch",
            "_workerScratch", "_parallelBatch", "_outputSink", "_storedStates", "_storedBatch",
            "Compile", "Trainer", "Fit", "Evaluate", "TrainOnBatch", "ComputeGradients", "_trainer",
        };
        foreach (string name in fixedNames)
        {
            yield return name;
        }

        string[] lanes = { "4", "8", "16" };
        foreach (LayerLayout layer in Layers)
        {
            foreach (string suffix in new[] { "Layer", "Cell", "Row", "LayerBatch", "CellBatch", "StoredOffset" })
            {
                yield return layer.Pascal + suffix;
            }

            foreach (string width in lanes)
            {
                yield return layer.Pascal + "CellX" + width;
                yield return layer.Pascal + "CellBatchX" + width;
                yield return layer.Pascal + "RowX" + width;
            }

            foreach (DirectionLayout direction in layer.Directions)
            {
                foreach (string part in new[] { "", "Stream", "Batch" })
                {
                    foreach (string state in new[] { "HOffset", "HNextOffset", "COffset", "GatesOffset" })
                    {
                        yield return direction.Pascal + part + state;
                    }
                }

                foreach ((string bits, _) in Tiers)
                {
                    yield return direction.Pascal + "PackedOffset" + bits;
                }

                foreach (string weight in new[] { "KernelOffset", "RecurrentKernelOffset", "BiasOffset" })
                {
                    yield return direction.Pascal + weight;
                }
            }

            foreach (string activation in new[] { layer.Spec.Activation, layer.Spec.RecurrentActivation ?? "linear" })
            {
                foreach ((string bits, _) in Tiers)
                {
                    yield return ActivationCatalog.MemberName(activation) + "X" + bits;
                }
            }
        }
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float literal that round-trips: invariant culture, "R", with the f suffix.</summary>
    public static string Float(double value)
    {
        string text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
        {
            text += ".0";
        }

        return text + "f";
    }

    /// <summary>PascalCase of a Keras snake_case name: <c>simple_rnn_1</c> becomes <c>SimpleRnn1</c>.</summary>
    public static string Pascal(string snake)
    {
        var builder = new System.Text.StringBuilder(snake.Length);
        bool upper = true;
        foreach (char ch in snake)
        {
            if (ch == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        return builder.ToString();
    }
}

internal sealed class LayerLayout
{
    public LayerLayout(LayerSpec spec)
    {
        Spec = spec;
        Pascal = ModelLayout.Pascal(spec.Name);
        Directions = Enumerable.Range(0, spec.Directions).Select(d => new DirectionLayout(this, d)).ToArray();
        if (spec.IsRecurrent)
        {
            foreach (DirectionLayout direction in Directions)
            {
                string prefix = spec.Bidirectional ? (direction.Index == 0 ? "forward_" : "backward_") : "state_";
                string fieldPrefix = spec.Bidirectional ? (direction.Index == 0 ? "ForwardState" : "BackwardState") : "State";
                string side = spec.Bidirectional ? (direction.Index == 0 ? "forward " : "backward ") : string.Empty;
                States.Add(new StateLayout(direction, false, prefix + "h", fieldPrefix + "H", $"the {side}layer's final hidden state h"));
                if (spec.Kind == LayerKind.Lstm)
                {
                    States.Add(new StateLayout(direction, true, prefix + "c", fieldPrefix + "C", $"the {side}layer's final cell state c"));
                }
            }
        }
    }

    public LayerSpec Spec { get; }

    /// <summary>The Keras name in PascalCase, the prefix of this layer's constants and methods.</summary>
    public string Pascal { get; }

    public DirectionLayout[] Directions { get; }

    /// <summary>The state vectors in Keras order: h (, c) of the forward direction, then of the backward one.</summary>
    public List<StateLayout> States { get; } = new();

    public int StateCount => States.Count;

    public int StoredOffset { get; set; }

    /// <summary>Lanes of this layer's kernels for each of <see cref="ModelLayout.Tiers"/>.</summary>
    public int[] Lanes { get; } = new int[ModelLayout.Tiers.Length];

    /// <summary>The distinct lane counts, each with one kernel method.</summary>
    public IEnumerable<int> DistinctLanes => Lanes.Distinct();

    /// <summary>
    /// A Dense layer with few outputs takes one dot product per output (vectors along the inputs); wider ones broadcast
    /// each input over vectors of outputs.
    /// </summary>
    public bool DenseUsesRows => Spec.Kind == LayerKind.Dense && Spec.Units <= 4;

    /// <summary>Input floats between two sequences of a batch chunk for this layer's batched kernel (its input is the
    /// model input, Timesteps x InputDim per sequence, or the previous layer's carry, Timesteps x width).</summary>
    public int BatchInputStride { get; set; }

    /// <summary>The streaming state of a recurrent layer (Step API), when the model is causal.</summary>
    public DirectionLayout? Stream { get; set; }

    /// <summary>Rows of the main output: Timesteps for a sequence, else 1.</summary>
    public int OutputRows(int timesteps) => Spec.OutputIsSequence ? timesteps : 1;

    /// <summary>Rows of the input: Timesteps for a sequence, else 1.</summary>
    public int InputRows(int timesteps) => Spec.InputIsSequence ? timesteps : 1;

    /// <summary>"layer 2: lstm_1 (LSTM, 8 units)" for comments and docs.</summary>
    public string Description =>
        Spec.Kind == LayerKind.Dropout
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Dropout, identity at inference)"
            : $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} ({(Spec.Bidirectional ? "Bidirectional " : string.Empty)}{LayerShapes.KerasClassName(Spec.Kind)}, {ModelLayout.Int(Spec.Units)} units)";
}

internal sealed class DirectionLayout
{
    public DirectionLayout(LayerLayout layer, int index)
    {
        Layer = layer;
        Index = index;
        Pascal = layer.Spec.Bidirectional ? layer.Pascal + (index == 0 ? "Forward" : "Backward") : layer.Pascal;
        KerasPrefix = layer.Spec.Bidirectional
            ? layer.Spec.Name + "/" + (index == 0 ? "forward_" : "backward_") + layer.Spec.InnerName + "/"
            : layer.Spec.Name + "/";
    }

    public LayerLayout Layer { get; }

    public int Index { get; }

    /// <summary>Prefix of this direction's constants: <c>Lstm</c>, or <c>BidirectionalForward</c>.</summary>
    public string Pascal { get; }

    /// <summary>Prefix of this direction's Keras weight names: <c>lstm/</c> or <c>bidirectional/forward_lstm/</c>.</summary>
    public string KerasPrefix { get; }

    /// <summary>True for the backward copy of a bidirectional layer and for a layer with go_backwards.</summary>
    public bool ReadsBackwards => Index == 1 || Layer.Spec.GoBackwards;

    public Dictionary<string, WeightLayout> Weights { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the state h lives between calls (and where Run leaves the final h).</summary>
    public int HOffset { get; set; }

    /// <summary>The second state buffer: a step reads one and writes the other.</summary>
    public int HNextOffset { get; set; }

    public int COffset { get; set; }

    /// <summary>GRU with reset_after=False: z, r*h and x_h between the kernel's two passes.</summary>
    public int GatesOffset { get; set; }

    public int BatchHOffset { get; set; }

    public int BatchHNextOffset { get; set; }

    public int BatchCOffset { get; set; }

    public int BatchGatesOffset { get; set; }

    /// <summary>Offset of this direction's packed weights in the packed buffer of each tier.</summary>
    public int[] PackedOffsets { get; } = new int[ModelLayout.Tiers.Length];
}

internal sealed class WeightLayout
{
    public WeightLayout(LayerLayout layer, int direction, string name, int rows, int columns, int offset)
    {
        Layer = layer;
        Direction = direction;
        Name = name;
        Rows = rows;
        Columns = columns;
        Offset = offset;
        DirectionLayout owner = layer.Directions[direction];
        KerasName = owner.KerasPrefix + name;
        ConstantName = owner.Pascal + ModelLayout.Pascal(name) + "Offset";
    }

    public LayerLayout Layer { get; }

    public int Direction { get; }

    /// <summary><c>kernel</c>, <c>recurrent_kernel</c> or <c>bias</c>.</summary>
    public string Name { get; }

    public int Rows { get; }

    /// <summary>Columns, or 0 for a 1-D weight of <see cref="Rows"/> elements.</summary>
    public int Columns { get; }

    public int Offset { get; }

    public int Length => Columns == 0 ? Rows : Rows * Columns;

    public string KerasName { get; }

    public string ConstantName { get; }

    public string ShapeText => Columns == 0 ? $"[{ModelLayout.Int(Rows)}]" : $"[{ModelLayout.Int(Rows)}, {ModelLayout.Int(Columns)}]";

    public string DimensionArguments => Columns == 0 ? ModelLayout.Int(Rows) : $"{ModelLayout.Int(Rows)}, {ModelLayout.Int(Columns)}";
}

/// <summary>A state vector of a recurrent direction: h, or c for LSTM.</summary>
internal sealed class StateLayout
{
    public StateLayout(DirectionLayout direction, bool isCell, string kerasName, string fieldName, string description)
    {
        Direction = direction;
        IsCell = isCell;
        KerasName = kerasName;
        FieldName = fieldName;
        Description = description;
    }

    public DirectionLayout Direction { get; }

    public bool IsCell { get; }

    /// <summary>Keras name of the returned state: <c>state_h</c>, <c>forward_c</c>, ...</summary>
    public string KerasName { get; }

    /// <summary>Field of the generated Output / InitialState struct: <c>StateH</c>, <c>ForwardStateC</c>, ...</summary>
    public string FieldName { get; }

    public string Description { get; }

    public int ScratchOffset => IsCell ? Direction.COffset : Direction.HOffset;
}

/// <summary>One output of a call in Keras order.</summary>
internal sealed class OutputLayout
{
    public OutputLayout(string kerasName, string fieldName, int rows, int width, bool isSequence, string description)
    {
        KerasName = kerasName;
        FieldName = fieldName;
        Rows = rows;
        Width = width;
        IsSequence = isSequence;
        Description = description;
    }

    public string KerasName { get; }

    public string FieldName { get; }

    public int Rows { get; }

    public int Width { get; }

    public bool IsSequence { get; }

    public string Description { get; }

    public int Length => Rows * Width;

    /// <summary>Local variable / parameter name in generated code: <c>result</c>, <c>forwardStateH</c>.</summary>
    public string VariableName => char.ToLowerInvariant(FieldName[0]) + FieldName.Substring(1);

    public bool IsState => KerasName.EndsWith("_h", StringComparison.Ordinal) || KerasName.EndsWith("_c", StringComparison.Ordinal);
}
