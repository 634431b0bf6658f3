using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The forward pass and the layer drivers: the code that chains the layers through the carry buffers and calls each
/// layer's kernels. A recurrent layer's driver is the library's <c>Kernels.RecurrentLayer.Run</c> (timesteps, state
/// swaps, initial and stored states, masked steps, outputs and bidirectional merges, written once in src/), over a cell
/// struct written here per direction and pass, whose sizes and options are constants the JIT folds (docs/generator.md,
/// "One layer driver"). One writer serves every <see cref="Pass"/>: one sequence at a time (Forward, Predict) and a
/// chunk of <see cref="BatchChunk"/> sequences advancing together (the batch API); the streaming Step calls the same
/// cell structs on its own buffers (ModelEmitter.Streaming.cs). Hot methods are compiled fully optimized from their
/// first call (AggressiveOptimization), so a real-time caller never runs the unoptimized first tier.
/// </summary>
internal sealed partial class ModelEmitter
{
    /// <summary>
    /// How many sequences a driver advances together, and which offsets of the working memory they use: every driver takes
    /// it as <c>scratch</c>, so that a worker thread can run either pass on memory of its own.
    /// </summary>
    private sealed class Pass
    {
        public static readonly Pass Single = new(Placement.Single, 1, string.Empty);
        public static readonly Pass Chunk = new(Placement.Batch, BatchChunk, "Batch");

        private Pass(Placement placement, int sequences, string suffix)
        {
            Placement = placement;
            Sequences = sequences;
            Suffix = suffix;
        }

        public Placement Placement { get; }

        /// <summary>1, or <see cref="BatchChunk"/>: the generated code then loops over the chunk with <c>r</c>.</summary>
        public int Sequences { get; }

        public bool IsChunk => Sequences > 1;

        /// <summary>The suffix of this pass's driver methods and working-memory constants: empty, or <c>Batch</c>.</summary>
        public string Suffix { get; }

        /// <summary>Floats of a buffer of <paramref name="perSequence"/> floats per sequence.</summary>
        public string Length(string perSequence) => IsChunk ? "BatchChunk * " + perSequence : perSequence;

        /// <summary><paramref name="span"/> from the start of sequence <c>r</c>.</summary>
        public string From(string span, string stride) => IsChunk ? $"{span}.Slice(r * {stride})" : span;

        /// <summary>
        /// The parameters of a layer method that is not recurrent: its input and output (with the strides between the
        /// sequences of a chunk) and the working memory.
        /// </summary>
        public string LayerParameters => IsChunk
            ? $"{ReadOnlySpan} input, int inputStride, {Span} output, int outputStride, float[] scratch"
            : $"{ReadOnlySpan} input, {Span} output, float[] scratch";
    }

    private static readonly Pass[] s_passes = { Pass.Single, Pass.Chunk };

    /// <summary>Writes <paramref name="body"/> once for each sequence of the pass: in a loop over <c>r</c> for a chunk.</summary>
    private void ForEachSequence(Pass pass, Action body, string? comment = null)
    {
        if (!pass.IsChunk)
        {
            if (comment is not null)
            {
                _writer.Line("// " + comment);
            }

            body();
            return;
        }

        using (_writer.Braces("for (int r = 0; r < BatchChunk; r++)" + (comment is null ? string.Empty : " // " + comment)))
        {
            body();
        }
    }

    private void WriteDrivers(Pass pass)
    {
        WriteChain(pass);
        foreach (LayerLayout layer in _layout.ComputeLayers)
        {
            if (layer.Spec.Kind == LayerKind.Dense)
            {
                WriteDenseDriver(layer, pass);
            }
            else if (layer.Spec.Kind == LayerKind.Embedding)
            {
                WriteEmbeddingDriver(layer, pass);
            }
            else if (layer.Spec.HasRowMethod)
            {
                WriteNormalizationDriver(layer, pass);
            }
            else if (layer.Spec.IsGlobalPooling)
            {
                WriteGlobalPoolingDriver(layer, pass);
            }
            else if (layer.Spec.IsTimeWindow)
            {
                WriteTimeWindowDriver(layer, pass);
            }
            else if (LayerShapes.IsReshaping(layer.Spec.Kind))
            {
                WriteReshapingDriver(layer, pass);
            }
            else
            {
                WriteRecurrentDriver(layer, pass);
                foreach (DirectionLayout direction in layer.Directions)
                {
                    WriteCellStruct(layer, direction, pass);
                }
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteRecurrentKernel(layer, lanes, pass.Sequences);
                }

                if (PairsGates(layer, pass.Sequences))
                {
                    WriteRecurrentKernel(layer, 8, paired: true);
                }
            }
        }
    }

    /// <summary>The outputs of a chain, with their strides for a chunk.</summary>
    private IEnumerable<string> OutputParameters(Pass pass, IEnumerable<OutputLayout> outputs) =>
        outputs.SelectMany(o => pass.IsChunk ? new[] { $"{Span} {o.VariableName}", $"int {o.VariableName}Stride" } : new[] { $"{Span} {o.VariableName}" });

    /// <summary>
    /// <c>Run</c> (one sequence) or <c>RunChunk</c> (a chunk): every layer in turn. Outputs go straight to the caller's
    /// memory; what passes between layers goes through the two carry buffers in turn.
    /// </summary>
    private void WriteChain(Pass pass)
    {
        var parameters = new List<string> { $"{ReadOnlySpan} input" };
        parameters.AddRange(OutputParameters(pass, _layout.Outputs));
        parameters.Add("float[] scratch");
        if (pass.IsChunk)
        {
            parameters.Add("int firstRow");
            _writer.Line($"// One chunk of {Int(BatchChunk)} sequences through every layer: sequence r of the chunk is batch row firstRow + r.");
        }
        else
        {
            parameters.Add($"{ReadOnlySpan} initialState");
            parameters.Add("int row");
            parameters.Add(MaskParameter);
            _writer.Line("// One sequence through every layer. Outputs go straight to the caller's memory; what passes between layers goes");
            _writer.Line("// through the two carry buffers in turn. initialState is empty unless the caller gave one; row is the batch row");
            if (MasksFromData)
            {
                _writer.Line($"// whose stored states a stateful layer uses. mask is not read: {MaskingLayer!.Name} computes the mask from the input (dataMask),");
                _writer.Line("// and every layer between here and the last recurrent one keeps the timesteps, so every recurrent layer reads it.");
            }
            else
            {
                _writer.Line("// whose stored states a stateful layer uses. mask is empty unless the caller gave one (docs/masking.md): every");
                _writer.Line("// layer between here and the last recurrent one keeps the timesteps, so every recurrent layer reads the same mask.");
            }
        }

        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void Run{(pass.IsChunk ? "Chunk" : string.Empty)}({string.Join(", ", parameters)})"))
        {
            if (!pass.IsChunk)
            {
                WriteEnsurePacked();
                WriteDataMask();
            }

            string previous = "input", previousStride = "InputLength";
            int carry = 0;
            for (int i = 0; i < _layout.ComputeLayers.Count; i++)
            {
                LayerLayout layer = _layout.ComputeLayers[i];
                bool last = i == _layout.ComputeLayers.Count - 1;
                _writer.Line($"// {layer.Description}: {ShapeText(layer.InputRows(), layer.Spec.InputWidth, layer.Spec.InputIsSequence)} -> {ShapeText(layer.OutputRows(), layer.Spec.OutputWidth, layer.Spec.OutputIsSequence)}");
                var arguments = new List<string> { previous };
                if (pass.IsChunk && !layer.Spec.IsRecurrent)
                {
                    arguments.Add(previousStride);
                }

                if (last)
                {
                    arguments.AddRange(_layout.Outputs.Where(o => !o.IsState).SelectMany(o => pass.IsChunk ? new[] { o.VariableName, o.VariableName + "Stride" } : new[] { o.VariableName }));
                }
                else
                {
                    string letter = carry == 0 ? "A" : "B";
                    string name = "carry" + letter + Int(i + 1);
                    string length = Int(layer.OutputRows() * layer.Spec.OutputWidth);
                    _writer.Line($"{Span} {name} = new {Span}(scratch, {pass.Suffix}Carry{letter}Offset, {pass.Length(length)});");
                    arguments.Add(name);
                    if (pass.IsChunk)
                    {
                        arguments.Add(length);
                    }

                    previous = name;
                    previousStride = length;
                    carry ^= 1;
                }

                arguments.Add("scratch");
                if (!pass.IsChunk && layer.Spec.IsRecurrent)
                {
                    arguments.Add(layer == _layout.InitialStateLayer ? "initialState" : "default");
                }

                if (layer.Spec.IsRecurrent)
                {
                    arguments.Add(pass.IsChunk ? "firstRow" : "row");
                    if (!pass.IsChunk)
                    {
                        arguments.Add(MasksFromData ? "dataMask" : "mask");
                    }
                }
                else if (!pass.IsChunk && TakesMask(layer))
                {
                    arguments.Add(MasksFromData ? "dataMask" : "mask");
                }

                _writer.Line($"{layer.Pascal}Layer{pass.Suffix}({string.Join(", ", arguments)});");
            }

            foreach (OutputLayout output in _layout.Outputs.Where(o => o.IsState))
            {
                StateLayout state = _layout.Last.States.First(s => s.FieldName == output.FieldName);
                string offset = state.Direction.OffsetName(pass.Placement, state.Buffer);
                ForEachSequence(pass, () => _writer.Line(
                    $"new {ReadOnlySpan}(scratch, {offset}{(pass.IsChunk ? " + r * " + Int(PaddedUnits(_layout.Last.Spec.Units)) : string.Empty)}, {Int(_layout.Last.Spec.Units)}).CopyTo({pass.From(output.VariableName, output.VariableName + "Stride")});"));
            }
        }

        _writer.Line();
    }

    private static string ShapeText(int rows, int width, bool isSequence) =>
        isSequence ? $"[{Int(rows)}, {Int(width)}]" : $"[{Int(width)}]";

    private void WriteDenseDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        int rows = layer.InputRows();
        string parameters = pass.LayerParameters;
        _writer.Line(pass.IsChunk
            ? $"// {layer.Description}, for each sequence of a chunk."
            : $"// {layer.Description}: y = {s.Activation}(x·W + b) on the last axis{(rows > 1 ? ", at every timestep" : string.Empty)} (Keras Dense.call).");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            if (pass.IsChunk || rows > 1)
            {
                _writer.Line($"const int InputWidth = {Int(s.InputWidth)};");
                _writer.Line($"const int Units = {Int(s.Units)};");
            }

            ForEachSequence(pass, () =>
            {
                string inputStart = pass.IsChunk ? "r * inputStride + " : string.Empty;
                string outputStart = pass.IsChunk ? "r * outputStride + " : string.Empty;
                if (rows == 1)
                {
                    _writer.Line(pass.IsChunk
                        ? DenseRowCall(layer, "input.Slice(r * inputStride, InputWidth)", "output.Slice(r * outputStride, Units)", "scratch", $"{pass.Suffix}DenseRowOffset")
                        : DenseRowCall(layer, "input", "output", "scratch", $"{pass.Suffix}DenseRowOffset"));
                    return;
                }

                using (_writer.Braces($"for (int t = 0; t < {Int(rows)}; t++)"))
                {
                    _writer.Line(DenseRowCall(layer, $"input.Slice({inputStart}t * InputWidth, InputWidth)", $"output.Slice({outputStart}t * Units, Units)", "scratch", $"{pass.Suffix}DenseRowOffset"));
                }
            });
        }

        _writer.Line();
    }

    private void WriteRecurrentDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        bool noneMerge = s.Bidirectional && s.MergeMode == MergeMode.None;
        var parameters = new List<string> { $"{ReadOnlySpan} input", $"{Span} output" };
        if (pass.IsChunk)
        {
            parameters.Add("int outputStride");
        }

        if (noneMerge)
        {
            parameters.Add($"{Span} backwardOutput");
            if (pass.IsChunk)
            {
                parameters.Add("int backwardOutputStride");
            }
        }

        parameters.Add("float[] scratch");
        if (pass.IsChunk)
        {
            parameters.Add("int firstRow");
        }
        else
        {
            parameters.Add($"{ReadOnlySpan} initialState");
            parameters.Add("int row");
            parameters.Add(MaskParameter);
        }

        if (pass.IsChunk)
        {
            _writer.Line($"// {layer.Description}, for a chunk of {Int(BatchChunk)} sequences advancing together (see {layer.Pascal}Layer for the semantics).");
        }
        else
        {
            _writer.Line($"// {layer.Description}: the cell {layer.Pascal}Cell through the layer driver, Kernels.RecurrentLayer.Run, which walks the");
            _writer.Line("// timesteps, swaps the state buffers, starts from the initial or stored states, skips masked steps and writes the outputs.");
            if (s.Bidirectional)
            {
                _writer.Line("// Keras Bidirectional.call: a forward copy, and a backward copy that reads the sequence from its end (go_backwards);");
                _writer.Line(s.ReturnSequences
                    ? "// the backward outputs are put back in forward time order, then merged: " + MergeText(s.MergeMode) + "."
                    : "// their last outputs are merged: " + MergeText(s.MergeMode) + ".");
            }
            else if (s.GoBackwards)
            {
                _writer.Line("// go_backwards: the sequence is read from its end" + (s.ReturnSequences ? ", and the outputs stay in that processing order, as Keras returns them." : "."));
            }
        }

        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({string.Join(", ", parameters)})"))
        {
            for (int d = 0; d < layer.Directions.Length; d++)
            {
                if (s.Bidirectional)
                {
                    if (d == 1)
                    {
                        _writer.Line();
                    }

                    _writer.Line(d == 0 ? "// Forward copy." : "// Backward copy, merged into what the forward copy wrote.");
                }

                WriteDirection(layer, layer.Directions[d], pass);
            }
        }

        _writer.Line();
    }

    private static string MergeText(MergeMode mode) => mode switch
    {
        MergeMode.Concat => "concat, [forward, backward] on the last axis",
        MergeMode.Sum => "sum, forward + backward",
        MergeMode.Mul => "mul, forward * backward",
        MergeMode.Ave => "ave, (forward + backward) / 2",
        _ => "none, the two outputs are returned apart",
    };

    private static string BufferLength(CellBuffer buffer) => buffer.Vectors == 1 ? "Padded" : Int(buffer.Vectors) + " * Padded";

    /// <summary>One direction of a recurrent layer: its cell, its buffers and its outputs, handed to the layer driver.</summary>
    private void WriteDirection(LayerLayout layer, DirectionLayout direction, Pass pass)
    {
        LayerSpec s = layer.Spec;
        // A direction's states are slots [first, first + States) of the layer's: its initial and stored states start there.
        int firstSlot = layer.States.FindIndex(st => st.Direction == direction);
        string slotOffset = firstSlot == 0 ? string.Empty : " + " + Int(firstSlot * s.Units);
        string initialState = pass.IsChunk || layer != _layout.InitialStateLayer ? "default"
            : firstSlot == 0 ? "initialState"
            : $"initialState.IsEmpty ? default : initialState.Slice({Int(firstSlot * s.Units)})";
        string storedStates = s.Stateful
            ? $"{MemoryExtensions}.AsSpan(_storedStates, {(pass.IsChunk ? "firstRow" : "row")} * StoredStateStride + {layer.Pascal}StoredOffset{slotOffset})"
            : "default";
        string stride = pass.IsChunk ? "outputStride" : "0";
        string output = s.Bidirectional
            ? $"{RecurrentKernels}.RecurrentOutput.Bidirectional(output, outputStride: {stride}, returnSequences: {Bool(s.ReturnSequences)}, mergeMode: {MergeModeText(s.MergeMode)}, direction: {Int(direction.Index)}"
              + (s.MergeMode == MergeMode.None ? $", backwardOutput, backwardOutputStride: {(pass.IsChunk ? "backwardOutputStride" : "0")})" : ")")
            : $"{RecurrentKernels}.RecurrentOutput.Single(output, outputStride: {stride}, returnSequences: {Bool(s.ReturnSequences)})";

        // The arguments a pass leaves at their defaults are not written: a chunk has no initial states and no mask, and
        // only a stateful layer has stored states.
        var arguments = new List<string> { CellConstructor(layer, direction, pass), "input" };
        int padded = PaddedUnits(s.Units);
        arguments.Add($"new {RecurrentKernels}.CellBuffers(\n"
            + string.Join(",\n", layer.CellBuffers.Select(b => $"    {b.Variable}: new {Span}(scratch, {direction.OffsetName(pass.Placement, b)}, {pass.Length(Int(b.Vectors * padded))})"))
            + ")");
        arguments.Add(output);
        if (initialState != "default")
        {
            arguments.Add("initialState: " + initialState);
        }

        if (!pass.IsChunk)
        {
            arguments.Add("mask: mask");
        }

        if (s.Stateful)
        {
            arguments.Add("storedStates: " + storedStates);
            arguments.Add("storedStateStride: StoredStateStride");
        }

        _writer.Line($"{RecurrentKernels}.RecurrentLayer.Run(");
        for (int i = 0; i < arguments.Count; i++)
        {
            string[] lines = arguments[i].Split('\n'); // an argument of several lines ends with its last
            for (int k = 0; k < lines.Length; k++)
            {
                _writer.Line("    " + lines[k] + (k < lines.Length - 1 ? string.Empty : i < arguments.Count - 1 ? "," : ");"));
            }
        }
    }

    private const string RecurrentKernels = "global::RnnGen.Kernels";
    private const string MemoryExtensions = "global::System.MemoryExtensions";

    private static string MergeModeText(MergeMode mode) => "global::RnnGen.MergeMode." + mode;


    /// <summary>The cell struct of a direction for a pass, holding the packed weights.</summary>
    private string CellConstructor(LayerLayout layer, DirectionLayout direction, Pass pass) =>
        $"new {Kernels}.{CellStructName(direction, pass)}(_packed)";

    private static string CellStructName(DirectionLayout direction, Pass pass) => direction.Pascal + "Cell" + pass.Suffix;

    /// <summary>
    /// One timestep of <paramref name="direction"/> outside the layer driver (the streaming calls); <paramref name="buffers"/>
    /// are the spans of the cell's buffers.
    /// </summary>
    private string CellCall(LayerLayout layer, DirectionLayout direction, Pass pass, string x, IReadOnlyList<string> buffers, string reverse)
    {
        var arguments = new List<string> { x };
        foreach (CellBuffer buffer in s_stepBuffers)
        {
            int index = layer.CellBuffers.ToList().IndexOf(buffer);
            arguments.Add(index < 0 ? $"ref {Unsafe}.NullRef<float>()" : $"ref {MemoryMarshal}.GetReference({buffers[index]})");
        }

        arguments.Add(reverse);
        return $"{CellConstructor(layer, direction, pass)}.Step({string.Join(", ", arguments)});";
    }

    /// <summary>The buffers <c>IRecurrentCell.Step</c> takes, in its order; a cell that lacks one ignores it.</summary>
    private static readonly CellBuffer[] s_stepBuffers = { CellBuffer.H, CellBuffer.HNext, CellBuffer.C, CellBuffer.Gates };

    // The cell struct goes to the kernel class, where the usings keep its lines short: one direction of the layer for
    // the layer driver, every size and option a constant (the JIT compiles the driver once per struct, with them folded),
    // and one timestep with the kernel for this machine's vector width (Step is inlined into the driver, so it compiles
    // to the one kernel call).
    private void WriteCellStruct(LayerLayout layer, DirectionLayout direction, Pass pass)
    {
        LayerSpec s = layer.Spec;
        string name = CellStructName(direction, pass);
        string what = s.Bidirectional ? $"The {(direction.Index == 0 ? "forward" : "backward")} copy of {s.Name}" : s.Name;
        _kernels.Line(pass.IsChunk
            ? $"// {what} for a chunk of {Int(BatchChunk)} sequences, as Kernels.RecurrentLayer drives it: its sizes, and one timestep with the kernel for this machine's vector width."
            : $"// {what} as Kernels.RecurrentLayer drives it: its sizes, and one timestep with the kernel for this machine's vector width, which reads");
        if (!pass.IsChunk)
        {
            _kernels.Line($"// the state h and writes the next state to hNext{(s.Kind == LayerKind.Lstm ? ", updating c in place" : string.Empty)}.");
        }

        using (_kernels.Braces($"internal readonly struct {name} : IRecurrentCell"))
        {
            foreach (int tier in DistinctTiers)
            {
                _kernels.Line($"private const int PackedOffset{TierSuffix(tier)} = {Int(direction.PackedOffsets[tier])}; // where PackWeights puts these weights: {PackedOffsetName(direction, tier)}");
            }

            _kernels.Line("private readonly float[] _packed;");
            _kernels.Line();
            _kernels.Line($"public {name}(float[] packed) => _packed = packed;");
            _kernels.Line();
            _kernels.Line($"public static int Timesteps => {Int(s.InputTimesteps)};");
            _kernels.Line($"public static int InputWidth => {Int(s.InputWidth)};");
            _kernels.Line($"public static int Units => {Int(s.Units)};");
            _kernels.Line($"public static int Padded => {Int(PaddedUnits(s.Units))};");
            _kernels.Line($"public static int Sequences => {Int(pass.Sequences)};");
            _kernels.Line($"public static int States => {Int(layer.StateCount / layer.Directions.Length)};");
            _kernels.Line($"public static bool ReadsBackwards => {Bool(direction.ReadsBackwards)};{(direction.ReadsBackwards ? (s.Bidirectional ? " // the backward copy" : " // go_backwards") : string.Empty)}");
            _kernels.Line();
            _kernels.Line(KernelMethodImplInline);
            using (_kernels.Braces("public void Step(ref float x, ref float h, ref float hNext, ref float c, ref float gates, bool reverse)"))
            {
                _kernels.Line("ref float weights = ref GeneratedModelSupport.AlignedStart(_packed);");
                string common = string.Join(", ", new[] { "ref x" }.Concat(layer.CellBuffers.Select(b => "ref " + b.Variable)));
                WriteTierDispatch(_kernels, layer, (tier, lanes) =>
                    $"{(tier == 0 && PairsGates(layer, pass.Sequences) ? PairedKernelName(layer) : KernelName(layer, lanes, pass.Sequences))}({common}, ref Unsafe.Add(ref weights, PackedOffset{TierSuffix(tier)}), reverse);");
            }
        }

        _kernels.Line();
    }

    private const string Vector512Accelerated = "global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated";
    private const string Vector256Accelerated = "global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated";

    private void WriteCompute()
    {
        WritePacking();
        WriteDrivers(Pass.Single);
        foreach (LayerLayout layer in _layout.ComputeLayers.Where(l => l.Spec.Kind == LayerKind.Dense))
        {
            WriteDenseDispatch(layer);
            foreach (int lanes in layer.DistinctLanes)
            {
                WriteDenseKernel(layer, lanes);
            }
        }

        foreach (LayerLayout layer in _layout.ComputeLayers.Where(l => l.Spec.HasRowMethod))
        {
            if (layer.Spec.Kind == LayerKind.Embedding)
            {
                WriteEmbeddingRow(layer);
            }
            else if (layer.Spec.IsElementwise)
            {
                WriteElementwiseRow(layer);
            }
            else
            {
                WriteNormalizationRow(layer);
            }
        }

        WriteBatchCompute();
    }

    /// <summary>The tiers the emitted code tells apart: one when every width runs the same kernels on the same packing.</summary>
    private IEnumerable<int> DistinctTiers => _layout.SameLanesAtEveryWidth ? new[] { 0 } : Enumerable.Range(0, Tiers.Length);

    /// <summary>The name of a tier's packed offset, without the width when there is one for all.</summary>
    private string TierSuffix(int tier) => _layout.SameLanesAtEveryWidth ? string.Empty : Tiers[tier].Bits;

    private string PackedOffsetName(DirectionLayout direction, int tier) =>
        $"{direction.Pascal}PackedOffset{TierSuffix(tier)}";

    private void WritePacking()
    {
        _writer.Line("// The weights in the order the kernels read them (Kernels.KernelPacking), for the vector width this machine runs.");
        _writer.Line("// Rebuilt by every SetWeights; GetWeights still answers from _parameters, in Keras layout.");
        using (_writer.Braces("private void PackWeights()"))
        {
            _writer.Line("_packedStale = false;");
            _writer.Line($"{ReadOnlySpan} parameters = _parameters;");
            _writer.Line($"{Span} packed = {Support}.AlignedSpan(_packed, PackedLength);");
            void PackingCalls(int tier)
            {
                foreach (LayerLayout layer in _layout.ComputeLayers)
                {
                    LayerSpec s = layer.Spec;
                    int lanes = layer.Lanes[tier];
                    foreach (DirectionLayout direction in layer.Directions)
                    {
                        string Weight(string name) =>
                            direction.Weights.TryGetValue(name, out WeightLayout? w)
                                ? $"parameters.Slice({w.ConstantName}, {Int(w.Length)})"
                                : $"{ReadOnlySpan}.Empty";
                        string target = $"packed.Slice({PackedOffsetName(direction, tier)})";
                        if (s.IsElementwise || s.IsGlobalPooling || s.ChangesTimeAxis || s.Kind == LayerKind.Embedding)
                        {
                            // No weights to pack (the Embedding gathers from _parameters, a Conv1D reads them in Keras's layout).
                        }
                        else if (s.IsNormalization)
                        {
                            WriteNormalizationPacking(layer, Weight, target);
                        }
                        else if (s.Kind == LayerKind.Dense)
                        {
                            _writer.Line(layer.DenseUsesRows
                                ? $"global::RnnGen.Kernels.KernelPacking.PackDenseRows({Weight("kernel")}, {Weight("bias")}, {target}, inputs: {Int(s.InputWidth)}, units: {Int(s.Units)});"
                                : $"global::RnnGen.Kernels.KernelPacking.PackDenseColumns({Weight("kernel")}, {Weight("bias")}, {target}, inputs: {Int(s.InputWidth)}, units: {Int(s.Units)}, lanes: {Int(lanes)});");
                        }
                        else
                        {
                            _writer.Line($"global::RnnGen.Kernels.KernelPacking.{RecurrentPackingMethod}({Weight("kernel")}, {Weight("recurrent_kernel")}, {Weight("bias")}, {target},");
                            _writer.Line($"    inputs: {Int(s.InputWidth)}, units: {Int(s.Units)}, gates: {Int(s.GateCount)}, lanes: {Int(lanes)}, biasRows: {Int(LayerShapes.BiasRows(s.Kind, s.ResetAfter))});");
                        }
                    }
                }
            }

            if (_layout.SameLanesAtEveryWidth)
            {
                PackingCalls(0);
            }
            else
            {
                for (int tier = 0; tier < Tiers.Length; tier++)
                {
                    string condition = tier switch
                    {
                        0 => $"if ({Vector512Accelerated})",
                        1 => $"else if ({Vector256Accelerated})",
                        _ => "else",
                    };
                    using (_writer.Braces(condition))
                    {
                        PackingCalls(tier);
                    }
                }
            }
        }

        _writer.Line();
    }

    /// <summary>A call of the row dispatch of a Dense layer (in the kernel class) on the spans <paramref name="x"/> and <paramref name="y"/>.</summary>
    private string DenseRowCall(LayerLayout layer, string x, string y, string scratch, string rowOffset)
    {
        var arguments = new List<string> { x, y, scratch, rowOffset, "_packed" };
        arguments.AddRange(DistinctTiers.Select(t => PackedOffsetName(layer.Directions[0], t)));
        return $"{Kernels}.{layer.Pascal}Row({string.Join(", ", arguments)});";
    }

    // In the kernel class, beside the cell structs, where the usings keep its lines short.
    private void WriteDenseDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { "ReadOnlySpan<float> x", "Span<float> y", "float[] scratch", "int rowOffset", "float[] packed" };
        parameters.AddRange(DistinctTiers.Select(t => "int packedOffset" + TierSuffix(t)));
        _kernels.Line($"// One row of {s.Name}, with the kernel for this machine's vector width{(layer.DenseUsesRows ? string.Empty : "; scratch[rowOffset..] takes the padded row")}.");
        _kernels.Line(KernelMethodImplInline);
        using (_kernels.Braces($"internal static void {layer.Pascal}Row({string.Join(", ", parameters)})"))
        {
            _kernels.Line("ref float weights = ref GeneratedModelSupport.AlignedStart(packed);");
            _kernels.Line("ref float input = ref MemoryMarshal.GetReference(x);");
            string destination = layer.DenseUsesRows ? "y" : "padded";
            if (!layer.DenseUsesRows)
            {
                // The kernel writes whole vectors, so it writes a padded row that is then copied.
                _kernels.Line($"Span<float> padded = new Span<float>(scratch, rowOffset, {Int(PaddedUnits(s.Units))});");
            }

            WriteTierDispatch(_kernels, layer, (tier, lanes) =>
                $"{layer.Pascal}RowX{Int(lanes)}(ref input, ref MemoryMarshal.GetReference({destination}), ref Unsafe.Add(ref weights, packedOffset{TierSuffix(tier)}));");
            if (!layer.DenseUsesRows)
            {
                _kernels.Line($"padded.Slice(0, {Int(s.Units)}).CopyTo(y);");
            }

            if (s.Activation == "softmax")
            {
                _kernels.Line("Activations.Softmax(y);");
            }
        }

        _kernels.Line();
    }

    // if (Vector512...) call(tier 0) else if (Vector256...) call(tier 1) else call(tier 2); the JIT keeps one branch.
    // With the same lanes at every width, the one call.
    // Into the model class (global:: names) or the kernel class (its usings).
    private void WriteTierDispatch(SourceWriter writer, LayerLayout layer, System.Func<int, int, string> call)
    {
        if (_layout.SameLanesAtEveryWidth)
        {
            writer.Line(call(0, layer.Lanes[0]));
            return;
        }

        // One statement per width, one line each: the three read as a table.
        bool kernels = writer == _kernels;
        for (int tier = 0; tier < Tiers.Length; tier++)
        {
            writer.Line(tier switch
            {
                0 => $"if ({(kernels ? "Vector512.IsHardwareAccelerated" : Vector512Accelerated)}) ",
                1 => $"else if ({(kernels ? "Vector256.IsHardwareAccelerated" : Vector256Accelerated)}) ",
                _ => "else ",
            } + call(tier, layer.Lanes[tier]));
        }
    }


}
