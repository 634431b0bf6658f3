using System.Collections.Generic;
using System.Linq;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

internal sealed partial class ModelEmitter
{
    private string InputParameter => "in Input input";

    private string OutputParameter => TensorsAreClasses ? "Output output" : "out Output output";

    private string InputShapeText => $"[{Int(_spec.Timesteps)}, {Int(_spec.InputDim)}]";

    private void WriteForwardApi()
    {
        WriteForward(withInitialState: false);
        if (!TensorsAreClasses)
        {
            // Typed wiring: any fixed-size sequence of the same shape, such as another model's output sequence, is an input.
            _writer.Line("/// <summary>");
            _writer.Line($"/// Runs the model on any fixed-size sequence of shape {InputShapeText}, such as the <c>OutputSequence</c> of another generated model:");
            _writer.Line("/// the shapes are checked by the compiler (a sequence of another shape does not satisfy the constraint).");
            _writer.Line("/// </summary>");
            _writer.Line("/// <typeparam name=\"TInput\">A generated sequence type of this model's input shape.</typeparam>");
            _writer.Line("/// <param name=\"input\">The input sequence.</param>");
            _writer.Line("/// <param name=\"output\">Receives the outputs.</param>");
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">A hand-written <typeparamref name=\"TInput\"/> claims the shape but is not its size.</exception>");
            _writer.Line(MethodImplHot);
            _writer.Line($"public void Forward<TInput>(in TInput input, out Output output)");
            _writer.Line($"    where TInput : struct, global::RnnGen.Shapes.ITensor<{SizeType(_spec.Timesteps)}, {SizeType(_spec.InputDim)}>");
            using (_writer.Braces(string.Empty))
            {
                _writer.Line($"{Support}.RequireSameSize<TInput, Input>();");
                _writer.Line($"Forward(in {Unsafe}.As<TInput, Input>(ref {Unsafe}.AsRef(in input)), out output);");
            }
            _writer.Line();
        }

        if (_layout.InitialStateLayer is not null)
        {
            WriteForward(withInitialState: true);
        }
    }

    private void WriteForward(bool withInitialState, bool withMask = false)
    {
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on one input sequence {InputShapeText} and writes every output, in Keras call order, to <paramref name=\"output\"/>.");
        if (withMask)
        {
            _writer.Line("/// The recurrent layers skip the timesteps the mask marks false, as Keras does with a mask (docs/masking.md).");
        }

        _writer.Line("/// Allocates nothing and does no shape arithmetic: every size is a constant of this class.");
        if (_layout.IsStateful)
        {
            _writer.Line("/// Stateful layers start from the states the previous call left (a batch of one row) and store their final states.");
        }

        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"input\">The input sequence.</param>");
        if (withInitialState)
        {
            _writer.Line("/// <param name=\"initialState\">The initial states (Keras <c>initial_state</c>); they override stored states of a stateful layer, as in Keras 3.</param>");
        }

        if (withMask)
        {
            _writer.Line("/// <param name=\"mask\">One value per timestep: true for a timestep the recurrent layers read, false for one they skip (Keras <c>mask</c>).</param>");
        }

        _writer.Line("/// <param name=\"output\">Receives the outputs.</param>");
        if (withMask)
        {
            _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The mask does not have <see cref=\"Timesteps\"/> values; nothing is run.</exception>");
        }

        if (_layout.IsStateful)
        {
            _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
        }

        string initial = withInitialState ? (TensorsAreClasses ? "InitialState initialState, " : "in InitialState initialState, ") : string.Empty;
        string mask = withMask ? MaskParameter + ", " : string.Empty;
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"public void Forward({InputParameter}, {initial}{mask}{OutputParameter})"))
        {
            if (withMask)
            {
                _writer.Line($"{Support}.ValidateMask(mask, 1, Info);");
            }

            if (TensorsAreClasses)
            {
                _writer.Line("global::System.ArgumentNullException.ThrowIfNull(input);");
                if (withInitialState)
                {
                    _writer.Line("global::System.ArgumentNullException.ThrowIfNull(initialState);");
                }

                _writer.Line("global::System.ArgumentNullException.ThrowIfNull(output);");
            }
            else
            {
                _writer.Line($"{Unsafe}.SkipInit(out output);");
            }

            WriteTokenCheck(TensorsAreClasses ? "input.AsSpan()" : $"{Support}.AsReadOnlyFloats(in input)");
            if (_layout.IsStateful)
            {
                _writer.Line("BeginCall(1);");
            }

            var arguments = new List<string> { TensorsAreClasses ? "input.AsSpan()" : $"{Support}.AsReadOnlyFloats(in input)" };
            foreach (OutputLayout output in _layout.Outputs)
            {
                arguments.Add(TensorsAreClasses && output.IsSequence
                    ? $"output.{output.FieldName}.AsSpan()"
                    : $"{Support}.AsFloats(ref output.{output.FieldName})");
            }

            if (withInitialState && TensorsAreClasses)
            {
                // A class's fields have no guaranteed order in memory, so the states are gathered one by one.
                LayerLayout layer = _layout.InitialStateLayer!;
                _writer.Line($"{Span} rowState = new {Span}(_scratch, InitialStateOffset, {Int(layer.StateCount * layer.Spec.Units)});");
                for (int i = 0; i < layer.StateCount; i++)
                {
                    _writer.Line($"{Support}.AsReadOnlyFloats(in initialState.{layer.States[i].FieldName}).CopyTo(rowState.Slice({Int(i * layer.Spec.Units)}));");
                }
            }

            arguments.Add("_scratch");
            arguments.Add(withInitialState
                ? (TensorsAreClasses ? "rowState" : $"{Support}.AsReadOnlyFloats(in initialState)")
                : "default");
            arguments.Add("0");
            arguments.Add(withMask ? "mask" : "default");
            _writer.Line($"Run({string.Join(", ", arguments)});");
        }

        _writer.Line();
    }

    private void WritePredictApi()
    {
        WritePredict(withInitialState: false);
        if (_layout.InitialStateLayer is not null)
        {
            WritePredict(withInitialState: true);
        }
    }

    // withMask: the masked overload with initial states (WriteMaskedApi), Keras's layer(x, mask=..., initial_state=...).
    private void WritePredict(bool withInitialState, bool withMask = false)
    {
        string outputsText = string.Join(", ", _layout.Outputs.Select(o => o.KerasName + " " + (o.IsSequence ? $"[batch, {Int(_layout.Last.OutputRows())}, {Int(o.Width)}]" : $"[batch, {Int(o.Width)}]")));
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on a batch of sequences, <c>batch x {Int(_spec.Timesteps)} x {Int(_spec.InputDim)}</c> floats, and returns the outputs in Keras call");
        _writer.Line($"/// order, each flattened with the batch axis first: {outputsText}. Allocates the returned arrays; use <c>Forward</c> to allocate nothing.");
        if (withMask)
        {
            _writer.Line("/// The recurrent layers skip the timesteps the mask marks false, starting from the initial states (docs/masking.md); the");
            _writer.Line("/// sequences run one at a time.");
        }

        _writer.Line("/// </summary>");

        _writer.Line("/// <param name=\"input\">The sequences, batch first, row-major.</param>");
        if (withMask)
        {
            _writer.Line("/// <param name=\"mask\">Keras <c>mask</c> [batch, Timesteps], row-major: true for a timestep the recurrent layers read.</param>");
        }

        LayerLayout? initialLayer = _layout.InitialStateLayer;
        if (withInitialState)
        {
            _writer.Line($"/// <param name=\"initialState\">Keras <c>initial_state</c>: {string.Join(", ", initialLayer!.States.Select(s => s.KerasName.Replace("state_", string.Empty) + " [batch, " + Int(initialLayer.Spec.Units) + "]"))}.</param>");
        }

        _writer.Line(withMask
            ? "/// <returns>The outputs, as Keras returns them from the layers called with <c>mask</c> and <c>initial_state</c>.</returns>"
            : "/// <returns>The outputs, as Keras returns them from <c>model(input)</c>.</returns>");
        _writer.Line($"/// <exception cref=\"global::System.ArgumentException\">The input is not a positive multiple of {Int(_layout.InputLength)} floats{(withMask ? ", the mask does not have batch x <see cref=\"Timesteps\"/> values" : string.Empty)}{(withInitialState ? ", or the initial states do not fit the batch" : string.Empty)}.</exception>");
        if (_layout.IsStateful)
        {
            _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
        }

        string parameters = $"{ReadOnlySpan} input"
            + (withMask ? ", " + MaskParameter : string.Empty)
            + (withInitialState ? ", global::System.Collections.Generic.IReadOnlyList<float[]> initialState" : string.Empty);
        using (_writer.Braces($"public float[][] Predict({parameters})"))
        {
            _writer.Line($"int batch = {Support}.BatchSize(input.Length, Info);");
            WriteTokenCheck("input");
            if (withMask)
            {
                _writer.Line($"{Support}.ValidateMask(mask, batch, Info);");
            }

            if (withInitialState)
            {
                string names = string.Join(", ", initialLayer!.States.Select(s => $"\"{s.KerasName}\""));
                string widths = string.Join(", ", initialLayer.States.Select(_ => Int(initialLayer.Spec.Units)));
                _writer.Line($"{Support}.ValidateInitialState(initialState, batch, \"{_spec.ClassName}\", new[] {{ {names} }}, new[] {{ {widths} }});");
            }

            if (_layout.IsStateful)
            {
                _writer.Line("BeginCall(batch);");
            }

            WriteBatchOutputArrays();

            if (withInitialState)
            {
                // One state's width is also the stride between sequences in each initial-state array.
                _writer.Line($"const int stateWidth = {Int(initialLayer!.Spec.Units)};");
                _writer.Line($"{Span} rowState = new {Span}(_scratch, InitialStateOffset, {(initialLayer.StateCount == 1 ? "stateWidth" : $"{Int(initialLayer.StateCount)} * stateWidth")});");
            }

            if (!withInitialState)
            {
                // Chunks of sequences advance together through the batched kernels; the rest one at a time.
                _writer.Line($"RunMany(input, batch, {string.Join(", ", _layout.Outputs.Select(o => $"{o.VariableName}, {o.VariableName}Stride"))}, 0, batch / BatchChunk, _batchScratch, _scratch);");
                _writer.Line($"return new[] {{ {string.Join(", ", _layout.Outputs.Select(o => o.VariableName))} }};");
                return;
            }

            using (_writer.Braces("for (int b = 0; b < batch; b++)"))
            {
                var arguments = new List<string> { "input.Slice(b * InputLength, InputLength)" };
                arguments.AddRange(BatchOutputRows());
                arguments.Add("_scratch");

                if (withInitialState)
                {
                    for (int i = 0; i < initialLayer!.StateCount; i++)
                    {
                        string slot = i == 0 ? "0" : i == 1 ? "stateWidth" : $"{Int(i)} * stateWidth";
                        _writer.Line($"new {ReadOnlySpan}(initialState[{Int(i)}], b * stateWidth, stateWidth).CopyTo(rowState.Slice({slot}));");
                    }

                    arguments.Add("rowState");
                }
                else
                {
                    arguments.Add("default");
                }

                arguments.Add("b");
                arguments.Add(withMask ? "mask.Slice(b * Timesteps, Timesteps)" : "default");
                _writer.Line($"Run({string.Join(", ", arguments)});");
            }

            _writer.Line($"return new[] {{ {string.Join(", ", _layout.Outputs.Select(o => o.VariableName))} }};");
        }

        _writer.Line();
    }

    private void WriteStateApi()
    {
        _writer.Line("/// <summary>");
        if (_layout.IsStateful)
        {
            _writer.Line("/// Forgets the states stored by the stateful layers and the batch size they were stored for (Keras <c>reset_states()</c>),");
            _writer.Line($"/// {(_layout.IsCausal ? "and the streaming state of <c>Step</c>, " : string.Empty)}so that the next call starts from zeros.");
        }
        else if (_layout.IsCausal)
        {
            _writer.Line("/// Starts a new stream: the next <c>Step</c> starts from zero states (Keras <c>reset_states()</c>). <c>Forward</c> and");
            _writer.Line("/// <c>Predict</c> always start from zeros here, since no layer is stateful.");
        }
        else
        {
            _writer.Line("/// Keras <c>reset_states()</c>. This model has no stateful layer, so every call already starts from zeros.");
        }

        _writer.Line("/// </summary>");
        using (_writer.Braces("public void ResetStates()"))
        {
            if (_layout.IsStateful)
            {
                _writer.Line("_storedBatch = 0;");
                _writer.Line("global::System.Array.Clear(_storedStates);");
            }

            WriteStreamReset();
        }

        _writer.Line();
        if (!_layout.IsStateful)
        {
            return;
        }

        _writer.Line("// Keras fixes the batch size of a stateful layer at its first call; so does this model, until ResetStates().");
        using (_writer.Braces("private void BeginCall(int batch)"))
        {
            using (_writer.Braces("if (_storedBatch == 0)"))
            {
                _writer.Line("int length = checked(batch * StoredStateStride);");
                _writer.Line("if (_storedStates.Length < length)");
                _writer.Line("{");
                _writer.Line("    _storedStates = new float[length];");
                _writer.Line("}");
                _writer.Line();
                _writer.Line("_storedBatch = batch;");
            }

            _writer.Line("else if (_storedBatch != batch)");
            _writer.Line("{");
            _writer.Line($"    throw {Support}.StatefulBatchMismatch(\"{_spec.ClassName}\", _storedBatch, batch);");
            _writer.Line("}");
        }

        _writer.Line();
    }

    /// <summary>
    /// The result arrays of a batch <c>Predict</c>, one per output. The length of one sequence's output is named once:
    /// it is also the stride between sequences in the array.
    /// </summary>
    private void WriteBatchOutputArrays()
    {
        foreach (OutputLayout output in _layout.Outputs)
        {
            _writer.Line($"const int {output.VariableName}Stride = {Int(output.Length)};");
            _writer.Line($"float[] {output.VariableName} = new float[batch * {output.VariableName}Stride];");
        }
    }

    /// <summary>Sequence <c>b</c>'s row of each array of <see cref="WriteBatchOutputArrays"/>.</summary>
    private IEnumerable<string> BatchOutputRows() =>
        _layout.Outputs.Select(o => $"new {Span}({o.VariableName}, b * {o.VariableName}Stride, {o.VariableName}Stride)");
}
