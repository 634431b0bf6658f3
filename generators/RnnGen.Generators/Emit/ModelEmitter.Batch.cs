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
        _writer.Line($"// Working memory of the batch API: chunks of {Int(BatchChunk)} sequences (one array per worker when running on several cores).");
        _writer.Line($"private const int BatchChunk = {Int(BatchChunk)};");
        WriteCellBufferOffsets(Placement.Batch);

        if (ChainsLayers)
        {
            _writer.Line($"private const int BatchCarryAOffset = {Int(_layout.BatchCarryOffsets[0])};");
            _writer.Line($"private const int BatchCarryBOffset = {Int(_layout.BatchCarryOffsets[1])};");
        }

        if (HasDenseLayer)
        {
            _writer.Line($"private const int BatchDenseRowOffset = {Int(_layout.BatchDenseRowOffset)};");
        }

        _writer.Line($"private const int BatchScratchLength = {Int(_layout.BatchScratchLength)};");
        _writer.Line("private readonly float[] _batchScratch = new float[BatchScratchLength];");
        if (!TensorsAreClasses)
        {
            // The parallel overload's workers, made at its first call: their chunks' working memory, and for a model
            // that masks its input, their single sequences' too.
            _writer.Line("private float[][]? _workerScratch;");
            if (MasksFromData)
            {
                _writer.Line("private float[][]? _workerSequenceScratch;");
            }

            _writer.Line("private ParallelBatch? _parallelBatch; // the parallel batch overload's workers, made at its first call");
        }

        if (_layout.Outputs.Count > 1)
        {
            _writer.Line($"private readonly float[] _outputSink = new float[{Int(_layout.Outputs.Skip(1).Max(o => o.Length))}]; // Predict(input, output) discards all but the first output");
        }
        _writer.Line();
    }

    private IEnumerable<string> OutputParameters() => OutputParameters(Pass.Chunk, _layout.Outputs);

    private string OutputArguments(System.Func<OutputLayout, string> span, System.Func<OutputLayout, string> stride) =>
        string.Join(", ", _layout.Outputs.SelectMany(o => new[] { span(o), stride(o) }));

    private void WriteBatchApi()
    {
        if (!TensorsAreClasses)
        {
            _writer.Line("/// <summary>");
            _writer.Line("/// Runs the model on a batch of sequences: <c>outputs[i]</c> receives the outputs for <c>inputs[i]</c>. The sequences advance");
            _writer.Line($"/// through the timesteps {Int(BatchChunk)} at a time, so each recurrent step is a matrix product that reads the weights once for");
            _writer.Line("/// the chunk. Allocates nothing.");
            _writer.Line("/// </summary>");
            _writer.Line("/// <param name=\"inputs\">The input sequences.</param>");
            _writer.Line("/// <param name=\"outputs\">Receives the outputs, one per input.</param>");
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The spans differ in length.</exception>");
            if (_layout.IsStateful)
            {
                _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
            }

            _writer.Line(MethodImplHot);
            using (_writer.Braces($"public void Forward(global::System.ReadOnlySpan<Input> inputs, global::System.Span<Output> outputs)"))
            {
                WriteBatchChecks("inputs.Length", "outputs.Length");
                WriteTokenCheck($"{MemoryMarshal}.Cast<Input, float>(inputs)");
                if (_layout.Outputs.Count > 1)
                {
                    // An empty batch has no floats to slice at the later outputs' offsets.
                    using (_writer.Braces("if (inputs.IsEmpty)"))
                    {
                        _writer.Line("return;");
                    }

                    _writer.Line();
                }

                _writer.Line($"{Span} floats = {MemoryMarshal}.Cast<Output, float>(outputs);");
                _writer.Line($"RunMany({MemoryMarshal}.Cast<Input, float>(inputs), inputs.Length, {OutputArguments(o => OutputFieldSlice("floats", o), _ => "OutputFloats")}, 0, inputs.Length / BatchChunk, _batchScratch, _scratch);");
            }

            _writer.Line();
            _writer.Line("/// <summary>");
            _writer.Line("/// <see cref=\"Forward(global::System.ReadOnlySpan{Input}, global::System.Span{Output})\"/> with the chunks spread over up to");
            _writer.Line("/// <paramref name=\"maxDegreeOfParallelism\"/> cores, each with its own working memory (allocated at the first such call).");
            _writer.Line("/// Worth it for large batches; a batch of fewer than two chunks, or a degree of 1, runs on the calling thread. Allocation-free");
            _writer.Line("/// once warm, like the other overloads.");
            _writer.Line("/// </summary>");
            _writer.Line("/// <param name=\"inputs\">The input sequences.</param>");
            _writer.Line("/// <param name=\"outputs\">Receives the outputs, one per input.</param>");
            _writer.Line("/// <param name=\"maxDegreeOfParallelism\">The most cores to use; 1 runs on the calling thread.</param>");
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The buffers differ in length, or the degree is not positive.</exception>");
            _writer.Line(MethodImplHot);
            using (_writer.Braces($"public void Forward(global::System.ReadOnlyMemory<Input> inputs, global::System.Memory<Output> outputs, int maxDegreeOfParallelism)"))
            {
                _writer.Line("if (maxDegreeOfParallelism < 1)");
                _writer.Line("{");
                _writer.Line("    throw new global::System.ArgumentException($\"maxDegreeOfParallelism must be at least 1, but is {maxDegreeOfParallelism}.\", nameof(maxDegreeOfParallelism));");
                _writer.Line("}");
                _writer.Line();
                WriteBatchChecks("inputs.Length", "outputs.Length");
                WriteTokenCheck($"{MemoryMarshal}.Cast<Input, float>(inputs.Span)");
                _writer.Line("int chunks = inputs.Length / BatchChunk;");
                _writer.Line("int workers = global::System.Math.Min(maxDegreeOfParallelism, chunks);");
                _writer.Line("if (workers <= 1)");
                _writer.Line("{");
                _writer.Line("    Forward(inputs.Span, outputs.Span);");
                _writer.Line("    return;");
                _writer.Line("}");
                _writer.Line();
                _writer.Line("ForwardOnWorkers(inputs, outputs, chunks, workers);");
            }

            _writer.Line();
            _writer.Line("// Spreads the chunks over the workers with a ParallelWork kept from call to call, so that a parallel call allocates");
            _writer.Line("// nothing once warm (Parallel.For would allocate its tasks and a closure every time).");
            using (_writer.Braces("private void ForwardOnWorkers(global::System.ReadOnlyMemory<Input> inputs, global::System.Memory<Output> outputs, int chunks, int workers)"))
            {
                WriteEnsurePacked();
                _writer.Line("ParallelBatch work = _parallelBatch ??= new ParallelBatch(this);");
                _writer.Line("work.Inputs = inputs;");
                _writer.Line("work.Outputs = outputs;");
                _writer.Line("work.Chunks = chunks;");
                _writer.Line($"work.Scratch = {Support}.WorkerArrays(ref _workerScratch, workers, BatchScratchLength);");
                if (MasksFromData)
                {
                    _writer.Line($"work.SequenceScratch = {Support}.WorkerArrays(ref _workerSequenceScratch, workers, ScratchLength);");
                }

                WriteRunWorkers("Inputs", "Outputs");
                _writer.Line();
                _writer.Line("// The sequences that do not fill a chunk, one at a time.");
                _writer.Line($"{Span} rest = {MemoryMarshal}.Cast<Output, float>(outputs.Span);");
                _writer.Line($"RunMany({MemoryMarshal}.Cast<Input, float>(inputs.Span), inputs.Length, {OutputArguments(o => OutputFieldSlice("rest", o), _ => "OutputFloats")}, chunks, chunks, _batchScratch, _scratch);");
            }

            _writer.Line();
            _writer.Line(MasksFromData
                ? "// One parallel batch call: worker w runs chunks [chunks * w / workers, chunks * (w + 1) / workers) with its own scratch, a chunk with a masked step one sequence at a time."
                : "// One parallel batch call: worker w runs chunks [chunks * w / workers, chunks * (w + 1) / workers) with its own scratch.");
            using (_writer.Braces("private sealed class ParallelBatch : global::RnnGen.ParallelWork"))
            {
                _writer.Line($"private readonly {Identifier(_spec.ClassName)} _model;");
                _writer.Line("internal global::System.ReadOnlyMemory<Input> Inputs;");
                _writer.Line("internal global::System.Memory<Output> Outputs;");
                _writer.Line("internal int Chunks;");
                _writer.Line("internal float[][] Scratch = global::System.Array.Empty<float[]>();");
                if (MasksFromData)
                {
                    _writer.Line("internal float[][] SequenceScratch = global::System.Array.Empty<float[]>();");
                }
                _writer.Line();
                _writer.Line($"internal ParallelBatch({Identifier(_spec.ClassName)} model) => _model = model;");
                _writer.Line();
                using (_writer.Braces("protected override void RunWorker(int worker, int workers)"))
                {
                    _writer.Line($"{Span} floats = {MemoryMarshal}.Cast<Output, float>(Outputs.Span);");
                    string outputs = OutputArguments(o => OutputFieldSlice("floats", o), _ => "OutputFloats");
                    if (MasksFromData)
                    {
                        // RunMany up to the worker's last chunk: the sequences after the last whole chunk are the caller's.
                        _writer.Line("int end = Chunks * (worker + 1) / workers;");
                        _writer.Line($"_model.RunMany({MemoryMarshal}.Cast<Input, float>(Inputs.Span), end * BatchChunk, {outputs}, Chunks * worker / workers, end, Scratch[worker], SequenceScratch[worker]);");
                    }
                    else
                    {
                        _writer.Line($"_model.RunChunks({MemoryMarshal}.Cast<Input, float>(Inputs.Span), {outputs}, Chunks * worker / workers, Chunks * (worker + 1) / workers, Scratch[worker]);");
                    }
                }
            }

            _writer.Line();
            string fieldStarts = string.Join(", ", _layout.Outputs.Select(o => $"{o.FieldName} at {Int(OutputFieldOffset(o))}"));
            _writer.Line(_layout.Outputs.Count == 1
                ? "// Floats of one Output."
                : $"// Floats of one Output (its fields are laid out one after the other, in Keras order: {fieldStarts}).");
            _writer.Line($"private const int OutputFloats = {Int(_layout.Outputs.Sum(o => o.Length))};");
            _writer.Line();
        }

        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on a batch of sequences, <c>batch x {Int(_spec.Timesteps)} x {Int(_spec.InputDim)}</c> floats, writing the model output (Keras");
        _writer.Line($"/// <c>{_layout.Outputs[0].KerasName}</c>, {Int(_layout.Outputs[0].Length)} floats per sequence) to <paramref name=\"output\"/>; the batched, allocation-free");
        _writer.Line("/// counterpart of <see cref=\"Predict(global::System.ReadOnlySpan{float})\"/>.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"input\">The sequences, batch first, row-major.</param>");
        _writer.Line("/// <param name=\"output\">Receives batch x the output's floats.</param>");
        _writer.Line("/// <returns>The batch size.</returns>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"public int Predict({ReadOnlySpan} input, {Span} output)"))
        {
            _writer.Line($"int batch = {Support}.BatchSize(input.Length, Info);");
            WriteTokenCheck("input");
            OutputLayout main = _layout.Outputs[0];
            _writer.Line($"if (output.Length != batch * {Int(main.Length)})");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.Predict writes {{batch}} x {Int(main.Length)} floats for this input, but the output has room for {{output.Length}}.\", nameof(output));");
            _writer.Line("}");
            _writer.Line();
            if (_layout.IsStateful)
            {
                _writer.Line("BeginCall(batch);");
            }

            // Outputs other than the first (states, the backward output of merge None) go to a sink nobody reads.
            string Other(OutputLayout o) => o == main ? "output" : $"new {Span}(_outputSink, 0, {Int(o.Length)})";
            string Stride(OutputLayout o) => o == main ? Int(main.Length) : "0";
            _writer.Line($"RunMany(input, batch, {OutputArguments(Other, Stride)}, 0, batch / BatchChunk, _batchScratch, _scratch);");
            _writer.Line("return batch;");
        }

        _writer.Line();
    }

    /// <summary>
    /// Runs the prepared <c>work</c> on its workers, then clears its references to the caller's buffers
    /// (<paramref name="bufferFields"/>), whether or not a worker threw.
    /// </summary>
    private void WriteRunWorkers(params string[] bufferFields)
    {
        _writer.Line("try");
        _writer.Line("{");
        _writer.Line("    work.Run(workers);");
        _writer.Line("}");
        _writer.Line("finally");
        _writer.Line("{");
        _writer.Line("    // Hold no reference to the caller's buffers between calls.");
        foreach (string field in bufferFields)
        {
            _writer.Line($"    work.{field} = default;");
        }

        _writer.Line("}");
    }

    /// <summary>
    /// Where one output's field starts in an Output struct seen as floats (the fields in declaration order): the span
    /// itself for the first, a slice at the field's offset for the others.
    /// </summary>
    private string OutputFieldSlice(string floats, OutputLayout output)
    {
        int offset = OutputFieldOffset(output);
        return offset == 0 ? floats : $"{floats}.Slice({Int(offset)})";
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
        _writer.Line($"if ({outputs} != {inputs})");
        _writer.Line("{");
        _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.Forward needs one output per input, but has {{{outputs}}} outputs for {{{inputs}}} inputs.\", \"outputs\");");
        _writer.Line("}");
        _writer.Line();
        if (_layout.IsStateful)
        {
            _writer.Line($"BeginCall({inputs});");
        }
    }

    private void WriteBatchCompute()
    {
        // RunMany: whole chunks from firstChunk, then the remaining sequences one at a time.
        var parameters = new List<string> { $"{ReadOnlySpan} input", "int batch" };
        parameters.AddRange(OutputParameters());
        parameters.AddRange(new[] { "int firstChunk", "int endChunk", "float[] scratch", "float[] sequenceScratch" });
        _writer.Line("// Chunks [firstChunk, endChunk) of the batch, then every sequence from endChunk * BatchChunk on, one at a time;");
        _writer.Line("// scratch is the chunks' working memory, sequenceScratch the single sequences'.");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void RunMany({string.Join(", ", parameters)})"))
        {
            WriteEnsurePacked();
            var arguments = new List<string> { "input.Slice(b * InputLength, InputLength)" };
            arguments.AddRange(_layout.Outputs.Select(o => $"{o.VariableName}.Slice(b * {o.VariableName}Stride, {Int(o.Length)})"));
            arguments.Add("sequenceScratch");
            arguments.Add("default");
            arguments.Add("b");
            arguments.Add("default");
            string runOne = $"Run({string.Join(", ", arguments)});";
            string chunkArguments = OutputArguments(o => o.VariableName, o => o.VariableName + "Stride");
            if (MasksFromData)
            {
                // A chunk with no masked step computes what an all-true mask gives, so the chunk kernels run it; a chunk
                // with one runs its sequences one at a time, each skipping its own masked steps (the chunk kernels would
                // run them).
                _writer.Line($"// {MaskingLayer!.Name}: chunks none of whose timesteps is masked run through the chunk kernels; the others one sequence at a time.");
                using (_writer.Braces("for (int chunk = firstChunk; chunk < endChunk; chunk++)"))
                {
                    _writer.Line("int first = chunk * BatchChunk;");
                    using (_writer.Braces($"if (global::RnnGen.KerasMask.AllKept(input.Slice(first * InputLength, BatchChunk * InputLength), InputDim, {MaskValueLiteral}))"))
                    {
                        _writer.Line($"RunChunks(input, {chunkArguments}, chunk, chunk + 1, scratch);");
                        _writer.Line("continue;");
                    }

                    _writer.Line();
                    using (_writer.Braces("for (int b = first; b < first + BatchChunk; b++)"))
                    {
                        _writer.Line(runOne);
                    }
                }

                _writer.Line();
            }
            else
            {
                _writer.Line($"RunChunks(input, {chunkArguments}, firstChunk, endChunk, scratch);");
            }

            using (_writer.Braces("for (int b = endChunk * BatchChunk; b < batch; b++)"))
            {
                _writer.Line(runOne);
            }
        }

        _writer.Line();
        parameters = new List<string> { $"{ReadOnlySpan} input" };
        parameters.AddRange(OutputParameters());
        parameters.AddRange(new[] { "int firstChunk", "int endChunk", "float[] scratch" });
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void RunChunks({string.Join(", ", parameters)})"))
        {
            using (_writer.Braces("for (int chunk = firstChunk; chunk < endChunk; chunk++)"))
            {
                _writer.Line("int first = chunk * BatchChunk;");
                var arguments = new List<string> { "input.Slice(first * InputLength, BatchChunk * InputLength)" };
                arguments.AddRange(_layout.Outputs.SelectMany(o => new[] { $"{o.VariableName}.Slice(first * {o.VariableName}Stride)", $"{o.VariableName}Stride" }));
                arguments.Add("scratch");
                arguments.Add("first");
                _writer.Line($"RunChunk({string.Join(", ", arguments)});");
            }
        }

        _writer.Line();
        WriteDrivers(Pass.Chunk);
    }
}
