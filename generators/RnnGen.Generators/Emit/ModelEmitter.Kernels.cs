using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The SIMD kernels: one timestep of a recurrent layer, or one row of a Dense layer, for one vector width, with every
/// size a constant. Weights are read from the packed buffer in the order KernelPacking wrote them, so each unit block
/// streams one contiguous run. Each input is broadcast and multiplied into the gate vectors of the block (a
/// register-blocked matrix-vector product), with two or four interleaved partial sums so that
/// consecutive fused multiply-adds do not wait on each other.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string MethodImplHot = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    private const string MethodImplInline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
    private const string VectorMath = "global::RnnGen.Kernels.VectorMath";

    private static readonly string[] s_lstmGates = { "I", "F", "G", "O" };

    /// <summary>Sequences a batched kernel advances together: the batch API runs the batch in chunks of this many.</summary>
    internal const int BatchChunk = 4;

    /// <summary>
    /// How a kernel tiles its work: <c>Group</c> unit blocks and <c>Sequences</c> sequences share each weight load and
    /// broadcast (their accumulators live in registers together), and each sum is split into <c>Partials</c>
    /// interleaved partial sums, so that at least eight independent FMA chains cover the FMA latency (4 cycles, 2 per
    /// cycle) without spilling registers: 24 accumulators with 512-bit vectors (32 registers), 12 otherwise (16 on x64).
    /// </summary>
    private readonly struct Tiling
    {
        /// <param name="blocks">Unit blocks of the layer.</param>
        /// <param name="chains">Accumulators a loop over the inputs updates, per block and sequence (the gates it sums).</param>
        /// <param name="registers">Accumulators alive per block and sequence (GRU keeps its input and recurrent sums apart).</param>
        /// <param name="lanes">Vector width in floats.</param>
        /// <param name="sequences">Sequences of the kernel: 1, or <see cref="BatchChunk"/> for the batch API.</param>
        public Tiling(int blocks, int chains, int registers, int lanes, int sequences)
        {
            int budget = lanes == 16 ? 16 : 12;
            int together = sequences;
            while (together > 1 && together * registers > budget)
            {
                together /= 2;
            }

            int group = 1;
            for (int g = 1; g <= blocks; g++)
            {
                if (blocks % g == 0 && g * together * registers <= budget && g * together * chains <= 16)
                {
                    group = g;
                }
            }

            int wanted = (16 + group * together * chains - 1) / (group * together * chains);
            int affordable = System.Math.Max(1, budget / (group * together * registers));
            Group = group;
            Sequences = together;
            SequenceGroups = sequences / together;
            Partials = System.Math.Max(1, System.Math.Min(4, System.Math.Min(wanted, affordable)));
            Groups = blocks / group;
        }

        public int Group { get; }

        public int Sequences { get; }

        public int SequenceGroups { get; }

        public int Partials { get; }

        public int Groups { get; }

        public bool Batched => Sequences > 1 || SequenceGroups > 1;
    }

    private static string KernelName(LayerLayout layer, int lanes, int sequences) =>
        $"{layer.Pascal}{(sequences == 1 ? "Cell" : "CellBatch")}X{Int(lanes)}";

    /// <param name="sequences">1 for the single-sequence kernel; <see cref="BatchChunk"/> for the batched one, which reads
    /// sequence r's input at r * XStride and its states at r * Padded (r * 3 * Padded for the GRU gates buffer).</param>
    private void WriteRecurrentKernel(LayerLayout layer, int lanes, int sequences = 1)
    {
        LayerSpec s = layer.Spec;
        string v = VectorType(lanes);
        int gates = s.GateCount, blocks = RoundUp(s.Units, lanes) / lanes;
        int biasRows = LayerShapes.BiasRows(s.Kind, s.ResetAfter);
        var parameters = new List<string> { "ref float x", "ref float hPrev", "ref float hNext" };
        if (s.Kind == LayerKind.Lstm)
        {
            parameters.Add("ref float c");
        }

        if (s.Kind == LayerKind.Gru && !s.ResetAfter)
        {
            parameters.Add("ref float gates");
        }

        parameters.Add("ref float weights");
        parameters.Add("bool reverse");
        string cell = s.Kind switch { LayerKind.SimpleRnn => "SimpleRNNCell", LayerKind.Lstm => "LSTMCell", _ => "GRUCell" };
        // GRU keeps the input and recurrent sums of each gate apart, so it holds twice the accumulators.
        // The GRU with reset_after=False keeps x_z, x_r, x_h, h_z and h_r alive in its first pass; WriteGruResetBeforeKernel
        // tiles with the same numbers, so that both agree on how many sequences a pass takes.
        int registers = s.Kind != LayerKind.Gru ? gates : s.ResetAfter ? 2 * gates : 5;
        var tiling = new Tiling(blocks, gates, registers, lanes, sequences);
        if (sequences == 1)
        {
            _w.Line($"// One timestep of {s.Name} with {Int(lanes)}-float vectors (Keras {cell}.call): units in {Int(blocks)} block(s) of {Int(lanes)},");
            _w.Line($"// {Int(tiling.Group)} block(s) at a time.");
        }
        else
        {
            _w.Line($"// One timestep of {s.Name} for {Int(sequences)} sequences at once with {Int(lanes)}-float vectors (Keras {cell}.call): the");
            _w.Line($"// recurrent product becomes a matrix product, each weight vector loaded once for {Int(tiling.Sequences)} sequences; units in");
            _w.Line($"// {Int(blocks)} block(s) of {Int(lanes)}, {Int(tiling.Group)} at a time.");
        }

        _w.Line("// Each block's gate pre-activations are summed over the inputs and the previous state, then updated in registers.");
        _w.Line("// With reverse the work runs last to first: alternating the order from one step to the next starts each step on the");
        _w.Line("// weights the previous one left in the L1 cache.");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private static void {KernelName(layer, lanes, sequences)}({string.Join(", ", parameters)})"))
        {
            _w.Line($"const int Inputs = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            _w.Line($"const int Lanes = {Int(lanes)};");
            _w.Line($"const int Gates = {Int(gates)};");
            _w.Line($"const int RowStride = Gates * Lanes; // one input row of a block: every gate's {Int(lanes)} columns");
            _w.Line("const int BlockStride = (Inputs + Units) * RowStride;");
            _w.Line($"const int BiasStart = {Int(blocks)} * BlockStride;");
            _w.Line($"const int BiasStride = {Int(biasRows)} * RowStride;");
            if (tiling.Batched || s.Kind == LayerKind.Gru && !s.ResetAfter)
            {
                _w.Line($"const int Padded = {Int(PaddedUnits(s.Units))}; // state floats per sequence");
            }

            if (tiling.Batched)
            {
                _w.Line($"const int XStride = {Int(layer.BatchInputStride(_spec.Timesteps))}; // input floats per sequence");
            }

            void Body()
            {
                if (s.Kind == LayerKind.Gru && !s.ResetAfter)
                {
                    WriteGruResetBeforeKernel(layer, lanes, blocks, sequences);
                    return;
                }

                WriteGroupLoop(tiling, () =>
                {
                    switch (s.Kind)
                    {
                        case LayerKind.SimpleRnn:
                            WriteSimpleRnnGroup(s, v, tiling);
                            break;
                        case LayerKind.Lstm:
                            WriteLstmGroup(s, v, tiling);
                            break;
                        default:
                            WriteGruResetAfterGroup(s, v, tiling);
                            break;
                    }
                });
            }

            if (tiling.SequenceGroups > 1)
            {
                // Fewer registers than the chunk needs: the chunk goes through in groups of sequences.
                using (_w.Braces($"for (int q = 0; q < {Int(sequences)}; q += {Int(tiling.Sequences)})"))
                {
                    _w.Line($"ref float xq = ref {Unsafe}.Add(ref x, q * XStride);");
                    _w.Line($"ref float hPrevq = ref {Unsafe}.Add(ref hPrev, q * Padded);");
                    _w.Line($"ref float hNextq = ref {Unsafe}.Add(ref hNext, q * Padded);");
                    if (s.Kind == LayerKind.Lstm)
                    {
                        _w.Line($"ref float cq = ref {Unsafe}.Add(ref c, q * Padded);");
                    }

                    if (s.Kind == LayerKind.Gru && !s.ResetAfter)
                    {
                        _w.Line($"ref float gatesq = ref {Unsafe}.Add(ref gates, q * 3 * Padded);");
                    }

                    _sequenceSuffix = "q";
                    Body();
                    _sequenceSuffix = string.Empty;
                }
            }
            else
            {
                Body();
            }
        }

        _w.Line();
    }

    // "q" while emitting the body of a loop over sequence groups, whose refs are rebased (xq, hPrevq, ...).
    private string _sequenceSuffix = string.Empty;

    private string Ref(string name) => name + _sequenceSuffix;

    // for each group of blocks (in reverse order when asked): refs to each block's weights and bias, then the body.
    private void WriteGroupLoop(Tiling tiling, System.Action body, bool reversible = true)
    {
        void References()
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                string index = j == 0 ? "first" : $"first + {Int(j)}";
                _w.Line($"ref float block{Int(j)} = ref {Unsafe}.Add(ref weights, ({index}) * BlockStride);");
                _w.Line($"ref float bias{Int(j)} = ref {Unsafe}.Add(ref weights, BiasStart + ({index}) * BiasStride);");
            }
        }

        if (tiling.Groups == 1)
        {
            using (_w.Braces(string.Empty))
            {
                _w.Line("const int first = 0; // one group holds every block");
                References();
                body();
            }

            return;
        }

        using (_w.Braces($"for (int i = 0; i < {Int(tiling.Groups)}; i++)"))
        {
            _w.Line(reversible
                ? $"int first = (reverse ? {Int(tiling.Groups - 1)} - i : i) * {Int(tiling.Group)}; // first block of this group"
                : $"int first = i * {Int(tiling.Group)}; // first block of this group");
            References();
            body();
        }
    }

    private static int LanesOf(string vectorType) => vectorType.EndsWith("512", System.StringComparison.Ordinal) ? 16 : vectorType.EndsWith("256", System.StringComparison.Ordinal) ? 8 : 4;

    // Offset of block j of sequence r in a state buffer with `stride` floats per sequence.
    private static string At(int j, int r = 0, string stride = "Padded")
    {
        string block = j == 0 ? "first * Lanes" : $"(first + {Int(j)}) * Lanes";
        return r == 0 ? $"(nuint)({block})" : $"(nuint)({Int(r)} * {stride} + {block})";
    }

    private static string Suffix(Tiling tiling, int r) => tiling.Sequences > 1 ? "s" + Int(r) : string.Empty;

    private void WriteSimpleRnnGroup(LayerSpec s, string v, Tiling tiling)
    {
        string[] z = { "Z" };
        _w.Line("// z = x·W + b + h·U");
        DeclareAccumulators(v, z, tiling, (j, g) => $"{v}.LoadUnsafe(ref bias{Int(j)})");
        WriteInputAndStateProducts(s, v, z, z, new[] { 0 }, tiling, LanesOf(v));
        CombineAccumulators(z, tiling);
        _w.Line($"// h = {s.Activation}(z)");
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                _w.Line($"{v}.StoreUnsafe({Activation(s.Activation, v, $"accZ{Int(j)}{Suffix(tiling, r)}")}, ref {Ref("hNext")}, {At(j, r)});");
            }
        }
    }

    private void WriteLstmGroup(LayerSpec s, string v, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        _w.Line("// z = x·W + h·U + b for the gate blocks i, f, c, o");
        DeclareAccumulators(v, s_lstmGates, tiling, (j, g) => $"{v}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
        WriteInputAndStateProducts(s, v, s_lstmGates, s_lstmGates, new[] { 0, 1, 2, 3 }, tiling, LanesOf(v));
        CombineAccumulators(s_lstmGates, tiling);
        _w.Line($"// i = {ra}(z_i), f = {ra}(z_f), o = {ra}(z_o); c = f*c + i*{act}(z_c); h = o*{act}(c)");
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                string b = Int(j) + Suffix(tiling, r);
                _w.Line($"{v}<float> cell{b} = {VectorMath}.MultiplyAdd({Activation(ra, v, $"accF{b}")}, {v}.LoadUnsafe(ref {Ref("c")}, {At(j, r)}), {Activation(ra, v, $"accI{b}")} * {Activation(act, v, $"accG{b}")});");
                _w.Line($"{v}.StoreUnsafe(cell{b}, ref {Ref("c")}, {At(j, r)});");
                _w.Line($"{v}.StoreUnsafe({Activation(ra, v, $"accO{b}")} * {Activation(act, v, $"cell{b}")}, ref {Ref("hNext")}, {At(j, r)});");
            }
        }
    }

    private void WriteGruResetAfterGroup(LayerSpec s, string v, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        _w.Line("// reset_after=True: x·W + b_input and h·U + b_recurrent kept apart, blocks z, r, h");
        string[] xGates = { "XZ", "XR", "XH" }, hGates = { "HZ", "HR", "HH" };
        DeclareAccumulators(v, xGates, tiling, (j, g) => $"{v}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
        DeclareAccumulators(v, hGates, tiling, (j, g) => $"{v}.LoadUnsafe(ref bias{Int(j)}, RowStride + {Int(g)} * Lanes)");
        WriteInputAndStateProducts(s, v, xGates, hGates, new[] { 0, 1, 2 }, tiling, LanesOf(v));
        CombineAccumulators(xGates, tiling);
        CombineAccumulators(hGates, tiling);
        _w.Line($"// z = {ra}(x_z + h_z), r = {ra}(x_r + h_r), hh = {act}(x_h + r*h_h); h = z*h + (1-z)*hh");
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                string b = Int(j) + Suffix(tiling, r);
                _w.Line($"{v}<float> z{b} = {Activation(ra, v, $"accXZ{b} + accHZ{b}")};");
                _w.Line($"{v}<float> candidate{b} = {Activation(act, v, $"{VectorMath}.MultiplyAdd({Activation(ra, v, $"accXR{b} + accHR{b}")}, accHH{b}, accXH{b})")};");
                _w.Line($"{v}.StoreUnsafe(z{b} * {v}.LoadUnsafe(ref {Ref("hPrev")}, {At(j, r)}) + ({v}<float>.One - z{b}) * candidate{b}, ref {Ref("hNext")}, {At(j, r)});");
            }
        }
    }

    // reset_after=False needs r*h of every unit before any candidate: a first pass over the blocks computes z, r*h and
    // x·W_h + b_h into the gates buffer, a second the candidate and the new state.
    private void WriteGruResetBeforeKernel(LayerLayout layer, int lanes, int blocks, int sequences)
    {
        LayerSpec s = layer.Spec;
        string v = VectorType(lanes);
        string ra = s.RecurrentActivation!, act = s.Activation;
        var first = new Tiling(blocks, 3, 5, lanes, sequences);
        var second = new Tiling(blocks, 1, 1, lanes, first.Sequences);
        _w.Line("// The gates buffer holds [z | r*h | x_h] for each sequence, each Padded floats.");
        _w.Line("// Pass 1: x·W + b for z, r, h; h·U for z and r only (Keras GRUCell.call, reset_after=False).");
        WriteGroupLoop(first, () =>
        {
            string[] xGates = { "XZ", "XR", "XH" }, hGates = { "HZ", "HR" };
            DeclareAccumulators(v, xGates, first, (j, g) => $"{v}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
            DeclareAccumulators(v, hGates, first, (j, g) => $"{v}<float>.Zero");
            WriteProducts(v, xGates, new[] { 0, 1, 2 }, first, "x", "XStride", 0, s.InputWidth);
            WriteProducts(v, hGates, new[] { 0, 1 }, first, "hPrev", "Padded", s.InputWidth, s.Units);
            CombineAccumulators(xGates, first);
            CombineAccumulators(hGates, first);
            _w.Line($"// z = {ra}(x_z + h·U_z), r = {ra}(x_r + h·U_r)");
            for (int r = 0; r < first.Sequences; r++)
            {
                for (int j = 0; j < first.Group; j++)
                {
                    string b = Int(j) + Suffix(first, r);
                    _w.Line($"{v}.StoreUnsafe({Activation(ra, v, $"accXZ{b} + accHZ{b}")}, ref {Ref("gates")}, {At(j, r, "3 * Padded")});");
                    _w.Line($"{v}.StoreUnsafe({Activation(ra, v, $"accXR{b} + accHR{b}")} * {v}.LoadUnsafe(ref {Ref("hPrev")}, {At(j, r)}), ref {Ref("gates")}, Padded + {At(j, r, "3 * Padded")});");
                    _w.Line($"{v}.StoreUnsafe(accXH{b}, ref {Ref("gates")}, 2 * Padded + {At(j, r, "3 * Padded")});");
                }
            }
        }, reversible: false);

        _w.Line();
        _w.Line($"// Pass 2: hh = {act}(x_h + (r*h)·U_h); h = z*h + (1-z)*hh");
        _w.Line($"ref float resetState{_sequenceSuffix} = ref {Unsafe}.Add(ref {Ref("gates")}, Padded);");
        WriteGroupLoop(second, () =>
        {
            DeclareAccumulators(v, new[] { "C" }, second, (j, g) => $"{v}.LoadUnsafe(ref {Ref("gates")}, 2 * Padded + {At(j)})", (j, r) => $"{v}.LoadUnsafe(ref {Ref("gates")}, 2 * Padded + {At(j, r, "3 * Padded")})");
            WriteProducts(v, new[] { "C" }, new[] { 2 }, second, "resetState", "3 * Padded", s.InputWidth, s.Units);
            CombineAccumulators(new[] { "C" }, second);
            for (int r = 0; r < second.Sequences; r++)
            {
                for (int j = 0; j < second.Group; j++)
                {
                    string b = Int(j) + Suffix(second, r);
                    _w.Line($"{v}<float> z{b} = {v}.LoadUnsafe(ref {Ref("gates")}, {At(j, r, "3 * Padded")});");
                    _w.Line($"{v}.StoreUnsafe(z{b} * {v}.LoadUnsafe(ref {Ref("hPrev")}, {At(j, r)}) + ({v}<float>.One - z{b}) * {Activation(act, v, $"accC{b}")}, ref {Ref("hNext")}, {At(j, r)});");
                }
            }
        }, reversible: false);
        _w.Line("_ = reverse; // the two passes keep block order: the second reads every block's r*h");
    }

    // Accumulators acc{gate}{block}[s{sequence}][_{partial}]; the first partial starts from `first` (the bias, or what
    // `firstOfSequence` gives for sequence r), the others from zero.
    private void DeclareAccumulators(string v, string[] names, Tiling tiling, System.Func<int, int, string> first, System.Func<int, int, string>? firstOfSequence = null)
    {
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                for (int g = 0; g < names.Length; g++)
                {
                    for (int p = 0; p < tiling.Partials; p++)
                    {
                        string start = p > 0 ? v + "<float>.Zero" : firstOfSequence is not null && r > 0 ? firstOfSequence(j, r) : first(j, g);
                        _w.Line($"{v}<float> acc{names[g]}{Int(j)}{Suffix(tiling, r)}{(p == 0 ? string.Empty : "_" + Int(p))} = {start};");
                    }
                }
            }
        }
    }

    private void CombineAccumulators(string[] names, Tiling tiling)
    {
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                foreach (string name in names)
                {
                    string a = $"acc{name}{Int(j)}{Suffix(tiling, r)}";
                    if (tiling.Partials == 4)
                    {
                        _w.Line($"{a} = ({a} + {a}_1) + ({a}_2 + {a}_3);");
                    }
                    else if (tiling.Partials == 3)
                    {
                        _w.Line($"{a} = ({a} + {a}_1) + {a}_2;");
                    }
                    else if (tiling.Partials == 2)
                    {
                        _w.Line($"{a} += {a}_1;");
                    }
                }
            }
        }
    }

    // acc[g][block][sequence][p] += source[k] * block's row k (of gate gateIndex[g]) over k in [0, count), rows from
    // rowStart; the k are dealt round-robin to the partial sums. Each weight vector is loaded once for every sequence of
    // the tile, each broadcast serves every block of the group.
    private void WriteProducts(string v, string[] names, int[] gateIndex, Tiling tiling, string source, string sourceStride, int rowStart, int count, bool backwards = false)
    {
        if (count == 0)
        {
            return;
        }

        int sums = tiling.Partials;
        int whole = count / sums * sums;
        string Row(string k) => rowStart == 0 ? (k == "k" ? "k * RowStride" : $"({k}) * RowStride") : $"({Int(rowStart)} + {k}) * RowStride";
        string Broadcast(int r, string k) =>
            $"{v}.Create({Unsafe}.Add(ref {Ref(source)}, {(r == 0 ? string.Empty : $"{Int(r)} * {sourceStride} + ")}{k}))";

        void Products(int partial, string broadcastPrefix, string rowOffset)
        {
            for (int j = 0; j < tiling.Group; j++)
            {
                for (int g = 0; g < names.Length; g++)
                {
                    string weight = $"{v}.LoadUnsafe(ref block{Int(j)}, (nuint)({rowOffset}{Int(gateIndex[g])} * Lanes))";
                    if (tiling.Sequences > 1)
                    {
                        string name = $"w{Int(j)}{names[g]}{(partial == 0 ? string.Empty : "_" + Int(partial))}";
                        _w.Line($"{v}<float> {name} = {weight};");
                        weight = name;
                    }

                    for (int r = 0; r < tiling.Sequences; r++)
                    {
                        string accumulator = $"acc{names[g]}{Int(j)}{Suffix(tiling, r)}{(partial == 0 ? string.Empty : "_" + Int(partial))}";
                        _w.Line($"{accumulator} = {VectorMath}.MultiplyAdd({broadcastPrefix}{Suffix(tiling, r)}, {weight}, {accumulator});");
                    }
                }
            }
        }

        void Tail(int k)
        {
            using (_w.Braces(string.Empty))
            {
                for (int r = 0; r < tiling.Sequences; r++)
                {
                    _w.Line($"{v}<float> t{Suffix(tiling, r)} = {Broadcast(r, Int(k))};");
                }

                Products(k - whole, "t", $"{Int(rowStart + k)} * RowStride + ");
            }
        }

        if (backwards)
        {
            for (int k = count - 1; k >= whole; k--)
            {
                Tail(k);
            }
        }

        if (whole > 0)
        {
            string loop = backwards
                ? $"for (int k = {Int(whole - sums)}; k >= 0; k -= {Int(sums)})"
                : $"for (int k = 0; k < {Int(whole)}; k += {Int(sums)})";
            using (_w.Braces(loop))
            {
                for (int p = 0; p < sums; p++)
                {
                    for (int r = 0; r < tiling.Sequences; r++)
                    {
                        _w.Line($"{v}<float> s{Int(p)}{Suffix(tiling, r)} = {Broadcast(r, p == 0 ? "k" : $"k + {Int(p)}")};");
                    }
                }

                for (int p = 0; p < sums; p++)
                {
                    Products(p, "s" + Int(p), Row(p == 0 ? "k" : $"k + {Int(p)}") + " + ");
                }
            }
        }

        if (!backwards)
        {
            for (int k = whole; k < count; k++)
            {
                Tail(k);
            }
        }
    }

    // The products over the inputs x, then the previous state h. When the weights do not fit in L1 the kernel can also
    // run them in the opposite order (h last to first, then x), so that a step that follows a forward one starts on the
    // rows still cached (measured on a hand-written fixed-size LSTM(64) step: 400 -> 297 ns).
    private void WriteInputAndStateProducts(LayerSpec s, string v, string[] xNames, string[] hNames, int[] gateIndex, Tiling tiling, int lanes)
    {
        int[] hIndex = gateIndex.Take(hNames.Length).ToArray();
        long bytes = 4L * RoundUp(s.Units, lanes) * (s.InputWidth + s.Units) * s.GateCount;
        if (bytes <= L1WeightBudget)
        {
            WriteProducts(v, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth);
            WriteProducts(v, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units);
            return;
        }

        using (_w.Braces("if (reverse)"))
        {
            WriteProducts(v, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units, backwards: true);
            WriteProducts(v, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth, backwards: true);
        }

        using (_w.Braces("else"))
        {
            WriteProducts(v, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth);
            WriteProducts(v, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units);
        }
    }

    // Weights up to this size stay in a 48 KiB L1 data cache from one step to the next whatever the order.
    private const long L1WeightBudget = 32 * 1024;

    /// <summary>A vector expression for a Keras activation of <paramref name="operand"/> (evaluated once).</summary>
    private static string Activation(string activation, string v, string operand)
    {
        string vf = v + "<float>";
        string c(float value) => $"{v}.Create({Float(value)})";
        switch (activation)
        {
            case "linear":
                return operand.Contains(' ') ? $"({operand})" : operand;
            case "tanh":
                return $"{VectorMath}.Tanh({operand})";
            case "sigmoid":
                return $"{VectorMath}.Sigmoid({operand})";
            case "exponential":
                return $"{VectorMath}.Exp({operand})";
            case "relu":
                return $"{v}.Max({operand}, {vf}.Zero)";
            case "relu6":
                return $"{v}.Min({v}.Max({operand}, {vf}.Zero), {c(6)})";
            case "hard_tanh":
                return $"{v}.Min({v}.Max({operand}, {c(-1)}), {vf}.One)";
            case "hard_sigmoid":
                // keras 3: relu6(x + 3) / 6
                return $"{v}.Min({v}.Max(({operand} + {c(3)}) / {c(6)}, {vf}.Zero), {vf}.One)";
            case "hard_sigmoid_keras2":
                return $"{v}.Min({v}.Max({VectorMath}.MultiplyAdd({operand}, {c(0.2f)}, {c(0.5f)}), {vf}.Zero), {vf}.One)";
        }

        // The rest use their operand more than once, so they go through a local function of the model class.
        return $"{ActivationHelperName(activation, v)}({operand})";
    }

    private static string ActivationHelperName(string activation, string v) =>
        ActivationCatalog.MemberName(activation) + "X" + v.Substring(v.Length - 3);

    /// <summary>Activations that need their operand twice, as small inlined helpers per vector width.</summary>
    private void WriteActivationHelpers()
    {
        var needed = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (LayerLayout layer in _layout.ComputeLayers)
        {
            foreach (string activation in new[] { layer.Spec.Activation, layer.Spec.RecurrentActivation ?? "linear" })
            {
                if (activation is "elu" or "selu" or "celu" or "softsign" or "silu" or "hard_silu" or "leaky_relu" or "softplus" or "mish" or "log_sigmoid")
                {
                    foreach (int lanes in layer.DistinctLanes)
                    {
                        needed.Add(activation + "|" + Int(lanes));
                    }
                }
            }
        }

        foreach (string entry in needed)
        {
            string activation = entry.Split('|')[0];
            string v = VectorType(int.Parse(entry.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture));
            string vf = v + "<float>";
            string c(float value) => $"{v}.Create({Float(value)})";
            string body = activation switch
            {
                "elu" or "celu" => $"{v}.ConditionalSelect({v}.GreaterThan(x, {vf}.Zero), x, {VectorMath}.Exp(x) - {vf}.One)",
                "selu" => $"{c(1.05070098735548049342f)} * {v}.ConditionalSelect({v}.GreaterThan(x, {vf}.Zero), x, {c(1.67326324235437728481f)} * ({VectorMath}.Exp(x) - {vf}.One))",
                "softsign" => $"x / ({v}.Abs(x) + {vf}.One)",
                "silu" => $"x * {VectorMath}.Sigmoid(x)",
                "hard_silu" => $"x * {v}.Min({v}.Max((x + {c(3)}) / {c(6)}, {vf}.Zero), {vf}.One)",
                "leaky_relu" => $"{v}.ConditionalSelect({v}.GreaterThanOrEqual(x, {vf}.Zero), x, x * {c(0.2f)})",
                // Not vectorized: rare in recurrent layers, computed lane by lane with the scalar Keras formula.
                _ => $"{VectorMath}.Map(x, global::RnnGen.Activations.{ActivationCatalog.MemberName(activation)})",
            };
            _w.Line(MethodImplInline);
            _w.Line($"private static {vf} {ActivationHelperName(activation, v)}({vf} x) => {body};");
            _w.Line();
        }
    }

    // One row of a Dense layer: y = act(x·W + b).
    private void WriteDenseKernel(LayerLayout layer, int lanes)
    {
        LayerSpec s = layer.Spec;
        string v = VectorType(lanes);
        _w.Line($"// One row of {s.Name} with {Int(lanes)}-float vectors: y = {s.Activation}(x·W + b) (Keras Dense.call).");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private static void {layer.Pascal}RowX{Int(lanes)}(ref float x, ref float y, ref float weights)"))
        {
            _w.Line($"const int Inputs = {Int(s.InputWidth)};");
            if (layer.DenseUsesRows)
            {
                _w.Line($"const int Units = {Int(s.Units)};");
                if (s.InputWidth >= 2 * lanes)
                {
                    _w.Line($"const int Lanes = {Int(lanes)};");
                }

                // Few outputs: a dot product per output, vectors along the inputs, the weights transposed by packing.
                int whole = s.InputWidth / lanes * lanes;
                using (_w.Braces("for (int j = 0; j < Units; j++)"))
                {
                    _w.Line($"ref float column = ref {Unsafe}.Add(ref weights, j * Inputs);");
                    _w.Line($"float sum = {Unsafe}.Add(ref weights, Units * Inputs + j); // bias");
                    if (whole > 0)
                    {
                        _w.Line($"{v}<float> acc0 = {v}<float>.Zero, acc1 = {v}<float>.Zero;");
                        int pairs = whole / (2 * lanes) * (2 * lanes);
                        if (pairs > 0)
                        {
                            using (_w.Braces($"for (int k = 0; k < {Int(pairs)}; k += 2 * Lanes)"))
                            {
                                _w.Line($"acc0 = {VectorMath}.MultiplyAdd({v}.LoadUnsafe(ref x, (nuint)k), {v}.LoadUnsafe(ref column, (nuint)k), acc0);");
                                _w.Line($"acc1 = {VectorMath}.MultiplyAdd({v}.LoadUnsafe(ref x, (nuint)(k + Lanes)), {v}.LoadUnsafe(ref column, (nuint)(k + Lanes)), acc1);");
                            }
                        }

                        if (whole > pairs)
                        {
                            _w.Line($"acc0 = {VectorMath}.MultiplyAdd({v}.LoadUnsafe(ref x, {Int(pairs)}), {v}.LoadUnsafe(ref column, {Int(pairs)}), acc0);");
                        }

                        _w.Line($"sum += {v}.Sum(acc0 + acc1);");
                    }

                    for (int k = whole; k < s.InputWidth; k++)
                    {
                        _w.Line($"sum += {Unsafe}.Add(ref x, {Int(k)}) * {Unsafe}.Add(ref column, {Int(k)});");
                    }

                    _w.Line(s.Activation is "linear" or "softmax"
                        ? $"{Unsafe}.Add(ref y, j) = sum;"
                        : $"{Unsafe}.Add(ref y, j) = {Activations}.{ActivationCatalog.MemberName(s.Activation)}(sum);");
                }
            }
            else
            {
                int blocks = RoundUp(s.Units, lanes) / lanes;
                int sums = 2;
                _w.Line($"const int Lanes = {Int(lanes)};");
                _w.Line($"const int Padded = {Int(blocks * lanes)};");
                using (_w.Braces($"for (int b = 0; b < {Int(blocks)}; b++)"))
                {
                    _w.Line($"ref float block = ref {Unsafe}.Add(ref weights, b * Lanes);");
                    _w.Line($"{v}<float> acc0 = {v}.LoadUnsafe(ref weights, (nuint)(Inputs * Padded + b * Lanes)); // bias");
                    _w.Line($"{v}<float> acc1 = {v}<float>.Zero;");
                    int whole = s.InputWidth / sums * sums;
                    if (whole > 0)
                    {
                        using (_w.Braces($"for (int k = 0; k < {Int(whole)}; k += 2)"))
                        {
                            _w.Line($"acc0 = {VectorMath}.MultiplyAdd({v}.Create({Unsafe}.Add(ref x, k)), {v}.LoadUnsafe(ref block, (nuint)(k * Padded)), acc0);");
                            _w.Line($"acc1 = {VectorMath}.MultiplyAdd({v}.Create({Unsafe}.Add(ref x, k + 1)), {v}.LoadUnsafe(ref block, (nuint)((k + 1) * Padded)), acc1);");
                        }
                    }

                    if (whole < s.InputWidth)
                    {
                        _w.Line($"acc0 = {VectorMath}.MultiplyAdd({v}.Create({Unsafe}.Add(ref x, {Int(whole)})), {v}.LoadUnsafe(ref block, {Int(whole)} * Padded), acc0);");
                    }

                    string result = s.Activation is "softmax" ? "acc0 + acc1" : Activation(s.Activation, v, "acc0 + acc1");
                    _w.Line($"{v}.StoreUnsafe({result}, ref y, (nuint)(b * Lanes));");
                }
            }
        }

        _w.Line();
    }
}
