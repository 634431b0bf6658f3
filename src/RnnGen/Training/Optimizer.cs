using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace RnnGen.Training;

/// <summary>
/// A Keras 3 optimizer (<c>keras/src/optimizers/base_optimizer.py</c>). Each step, as Keras's <c>apply</c>: the
/// gradients are clipped (<c>clipnorm</c> per weight array, else <c>globalClipnorm</c> over all, else <c>clipvalue</c>
/// element-wise; at most one may be set), weight decay is applied (<c>w -= w * weightDecay * learningRate</c>),
/// then the optimizer's update rule runs on each weight array and <see cref="Iterations"/> advances.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Sets the options every Keras optimizer takes.</summary>
    protected Optimizer(string name, float learningRate, float? weightDecay, float? clipnorm, float? clipvalue, float? globalClipnorm)
    {
        Name = name;
        int set = (clipnorm is null ? 0 : 1) + (clipvalue is null ? 0 : 1) + (globalClipnorm is null ? 0 : 1);
        if (set > 1)
        {
            // keras BaseOptimizer.__init__ raises the same.
            throw new ArgumentException($"Only one of clipnorm, clipvalue and globalClipnorm can be set; got clipnorm={clipnorm}, clipvalue={clipvalue}, globalClipnorm={globalClipnorm}.");
        }

        RequireNonNegative(learningRate, nameof(learningRate));
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Clipnorm = clipnorm;
        Clipvalue = clipvalue;
        GlobalClipnorm = globalClipnorm;
    }

    /// <summary>The Keras name (<c>adam</c>, <c>sgd</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Keras <c>learning_rate</c>; callbacks such as <see cref="ReduceLROnPlateau"/> change it between epochs.</summary>
    public float LearningRate { get; set; }

    /// <summary>Keras <c>weight_decay</c> (decoupled: applied to the weights, not added to the gradients).</summary>
    public float? WeightDecay { get; }

    /// <summary>Keras <c>clipnorm</c>: each weight array's gradient is scaled down to at most this L2 norm.</summary>
    public float? Clipnorm { get; }

    /// <summary>Keras <c>clipvalue</c>: each gradient element is clipped to <c>[-clipvalue, clipvalue]</c>.</summary>
    public float? Clipvalue { get; }

    /// <summary>Keras <c>global_clipnorm</c>: all gradients are scaled down together to at most this global L2 norm.</summary>
    public float? GlobalClipnorm { get; }

    /// <summary>Keras <c>optimizer.iterations</c>: the number of steps applied.</summary>
    public long Iterations { get; private set; }

    /// <summary>Whether <see cref="Build"/> has run.</summary>
    protected bool IsBuilt { get; private set; }

    /// <summary>Creates the optimizer's slots (momentums, velocities) for weight arrays of the given lengths; called once by Compile.</summary>
    public void Build(IReadOnlyList<int> variableLengths)
    {
        ArgumentNullException.ThrowIfNull(variableLengths);
        CreateSlots(variableLengths);
        IsBuilt = true;
    }

    /// <summary>Allocates the optimizer's per-variable state.</summary>
    protected abstract void CreateSlots(IReadOnlyList<int> variableLengths);

    /// <summary>
    /// Applies one step: <paramref name="gradients"/> and <paramref name="variables"/> are the flat weight arrays in
    /// Keras order, cut by <paramref name="lengths"/>. The gradients may be modified (clipping). Allocates nothing.
    /// </summary>
    public void Apply(Span<float> variables, Span<float> gradients, IReadOnlyList<int> lengths)
    {
        if (!IsBuilt)
        {
            throw new InvalidOperationException($"The {Name} optimizer has not been built: compile the model with it first.");
        }

        ClipGradients(gradients, lengths);
        float learningRate = LearningRate;
        long step = Iterations + 1; // keras: local_step = iterations + 1
        if (WeightDecay is float decay && decay != 0)
        {
            // Keras decays each array before its update; every element's decay and update involve that element
            // alone, so decaying all arrays first gives the same numbers.
            float factor = decay * learningRate;
            for (int i = 0; i < variables.Length; i++)
            {
                variables[i] -= variables[i] * factor;
            }
        }

        if (!UpdateAll(variables, gradients, learningRate, step))
        {
            int offset = 0;
            for (int v = 0; v < lengths.Count; v++)
            {
                UpdateStep(v, variables.Slice(offset, lengths[v]), gradients.Slice(offset, lengths[v]), learningRate, step);
                offset += lengths[v];
            }
        }

        Iterations++;
    }

    /// <summary>The optimizer's rule for one weight array (Keras <c>update_step</c>); <paramref name="step"/> counts from 1.</summary>
    protected abstract void UpdateStep(int index, Span<float> variable, ReadOnlySpan<float> gradient, float learningRate, long step);

    /// <summary>
    /// The rule over every weight array at once, in one pass over the concatenated arrays, for a rule whose every
    /// element's update involves only that element's gradient and slots (so the pass gives the numbers the
    /// per-array <see cref="UpdateStep"/> calls would). Returns <see langword="false"/> (the default) to have
    /// <see cref="UpdateStep"/> called per array instead.
    /// </summary>
    protected virtual bool UpdateAll(Span<float> variables, ReadOnlySpan<float> gradients, float learningRate, long step) => false;

    private void ClipGradients(Span<float> gradients, IReadOnlyList<int> lengths)
    {
        if (Clipnorm is float clipnorm && clipnorm > 0)
        {
            int offset = 0;
            for (int v = 0; v < lengths.Count; v++)
            {
                Span<float> g = gradients.Slice(offset, lengths[v]);
                ScaleToNorm(g, Norm(g), clipnorm);
                offset += lengths[v];
            }
        }
        else if (GlobalClipnorm is float global && global > 0)
        {
            // keras clip_by_global_norm: scale = clip_norm / max(global_norm, clip_norm)
            ScaleToNorm(gradients, Norm(gradients), global);
        }
        else if (Clipvalue is float clipvalue && clipvalue > 0)
        {
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i] = Math.Clamp(gradients[i], -clipvalue, clipvalue);
            }
        }
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }

    // keras clip_by_norm: values * clip_norm / max(norm, clip_norm).
    private static void ScaleToNorm(Span<float> values, double norm, float clip)
    {
        if (norm <= clip)
        {
            return;
        }

        float scale = (float)(clip / norm);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number at or above 0.</summary>
    protected static void RequireNonNegative(float value, string name)
    {
        if (!(value >= 0) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number at or above 0.");
        }
    }

    /// <summary>Allocates one zeroed array as long as all the variables together.</summary>
    protected static float[] FlatSlot(IReadOnlyList<int> lengths)
    {
        int total = 0;
        for (int i = 0; i < lengths.Count; i++)
        {
            total += lengths[i];
        }

        return new float[total];
    }

    /// <summary>Where each variable starts in a <see cref="FlatSlot"/>.</summary>
    protected static int[] Offsets(IReadOnlyList<int> lengths)
    {
        var offsets = new int[lengths.Count];
        for (int i = 1; i < offsets.Length; i++)
        {
            offsets[i] = offsets[i - 1] + lengths[i - 1];
        }

        return offsets;
    }
}
