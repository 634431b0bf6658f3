using System.Linq;
using RnnGen.Generators.Model;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The streaming API of causal models (no Bidirectional, no go_backwards): <c>Step</c> runs one timestep through every
/// layer and keeps each recurrent layer's state for the next call, as a real-time caller (audio at 48 kHz: 20.8 us
/// per sample) needs. A sequence fed step by step gives what <c>Forward</c> gives for it.
/// </summary>
internal sealed partial class ModelEmitter
{
    private void WriteStepApi()
    {
        if (!_layout.IsCausal)
        {
            return;
        }

        _writer.Line("/// <summary>");
        _writer.Line("/// Streaming: runs one timestep through every layer and keeps the recurrent states for the next call (Keras");
        _writer.Line("/// <c>stateful=True</c> with one timestep per call). After the steps of a whole sequence, <paramref name=\"output\"/> is");
        _writer.Line("/// what <c>Forward</c> returns for it (its last timestep, for a model that returns sequences). <see cref=\"ResetStates\"/>");
        _writer.Line("/// starts a new stream. Allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"input\">The features of this timestep.</param>");
        _writer.Line("/// <param name=\"output\">Receives the model output for this timestep.</param>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces("public void Step(in InputStep input, out OutputStep output)"))
        {
            _writer.Line($"{Unsafe}.SkipInit(out output);");
            _writer.Line($"StepCore({Support}.AsReadOnlyFloats(in input), {Support}.AsFloats(ref output));");
        }

        _writer.Line();
        _writer.Line($"/// <summary>Streaming from any fixed-size vector of {Int(_spec.InputDim)} floats, such as another streaming model's <c>OutputStep</c> (shapes checked by the compiler).</summary>");
        _writer.Line("/// <typeparam name=\"TInput\">A generated vector type of this model's input width.</typeparam>");
        _writer.Line("/// <param name=\"input\">The features of this timestep.</param>");
        _writer.Line("/// <param name=\"output\">Receives the model output for this timestep.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">A hand-written <typeparamref name=\"TInput\"/> claims the shape but is not its size.</exception>");
        _writer.Line(MethodImplHot);
        _writer.Line("public void Step<TInput>(in TInput input, out OutputStep output)");
        _writer.Line($"    where TInput : struct, global::RnnGen.Shapes.ITensor<{SizeType(_spec.InputDim)}>");
        using (_writer.Braces(string.Empty))
        {
            _writer.Line($"{Support}.RequireSameSize<TInput, InputStep>();");
            _writer.Line($"Step(in {Unsafe}.As<TInput, InputStep>(ref {Unsafe}.AsRef(in input)), out output);");
        }
        _writer.Line();
        _writer.Line("/// <summary>Streaming over spans: <see cref=\"Step(in InputStep, out OutputStep)\"/> with <see cref=\"InputDim\"/> floats in and <see cref=\"OutputDim\"/> out.</summary>");
        _writer.Line("/// <param name=\"input\">The <see cref=\"InputDim\"/> features of this timestep.</param>");
        _writer.Line("/// <param name=\"output\">Receives the <see cref=\"OutputDim\"/> outputs of this timestep.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"public void Step({ReadOnlySpan} input, {Span} output)"))
        {
            // The throws live in helpers so that this wrapper stays a few instructions (no message-building frame).
            _writer.Line("if (input.Length != InputDim)");
            _writer.Line("{");
            _writer.Line($"    {Support}.ThrowStepInputLength(\"{_spec.ClassName}\", InputDim, input.Length);");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("if (output.Length != OutputDim)");
            _writer.Line("{");
            _writer.Line($"    {Support}.ThrowStepOutputLength(\"{_spec.ClassName}\", OutputDim, output.Length);");
            _writer.Line("}");
            _writer.Line();
            _writer.Line("StepCore(input, output);");
        }

        _writer.Line();
        _writer.Line("// Each recurrent layer steps from its streaming state. The two state buffers swap roles on every call (the parity is");
        _writer.Line("// `reverse`), so no state is copied; the same parity alternates the kernels' weight order, which keeps the weights the");
        _writer.Line("// previous call read last in L1 when they do not all fit.");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void StepCore({ReadOnlySpan} input, {Span} output)"))
        {
            WriteTokenCheck("input", "1"); // before the parity flips, so a bad token leaves the states as they were
            WriteEnsurePacked();
            _writer.Line("bool reverse = _streamReverse;");
            _writer.Line("_streamReverse = !reverse;");
            WriteStepMask();
            string previous = "input";
            int carry = 0;
            for (int i = 0; i < _layout.ComputeLayers.Count; i++)
            {
                LayerLayout layer = _layout.ComputeLayers[i];
                LayerSpec s = layer.Spec;
                bool last = i == _layout.ComputeLayers.Count - 1;
                string p = layer.Pascal;
                _writer.Line($"// {layer.Description}");
                if (s.IsRowLayer)
                {
                    string destination = last ? "output" : $"step{p}";
                    if (!last)
                    {
                        _writer.Line($"{Span} {destination} = new {Span}(_scratch, Carry{(carry == 0 ? "A" : "B")}Offset, {Int(s.OutputWidth)});");
                        carry ^= 1;
                    }

                    _writer.Line(s.HasRowMethod ? $"{p}Row({previous}, {destination});" : DenseRowCall(layer, previous, destination, "_scratch", "DenseRowOffset"));
                    previous = destination;
                    continue;
                }

                // The two state buffers swap roles on every call; the other buffers stay where they are.
                int padded = PaddedUnits(s.Units);
                DirectionLayout direction = layer.Directions[0];
                foreach (CellBuffer buffer in layer.CellBuffers)
                {
                    string offset = direction.OffsetName(Placement.Stream, buffer);
                    string? swapped = buffer == CellBuffer.H ? direction.OffsetName(Placement.Stream, CellBuffer.HNext)
                        : buffer == CellBuffer.HNext ? direction.OffsetName(Placement.Stream, CellBuffer.H)
                        : null;
                    _writer.Line($"{Span} {StepVariable(layer, buffer)} = new {Span}(_scratch, {(swapped is null ? offset : $"reverse ? {swapped} : {offset}")}, {Int(buffer.Vectors * padded)});");
                }

                var buffers = layer.CellBuffers.Select(b => StepVariable(layer, b)).ToList();
                string cell = CellCall(layer, direction, Pass.Single, $"ref {MemoryMarshal}.GetReference({previous})", buffers, "reverse");
                string hNext = StepVariable(layer, CellBuffer.HNext);
                if (MasksFromData)
                {
                    previous = WriteMaskedStreamStep(layer, cell);
                }
                else
                {
                    _writer.Line(cell);
                    previous = $"{hNext}.Slice(0, {Int(s.Units)})";
                }

                if (last)
                {
                    _writer.Line($"{previous}.CopyTo(output);");
                }
            }
        }

        _writer.Line();
    }

    private static string StepVariable(LayerLayout layer, CellBuffer buffer) =>
        char.ToLowerInvariant(layer.Pascal[0]) + layer.Pascal.Substring(1) + buffer.Name;

    private void WriteStreamReset()
    {
        if (!_layout.IsCausal)
        {
            return;
        }

        foreach (LayerLayout layer in _layout.RecurrentLayers)
        {
            // The cell buffers of a direction are contiguous (DirectionLayout.AllocateCellBuffers).
            DirectionLayout direction = layer.Directions[0];
            CellBuffer last = layer.CellBuffers[layer.CellBuffers.Count - 1];
            int start = direction.Offset(Placement.Stream, CellBuffer.H);
            int end = direction.Offset(Placement.Stream, last) + last.Vectors * PaddedUnits(layer.Spec.Units);
            string buffers = string.Join(", ", layer.CellBuffers.Select(b => b.Vectors == 1 ? b.Variable : $"{b.Variable} ({Int(b.Vectors)} widths)"));
            _writer.Line($"new {Span}(_scratch, {direction.OffsetName(Placement.Stream, CellBuffer.H)}, {Int(end - start)}).Clear(); // {layer.Spec.Name}'s streaming state: {buffers}, {Int(PaddedUnits(layer.Spec.Units))} floats each");
        }

        _writer.Line("_streamReverse = false;");
    }
}
