using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The forward pass: <c>Run</c> chains the layers; each layer has a method that walks the timesteps, and each
/// recurrent direction a cell method that computes one timestep from the Keras equations, with every size a constant.
/// </summary>
internal sealed partial class ModelEmitter
{
    private void WriteCompute()
    {
        WriteRun();
        foreach (LayerLayout layer in _layout.ComputeLayers)
        {
            if (layer.Spec.Kind == LayerKind.Dense)
            {
                WriteDenseLayer(layer);
            }
            else
            {
                WriteRecurrentLayer(layer);
                WriteCell(layer);
            }
        }
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
                    string name = "carry" + (carry == 0 ? "A" : "B");
                    int length = layer.OutputRows(_spec.Timesteps) * layer.Spec.OutputWidth;
                    _w.Line($"{Span} {name}{Int(i)} = new {Span}(_scratch, Carry{(carry == 0 ? "A" : "B")}Offset, {Int(length)});");
                    arguments.Add(name + Int(i));
                    previous = name + Int(i);
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
        DirectionLayout weights = layer.Directions[0];
        int rows = layer.InputRows(_spec.Timesteps);
        _w.Line($"// {layer.Description}: y = {s.Activation}(x·W + b) on the last axis{(rows > 1 ? ", at every timestep" : string.Empty)} (Keras Dense.call).");
        using (_w.Braces($"private void {layer.Pascal}Layer({ReadOnlySpan} input, {Span} output)"))
        {
            _w.Line($"const int Rows = {Int(rows)};");
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            _w.Line($"{ReadOnlySpan} kernel = new {ReadOnlySpan}(_parameters, {weights.Weights["kernel"].ConstantName}, InputWidth * Units);");
            if (s.UseBias)
            {
                _w.Line($"{ReadOnlySpan} bias = new {ReadOnlySpan}(_parameters, {weights.Weights["bias"].ConstantName}, Units);");
            }

            using (_w.Braces("for (int r = 0; r < Rows; r++)"))
            {
                _w.Line($"{ReadOnlySpan} x = input.Slice(r * InputWidth, InputWidth);");
                _w.Line($"{Span} y = output.Slice(r * Units, Units);");
                _w.Line(s.UseBias ? "bias.CopyTo(y);" : "y.Clear();");
                WriteAccumulate("x", "InputWidth", "kernel", "Units", "0", "Units", "y");
                if (s.Activation == "softmax")
                {
                    _w.Line($"{Activations}.Softmax(y);");
                }
                else if (s.Activation != "linear")
                {
                    using (_w.Braces("for (int j = 0; j < Units; j++)"))
                    {
                        _w.Line($"y[j] = {Apply(s.Activation, "y[j]")};");
                    }
                }
            }
        }

        _w.Line();
    }

    // target[0..count) += x·M[:, columnOffset..columnOffset+count) for a row-major M with rowLength columns.
    private void WriteAccumulate(string x, string inputLength, string matrix, string rowLength, string columnOffset, string count, string target)
    {
        using (_w.Braces($"for (int k = 0; k < {inputLength}; k++)"))
        {
            _w.Line($"float xk = {x}[k];");
            string offset = columnOffset == "0" ? $"k * {rowLength}" : $"k * {rowLength} + {columnOffset}";
            _w.Line($"{ReadOnlySpan} weights = {matrix}.Slice({offset}, {count});");
            using (_w.Braces($"for (int j = 0; j < {count}; j++)"))
            {
                _w.Line($"{target}[j] += xk * weights[j];");
            }
        }
    }

    private static string Apply(string activation, string value) =>
        activation == "linear" ? value : $"{Activations}.{ActivationCatalog.MemberName(activation)}({value})";

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

        using (_w.Braces($"private void {layer.Pascal}Layer({string.Join(", ", parameters)})"))
        {
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
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
        string h = "h", c = "c";
        _w.Line($"{Span} {h} = new {Span}(_scratch, {direction.Pascal}HOffset, Units);");
        if (s.Kind == LayerKind.Lstm)
        {
            _w.Line($"{Span} {c} = new {Span}(_scratch, {direction.Pascal}COffset, Units);");
        }

        // Initial states: Keras uses initial_state when given (it overrides a stateful layer's stored states in
        // Keras 3), else the stored states of a stateful layer, else zeros.
        List<StateLayout> states = layer.States.Where(st => st.Direction == direction).ToList();
        int firstSlot = layer.States.IndexOf(states[0]);
        bool takesInitial = layer == _layout.InitialStateLayer;
        if (takesInitial)
        {
            using (_w.Braces("if (!initialState.IsEmpty)"))
            {
                for (int i = 0; i < states.Count; i++)
                {
                    _w.Line($"initialState.Slice({Int((firstSlot + i) * u)}, Units).CopyTo({(states[i].IsCell ? c : h)});");
                }
            }

            _w.Line("else");
        }

        using (_w.Braces(s.Stateful && !takesInitial ? "// stateful: start from the states this batch row stored last time." : ""))
        {
            foreach (StateLayout state in states)
            {
                int slot = layer.States.IndexOf(state);
                _w.Line(s.Stateful
                    ? $"new {ReadOnlySpan}(_storedStates, row * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units).CopyTo({(state.IsCell ? c : h)});"
                    : $"{(state.IsCell ? c : h)}.Clear();");
            }
        }

        _w.Line();
        bool backwards = direction.ReadsBackwards;
        using (_w.Braces("for (int step = 0; step < Timesteps; step++)"))
        {
            _w.Line(backwards ? "int t = Timesteps - 1 - step; // read from the end" : "int t = step;");
            var cellArguments = new List<string> { "input.Slice(t * InputWidth, InputWidth)", h };
            if (s.Kind == LayerKind.Lstm)
            {
                cellArguments.Add(c);
            }

            cellArguments.Add(direction.Weights["kernel"].ConstantName);
            cellArguments.Add(direction.Weights["recurrent_kernel"].ConstantName);
            cellArguments.Add(s.UseBias ? direction.Weights["bias"].ConstantName : "-1");
            cellArguments.Add(direction.Pascal + "GatesOffset");
            if (s.Kind == LayerKind.Gru)
            {
                cellArguments.Add(direction.Pascal + "RecurrentGatesOffset");
            }

            _w.Line($"{layer.Pascal}Cell({string.Join(", ", cellArguments)});");
            if (s.ReturnSequences)
            {
                // Plain go_backwards keeps processing order (step); a bidirectional backward copy goes back to time t.
                string position = s.Bidirectional ? "t" : "step";
                WriteStore(layer, position, direction.Index);
            }
        }

        if (s.Stateful)
        {
            foreach (StateLayout state in states)
            {
                int slot = layer.States.IndexOf(state);
                _w.Line($"{(state.IsCell ? c : h)}.CopyTo(new {Span}(_storedStates, row * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units));");
            }
        }
    }

    // Writes the output of one direction for timestep `position` (during the time loop), or, with a null position, the
    // final output of every direction after the loop.
    private void WriteStore(LayerLayout layer, string? position, int direction = 0)
    {
        LayerSpec s = layer.Spec;
        if (!s.Bidirectional)
        {
            _w.Line(position is null
                ? $"new {ReadOnlySpan}(_scratch, {layer.Directions[0].Pascal}HOffset, Units).CopyTo(output);"
                : $"h.CopyTo(output.Slice({position} * Units, Units));");
            return;
        }

        if (position is null)
        {
            WriteMerge(s.MergeMode, $"new {ReadOnlySpan}(_scratch, {layer.Directions[0].Pascal}HOffset, Units)", 0, null);
            WriteMerge(s.MergeMode, $"new {ReadOnlySpan}(_scratch, {layer.Directions[1].Pascal}HOffset, Units)", 1, null);
        }
        else
        {
            WriteMerge(s.MergeMode, "h", direction, position);
        }
    }

    private void WriteMerge(MergeMode mode, string source, int direction, string? position)
    {
        string Start(string perRow, string within) =>
            position is null ? within : within == "0" ? $"{position} * {perRow}" : $"{position} * {perRow} + {within}";

        switch (mode)
        {
            case MergeMode.Concat:
                _w.Line($"{source}.CopyTo(output.Slice({Start("2 * Units", direction == 0 ? "0" : "Units")}, Units));");
                return;
            case MergeMode.None:
                _w.Line($"{source}.CopyTo({(direction == 0 ? "output" : "backwardOutput")}.Slice({Start("Units", "0")}, Units));");
                return;
        }

        if (direction == 0)
        {
            _w.Line($"{source}.CopyTo(output.Slice({Start("Units", "0")}, Units));");
            return;
        }

        using (_w.Braces(""))
        {
            _w.Line($"{ReadOnlySpan} backward = {source};");
            _w.Line($"{Span} merged = output.Slice({Start("Units", "0")}, Units);");
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

    private void WriteCell(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        string act = s.Activation;
        string recurrentAct = s.RecurrentActivation ?? act;
        var parameters = new List<string> { $"{ReadOnlySpan} x", $"{Span} h" };
        if (s.Kind == LayerKind.Lstm)
        {
            parameters.Add($"{Span} c");
        }

        parameters.AddRange(new[] { "int kernelOffset", "int recurrentKernelOffset", "int biasOffset", "int gatesOffset" });
        if (s.Kind == LayerKind.Gru)
        {
            parameters.Add("int recurrentGatesOffset");
        }

        string cellName = s.Kind switch
        {
            LayerKind.SimpleRnn => "SimpleRNNCell",
            LayerKind.Lstm => "LSTMCell",
            _ => "GRUCell",
        };
        _w.Line($"// One timestep of {s.Name} (Keras {cellName}.call): updates the state{(s.Kind == LayerKind.Lstm ? "s h and c" : " h")} in place from the input x.");
        using (_w.Braces($"private void {layer.Pascal}Cell({string.Join(", ", parameters)})"))
        {
            int gates = s.GateCount;
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            _w.Line($"const int GateWidth = {Int(gates * s.Units)};");
            _w.Line($"{ReadOnlySpan} kernel = new {ReadOnlySpan}(_parameters, kernelOffset, InputWidth * GateWidth);");
            _w.Line($"{ReadOnlySpan} recurrentKernel = new {ReadOnlySpan}(_parameters, recurrentKernelOffset, Units * GateWidth);");
            _w.Line($"{Span} z = new {Span}(_scratch, gatesOffset, GateWidth);");
            switch (s.Kind)
            {
                case LayerKind.SimpleRnn:
                    _w.Line();
                    _w.Line("// z = x·W + b + h·U");
                    WriteBias(s, "z", "GateWidth", "0");
                    WriteAccumulate("x", "InputWidth", "kernel", "GateWidth", "0", "GateWidth", "z");
                    WriteAccumulate("h", "Units", "recurrentKernel", "GateWidth", "0", "GateWidth", "z");
                    _w.Line($"// h = {act}(z)");
                    using (_w.Braces("for (int j = 0; j < Units; j++)"))
                    {
                        _w.Line($"h[j] = {Apply(act, "z[j]")};");
                    }

                    break;

                case LayerKind.Lstm:
                    _w.Line();
                    _w.Line("// z = x·W + h·U + b: pre-activations of the gate blocks i, f, c, o");
                    WriteBias(s, "z", "GateWidth", "0");
                    WriteAccumulate("x", "InputWidth", "kernel", "GateWidth", "0", "GateWidth", "z");
                    WriteAccumulate("h", "Units", "recurrentKernel", "GateWidth", "0", "GateWidth", "z");
                    _w.Line($"// i = {recurrentAct}(z_i), f = {recurrentAct}(z_f), o = {recurrentAct}(z_o); c = f*c + i*{act}(z_c); h = o*{act}(c)");
                    using (_w.Braces("for (int j = 0; j < Units; j++)"))
                    {
                        _w.Line($"float i = {Apply(recurrentAct, "z[j]")};");
                        _w.Line($"float f = {Apply(recurrentAct, "z[Units + j]")};");
                        _w.Line($"float g = {Apply(act, "z[2 * Units + j]")};");
                        _w.Line($"float o = {Apply(recurrentAct, "z[3 * Units + j]")};");
                        _w.Line("c[j] = f * c[j] + i * g;");
                        _w.Line($"h[j] = o * {Apply(act, "c[j]")};");
                    }

                    break;

                default:
                    WriteGruBody(s, act, recurrentAct);
                    break;
            }
        }

        _w.Line();
    }

    private void WriteBias(LayerSpec s, string target, string count, string offset)
    {
        if (s.UseBias)
        {
            string start = offset == "0" ? "biasOffset" : $"biasOffset + {offset}";
            _w.Line($"new {ReadOnlySpan}(_parameters, {start}, {count}).CopyTo({target});");
        }
        else
        {
            _w.Line($"{target}.Clear();");
        }
    }

    private void WriteGruBody(LayerSpec s, string act, string recurrentAct)
    {
        _w.Line($"{Span} r = new {Span}(_scratch, recurrentGatesOffset, GateWidth);");
        _w.Line();
        if (s.ResetAfter)
        {
            _w.Line("// reset_after=True: x·W + b_input and h·U + b_recurrent are kept apart (bias rows 0 and 1), blocks z, r, h");
            WriteBias(s, "z", "GateWidth", "0");
            WriteAccumulate("x", "InputWidth", "kernel", "GateWidth", "0", "GateWidth", "z");
            WriteBias(s, "r", "GateWidth", "GateWidth");
            WriteAccumulate("h", "Units", "recurrentKernel", "GateWidth", "0", "GateWidth", "r");
            _w.Line($"// z = {recurrentAct}(x_z + h_z), r = {recurrentAct}(x_r + h_r), hh = {act}(x_h + r*h_h); h = z*h + (1-z)*hh");
            using (_w.Braces("for (int j = 0; j < Units; j++)"))
            {
                _w.Line($"float update = {Apply(recurrentAct, "z[j] + r[j]")};");
                _w.Line($"float reset = {Apply(recurrentAct, "z[Units + j] + r[Units + j]")};");
                _w.Line($"float candidate = {Apply(act, "z[2 * Units + j] + reset * r[2 * Units + j]")};");
                _w.Line("h[j] = update * h[j] + (1f - update) * candidate;");
            }

            return;
        }

        _w.Line("// reset_after=False: x·W + b for the blocks z, r, h; then h·U_z and h·U_r");
        WriteBias(s, "z", "GateWidth", "0");
        WriteAccumulate("x", "InputWidth", "kernel", "GateWidth", "0", "GateWidth", "z");
        _w.Line("r.Clear();");
        WriteAccumulate("h", "Units", "recurrentKernel", "GateWidth", "0", "2 * Units", "r");
        _w.Line($"// z = {recurrentAct}(x_z + h·U_z) (kept in r[0..Units)), and r*h (kept in r[Units..2*Units)) for the candidate");
        using (_w.Braces("for (int j = 0; j < Units; j++)"))
        {
            _w.Line($"r[j] = {Apply(recurrentAct, "z[j] + r[j]")};");
            _w.Line($"r[Units + j] = {Apply(recurrentAct, "z[Units + j] + r[Units + j]")} * h[j];");
        }

        _w.Line($"// hh = {act}(x_h + (r*h)·U_h); h = z*h + (1-z)*hh");
        _w.Line($"{Span} candidate = r.Slice(2 * Units, Units);");
        _w.Line("candidate.Clear();");
        WriteAccumulate("r.Slice(Units, Units)", "Units", "recurrentKernel", "GateWidth", "2 * Units", "Units", "candidate");
        using (_w.Braces("for (int j = 0; j < Units; j++)"))
        {
            _w.Line($"float hh = {Apply(act, "z[2 * Units + j] + candidate[j]")};");
            _w.Line("h[j] = r[j] * h[j] + (1f - r[j]) * hh;");
        }
    }
}
