using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Batch inference: the batch runs in chunks of <see cref="BatchChunk"/> sequences that advance through the timesteps
/// together, so each recurrent step is a matrix product whose weights are read once per chunk instead of once per
/// sequence (LSTM(128) in docs/performance.md: 71% of one core's peak at batch 64, against 35% one sequence at a time).
/// Chunks can run on several cores, each worker with its own working memory; the last batch % 4 sequences run one at a
/// time.
/// </summary>
internal sealed partial class ModelEmitter
{
    private void WriteBatchStorage()
    {
        _w.Line($"// Working memory of the batch API: chunks of {Int(BatchChunk)} sequences (one array per worker when running on several cores).");
        _w.Line($"private const int BatchChunk = {Int(BatchChunk)};");
        foreach (LayerLayout layer in _layout.ComputeLayers.Where(l => l.Spec.IsRecurrent))
        {
            foreach (DirectionLayout direction in layer.Directions)
            {
                _w.Line($"private const int {direction.Pascal}BatchHOffset = {Int(direction.BatchHOffset)};");
                _w.Line($"private const int {direction.Pascal}BatchHNextOffset = {Int(direction.BatchHNextOffset)};");
                if (layer.Spec.Kind == LayerKind.Lstm)
                {
                    _w.Line($"private const int {direction.Pascal}BatchCOffset = {Int(direction.BatchCOffset)};");
                }

                if (layer.Spec.Kind == LayerKind.Gru && !layer.Spec.ResetAfter)
                {
                    _w.Line($"private const int {direction.Pascal}BatchGatesOffset = {Int(direction.BatchGatesOffset)};");
                }
            }
        }

        _w.Line($"private const int BatchCarryAOffset = {Int(_layout.BatchCarryOffsets[0])};");
        _w.Line($"private const int BatchCarryBOffset = {Int(_layout.BatchCarryOffsets[1])};");
        _w.Line($"private const int BatchDenseRowOffset = {Int(_layout.BatchDenseRowOffset)};");
        _w.Line($"private const int BatchScratchLength = {Int(_layout.BatchScratchLength)};");
        _w.Line("private readonly float[] _batchScratch = new float[BatchScratchLength];");
        _w.Line("private float[][]? _workerScratch;");
        if (!ByReference)
        {
            _w.Line("private ParallelBatch? _parallelBatch; // the parallel batch overload's workers, made at its first call");
        }

        if (_layout.Outputs.Count > 1)
        {
            _w.Line($"private readonly float[] _outputSink = new float[{Int(_layout.Outputs.Skip(1).Max(o => o.Length))}]; // Predict(input, output) discards all but the first output");
        }
        _w.Line();
    }

    private IEnumerable<string> OutputParameters() =>
        _layout.Outputs.SelectMany(o => new[] { $"{Span} {o.VariableName}", $"int {o.VariableName}Stride" });

    private string OutputArguments(System.Func<OutputLayout, string> span, System.Func<OutputLayout, string> stride) =>
        string.Join(", ", _layout.Outputs.SelectMany(o => new[] { span(o), stride(o) }));

    private void WriteBatchApi()
    {
        string outputsText = string.Join(", ", _layout.Outputs.Select(o => o.KerasName));
        if (!ByReference)
        {
            _w.Line("/// <summary>");
            _w.Line("/// Runs the model on a batch of sequences: <c>outputs[i]</c> receives the outputs for <c>inputs[i]</c>. The sequences advance");
            _w.Line($"/// through the timesteps {Int(BatchChunk)} at a time, so each recurrent step is a matrix product that reads the weights once for");
            _w.Line("/// the chunk. Allocates nothing.");
            _w.Line("/// </summary>");
            _w.Line("/// <param name=\"inputs\">The input sequences.</param>");
            _w.Line("/// <param name=\"outputs\">Receives the outputs, one per input.</param>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">The spans differ in length.</exception>");
            if (_layout.IsStateful)
            {
                _w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
            }

            _w.Line(MethodImplHot);
            using (_w.Braces($"public void Forward(global::System.ReadOnlySpan<Input> inputs, global::System.Span<Output> outputs)"))
            {
                WriteBatchChecks("inputs.Length", "outputs.Length");
                if (_layout.Outputs.Count > 1)
                {
                    // An empty batch has no floats to slice at the later outputs' offsets.
                    using (_w.Braces("if (inputs.IsEmpty)"))
                    {
                        _w.Line("return;");
                    }

                    _w.Line();
                }

                _w.Line($"{Span} floats = {MemoryMarshal}.Cast<Output, float>(outputs);");
                _w.Line($"RunMany({MemoryMarshal}.Cast<Input, float>(inputs), inputs.Length, {OutputArguments(o => $"floats.Slice({Int(OutputFieldOffset(o))})", _ => "OutputFloats")}, 0, inputs.Length / BatchChunk, _batchScratch);");
            }

            _w.Line();
            _w.Line("/// <summary>");
            _w.Line("/// <see cref=\"Forward(global::System.ReadOnlySpan{Input}, global::System.Span{Output})\"/> with the chunks spread over up to");
            _w.Line("/// <paramref name=\"maxDegreeOfParallelism\"/> cores, each with its own working memory (allocated at the first such call).");
            _w.Line("/// Worth it for large batches; a batch of fewer than two chunks, or a degree of 1, runs on the calling thread. Allocation-free");
            _w.Line("/// once warm, like the other overloads.");
            _w.Line("/// </summary>");
            _w.Line("/// <param name=\"inputs\">The input sequences.</param>");
            _w.Line("/// <param name=\"outputs\">Receives the outputs, one per input.</param>");
            _w.Line("/// <param name=\"maxDegreeOfParallelism\">The most cores to use; 1 runs on the calling thread.</param>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">The buffers differ in length, or the degree is not positive.</exception>");
            _w.Line(MethodImplHot);
            using (_w.Braces($"public void Forward(global::System.ReadOnlyMemory<Input> inputs, global::System.Memory<Output> outputs, int maxDegreeOfParallelism)"))
            {
                _w.Line("if (maxDegreeOfParallelism < 1)");
                _w.Line("{");
                _w.Line("    throw new global::System.ArgumentException($\"maxDegreeOfParallelism must be at least 1, but is {maxDegreeOfParallelism}.\", nameof(maxDegreeOfParallelism));");
                _w.Line("}");
                _w.Line();
                WriteBatchChecks("inputs.Length", "outputs.Length");
                _w.Line("int chunks = inputs.Length / BatchChunk;");
                _w.Line("int workers = global::System.Math.Min(maxDegreeOfParallelism, chunks);");
                _w.Line("if (workers <= 1)");
                _w.Line("{");
                _w.Line("    Forward(inputs.Span, outputs.Span);");
                _w.Line("    return;");
                _w.Line("}");
                _w.Line();
                _w.Line("ForwardOnWorkers(inputs, outputs, chunks, workers);");
            }

            _w.Line();
            _w.Line("// Spreads the chunks over the workers with a ParallelWork kept from call to call, so that a parallel call allocates");
            _w.Line("// nothing once warm (Parallel.For would allocate its tasks and a closure every time).");
            using (_w.Braces("private void ForwardOnWorkers(global::System.ReadOnlyMemory<Input> inputs, global::System.Memory<Output> outputs, int chunks, int workers)"))
            {
                _w.Line("ParallelBatch work = _parallelBatch ??= new ParallelBatch(this);");
                _w.Line("work.Inputs = inputs;");
                _w.Line("work.Outputs = outputs;");
                _w.Line("work.Chunks = chunks;");
                _w.Line("work.Scratch = WorkerScratch(workers);");
                _w.Line("try");
                _w.Line("{");
                _w.Line("    work.Run(workers);");
                _w.Line("}");
                _w.Line("finally");
                _w.Line("{");
                _w.Line("    // Hold no reference to the caller's buffers between calls.");
                _w.Line("    work.Inputs = default;");
                _w.Line("    work.Outputs = default;");
                _w.Line("}");
                _w.Line();
                _w.Line("// The sequences that do not fill a chunk, one at a time.");
                _w.Line($"{Span} rest = {MemoryMarshal}.Cast<Output, float>(outputs.Span);");
                _w.Line($"RunMany({MemoryMarshal}.Cast<Input, float>(inputs.Span), inputs.Length, {OutputArguments(o => $"rest.Slice({Int(OutputFieldOffset(o))})", _ => "OutputFloats")}, chunks, chunks, _batchScratch);");
            }

            _w.Line();
            _w.Line("// One parallel batch call: worker w runs chunks [chunks * w / workers, chunks * (w + 1) / workers) with its own scratch.");
            using (_w.Braces("private sealed class ParallelBatch : global::RnnGen.ParallelWork"))
            {
                _w.Line($"private readonly {Identifier(_spec.ClassName)} _model;");
                _w.Line("internal global::System.ReadOnlyMemory<Input> Inputs;");
                _w.Line("internal global::System.Memory<Output> Outputs;");
                _w.Line("internal int Chunks;");
                _w.Line("internal float[][] Scratch = global::System.Array.Empty<float[]>();");
                _w.Line();
                _w.Line($"internal ParallelBatch({Identifier(_spec.ClassName)} model) => _model = model;");
                _w.Line();
                using (_w.Braces("protected override void RunWorker(int worker, int workers)"))
                {
                    _w.Line($"{Span} floats = {MemoryMarshal}.Cast<Output, float>(Outputs.Span);");
                    _w.Line($"_model.RunChunks({MemoryMarshal}.Cast<Input, float>(Inputs.Span), {OutputArguments(o => $"floats.Slice({Int(OutputFieldOffset(o))})", _ => "OutputFloats")}, Chunks * worker / workers, Chunks * (worker + 1) / workers, Scratch[worker]);");
                }
            }

            _w.Line();
            _w.Line($"// Floats of one Output (its fields are laid out one after the other, in Keras order: {outputsText}).");
            _w.Line($"private const int OutputFloats = {Int(_layout.Outputs.Sum(o => o.Length))};");
            _w.Line();
        }

        _w.Line("/// <summary>");
        _w.Line($"/// Runs the model on a batch of sequences, <c>batch x {Int(_spec.Timesteps)} x {Int(_spec.InputDim)}</c> floats, writing the model output (Keras");
        _w.Line($"/// <c>{_layout.Outputs[0].KerasName}</c>, {Int(_layout.Outputs[0].Length)} floats per sequence) to <paramref name=\"output\"/>; the batched, allocation-free");
        _w.Line("/// counterpart of <see cref=\"Predict(global::System.ReadOnlySpan{float})\"/>.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"input\">The sequences, batch first, row-major.</param>");
        _w.Line("/// <param name=\"output\">Receives batch x the output's floats.</param>");
        _w.Line("/// <returns>The batch size.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        _w.Line(MethodImplHot);
        using (_w.Braces($"public int Predict({ReadOnlySpan} input, {Span} output)"))
        {
            _w.Line($"int batch = {Support}.BatchSize(input.Length, Info);");
            OutputLayout main = _layout.Outputs[0];
            _w.Line($"if (output.Length != batch * {Int(main.Length)})");
            _w.Line("{");
            _w.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.Predict writes {{batch}} x {Int(main.Length)} floats for this input, but the output has room for {{output.Length}}.\", nameof(output));");
            _w.Line("}");
            _w.Line();
            if (_layout.IsStateful)
            {
                _w.Line("BeginCall(batch);");
            }

            // Outputs other than the first (states, the backward output of merge None) go to a sink nobody reads.
            string Other(OutputLayout o) => o == main ? "output" : $"new {Span}(_outputSink, 0, {Int(o.Length)})";
            string Stride(OutputLayout o) => o == main ? Int(main.Length) : "0";
            _w.Line($"RunMany(input, batch, {OutputArguments(Other, Stride)}, 0, batch / BatchChunk, _batchScratch);");
            _w.Line("return batch;");
        }

        _w.Line();
    }

    private int OutputFieldOffset(OutputLayout output)
    {
        int offset = 0;
        foreach (OutputLayout o in _layout.Outputs)
        {
            if (o == output)
            {
                return offset;
            }

            offset += o.Length;
        }

        return offset;
    }

    private void WriteBatchChecks(string inputs, string outputs)
    {
        _w.Line($"if ({outputs} != {inputs})");
        _w.Line("{");
        _w.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.Forward needs one output per input, but has {{{outputs}}} outputs for {{{inputs}}} inputs.\", \"outputs\");");
        _w.Line("}");
        _w.Line();
        if (_layout.IsStateful)
        {
            _w.Line($"BeginCall({inputs});");
        }
    }

    private void WriteBatchCompute()
    {
        // RunMany: whole chunks from firstChunk, then the remaining sequences one at a time.
        var parameters = new List<string> { $"{ReadOnlySpan} input", "int batch" };
        parameters.AddRange(OutputParameters());
        parameters.AddRange(new[] { "int firstChunk", "int endChunk", "float[] scratch" });
        _w.Line("// Chunks [firstChunk, endChunk) of the batch, then every sequence from endChunk * BatchChunk on, one at a time.");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void RunMany({string.Join(", ", parameters)})"))
        {
            _w.Line($"RunChunks(input, {OutputArguments(o => o.VariableName, o => o.VariableName + "Stride")}, firstChunk, endChunk, scratch);");
            using (_w.Braces($"for (int b = endChunk * BatchChunk; b < batch; b++)"))
            {
                var arguments = new List<string> { $"input.Slice(b * {Int(_layout.InputLength)}, {Int(_layout.InputLength)})" };
                arguments.AddRange(_layout.Outputs.Select(o => $"{o.VariableName}.Slice(b * {o.VariableName}Stride, {Int(o.Length)})"));
                arguments.Add("default");
                arguments.Add("b");
                _w.Line($"Run({string.Join(", ", arguments)});");
            }
        }

        _w.Line();
        parameters = new List<string> { $"{ReadOnlySpan} input" };
        parameters.AddRange(OutputParameters());
        parameters.AddRange(new[] { "int firstChunk", "int endChunk", "float[] scratch" });
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void RunChunks({string.Join(", ", parameters)})"))
        {
            using (_w.Braces("for (int chunk = firstChunk; chunk < endChunk; chunk++)"))
            {
                _w.Line("int first = chunk * BatchChunk;");
                var arguments = new List<string> { $"input.Slice(first * {Int(_layout.InputLength)}, BatchChunk * {Int(_layout.InputLength)})" };
                arguments.AddRange(_layout.Outputs.SelectMany(o => new[] { $"{o.VariableName}.Slice(first * {o.VariableName}Stride)", $"{o.VariableName}Stride" }));
                arguments.Add("scratch");
                arguments.Add("first");
                _w.Line($"RunChunk({string.Join(", ", arguments)});");
            }
        }

        _w.Line();
        WriteRunChunk();
        foreach (LayerLayout layer in _layout.ComputeLayers)
        {
            if (layer.Spec.Kind == LayerKind.Dense)
            {
                WriteDenseLayerBatch(layer);
            }
            else
            {
                WriteRecurrentLayerBatch(layer);
                WriteCellBatchDispatch(layer);
                foreach (int lanes in layer.DistinctLanes)
                {
                    WriteRecurrentKernel(layer, lanes, BatchChunk);
                }
            }
        }

        _w.Line("private float[][] WorkerScratch(int workers)");
        _w.Line("{");
        _w.Line("    float[][]? scratch = _workerScratch;");
        _w.Line("    if (scratch is null || scratch.Length < workers)");
        _w.Line("    {");
        _w.Line("        scratch = new float[workers][];");
        _w.Line("        for (int i = 0; i < workers; i++)");
        _w.Line("        {");
        _w.Line("            scratch[i] = new float[BatchScratchLength];");
        _w.Line("        }");
        _w.Line();
        _w.Line("        _workerScratch = scratch;");
        _w.Line("    }");
        _w.Line();
        _w.Line("    return scratch;");
        _w.Line("}");
        _w.Line();
    }

    private void WriteRunChunk()
    {
        var parameters = new List<string> { $"{ReadOnlySpan} input" };
        parameters.AddRange(OutputParameters());
        parameters.Add("float[] scratch");
        parameters.Add("int firstRow");
        _w.Line($"// One chunk of {Int(BatchChunk)} sequences through every layer: sequence r of the chunk is batch row firstRow + r.");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void RunChunk({string.Join(", ", parameters)})"))
        {
            string previous = "input", previousStride = Int(_layout.InputLength);
            int carry = 0;
            for (int i = 0; i < _layout.ComputeLayers.Count; i++)
            {
                LayerLayout layer = _layout.ComputeLayers[i];
                bool last = i == _layout.ComputeLayers.Count - 1;
                var arguments = new List<string> { previous, previousStride };
                if (last)
                {
                    foreach (OutputLayout o in _layout.Outputs.Where(o => !o.IsState))
                    {
                        arguments.Add(o.VariableName);
                        arguments.Add(o.VariableName + "Stride");
                    }
                }
                else
                {
                    int length = layer.OutputRows(_spec.Timesteps) * layer.Spec.OutputWidth;
                    string name = "carry" + (carry == 0 ? "A" : "B") + Int(i + 1);
                    _w.Line($"{Span} {name} = new {Span}(scratch, BatchCarry{(carry == 0 ? "A" : "B")}Offset, BatchChunk * {Int(length)});");
                    arguments.Add(name);
                    arguments.Add(Int(length));
                    previous = name;
                    previousStride = Int(length);
                    carry ^= 1;
                }

                arguments.Add("scratch");
                if (layer.Spec.IsRecurrent)
                {
                    arguments.Add("firstRow");
                }

                _w.Line($"{layer.Pascal}LayerBatch({string.Join(", ", arguments)});");
            }

            foreach (OutputLayout output in _layout.Outputs.Where(o => o.IsState))
            {
                StateLayout state = _layout.Last.States.First(s => s.FieldName == output.FieldName);
                string offset = state.Direction.Pascal + (state.IsCell ? "BatchCOffset" : "BatchHOffset");
                using (_w.Braces("for (int r = 0; r < BatchChunk; r++)"))
                {
                    _w.Line($"new {ReadOnlySpan}(scratch, {offset} + r * {Int(PaddedUnits(_layout.Last.Spec.Units))}, {Int(_layout.Last.Spec.Units)}).CopyTo({output.VariableName}.Slice(r * {output.VariableName}Stride));");
                }
            }
        }

        _w.Line();
    }

    private void WriteDenseLayerBatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        int rows = layer.InputRows(_spec.Timesteps);
        _w.Line($"// {layer.Description}, for each sequence of a chunk.");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void {layer.Pascal}LayerBatch({ReadOnlySpan} input, int inputStride, {Span} output, int outputStride, float[] scratch)"))
        {
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            using (_w.Braces("for (int q = 0; q < BatchChunk; q++)"))
            {
                using (_w.Braces($"for (int r = 0; r < {Int(rows)}; r++)"))
                {
                    _w.Line($"{layer.Pascal}Row(input.Slice(q * inputStride + r * InputWidth, InputWidth), output.Slice(q * outputStride + r * Units, Units), scratch, BatchDenseRowOffset);");
                }
            }
        }

        _w.Line();
    }

    private void WriteCellBatchDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        var parameters = new List<string> { "ref float x", "ref float h", "ref float hNext" };
        var arguments = new List<string> { "ref x", "ref h", "ref hNext" };
        if (s.Kind == LayerKind.Lstm)
        {
            parameters.Add("ref float c");
            arguments.Add("ref c");
        }

        if (s.Kind == LayerKind.Gru && !s.ResetAfter)
        {
            parameters.Add("ref float gates");
            arguments.Add("ref gates");
        }

        parameters.AddRange(Tiers.Select(t => "int packedOffset" + t.Bits));
        parameters.Add("bool reverse");
        _w.Line($"// One timestep of {s.Name} for a chunk of {Int(BatchChunk)} sequences, with the kernel for this machine's vector width.");
        _w.Line(MethodImplInline);
        using (_w.Braces($"private void {layer.Pascal}CellBatch({string.Join(", ", parameters)})"))
        {
            _w.Line($"ref float weights = ref {Support}.AlignedStart(_packed);");
            string common = string.Join(", ", arguments);
            WriteTierDispatch(layer, (tier, lanes) =>
                $"{KernelName(layer, lanes, BatchChunk)}({common}, ref {Unsafe}.Add(ref weights, packedOffset{Tiers[tier].Bits}), reverse);");
        }

        _w.Line();
    }

    private void WriteRecurrentLayerBatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        bool noneMerge = s.Bidirectional && s.MergeMode == MergeMode.None;
        var parameters = new List<string> { $"{ReadOnlySpan} input", "int inputStride", $"{Span} output", "int outputStride" };
        if (noneMerge)
        {
            parameters.Add($"{Span} backwardOutput");
            parameters.Add("int backwardOutputStride");
        }

        parameters.Add("float[] scratch");
        parameters.Add("int firstRow");
        int padded = PaddedUnits(s.Units);
        _w.Line($"// {layer.Description}, for a chunk of {Int(BatchChunk)} sequences advancing together (see {layer.Pascal}Layer for the semantics).");
        _w.Line(MethodImplHot);
        using (_w.Braces($"private void {layer.Pascal}LayerBatch({string.Join(", ", parameters)})"))
        {
            _w.Line($"const int InputWidth = {Int(s.InputWidth)};");
            _w.Line($"const int Units = {Int(s.Units)};");
            _w.Line($"const int Padded = {Int(padded)};");
            // A comment, not a discard: `_ = inputStride;` would not compile in a class named `_`.
            _w.Line($"// inputStride is always {Int(layer.BatchInputStride)}: the kernels have it as a constant");
            _w.Line($"ref float x = ref {MemoryMarshal}.GetReference(input);");
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
                    WriteDirectionBatch(layer, direction);
                }
            }

            if (!s.ReturnSequences)
            {
                _w.Line();
                _w.Line(s.Bidirectional ? "// The last outputs of both copies, merged." : "// return_sequences=False: only the last output.");
                using (_w.Braces("for (int r = 0; r < BatchChunk; r++)"))
                {
                    _w.Line($"{Span} row = output.Slice(r * outputStride);");
                    if (noneMerge)
                    {
                        _w.Line($"{Span} backwardRow = backwardOutput.Slice(r * backwardOutputStride);");
                    }

                    WriteStore(layer, null, 0, output: "row", backwardOutput: "backwardRow",
                        final: dd => $"new {ReadOnlySpan}(scratch, {layer.Directions[dd].Pascal}BatchHOffset + r * Padded, Units)");
                }
            }
        }

        _w.Line();
    }

    private void WriteDirectionBatch(LayerLayout layer, DirectionLayout direction)
    {
        LayerSpec s = layer.Spec;
        int u = s.Units;
        string p = direction.Pascal;
        _w.Line($"{Span} h = new {Span}(scratch, {p}BatchHOffset, BatchChunk * Padded);");
        _w.Line($"{Span} hNext = new {Span}(scratch, {p}BatchHNextOffset, BatchChunk * Padded);");
        _w.Line("h.Clear();");
        if (s.Kind == LayerKind.Lstm)
        {
            _w.Line($"{Span} c = new {Span}(scratch, {p}BatchCOffset, BatchChunk * Padded);");
            _w.Line("c.Clear();");
        }

        if (s.Kind == LayerKind.Gru && !s.ResetAfter)
        {
            _w.Line($"{Span} gates = new {Span}(scratch, {p}BatchGatesOffset, BatchChunk * 3 * Padded);");
        }

        List<StateLayout> states = layer.States.Where(st => st.Direction == direction).ToList();
        if (s.Stateful)
        {
            using (_w.Braces("for (int r = 0; r < BatchChunk; r++) // stateful: each sequence starts from the states its batch row stored"))
            {
                foreach (StateLayout state in states)
                {
                    int slot = layer.States.IndexOf(state);
                    _w.Line($"new {ReadOnlySpan}(_storedStates, (firstRow + r) * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units).CopyTo({(state.IsCell ? "c" : "h")}.Slice(r * Padded));");
                }
            }
        }

        _w.Line();
        bool backwards = direction.ReadsBackwards;
        using (_w.Braces("for (int step = 0; step < Timesteps; step++)"))
        {
            _w.Line(backwards ? "int t = Timesteps - 1 - step; // read from the end" : "int t = step;");
            var arguments = new List<string> { $"ref {Unsafe}.Add(ref x, t * InputWidth)", $"ref {MemoryMarshal}.GetReference(h)", $"ref {MemoryMarshal}.GetReference(hNext)" };
            if (s.Kind == LayerKind.Lstm)
            {
                arguments.Add($"ref {MemoryMarshal}.GetReference(c)");
            }

            if (s.Kind == LayerKind.Gru && !s.ResetAfter)
            {
                arguments.Add($"ref {MemoryMarshal}.GetReference(gates)");
            }

            arguments.AddRange(Enumerable.Range(0, Tiers.Length).Select(t => PackedOffsetName(direction, t)));
            arguments.Add("(step & 1) != 0");
            _w.Line($"{layer.Pascal}CellBatch({string.Join(", ", arguments)});");
            _w.Line($"{Span} read = h;");
            _w.Line("h = hNext; // the state just written is the one the next step reads");
            _w.Line("hNext = read;");
            if (s.ReturnSequences)
            {
                using (_w.Braces("for (int r = 0; r < BatchChunk; r++)"))
                {
                    bool none = s.Bidirectional && s.MergeMode == MergeMode.None;
                    _w.Line($"{Span} row = output.Slice(r * outputStride);");
                    if (none)
                    {
                        _w.Line($"{Span} backwardRow = backwardOutput.Slice(r * backwardOutputStride);");
                    }

                    WriteStore(layer, s.Bidirectional ? "t" : "step", direction.Index, h: "h.Slice(r * Padded, Units)", output: "row", backwardOutput: "backwardRow");
                }
            }
        }

        if (_spec.Timesteps % 2 == 1)
        {
            _w.Line($"h.CopyTo(new {Span}(scratch, {p}BatchHOffset, BatchChunk * Padded)); // an odd number of steps ends in the second buffer");
        }

        if (s.Stateful)
        {
            using (_w.Braces("for (int r = 0; r < BatchChunk; r++)"))
            {
                foreach (StateLayout state in states)
                {
                    int slot = layer.States.IndexOf(state);
                    _w.Line($"{(state.IsCell ? "c" : "h")}.Slice(r * Padded, Units).CopyTo(new {Span}(_storedStates, (firstRow + r) * StoredStateStride + {layer.Pascal}StoredOffset + {Int(slot * u)}, Units));");
                }
            }
        }
    }
}
