using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The training cells: for each recurrent layer whose activations have vector forms, a class in the kernel class that
/// derives from <c>RnnGen.Training.SimpleRnnTrainingCell</c>, <c>LstmTrainingCell</c>, <c>GruTrainingCell</c> or
/// <c>GruResetBeforeTrainingCell</c> and
/// computes the cell's element-wise forward and backward arithmetic of one timestep with the units and activations
/// fixed: 8-float vectors over the units, a masked vector for the last few, the activations' operators inlined. Each
/// element takes the operations of the trainer's span code (<c>src/RnnGen/Training/RecurrentLayer.*.cs</c>) in the
/// same order, unfused, so the two give the same bits; the matrix products stay in the trainer's <c>Gemm</c>.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string Vector = "Vector256<float>";

    /// <summary>The activations the training cells inline: those the trainer's span code also runs as vectors.</summary>
    private static readonly HashSet<string> s_cellActivations = new() { "tanh", "sigmoid", "relu", "linear" };

    /// <summary>
    /// Whether <paramref name="s"/> gets a training cell: a SimpleRNN, LSTM or GRU, not stateful (the trainer refuses
    /// those), whose activations are in <see cref="s_cellActivations"/>.
    /// </summary>
    private static bool HasTrainingCell(LayerSpec s) =>
        s.Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru
        && !s.Stateful
        && s_cellActivations.Contains(CellActivation(s.Activation))
        && s_cellActivations.Contains(CellActivation(s.RecurrentActivation ?? s.Activation));

    // The canonical name of an activation (aliases resolved), or the name itself when it is not one.
    private static string CellActivation(string name) => ActivationCatalog.Canonical(name) ?? name;

    private static string TrainingCellClass(LayerLayout layer) => layer.Pascal + "TrainingCell";

    /// <summary>
    /// The initializer of the cells <c>Compile</c> passes to the trainer: one per layer of <c>Info.Layers</c> (null
    /// where a layer has none), or null when no layer has one.
    /// </summary>
    private string? TrainingCellsInitializer()
    {
        if (!_layout.Layers.Any(l => HasTrainingCell(l.Spec)))
        {
            return null;
        }

        IEnumerable<string> cells = _layout.Layers.Select(l => HasTrainingCell(l.Spec) ? $"new {Kernels}.{TrainingCellClass(l)}()" : "null");
        return $"{{ {string.Join(", ", cells)} }}";
    }

    /// <summary>Writes the training cell of every layer that has one into the kernel class.</summary>
    private void WriteTrainingCells()
    {
        foreach (LayerLayout layer in _layout.Layers.Where(l => HasTrainingCell(l.Spec)))
        {
            WriteTrainingCell(layer);
        }
    }

    private void WriteTrainingCell(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        string act = CellActivation(s.Activation);
        string ra = CellActivation(s.RecurrentActivation ?? s.Activation);
        string kind = s.Kind switch { LayerKind.Lstm => "Lstm", LayerKind.Gru => s.ResetAfter ? "Gru" : "GruResetBefore", _ => "SimpleRnn" };
        string activations = s.Kind == LayerKind.SimpleRnn ? $"activation {act}" : $"activation {act}, recurrent activation {ra}";
        _kernels.Line($"/// <summary>{s.Name}'s training cell ({kind}, {Int(s.Units)} units, {activations}): RnnGen.Training.{kind}TrainingCell with the sizes and activations fixed.</summary>");
        using (_kernels.Braces($"internal sealed class {TrainingCellClass(layer)} : global::RnnGen.Training.{kind}TrainingCell"))
        {
            _kernels.Line($"private const int Units = {Int(s.Units)};");
            _kernels.Line($"private const int GateWidth = {(s.GateCount == 1 ? "Units" : $"{Int(s.GateCount)} * Units")};");
            _kernels.Line();
            _kernels.Line($"public {TrainingCellClass(layer)}()");
            _kernels.Line("    : base(Units)");
            _kernels.OpenBrace();
            _kernels.CloseBrace();
            _kernels.Line();
            switch (s.Kind)
            {
                case LayerKind.Lstm:
                    WriteLstmTrainingCell(act, ra, s.Units);
                    break;
                case LayerKind.Gru when s.ResetAfter:
                    WriteGruTrainingCell(act, ra, s.Units);
                    break;
                case LayerKind.Gru:
                    WriteGruResetBeforeTrainingCell(act, ra, s.Units);
                    break;
                default:
                    WriteSimpleRnnTrainingCell(act, s.Units);
                    break;
            }
        }

        _kernels.Line();
    }

    /// <summary>A span parameter of a cell method: its name and whether its rows are gate rows (else state rows).</summary>
    private readonly record struct CellRow(string Name, bool IsGateRow);

    /// <summary>
    /// One cell method: slices its spans to the batch's length (one bounds check each; every access after it is within
    /// that length), then runs <paramref name="lanes"/> (the method that does the arithmetic of 8 units) over each row
    /// of the batch, whole vectors first and the last few units as a masked vector.
    /// </summary>
    private void WriteCellMethod(string signature, int units, string lanes, IReadOnlyList<CellRow> rows)
    {
        string Width(CellRow row) => row.IsGateRow ? "GateWidth" : "Units";
        string arguments = string.Join(", ", rows.Select(r => $"ref {r.Name}Row"));
        int whole = units - units % 8;
        using (_kernels.Braces($"public override void {signature}"))
        {
            foreach (CellRow row in rows)
            {
                _kernels.Line($"ref float {row.Name}Rows = ref MemoryMarshal.GetReference({row.Name}.Slice(0, batch * {Width(row)}));");
            }

            using (_kernels.Braces("for (int b = 0; b < batch; b++)"))
            {
                foreach (CellRow row in rows)
                {
                    _kernels.Line($"ref float {row.Name}Row = ref Unsafe.Add(ref {row.Name}Rows, b * {Width(row)});");
                }

                if (whole > 0)
                {
                    using (_kernels.Braces($"for (int j = 0; j < {Int(whole)}; j += 8)"))
                    {
                        _kernels.Line($"{lanes}({arguments}, j, 8);");
                    }
                }

                if (units % 8 != 0)
                {
                    if (whole > 0)
                    {
                        _kernels.Line();
                    }

                    _kernels.Line($"{lanes}({arguments}, {Int(whole)}, {Int(units % 8)});");
                }
            }
        }

        _kernels.Line();
    }

    // The cell's arithmetic on the units [j, j + lanes) of one row: a method the unit loop inlines with lanes constant.
    private SourceWriter.Block LanesMethod(string name, IReadOnlyList<CellRow> rows)
    {
        _kernels.Line(KernelMethodImplInline);
        string parameters = string.Join(", ", rows.Select(r => $"ref float {r.Name}"));
        return _kernels.Braces($"private static void {name}({parameters}, int j, int lanes)");
    }

    private void WriteSimpleRnnTrainingCell(string act, int units)
    {
        CellRow[] forward = { new("z", true), new("gates", true), new("state", false) };
        WriteCellMethod("Forward(int batch, ReadOnlySpan<float> z, Span<float> gates, Span<float> state)", units, "ForwardLanes", forward);
        CellRow[] backward = { new("z", true), new("gates", true), new("stateGradient", false), new("zGradient", true) };
        WriteCellMethod("Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> stateGradient, Span<float> zGradient)", units, "BackwardLanes", backward);

        using (LanesMethod("ForwardLanes", forward))
        {
            _kernels.Line($"{Vector} h = {Activation(act, "Load(ref z, j, lanes)")};");
            _kernels.Line("Store(h, ref gates, j, lanes);");
            _kernels.Line("Store(h, ref state, j, lanes);");
        }

        _kernels.Line();
        using (LanesMethod("BackwardLanes", backward))
        {
            _kernels.Line($"{Vector} dz = Load(ref stateGradient, j, lanes);");
            WriteTimesDerivative("dz", act, "Load(ref z, j, lanes)", "Load(ref gates, j, lanes)");
            _kernels.Line("Store(dz, ref zGradient, j, lanes);");
        }
    }

    private void WriteLstmTrainingCell(string act, string ra, int units)
    {
        CellRow[] forward = { new("z", true), new("gates", true), new("previousCarry", false), new("carry", false), new("carryActivation", false), new("state", false) };
        WriteCellMethod("Forward(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> previousCarry, Span<float> carry, Span<float> carryActivation, Span<float> state)",
            units, "ForwardLanes", forward);
        CellRow[] backward =
        {
            new("z", true), new("gates", true), new("previousCarry", false), new("carry", false), new("carryActivation", false),
            new("stateGradient", false), new("carryGradient", false), new("zGradient", true),
        };
        WriteCellMethod("Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCarry, ReadOnlySpan<float> carry, " +
            "ReadOnlySpan<float> carryActivation, ReadOnlySpan<float> stateGradient, Span<float> carryGradient, Span<float> zGradient)", units, "BackwardLanes", backward);

        using (LanesMethod("ForwardLanes", forward))
        {
            _kernels.Line("// keras LSTMCell: i, f, o = ra(z[i, f, o]); g = act(z[g]); c = f * cPrev + i * g; h = o * act(c)");
            _kernels.Line($"{Vector} i = {Activation(ra, "Load(ref z, j, lanes)")};");
            _kernels.Line($"{Vector} f = {Activation(ra, "Load(ref z, Units + j, lanes)")};");
            _kernels.Line($"{Vector} g = {Activation(act, "Load(ref z, 2 * Units + j, lanes)")};");
            _kernels.Line($"{Vector} o = {Activation(ra, "Load(ref z, 3 * Units + j, lanes)")};");
            _kernels.Line("Store(i, ref gates, j, lanes);");
            _kernels.Line("Store(f, ref gates, Units + j, lanes);");
            _kernels.Line("Store(g, ref gates, 2 * Units + j, lanes);");
            _kernels.Line("Store(o, ref gates, 3 * Units + j, lanes);");
            _kernels.Line($"{Vector} c = f * Load(ref previousCarry, j, lanes) + i * g;");
            _kernels.Line($"{Vector} cellActivation = {Activation(act, "c")};");
            _kernels.Line("Store(c, ref carry, j, lanes);");
            _kernels.Line("Store(cellActivation, ref carryActivation, j, lanes);");
            _kernels.Line("Store(o * cellActivation, ref state, j, lanes);");
        }

        _kernels.Line();
        using (LanesMethod("BackwardLanes", backward))
        {
            _kernels.Line($"{Vector} i = Load(ref gates, j, lanes), f = Load(ref gates, Units + j, lanes), g = Load(ref gates, 2 * Units + j, lanes), o = Load(ref gates, 3 * Units + j, lanes);");
            _kernels.Line($"{Vector} dh = Load(ref stateGradient, j, lanes), cellActivation = Load(ref carryActivation, j, lanes);");
            _kernels.Line("// dc += dh * o * act'(c)");
            _kernels.Line($"{Vector} fromState = dh * o;");
            WriteTimesDerivative("fromState", act, "Load(ref carry, j, lanes)", "cellActivation");
            _kernels.Line($"{Vector} dc = Load(ref carryGradient, j, lanes) + fromState;");
            _kernels.Line("// di = dc * g * ra'(z[i]), df = dc * cPrev * ra'(z[f]), dg = dc * i * act'(z[g]), do = dh * act(c) * ra'(z[o])");
            _kernels.Line($"{Vector} di = dc * g;");
            WriteTimesDerivative("di", ra, "Load(ref z, j, lanes)", "i");
            _kernels.Line($"{Vector} df = dc * Load(ref previousCarry, j, lanes);");
            WriteTimesDerivative("df", ra, "Load(ref z, Units + j, lanes)", "f");
            _kernels.Line($"{Vector} dg = dc * i;");
            WriteTimesDerivative("dg", act, "Load(ref z, 2 * Units + j, lanes)", "g");
            _kernels.Line($"{Vector} dO = dh * cellActivation;");
            WriteTimesDerivative("dO", ra, "Load(ref z, 3 * Units + j, lanes)", "o");
            _kernels.Line("Store(di, ref zGradient, j, lanes);");
            _kernels.Line("Store(df, ref zGradient, Units + j, lanes);");
            _kernels.Line("Store(dg, ref zGradient, 2 * Units + j, lanes);");
            _kernels.Line("Store(dO, ref zGradient, 3 * Units + j, lanes);");
            _kernels.Line("// the carry's gradient before the step");
            _kernels.Line("Store(dc * f, ref carryGradient, j, lanes);");
        }
    }

    private void WriteGruTrainingCell(string act, string ra, int units)
    {
        CellRow[] forward = { new("z", true), new("recurrentProjection", true), new("gates", true), new("previousState", false), new("state", false) };
        WriteCellMethod("Forward(int batch, Span<float> z, ReadOnlySpan<float> recurrentProjection, Span<float> gates, ReadOnlySpan<float> previousState, Span<float> state)",
            units, "ForwardLanes", forward);
        CellRow[] backward =
        {
            new("z", true), new("gates", true), new("recurrentProjection", true), new("previousState", false), new("stateGradient", false),
            new("zGradient", true), new("recurrentProjectionGradient", true), new("previousStateGradient", false),
        };
        WriteCellMethod("Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrentProjection, ReadOnlySpan<float> previousState, " +
            "ReadOnlySpan<float> stateGradient, Span<float> zGradient, Span<float> recurrentProjectionGradient, Span<float> previousStateGradient)", units, "BackwardLanes", backward);

        using (LanesMethod("ForwardLanes", forward))
        {
            _kernels.Line("// keras GRUCell, reset_after: z, r = ra(x·W[z, r] + hp[z, r]); hh = act(x·W[h] + r * hp[h]); h = z * hPrev + (1 - z) * hh");
            _kernels.Line($"{Vector} zUpdate = Load(ref z, j, lanes) + Load(ref recurrentProjection, j, lanes);");
            _kernels.Line($"{Vector} zReset = Load(ref z, Units + j, lanes) + Load(ref recurrentProjection, Units + j, lanes);");
            _kernels.Line("Store(zUpdate, ref z, j, lanes);");
            _kernels.Line("Store(zReset, ref z, Units + j, lanes);");
            _kernels.Line($"{Vector} update = {Activation(ra, "zUpdate")};");
            _kernels.Line($"{Vector} reset = {Activation(ra, "zReset")};");
            _kernels.Line($"{Vector} zCandidate = Load(ref z, 2 * Units + j, lanes) + reset * Load(ref recurrentProjection, 2 * Units + j, lanes);");
            _kernels.Line("Store(zCandidate, ref z, 2 * Units + j, lanes);");
            _kernels.Line($"{Vector} candidate = {Activation(act, "zCandidate")};");
            _kernels.Line("Store(update, ref gates, j, lanes);");
            _kernels.Line("Store(reset, ref gates, Units + j, lanes);");
            _kernels.Line("Store(candidate, ref gates, 2 * Units + j, lanes);");
            _kernels.Line($"Store(update * Load(ref previousState, j, lanes) + ({Vector}.One - update) * candidate, ref state, j, lanes);");
        }

        _kernels.Line();
        using (LanesMethod("BackwardLanes", backward))
        {
            _kernels.Line($"{Vector} reset = Load(ref gates, Units + j, lanes);");
            WriteGruStateGradient(act, ra);
            _kernels.Line("// dr = dhh * hp[h] * ra'(z[r])");
            _kernels.Line($"{Vector} dReset = dCandidate * Load(ref recurrentProjection, 2 * Units + j, lanes);");
            WriteTimesDerivative("dReset", ra, "Load(ref z, Units + j, lanes)", "reset");
            _kernels.Line("Store(dReset, ref zGradient, Units + j, lanes);");
            _kernels.Line("// the recurrent projection hp = h·U + b₁: its z and r parts get dz and dr, its h part dhh * r");
            _kernels.Line("Store(dUpdate, ref recurrentProjectionGradient, j, lanes);");
            _kernels.Line("Store(dReset, ref recurrentProjectionGradient, Units + j, lanes);");
            _kernels.Line("Store(dCandidate * reset, ref recurrentProjectionGradient, 2 * Units + j, lanes);");
        }
    }

    /// <summary>
    /// The GRU state update's gradients, the same in both forms (<c>h = z * hPrev + (1 - z) * hh</c>): the update gate's
    /// and the candidate's pre-activation gradients, stored, and the previous state's gradient through the update gate.
    /// Leaves <c>dCandidate</c> for the reset gate's gradient.
    /// </summary>
    private void WriteGruStateGradient(string act, string ra)
    {
        _kernels.Line($"{Vector} update = Load(ref gates, j, lanes), candidate = Load(ref gates, 2 * Units + j, lanes);");
        _kernels.Line($"{Vector} dh = Load(ref stateGradient, j, lanes);");
        _kernels.Line("// dz = dh * (hPrev - hh) * ra'(z[z]), dhh = dh * (1 - z) * act'(z[h]); dhPrev = dh * z");
        _kernels.Line($"{Vector} dUpdate = dh * (Load(ref previousState, j, lanes) - candidate);");
        _kernels.Line($"{Vector} dCandidate = dh * ({Vector}.One - update);");
        WriteTimesDerivative("dUpdate", ra, "Load(ref z, j, lanes)", "update");
        WriteTimesDerivative("dCandidate", act, "Load(ref z, 2 * Units + j, lanes)", "candidate");
        _kernels.Line("Store(dUpdate, ref zGradient, j, lanes);");
        _kernels.Line("Store(dCandidate, ref zGradient, 2 * Units + j, lanes);");
        _kernels.Line("Store(dh * update, ref previousStateGradient, j, lanes);");
    }

    private void WriteGruResetBeforeTrainingCell(string act, string ra, int units)
    {
        CellRow[] forwardGates = { new("z", true), new("gates", true), new("candidateStates", false), new("resetState", false) };
        WriteCellMethod("ForwardGates(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> candidateStates, Span<float> resetState)",
            units, "ForwardGatesLanes", forwardGates);
        CellRow[] forwardState = { new("z", true), new("gates", true), new("previousState", false), new("state", false) };
        WriteCellMethod("ForwardState(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> previousState, Span<float> state)",
            units, "ForwardStateLanes", forwardState);
        CellRow[] backwardState = { new("z", true), new("gates", true), new("previousState", false), new("stateGradient", false), new("zGradient", true), new("previousStateGradient", false) };
        WriteCellMethod("BackwardState(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousState, ReadOnlySpan<float> stateGradient, " +
            "Span<float> zGradient, Span<float> previousStateGradient)", units, "BackwardStateLanes", backwardState);
        CellRow[] backwardReset = { new("z", true), new("gates", true), new("candidateStates", false), new("resetStateGradient", false), new("zGradient", true), new("previousStateGradient", false) };
        WriteCellMethod("BackwardReset(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> candidateStates, ReadOnlySpan<float> resetStateGradient, " +
            "Span<float> zGradient, Span<float> previousStateGradient)", units, "BackwardResetLanes", backwardReset);

        using (LanesMethod("ForwardGatesLanes", forwardGates))
        {
            _kernels.Line("// keras GRUCell, reset_after=False: z, r = ra(x·W[z, r] + h·U[z, r]); the candidate's product reads r * h");
            _kernels.Line($"{Vector} update = {Activation(ra, "Load(ref z, j, lanes)")};");
            _kernels.Line($"{Vector} reset = {Activation(ra, "Load(ref z, Units + j, lanes)")};");
            _kernels.Line("Store(update, ref gates, j, lanes);");
            _kernels.Line("Store(reset, ref gates, Units + j, lanes);");
            _kernels.Line("Store(reset * Load(ref candidateStates, j, lanes), ref resetState, j, lanes);");
        }

        _kernels.Line();
        using (LanesMethod("ForwardStateLanes", forwardState))
        {
            _kernels.Line("// hh = act(x·W[h] + (r * h)·U[h]); h = z * hPrev + (1 - z) * hh");
            _kernels.Line($"{Vector} candidate = {Activation(act, "Load(ref z, 2 * Units + j, lanes)")};");
            _kernels.Line("Store(candidate, ref gates, 2 * Units + j, lanes);");
            _kernels.Line($"{Vector} update = Load(ref gates, j, lanes);");
            _kernels.Line($"Store(update * Load(ref previousState, j, lanes) + ({Vector}.One - update) * candidate, ref state, j, lanes);");
        }

        _kernels.Line();
        using (LanesMethod("BackwardStateLanes", backwardState))
        {
            WriteGruStateGradient(act, ra);
        }

        _kernels.Line();
        using (LanesMethod("BackwardResetLanes", backwardReset))
        {
            _kernels.Line("// with drh = dhh·U[h]ᵀ: dr = drh * h * ra'(z[r]); dhPrev += drh * r");
            _kernels.Line($"{Vector} reset = Load(ref gates, Units + j, lanes), resetGradient = Load(ref resetStateGradient, j, lanes);");
            _kernels.Line($"{Vector} dReset = resetGradient * Load(ref candidateStates, j, lanes);");
            WriteTimesDerivative("dReset", ra, "Load(ref z, Units + j, lanes)", "reset");
            _kernels.Line("Store(dReset, ref zGradient, Units + j, lanes);");
            _kernels.Line("Store(Load(ref previousStateGradient, j, lanes) + resetGradient * reset, ref previousStateGradient, j, lanes);");
        }
    }

    /// <summary>
    /// <c>gradient = gradient * f'(x)</c> for the activation <paramref name="activation"/>, with <c>y = f(x)</c>: the
    /// derivatives of the trainer's <c>ActivationFunctions</c> (<c>linear</c> multiplies by nothing, as there).
    /// </summary>
    private void WriteTimesDerivative(string gradient, string activation, string x, string y)
    {
        string? derivative = activation switch
        {
            "tanh" => $"({Vector}.One - {y} * {y})",
            "sigmoid" => $"({y} * ({Vector}.One - {y}))",
            "relu" => $"(Vector256.GreaterThan({x}, {Vector}.Zero) & {Vector}.One)",
            _ => null,
        };
        if (derivative is not null)
        {
            _kernels.Line($"{gradient} *= {derivative};");
        }
    }
}
