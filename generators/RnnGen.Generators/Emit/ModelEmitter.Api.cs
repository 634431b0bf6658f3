using System.Collections.Generic;
using System.Linq;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

internal sealed partial class ModelEmitter
{
    private string InputParameter => "in Input input";

    private string OutputParameter => ByReference ? "Output output" : "out Output output";

    private string InputShapeText => $"[{Int(_spec.Timesteps)}, {Int(_spec.InputDim)}]";

    private void WriteForwardApi()
    {
        WriteForward(withInitialState: false);
        if (!ByReference)
        {
            // Typed wiring: any fixed-size sequence of the same shape, such as another model's output sequence, is an input.
            _w.Line("/// <summary>");
            _w.Line($"/// Runs the model on any fixed-size sequence of shape {InputShapeText}, such as the <c>OutputSequence</c> of another generated model:");
            _w.Line("/// the shapes are checked by the compiler (a sequence of another shape does not satisfy the constraint).");
            _w.Line("/// </summary>");
            _w.Line("/// <typeparam name=\"TInput\">A generated sequence type of this model's input shape.</typeparam>");
            _w.Line("/// <param name=\"input\">The input sequence.</param>");
            _w.Line("/// <param name=\"output\">Receives the outputs.</param>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">A hand-written <typeparamref name=\"TInput\"/> claims the shape but is not its size.</exception>");
            _w.Line(MethodImplHot);
            _w.Line($"public void Forward<TInput>(in TInput input, out Output output)");
            _w.Line($"    where TInput : struct, global::RnnGen.Shapes.ITensor<{SizeType(_spec.Timesteps)}, {SizeType(_spec.InputDim)}>");
            using (_w.Braces(string.Empty))
            {
                _w.Line($"{Support}.RequireSameSize<TInput, Input>();");
                _w.Line($"Forward(in {Unsafe}.As<TInput, Input>(ref {Unsafe}.AsRef(in input)), out output);");
            }
            _w.Line();
        }

        if (_layout.InitialStateLayer is not null)
        {
            WriteForward(withInitialState: true);
        }
    }

    private void WriteForward(bool withInitialState)
    {
        _w.Line("/// <summary>");
        _w.Line($"/// Runs the model on one input sequence {InputShapeText} and writes every output, in Keras call order, to <paramref name=\"output\"/>.");
        _w.Line("/// Allocates nothing and does no shape arithmetic: every size is a constant of this class.");
        if (_layout.IsStateful)
        {
            _w.Line("/// Stateful layers start from the states the previous call left (a batch of one row) and store their final states.");
        }

        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"input\">The input sequence.</param>");
        if (withInitialState)
        {
            _w.Line("/// <param name=\"initialState\">The initial states (Keras <c>initial_state</c>); they override stored states of a stateful layer, as in Keras 3.</param>");
        }

        _w.Line("/// <param name=\"output\">Receives the outputs.</param>");
        if (_layout.IsStateful)
        {
            _w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
        }

        string initial = withInitialState ? (ByReference ? "InitialState initialState, " : "in InitialState initialState, ") : string.Empty;
        _w.Line(MethodImplHot);
        using (_w.Braces($"public void Forward({InputParameter}, {initial}{OutputParameter})"))
        {
            if (ByReference)
            {
                _w.Line("global::System.ArgumentNullException.ThrowIfNull(input);");
                if (withInitialState)
                {
                    _w.Line("global::System.ArgumentNullException.ThrowIfNull(initialState);");
                }

                _w.Line("global::System.ArgumentNullException.ThrowIfNull(output);");
            }
            else
            {
                _w.Line($"{Unsafe}.SkipInit(out output);");
            }

            if (_layout.IsStateful)
            {
                _w.Line("BeginCall(1);");
            }

            var arguments = new List<string> { ByReference ? "input.AsSpan()" : $"{Support}.AsReadOnlyFloats(in input)" };
            foreach (OutputLayout output in _layout.Outputs)
            {
                arguments.Add(ByReference && output.IsSequence
                    ? $"output.{output.FieldName}.AsSpan()"
                    : $"{Support}.AsFloats(ref output.{output.FieldName})");
            }

            if (withInitialState && ByReference)
            {
                // A class's fields have no guaranteed order in memory, so the states are gathered one by one.
                LayerLayout layer = _layout.InitialStateLayer!;
                _w.Line($"{Span} rowState = new {Span}(_scratch, InitialStateOffset, {Int(layer.StateCount * layer.Spec.Units)});");
                for (int i = 0; i < layer.StateCount; i++)
                {
                    _w.Line($"{Support}.AsReadOnlyFloats(in initialState.{layer.States[i].FieldName}).CopyTo(rowState.Slice({Int(i * layer.Spec.Units)}));");
                }
            }

            arguments.Add(withInitialState
                ? (ByReference ? "rowState" : $"{Support}.AsReadOnlyFloats(in initialState)")
                : "default");
            arguments.Add("0");
            _w.Line($"Run({string.Join(", ", arguments)});");
        }

        _w.Line();
    }

    private void WritePredictApi()
    {
        WritePredict(withInitialState: false);
        if (_layout.InitialStateLayer is not null)
        {
            WritePredict(withInitialState: true);
        }
    }

    private void WritePredict(bool withInitialState)
    {
        string outputsText = string.Join(", ", _layout.Outputs.Select(o => o.KerasName + " " + (o.IsSequence ? $"[batch, {Int(_spec.Timesteps)}, {Int(o.Width)}]" : $"[batch, {Int(o.Width)}]")));
        _w.Line("/// <summary>");
        _w.Line($"/// Runs the model on a batch of sequences, <c>batch x {Int(_spec.Timesteps)} x {Int(_spec.InputDim)}</c> floats, and returns the outputs in Keras call");
        _w.Line($"/// order, each flattened with the batch axis first: {outputsText}. Allocates the returned arrays; use <c>Forward</c> to allocate nothing.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"input\">The sequences, batch first, row-major.</param>");
        LayerLayout? initialLayer = _layout.InitialStateLayer;
        if (withInitialState)
        {
            _w.Line($"/// <param name=\"initialState\">Keras <c>initial_state</c>: {string.Join(", ", initialLayer!.States.Select(s => s.KerasName.Replace("state_", string.Empty) + " [batch, " + Int(initialLayer.Spec.Units) + "]"))}.</param>");
        }

        _w.Line("/// <returns>The outputs, as Keras returns them from <c>model(input)</c>.</returns>");
        _w.Line($"/// <exception cref=\"global::System.ArgumentException\">The input is not a positive multiple of {Int(_layout.InputLength)} floats{(withInitialState ? ", or the initial states do not fit the batch" : string.Empty)}.</exception>");
        if (_layout.IsStateful)
        {
            _w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
        }

        string parameters = withInitialState
            ? $"{ReadOnlySpan} input, global::System.Collections.Generic.IReadOnlyList<float[]> initialState"
            : $"{ReadOnlySpan} input";
        using (_w.Braces($"public float[][] Predict({parameters})"))
        {
            _w.Line($"int batch = {Support}.BatchSize(input.Length, Info);");
            if (withInitialState)
            {
                string names = string.Join(", ", initialLayer!.States.Select(s => $"\"{s.KerasName}\""));
                string widths = string.Join(", ", initialLayer.States.Select(_ => Int(initialLayer.Spec.Units)));
                _w.Line($"{Support}.ValidateInitialState(initialState, batch, \"{_spec.ClassName}\", new[] {{ {names} }}, new[] {{ {widths} }});");
            }

            if (_layout.IsStateful)
            {
                _w.Line("BeginCall(batch);");
            }

            foreach (OutputLayout output in _layout.Outputs)
            {
                _w.Line($"float[] {output.VariableName} = new float[batch * {Int(output.Length)}];");
            }

            if (withInitialState)
            {
                _w.Line($"{Span} rowState = new {Span}(_scratch, InitialStateOffset, {Int(initialLayer!.StateCount * initialLayer.Spec.Units)});");
            }

            if (!withInitialState)
            {
                // Chunks of sequences advance together through the batched kernels; the rest one at a time.
                _w.Line($"RunMany(input, batch, {string.Join(", ", _layout.Outputs.Select(o => $"{o.VariableName}, {Int(o.Length)}"))}, 0, batch / BatchChunk, _batchScratch);");
                _w.Line($"return new[] {{ {string.Join(", ", _layout.Outputs.Select(o => o.VariableName))} }};");
                return;
            }

            using (_w.Braces("for (int b = 0; b < batch; b++)"))
            {
                var arguments = new List<string> { $"input.Slice(b * {Int(_layout.InputLength)}, {Int(_layout.InputLength)})" };
                foreach (OutputLayout output in _layout.Outputs)
                {
                    arguments.Add($"new {Span}({output.VariableName}, b * {Int(output.Length)}, {Int(output.Length)})");
                }

                if (withInitialState)
                {
                    int units = initialLayer!.Spec.Units;
                    for (int i = 0; i < initialLayer.StateCount; i++)
                    {
                        _w.Line($"new {ReadOnlySpan}(initialState[{Int(i)}], b * {Int(units)}, {Int(units)}).CopyTo(rowState.Slice({Int(i * units)}));");
                    }

                    arguments.Add("rowState");
                }
                else
                {
                    arguments.Add("default");
                }

                arguments.Add("b");
                _w.Line($"Run({string.Join(", ", arguments)});");
            }

            _w.Line($"return new[] {{ {string.Join(", ", _layout.Outputs.Select(o => o.VariableName))} }};");
        }

        _w.Line();
    }

    private void WriteStateApi()
    {
        _w.Line("/// <summary>");
        if (_layout.IsStateful)
        {
            _w.Line("/// Forgets the states stored by the stateful layers and the batch size they were stored for (Keras <c>reset_states()</c>),");
            _w.Line($"/// {(_layout.IsCausal ? "and the streaming state of <c>Step</c>, " : string.Empty)}so that the next call starts from zeros.");
        }
        else if (_layout.IsCausal)
        {
            _w.Line("/// Starts a new stream: the next <c>Step</c> starts from zero states (Keras <c>reset_states()</c>). <c>Forward</c> and");
            _w.Line("/// <c>Predict</c> always start from zeros here, since no layer is stateful.");
        }
        else
        {
            _w.Line("/// Keras <c>reset_states()</c>. This model has no stateful layer, so every call already starts from zeros.");
        }

        _w.Line("/// </summary>");
        using (_w.Braces("public void ResetStates()"))
        {
            if (_layout.IsStateful)
            {
                _w.Line("_storedBatch = 0;");
                _w.Line("global::System.Array.Clear(_storedStates);");
            }

            WriteStreamReset();
        }

        _w.Line();
        if (!_layout.IsStateful)
        {
            return;
        }

        _w.Line("// Keras fixes the batch size of a stateful layer at its first call; so does this model, until ResetStates().");
        using (_w.Braces("private void BeginCall(int batch)"))
        {
            using (_w.Braces("if (_storedBatch == 0)"))
            {
                _w.Line("int length = checked(batch * StoredStateStride);");
                _w.Line("if (_storedStates.Length < length)");
                _w.Line("{");
                _w.Line("    _storedStates = new float[length];");
                _w.Line("}");
                _w.Line();
                _w.Line("_storedBatch = batch;");
            }

            _w.Line("else if (_storedBatch != batch)");
            _w.Line("{");
            _w.Line($"    throw {Support}.StatefulBatchMismatch(\"{_spec.ClassName}\", _storedBatch, batch);");
            _w.Line("}");
        }

        _w.Line();
    }
}
