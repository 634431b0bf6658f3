using System;
using System.Collections.Generic;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>RMSprop</c>: <c>v = rho v + (1 - rho) g^2</c>; centered: <c>a = rho a + (1 - rho) g</c> and the
/// denominator <c>v - a^2 + epsilon</c>, else <c>v + epsilon</c>; <c>inc = lr g / sqrt(denominator)</c>; with
/// momentum <c>mom = momentum mom + inc</c>, <c>w -= mom</c>, else <c>w -= inc</c>.
/// </summary>
public sealed class RmsProp : Optimizer
{
    // The slots of all weight arrays, concatenated in Keras order (one pass updates them all); _offsets[i] is where
    // array i starts. The momentums only with momentum, the averages only when centered.
    private float[] _velocities = Array.Empty<float>();
    private float[] _momentums = Array.Empty<float>();
    private float[] _averages = Array.Empty<float>();
    private int[] _offsets = Array.Empty<int>();

    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null)
        : base("rmsprop", learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
    }

    /// <summary>Keras <c>rho</c>.</summary>
    public float Rho { get; }

    /// <summary>Keras <c>momentum</c>.</summary>
    public float Momentum { get; }

    /// <summary>Keras <c>epsilon</c>.</summary>
    public float Epsilon { get; }

    /// <summary>Keras <c>centered</c>.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<int> variableLengths)
    {
        _velocities = FlatSlot(variableLengths);
        _momentums = Momentum > 0 ? FlatSlot(variableLengths) : Array.Empty<float>();
        _averages = Centered ? FlatSlot(variableLengths) : Array.Empty<float>();
        _offsets = Offsets(variableLengths);
    }

    /// <inheritdoc/>
    protected override bool UpdateAll(Span<float> variables, ReadOnlySpan<float> gradients, float learningRate, long step)
    {
        Update(variables, gradients, _velocities, _momentums, _averages, learningRate);
        return true;
    }

    /// <inheritdoc/>
    protected override void UpdateStep(int index, Span<float> variable, ReadOnlySpan<float> gradient, float learningRate, long step)
    {
        int start = _offsets[index], length = variable.Length;
        Update(variable, gradient, _velocities.AsSpan(start, length),
            Momentum > 0 ? _momentums.AsSpan(start, length) : Span<float>.Empty,
            Centered ? _averages.AsSpan(start, length) : Span<float>.Empty, learningRate);
    }

    // RMSprop's rule on matching spans of the variables, their gradients and slots: one weight array, or all of them.
    private void Update(Span<float> variable, ReadOnlySpan<float> gradient, Span<float> velocity, Span<float> momentum, Span<float> average, float learningRate)
    {
        for (int i = 0; i < variable.Length; i++)
        {
            float g = gradient[i];
            velocity[i] = Rho * velocity[i] + (1 - Rho) * g * g;
            float denominator = velocity[i] + Epsilon;
            if (Centered)
            {
                average[i] = Rho * average[i] + (1 - Rho) * g;
                denominator = velocity[i] - average[i] * average[i] + Epsilon;
            }

            float increment = learningRate * g / MathF.Sqrt(denominator);
            if (Momentum > 0)
            {
                momentum[i] = Momentum * momentum[i] + increment;
                variable[i] -= momentum[i];
            }
            else
            {
                variable[i] -= increment;
            }
        }
    }
}
