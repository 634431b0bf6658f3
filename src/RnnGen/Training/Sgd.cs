using System;
using System.Collections.Generic;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>SGD</c>: without momentum <c>w -= lr g</c>; with momentum <c>m = momentum m - lr g</c>, then
/// <c>w += m</c>, or with Nesterov <c>w += momentum m - lr g</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    // The momentums of all weight arrays, concatenated in Keras order (one pass updates them all); _offsets[i] is
    // where array i starts. Empty without momentum.
    private float[] _momentums = Array.Empty<float>();
    private int[] _offsets = Array.Empty<int>();

    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null)
        : base("sgd", learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1] (Keras's check).");
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Keras <c>momentum</c>.</summary>
    public float Momentum { get; }

    /// <summary>Keras <c>nesterov</c>.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<int> variableLengths)
    {
        _momentums = Momentum != 0 ? FlatSlot(variableLengths) : Array.Empty<float>();
        _offsets = Offsets(variableLengths);
    }

    /// <inheritdoc/>
    protected override bool UpdateAll(Span<float> variables, ReadOnlySpan<float> gradients, float learningRate, long step)
    {
        Update(variables, gradients, _momentums, learningRate);
        return true;
    }

    /// <inheritdoc/>
    protected override void UpdateStep(int index, Span<float> variable, ReadOnlySpan<float> gradient, float learningRate, long step) =>
        Update(variable, gradient, Momentum != 0 ? _momentums.AsSpan(_offsets[index], variable.Length) : Span<float>.Empty, learningRate);

    // SGD's rule on matching spans of the variables, their gradients and momentums: one weight array, or all of them.
    private void Update(Span<float> variable, ReadOnlySpan<float> gradient, Span<float> m, float learningRate)
    {
        if (Momentum == 0)
        {
            for (int i = 0; i < variable.Length; i++)
            {
                variable[i] -= gradient[i] * learningRate;
            }

            return;
        }

        for (int i = 0; i < variable.Length; i++)
        {
            m[i] = -gradient[i] * learningRate + m[i] * Momentum;
            variable[i] += Nesterov ? -gradient[i] * learningRate + m[i] * Momentum : m[i];
        }
    }
}
