using System;

namespace RnnGen.Training;

/// <summary>
/// A Keras loss. The model's main output is cut into rows along its last axis (one per sample, or one per sample and
/// timestep for a sequence); <see cref="Compute"/> gives one row's loss and its gradient, and the compiled loss is the
/// mean over all rows, as Keras's default reduction <c>"sum_over_batch_size"</c> computes it.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras's <c>epsilon()</c>, 1e-7: how far probabilities are clipped away from 0 and 1.</summary>
    protected const float Epsilon = 1e-7f;

    /// <summary>Creates a loss with its Keras name.</summary>
    protected Loss(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The Keras name, e.g. <c>mean_squared_error</c>.</summary>
    public string Name { get; }

    /// <summary>Floats of a target row for a prediction row of <paramref name="predictionWidth"/> floats: the same, or 1 for a class index.</summary>
    public virtual int TargetWidth(int predictionWidth) => predictionWidth;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> if <paramref name="target"/> is not a valid target row for predictions
    /// of <paramref name="predictionWidth"/> floats. Called for every row before a batch trains, so a bad target
    /// changes nothing.
    /// </summary>
    public virtual void CheckTarget(ReadOnlySpan<float> target, int predictionWidth)
    {
    }

    /// <summary>The loss of one row and, in <paramref name="gradient"/>, its derivative with respect to each prediction.</summary>
    /// <param name="target">The target row (<see cref="TargetWidth"/> floats).</param>
    /// <param name="prediction">The model's row.</param>
    /// <param name="gradient">Receives <c>d loss / d prediction</c>, as long as <paramref name="prediction"/>.</param>
    public abstract float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Keras <c>MeanSquaredError</c>: <c>mean((y_pred - y_true)^2)</c> over the last axis.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <summary>Creates the loss (Keras <c>loss="mse"</c>).</summary>
    public MeanSquaredError()
        : base("mean_squared_error")
    {
    }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
    {
        double sum = 0;
        float scale = 2f / prediction.Length;
        for (int i = 0; i < prediction.Length; i++)
        {
            float error = prediction[i] - target[i];
            sum += error * error;
            gradient[i] = scale * error;
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>Keras <c>MeanAbsoluteError</c>: <c>mean(|y_pred - y_true|)</c> over the last axis (gradient 0 where they are equal).</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <summary>Creates the loss (Keras <c>loss="mae"</c>).</summary>
    public MeanAbsoluteError()
        : base("mean_absolute_error")
    {
    }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        for (int i = 0; i < prediction.Length; i++)
        {
            float error = prediction[i] - target[i];
            sum += MathF.Abs(error);
            gradient[i] = scale * MathF.Sign(error);
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>
/// Keras <c>Huber(delta=1.0)</c>: per element <c>0.5 e^2</c> where <c>|e| &lt;= delta</c>, else
/// <c>delta (|e| - 0.5 delta)</c>, averaged over the last axis.
/// </summary>
public sealed class Huber : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear (Keras default 1.0).</param>
    public Huber(float delta = 1f)
        : base("huber_loss")
    {
        if (!(delta > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be positive.");
        }

        Delta = delta;
    }

    /// <summary>Keras <c>delta</c>.</summary>
    public float Delta { get; }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        for (int i = 0; i < prediction.Length; i++)
        {
            float error = prediction[i] - target[i];
            float absolute = MathF.Abs(error);
            if (absolute <= Delta)
            {
                sum += 0.5f * error * error;
                gradient[i] = scale * error;
            }
            else
            {
                sum += Delta * absolute - 0.5f * Delta * Delta;
                gradient[i] = scale * Delta * MathF.Sign(error);
            }
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>
/// Keras <c>BinaryCrossentropy</c>, averaged over the last axis. From probabilities (the default) they are clipped
/// to <c>[1e-7, 1 - 1e-7]</c> as Keras's backend does (no gradient through a clipped value); from logits it is
/// <c>max(x, 0) - x y + log(1 + exp(-|x|))</c> with gradient <c>sigmoid(x) - y</c>.
/// </summary>
public sealed class BinaryCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities (Keras default false).</param>
    public BinaryCrossentropy(bool fromLogits = false)
        : base("binary_crossentropy") => FromLogits = fromLogits;

    /// <summary>Keras <c>from_logits</c>.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        for (int i = 0; i < prediction.Length; i++)
        {
            float y = target[i], x = prediction[i];
            if (FromLogits)
            {
                sum += Math.Max(x, 0f) - x * y + Math.Log(1.0 + Math.Exp(-Math.Abs(x)));
                gradient[i] = scale * (Activations.Sigmoid(x) - y);
                continue;
            }

            float p = Math.Clamp(x, Epsilon, 1f - Epsilon);
            sum -= y * Math.Log(p) + (1 - y) * Math.Log(1 - p);
            gradient[i] = x >= Epsilon && x <= 1f - Epsilon ? scale * (-y / p + (1 - y) / (1 - p)) : 0f;
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>
/// Keras <c>CategoricalCrossentropy</c> over the last axis with one-hot (or soft) targets. From probabilities they
/// are first divided by their sum and clipped to <c>[1e-7, 1 - 1e-7]</c> as Keras's backend does; from logits it is
/// <c>logsumexp(x) Σy - Σ y x</c> with gradient <c>softmax(x) Σy - y</c>.
/// </summary>
public sealed class CategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities (Keras default false).</param>
    public CategoricalCrossentropy(bool fromLogits = false)
        : base("categorical_crossentropy") => FromLogits = fromLogits;

    /// <summary>Keras <c>from_logits</c>.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient) =>
        FromLogits ? CrossentropyMath.FromLogits(target, -1, prediction, gradient) : CrossentropyMath.FromProbabilities(target, -1, prediction, gradient);
}

/// <summary>
/// Keras <c>SparseCategoricalCrossentropy</c>: the target row is one class index (as a float) per prediction row;
/// otherwise as <see cref="CategoricalCrossentropy"/> with the one-hot target of that index.
/// </summary>
public sealed class SparseCategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities (Keras default false).</param>
    public SparseCategoricalCrossentropy(bool fromLogits = false)
        : base("sparse_categorical_crossentropy") => FromLogits = fromLogits;

    /// <summary>Keras <c>from_logits</c>.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override int TargetWidth(int predictionWidth) => 1;

    /// <inheritdoc/>
    public override void CheckTarget(ReadOnlySpan<float> target, int predictionWidth)
    {
        float label = target[0];
        int index = (int)label;
        if (index != label || index < 0 || index >= predictionWidth)
        {
            throw new ArgumentException($"Sparse categorical target {label} is not a class index in [0, {predictionWidth - 1}].", nameof(target));
        }
    }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
    {
        CheckTarget(target, prediction.Length);
        int index = (int)target[0];
        return FromLogits ? CrossentropyMath.FromLogits(default, index, prediction, gradient) : CrossentropyMath.FromProbabilities(default, index, prediction, gradient);
    }
}

/// <summary>Categorical crossentropy for a dense target row, or for the one-hot row of class <c>index</c> when it is 0 or more.</summary>
internal static class CrossentropyMath
{
    private const float Epsilon = 1e-7f;

    private static float Target(ReadOnlySpan<float> target, int index, int i) => index >= 0 ? (i == index ? 1f : 0f) : target[i];

    public static float FromLogits(ReadOnlySpan<float> target, int index, ReadOnlySpan<float> logits, Span<float> gradient)
    {
        float max = float.NegativeInfinity;
        foreach (float x in logits)
        {
            max = MathF.Max(max, x);
        }

        double total = 0;
        foreach (float x in logits)
        {
            total += Math.Exp(x - max);
        }

        double logSumExp = max + Math.Log(total);
        double loss = 0, targetSum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float y = Target(target, index, i);
            targetSum += y;
            loss -= y * (logits[i] - logSumExp);
        }

        for (int i = 0; i < logits.Length; i++)
        {
            gradient[i] = (float)(Math.Exp(logits[i] - logSumExp) * targetSum - Target(target, index, i));
        }

        return (float)loss;
    }

    public static float FromProbabilities(ReadOnlySpan<float> target, int index, ReadOnlySpan<float> output, Span<float> gradient)
    {
        double sum = 0;
        foreach (float o in output)
        {
            sum += o;
        }

        // q = output / sum(output); p = clip(q); loss = -Σ y log p. gradient[i] first holds dL/dq.
        double loss = 0, weighted = 0;
        for (int i = 0; i < output.Length; i++)
        {
            float y = Target(target, index, i);
            double q = output[i] / sum;
            double p = Math.Clamp(q, Epsilon, 1 - Epsilon);
            loss -= y * Math.Log(p);
            double dq = q >= Epsilon && q <= 1 - Epsilon ? -y / p : 0;
            gradient[i] = (float)dq;
            weighted += dq * q;
        }

        // dq_k/do_j = (δ_jk - q_k) / sum
        for (int i = 0; i < output.Length; i++)
        {
            gradient[i] = (float)((gradient[i] - weighted) / sum);
        }

        return (float)loss;
    }
}
