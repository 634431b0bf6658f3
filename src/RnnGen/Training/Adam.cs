using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using RnnGen.Kernels;

namespace RnnGen.Training;

/// <summary>
/// Keras <c>Adam</c>: <c>m += (g - m)(1 - beta1)</c>, <c>v += (g^2 - v)(1 - beta2)</c>,
/// <c>lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)</c>, <c>w -= lr_t m / (sqrt(v) + epsilon)</c>; with
/// <c>amsgrad</c> the running maximum of <c>v</c> replaces <c>v</c>.
/// </summary>
public partial class Adam : Optimizer
{
    // The slots of all weight arrays, concatenated in Keras order (so one pass updates them all); _offsets[i] is where
    // array i starts.
    private float[] _m = Array.Empty<float>();
    private float[] _v = Array.Empty<float>();
    private float[] _vHat = Array.Empty<float>();
    private int[] _offsets = Array.Empty<int>();
    private long _alphaStep = -1;
    private float _alphaLearningRate;
    private float _alpha;

    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null)
        : this("adam", learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
    }

    /// <summary>For <see cref="AdamW"/>: the same rule under another name.</summary>
    protected Adam(string name, float learningRate, float beta1, float beta2, float epsilon, bool amsgrad, float? weightDecay, float? clipnorm, float? clipvalue, float? globalClipnorm)
        : base(name, learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
    }

    /// <summary>Keras <c>beta_1</c>.</summary>
    public float Beta1 { get; }

    /// <summary>Keras <c>beta_2</c>.</summary>
    public float Beta2 { get; }

    /// <summary>Keras <c>epsilon</c>.</summary>
    public float Epsilon { get; }

    /// <summary>Keras <c>amsgrad</c>.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<int> variableLengths)
    {
        _m = FlatSlot(variableLengths);
        _v = FlatSlot(variableLengths);
        _vHat = Amsgrad ? FlatSlot(variableLengths) : Array.Empty<float>();
        _offsets = Offsets(variableLengths);
    }

    /// <inheritdoc/>
    protected override bool UpdateAll(Span<float> variables, ReadOnlySpan<float> gradients, float learningRate, long step)
    {
        Update(variables, gradients, _m, _v, Amsgrad ? _vHat : Span<float>.Empty, learningRate, step);
        return true;
    }

    /// <inheritdoc/>
    protected override void UpdateStep(int index, Span<float> variable, ReadOnlySpan<float> gradient, float learningRate, long step) =>
        Update(variable, gradient, _m.AsSpan(_offsets[index], variable.Length), _v.AsSpan(_offsets[index], variable.Length),
            Amsgrad ? _vHat.AsSpan(_offsets[index], variable.Length) : Span<float>.Empty, learningRate, step);

    // Adam's rule on matching spans of the variables, their gradients and slots: one weight array, or all of them.
    private void Update(Span<float> variable, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, Span<float> vHat, float learningRate, long step)
    {
        if (step != _alphaStep || learningRate != _alphaLearningRate)
        {
            // The same for every weight array of a step: computed once per step rather than per array.
            float beta1Power = MathF.Pow(Beta1, step), beta2Power = MathF.Pow(Beta2, step);
            _alpha = learningRate * MathF.Sqrt(1 - beta2Power) / (1 - beta1Power);
            _alphaStep = step;
            _alphaLearningRate = learningRate;
        }

        float alpha = _alpha;
        float oneMinusBeta1 = 1 - Beta1, oneMinusBeta2 = 1 - Beta2;
        int i = 0;
        if (!Amsgrad)
        {
            // The same expressions on whole vectors, in one pass over the four arrays; not fused, so every element
            // rounds as the scalar loop below would.
            if (Vector512.IsHardwareAccelerated)
            {
                i = UpdateVectors(variable, gradient, m, v, Vector512.Create(alpha), Vector512.Create(oneMinusBeta1), Vector512.Create(oneMinusBeta2), Vector512.Create(Epsilon));
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                i = UpdateVectors(variable, gradient, m, v, Vector256.Create(alpha), Vector256.Create(oneMinusBeta1), Vector256.Create(oneMinusBeta2), Vector256.Create(Epsilon));
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                i = UpdateVectors(variable, gradient, m, v, Vector128.Create(alpha), Vector128.Create(oneMinusBeta1), Vector128.Create(oneMinusBeta2), Vector128.Create(Epsilon));
            }
        }

        for (; i < variable.Length; i++)
        {
            float g = gradient[i];
            m[i] += (g - m[i]) * oneMinusBeta1;
            v[i] += (g * g - v[i]) * oneMinusBeta2;
            float second = v[i];
            if (Amsgrad)
            {
                vHat[i] = MathF.Max(vHat[i], v[i]);
                second = vHat[i];
            }

            variable[i] -= m[i] * alpha / (MathF.Sqrt(second) + Epsilon);
        }
    }

    // Adam's rule over the whole vectors of the arrays; returns how many elements it updated. Written for Vector512;
    // the build writes the Vector256 and Vector128 copies (Kernels/VectorWidthsAttribute.cs).
    [VectorWidths]
    private static int UpdateVectors(Span<float> variable, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        Vector512<float> rate, Vector512<float> oneMinusBeta1, Vector512<float> oneMinusBeta2, Vector512<float> epsilon)
    {
        Span<Vector512<float>> wv = MemoryMarshal.Cast<float, Vector512<float>>(variable);
        ReadOnlySpan<Vector512<float>> gv = MemoryMarshal.Cast<float, Vector512<float>>(gradient);
        Span<Vector512<float>> mv = MemoryMarshal.Cast<float, Vector512<float>>(m);
        Span<Vector512<float>> vv = MemoryMarshal.Cast<float, Vector512<float>>(v);
        for (int k = 0; k < wv.Length; k++)
        {
            Vector512<float> g = gv[k];
            Vector512<float> mk = mv[k] + (g - mv[k]) * oneMinusBeta1;
            Vector512<float> vk = vv[k] + (g * g - vv[k]) * oneMinusBeta2;
            mv[k] = mk;
            vv[k] = vk;
            wv[k] -= mk * rate / (Vector512.Sqrt(vk) + epsilon);
        }

        return wv.Length * Vector512<float>.Count;
    }
}
