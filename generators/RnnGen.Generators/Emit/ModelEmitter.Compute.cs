using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The forward pass: <c>Run</c> chains the layers; each layer has a method that walks the timesteps and calls, through
/// a dispatch on the hardware's vector width, the SIMD kernel of its cell (ModelEmitter.Kernels.cs). Hot methods are
/// compiled fully optimized from their first call (AggressiveOptimization), so a real-time caller never runs the
/// unoptimized first tier.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string Vector512Accelerated = "global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated";
    private const string Vector256Accelerated = "global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated";

    private void WriteCompute()
    {
        WritePacking();
        WriteRun();
        foreach (LayerLayout layer in _layout.ComputeLayers)
        {
            if (layer.Spec.Kind == LayerKind.Dense)
            {
                WriteDenseLayer(layer);
                WriteDenseDispatch(layer);
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteDenseKernel(layer, lanes);
                }
            }
            else
            {
                WriteRecurrentLayer(layer);
                WriteCellDispatch(layer);
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteRecurrentKernel(layer, lanes);
                }
            }
        }

        WriteActivationHelpers();
        WriteBatchCompute();
    }

    private string PackedOffsetName(DirectionLayout direction, int tier) =>
        $"{direction.Pascal}PackedOffset{Tiers[tier].Bits}";

    private void WritePacking()
    {
        _w.Line("// The weights in the order the kernels read them (Kernels.KernelPacking), for the vector width this machine runs.");
        _w.Line("// Rebuilt by every SetWeights; GetWeights still answers from _parameters, in Keras layout.");
        using (_w.Braces("private void PackWeights()"))
        {
            _w.Line($"{ReadOnlySpan} parameters = _parameters;");
            _w.Line($"{Span} packed = {Support}.AlignedSpan(_packed, PackedLength);");
            for (int tier = 0; tier < Tiers.Length; tier++)
            {
                string condition = tier switch
                {
                    0 => $"if ({Vector512Accelerated})",
                    1 => $"else if ({Vector256Accelerated})",
                    _ => "else",
                };
                using (_w.Braces(condition))
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
                            if (s.Kind == LayerKind.Dense)
                            {
                                _w.Line(layer.DenseUsesRows
                                    ? $"global::RnnGen.Kernels.KernelPacking.PackDenseRows({Weight("kernel")}, {Weight("bias")}, {target}, {Int(s.InputWidth)}, {Int(s.Units)});"
                                    : $"global::RnnGen.Kernels.KernelPacking.PackDenseColumns({Weight("kernel")}, {Weight("bias")}, {target}, {Int(s.InputWidth)}, {Int(s.Units)}, {Int(lanes)});");
                            }
                            else
                            {
                                _w.Line($"global::RnnGen.Kernels.KernelPacking.PackRecurrent({Weight("kernel")}, {Weight("recurrent_kernel")}, {Weight("bias")}, {target}, {Int(s.InputWidth)}, {Int(s.Units)}, {Int(s.GateCount)}, {Int(lanes)}, {Int(LayerShapes.BiasRows(s.Kind, s.ResetAfter))});");
                            }
                        }
                    }
                }
            }
        }

        _w.Line();
    }

    private void WriteRun()
    {
        var parameters = new List<string> { $"{ReadOnlySpan} input" };
        parameters.AddRange(_layout.Outputs.Select(o => $"{Span} {o.VariableName}"));
        parameters.Add($"{ReadOnlySpan} initialState");
        parameters.Add("int row");
        _w.Line("// One sequence through every layer. Outputs go straight to the caller's memory; what passes between layers goes");
        _w.Line("// through the two carry buffers in turn. initialState is empty unless the caller gave one; row is the batch row");
        _w.Line("// whose stored states a stateful layer uses.");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void Run({string.Join(", ", parameters)})"))
        {
            string previous = "input";
            int carry = 0;
            for (int i = 0; i < _layout.ComputeLayers.Count; i++)
            {
                LayerLayout layer = _layout.ComputeLayers[i];
                bool last = i == _layout.ComputeLayers.Count - 1;
                _w.Line($"// {layer.Description}: {ShapeText(layer.InputRows(_spec.Timesteps), layer.Spec.InputWidth, layer.Spec.InputIsSequence)} -> {ShapeText(layer.OutputRows(_spec.Timesteps), layer.Spec.OutputWidth, layer.Spec.OutputIsSequence)}");
                var arguments = new List<string> { previous };
                if (last)
                {
                    arguments.AddRange(_layout.Outputs.Where(o => !o.IsState).Select(o => o.VariableName));
                }
                else
                {
                    string name = "carry" + (carry == 0 ? "A" : "B") + Int(i + 1);
                    int length = layer.OutputRows(_spec.Timesteps) * layer.Spec.OutputWidth;
                    _w.Line($"{Span} {name} = new {Span}(_scratch, Carry{(carry == 0 ? "A" : "B")}Offset, {Int(length)});");
                    arguments.Add(name);
                    previous = name;
                    carry ^= 1;
                }

                if (layer.Spec.IsRecurrent)
                {
                    arguments.Add(layer == _layout.InitialStateLayer ? "initialState" : "default");
                    arguments.Add("row");
                }

                _w.Line($"{layer.Pascal}Layer({string.Join(", ", arguments)});");
            }

            foreach (OutputLayout output in _layout.Outputs.Where(o => o.IsState))
            {
                StateLayout state = _layout.Last.States.First(s => s.FieldName == output.FieldName);
                _w.Line($"new {ReadOnlySpan}(_scratch, {StateOffsetName(state)}, {Int(_layout.Last.Spec.Units)}).CopyTo({output.VariableName});");
            }
        }

        _w.Line();
    }

    private static string ShapeText(int rows, int width, bool isSequence) =>
        isSequence ? $"[{Int(rows)}, {Int(width)}]" : $"[{Int(width)}]";

    private static string StateOffsetName(StateLayout state) => state.Direction.Pascal + (state.IsCell ? "COffset" : "HOffset");

    private void WriteDenseLayer(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        int rows = layer.InputRows(_spec.Timesteps);
        _w.Line($"// {layer.Description}: y = {s.Activation}(x·W + b) on the last axis{(rows > 1 ? ", at every timestep" : string.Empty)} (Keras Dense.call).");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void {layer.Pascal}Layer({ReadOnlySpan} input, {Span} output)"))
        {
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            using (_w.Braces($"for (int r = 0; r < {Int(rows)}; r++)"))
            {
                _w.Line($"{layer.Pascal}Row(input.Slice(r * InputWidth, InputWidth), output.Slice(r * Units, Units), _scratch, DenseRowOffset);");
            }
        }

        _w.Line();
    }

    private void WriteDenseDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        DirectionLayout direction = layer.Directions[0];
        _w.Line($"// One row of {s.Name}, with the kernel for this machine's vector width{(layer.DenseUsesRows ? string.Empty : "; scratch[rowOffset..] takes the padded row")}.");
        _w.Line(MethodImplInline);
        using (_w.Braces($"private void {layer.Pascal}Row({ReadOnlySpan} x, {Span} y, float[] scratch, int rowOffset)"))
        {
            _w.Line($"ref float weights = ref {Support}.AlignedStart(_packed);");
            _w.Line($"ref float input = ref {MemoryMarshal}.GetReference(x);");
            string destination = layer.DenseUsesRows ? "y" : "padded";
            if (!layer.DenseUsesRows)
            {
                // The kernel writes whole vectors, so it writes a padded row that is then copied.
                _w.Line($"{Span} padded = new {Span}(scratch, rowOffset, {Int(PaddedUnits(s.Units))});");
            }

            WriteTierDispatch(layer, (tier, lanes) =>
                $"{layer.Pascal}RowX{Int(lanes)}(ref input, ref {MemoryMarshal}.GetReference({destination}), ref {Unsafe}.Add(ref weights, {PackedOffsetName(direction, tier)}));");
            if (!layer.DenseUsesRows)
            {
                _w.Line($"padded.Slice(0, {Int(s.Units)}).CopyTo(y);");
            }

            if (s.Activation == "softmax")
            {
                _w.Line($"{Activations}.Softmax(y);");
            }
        }

        _w.Line();
    }

    // if (Vector512...) call(tier 0) else if (Vector256...) call(tier 1) else call(tier 2); the JIT keeps one branch.
    private void WriteTierDispatch(LayerLayout layer, System.Func<int, int, string> call)
    {
        for (int tier = 0; tier < Tiers.Length; tier++)
        {
            _w.Line(tier switch
            {
                0 => $"if ({Vector512Accelerated})",
                1 => $"else if ({Vector256Accelerated})",
                _ => "else",
            });
            _w.Line("{");
            _w.Line("    " + call(tier, layer.Lanes[tier]));
            _w.Line("}");
        }
    }

    private void WriteCellDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { $"{ReadOnlySpan} x", $"{Span} h", $"{Span} hNext" };
        if (s.Kind == LayerKind.Lstm)
        {
            parameters.Add($"{Span} c");
        }

        if (s.Kind == LayerKind.Gru && !s.ResetAfter)
        {
            parameters.Add($"{Span} gates");
        }

        parameters.AddRange(Tiers.Select(t => "int packedOffset" + t.Bits));
        parameters.Add("bool reverse");
        _w.Line($"// One timestep of {s.Name}: reads the state h, writes the next state to hNext{(s.Kind == LayerKind.Lstm ? " and updates c in place" : string.Empty)}.");
        _w.Line(MethodImplInline);
        using (_w.Braces($"private void {layer.Pascal}Cell({string.Join(", ", parameters)})"))
        {
            _w.Line($"ref float weights = ref {Support}.AlignedStart(_packed);");
            var arguments = new List<string>
            {
                $"ref {MemoryMarshal}.GetReference(x)",
                $"ref {MemoryMarshal}.GetReference(h)",
                $"ref {MemoryMarshal}.GetReference(hNext)",
            };
            if (s.Kind == LayerKind.Lstm)
            {
                arguments.Add($"ref {MemoryMarshal}.GetReference(c)");
            }

            if (s.Kind == LayerKind.Gru && !s.ResetAfter)
            {
                arguments.Add($"ref {MemoryMarshal}.GetReference(gates)");
            }

            string common = string.Join(", ", arguments);
            WriteTierDispatch(layer, (tier, lanes) =>
                $"{layer.Pascal}CellX{Int(lanes)}({common}, ref {Unsafe}.Add(ref weights, packedOffset{Tiers[tier].Bits}), reverse);");
        }

        _w.Line();
    }

    private string CellCall(LayerLayout layer, DirectionLayout direction, string x, string h, string hNext, string c, string gates, string reverse)
    {
        var arguments = new List<string> { x, h, hNext };
        if (layer.Spec.Kind == LayerKind.Lstm)
        {
            arguments.Add(c);
        }

        if (layer.Spec.Kind == LayerKind.Gru && !layer.Spec.ResetAfter)
        {
            arguments.Add(gates);
        }

        arguments.AddRange(Enumerable.Range(0, Tiers.Length).Select(t => PackedOffsetName(direction, t)));
        arguments.Add(reverse);
        return $"{layer.Pascal}Cell({string.Join(", ", arguments)});";
    }

    private void WriteRecurrentLayer(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        bool noneMerge = s.Bidirectional && s.MergeMode == MergeMode.None;
        var parameters = new List<string> { $"{ReadOnlySpan} input", $"{Span} output" };
        if (noneMerge)
        {
            parameters.Add($"{Span} backwardOutput");
        }

        parameters.Add($"{ReadOnlySpan} initialState");
        parameters.Add("int row");

        _w.Line($"// {layer.Description}.");
        if (s.Bidirectional)
        {
            _w.Line("// Keras Bidirectional.call: a forward copy, and a backward copy that reads the sequence from its end (go_backwards);");
            _w.Line(s.ReturnSequences
                ? "// the backward outputs are put back in forward time order, then merged: " + MergeText(s.MergeMode) + "."
                : "// their last outputs are merged: " + MergeText(s.MergeMode) + ".");
        }
        else if (s.GoBackwards)
        {
            _w.Line("// go_backwards: the sequence is read from its end" + (s.ReturnSequences ? ", and the outputs stay in that processing order, as Keras returns them." : "."));
        }

        _w.Line(MethodImplHot);
        using (_w.Braces($"private void {layer.Pascal}Layer({string.Join(", ", parameters)})"))
        {
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            _w.Line($"const int Padded = {Int(PaddedUnits(s.Units))};");
            for (int d = 0; d < layer.Directions.Length; d++)
            {
                DirectionLayout direction = layer.Directions[d];
                if (s.Bidirectional)
                {
                    _w.Line();
                    _w.Line(d == 0 ? "// Forward copy." : "// Backward copy.");
                }

                using (_w.Braces(""))
                {
                    WriteDirection(layer, direction);
                }
            }

            if (!s.ReturnSequences)
            {
                _w.Line();
                _w.Line(s.Bidirectional ? "// The last outputs of both copies, merged." : "// return_sequences=False: only the last output.");
                WriteStore(layer, null);
            }
        }

        _w.Line();
    }

    private static string MergeText(MergeMode mode) => mode switch
    {
        MergeMode.Concat => "concat, [forward, backward] on the last axis",
        MergeMode.Sum => "sum, forward + backward",
        MergeMode.Mul => "mul, forward * backward",
        MergeMode.Ave => "ave, (forward + backward) / 2",
        _ => "none, the two outputs are returned apart",
    };

    private void WriteDirection(LayerLayout layer, DirectionLayout direction)
    {
        LayerSpec s = layer.Spec;
        int u = s.Units;
        _w.Line($"{Span} h = new {Span}(_scratch, {direction.Pascal}HOffset, Padded);");
        _w.Line($"{Span} hNext = new {Span}(_scratch, {direction.Pascal}HNextOffset, Padded);");
        if (s.Kind == LayerKind.Lstm)
        {
            _w.Line($"{Span} c = new {Span}(_scratch, {direction.Pascal}COffset, Padded);");
        }

        if (s.Kind == LayerKind.Gru && !s.ResetAfter)
        {
            _w.Line($"{Span} gates = new {Span}(_scratch, {direction.Pascal}GatesOffset, 3 * Padded);");
        }

        // Initial states: Keras uses initial_state when given (it overrides a stateful layer's stored states in
        // Keras 3), else the stored states of a stateful layer, else zeros.
        List<StateLayout> states = layer.States.Where(st => st.Direction == direction).ToList();
        int firstSlot = layer.States.IndexOf(states[0]);
        foreach (StateLayout state in states)
        {
            _w.Line($"{(state.IsCell ? "c" : "h")}.Clear();");
        }

        bool takesInitial = layer == _layout.InitialStateLayer;
        if (takesInitial)
        {
            using (_w.Braces("if (!initialState.IsEmpty)"))
            {
                for (int i = 0; i < states.Count; i++)
                {
                    _w.Line($"initialState.Slice({Int((firstSlot + i) * u)}, Units).CopyTo({(states[i].IsCell ? "c" : "h")});");
                }
            }
        }

        if (s.Stateful)
        {
            using (_w.Braces(takesInitial ? "else" : "// stateful: start from the states this batch row stored last time."))
            {
                foreach (StateLayout state in states)
                {
                    int slot = layer.States.IndexOf(state);
                    _w.Line($"new {ReadOnlySpan}(_storedStates, row * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units).CopyTo({(state.IsCell ? "c" : "h")});");
                }
            }
        }

        _w.Line();
        bool backwards = direction.ReadsBackwards;
        using (_w.Braces("for (int step = 0; step < Timesteps; step++)"))
        {
            _w.Line(backwards ? "int t = Timesteps - 1 - step; // read from the end" : "int t = step;");
            _w.Line(CellCall(layer, direction, "input.Slice(t * InputWidth, InputWidth)", "h", "hNext", "c", "gates", "(step & 1) != 0"));
            _w.Line($"{Span} read = h;");
            _w.Line("h = hNext; // the state just written is the one the next step reads");
            _w.Line("hNext = read;");
            if (s.ReturnSequences)
            {
                // Plain go_backwards keeps processing order (step); a bidirectional backward copy goes back to time t.
                WriteStore(layer, s.Bidirectional ? "t" : "step", direction.Index);
            }
        }

        if (_spec.Timesteps % 2 == 1)
        {
            _w.Line($"h.CopyTo(new {Span}(_scratch, {direction.Pascal}HOffset, Padded)); // an odd number of steps ends in the second buffer");
        }

        if (s.Stateful)
        {
            foreach (StateLayout state in states)
            {
                int slot = layer.States.IndexOf(state);
                string source = state.IsCell ? "c" : "h";
                _w.Line($"{source}.Slice(0, Units).CopyTo(new {Span}(_storedStates, row * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units));");
            }
        }
    }

    // Writes the output of one direction for timestep `position` (during the time loop), or, with a null position, the
    // final output of every direction after the loop. `h` is the state just computed; `output` and `backwardOutput` the
    // destinations; `final(d)` the final state of direction d.
    private void WriteStore(LayerLayout layer, string? position, int direction = 0, string h = "h.Slice(0, Units)",
        string output = "output", string backwardOutput = "backwardOutput", System.Func<int, string>? final = null)
    {
        LayerSpec s = layer.Spec;
        final ??= d => $"new {ReadOnlySpan}(_scratch, {layer.Directions[d].Pascal}HOffset, Units)";
        if (!s.Bidirectional)
        {
            _w.Line(position is null
                ? $"{final(0)}.CopyTo({output});"
                : $"{h}.CopyTo({output}.Slice({position} * Units, Units));");
            return;
        }

        if (position is null)
        {
            WriteMerge(s.MergeMode, final(0), 0, null, output, backwardOutput);
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
                _w.Line($"{source}.CopyTo({output}.Slice({Start("2 * Units", direction == 0 ? "0" : "Units")}, Units));");
                return;
            case MergeMode.None:
                _w.Line($"{source}.CopyTo({(direction == 0 ? output : backwardOutput)}.Slice({Start("Units", "0")}, Units));");
                return;
        }

        if (direction == 0)
        {
            _w.Line($"{source}.CopyTo({output}.Slice({Start("Units", "0")}, Units));");
            return;
        }

        using (_w.Braces(""))
        {
            _w.Line($"{ReadOnlySpan} backward = {source};");
            _w.Line($"{Span} merged = {output}.Slice({Start("Units", "0")}, Units);");
            using (_w.Braces("for (int j = 0; j < Units; j++)"))
            {
                _w.Line(mode switch
                {
                    MergeMode.Sum => "merged[j] += backward[j];",
                    MergeMode.Mul => "merged[j] *= backward[j];",
                    _ => "merged[j] = (merged[j] + backward[j]) / 2f;",
                });
            }
        }
    }
}
