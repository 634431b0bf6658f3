using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
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

    /// <summary>
    /// The kernels go to a class of their own (<see cref="KernelClassName"/>), file-local in the library's namespace
    /// <c>RnnGen.Generated</c>, where <c>using</c> directives name the types they use: no type the user declares can
    /// capture those names there, as dotnet/runtime's Regex generator does for its code. The model class, in the
    /// user's namespace, keeps <c>global::</c> names and calls the kernels through <see cref="Kernels"/>.
    /// </summary>
    private readonly SourceWriter _kernels = CreateKernelWriter();

    private const string KernelNamespace = "RnnGen.Generated";

    private const string KernelMethodImpl = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";

    private const string KernelMethodImplInline = "[MethodImpl(MethodImplOptions.AggressiveInlining)]";

    private string KernelClassName => _spec.ClassName + "Kernels";

    /// <summary>The kernel class as the model class names it.</summary>
    private string Kernels => $"global::{KernelNamespace}.{KernelClassName}";

    private static SourceWriter CreateKernelWriter()
    {
        var writer = new SourceWriter();
        writer.Indent(); // the namespace
        writer.Indent(); // the class
        return writer;
    }

    /// <summary>Writes the kernel class after the model class, in its own namespace with its own usings.</summary>
    private void WriteKernelClass()
    {
        _writer.Line();
        _writer.Line($"namespace {KernelNamespace}");
        _writer.OpenBrace();
        _writer.Line("using System;");
        _writer.Line("using System.Runtime.CompilerServices;");
        _writer.Line("using System.Runtime.InteropServices;");
        _writer.Line("using System.Runtime.Intrinsics;");
        _writer.Line("using RnnGen.Kernels;");
        _writer.Line();
        _writer.Line($"/// <summary>The SIMD kernels of {DisplayName} (one timestep of a layer, for one vector width, every size a constant), and the dispatch to the width this machine runs.</summary>");
        _writer.Line($"file static class {KernelClassName}");
        _writer.OpenBrace();
        _writer.Raw(_kernels.ToString().TrimEnd('\n') + "\n");
        _writer.CloseBrace();
        _writer.CloseBrace();
    }

    private static readonly string[] s_lstmGates = { "I", "F", "G", "O" };

    /// <summary>Sequences a batched kernel advances together: the batch API runs the batch in chunks of this many.</summary>
    internal const int BatchChunk = 4;

    /// <summary>
    /// How a kernel tiles its work: <c>BlocksPerGroup</c> unit blocks and <c>Sequences</c> sequences share each weight load and
    /// broadcast (their accumulators live in registers together), and each sum is split into <c>Partials</c>
    /// interleaved partial sums, so that at least eight independent FMA chains cover the FMA latency (4 cycles, 2 per
    /// cycle) without spilling registers: 16 accumulators with 512-bit vectors (32 registers), 12 otherwise (16 on x64),
    /// the rest holding weights and broadcasts (the activations' constants stay out: WriteActivationPhase).
    /// </summary>
    private readonly struct Tiling
    {
        /// <param name="blocks">Unit blocks of the layer.</param>
        /// <param name="chains">Accumulators a loop over the inputs updates, per block and sequence (the gates it sums).</param>
        /// <param name="registers">Accumulators alive per block and sequence (GRU keeps the candidate's input and recurrent sums apart).</param>
        /// <param name="lanes">Vector width in floats.</param>
        /// <param name="sequences">Sequences of the kernel: 1, or <see cref="BatchChunk"/> for the batch and multi-stream APIs.</param>
        /// <param name="partials">
        /// The partial sums to use instead of the best for this tile: the multi-stream kernels take those of the
        /// one-sequence kernel, so that each stream's sums run in Step's order and give Step's result bit for bit.
        /// </param>
        /// <param name="chainTarget">
        /// Independent FMA chains to aim for: 8 cover the FMA latency; more only add partial sums to clear and combine
        /// (aiming at 16 made GRU(16)'s Step 15% slower and no kernel measurably faster, docs/performance.md). The 8-lane
        /// kernels of a layer the 512-bit tier pairs (<see cref="HasGatePairs"/>) aim at 16: the paired kernel shares their
        /// partial sums, so that it gives their bits, with half their chains.
        /// </param>
        public Tiling(int blocks, int chains, int registers, int lanes, int sequences, int? partials = null, int chainTarget = 8)
        {
            int budget = lanes == 16 ? 16 : 12;
            int perSequence = registers * (partials ?? 1);
            int together = sequences;
            while (together > 1 && together * perSequence > budget)
            {
                together /= 2;
            }

            int group = 1;
            for (int g = 1; g <= blocks; g++)
            {
                if (blocks % g == 0 && g * together * perSequence <= budget && g * together * chains * (partials ?? 1) <= 16)
                {
                    group = g;
                }
            }

            int wanted = (chainTarget + group * together * chains - 1) / (group * together * chains);
            int affordable = System.Math.Max(1, budget / (group * together * registers));
            BlocksPerGroup = group;
            Sequences = together;
            SequenceGroups = sequences / together;
            Partials = partials ?? System.Math.Max(1, System.Math.Min(4, System.Math.Min(wanted, affordable)));
            GroupCount = blocks / group;
            InSequenceGroups = SequenceGroups > 1;
        }

        /// <summary>Unit blocks that share each weight load and broadcast.</summary>
        public int BlocksPerGroup { get; }

        public int Sequences { get; }

        public int SequenceGroups { get; }

        public int Partials { get; }

        /// <summary>Groups of blocks the kernel walks through: the blocks divided by <see cref="BlocksPerGroup"/>.</summary>
        public int GroupCount { get; }

        public bool Batched => Sequences > 1 || SequenceGroups > 1;

        /// <summary>
        /// The kernel runs its sequences in groups, each through refs rebased to the group
        /// (<see cref="SequenceGroupSuffix"/>); a second pass over the same groups says so with <c>with</c>.
        /// </summary>
        public bool InSequenceGroups { get; init; }

        /// <summary>The ref a kernel body reads for <paramref name="name"/>: rebased to the sequence group when there is one.</summary>
        public string Ref(string name) => InSequenceGroups ? name + SequenceGroupSuffix : name;
    }

    private static string KernelName(LayerLayout layer, int lanes, int sequences) =>
        $"{layer.Pascal}{(sequences == 1 ? "Cell" : "CellBatch")}X{Int(lanes)}";

    /// <param name="sequences">1 for the single-sequence kernel; <see cref="BatchChunk"/> for the batched one, which reads
    /// sequence r's input at r * XStride and its states at r * Padded (r * 3 * Padded for the GRU gates buffer).</param>
    /// <param name="streams">For the multi-stream kernel (ModelEmitter.MultiStream.cs): its strides between streams, and
    /// the one-sequence kernel's partial sums.</param>
    /// <param name="paired">The 512-bit tier's kernel over 8-lane blocks, two gates per register (<see cref="PairsGates"/>).</param>
    private void WriteRecurrentKernel(LayerLayout layer, int lanes, int sequences = 1, StreamStrides? streams = null, bool paired = false)
    {
        LayerSpec s = layer.Spec;
        string vector = VectorType(lanes);
        int gates = s.GateCount, blocks = RoundUp(s.Units, lanes) / lanes;
        int biasRows = LayerShapes.BiasRows(s.Kind, s.ResetAfter);
        var parameters = new List<string> { "ref float x" };
        parameters.AddRange(layer.CellBuffers.Select(b => "ref float " + KernelParameter(b)));
        parameters.Add("ref float weights");
        parameters.Add("bool reverse");
        string cell = s.Kind switch { LayerKind.SimpleRnn => "SimpleRNNCell", LayerKind.Lstm => "LSTMCell", _ => "GRUCell" };
        _kernelGates = gates;
        // GRU with reset_after=True holds one more accumulator than it has gates (the candidate's input and recurrent
        // sums stay apart: WriteGruResetAfterGroup). The GRU with reset_after=False holds z, r and x_h in its first pass;
        // WriteGruResetBeforeKernel tiles with the same numbers, so that both agree on how many sequences a pass takes.
        int registers = s.Kind == LayerKind.Gru && s.ResetAfter ? gates + 1 : gates;
        // See Tiling's chainTarget; a bfloat16 layer aims as the float32 one does, so that its sums run in the same order
        // (BFloat16WeightTests compares the two bit for bit).
        int target = lanes == 8 && HasGatePairs(layer) ? 16 : 8;
        var tiling = streams is null
            ? new Tiling(blocks, gates, registers, lanes, sequences, chainTarget: target)
            : new Tiling(blocks, gates, registers, lanes, sequences, new Tiling(blocks, gates, registers, lanes, 1, chainTarget: target).Partials, target);
        if (streams is not null)
        {
            _kernels.Line($"// One timestep of {s.Name} for {Int(sequences)} independent streams at once with {Int(lanes)}-float vectors (Keras {cell}.call):");
            _kernels.Line($"// each weight vector loaded once for {Int(tiling.Sequences)} streams, each stream's sums split and ordered as in {KernelName(layer, lanes, 1)},");
            _kernels.Line($"// so that every stream gets what Step gives it; units in {Int(blocks)} block(s) of {Int(lanes)}, {Int(tiling.BlocksPerGroup)} at a time.");
        }
        else if (paired)
        {
            _kernels.Line($"// One timestep of {s.Name} on 512-bit hardware (Keras {cell}.call): units in 1 block of 8, two gates per 512-bit register,");
            _kernels.Line($"// the same sums in the same order as {KernelName(layer, lanes, 1)} (so the same bits) with half its vector instructions.");
        }
        else if (sequences == 1)
        {
            _kernels.Line($"// One timestep of {s.Name} with {Int(lanes)}-float vectors (Keras {cell}.call): units in {Int(blocks)} block(s) of {Int(lanes)},");
            _kernels.Line($"// {Int(tiling.BlocksPerGroup)} block(s) at a time.");
        }
        else
        {
            _kernels.Line($"// One timestep of {s.Name} for {Int(sequences)} sequences at once with {Int(lanes)}-float vectors (Keras {cell}.call): the");
            _kernels.Line($"// recurrent product becomes a matrix product, each weight vector loaded once for {Int(tiling.Sequences)} sequences; units in");
            _kernels.Line($"// {Int(blocks)} block(s) of {Int(lanes)}, {Int(tiling.BlocksPerGroup)} at a time.");
        }

        _kernels.Line("// Weights in KernelPacking.PackRecurrent's order: packed[((block * (Inputs + Units) + k) * Gates + g) * Lanes + lane],");
        _kernels.Line("// then the bias rows of each block: [BiasStart + block * BiasStride + (row * Gates + g) * Lanes + lane] (Kernels/KernelPacking.cs).");
        WriteWeightPrecisionComment();
        _kernels.Line("// Each block's gate pre-activations are summed over the inputs and the previous state, then updated in registers.");
        _kernels.Line("// With reverse the work runs last to first: alternating the order from one step to the next starts each step on the");
        _kernels.Line("// weights the previous one left in the L1 cache.");
        _kernels.Line(KernelMethodImpl);
        string kernelName = paired ? PairedKernelName(layer) : streams is null ? KernelName(layer, lanes, sequences) : StreamsKernelName(layer, lanes);
        using (_kernels.Braces($"internal static void {kernelName}({string.Join(", ", parameters)})"))
        {
            _kernels.Line($"const int Inputs = {Int(s.InputWidth)};");
            _kernels.Line($"const int Units = {Int(s.Units)};");
            _kernels.Line($"const int Lanes = {Int(lanes)};");
            _kernels.Line($"const int Gates = {Int(gates)};");
            _kernels.Line($"const int RowStride = Gates * Lanes; // one input row of a block: every gate's {Int(lanes)} columns");
            _kernels.Line("const int BlockStride = (Inputs + Units) * RowStride;");
            _kernels.Line(BiasStartConstant(blocks));
            _kernels.Line($"const int BiasStride = {Int(biasRows)} * RowStride;");
            if (streams is not null)
            {
                _kernels.Line($"const int Padded = {Int(streams.StateStride)}; // floats from one stream's state to the next");
                _kernels.Line($"const int XStride = {Int(streams.InputStride)}; // floats from one stream's input to the next");
            }
            else if (tiling.Batched || s.Kind == LayerKind.Gru && !s.ResetAfter)
            {
                _kernels.Line($"const int Padded = {Int(PaddedUnits(s.Units))}; // state floats per sequence");
            }

            if (tiling.Batched && streams is null)
            {
                _kernels.Line($"const int XStride = {Int(layer.BatchInputStride())}; // input floats per sequence");
            }

            void Body()
            {
                if (s.Kind == LayerKind.Gru && !s.ResetAfter)
                {
                    WriteGruResetBeforeKernel(layer, lanes, blocks, sequences, streams is not null);
                    return;
                }

                WriteGroupLoop(tiling, () =>
                {
                    switch (s.Kind)
                    {
                        case LayerKind.SimpleRnn:
                            WriteSimpleRnnGroup(s, vector, tiling);
                            break;
                        case LayerKind.Lstm when paired:
                            WritePairedLstmGroup(s, tiling);
                            break;
                        case LayerKind.Lstm:
                            WriteLstmGroup(s, vector, tiling);
                            break;
                        case LayerKind.Gru when paired:
                            WritePairedGruResetAfterGroup(s, tiling);
                            break;
                        default:
                            WriteGruResetAfterGroup(s, vector, tiling);
                            break;
                    }
                });
            }

            if (tiling.SequenceGroups > 1)
            {
                // Fewer registers than the chunk needs: the chunk goes through in groups of sequences.
                using (_kernels.Braces($"for (int q = 0; q < {Int(sequences)}; q += {Int(tiling.Sequences)})"))
                {
                    _kernels.Line($"ref float x{SequenceGroupSuffix} = ref Unsafe.Add(ref x, q * XStride);");
                    foreach (CellBuffer buffer in layer.CellBuffers)
                    {
                        string name = KernelParameter(buffer);
                        _kernels.Line($"ref float {name}{SequenceGroupSuffix} = ref Unsafe.Add(ref {name}, q * {BufferLength(buffer)});");
                    }

                    Body();
                }
            }
            else
            {
                Body();
            }

            WriteOutOfLineActivationPhases();
        }

        _kernels.Line();
    }

    /// <summary>The suffix of the refs rebased to a group of sequences (xq, hPrevq, ...) in a loop over the groups.</summary>
    private const string SequenceGroupSuffix = "q";

    /// <summary>The kernel parameter of a cell buffer: the state the step reads is <c>hPrev</c>.</summary>
    private static string KernelParameter(CellBuffer buffer) => buffer == CellBuffer.H ? "hPrev" : buffer.Variable;

    // for each group of blocks (in reverse order when asked): refs to each block's weights and bias, then the body.
    private void WriteGroupLoop(Tiling tiling, System.Action body, bool reversible = true)
    {
        void References()
        {
            for (int j = 0; j < tiling.BlocksPerGroup; j++)
            {
                string index = j == 0 ? "first" : $"first + {Int(j)}";
                _kernels.Line(WeightBlockReference(j, index));
                _kernels.Line($"ref float bias{Int(j)} = ref Unsafe.Add(ref weights, BiasStart + ({index}) * BiasStride);");
            }
        }

        if (tiling.GroupCount == 1)
        {
            using (_kernels.Braces(string.Empty))
            {
                _kernels.Line("const int first = 0; // one group holds every block");
                References();
                body();
            }

            return;
        }

        using (_kernels.Braces($"for (int i = 0; i < {Int(tiling.GroupCount)}; i++)"))
        {
            _kernels.Line(reversible
                ? $"int first = (reverse ? {Int(tiling.GroupCount - 1)} - i : i) * {Int(tiling.BlocksPerGroup)}; // first block of this group"
                : $"int first = i * {Int(tiling.BlocksPerGroup)}; // first block of this group");
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

    private void WriteSimpleRnnGroup(LayerSpec s, string vector, Tiling tiling)
    {
        string[] z = { "Z" };
        _kernels.Line("// z = x·W + b + h·U");
        DeclareAccumulators(vector, z, tiling, (j, g) => $"{vector}.LoadUnsafe(ref bias{Int(j)})");
        WriteInputAndStateProducts(s, vector, z, z, new[] { 0 }, tiling, LanesOf(vector));
        CombineAccumulators(z, tiling);
        _kernels.Line($"// h = {s.Activation}(z)");
        WriteActivationPhase(tiling, vector, z, new[] { "hNext" }, (j, r, b) => new[]
        {
            $"{vector}.StoreUnsafe({Activation(s.Activation, $"accZ{b}")}, ref {tiling.Ref("hNext")}, {At(j, r)});",
        });
    }

    private void WriteLstmGroup(LayerSpec s, string vector, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        _kernels.Line("// z = x·W + h·U + b for the gate blocks i, f, c, o");
        DeclareAccumulators(vector, s_lstmGates, tiling, (j, g) => $"{vector}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
        WriteInputAndStateProducts(s, vector, s_lstmGates, s_lstmGates, new[] { 0, 1, 2, 3 }, tiling, LanesOf(vector));
        CombineAccumulators(s_lstmGates, tiling);
        _kernels.Line($"// i = {ra}(z_i), f = {ra}(z_f), o = {ra}(z_o); c = f*c + i*{act}(z_c); h = o*{act}(c)");
        WriteActivationPhase(tiling, vector, s_lstmGates, new[] { "c", "hNext" }, (j, r, b) => new[]
        {
            $"{vector}<float> cell{b} = VectorMath.MultiplyAdd({Activation(ra, $"accF{b}")}, {vector}.LoadUnsafe(ref {tiling.Ref("c")}, {At(j, r)}), {Activation(ra, $"accI{b}")} * {Activation(act, $"accG{b}")});",
            $"{vector}.StoreUnsafe(cell{b}, ref {tiling.Ref("c")}, {At(j, r)});",
            $"{vector}.StoreUnsafe({Activation(ra, $"accO{b}")} * {Activation(act, $"cell{b}")}, ref {tiling.Ref("hNext")}, {At(j, r)});",
        });
    }

    private void WriteGruResetAfterGroup(LayerSpec s, string vector, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        // Keras adds x·W_z + b_iz and h·U_z + b_rz before the sigmoid (and the same for r), so one accumulator sums both
        // for z and for r; only the candidate keeps x·W_h + b_ih and h·U_h + b_rh apart (r multiplies the second). Four
        // accumulators per block instead of six leave registers for more partial sums or sequences (Tiling).
        _kernels.Line("// reset_after=True, blocks z, r, h: z and r sum x·W + b_input + h·U + b_recurrent in one accumulator each;");
        _kernels.Line("// the candidate keeps x·W_h + b_input_h (XH) and h·U_h + b_recurrent_h (HH) apart");
        string[] xGates = { "Z", "R", "XH" }, hGates = { "Z", "R", "HH" };
        DeclareAccumulators(vector, xGates, tiling, (j, g) => g < 2
            ? $"{vector}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes) + {vector}.LoadUnsafe(ref bias{Int(j)}, RowStride + {Int(g)} * Lanes)"
            : $"{vector}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
        DeclareAccumulators(vector, new[] { "HH" }, tiling, (j, _) => $"{vector}.LoadUnsafe(ref bias{Int(j)}, RowStride + 2 * Lanes)");
        WriteInputAndStateProducts(s, vector, xGates, hGates, new[] { 0, 1, 2 }, tiling, LanesOf(vector));
        CombineAccumulators(new[] { "Z", "R", "XH", "HH" }, tiling);
        _kernels.Line($"// z = {ra}(x_z + h_z), r = {ra}(x_r + h_r), hh = {act}(x_h + r*h_h); h = z*h + (1-z)*hh");
        WriteActivationPhase(tiling, vector, new[] { "Z", "R", "XH", "HH" }, new[] { "hPrev", "hNext" }, (j, r, b) => new[]
        {
            $"{vector}<float> z{b} = {Activation(ra, $"accZ{b}")};",
            $"{vector}<float> candidate{b} = {Activation(act, $"VectorMath.MultiplyAdd({Activation(ra, $"accR{b}")}, accHH{b}, accXH{b})")};",
            $"{vector}.StoreUnsafe(z{b} * {vector}.LoadUnsafe(ref {tiling.Ref("hPrev")}, {At(j, r)}) + ({vector}<float>.One - z{b}) * candidate{b}, ref {tiling.Ref("hNext")}, {At(j, r)});",
        });
    }

    /// <summary>
    /// Whether the 512-bit tier's one-sequence kernel holds two gates per register. A layer of 5 to 8 units runs one block
    /// of 8 lanes on every tier but the 128-bit one (<see cref="LanesFor"/>: a 512-bit vector would be half empty), so at
    /// 512 bits the block's gates fill only half of each register. The packed order puts a row's gates side by side
    /// (<c>i f c o</c>, <c>z r h</c>: KernelPacking.PackRecurrent), so one 512-bit load reads two gates' columns of a row
    /// and one multiply-add updates both: an LSTM sums [i | f] and [c | o], a GRU with reset_after [z | r], which halves
    /// (LSTM) or nearly halves (GRU) the multiply-adds and weight loads of a step, and sigmoid on [i | f] or [z | r] is one
    /// evaluation instead of two. Each lane sums the same products in the same order as the 8-lane kernel, so the
    /// results are the same bits. Not for bfloat16 weights (packed in pairs of gates lane by lane already) nor GRU with
    /// reset_after=False (its two passes keep the 8-lane kernel).
    /// </summary>
    private bool PairsGates(LayerLayout layer, int sequences) => sequences == 1 && !WeightsInBFloat16 && HasGatePairs(layer);

    /// <summary>The layer's shape lets the 512-bit tier pair its gates (whatever its weights' precision): see <see cref="PairsGates"/>.</summary>
    private static bool HasGatePairs(LayerLayout layer) =>
        layer.Lanes[0] == 8 && (layer.Spec.Kind == LayerKind.Lstm || layer.Spec.Kind == LayerKind.Gru && layer.Spec.ResetAfter);

    private static string PairedKernelName(LayerLayout layer) => $"{layer.Pascal}CellX8Paired";

    private const string PairedVector = "Vector512";
    private const string HalfVector = "Vector256";

    private void WritePairedLstmGroup(LayerSpec s, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        string[] pairs = { "IF", "GO" };
        _kernels.Line("// z = x·W + h·U + b for the gate pairs [i | f] and [c | o], each in one register");
        DeclareAccumulators(PairedVector, pairs, tiling, (j, g) => $"{PairedVector}.LoadUnsafe(ref bias{Int(j)}, {Int(2 * g)} * Lanes)");
        WriteInputAndStateProducts(s, PairedVector, pairs, pairs, new[] { 0, 2 }, tiling, 8);
        CombineAccumulators(pairs, tiling);
        // The [c | o] pair takes act on its lower half and ra on its upper half: one evaluation when they are one function
        // or Keras's defaults (TanhSigmoidPair), else one per half.
        string CandidateAndOutput(string pair) => act == ra ? Activation(ra, pair)
            : act == "tanh" && ra == "sigmoid" ? $"TanhSigmoidPair.Invoke({pair})"
            : $"{PairedVector}.Create({Activation(act, pair + ".GetLower()")}, {Activation(ra, pair + ".GetUpper()")})";
        _kernels.Line($"// [i | f] = {ra}([z_i | z_f]), [g | o] = [{act}(z_c) | {ra}(z_o)]; c = f*c + i*g; h = o*{act}(c)");
        WriteActivationPhase(tiling, PairedVector, pairs, new[] { "c", "hNext" }, (j, r, b) => new[]
        {
            $"{PairedVector}<float> gatesIF{b} = {Activation(ra, $"accIF{b}")};",
            $"{PairedVector}<float> gatesGO{b} = {CandidateAndOutput($"accGO{b}")};",
            $"{HalfVector}<float> cell{b} = VectorMath.MultiplyAdd(gatesIF{b}.GetUpper(), {HalfVector}.LoadUnsafe(ref c, {At(j, r)}), gatesIF{b}.GetLower() * gatesGO{b}.GetLower());",
            $"{HalfVector}.StoreUnsafe(cell{b}, ref c, {At(j, r)});",
            $"{HalfVector}.StoreUnsafe(gatesGO{b}.GetUpper() * {Activation(act, $"cell{b}")}, ref hNext, {At(j, r)});",
        });
    }

    private void WritePairedGruResetAfterGroup(LayerSpec s, Tiling tiling)
    {
        string ra = s.RecurrentActivation!, act = s.Activation;
        _kernels.Line("// reset_after=True: [z | r] in one register sums x·W + b_input + h·U + b_recurrent for both gates; the candidate keeps");
        _kernels.Line("// x·W_h + b_input_h (XH) and h·U_h + b_recurrent_h (HH) apart, in 256-bit halves");
        string[] xNames = { "ZR", "XH" }, hNames = { "ZR", "HH" }, half = { "XH", "HH" };
        DeclareAccumulators(PairedVector, new[] { "ZR" }, tiling, (j, _) =>
            $"{PairedVector}.LoadUnsafe(ref bias{Int(j)}, 0 * Lanes) + {PairedVector}.LoadUnsafe(ref bias{Int(j)}, RowStride + 0 * Lanes)");
        DeclareAccumulators(HalfVector, new[] { "XH" }, tiling, (j, _) => $"{HalfVector}.LoadUnsafe(ref bias{Int(j)}, 2 * Lanes)");
        DeclareAccumulators(HalfVector, new[] { "HH" }, tiling, (j, _) => $"{HalfVector}.LoadUnsafe(ref bias{Int(j)}, RowStride + 2 * Lanes)");
        WriteProducts(PairedVector, xNames, new[] { 0, 2 }, tiling, "x", "XStride", 0, s.InputWidth, halfNames: half);
        WriteProducts(PairedVector, hNames, new[] { 0, 2 }, tiling, "hPrev", "Padded", s.InputWidth, s.Units, halfNames: half);
        CombineAccumulators(new[] { "ZR", "XH", "HH" }, tiling);
        _kernels.Line($"// [z | r] = {ra}([x_z + h_z | x_r + h_r]), hh = {act}(x_h + r*h_h); h = z*h + (1-z)*hh");
        WriteActivationPhase(tiling, PairedVector, new[] { "ZR", "XH", "HH" }, new[] { "hPrev", "hNext" }, (j, r, b) => new[]
        {
            $"{PairedVector}<float> gatesZR{b} = {Activation(ra, $"accZR{b}")};",
            $"{HalfVector}<float> z{b} = gatesZR{b}.GetLower();",
            $"{HalfVector}<float> candidate{b} = {Activation(act, $"VectorMath.MultiplyAdd(gatesZR{b}.GetUpper(), accHH{b}, accXH{b})")};",
            $"{HalfVector}.StoreUnsafe(z{b} * {HalfVector}.LoadUnsafe(ref hPrev, {At(j, r)}) + ({HalfVector}<float>.One - z{b}) * candidate{b}, ref hNext, {At(j, r)});",
        });
    }

    // reset_after=False needs r*h of every unit before any candidate: a first pass over the blocks computes z, r*h and
    // x·W_h + b_h into the gates buffer, a second the candidate and the new state.
    // With stepOrder (the multi-stream kernel) each pass keeps the partial sums of the one-sequence kernel's pass.
    private void WriteGruResetBeforeKernel(LayerLayout layer, int lanes, int blocks, int sequences, bool stepOrder = false)
    {
        LayerSpec s = layer.Spec;
        string vector = VectorType(lanes);
        string ra = s.RecurrentActivation!, act = s.Activation;
        int? firstPartials = stepOrder ? new Tiling(blocks, 3, 3, lanes, 1).Partials : null;
        int? secondPartials = stepOrder ? new Tiling(blocks, 1, 1, lanes, 1).Partials : null;
        var first = new Tiling(blocks, 3, 3, lanes, sequences, firstPartials);
        var second = new Tiling(blocks, 1, 1, lanes, first.Sequences, secondPartials) { InSequenceGroups = first.InSequenceGroups };
        _kernels.Line("// The gates buffer holds [z | r*h | x_h] for each sequence, each Padded floats.");
        _kernels.Line("// Pass 1: x·W + b for z, r, h; h·U for z and r only (Keras GRUCell.call, reset_after=False), z and r each");
        _kernels.Line("// in one accumulator over both products");
        WriteGroupLoop(first, () =>
        {
            string[] xGates = { "Z", "R", "XH" }, hGates = { "Z", "R" };
            DeclareAccumulators(vector, xGates, first, (j, g) => $"{vector}.LoadUnsafe(ref bias{Int(j)}, {Int(g)} * Lanes)");
            WriteProducts(vector, xGates, new[] { 0, 1, 2 }, first, "x", "XStride", 0, s.InputWidth);
            WriteProducts(vector, hGates, new[] { 0, 1 }, first, "hPrev", "Padded", s.InputWidth, s.Units);
            CombineAccumulators(xGates, first);
            _kernels.Line($"// z = {ra}(x_z + h·U_z), r = {ra}(x_r + h·U_r)");
            WriteActivationPhase(first, vector, xGates, new[] { "hPrev", "gates" }, (j, r, b) => new[]
            {
                $"{vector}.StoreUnsafe({Activation(ra, $"accZ{b}")}, ref {first.Ref("gates")}, {At(j, r, "3 * Padded")});",
                $"{vector}.StoreUnsafe({Activation(ra, $"accR{b}")} * {vector}.LoadUnsafe(ref {first.Ref("hPrev")}, {At(j, r)}), ref {first.Ref("gates")}, Padded + {At(j, r, "3 * Padded")});",
                $"{vector}.StoreUnsafe(accXH{b}, ref {first.Ref("gates")}, 2 * Padded + {At(j, r, "3 * Padded")});",
            }, "ActivateGates");
        }, reversible: false);

        _kernels.Line();
        _kernels.Line($"// Pass 2: hh = {act}(x_h + (r*h)·U_h); h = z*h + (1-z)*hh");
        _kernels.Line($"ref float {second.Ref("resetState")} = ref Unsafe.Add(ref {second.Ref("gates")}, Padded);");
        WriteGroupLoop(second, () =>
        {
            DeclareAccumulators(vector, new[] { "C" }, second, (j, g) => $"{vector}.LoadUnsafe(ref {second.Ref("gates")}, 2 * Padded + {At(j)})", (j, r) => $"{vector}.LoadUnsafe(ref {second.Ref("gates")}, 2 * Padded + {At(j, r, "3 * Padded")})");
            WriteProducts(vector, new[] { "C" }, new[] { 2 }, second, "resetState", "3 * Padded", s.InputWidth, s.Units);
            CombineAccumulators(new[] { "C" }, second);
            WriteActivationPhase(second, vector, new[] { "C" }, new[] { "hPrev", "hNext", "gates" }, (j, r, b) => new[]
            {
                $"{vector}<float> z{b} = {vector}.LoadUnsafe(ref {second.Ref("gates")}, {At(j, r, "3 * Padded")});",
                $"{vector}.StoreUnsafe(z{b} * {vector}.LoadUnsafe(ref {second.Ref("hPrev")}, {At(j, r)}) + ({vector}<float>.One - z{b}) * {Activation(act, $"accC{b}")}, ref {second.Ref("hNext")}, {At(j, r)});",
            });
        }, reversible: false);
        _kernels.Line("// reverse is unused: the two passes keep block order, as the second reads every block's r*h"); // no discard: a class may be named `_`
    }

    // Accumulators acc{gate}{block}[s{sequence}][_{partial}]; the first partial starts from `first` (the bias, or what
    // `firstOfSequence` gives for sequence r), the others from zero.
    private void DeclareAccumulators(string vector, string[] names, Tiling tiling, System.Func<int, int, string> first, System.Func<int, int, string>? firstOfSequence = null)
    {
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.BlocksPerGroup; j++)
            {
                for (int g = 0; g < names.Length; g++)
                {
                    for (int p = 0; p < tiling.Partials; p++)
                    {
                        string start = p > 0 ? vector + "<float>.Zero" : firstOfSequence is not null && r > 0 ? firstOfSequence(j, r) : first(j, g);
                        _kernels.Line($"{vector}<float> acc{names[g]}{Int(j)}{Suffix(tiling, r)}{(p == 0 ? string.Empty : "_" + Int(p))} = {start};");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes a group's activation phase, <paramref name="lines"/> for block j of sequence r (accumulator suffix b).
    /// A one-sequence kernel runs it in place. A batched kernel calls it as a local function of its own, out of line:
    /// NativeAOT's compiler loads the activations' vector constants into registers once, at the method's entry, so in
    /// the same method they would stay alive through the accumulation loops and push the accumulators of a chunk to the
    /// stack (LSTM(64) at batch 64: 2.7 ms against the JIT's 1.2 ms). Called once per group with every accumulator
    /// (none stays alive across the call, every vector register being caller-saved), it costs the JIT a few percent
    /// at most and saves it the LSTM chunk kernels' spills; docs/performance.md ("NativeAOT") has the figures.
    /// </summary>
    /// <param name="gates">The accumulators' gate names (acc{gate}{block}[s{sequence}]).</param>
    /// <param name="buffers">The state buffers the lines read or write, passed by ref (rebased to the sequence group).</param>
    /// <param name="name">The local function's name: a kernel with two passes names each.</param>
    private void WriteActivationPhase(
        Tiling tiling, string vector, string[] gates, string[] buffers, System.Func<int, int, string, string[]> lines, string name = "ActivateGroup")
    {
        var body = new List<string>();
        var accumulators = new List<string>();
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.BlocksPerGroup; j++)
            {
                string b = Int(j) + Suffix(tiling, r);
                accumulators.AddRange(gates.Select(gate => $"acc{gate}{b}"));
                body.AddRange(lines(j, r, b));
            }
        }

        if (!tiling.Batched)
        {
            foreach (string line in body)
            {
                _kernels.Line(line);
            }

            return;
        }

        string[] refs = buffers.Select(tiling.Ref).ToArray();
        _kernels.Line($"{name}({string.Join(", ", accumulators.Concat(refs.Select(r => "ref " + r)))}, first);");
        string parameters = string.Join(", ", accumulators.Select(a => $"{vector}<float> {a}").Concat(refs.Select(r => "ref float " + r)));
        _outOfLinePhases.Add((name, parameters, body));
    }

    private readonly List<(string Name, string Parameters, List<string> Body)> _outOfLinePhases = new();

    // The local functions WriteActivationPhase called, each once, at the end of the kernel's body.
    private void WriteOutOfLineActivationPhases()
    {
        foreach ((string name, string parameters, List<string> body) in _outOfLinePhases)
        {
            _kernels.Line();
            _kernels.Line("// The activation phase of a group, out of line: its vector constants stay out of the accumulation loops'");
            _kernels.Line("// registers under NativeAOT (ModelEmitter.WriteActivationPhase).");
            _kernels.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
            using (_kernels.Braces($"static void {name}({parameters}, int first)"))
            {
                foreach (string line in body)
                {
                    _kernels.Line(line);
                }
            }
        }

        _outOfLinePhases.Clear();
    }

    private void CombineAccumulators(string[] names, Tiling tiling)
    {
        for (int r = 0; r < tiling.Sequences; r++)
        {
            for (int j = 0; j < tiling.BlocksPerGroup; j++)
            {
                foreach (string name in names)
                {
                    string a = $"acc{name}{Int(j)}{Suffix(tiling, r)}";
                    if (tiling.Partials == 4)
                    {
                        _kernels.Line($"{a} = ({a} + {a}_1) + ({a}_2 + {a}_3);");
                    }
                    else if (tiling.Partials == 3)
                    {
                        _kernels.Line($"{a} = ({a} + {a}_1) + {a}_2;");
                    }
                    else if (tiling.Partials == 2)
                    {
                        _kernels.Line($"{a} += {a}_1;");
                    }
                }
            }
        }
    }

    // acc[g][block][sequence][p] += source[k] * block's row k (of gate gateIndex[g]) over k in [0, count), rows from
    // rowStart; the k are dealt round-robin to the partial sums. Each weight vector is loaded once for every sequence of
    // the tile, each broadcast serves every block of the group. The accumulators are `vector`s but for `halfNames`,
    // vectors half as wide (a paired kernel's lone gate), which take the broadcast's lower half.
    private void WriteProducts(string vector, string[] names, int[] gateIndex, Tiling tiling, string source, string sourceStride, int rowStart, int count, bool backwards = false, string[]? halfNames = null)
    {
        string half = VectorType(LanesOf(vector) / 2);
        if (count == 0)
        {
            return;
        }

        int sums = tiling.Partials;
        int whole = count / sums * sums;
        string Row(string k) => rowStart == 0 ? (k == "k" ? "k * RowStride" : $"({k}) * RowStride") : $"({Int(rowStart)} + {k}) * RowStride";
        string Broadcast(int r, string k) =>
            $"{vector}.Create(Unsafe.Add(ref {tiling.Ref(source)}, {(r == 0 ? string.Empty : $"{Int(r)} * {sourceStride} + ")}{k}))";

        void Products(int partial, string broadcastPrefix, string rowOffset)
        {
            for (int j = 0; j < tiling.BlocksPerGroup; j++)
            {
                for (int g = 0; g < names.Length; g++)
                {
                    bool isHalf = halfNames is not null && halfNames.Contains(names[g]);
                    string weight = WeightLoad(isHalf ? half : vector, j, rowOffset, gateIndex[g]);
                    if (tiling.Sequences > 1)
                    {
                        string name = $"w{Int(j)}{names[g]}{(partial == 0 ? string.Empty : "_" + Int(partial))}";
                        _kernels.Line($"{(isHalf ? half : vector)}<float> {name} = {weight};");
                        weight = name;
                    }

                    for (int r = 0; r < tiling.Sequences; r++)
                    {
                        string accumulator = $"acc{names[g]}{Int(j)}{Suffix(tiling, r)}{(partial == 0 ? string.Empty : "_" + Int(partial))}";
                        string broadcast = broadcastPrefix + Suffix(tiling, r) + (isHalf ? ".GetLower()" : string.Empty);
                        _kernels.Line($"{accumulator} = VectorMath.MultiplyAdd({broadcast}, {weight}, {accumulator});");
                    }
                }
            }
        }

        void Tail(int k)
        {
            using (_kernels.Braces(string.Empty))
            {
                for (int r = 0; r < tiling.Sequences; r++)
                {
                    _kernels.Line($"{vector}<float> t{Suffix(tiling, r)} = {Broadcast(r, Int(k))};");
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

        if (whole == sums)
        {
            // One round of the loop below: written out, with the rows as numbers.
            using (_kernels.Braces(string.Empty))
            {
                for (int p = 0; p < sums; p++)
                {
                    for (int r = 0; r < tiling.Sequences; r++)
                    {
                        _kernels.Line($"{vector}<float> s{Int(p)}{Suffix(tiling, r)} = {Broadcast(r, Int(p))};");
                    }
                }

                for (int p = 0; p < sums; p++)
                {
                    Products(p, "s" + Int(p), $"{Int(rowStart + p)} * RowStride + ");
                }
            }
        }
        else if (whole > 0)
        {
            string loop = backwards
                ? $"for (int k = {Int(whole - sums)}; k >= 0; k -= {Int(sums)})"
                : $"for (int k = 0; k < {Int(whole)}; k += {Int(sums)})";
            using (_kernels.Braces(loop))
            {
                for (int p = 0; p < sums; p++)
                {
                    for (int r = 0; r < tiling.Sequences; r++)
                    {
                        _kernels.Line($"{vector}<float> s{Int(p)}{Suffix(tiling, r)} = {Broadcast(r, p == 0 ? "k" : $"k + {Int(p)}")};");
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
    private void WriteInputAndStateProducts(LayerSpec s, string vector, string[] xNames, string[] hNames, int[] gateIndex, Tiling tiling, int lanes)
    {
        int[] hIndex = gateIndex.Take(hNames.Length).ToArray();
        long bytes = 4L * RoundUp(s.Units, lanes) * (s.InputWidth + s.Units) * s.GateCount;
        if (bytes <= L1WeightBudget)
        {
            WriteProducts(vector, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth);
            WriteProducts(vector, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units);
            return;
        }

        using (_kernels.Braces("if (reverse)"))
        {
            WriteProducts(vector, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units, backwards: true);
            WriteProducts(vector, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth, backwards: true);
        }

        using (_kernels.Braces("else"))
        {
            WriteProducts(vector, xNames, gateIndex, tiling, "x", "XStride", 0, s.InputWidth);
            WriteProducts(vector, hNames, hIndex, tiling, "hPrev", "Padded", s.InputWidth, s.Units);
        }
    }

    // Weights up to this size stay in a 48 KiB L1 data cache from one step to the next whatever the order.
    private const long L1WeightBudget = 32 * 1024;

    /// <summary>
    /// A vector expression for a Keras activation of <paramref name="operand"/>: a call to the activation's operator in
    /// <c>RnnGen.Kernels</c> (<c>Kernels/Activations/</c>, one file per activation with its scalar and vector paths),
    /// which picks the vector width by overload; <c>linear</c> is the operand itself.
    /// </summary>
    private static string Activation(string activation, string operand) =>
        activation == "linear"
            ? (operand.Contains(' ') ? $"({operand})" : operand)
            : $"{ActivationCatalog.MemberName(activation)}Operator.Invoke({operand})";

    // One row of a Dense layer: y = act(x·W + b).
    private void WriteDenseKernel(LayerLayout layer, int lanes)
    {
        LayerSpec s = layer.Spec;
        string vector = VectorType(lanes);
        _kernels.Line($"// One row of {s.Name} with {Int(lanes)}-float vectors: y = {s.Activation}(x·W + b) (Keras Dense.call).");
        _kernels.Line(layer.DenseUsesRows
            ? "// Weights in KernelPacking.PackDenseRows's order: the kernel transposed, packed[j * Inputs + k], then the bias."
            : "// Weights in KernelPacking.PackDenseColumns's order: packed[k * Padded + j], each row padded to whole vectors, then the bias.");
        _kernels.Line(KernelMethodImpl);
        using (_kernels.Braces($"internal static void {layer.Pascal}RowX{Int(lanes)}(ref float x, ref float y, ref float weights)"))
        {
            _kernels.Line($"const int Inputs = {Int(s.InputWidth)};");
            if (layer.DenseUsesRows)
            {
                if (s.Units > 1)
                {
                    _kernels.Line($"const int Units = {Int(s.Units)};");
                }

                if (s.InputWidth >= 2 * lanes)
                {
                    _kernels.Line($"const int Lanes = {Int(lanes)};");
                }

                // Few outputs: a dot product per output, vectors along the inputs, the weights transposed by packing.
                // One output (a regression head) is written without the loop, with j as 0.
                int whole = s.InputWidth / lanes * lanes;
                int pairs = whole / (2 * lanes) * (2 * lanes);
                void DotProduct()
                {
                    _kernels.Line(s.Units == 1 ? "ref float column = ref weights;" : "ref float column = ref Unsafe.Add(ref weights, j * Inputs);");
                    _kernels.Line(s.Units == 1 ? "float sum = Unsafe.Add(ref weights, Inputs); // bias" : "float sum = Unsafe.Add(ref weights, Units * Inputs + j); // bias");
                    if (whole > 0)
                    {
                        // Two accumulators when there are pairs of vectors to sum, so that two FMA chains overlap.
                        _kernels.Line(pairs > 0
                            ? $"{vector}<float> acc0 = {vector}<float>.Zero, acc1 = {vector}<float>.Zero;"
                            : $"{vector}<float> acc0 = {vector}<float>.Zero;");
                        if (pairs == 2 * lanes)
                        {
                            // One pair: written out rather than a loop that runs once.
                            _kernels.Line($"acc0 = VectorMath.MultiplyAdd({vector}.LoadUnsafe(ref x), {vector}.LoadUnsafe(ref column), acc0);");
                            _kernels.Line($"acc1 = VectorMath.MultiplyAdd({vector}.LoadUnsafe(ref x, Lanes), {vector}.LoadUnsafe(ref column, Lanes), acc1);");
                        }
                        else if (pairs > 0)
                        {
                            using (_kernels.Braces($"for (int k = 0; k < {Int(pairs)}; k += 2 * Lanes)"))
                            {
                                _kernels.Line($"acc0 = VectorMath.MultiplyAdd({vector}.LoadUnsafe(ref x, (nuint)k), {vector}.LoadUnsafe(ref column, (nuint)k), acc0);");
                                _kernels.Line($"acc1 = VectorMath.MultiplyAdd({vector}.LoadUnsafe(ref x, (nuint)(k + Lanes)), {vector}.LoadUnsafe(ref column, (nuint)(k + Lanes)), acc1);");
                            }
                        }

                        if (whole > pairs)
                        {
                            _kernels.Line($"acc0 = VectorMath.MultiplyAdd({vector}.LoadUnsafe(ref x, {Int(pairs)}), {vector}.LoadUnsafe(ref column, {Int(pairs)}), acc0);");
                        }

                        _kernels.Line(pairs > 0 ? $"sum += {vector}.Sum(acc0 + acc1);" : $"sum += {vector}.Sum(acc0);");
                    }

                    for (int k = whole; k < s.InputWidth; k++)
                    {
                        _kernels.Line($"sum += Unsafe.Add(ref x, {Int(k)}) * Unsafe.Add(ref column, {Int(k)});");
                    }

                    string destination = s.Units == 1 ? "y" : "Unsafe.Add(ref y, j)";
                    _kernels.Line(s.Activation is "linear" or "softmax"
                        ? $"{destination} = sum;"
                        : $"{destination} = {Activations}.{ActivationCatalog.MemberName(s.Activation)}(sum);");
                }

                if (s.Units == 1)
                {
                    DotProduct();
                }
                else
                {
                    using (_kernels.Braces("for (int j = 0; j < Units; j++)"))
                    {
                        DotProduct();
                    }
                }
            }
            else
            {
                int blocks = RoundUp(s.Units, lanes) / lanes;
                int sums = 2;
                _kernels.Line($"const int Lanes = {Int(lanes)};");
                _kernels.Line($"const int Padded = {Int(blocks * lanes)};");
                using (_kernels.Braces($"for (int b = 0; b < {Int(blocks)}; b++)"))
                {
                    _kernels.Line($"ref float block = ref Unsafe.Add(ref weights, b * Lanes);");
                    _kernels.Line($"{vector}<float> acc0 = {vector}.LoadUnsafe(ref weights, (nuint)(Inputs * Padded + b * Lanes)); // bias");
                    _kernels.Line($"{vector}<float> acc1 = {vector}<float>.Zero;");
                    int whole = s.InputWidth / sums * sums;
                    if (whole > 0)
                    {
                        using (_kernels.Braces($"for (int k = 0; k < {Int(whole)}; k += 2)"))
                        {
                            _kernels.Line($"acc0 = VectorMath.MultiplyAdd({vector}.Create(Unsafe.Add(ref x, k)), {vector}.LoadUnsafe(ref block, (nuint)(k * Padded)), acc0);");
                            _kernels.Line($"acc1 = VectorMath.MultiplyAdd({vector}.Create(Unsafe.Add(ref x, k + 1)), {vector}.LoadUnsafe(ref block, (nuint)((k + 1) * Padded)), acc1);");
                        }
                    }

                    if (whole < s.InputWidth)
                    {
                        _kernels.Line($"acc0 = VectorMath.MultiplyAdd({vector}.Create(Unsafe.Add(ref x, {Int(whole)})), {vector}.LoadUnsafe(ref block, {Int(whole)} * Padded), acc0);");
                    }

                    string result = s.Activation is "softmax" ? "acc0 + acc1" : Activation(s.Activation, "acc0 + acc1");
                    _kernels.Line($"{vector}.StoreUnsafe({result}, ref y, (nuint)(b * Lanes));");
                }
            }
        }

        _kernels.Line();
    }
}
