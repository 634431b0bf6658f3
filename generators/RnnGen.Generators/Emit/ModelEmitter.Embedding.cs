using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Embedding (docs/embedding.md): the first layer, reading one token per timestep. The tokens travel through the
/// model's float input path (<c>InputDim</c> 1, Keras's <c>(batch, Timesteps)</c> input), where the layer is a gather:
/// row <c>token</c> of <c>embeddings</c>, read straight from <c>_parameters</c> in Keras layout, so it has nothing to
/// pack. Every public call checks all its tokens before anything runs (<see cref="WriteTokenCheck"/>), so an out-of-range
/// token changes no output and no stored state; the <c>int</c> overloads convert the tokens and call the float ones.
/// With <c>mask_zero</c>, the model's mask is <c>token != 0</c> (Keras <c>Embedding.compute_mask</c>:
/// <c>ops.not_equal(inputs, 0)</c>): ModelEmitter.Masking.cs computes it as Masking(mask_value=0) of the one-wide
/// token row, which is the same predicate.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string EmbeddingKernels = "global::RnnGen.Kernels.EmbeddingKernels";

    /// <summary>The Embedding layer (always the first: RNNG051), or null.</summary>
    private LayerSpec? EmbeddingLayer => _spec.Layers.FirstOrDefault(l => l.Kind == LayerKind.Embedding);

    /// <summary>
    /// The check of every token of <paramref name="tokens"/> (<c>batch x Timesteps</c> floats, or one per stream when
    /// <paramref name="timesteps"/> is 1), for the start of a public call. Nothing for a model without an Embedding.
    /// </summary>
    private void WriteTokenCheck(string tokens, string timesteps = "Timesteps")
    {
        if (EmbeddingLayer is LayerSpec embedding)
        {
            _writer.Line($"{EmbeddingKernels}.CheckTokens({tokens}, {timesteps}, {Int(embedding.EmbeddingInputDim)}, \"{_spec.ClassName}.{embedding.Name}\");");
        }
    }

    /// <summary>The driver of the Embedding for <paramref name="pass"/>: one gather per timestep.</summary>
    private void WriteEmbeddingDriver(LayerLayout layer, Pass pass)
    {
        LayerSpec s = layer.Spec;
        string parameters = pass.LayerParameters;
        _writer.Line(pass.IsChunk
            ? $"// {layer.Description}, for each sequence of a chunk."
            : $"// {layer.Description}: y[t] = embeddings[(int)x[t]] (Keras Embedding.call: cast to int32, then take row).");
        _writer.Line(MethodImplHot);
        using (_writer.Braces($"private void {layer.Pascal}Layer{pass.Suffix}({parameters})"))
        {
            _writer.Line($"const int Width = {Int(s.OutputWidth)};");
            ForEachSequence(pass, () =>
            {
                string inputStart = pass.IsChunk ? "r * inputStride + " : string.Empty;
                string outputStart = pass.IsChunk ? "r * outputStride + " : string.Empty;
                using (_writer.Braces($"for (int t = 0; t < {Int(_spec.Timesteps)}; t++)"))
                {
                    _writer.Line($"{layer.Pascal}Row(input.Slice({inputStart}t, 1), output.Slice({outputStart}t * Width, Width));");
                }
            });
        }

        _writer.Line();
    }

    /// <summary>One timestep of the Embedding: the row of its token (also what Step and StepStreams call).</summary>
    private void WriteEmbeddingRow(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        WeightLayout table = _layout.Weights.First(w => w.Layer == layer);
        _writer.Line($"// One timestep of {s.Name}: the row of the token x[0] in embeddings [{Int(s.EmbeddingInputDim)}, {Int(s.OutputWidth)}].");
        _writer.Line(MethodImplInline);
        using (_writer.Braces($"private void {layer.Pascal}Row({ReadOnlySpan} x, {Span} y)"))
        {
            _writer.Line($"{EmbeddingKernels}.Gather(x[0], new {ReadOnlySpan}(_parameters, {table.ConstantName}, {Int(table.Length)}), y, {Int(s.EmbeddingInputDim)}, {Int(s.OutputWidth)}, \"{_spec.ClassName}.{s.Name}\");");
        }

        _writer.Line();
    }

    /// <summary>The overloads that take <c>int</c> tokens: they convert them to the float input and call the float overloads.</summary>
    private void WriteTokenApi()
    {
        if (EmbeddingLayer is not LayerSpec embedding)
        {
            return;
        }

        string range = $"[0, {Int(embedding.EmbeddingInputDim)})";
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on one sequence of <see cref=\"Timesteps\"/> tokens, each in {range} (Keras <c>input_dim</c>), as");
        _writer.Line("/// <c>Forward(input, output)</c> runs their float values. Allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"tokens\">The tokens, one per timestep.</param>");
        _writer.Line("/// <param name=\"output\">Receives the outputs.</param>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">There are not <see cref=\"Timesteps\"/> tokens; nothing is run.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A token is out of range (the message names it and its timestep); nothing is run.</exception>");
        using (_writer.Braces($"public void Forward(global::System.ReadOnlySpan<int> tokens, {OutputParameter})"))
        {
            _writer.Line("if (tokens.Length != Timesteps)");
            _writer.Line("{");
            _writer.Line($"    throw new global::System.ArgumentException($\"{_spec.ClassName}.Forward takes one sequence of {{Timesteps}} tokens, but {{tokens.Length}} were given.\", nameof(tokens));");
            _writer.Line("}");
            _writer.Line();
            _writer.Line($"{EmbeddingKernels}.CheckTokens(tokens, Timesteps, {Int(embedding.EmbeddingInputDim)}, \"{_spec.ClassName}.{embedding.Name}\");");
            _writer.Line(TensorsAreClasses ? "Input input = new Input();" : "Input input = default;");
            _writer.Line($"{EmbeddingKernels}.ToFloats(tokens, {(TensorsAreClasses ? "input.AsSpan()" : $"{Support}.AsFloats(ref input)")});");
            _writer.Line(TensorsAreClasses ? "Forward(input, output);" : "Forward(in input, out output);");
        }

        _writer.Line();
        _writer.Line("/// <summary>");
        _writer.Line($"/// Runs the model on a batch of token sequences, <c>batch x {Int(_spec.Timesteps)}</c> tokens (batch first), each in {range}, as");
        _writer.Line("/// <see cref=\"Predict(global::System.ReadOnlySpan{float})\"/> runs their float values: Keras <c>model.predict(tokens)</c>. Allocates the");
        _writer.Line("/// returned arrays and the tokens' float copy; <c>Forward(tokens, out output)</c> allocates nothing.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"tokens\">The token sequences, batch first, row-major.</param>");
        _writer.Line("/// <returns>The outputs in Keras call order, each flattened with the batch axis first.</returns>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The tokens are not a positive multiple of <see cref=\"Timesteps\"/>; nothing is run.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A token is out of range (the message names it, its sequence and timestep); nothing is run.</exception>");
        using (_writer.Braces("public float[][] Predict(global::System.ReadOnlySpan<int> tokens)"))
        {
            _writer.Line($"{Support}.BatchSize(tokens.Length, Info, nameof(tokens));");
            _writer.Line($"{EmbeddingKernels}.CheckTokens(tokens, Timesteps, {Int(embedding.EmbeddingInputDim)}, \"{_spec.ClassName}.{embedding.Name}\");");
            _writer.Line("float[] input = new float[tokens.Length];");
            _writer.Line($"{EmbeddingKernels}.ToFloats(tokens, input);");
            _writer.Line("return Predict(input);");
        }

        _writer.Line();
        if (_layout.IsCausal)
        {
            _writer.Line("/// <summary>Streaming: <see cref=\"Step(in InputStep, out OutputStep)\"/> with one token.</summary>");
            _writer.Line("/// <param name=\"token\">This timestep's token.</param>");
            _writer.Line("/// <param name=\"output\">Receives the model output for this timestep.</param>");
            _writer.Line($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The token is outside {range}; the states are unchanged.</exception>");
            using (_writer.Braces("public void Step(int token, out OutputStep output)"))
            {
                _writer.Line($"{Unsafe}.SkipInit(out output);");
                _writer.Line($"{EmbeddingKernels}.CheckTokens(new global::System.ReadOnlySpan<int>(in token), 1, {Int(embedding.EmbeddingInputDim)}, \"{_spec.ClassName}.{embedding.Name}\", nameof(token));");
                _writer.Line("float value = token;");
                _writer.Line($"StepCore(new {ReadOnlySpan}(in value), {Support}.AsFloats(ref output));");
            }

            _writer.Line();
        }
    }
}
