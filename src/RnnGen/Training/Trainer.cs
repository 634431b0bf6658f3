using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace RnnGen.Training;

/// <summary>
/// Trains a generated model in place, as Keras's <c>compile</c> / <c>fit</c> do: forward pass with cached
/// activations, backpropagation through time, the compiled optimizer's step on the model's own flat Keras-order
/// weight array, after which it tells the model its weights changed (a generated model marks its packed kernels stale and
/// repacks them at its next <c>Predict</c>, <c>Forward</c>, <c>Step</c> or <c>StepStreams</c>, not after every step).
/// Generated models create one in <c>Compile</c> and delegate <c>Fit</c>, <c>Evaluate</c>, <c>TrainOnBatch</c> and
/// <c>ComputeGradients</c> to it. Every buffer is allocated here (for one sample) or when a batch larger than any
/// before arrives, so a warm <see cref="TrainOnBatch"/> allocates nothing. Not thread-safe, like the model.
/// <para>
/// A batch is cut into chunks of <see cref="ChunkSamples"/> samples, each run by its own copy of the layers' caches
/// into its own gradient buffer; the chunks' losses and gradients are then summed in chunk order. With
/// <see cref="MaxDegreeOfParallelism"/> above 1 the chunks run on several cores. The cut does not depend on the
/// degree, and each element's arithmetic does not depend on which thread runs it, so every degree gives bitwise the
/// same losses, gradients and weights.
/// </para>
/// </summary>
public sealed partial class Trainer
{
    private readonly float[] _parameters;
    private readonly Action _parametersChanged;
    private readonly List<TrainingNetwork> _chunks = new();
    private double[] _chunkLosses = Array.Empty<double>();
    private int[] _chunkRows = Array.Empty<int>(); // rows each chunk's loss counted: all, or the kept ones of a masked output
    private double _metricRows; // rows the metric sums hold since they were last cleared
    private double[][] _chunkMetricSums = Array.Empty<double[]>();
    private float[] _stagedX = Array.Empty<float>();
    private float[] _stagedY = Array.Empty<float>();
    private int _dropoutSeed;
    private int _maxDegreeOfParallelism = 1;
    private int _capacity;
    private readonly int[] _weightLengths;
    private readonly float[] _lastGoodParameters;
    private readonly double[] _metricSums;
    private readonly int _outputWidth;
    private readonly int _rowsPerSample;
    private readonly int _targetWidth;
    private string? _embeddingLabel;
    private readonly int _chunkSamples;
    private readonly float[] _savedNonTrainableWeights;
    private readonly TrainingCell?[]? _cells;

    /// <summary>Compiles <paramref name="model"/> for training (Keras <c>model.compile</c>); generated models call this from <c>Compile</c>.</summary>
    /// <param name="model">The model whose weights are trained.</param>
    /// <param name="parameters">The model's weights, concatenated in Keras <c>get_weights()</c> order: trained in place.</param>
    /// <param name="parametersChanged">Called after each change of <paramref name="parameters"/> (every optimizer step), so the model refreshes what it derives from them (its packed kernels) before it next reads them; it should be cheap, as a generated model's is (it sets a flag).</param>
    /// <param name="optimizer">The optimizer; its slots are created here, for this model only.</param>
    /// <param name="loss">The loss of the model's main output.</param>
    /// <param name="metrics">Metrics to report besides the loss.</param>
    /// <param name="cells">
    /// The model's generated training cells (<see cref="TrainingCell"/>) by layer index, null for a layer without one;
    /// or null, when every layer runs the span operations. Generated models pass theirs.
    /// </param>
    /// <exception cref="NotSupportedException">A layer cannot be trained (a stateful one); the message names it.</exception>
    /// <exception cref="ArgumentException">The cells do not match the model's layers (count, kind or units).</exception>
    public Trainer(IRnnModel model, float[] parameters, Action parametersChanged, Optimizer optimizer, Loss loss, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<TrainingCell?>? cells = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        _parametersChanged = parametersChanged ?? throw new ArgumentNullException(nameof(parametersChanged));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Metrics = (metrics ?? Array.Empty<Metric>()).ToArray();
        if (Metrics.Any(m => m is null))
        {
            throw new ArgumentNullException(nameof(metrics), "A metric is null.");
        }

        ModelInfo info = model.Info;
        if (cells is not null && cells.Count != info.Layers.Count)
        {
            throw new ArgumentException($"{info.Name} has {info.Layers.Count} layers but {cells.Count} training cells were given (one per layer, null where a layer has none).", nameof(cells));
        }

        _cells = cells?.ToArray();
        _weightLengths = info.Weights.Select(w => w.Length).ToArray();
        if (parameters.Length != _weightLengths.Sum())
        {
            throw new ArgumentException($"{info.Name} has {_weightLengths.Sum()} parameters but the array holds {parameters.Length}.", nameof(parameters));
        }

        // BatchNormalization normalizes with the whole batch's statistics: such a model runs a batch as one chunk.
        _chunkSamples = info.Layers.Any(l => l.Kind == LayerKind.BatchNormalization) ? int.MaxValue : ChunkSamples;

        // Sized for one sample here and grown to the largest batch seen (Fit grows it to its batch size up front): a
        // model trained at batch 1 never holds the caches of 32 sequences, which for long sequences would be large.
        EnsureCapacity(1);
        _savedNonTrainableWeights = new float[_chunks[0].NonTrainableLength];
        OutputInfo main = info.Outputs[0];
        _outputWidth = main.Dimensions[^1];
        _rowsPerSample = main.Length / _outputWidth;
        _targetWidth = loss.TargetWidth(_outputWidth);
        TargetLength = _rowsPerSample * _targetWidth;
        _lastGoodParameters = new float[parameters.Length];
        _metricSums = new double[Metrics.Count];
        Optimizer.Build(_weightLengths);
    }

    /// <summary>
    /// Samples per chunk of a batch (see the class remarks): large enough for the matrix products' register tiles
    /// (6 rows), small enough that a batch of 64 gives two cores two chunks each.
    /// </summary>
    public const int ChunkSamples = 16;

    /// <summary>
    /// How many cores a training step may use (default 1): the batch's chunks of <see cref="ChunkSamples"/> samples
    /// run in parallel. Results are bitwise the same for every value (the chunks and the order of their sum are fixed),
    /// so this only changes speed. A step with more than one chunk and a degree above 1 allocates a little (the
    /// parallel loop's bookkeeping); at degree 1 a warm step allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set => _maxDegreeOfParallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDegreeOfParallelism must be at least 1.");
    }

    /// <summary>The model being trained (Keras's <c>callback.model</c>).</summary>
    public IRnnModel Model { get; }

    /// <summary>The compiled optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The compiled loss.</summary>
    public Loss Loss { get; }

    /// <summary>The compiled metrics.</summary>
    public IReadOnlyList<Metric> Metrics { get; }

    /// <summary>Floats of one sample's target: the main output's length, or its rows for a sparse loss.</summary>
    public int TargetLength { get; }

    /// <summary>Keras <c>model.stop_training</c>: a callback sets it to end <see cref="Fit"/> after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Why the last <see cref="Fit"/> stopped early, if it did.</summary>
    public string? StopReason { get; set; }

    /// <summary>The message for a model used for training before <c>Compile</c>.</summary>
    public static InvalidOperationException NotCompiled(string modelName) =>
        new($"{modelName} is not compiled: call Compile(optimizer, loss) before Fit, Evaluate, TrainOnBatch or ComputeGradients (as Keras's model.compile).");

    /// <summary>Restarts the random sequence of the dropout masks, so two runs drop the same units.</summary>
    public void SeedDropout(int seed)
    {
        _dropoutSeed = seed;
        for (int c = 0; c < _chunks.Count; c++)
        {
            _chunks[c].SeedDropout(seed, c);
        }
    }

    /// <summary>
    /// One optimizer step on one batch (Keras <c>train_on_batch</c>): forward in training mode, loss, gradients, update.
    /// Returns the batch's loss before the update. Allocates nothing once the buffers hold the batch size.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> and <paramref name="y"/> do not fit the model or each other.</exception>
    public float TrainOnBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int batch = CheckBatch(x, y);
        float loss = ForwardLoss(x, y, batch, training: true, accumulateMetrics: false);
        Step(x, batch);
        return loss;
    }

    /// <summary>
    /// The gradient of the compiled loss (mean over the batch, training mode: dropout active) with respect to every
    /// weight array, in <c>GetWeights()</c> order and layout. The weights are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> and <paramref name="y"/> do not fit the model or each other.</exception>
    public float[][] ComputeGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int batch = CheckBatch(x, y);
        ForwardLoss(x, y, batch, training: true, accumulateMetrics: false);
        return GeneratedModelSupport.SplitWeights(Backward(x, batch), Model.Info);
    }

    /// <summary>The compiled loss of one batch, in inference mode unless <paramref name="training"/> (then dropout draws masks).</summary>
    public float ComputeLoss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, bool training = false)
    {
        int batch = CheckBatch(x, y);
        return ForwardLoss(x, y, batch, training, accumulateMetrics: false);
    }

    /// <summary>Keras <c>model.evaluate</c>: the compiled loss over all samples, in inference mode, in batches of <paramref name="batchSize"/>.</summary>
    /// <exception cref="ArgumentException">The lengths do not fit the model or each other.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public float Evaluate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batchSize = 32) => EvaluateLogs(x, y, batchSize)["loss"];

    /// <summary>Keras <c>model.evaluate(..., return_dict=True)</c>: the loss and every metric.</summary>
    public IReadOnlyDictionary<string, float> EvaluateLogs(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batchSize = 32)
    {
        CheckBatchSize(batchSize);
        int samples = CheckBatch(x, y);
        var logs = new Dictionary<string, float>(StringComparer.Ordinal);
        EvaluateInto(x, y, samples, batchSize, logs, string.Empty);
        return logs;
    }

    private void EvaluateInto(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int samples, int batchSize, IDictionary<string, float> logs, string prefix)
    {
        int inputLength = Model.Info.InputLength;
        Array.Clear(_metricSums);
        _metricRows = 0;
        double lossSum = 0;
        for (int start = 0; start < samples; start += batchSize)
        {
            int count = Math.Min(batchSize, samples - start);
            float loss = ForwardLoss(x.Slice(start * inputLength, count * inputLength), y.Slice(start * TargetLength, count * TargetLength), count, training: false, accumulateMetrics: true);
            lossSum += (double)loss * count;
        }

        logs[prefix + "loss"] = (float)(lossSum / samples);
        for (int m = 0; m < Metrics.Count; m++)
        {
            logs[prefix + Metrics[m].Name] = MetricMean(m);
        }
    }

    // Metric m over the rows since the sums were cleared: keras Mean.result, divide_no_nan(total, count), so 0 when a
    // masked output kept no row.
    private float MetricMean(int m) => _metricRows > 0 ? (float)(_metricSums[m] / _metricRows) : 0f;

    private static void CheckBatchSize(int batchSize)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        }
    }

    // The number of samples in x, after checking that x and y hold whole samples of the same count.
    private int CheckBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y, string what = "x")
    {
        ModelInfo info = Model.Info;
        int inputLength = info.InputLength;
        if (x.Length == 0 || x.Length % inputLength != 0)
        {
            throw new ArgumentException(
                $"{what}: {info.Name} takes samples of {info.Timesteps} x {info.InputDim} = {inputLength} floats (batch first), but x has {x.Length} floats, not a positive multiple of {inputLength}.", what);
        }

        int samples = x.Length / inputLength;
        if (y.Length != samples * TargetLength)
        {
            string shape = _rowsPerSample > 1 ? $"{_rowsPerSample} x {_targetWidth}" : _targetWidth.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ArgumentException(
                $"{what}: x holds {samples} sample(s), so y must hold {samples} x {shape} = {samples * TargetLength} floats for {Loss.Name} on {info.Name}'s output {info.Outputs[0]}, but has {y.Length}.", what);
        }

        for (int r = 0; r < samples * _rowsPerSample; r++)
        {
            Loss.CheckTarget(y.Slice(r * _targetWidth, _targetWidth), _outputWidth);
        }

        if (info.Layers[0].Kind == LayerKind.Embedding)
        {
            // Every token before anything runs, as inference checks them: a bad one changes no weight.
            LayerInfo embedding = info.Layers[0];
            _embeddingLabel ??= $"{info.Name}'s layer '{embedding.Name}'"; // once: a warm step allocates nothing
            Kernels.EmbeddingKernels.CheckTokens(x, info.Timesteps, embedding.Weights[0].Length / embedding.OutputWidth, _embeddingLabel, what);
        }

        return samples;
    }
}
