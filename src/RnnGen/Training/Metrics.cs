using System;

namespace RnnGen.Training;

/// <summary>
/// A Keras metric reported during <c>Fit</c> and <c>Evaluate</c>: one value per row of the main output (as for
/// <see cref="Loss"/>), averaged over the epoch's rows as Keras's <c>MeanMetricWrapper</c> does.
/// </summary>
public abstract class Metric
{
    /// <summary>Creates a metric with the name its logs use.</summary>
    protected Metric(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>Keras <c>"mae"</c>: mean absolute error.</summary>
    public static Metric Mae => new MeanAbsoluteErrorMetric();

    /// <summary>Keras <c>"mse"</c>: mean squared error.</summary>
    public static Metric Mse => new MeanSquaredErrorMetric();

    /// <summary>
    /// Keras <c>"accuracy"</c>, resolved from the loss as Keras's <c>compile</c> does: binary accuracy (threshold 0.5)
    /// with <see cref="BinaryCrossentropy"/>, categorical accuracy with <see cref="CategoricalCrossentropy"/>, sparse
    /// categorical accuracy with <see cref="SparseCategoricalCrossentropy"/>, exact equality otherwise.
    /// </summary>
    public static Metric Accuracy => new AccuracyMetric();

    /// <summary>The name in the logs and in <see cref="History"/> (<c>mae</c>, <c>accuracy</c>; <c>val_</c> prefixed for validation).</summary>
    public string Name { get; }

    /// <summary>Whether larger is better (Keras's metric <c>_direction == "up"</c>), for <c>mode="auto"</c> of callbacks.</summary>
    public virtual bool HigherIsBetter => false;

    /// <summary>The metric of one target row against one prediction row, for the compiled <paramref name="loss"/>.</summary>
    public abstract float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Loss loss);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Keras <c>metrics.MeanAbsoluteError</c> (<c>"mae"</c>).</summary>
public sealed class MeanAbsoluteErrorMetric : Metric
{
    /// <summary>Creates the metric.</summary>
    public MeanAbsoluteErrorMetric()
        : base("mae")
    {
    }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Loss loss)
    {
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            sum += Math.Abs(prediction[i] - target[i]);
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>Keras <c>metrics.MeanSquaredError</c> (<c>"mse"</c>).</summary>
public sealed class MeanSquaredErrorMetric : Metric
{
    /// <summary>Creates the metric.</summary>
    public MeanSquaredErrorMetric()
        : base("mse")
    {
    }

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Loss loss)
    {
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double error = prediction[i] - target[i];
            sum += error * error;
        }

        return (float)(sum / prediction.Length);
    }
}

/// <summary>Keras <c>"accuracy"</c>; see <see cref="Metric.Accuracy"/> for how the kind follows the loss.</summary>
public sealed class AccuracyMetric : Metric
{
    /// <summary>Creates the metric.</summary>
    public AccuracyMetric()
        : base("accuracy")
    {
    }

    /// <inheritdoc/>
    public override bool HigherIsBetter => true;

    /// <inheritdoc/>
    public override float Compute(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Loss loss)
    {
        switch (loss)
        {
            case SparseCategoricalCrossentropy:
                return ArgMax(prediction) == (int)target[0] ? 1f : 0f;
            case CategoricalCrossentropy:
                return ArgMax(prediction) == ArgMax(target) ? 1f : 0f;
            case BinaryCrossentropy:
            {
                int hits = 0;
                for (int i = 0; i < prediction.Length; i++)
                {
                    hits += (prediction[i] > 0.5f ? 1f : 0f) == target[i] ? 1 : 0;
                }

                return (float)hits / prediction.Length;
            }

            default:
            {
                int hits = 0;
                for (int i = 0; i < prediction.Length; i++)
                {
                    hits += prediction[i] == target[i] ? 1 : 0;
                }

                return (float)hits / prediction.Length;
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
