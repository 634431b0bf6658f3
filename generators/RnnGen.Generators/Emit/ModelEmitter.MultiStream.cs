using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>The strides a multi-stream kernel reads: between two streams' states, and between two streams' inputs.</summary>
internal sealed record StreamStrides(int StateStride, int InputStride);

/// <summary>
/// The multi-stream API of causal models: <c>StepStreams</c> runs one timestep of N independent streams (N sensors, N
/// users of a server) in one call. Streams go through the layers in chunks of <see cref="BatchChunk"/>, so each
/// recurrent step is a matrix product that reads the weights once per chunk instead of once per stream, as the batch
/// Forward does for whole sequences; the streams that do not fill a chunk run one at a time with Step's kernels.
/// Each stream's state is <c>StreamStateLength</c> contiguous floats (per recurrent layer: h, then c for an LSTM, each
/// padded to whole vectors), held by the model (<c>ResetStreams</c>) or by the caller. The chunk kernels split and
/// order each stream's sums as Step's kernels do, and the call alternates the summation order as Step does, so N
/// streams stepped here give what N models stepped by Step give, bit for bit.
/// </summary>
internal sealed partial class ModelEmitter
{
    /// <summary>The floats of one stream's state: per recurrent layer h, then c for an LSTM, each padded.</summary>
    private int StreamStateLength => _layout.RecurrentLayers.Sum(l => StreamStateVectors(l) * PaddedUnits(l.Spec.Units));

    /// <summary>The constant that holds where a layer's h or c starts in one stream's state: <c>LstmStreamsHOffset</c>.</summary>
    private static string StreamsStateName(LayerLayout layer, CellBuffer buffer) => GeneratedNames.StreamsStateOffset(layer.Pascal, buffer);

    private static int StreamStateVectors(LayerLayout layer) => layer.Spec.Kind == LayerKind.Lstm ? 2 : 1;

    /// <summary>Where a recurrent layer's h starts in one stream's state (its c follows it).</summary>
    private int StreamStateOffset(LayerLayout layer)
    {
        int offset = 0;
        foreach (LayerLayout l in _layout.RecurrentLayers)
        {
            if (l == layer)
            {
                return offset;
            }

            offset += StreamStateVectors(l) * PaddedUnits(l.Spec.Units);
        }

        return offset;
    }

    // The working memory of one multi-stream call, in floats: the new states of a chunk (stride StreamStateLength), the
    // GRU gates of a chunk (3 x that), the two carries between Dense layers, the padded row of a Dense kernel.
    private (int HNext, int Gates, int CarryA, int CarryB, int DenseRow, int Length) StreamScratchLayout()
    {
        int hNext = 0;
        int gates = hNext + BatchChunk * StreamStateLength;
        bool hasGates = _layout.RecurrentLayers.Any(l => l.CellBuffers.Contains(CellBuffer.Gates));
        int carryA = gates + (hasGates ? 3 * BatchChunk * StreamStateLength : 0);
        int carry = BatchChunk * _layout.ComputeLayers.Where(l => l.Spec.IsRowLayer).Select(l => l.Spec.OutputWidth).DefaultIfEmpty(0).Max();
        int carryB = carryA + carry;
        int denseRow = carryB + carry;
        int length = denseRow + _layout.ComputeLayers.Where(l => l.Spec.IsRowLayer).Select(l => PaddedUnits(l.Spec.OutputWidth)).DefaultIfEmpty(0).Max();
        return (hNext, gates, carryA, carryB, denseRow, length);
    }

    private void WriteMultiStreamApi()
    {
        if (!_layout.IsCausal)
        {
            return;
        }

        var scratch = StreamScratchLayout();
        _writer.Line("/// <summary>");
        _writer.Line("/// Floats of one stream's state in the multi-stream <c>StepStreams</c> calls that take the states from the caller: a");
        _writer.Line("/// server keeps <c>n * StreamStateLength</c> floats for n streams, stream i's state at <c>i * StreamStateLength</c>");
        _writer.Line("/// (all zeros starts a stream, like <see cref=\"ResetStates\"/>).");
        _writer.Line("/// </summary>");
        _writer.Line($"public const int StreamStateLength = {Int(StreamStateLength)};");
        _writer.Line();
        _writer.Line($"// Working memory of StepStreams: {Int(BatchChunk)} streams' new states, GRU gates, Dense carries and the padded Dense row.");
        _writer.Line($"private const int StreamHNextOffset = {Int(scratch.HNext)};");
        if (scratch.Gates != scratch.CarryA)
        {
            _writer.Line($"private const int StreamGatesOffset = {Int(scratch.Gates)};");
        }

        if (_layout.ComputeLayers.Any(l => l.Spec.IsRowLayer))
        {
            // (A model without row layers has no carries and no Dense row: three offsets equal to the length.)
            _writer.Line($"private const int StreamCarryAOffset = {Int(scratch.CarryA)};");
            _writer.Line($"private const int StreamCarryBOffset = {Int(scratch.CarryB)};");
            _writer.Line($"private const int StreamDenseRowOffset = {Int(scratch.DenseRow)};");
        }

        _writer.Line($"private const int StreamScratchLength = {Int(scratch.Length)};");
        _writer.Line();
        _writer.Line("// Where each recurrent layer's h (and an LSTM's c) starts in one stream's state.");
        foreach (LayerLayout layer in _layout.RecurrentLayers)
        {
            _writer.Line($"private const int {StreamsStateName(layer, CellBuffer.H)} = {Int(StreamStateOffset(layer))};");
            if (layer.Spec.Kind == LayerKind.Lstm)
            {
                _writer.Line($"private const int {StreamsStateName(layer, CellBuffer.C)} = {Int(StreamStateOffset(layer) + PaddedUnits(layer.Spec.Units))};");
            }
        }

        _writer.Line("private readonly float[] _streamScratch = new float[StreamScratchLength];");
        _writer.Line("private float[] _streamStates = global::System.Array.Empty<float>(); // the states of StepStreams without a states argument");
        _writer.Line("private bool _streamsReverse; // StepStreams alternates the summation order as Step does");
        _writer.Line("private float[][]? _streamWorkerScratch; // the parallel StepStreams' working memory, one array per worker");
        _writer.Line("private ParallelStreams? _parallelStreams; // its workers, made at its first call");
        _writer.Line();

        _writer.Line("/// <summary>The number of streams whose states the model holds for <c>StepStreams</c> without a states argument (set by <see cref=\"ResetStreams\"/>).</summary>");
        _writer.Line("public int StreamCount => _streamStates.Length / StreamStateLength;");
        _writer.Line();
        _writer.Line("/// <summary>");
        _writer.Line("/// Makes the model hold the states of <paramref name=\"streams\"/> streams, all starting from zeros, for the");
        _writer.Line("/// <c>StepStreams</c> overloads without a states argument. Allocates once when the count grows; a later call with the");
        _writer.Line("/// same count only clears the states.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"streams\">The number of independent streams.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"streams\"/> is negative.</exception>");
        using (_writer.Braces("public void ResetStreams(int streams)"))
        {
            _writer.Line("if (streams < 0)");
            _writer.Line("{");
            _writer.Line("    throw new global::System.ArgumentOutOfRangeException(nameof(streams), streams, \"The number of streams cannot be negative.\");");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("if (_streamStates.Length != streams * StreamStateLength)");
            _writer.Line("{");
            _writer.Line("    _streamStates = new float[streams * StreamStateLength];");
            _writer.Line("}");
            _writer.Line("else");
            _writer.Line("{");
            _writer.Line("    global::System.Array.Clear(_streamStates);");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("_streamsReverse = false;");
        }

        _writer.Line();
        if (!TensorsAreClasses)
        {
            _writer.Line("/// <summary>");
            _writer.Line("/// Steps <see cref=\"StreamCount\"/> independent streams by one timestep in one call, with the states the model holds");
            _writer.Line("/// (<see cref=\"ResetStreams\"/>): <c>outputs[i]</c> is what <see cref=\"Step(in InputStep, out OutputStep)\"/> would give for");
            _writer.Line("/// <c>inputs[i]</c> on a model holding stream i's state, bit for bit. The streams advance together, so each recurrent");
            _writer.Line("/// step is a matrix product that reads the weights once for several streams. Allocates nothing.");
            _writer.Line("/// </summary>");
            _writer.Line("/// <param name=\"inputs\">This timestep's features of each stream.</param>");
            _writer.Line("/// <param name=\"outputs\">Receives each stream's output for this timestep.</param>");
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The spans' lengths differ from <see cref=\"StreamCount\"/>.</exception>");
            _writer.Line(MethodImplHot);
            using (_writer.Braces("public void StepStreams(global::System.ReadOnlySpan<InputStep> inputs, global::System.Span<OutputStep> outputs)"))
            {
                _writer.Line($"StepStreams({MemoryMarshal}.Cast<InputStep, float>(inputs), {MemoryMarshal}.Cast<OutputStep, float>(outputs));");
            }

            _writer.Line();
            _writer.Line("/// <summary>");
            _writer.Line("/// Steps <c>inputs.Length</c> independent streams by one timestep, with states the caller keeps: stream i's state is");
            _writer.Line("/// <c>states[(i * StreamStateLength)..]</c>, read and updated in place (zeros start a stream). A server can so keep each");
            _writer.Line("/// user's state with the user and step any set of users together. Results equal Step's, bit for bit. Allocates nothing.");
            _writer.Line("/// </summary>");
            _writer.Line("/// <param name=\"inputs\">This timestep's features of each stream.</param>");
            _writer.Line("/// <param name=\"outputs\">Receives each stream's output for this timestep.</param>");
            _writer.Line("/// <param name=\"states\"><see cref=\"StreamStateLength\"/> floats per stream, updated in place.</param>");
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The spans do not hold the same number of streams.</exception>");
            _writer.Line(MethodImplHot);
            using (_writer.Braces("public void StepStreams(global::System.ReadOnlySpan<InputStep> inputs, global::System.Span<OutputStep> outputs, global::System.Span<float> states)"))
            {
                _writer.Line($"StepStreams({MemoryMarshal}.Cast<InputStep, float>(inputs), {MemoryMarshal}.Cast<OutputStep, float>(outputs), states);");
            }

            _writer.Line();
        }

        _writer.Line("/// <summary>");
        _writer.Line("/// Steps <see cref=\"StreamCount\"/> streams over spans, with the states the model holds: <c>inputs</c> holds");
        _writer.Line("/// <see cref=\"InputDim\"/> floats per stream, <c>outputs</c> receives <see cref=\"OutputDim\"/> per stream. Allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"inputs\">This timestep's features, stream after stream.</param>");
        _writer.Line("/// <param name=\"outputs\">Receives the outputs, stream after stream.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The spans do not hold <see cref=\"StreamCount\"/> streams.</exception>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"public void StepStreams({ReadOnlySpan} inputs, {Span} outputs)"))
        {
            _writer.Line("if (inputs.Length != StreamCount * InputDim)");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.StepStreams holds the states of {{StreamCount}} streams (ResetStreams), so it expects {{StreamCount}} x {{InputDim}} input floats, but the input has {{inputs.Length}}.\", nameof(inputs));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("StepStreams(inputs, outputs, _streamStates);");
        }

        _writer.Line();
        _writer.Line("/// <summary>");
        _writer.Line("/// Steps independent streams over spans with states the caller keeps: <c>inputs</c> holds <see cref=\"InputDim\"/>");
        _writer.Line("/// floats per stream, <c>outputs</c> receives <see cref=\"OutputDim\"/> per stream and <c>states</c> holds");
        _writer.Line("/// <see cref=\"StreamStateLength\"/> per stream, updated in place. Allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"inputs\">This timestep's features, stream after stream.</param>");
        _writer.Line("/// <param name=\"outputs\">Receives the outputs, stream after stream.</param>");
        _writer.Line("/// <param name=\"states\">The streams' states, stream after stream, updated in place.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is not a whole number of streams, or the spans hold different numbers of streams.</exception>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"public void StepStreams({ReadOnlySpan} inputs, {Span} outputs, {Span} states)"))
        {
            _writer.Line("int streams = StreamsOf(inputs.Length, outputs.Length, states.Length);");
            WriteTokenCheck("inputs", "1");
            WriteEnsurePacked();
            _writer.Line("bool reverse = _streamsReverse;");
            _writer.Line("_streamsReverse = !reverse;");
            _writer.Line("StepStreamChunks(inputs, outputs, states, 0, streams / BatchChunk, reverse, _streamScratch);");
            _writer.Line("for (int stream = streams / BatchChunk * BatchChunk; stream < streams; stream++)");
            _writer.Line("{");
            _writer.Line("    StepStreamOne(inputs, outputs, states, stream, reverse, _streamScratch);");
            _writer.Line("}");
        }

        _writer.Line();
        _writer.Line("// The number of streams in spans of these lengths; throws unless all three hold the same whole number of streams.");
        using (_writer.Braces("private static int StreamsOf(int inputs, int outputs, int states)"))
        {
            _writer.Line("int streams = inputs / InputDim;");
            _writer.Line("if (inputs != streams * InputDim)");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.StepStreams expects {{InputDim}} input floats per stream, but the input has {{inputs}}, not a multiple of {{InputDim}}.\", nameof(inputs));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("if (outputs != streams * OutputDim)");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.StepStreams writes {{OutputDim}} floats for each of the {{streams}} streams of the input, but the output has room for {{outputs}}.\", nameof(outputs));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("if (states != streams * StreamStateLength)");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.StepStreams keeps {{StreamStateLength}} state floats for each of the {{streams}} streams of the input, but the states span has {{states}}.\", nameof(states));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("return streams;");
        }

        _writer.Line();
        _writer.Line("/// <summary>");
        _writer.Line("/// <see cref=\"StepStreams(global::System.ReadOnlySpan{float}, global::System.Span{float}, global::System.Span{float})\"/> with the");
        _writer.Line($"/// chunks of {Int(BatchChunk)} streams spread over up to <paramref name=\"maxDegreeOfParallelism\"/> cores, each with its own working memory");
        _writer.Line("/// (allocated at the first such call; allocation-free once warm). The results are the one-core call's, bit for bit.");
        _writer.Line("/// Worth it for many streams of a large model; fewer than two chunks, or a degree of 1, run on the calling thread.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"inputs\">This timestep's features, stream after stream.</param>");
        _writer.Line("/// <param name=\"outputs\">Receives the outputs, stream after stream.</param>");
        _writer.Line("/// <param name=\"states\">The streams' states, stream after stream, updated in place.</param>");
        _writer.Line("/// <param name=\"maxDegreeOfParallelism\">The most cores to use; 1 runs on the calling thread.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The buffers do not hold the same whole number of streams, or the degree is not positive.</exception>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces("public void StepStreams(global::System.ReadOnlyMemory<float> inputs, global::System.Memory<float> outputs, global::System.Memory<float> states, int maxDegreeOfParallelism)"))
        {
            _writer.Line("if (maxDegreeOfParallelism < 1)");
            _writer.Line("{");
            _writer.Line("    throw new global::System.ArgumentException($\"maxDegreeOfParallelism must be at least 1, but is {maxDegreeOfParallelism}.\", nameof(maxDegreeOfParallelism));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("int streams = StreamsOf(inputs.Length, outputs.Length, states.Length);");
            WriteTokenCheck("inputs.Span", "1");
            _writer.Line("int chunks = streams / BatchChunk;");
            _writer.Line("int workers = global::System.Math.Min(maxDegreeOfParallelism, chunks);");
            _writer.Line("if (workers <= 1)");
            _writer.Line("{");
            _writer.Line("    StepStreams(inputs.Span, outputs.Span, states.Span);");
            _writer.Line("    return;");
            _writer.Line("}");
            _writer.Line();
            WriteEnsurePacked();
            _writer.Line("bool reverse = _streamsReverse;");
            _writer.Line("_streamsReverse = !reverse;");
            _writer.Line("ParallelStreams work = _parallelStreams ??= new ParallelStreams(this);");
            _writer.Line("work.Inputs = inputs;");
            _writer.Line("work.Outputs = outputs;");
            _writer.Line("work.States = states;");
            _writer.Line("work.Chunks = chunks;");
            _writer.Line("work.Reverse = reverse;");
            _writer.Line($"work.Scratch = {Support}.WorkerArrays(ref _streamWorkerScratch, workers, StreamScratchLength);");
            WriteRunWorkers("Inputs", "Outputs", "States");
            _writer.Line();
            _writer.Line("for (int stream = chunks * BatchChunk; stream < streams; stream++)");
            _writer.Line("{");
            _writer.Line("    StepStreamOne(inputs.Span, outputs.Span, states.Span, stream, reverse, _streamScratch);");
            _writer.Line("}");
        }

        _writer.Line();
        WriteParallelStreams();
        // A model that masks its input steps each stream by itself (StepStreamChunks): it has no chunk chain and no
        // multi-stream kernels.
        bool chunked = !MasksFromData;
        if (chunked)
        {
            WriteStreamsChain(chunk: true, scratch);
        }

        WriteStreamsChain(chunk: false, scratch);
        if (chunked)
        {
            foreach (LayerLayout layer in _layout.RecurrentLayers)
            {
                WriteStreamsCellDispatch(layer);
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteRecurrentKernel(layer, lanes, BatchChunk, new StreamStrides(StreamStateLength, StreamInputStride(layer)));
                }
            }
        }
    }

    // StepStreamChunks (chunks [firstChunk, endChunk)), the parallel call's workers and their working memory.
    private void WriteParallelStreams()
    {
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void StepStreamChunks({ReadOnlySpan} inputs, {Span} outputs, {Span} states, int firstChunk, int endChunk, bool reverse, float[] scratch)"))
        {
            if (MasksFromData)
            {
                // A masked stream keeps its states and skips its cells, which the chunk kernels would run: each stream
                // steps by itself, on the scratch of the thread that runs the chunk.
                _writer.Line($"// {MaskingLayer!.Name}: each stream steps by itself, skipping the cells of a masked step (the chunk kernels would run them).");
                _writer.Line("for (int stream = firstChunk * BatchChunk; stream < endChunk * BatchChunk; stream++)");
                _writer.Line("{");
                _writer.Line("    StepStreamOne(inputs, outputs, states, stream, reverse, scratch);");
                _writer.Line("}");
            }
            else
            {
                _writer.Line("for (int chunk = firstChunk; chunk < endChunk; chunk++)");
                _writer.Line("{");
                _writer.Line("    StepStreamChunk(inputs, outputs, states, chunk * BatchChunk, reverse, scratch);");
                _writer.Line("}");
            }
        }

        _writer.Line();
        _writer.Line("// One parallel StepStreams call: worker w steps chunks [chunks * w / workers, chunks * (w + 1) / workers) with its own scratch.");
        using (_writer.Braces("private sealed class ParallelStreams : global::RnnGen.ParallelWork"))
        {
            _writer.Line($"private readonly {Identifier(_spec.ClassName)} _model;");
            _writer.Line("internal global::System.ReadOnlyMemory<float> Inputs;");
            _writer.Line("internal global::System.Memory<float> Outputs;");
            _writer.Line("internal global::System.Memory<float> States;");
            _writer.Line("internal int Chunks;");
            _writer.Line("internal bool Reverse;");
            _writer.Line("internal float[][] Scratch = global::System.Array.Empty<float[]>();");
            _writer.Line();
            _writer.Line($"internal ParallelStreams({Identifier(_spec.ClassName)} model) => _model = model;");
            _writer.Line();
            _writer.Line("protected override void RunWorker(int worker, int workers) =>");
            _writer.Line("    _model.StepStreamChunks(Inputs.Span, Outputs.Span, States.Span, Chunks * worker / workers, Chunks * (worker + 1) / workers, Reverse, Scratch[worker]);");
        }

        _writer.Line();
    }

    private static string StreamsKernelName(LayerLayout layer, int lanes) => $"{layer.Pascal}CellStreamsX{Int(lanes)}";

    /// <summary>Floats from one stream's input of <paramref name="layer"/> to the next in the chain StepStreams runs.</summary>
    private int StreamInputStride(LayerLayout layer)
    {
        int stride = _spec.InputDim;
        foreach (LayerLayout l in _layout.ComputeLayers)
        {
            if (l == layer)
            {
                return stride;
            }

            stride = l.Spec.IsRowLayer ? l.Spec.OutputWidth : StreamStateLength;
        }

        return stride;
    }

    // StepStreamChunk (BatchChunk streams from `first`, with the multi-stream kernels) or StepStreamOne (stream `first`,
    // with Step's kernels): every layer in turn. A recurrent layer reads h and c from the states, writes the new h to
    // scratch (the kernel still reads the old h of later blocks), then copies it over the old one; the next layer reads
    // it there.
    /// <summary>A loop over the chunk's streams (<c>r</c>), or, for the one-stream method, nothing around its body.</summary>
    private SourceWriter.Block? EachStream(bool chunk) => chunk ? _writer.Braces("for (int r = 0; r < BatchChunk; r++)") : null;

    private void WriteStreamsChain(bool chunk, (int HNext, int Gates, int CarryA, int CarryB, int DenseRow, int Length) scratch)
    {
        // The chunk loops over its streams (r); the one-stream method writes each body once, for its only stream, at
        // offset 0 of the slices (a loop that would run once, as the issue on readable generated code asks, is not written).
        string Row(string stride) => chunk ? $"r * {stride}" : "0";
        // A stream's row plus a named offset; an offset of 0 is left out (the one-stream method's row is 0 too).
        string RowPlus(string stride, int offset, string name) => chunk ? (offset == 0 ? $"r * {stride}" : $"r * {stride} + {name}") : offset == 0 ? "0" : name;
        _writer.Line(chunk
            ? "// One timestep of BatchChunk streams from `first` through every layer, each recurrent step a matrix product across them."
            : MasksFromData
                ? "// One timestep of stream `first` through every layer, with Step's kernels."
                : "// One timestep of stream `first` through every layer, with Step's kernels (the streams that do not fill a chunk).");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {(chunk ? "StepStreamChunk" : "StepStreamOne")}({ReadOnlySpan} inputs, {Span} outputs, {Span} states, int first, bool reverse, float[] scratch)"))
        {
            string source = $"inputs.Slice(first * InputDim)";
            string sourceStride = "InputDim";
            int carry = 0;
            _writer.Line($"{Span} streamStates = states.Slice(first * StreamStateLength, {(chunk ? "BatchChunk * StreamStateLength" : "StreamStateLength")});");
            if (!chunk && MasksFromData)
            {
                _writer.Line($"bool kept = global::RnnGen.KerasMask.IsKept(inputs.Slice(first * InputDim, InputDim), {MaskValueLiteral}); // {MaskingLayer!.Name}");
            }
            for (int i = 0; i < _layout.ComputeLayers.Count; i++)
            {
                LayerLayout layer = _layout.ComputeLayers[i];
                LayerSpec s = layer.Spec;
                bool last = i == _layout.ComputeLayers.Count - 1;
                string p = layer.Pascal;
                string v = char.ToLowerInvariant(p[0]) + p.Substring(1);
                _writer.Line($"// {layer.Description}");
                if (s.IsRowLayer)
                {
                    string destination = last ? "outputs.Slice(first * OutputDim)" : $"{v}Out";
                    string destinationStride = last ? "OutputDim" : Int(s.OutputWidth);
                    if (!last)
                    {
                        _writer.Line($"{Span} {destination} = new {Span}(scratch, {(carry == 0 ? "StreamCarryAOffset" : "StreamCarryBOffset")}, {(chunk ? "BatchChunk * " : "")}{Int(s.OutputWidth)});");
                        carry ^= 1;
                    }

                    using (EachStream(chunk))
                    {
                        string rowSource = $"{source}.Slice({Row(sourceStride)}, {Int(s.InputWidth)})";
                        // One stream's destination is a whole carry span, or its row of the outputs.
                        string rowDestination = chunk ? $"{destination}.Slice(r * {destinationStride}, {Int(s.OutputWidth)})"
                            : last ? $"outputs.Slice(first * OutputDim, {Int(s.OutputWidth)})"
                            : destination;
                        _writer.Line(s.HasRowMethod
                            ? $"{p}Row({rowSource}, {rowDestination});"
                            : DenseRowCall(layer, rowSource, rowDestination, "scratch", "StreamDenseRowOffset"));
                    }

                    source = destination;
                    sourceStride = destinationStride;
                    continue;
                }

                int padded = PaddedUnits(s.Units);
                int offset = StreamStateOffset(layer);
                // The chunk's kernels take references to the first stream's buffers; the one-stream path calls the cell struct's Step.
                var buffers = new List<string>();
                foreach (CellBuffer buffer in layer.CellBuffers)
                {
                    bool inStates = buffer == CellBuffer.H || buffer == CellBuffer.C;
                    string at = inStates ? StreamsStateName(layer, buffer)
                        : buffer == CellBuffer.HNext ? "StreamHNextOffset"
                        : "StreamGatesOffset";
                    buffers.Add(chunk
                        ? $"ref {(inStates ? "streamStates" : "scratch")}[{at}]"
                        : inStates ? $"streamStates.Slice({at}, {Int(buffer.Vectors * padded)})"
                        : $"new {Span}(scratch, {at}, {Int(buffer.Vectors * padded)})");
                }

                string x = $"ref {MemoryMarshal}.GetReference({source})";
                string call = chunk
                    ? $"{p}CellStreams({x}, {string.Join(", ", buffers)}, {string.Join(", ", DistinctTiers.Select(t => PackedOffsetName(layer.Directions[0], t)))}, reverse);"
                    : CellCall(layer, layer.Directions[0], Pass.Single, x, buffers, "reverse");
                if (!chunk && MasksFromData)
                {
                    source = WriteMaskedStreamsStep(layer, call, last, RowPlus("StreamStateLength", offset, StreamsStateName(layer, CellBuffer.H)));
                    sourceStride = "StreamStateLength";
                    continue;
                }

                _writer.Line(call);
                using (EachStream(chunk))
                {
                    string hName = StreamsStateName(layer, CellBuffer.H);
                    string at = RowPlus("StreamStateLength", offset, hName);
                    string from = RowPlus("StreamStateLength", scratch.HNext, "StreamHNextOffset");
                    _writer.Line($"new {ReadOnlySpan}(scratch, {from}, {Int(padded)}).CopyTo({(at == "0" ? "streamStates" : $"streamStates.Slice({at})")});");
                    if (last)
                    {
                        _writer.Line($"streamStates.Slice({at}, {Int(s.Units)}).CopyTo(outputs.Slice({(chunk ? "(first + r)" : "first")} * OutputDim, OutputDim));");
                    }
                }

                source = offset == 0 ? "streamStates" : $"streamStates.Slice({StreamsStateName(layer, CellBuffer.H)})";
                sourceStride = "StreamStateLength";
            }
        }

        _writer.Line();
    }

    private void WriteStreamsCellDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { "ref float x" };
        parameters.AddRange(layer.CellBuffers.Select(b => "ref float " + b.Variable));
        parameters.AddRange(DistinctTiers.Select(t => "int packedOffset" + TierSuffix(t)));
        parameters.Add("bool reverse");
        _writer.Line($"// One timestep of {s.Name} for {Int(BatchChunk)} streams, with the kernel for this machine's vector width.");
        _writer.Line(MethodImplInline);
        using (_writer.Braces($"private void {layer.Pascal}CellStreams({string.Join(", ", parameters)})"))
        {
            _writer.Line($"ref float weights = ref {Support}.AlignedStart(_packed);");
            string common = string.Join(", ", new[] { "ref x" }.Concat(layer.CellBuffers.Select(b => "ref " + b.Variable)));
            WriteTierDispatch(_writer, layer, (tier, lanes) =>
                $"{Kernels}.{StreamsKernelName(layer, lanes)}({common}, ref {Unsafe}.Add(ref weights, packedOffset{TierSuffix(tier)}), reverse);");
        }

        _writer.Line();
    }
}
