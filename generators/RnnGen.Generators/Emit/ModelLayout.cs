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
        RecurrentLayers = ComputeLayers.Where(l => l.Spec.IsRecurrent).ToList();
        Last = ComputeLayers[ComputeLayers.Count - 1];
        // A global pooling layer has no output before the last timestep, as a Bidirectional layer has none; after a Conv1D,
        // pooling or reshaping layer the timesteps are not the input's, so one input step is not one output step.
        IsCausal = ComputeLayers.All(l => !l.Spec.Bidirectional && !l.Spec.GoBackwards && !l.Spec.IsGlobalPooling && !l.Spec.ChangesTimeAxis);
        InitialStateLayer = RecurrentLayers.Count == 1 ? RecurrentLayers[0] : null;

        LayOutParameters();
        LayOutScratch();
        LayOutBatchScratch();
        LayOutPackedWeights();
        LayOutStoredStates();
        LayOutOutputs();
    }

    /// <summary>Parameters: Keras model.get_weights() order (layer by layer, forward direction first).</summary>
    private void LayOutParameters()
    {
        int offset = 0;
        foreach (LayerLayout layer in ComputeLayers)
        {
            for (int d = 0; d < layer.Spec.Directions; d++)
            {
                LayerSpec s = layer.Spec;
                foreach (var (name, rows, columns) in LayerShapes.Weights(s.Kind, s.WeightInputWidth, s.Units, s.UseBias, s.ResetAfter, s.Center, s.Scale, s.Window, s.Groups))
                {
                    var weight = new WeightLayout(layer, d, name, rows, columns, offset, LayerShapes.Dimensions(s.Kind, name, rows, columns, s.Window));
                    layer.Directions[d].Weights[name] = weight;
                    Weights.Add(weight);
                    offset += weight.Length;
                }
            }
        }

        ParameterCount = offset;
    }

    /// <summary>
    /// The working memory of one sequence (<c>_scratch</c>): each recurrent direction's cell buffers, the streaming
    /// states of Step (its own, so that Forward between two Steps does not disturb a stream), a padded Dense row, the two
    /// carry buffers that pass a sequence between layers, and the initial state a caller gives.
    /// </summary>
    private void LayOutScratch()
    {
        int scratch = 0;
        foreach (LayerLayout layer in RecurrentLayers)
        {
            foreach (DirectionLayout direction in layer.Directions)
            {
                scratch = direction.AllocateCellBuffers(Placement.Single, 1, scratch);
            }
        }

        if (IsCausal)
        {
            foreach (LayerLayout layer in RecurrentLayers)
            {
                scratch = layer.Directions[0].AllocateCellBuffers(Placement.Stream, 1, scratch);
            }
        }

        DenseRowOffset = scratch;
        scratch += DenseRowLength;
        CarryOffsets = new[] { scratch, scratch + CarryLength };
        scratch += 2 * CarryLength;
        if (InitialStateLayer is not null)
        {
            InitialStateScratchOffset = scratch;
            scratch += InitialStateLayer.StateCount * InitialStateLayer.Spec.Units;
        }

        ScratchLength = Math.Max(scratch, 1);
    }

    /// <summary>
    /// The batch API's working memory, a separate array (one per worker when a batch runs on several cores): the cell
    /// buffers of a chunk of <see cref="ModelEmitter.BatchChunk"/> sequences per recurrent direction, and chunk-sized
    /// carry buffers.
    /// </summary>
    private void LayOutBatchScratch()
    {
        int chunk = ModelEmitter.BatchChunk;
        int batchScratch = 0;
        foreach (LayerLayout layer in RecurrentLayers)
        {
            foreach (DirectionLayout direction in layer.Directions)
            {
                batchScratch = direction.AllocateCellBuffers(Placement.Batch, chunk, batchScratch);
            }
        }

        BatchCarryOffsets = new[] { batchScratch, batchScratch + chunk * CarryLength };
        batchScratch += 2 * chunk * CarryLength;
        BatchDenseRowOffset = batchScratch;
        batchScratch += DenseRowLength;
        BatchScratchLength = Math.Max(batchScratch, 1);
    }

    /// <summary>One padded output row for the Dense kernels that write whole vectors.</summary>
    private int DenseRowLength =>
        ComputeLayers.Where(l => l.Spec.Kind == LayerKind.Dense).Select(l => PaddedUnits(l.Spec.Units)).DefaultIfEmpty(0).Max();

    /// <summary>Floats of the longest sequence one layer passes to the next.</summary>
    private int CarryLength =>
        ComputeLayers.Take(ComputeLayers.Count - 1).Select(l => l.OutputRows() * l.Spec.OutputWidth).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Packed weights, for each vector width the hardware may offer (see <see cref="Tiers"/>): each layer's kernels read
    /// their weights in the order KernelPacking writes them.
    /// </summary>
    private void LayOutPackedWeights()
    {
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
                    packed += s.IsElementwise || s.IsGlobalPooling || s.ChangesTimeAxis || s.Kind == LayerKind.Embedding // Embedding and Conv1D read their weights from _parameters
                        ? 0
                        : s.IsNormalization
                        ? PackedLayout.NormalizationLength(s.InputWidth)
                        : s.Kind != LayerKind.Dense
                        ? RecurrentWeightsInBFloat16
                            ? PackedLayout.RecurrentLengthBFloat16(s.InputWidth, s.Units, s.GateCount, lanes, LayerShapes.BiasRows(s.Kind, s.ResetAfter))
                            : PackedLayout.RecurrentLength(s.InputWidth, s.Units, s.GateCount, lanes, LayerShapes.BiasRows(s.Kind, s.ResetAfter))
                        : layer.DenseUsesRows
                            ? PackedLayout.DenseRowsLength(s.InputWidth, s.Units)
                            : PackedLayout.DenseColumnsLength(s.InputWidth, s.Units, lanes);
                }
            }

            PackedLengths[tier] = Math.Max(packed, 1);
        }

        SameLanesAtEveryWidth = ComputeLayers.All(l => l.Lanes.Distinct().Count() == 1);
    }

    /// <summary>
    /// The recurrent layers' kernels are packed as bfloat16 (<c>[Sequential(WeightPrecision = WeightPrecision.BFloat16)]</c>):
    /// half the floats for the weights, the bias rows after them in float32 (Shared/PackedLayout.RecurrentLengthBFloat16).
    /// </summary>
    public bool RecurrentWeightsInBFloat16 => Spec.WeightPrecision == WeightPrecision.BFloat16;

    /// <summary>Stored states of stateful layers, one row per batch row.</summary>
    private void LayOutStoredStates()
    {
        int stored = 0;
        foreach (LayerLayout layer in RecurrentLayers.Where(l => l.Spec.Stateful))
        {
            layer.StoredOffset = stored;
            stored += layer.StateCount * layer.Spec.Units;
        }

        StoredStateStride = stored;
    }

    /// <summary>Outputs in Keras call order: the last layer's output (two with merge_mode=None), then its states.</summary>
    private void LayOutOutputs()
    {
        LayerSpec last = Last.Spec;
        int outputRows = Last.OutputRows();
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
        UsesReferenceTypes = Spec.Timesteps * Spec.InputDim > MaxValueTypeFloats || outputFloats > MaxValueTypeFloats;
    }

    /// <summary>
    /// The vector widths the generated kernels are written for, widest first; the first whose
    /// <c>Vector{Bits}.IsHardwareAccelerated</c> is true at run time is used (a JIT-time constant, so only its code runs).
    /// </summary>
    public static readonly (string Bits, int Lanes)[] Tiers = { ("512", 16), ("256", 8), ("128", 4) };

    public ModelSpec Spec { get; }

    /// <summary>No Bidirectional, go_backwards or global pooling layer: the model can run one timestep at a time (Step).</summary>
    public bool IsCausal { get; }

    public int DenseRowOffset { get; private set; }

    public int[] BatchCarryOffsets { get; private set; } = Array.Empty<int>();

    public int BatchDenseRowOffset { get; private set; }

    public int BatchScratchLength { get; private set; }

    /// <summary>
    /// Every layer's kernels use the same lanes at every vector width (small layers: 4 lanes everywhere), so the packed
    /// weights, their offsets and the kernel called are the same whatever the hardware: the emitter then writes one
    /// call where it would write a dispatch over <see cref="Tiers"/>.
    /// </summary>
    public bool SameLanesAtEveryWidth { get; private set; }

    /// <summary>Length of the packed weight buffer for each of <see cref="Tiers"/>.</summary>
    public int[] PackedLengths { get; private set; } = Array.Empty<int>();

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
        16 => "Vector512",
        8 => "Vector256",
        _ => "Vector128",
    };

    public List<LayerLayout> Layers { get; }

    /// <summary>The layers that compute something (all but Dropout, the identity at inference).</summary>
    public List<LayerLayout> ComputeLayers { get; }

    public LayerLayout Last { get; }

    /// <summary>The compute layers that have a cell: SimpleRNN, LSTM, GRU.</summary>
    public List<LayerLayout> RecurrentLayers { get; }

    public List<WeightLayout> Weights { get; } = new();

    public int ParameterCount { get; private set; }

    public int ScratchLength { get; private set; }

    public int[] CarryOffsets { get; private set; } = Array.Empty<int>();

    /// <summary>
    /// The one recurrent layer an initial state can be given to (Keras initial_state): only models with exactly one
    /// recurrent layer have the initial-state overloads, so which layer it feeds is never ambiguous.
    /// </summary>
    public LayerLayout? InitialStateLayer { get; }

    /// <summary>
    /// The layer whose mask the model computes from its input: <c>[Masking]</c>, or an <c>[Embedding(MaskZero = true)]</c>,
    /// whose <c>token != 0</c> is Masking(mask_value=0) of the one-wide token row (both always first: RNNG050, RNNG051), or null.
    /// </summary>
    public LayerSpec? MaskingLayer => Spec.Layers.FirstOrDefault(l => l.Kind == LayerKind.Masking || l.MaskZero);

    /// <summary>
    /// Whether the model has the masked overloads (<c>Forward(in input, mask, out output)</c>, lengths, masked
    /// <c>Predict</c>): a layer that reads the mask (a recurrent layer, GlobalAveragePooling1D), no <c>[Masking]</c> and
    /// no layer that changes the timesteps (Conv1D, pooling, Flatten, Reshape, RepeatVector: Keras's do not support
    /// masking). A model with <c>[Masking]</c> takes its mask from its data, as Keras's Masking does whatever mask a
    /// caller passes (<c>Masking.compute_mask</c> reads only the inputs), so it has no mask or lengths parameter.
    /// </summary>
    public bool HasMaskedApi => MaskingLayer is null
        && ComputeLayers.Any(l => l.Spec.IsRecurrent || l.Spec.TakesMask)
        && !ComputeLayers.Any(l => l.Spec.ChangesTimeAxis);

    public int InitialStateScratchOffset { get; private set; }

    public int StoredStateStride { get; private set; }

    public bool IsStateful => StoredStateStride > 0;

    public List<OutputLayout> Outputs { get; } = new();

    public int OutputDim { get; private set; }

    public bool ResultIsSequence { get; private set; }

    public int StateWidth { get; private set; }

    public bool UsesReferenceTypes { get; private set; }

    public int InputLength => Spec.Timesteps * Spec.InputDim;

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# float expression: <see cref="Float"/>'s literal, or NaN and the infinities by name.</summary>
    public static string FloatExpression(float value) =>
        float.IsNaN(value) ? "float.NaN"
        : float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : Float(value);

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
}

internal sealed class LayerLayout
{
    public LayerLayout(LayerSpec spec)
    {
        Spec = spec;
        Pascal = GeneratedNames.Layer(spec);
        CellBuffers = CellBuffer.Of(spec);
        Directions = Enumerable.Range(0, spec.Directions).Select(d => new DirectionLayout(this, d)).ToArray();
        if (spec.IsRecurrent)
        {
            foreach (DirectionLayout direction in Directions)
            {
                string prefix = spec.Bidirectional ? (direction.Index == 0 ? "forward_" : "backward_") : "state_";
                string fieldPrefix = spec.Bidirectional ? (direction.Index == 0 ? "ForwardState" : "BackwardState") : "State";
                string side = spec.Bidirectional ? (direction.Index == 0 ? "forward " : "backward ") : string.Empty;
                States.Add(new StateLayout(direction, CellBuffer.H, prefix + "h", fieldPrefix + "H", $"the {side}layer's final hidden state h"));
                if (spec.Kind == LayerKind.Lstm)
                {
                    States.Add(new StateLayout(direction, CellBuffer.C, prefix + "c", fieldPrefix + "C", $"the {side}layer's final cell state c"));
                }
            }
        }
    }

    public LayerSpec Spec { get; }

    /// <summary>The Keras name in PascalCase, the prefix of this layer's constants and methods.</summary>
    public string Pascal { get; }

    public DirectionLayout[] Directions { get; }

    /// <summary>The working buffers of this layer's cell, in the order they are allocated and passed to its kernels.</summary>
    public IReadOnlyList<CellBuffer> CellBuffers { get; }

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
    /// model input, Timesteps x InputDim per sequence, or the previous layer's carry, its timesteps x width).</summary>
    public int BatchInputStride() => Spec.InputTimesteps * Spec.InputWidth;

    /// <summary>Rows of the main output: its timesteps for a sequence, else 1.</summary>
    public int OutputRows() => Spec.OutputIsSequence ? Spec.OutputTimesteps : 1;

    /// <summary>Rows of the input: its timesteps for a sequence, else 1.</summary>
    public int InputRows() => Spec.InputIsSequence ? Spec.InputTimesteps : 1;

    /// <summary>The options of a Conv1D or pooling layer that differ from a plain window: ", strides 2, padding same".</summary>
    private string WindowOptions =>
        (Spec.Strides != 1 ? ", strides " + ModelLayout.Int(Spec.Strides) : string.Empty)
        + (Spec.DilationRate != 1 ? ", dilation " + ModelLayout.Int(Spec.DilationRate) : string.Empty)
        + (Spec.Groups != 1 ? ", groups " + ModelLayout.Int(Spec.Groups) : string.Empty)
        + (Spec.Padding != TimeWindows.Valid ? ", padding " + Spec.Padding : string.Empty);

    /// <summary>"layer 2: lstm_1 (LSTM, 8 units)" for comments and docs.</summary>
    public string Description =>
        Spec.Kind == LayerKind.Dropout
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Dropout, identity at inference)"
            : Spec.Kind == LayerKind.Activation
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Activation, {Spec.Activation})"
            : Spec.Kind == LayerKind.Rescaling
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Rescaling, x * {Spec.RescalingScale.ToString("R", CultureInfo.InvariantCulture)} + {Spec.RescalingOffset.ToString("R", CultureInfo.InvariantCulture)})"
            : Spec.Kind == LayerKind.Embedding
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Embedding, {ModelLayout.Int(Spec.EmbeddingInputDim)} tokens x {ModelLayout.Int(Spec.OutputWidth)}{(Spec.MaskZero ? ", mask_zero" : string.Empty)})"
            : Spec.Kind == LayerKind.Masking
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Masking, mask_value {Spec.MaskValue.ToString("R", CultureInfo.InvariantCulture)})"
            : Spec.Kind == LayerKind.Conv1D
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Conv1D, {ModelLayout.Int(Spec.Units)} filters of {ModelLayout.Int(Spec.Window)}{WindowOptions})"
            : Spec.Kind == LayerKind.Flatten
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Flatten, {ModelLayout.Int(Spec.OutputWidth)} values)"
            : Spec.Kind == LayerKind.Reshape
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Reshape to {(Spec.OutputIsSequence ? $"({ModelLayout.Int(Spec.OutputTimesteps)}, {ModelLayout.Int(Spec.OutputWidth)})" : $"({ModelLayout.Int(Spec.OutputWidth)},)")})"
            : Spec.Kind == LayerKind.RepeatVector
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (RepeatVector, {ModelLayout.Int(Spec.OutputTimesteps)} times)"
            : Spec.IsTimeWindow
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} ({LayerShapes.KerasClassName(Spec.Kind)}, windows of {ModelLayout.Int(Spec.Window)}{WindowOptions})"
            : Spec.IsGlobalPooling
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} ({LayerShapes.KerasClassName(Spec.Kind)}, {ModelLayout.Int(Spec.InputWidth)} features)"
            : Spec.Kind == LayerKind.Normalization
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} (Normalization, {ModelLayout.Int(Spec.InputWidth)} features{(Spec.Invert ? ", invert" : string.Empty)})"
            : Spec.IsNormalization
            ? $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} ({LayerShapes.KerasClassName(Spec.Kind)}, {ModelLayout.Int(Spec.InputWidth)} features, epsilon {Spec.Epsilon.ToString("R", CultureInfo.InvariantCulture)})"
            : $"layer {ModelLayout.Int(Spec.Index + 1)}: {Spec.Name} ({(Spec.Bidirectional ? "Bidirectional " : string.Empty)}{LayerShapes.KerasClassName(Spec.Kind)}, {ModelLayout.Int(Spec.Units)} units)";
}

internal sealed class DirectionLayout
{
    public DirectionLayout(LayerLayout layer, int index)
    {
        Layer = layer;
        Index = index;
        Pascal = GeneratedNames.Direction(layer.Spec, index);
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

    private readonly Dictionary<(Placement, CellBuffer), int> _cellBufferOffsets = new();

    /// <summary>Where a buffer of this direction's cell starts in the working memory of <paramref name="placement"/>.</summary>
    public int Offset(Placement placement, CellBuffer buffer) => _cellBufferOffsets[(placement, buffer)];

    /// <summary>The name of the generated constant that holds <see cref="Offset"/>: <c>LstmHOffset</c>, <c>GruBatchGatesOffset</c>.</summary>
    public string OffsetName(Placement placement, CellBuffer buffer) => GeneratedNames.CellBufferOffset(Pascal, placement, buffer);

    /// <summary>
    /// Places this direction's cell buffers for <paramref name="sequences"/> sequences one after the other from
    /// <paramref name="start"/>, each <see cref="CellBuffer.Vectors"/> padded state widths per sequence, and returns
    /// where the next free float is. The one rule for the single, batch and streaming working memory.
    /// </summary>
    public int AllocateCellBuffers(Placement placement, int sequences, int start)
    {
        int padded = ModelLayout.PaddedUnits(Layer.Spec.Units);
        foreach (CellBuffer buffer in Layer.CellBuffers)
        {
            _cellBufferOffsets[(placement, buffer)] = start;
            start += sequences * buffer.Vectors * padded;
        }

        return start;
    }

    /// <summary>Offset of this direction's packed weights in the packed buffer of each tier.</summary>
    public int[] PackedOffsets { get; } = new int[ModelLayout.Tiers.Length];
}

internal sealed class WeightLayout
{
    public WeightLayout(LayerLayout layer, int direction, string name, int rows, int columns, int offset, int[] dimensions)
    {
        Dimensions = dimensions;
        Layer = layer;
        Direction = direction;
        Name = name;
        Rows = rows;
        Columns = columns;
        Offset = offset;
        DirectionLayout owner = layer.Directions[direction];
        KerasName = owner.KerasPrefix + name;
        ConstantName = owner.Pascal + GeneratedNames.Pascal(name) + "Offset";
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

    /// <summary>The Keras shape (LayerShapes.Dimensions): <c>[Rows]</c>, <c>[Rows, Columns]</c>, or a Conv1D kernel's three axes.</summary>
    public int[] Dimensions { get; }

    /// <summary>The timesteps a Conv1D kernel spans (its first axis), else 1: what Keras's fan computation multiplies the fans by.</summary>
    public int ReceptiveField => Dimensions.Length == 3 ? Dimensions[0] : 1;

    public string ShapeText => "[" + DimensionArguments + "]";

    public string DimensionArguments => string.Join(", ", Dimensions.Select(d => ModelLayout.Int(d)));
}

/// <summary>A state vector of a recurrent direction: h, or c for LSTM.</summary>
/// <param name="Direction">The direction it belongs to.</param>
/// <param name="Buffer">The cell buffer that holds it: <see cref="CellBuffer.H"/> or <see cref="CellBuffer.C"/>.</param>
/// <param name="KerasName">Keras name of the returned state: <c>state_h</c>, <c>forward_c</c>, ...</param>
/// <param name="FieldName">Field of the generated Output / InitialState struct: <c>StateH</c>, <c>ForwardStateC</c>, ...</param>
/// <param name="Description">What it is, for documentation comments.</param>
internal sealed record StateLayout(DirectionLayout Direction, CellBuffer Buffer, string KerasName, string FieldName, string Description);

/// <summary>One output of a call in Keras order.</summary>
/// <param name="KerasName">Keras name: <c>output</c>, <c>state_h</c>, ...</param>
/// <param name="FieldName">Field of the generated Output struct: <c>Result</c>, <c>StateH</c>, ...</param>
/// <param name="Rows">Timesteps for a sequence, else 1.</param>
/// <param name="Width">Floats per row.</param>
/// <param name="IsSequence">Whether it keeps the time axis.</param>
/// <param name="Description">What it is, for documentation comments.</param>
internal sealed record OutputLayout(string KerasName, string FieldName, int Rows, int Width, bool IsSequence, string Description)
{
    public int Length => Rows * Width;

    /// <summary>Local variable / parameter name in generated code: <c>result</c>, <c>forwardStateH</c>.</summary>
    public string VariableName => char.ToLowerInvariant(FieldName[0]) + FieldName.Substring(1);

    public bool IsState => KerasName.EndsWith("_h", StringComparison.Ordinal) || KerasName.EndsWith("_c", StringComparison.Ordinal);
}

/// <summary>Where the working memory of a recurrent cell lives.</summary>
internal enum Placement
{
    /// <summary>One sequence at a time (Forward, Predict, the batch's remainder), in <c>_scratch</c>.</summary>
    Single,

    /// <summary>The streaming state of Step, in <c>_scratch</c>, kept between calls.</summary>
    Stream,

    /// <summary>A chunk of the batch API, in <c>_batchScratch</c> or a worker's array.</summary>
    Batch,
}

/// <summary>
/// A working buffer of a recurrent cell: the two state buffers h and hNext that a step reads and writes in turn (so a
/// step never overwrites the state it reads), LSTM's cell state c, and the z, r*h and x_h blocks a GRU with
/// reset_after=False keeps between its two passes. Each is padded to whole 16-float vectors.
/// </summary>
internal sealed class CellBuffer
{
    public static readonly CellBuffer H = new("h", "H", 1);
    public static readonly CellBuffer HNext = new("hNext", "HNext", 1);
    public static readonly CellBuffer C = new("c", "C", 1);
    public static readonly CellBuffer Gates = new("gates", "Gates", 3);

    private CellBuffer(string variable, string name, int vectors)
    {
        Variable = variable;
        Name = name;
        Vectors = vectors;
    }

    /// <summary>The local variable that holds it in generated drivers, and its kernel parameter.</summary>
    public string Variable { get; }

    /// <summary>Its part of the generated offset constants' names.</summary>
    public string Name { get; }

    /// <summary>Its length per sequence, in padded state widths.</summary>
    public int Vectors { get; }

    /// <summary>The buffers of a layer's cell, in allocation and kernel-parameter order.</summary>
    public static IReadOnlyList<CellBuffer> Of(LayerSpec spec) => spec.Kind switch
    {
        LayerKind.Lstm => new[] { H, HNext, C },
        LayerKind.Gru when !spec.ResetAfter => new[] { H, HNext, Gates },
        LayerKind.SimpleRnn or LayerKind.Gru => new[] { H, HNext },
        _ => Array.Empty<CellBuffer>(),
    };
}
