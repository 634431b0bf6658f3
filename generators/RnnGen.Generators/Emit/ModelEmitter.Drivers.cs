using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The forward pass and the layer drivers: the code around the kernels that chains the layers, walks the timesteps, swaps the state
/// buffers, loads and stores the states of stateful layers and merges the two copies of a bidirectional layer. One
/// writer serves every <see cref="Pass"/>: one sequence at a time (Forward, Predict) and a chunk of
/// <see cref="BatchChunk"/> sequences advancing together (the batch API); the streaming Step runs the same cell
/// dispatch on its own buffers (ModelEmitter.Streaming.cs). The drivers are emitted per pass, with every size a
/// constant, rather than written once as runtime-generic code: see docs/generator.md for why. Hot methods are compiled
/// fully optimized from their first call (AggressiveOptimization), so a real-time caller never runs the unoptimized
/// first tier.
/// </summary>
internal sealed partial class ModelEmitter
{
    /// <summary>How many sequences a driver advances together, and where their working memory lives.</summary>
    private sealed class Pass
    {
        public static readonly Pass Single = new(Placement.Single, 1, string.Empty, "_scratch", "row");
        public static readonly Pass Chunk = new(Placement.Batch, BatchChunk, "Batch", "scratch", "(firstRow + r)");

        private Pass(Placement placement, int sequences, string suffix, string scratch, string row)
        {
            Placement = placement;
            Sequences = sequences;
            Suffix = suffix;
            Scratch = scratch;
            Row = row;
        }

        public Placement Placement { get; }

        /// <summary>1, or <see cref="BatchChunk"/>: the generated code then loops over the chunk with <c>r</c>.</summary>
        public int Sequences { get; }

        public bool IsChunk => Sequences > 1;

        /// <summary>The suffix of this pass's driver methods and working-memory constants: empty, or <c>Batch</c>.</summary>
        public string Suffix { get; }

        /// <summary>The array of this pass's working memory in generated code.</summary>
        public string Scratch { get; }

        /// <summary>The batch row of sequence <c>r</c>, whose stored states a stateful layer reads and writes.</summary>
        public string Row { get; }

        /// <summary>Floats of a buffer of <paramref name="perSequence"/> floats per sequence.</summary>
        public string Length(string perSequence) => IsChunk ? "BatchChunk * " + perSequence : perSequence;

        /// <summary>Where sequence <c>r</c> starts in a buffer of <paramref name="stride"/> floats per sequence.</summary>
        public string Start(string stride) => IsChunk ? "r * " + stride : "0";

        /// <summary><paramref name="span"/> from the start of sequence <c>r</c>.</summary>
        public string From(string span, string stride) => IsChunk ? $"{span}.Slice(r * {stride})" : span;

        /// <summary><paramref name="span"/> from the start of sequence <c>r</c>, <paramref name="length"/> floats long.</summary>
        public string Slice(string span, string stride, string length) => $"{span}.Slice({Start(stride)}, {length})";
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
                WriteCellDispatch(layer, pass);
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteRecurrentKernel(layer, lanes, pass.Sequences);
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
        if (pass.IsChunk)
        {
            parameters.Add("float[] scratch");
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
                    _writer.Line($"{Span} {name} = new {Span}({pass.Scratch}, {pass.Suffix}Carry{letter}Offset, {pass.Length(length)});");
                    arguments.Add(name);
                    if (pass.IsChunk)
                    {
                        arguments.Add(length);
                    }

                    previous = name;
                    previousStride = length;
                    carry ^= 1;
                }

                if (pass.IsChunk)
                {
                    arguments.Add("scratch");
                }
                else if (layer.Spec.IsRecurrent)
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
                    $"new {ReadOnlySpan}({pass.Scratch}, {offset}{(pass.IsChunk ? " + r * " + Int(PaddedUnits(_layout.Last.Spec.Units)) : string.Empty)}, {Int(_layout.Last.Spec.Units)}).CopyTo({pass.From(output.VariableName, output.VariableName + "Stride")});"));
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
        string parameters = pass.IsChunk
            ? $"{ReadOnlySpan} input, int inputStride, {Span} output, int outputStride, float[] scratch"
            : $"{ReadOnlySpan} input, {Span} output";
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

            string scratch = pass.IsChunk ? "scratch" : "_scratch";
            ForEachSequence(pass, () =>
            {
                string inputStart = pass.IsChunk ? "r * inputStride + " : string.Empty;
                string outputStart = pass.IsChunk ? "r * outputStride + " : string.Empty;
                if (rows == 1)
                {
                    _writer.Line(pass.IsChunk
                        ? DenseRowCall(layer, "input.Slice(r * inputStride, InputWidth)", "output.Slice(r * outputStride, Units)", scratch, $"{pass.Suffix}DenseRowOffset")
                        : DenseRowCall(layer, "input", "output", scratch, $"{pass.Suffix}DenseRowOffset"));
                    return;
                }

                using (_writer.Braces($"for (int t = 0; t < {Int(rows)}; t++)"))
                {
                    _writer.Line(DenseRowCall(layer, $"input.Slice({inputStart}t * InputWidth, InputWidth)", $"output.Slice({outputStart}t * Units, Units)", scratch, $"{pass.Suffix}DenseRowOffset"));
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

        if (pass.IsChunk)
        {
            parameters.Add("float[] scratch");
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
            _writer.Line($"// {layer.Description}.");
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
            if (s.InputTimesteps != _spec.Timesteps)
            {
                _writer.Line($"const int Timesteps = {Int(s.InputTimesteps)}; // this layer's input (the model input has {Int(_spec.Timesteps)}): a layer before it changed them");
            }

            _writer.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _writer.Line($"const int Units = {Int(s.Units)};");
            _writer.Line($"const int Padded = {Int(PaddedUnits(s.Units))};");
            _writer.Line($"ref float x = ref {MemoryMarshal}.GetReference(input);");
            for (int d = 0; d < layer.Directions.Length; d++)
            {
                DirectionLayout direction = layer.Directions[d];
                if (s.Bidirectional)
                {
                    _writer.Line();
                    _writer.Line(d == 0 ? "// Forward copy." : "// Backward copy.");
                }

                if (layer.Directions.Length == 1)
                {
                    WriteDirection(layer, direction, pass);
                    continue;
                }

                // Each copy in a block of its own: both name their buffers h, hNext, ...
                using (_writer.Braces(string.Empty))
                {
                    WriteDirection(layer, direction, pass);
                }
            }

            if (!s.ReturnSequences)
            {
                _writer.Line();
                _writer.Line(s.Bidirectional ? "// The last outputs of both copies, merged." : "// return_sequences=False: only the last output.");
                if (!pass.IsChunk)
                {
                    WriteFullyMaskedLastOutput(layer);
                }

                ForEachSequence(pass, () =>
                {
                    string output = DeclareOutputRows(layer, pass);
                    WriteStore(layer, null, 0, h: string.Empty, output: output, backwardOutput: "backward" + (pass.IsChunk ? "Row" : "Output"),
                        final: dd => $"new {ReadOnlySpan}({pass.Scratch}, {layer.Directions[dd].OffsetName(pass.Placement, CellBuffer.H)}{(pass.IsChunk ? " + r * Padded" : string.Empty)}, Units)");
                });
            }
        }

        _writer.Line();
    }

    /// <summary>In a chunk, declares the output rows of sequence <c>r</c> and returns the main one's name.</summary>
    private string DeclareOutputRows(LayerLayout layer, Pass pass)
    {
        if (!pass.IsChunk)
        {
            return "output";
        }

        _writer.Line($"{Span} row = output.Slice(r * outputStride);");
        if (layer.Spec.Bidirectional && layer.Spec.MergeMode == MergeMode.None)
        {
            _writer.Line($"{Span} backwardRow = backwardOutput.Slice(r * backwardOutputStride);");
        }

        return "row";
    }

    private static string MergeText(MergeMode mode) => mode switch
    {
        MergeMode.Concat => "concat, [forward, backward] on the last axis",
        MergeMode.Sum => "sum, forward + backward",
        MergeMode.Mul => "mul, forward * backward",
        MergeMode.Ave => "ave, (forward + backward) / 2",
        _ => "none, the two outputs are returned apart",
    };

    /// <summary>Where state <paramref name="slot"/> of a stateful layer is stored for the batch row of the pass.</summary>
    private static string StoredState(LayerLayout layer, int slot, Pass pass) =>
        $"_storedStates, {pass.Row} * StoredStateStride + {layer.Pascal}StoredOffset{(slot == 0 ? string.Empty : " + " + Int(slot * layer.Spec.Units))}, Units";

    private static string BufferLength(CellBuffer buffer) => buffer.Vectors == 1 ? "Padded" : Int(buffer.Vectors) + " * Padded";

    private void WriteDirection(LayerLayout layer, DirectionLayout direction, Pass pass)
    {
        LayerSpec s = layer.Spec;
        foreach (CellBuffer buffer in layer.CellBuffers)
        {
            _writer.Line($"{Span} {buffer.Variable} = new {Span}({pass.Scratch}, {direction.OffsetName(pass.Placement, buffer)}, {pass.Length(BufferLength(buffer))});");
        }

        // Initial states: Keras uses initial_state when given (it overrides a stateful layer's stored states in
        // Keras 3), else the stored states of a stateful layer, else zeros.
        List<StateLayout> states = layer.States.Where(st => st.Direction == direction).ToList();
        foreach (StateLayout state in states)
        {
            _writer.Line($"{state.Buffer.Variable}.Clear();");
        }

        bool takesInitial = !pass.IsChunk && layer == _layout.InitialStateLayer;
        if (takesInitial)
        {
            int firstSlot = layer.States.IndexOf(states[0]);
            using (_writer.Braces("if (!initialState.IsEmpty)"))
            {
                for (int i = 0; i < states.Count; i++)
                {
                    _writer.Line($"initialState.Slice({Int((firstSlot + i) * s.Units)}, Units).CopyTo({states[i].Buffer.Variable});");
                }
            }
        }

        if (s.Stateful)
        {
            void LoadStoredStates() => ForEachSequence(pass, () =>
            {
                foreach (StateLayout state in states)
                {
                    _writer.Line($"new {ReadOnlySpan}({StoredState(layer, layer.States.IndexOf(state), pass)}).CopyTo({pass.From(state.Buffer.Variable, "Padded")});");
                }
            }, "stateful: each sequence starts from the states its batch row stored last time");

            if (takesInitial)
            {
                using (_writer.Braces("else"))
                {
                    LoadStoredStates();
                }
            }
            else
            {
                LoadStoredStates();
            }
        }

        _writer.Line();
        if (!pass.IsChunk && s.ReturnSequences && !s.Bidirectional)
        {
            _writer.Line("bool stepped = false; // whether an unmasked step has run: before one, a masked step's output is zeros");
        }

        using (_writer.Braces("for (int step = 0; step < Timesteps; step++)"))
        {
            _writer.Line(direction.ReadsBackwards ? "int t = Timesteps - 1 - step; // read from the end" : "int t = step;");
            if (!pass.IsChunk)
            {
                WriteMaskedStep(layer, direction);
            }

            _writer.Line(CellCall(layer, direction, pass, $"ref {Unsafe}.Add(ref x, t * InputWidth)", layer.CellBuffers.Select(b => b.Variable), "(step & 1) != 0"));
            _writer.Line($"{Span} read = h;");
            _writer.Line("h = hNext; // the state just written is the one the next step reads");
            _writer.Line("hNext = read;");
            if (s.ReturnSequences)
            {
                if (!pass.IsChunk && !s.Bidirectional)
                {
                    _writer.Line("stepped = true;");
                }

                // Plain go_backwards keeps processing order (step); a bidirectional backward copy goes back to time t.
                ForEachSequence(pass, () =>
                {
                    string output = DeclareOutputRows(layer, pass);
                    WriteStore(layer, s.Bidirectional ? "t" : "step", direction.Index, h: pass.Slice("h", "Padded", "Units"),
                        output: output, backwardOutput: "backward" + (pass.IsChunk ? "Row" : "Output"));
                });
            }
        }

        if (s.InputTimesteps % 2 == 1)
        {
            _writer.Line($"h.CopyTo(new {Span}({pass.Scratch}, {direction.OffsetName(pass.Placement, CellBuffer.H)}, {pass.Length("Padded")})); // an odd number of steps ends in the second buffer");
        }
        else if (!pass.IsChunk)
        {
            using (_writer.Braces("if (!mask.IsEmpty)"))
            {
                _writer.Line($"h.CopyTo(new {Span}({pass.Scratch}, {direction.OffsetName(pass.Placement, CellBuffer.H)}, Padded)); // a masked step skips a swap, so the state may end in the second buffer");
            }
        }

        if (s.Stateful)
        {
            ForEachSequence(pass, () =>
            {
                foreach (StateLayout state in states)
                {
                    _writer.Line($"{pass.Slice(state.Buffer.Variable, "Padded", "Units")}.CopyTo(new {Span}({StoredState(layer, layer.States.IndexOf(state), pass)}));");
                }
            });
        }
    }

    /// <summary>
    /// A call of the cell dispatch of <paramref name="pass"/> for one timestep of <paramref name="direction"/>;
    /// <paramref name="buffers"/> are the spans of the cell's buffers.
    /// </summary>
    private string CellCall(LayerLayout layer, DirectionLayout direction, Pass pass, string x, IEnumerable<string> buffers, string reverse)
    {
        var arguments = new List<string> { x };
        arguments.AddRange(buffers);
        arguments.Add("_packed");
        arguments.AddRange(DistinctTiers.Select(t => PackedOffsetName(direction, t)));
        arguments.Add(reverse);
        return $"{Kernels}.{layer.Pascal}Cell{pass.Suffix}({string.Join(", ", arguments)});";
    }

    // The cell dispatch goes to the kernel class, where the usings keep its lines short; inlined into the driver, it
    // compiles to the one kernel call of this machine's vector width.
    private void WriteCellDispatch(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { "ref float x" };
        parameters.AddRange(layer.CellBuffers.Select(b => "Span<float> " + b.Variable));
        parameters.Add("float[] packed");
        parameters.AddRange(DistinctTiers.Select(t => "int packedOffset" + TierSuffix(t)));
        parameters.Add("bool reverse");
        _kernels.Line(pass.IsChunk
            ? $"// One timestep of {s.Name} for a chunk of {Int(BatchChunk)} sequences, with the kernel for this machine's vector width."
            : $"// One timestep of {s.Name}: reads the state h, writes the next state to hNext{(s.Kind == LayerKind.Lstm ? " and updates c in place" : string.Empty)}.");
        _kernels.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (_kernels.Braces($"internal static void {layer.Pascal}Cell{pass.Suffix}({string.Join(", ", parameters)})"))
        {
            _kernels.Line("ref float weights = ref GeneratedModelSupport.AlignedStart(packed);");
            string common = string.Join(", ", new[] { "ref x" }.Concat(layer.CellBuffers.Select(b => $"ref MemoryMarshal.GetReference({b.Variable})")));
            WriteTierDispatch(_kernels, layer, (tier, lanes) =>
                $"{KernelName(layer, lanes, pass.Sequences)}({common}, ref Unsafe.Add(ref weights, packedOffset{TierSuffix(tier)}), reverse);");
        }

        _kernels.Line();
    }

    // Writes the output of one direction for timestep `position` (during the time loop), or, with a null position, the
    // final output of every direction after the loop. `h` is the state just computed; `output` and `backwardOutput` the
    // destinations; `final(d)` the final state of direction d.
    private void WriteStore(LayerLayout layer, string? position, int direction, string h, string output, string backwardOutput, Func<int, string>? final = null)
    {
        LayerSpec s = layer.Spec;
        if (!s.Bidirectional)
        {
            _writer.Line(position is null
                ? $"{final!(0)}.CopyTo({output});"
                : $"{h}.CopyTo({output}.Slice({position} * Units, Units));");
            return;
        }

        if (position is null)
        {
            WriteMerge(s.MergeMode, final!(0), 0, null, output, backwardOutput);
            WriteMerge(s.MergeMode, final(1), 1, null, output, backwardOutput);
        }
        else
        {
            WriteMerge(s.MergeMode, h, direction, position, output, backwardOutput);
        }
    }

    private void WriteMerge(MergeMode mode, string source, int direction, string? position, string output, string backwardOutput)
    {
        string Start(string perRow, string within) =>
            position is null ? within : within == "0" ? $"{position} * {perRow}" : $"{position} * {perRow} + {within}";

        switch (mode)
        {
            case MergeMode.Concat:
                _writer.Line($"{source}.CopyTo({output}.Slice({Start("2 * Units", direction == 0 ? "0" : "Units")}, Units));");
                return;
            case MergeMode.None:
                _writer.Line($"{source}.CopyTo({(direction == 0 ? output : backwardOutput)}.Slice({Start("Units", "0")}, Units));");
                return;
        }

        if (direction == 0)
        {
            _writer.Line($"{source}.CopyTo({output}.Slice({Start("Units", "0")}, Units));");
            return;
        }

        using (_writer.Braces(string.Empty))
        {
            _writer.Line($"{ReadOnlySpan} backward = {source};");
            _writer.Line($"{Span} merged = {output}.Slice({Start("Units", "0")}, Units);");
            using (_writer.Braces("for (int j = 0; j < Units; j++)"))
            {
                _writer.Line(mode switch
                {
                    MergeMode.Sum => "merged[j] += backward[j];",
                    MergeMode.Mul => "merged[j] *= backward[j];",
                    _ => "merged[j] = (merged[j] + backward[j]) / 2f;",
                });
            }
        }
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

    // In the kernel class, as the cell dispatch.
    private void WriteDenseDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { "ReadOnlySpan<float> x", "Span<float> y", "float[] scratch", "int rowOffset", "float[] packed" };
        parameters.AddRange(DistinctTiers.Select(t => "int packedOffset" + TierSuffix(t)));
        _kernels.Line($"// One row of {s.Name}, with the kernel for this machine's vector width{(layer.DenseUsesRows ? string.Empty : "; scratch[rowOffset..] takes the padded row")}.");
        _kernels.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
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
