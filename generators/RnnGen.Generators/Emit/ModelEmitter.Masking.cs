using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Masked calls (docs/masking.md): the <c>Forward</c> and <c>Predict</c> overloads that take a per-timestep mask or
/// per-sequence lengths, and what a recurrent layer's driver does at a masked timestep. Keras's rule, from
/// <c>keras/src/backend/tensorflow/rnn.py</c> (<c>rnn</c>, the <c>mask</c> branch of its <c>_step</c>): a masked step
/// keeps the states, and its output is the previous step's output (zeros before the first unmasked step), or zeros
/// where the layer has <c>zero_output_for_mask</c>, which <c>Bidirectional</c> sets to <c>return_sequences</c> on both
/// copies (<c>keras/src/layers/rnn/bidirectional.py</c>). <c>go_backwards</c> reverses the mask with the input. The
/// layers between two recurrent layers (Dense, Dropout, normalization) keep the timesteps and pass the mask on, so one
/// mask serves every recurrent layer of a stack. Masked calls run one sequence at a time: a masked step skips the cell,
/// so a sequence's padding costs no cell work.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string MaskParameter = "global::System.ReadOnlySpan<bool> mask";

    /// <summary>The masked overloads: see <see cref="ModelLayout.HasMaskedApi"/>.</summary>
    private bool HasMaskedApi => _layout.HasMaskedApi;

    /// <summary>The layer whose mask the model computes from its input (<see cref="ModelLayout.MaskingLayer"/>), or null.</summary>
    private LayerSpec? MaskingLayer => _layout.MaskingLayer;

    /// <summary>
    /// Whether every call computes the mask from the input (a <c>[Masking]</c> layer with recurrent layers or a
    /// GlobalAveragePooling1D after it, the layers that read the mask). Such
    /// a model runs a chunk of its batch through the chunk kernels only when no timestep of the chunk is masked, else each
    /// sequence by itself through the masked driver; its streaming calls skip a masked step's cells.
    /// </summary>
    private bool MasksFromData => MaskingLayer is not null && _layout.ComputeLayers.Any(l => l.Spec.IsRecurrent || TakesMask(l));

    /// <summary>The mask value as a C# float expression (NaN and the infinities by name).</summary>
    private string MaskValueLiteral => FloatExpression(MaskingLayer!.MaskValue);

    /// <summary>The mask the Masking layer computes from one input sequence, in <c>dataMask</c>, for <c>Run</c>.</summary>
    private void WriteDataMask()
    {
        if (!MasksFromData)
        {
            return;
        }

        _writer.Line(MaskingLayer!.Kind == LayerKind.Embedding
            ? $"// {MaskingLayer.Name}: Keras's Embedding(mask_zero=True) masks token 0 (not_equal(inputs, 0): KerasMask.IsKept of the token with 0), and the"
            : $"// {MaskingLayer.Name}: Keras's Masking masks a timestep whose features all equal mask_value (KerasMask.IsKept), and the");
        _writer.Line("// recurrent layers skip it (docs/masking.md). The mask comes from the data; a caller's mask is never passed here.");
        _writer.Line("global::System.Span<bool> dataMask = stackalloc bool[Timesteps];");
        _writer.Line($"global::RnnGen.KerasMask.Compute(input, InputDim, dataMask, {MaskValueLiteral});");
    }

    private void WriteMaskedApi()
    {
        if (!HasMaskedApi)
        {
            return;
        }

        WriteForward(withInitialState: false, withMask: true);
        if (_layout.InitialStateLayer is not null)
        {
            // Keras layer(x, mask=..., initial_state=[...]): the states start from the given ones and stay at masked steps.
            WriteForward(withInitialState: true, withMask: true);
            WritePredict(withInitialState: true, withMask: true);
        }

        WriteForwardWithLength();
        WriteMaskedPredict(withLengths: false);
        WriteMaskedPredict(withLengths: true);
    }

    private void WriteForwardWithLength()
    {
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on one input sequence {InputShapeText} whose first <paramref name=\"length\"/> timesteps are valid and the rest padding,");
        _writer.Line("/// as Keras runs it with the mask of a sequence padded at its end (docs/masking.md). Allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"input\">The input sequence.</param>");
        _writer.Line("/// <param name=\"length\">The valid timesteps, from 0 to <see cref=\"Timesteps\"/>.</param>");
        _writer.Line("/// <param name=\"output\">Receives the outputs.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The length is below 0 or above <see cref=\"Timesteps\"/>; nothing is run.</exception>");
        using (_writer.Braces($"public void Forward({InputParameter}, int length, {OutputParameter})"))
        {
            _writer.Line("global::System.Span<bool> mask = stackalloc bool[Timesteps];");
            _writer.Line($"{Support}.FillLengthMask(mask, length, Info);");
            _writer.Line(TensorsAreClasses ? "Forward(input, mask, output);" : "Forward(in input, mask, out output);");
        }

        _writer.Line();
    }

    private void WriteMaskedPredict(bool withLengths)
    {
        string outputsText = string.Join(", ", _layout.Outputs.Select(o => o.KerasName + " " + (o.IsSequence ? $"[batch, {Int(_spec.Timesteps)}, {Int(o.Width)}]" : $"[batch, {Int(o.Width)}]")));
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on a batch of sequences, <c>batch x {Int(_spec.Timesteps)} x {Int(_spec.InputDim)}</c> floats, with {(withLengths ? "the valid length of each (valid timesteps first, padding after)" : "a mask")}, and returns the");
        _writer.Line($"/// outputs in Keras call order, each flattened with the batch axis first: {outputsText}. The recurrent layers skip masked timesteps");
        _writer.Line("/// as Keras does (docs/masking.md); the sequences run one at a time, and a masked timestep costs no cell work. Allocates the returned arrays.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"input\">The sequences, batch first, row-major.</param>");
        _writer.Line(withLengths
            ? "/// <param name=\"lengths\">One length per sequence, each from 0 to <see cref=\"Timesteps\"/>.</param>"
            : "/// <param name=\"mask\">Keras <c>mask</c> [batch, Timesteps], row-major: true for a timestep the recurrent layers read.</param>");
        _writer.Line("/// <returns>The outputs, as Keras returns them from <c>model(input, mask=...)</c>.</returns>");
        _writer.Line(withLengths
            ? $"/// <exception cref=\"global::System.ArgumentException\">The input is not a positive multiple of {Int(_layout.InputLength)} floats, there is not one length per sequence, or a length is out of range; nothing is run.</exception>"
            : $"/// <exception cref=\"global::System.ArgumentException\">The input is not a positive multiple of {Int(_layout.InputLength)} floats, or the mask does not have batch x <see cref=\"Timesteps\"/> values; nothing is run.</exception>");
        if (_layout.IsStateful)
        {
            _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The stored states belong to another batch size; call <see cref=\"ResetStates\"/> first.</exception>");
        }

        using (_writer.Braces($"public float[][] Predict({ReadOnlySpan} input, {(withLengths ? "global::System.ReadOnlySpan<int> lengths" : MaskParameter)})"))
        {
            _writer.Line($"int batch = {Support}.BatchSize(input.Length, Info);");
            WriteTokenCheck("input");
            _writer.Line(withLengths ? $"{Support}.ValidateLengths(lengths, batch, Info);" : $"{Support}.ValidateMask(mask, batch, Info);");
            if (_layout.IsStateful)
            {
                _writer.Line("BeginCall(batch);");
            }

            WriteBatchOutputArrays();

            if (withLengths)
            {
                _writer.Line("global::System.Span<bool> rowMask = stackalloc bool[Timesteps];");
            }

            using (_writer.Braces("for (int b = 0; b < batch; b++)"))
            {
                if (withLengths)
                {
                    _writer.Line($"{Support}.FillLengthMask(rowMask, lengths[b], Info, nameof(lengths));");
                }

                var arguments = new List<string> { "input.Slice(b * InputLength, InputLength)" };
                arguments.AddRange(BatchOutputRows());
                arguments.Add("_scratch");
                arguments.Add("default");
                arguments.Add("b");
                arguments.Add(withLengths ? "rowMask" : "mask.Slice(b * Timesteps, Timesteps)");
                _writer.Line($"Run({string.Join(", ", arguments)});");
            }

            _writer.Line($"return new[] {{ {string.Join(", ", _layout.Outputs.Select(o => o.VariableName))} }};");
        }

        _writer.Line();
    }

    /// <summary>Step of a model with <c>[Masking]</c>: whether this timestep is kept, in <c>kept</c>.</summary>
    private void WriteStepMask()
    {
        if (!MasksFromData)
        {
            return;
        }

        _writer.Line($"bool kept = global::RnnGen.KerasMask.IsKept(input, {MaskValueLiteral}); // {MaskingLayer!.Name}");
    }

    /// <summary>
    /// One recurrent layer of Step on a model with <c>[Masking]</c>: Keras run on one masked timestep of a stateful model
    /// (<c>keras/src/backend/tensorflow/rnn.py</c>, the <c>mask</c> branch of <c>_step</c>) keeps the states and returns
    /// <c>prev_output</c>, which before any step of the call is zeros. The state moves to the buffer the next call reads,
    /// since the two buffers swap on every call. Returns the expression of the layer's output.
    /// </summary>
    private string WriteMaskedStreamStep(LayerLayout layer, string cellCall)
    {
        string h = StepVariable(layer, CellBuffer.H), hNext = StepVariable(layer, CellBuffer.HNext);
        string output = char.ToLowerInvariant(layer.Pascal[0]) + layer.Pascal.Substring(1) + "Output";
        string units = Int(layer.Spec.Units);
        _writer.Line($"{ReadOnlySpan} {output};");
        using (_writer.Braces("if (kept)"))
        {
            _writer.Line(cellCall);
            _writer.Line($"{output} = {hNext}.Slice(0, {units});");
        }

        using (_writer.Braces("else"))
        {
            _writer.Line("// Masked: the states stay (h moves to the buffer the next call reads) and the output is zeros, as Keras returns for one masked step.");
            _writer.Line($"{h}.CopyTo({hNext});");
            _writer.Line($"{h}.Clear();");
            _writer.Line($"{output} = {h}.Slice(0, {units});");
        }

        return output;
    }

    /// <summary>
    /// One recurrent layer of <c>StepStreamOne</c> on a model with <c>[Masking]</c>, as <see cref="WriteMaskedStreamStep"/>
    /// for Step: a kept step runs the cell and copies the new h over the stream's state; a masked one leaves the state
    /// and outputs zeros. Returns the expression of the layer's output.
    /// </summary>
    private string WriteMaskedStreamsStep(LayerLayout layer, string cellCall, bool last, string stateAt)
    {
        string output = char.ToLowerInvariant(layer.Pascal[0]) + layer.Pascal.Substring(1) + "Output";
        string padded = Int(PaddedUnits(layer.Spec.Units));
        _writer.Line($"{ReadOnlySpan} {output};");
        using (_writer.Braces("if (kept)"))
        {
            _writer.Line(cellCall);
            _writer.Line($"new {ReadOnlySpan}(scratch, StreamHNextOffset, {padded}).CopyTo(streamStates.Slice({stateAt}));");
            _writer.Line($"{output} = streamStates.Slice({stateAt}, {padded});");
        }

        using (_writer.Braces("else"))
        {
            _writer.Line("// Masked: the state stays and the output is zeros, as Keras returns for one masked step.");
            _writer.Line($"{Span} zeros = new {Span}(scratch, StreamHNextOffset, {padded});");
            _writer.Line("zeros.Clear();");
            _writer.Line($"{output} = zeros;");
        }

        if (last)
        {
            _writer.Line($"{output}.Slice(0, OutputDim).CopyTo(outputs.Slice(first * OutputDim, OutputDim));");
        }

        return output;
    }
}
