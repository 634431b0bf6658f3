using RnnGen.Generators.Model;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

internal sealed partial class ModelEmitter
{
    private const string Training = "global::RnnGen.Training";

    /// <summary>
    /// The line every inference path writes before it reads <c>_packed</c>, on the calling thread (before any worker
    /// starts): training marks the packed weights stale instead of repacking after each step (see
    /// <see cref="WriteLazyPacking"/>), so the next inference call repacks them once.
    /// </summary>
    private void WriteEnsurePacked() => _writer.Line("EnsurePacked();");

    /// <summary>
    /// The stale flag of the packed weights and the two members around it. A training step changes <c>_parameters</c>
    /// and only sets the flag; the next inference call repacks (a seed-model repack costs about as much as a quarter of
    /// the step, and a loop of <c>TrainOnBatch</c> calls reads no packed weight in between). <c>PackWeights</c> clears
    /// the flag, so <c>SetWeights</c> leaves nothing stale.
    /// </summary>
    private void WriteLazyPacking()
    {
        _writer.Line("// True when a training step changed _parameters after the last PackWeights: the next inference call repacks.");
        _writer.Line("private bool _packedStale;");
        _writer.Line();
        _writer.Line("// The trainer's notice that _parameters changed: the packed copy is rebuilt when an inference call next needs it.");
        _writer.Line("private void MarkPackedStale() => _packedStale = true;");
        _writer.Line();
        _writer.Line("// Called by every inference path before it reads _packed, on the calling thread before any worker starts.");
        using (_writer.Braces("private void EnsurePacked()"))
        {
            using (_writer.Braces("if (_packedStale)"))
            {
                _writer.Line("PackWeights();");
            }
        }

        _writer.Line();
    }

    /// <summary>
    /// Keras's training API on the model (<c>compile</c>, <c>fit</c>, <c>evaluate</c>, <c>train_on_batch</c>, the
    /// gradients): each member delegates to a <c>RnnGen.Training.Trainer</c> that trains <c>_parameters</c> in place
    /// and calls <c>MarkPackedStale</c> after each step, so the next inference call runs on the trained weights.
    /// </summary>
    private void WriteTrainingApi()
    {
        string name = _spec.ClassName;
        _writer.Line("private " + Training + ".Trainer? _trainer;");
        _writer.Line();
        WriteLazyPacking();
        _writer.Line("/// <summary>");
        _writer.Line("/// Prepares the model for training, as Keras's <c>model.compile(optimizer, loss, metrics)</c>: the optimizer's state and the");
        _writer.Line("/// training buffers are created here (the buffers grow to the largest batch). Compiling again starts a new optimizer state;");
        _writer.Line("/// the weights are kept.");
        _writer.Line("/// </summary>");
        _writer.Line("/// <param name=\"optimizer\">The optimizer, e.g. <c>new Adam()</c>; it belongs to this model from now on.</param>");
        _writer.Line("/// <param name=\"loss\">The loss of the main output, e.g. <c>new MeanSquaredError()</c>.</param>");
        _writer.Line("/// <param name=\"metrics\">Metrics to log besides the loss, e.g. <c>Metric.Mae</c>.</param>");
        _writer.Line("/// <exception cref=\"global::System.NotSupportedException\">A stateful layer cannot be trained; the message names it.</exception>");
        _writer.Line($"public void Compile({Training}.Optimizer optimizer, {Training}.Loss loss, params {Training}.Metric[] metrics) =>");
        if (TrainingCellsInitializer() is string cells)
        {
            // The layers' generated cells (WriteTrainingCells): stateless, so every compile shares them.
            _writer.Line($"    _trainer = new {Training}.Trainer(this, _parameters, MarkPackedStale, optimizer, loss, metrics, s_trainingCells);");
            _writer.Line();
            _writer.Line("// The generated training cell of each layer of Info.Layers that has one (RnnGen.Training.TrainingCell), null for the others.");
            _writer.Line($"private static readonly {Training}.TrainingCell?[] s_trainingCells = {cells};");
            WriteTrainingCells();
        }
        else
        {
            _writer.Line($"    _trainer = new {Training}.Trainer(this, _parameters, MarkPackedStale, optimizer, loss, metrics);");
        }

        _writer.Line();
        _writer.Line("/// <summary>The trainer set up by <see cref=\"Compile\"/> (its optimizer, loss, metrics and <c>Fit</c> options).</summary>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line($"public {Training}.Trainer Trainer => _trainer ?? throw {Training}.Trainer.NotCompiled(\"{name}\");");
        _writer.Line();
        _writer.Line("/// <summary>Keras <c>model.fit</c>: trains on <paramref name=\"x\"/> (<c>samples x Timesteps x InputDim</c>) and <paramref name=\"y\"/> (<c>samples x</c> the main output); see <c>Trainer.Fit</c>.</summary>");
        _writer.Line("/// <returns>The loss and metrics of every epoch.</returns>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not fit the model or each other, or an option is out of range.</exception>");
        _writer.Line($"public {Training}.History Fit({ReadOnlySpan} x, {ReadOnlySpan} y, int epochs = 1, int batchSize = 32, bool shuffle = true, double validationSplit = 0.0, " +
            $"{Training}.ValidationData? validationData = null, global::System.Collections.Generic.IReadOnlyList<{Training}.Callback>? callbacks = null, int initialEpoch = 0, " +
            $"int? seed = null, int verbose = 0, global::System.IProgress<{Training}.EpochLog>? progress = null) =>");
        _writer.Line("    Trainer.Fit(x, y, epochs, batchSize, shuffle, validationSplit, validationData, callbacks, initialEpoch, seed, verbose, progress);");
        _writer.Line();
        _writer.Line("/// <summary>Keras <c>model.evaluate</c>: the compiled loss over every sample, in inference mode.</summary>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not fit the model or each other.</exception>");
        _writer.Line($"public float Evaluate({ReadOnlySpan} x, {ReadOnlySpan} y, int batchSize = 32) => Trainer.Evaluate(x, y, batchSize);");
        _writer.Line();
        _writer.Line("/// <summary>Keras <c>model.train_on_batch</c>: one optimizer step on one batch; returns its loss before the step. Allocates nothing once warm.</summary>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not fit the model or each other.</exception>");
        _writer.Line($"public float TrainOnBatch({ReadOnlySpan} x, {ReadOnlySpan} y) => Trainer.TrainOnBatch(x, y);");
        _writer.Line();
        _writer.Line("/// <summary>The gradient of the compiled loss (mean over the batch, training mode) for every array of <see cref=\"GetWeights\"/>, in that order and layout.</summary>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not fit the model or each other.</exception>");
        _writer.Line($"public float[][] ComputeGradients({ReadOnlySpan} x, {ReadOnlySpan} y) => Trainer.ComputeGradients(x, y);");
        _writer.Line();
        WriteTokenTrainingMembers();
    }

    /// <summary>
    /// For a model with an Embedding: <c>Fit</c>, <c>Evaluate</c> and <c>TrainOnBatch</c> on <c>int</c> tokens, which
    /// check every token, copy them to the floats the model's input path carries (exact: input_dim is at most 2^24),
    /// and call the float members.
    /// </summary>
    private void WriteTokenTrainingMembers()
    {
        if (EmbeddingLayer is not LayerSpec embedding)
        {
            return;
        }

        // Each body: the compile check first, every token, then the float member on the tokens' values.
        void WriteTokenCall(string call)
        {
            _writer.Line($"{Training}.Trainer trainer = Trainer;");
            _writer.Line($"{EmbeddingKernels}.CheckTokens(tokens, Timesteps, {Int(embedding.EmbeddingInputDim)}, \"{_spec.ClassName}.{embedding.Name}\");");
            _writer.Line("float[] x = new float[tokens.Length];");
            _writer.Line($"{EmbeddingKernels}.ToFloats(tokens, x);");
            _writer.Line($"return trainer.{call};");
        }

        const string IntSpan = "global::System.ReadOnlySpan<int>";
        const string Tokens = "/// <param name=\"tokens\">The token sequences, <c>samples x Timesteps</c>, batch first.</param>";
        const string Targets = "/// <param name=\"y\">The targets, <c>samples x</c> the main output.</param>";
        const string TokenErrors = "/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A token is out of range (the message names it, its sequence and timestep); nothing is trained.</exception>";
        // No <param> tags: documenting two of the twelve parameters would warn (CS1573), as for the float Fit.
        _writer.Line("/// <summary>Keras <c>model.fit</c> on integer tokens (<c>samples x Timesteps</c>, batch first): the float <c>Fit</c> on their values. Allocates the tokens' float copy once per call.</summary>");
        _writer.Line("/// <returns>The loss and metrics of every epoch.</returns>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line(TokenErrors);
        using (_writer.Braces($"public {Training}.History Fit({IntSpan} tokens, {ReadOnlySpan} y, int epochs = 1, int batchSize = 32, bool shuffle = true, double validationSplit = 0.0, " +
            $"{Training}.ValidationData? validationData = null, global::System.Collections.Generic.IReadOnlyList<{Training}.Callback>? callbacks = null, int initialEpoch = 0, " +
            $"int? seed = null, int verbose = 0, global::System.IProgress<{Training}.EpochLog>? progress = null)"))
        {
            WriteTokenCall("Fit(x, y, epochs, batchSize, shuffle, validationSplit, validationData, callbacks, initialEpoch, seed, verbose, progress)");
        }

        _writer.Line();
        _writer.Line("/// <summary>Keras <c>model.evaluate</c> on integer tokens: the float <c>Evaluate</c> on their values. Allocates the tokens' float copy.</summary>");
        _writer.Line(Tokens);
        _writer.Line(Targets);
        _writer.Line("/// <param name=\"batchSize\">Samples per batch.</param>");
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line(TokenErrors);
        using (_writer.Braces($"public float Evaluate({IntSpan} tokens, {ReadOnlySpan} y, int batchSize = 32)"))
        {
            WriteTokenCall("Evaluate(x, y, batchSize)");
        }

        _writer.Line();
        _writer.Line("/// <summary>Keras <c>model.train_on_batch</c> on integer tokens. Allocates the tokens' float copy (the float overload allocates nothing once warm).</summary>");
        _writer.Line(Tokens);
        _writer.Line(Targets);
        _writer.Line("/// <exception cref=\"global::System.InvalidOperationException\">The model is not compiled.</exception>");
        _writer.Line(TokenErrors);
        using (_writer.Braces($"public float TrainOnBatch({IntSpan} tokens, {ReadOnlySpan} y)"))
        {
            WriteTokenCall("TrainOnBatch(x, y)");
        }

        _writer.Line();
    }
}
