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

/// <summary>
/// Keras <c>Adam</c>: <c>m += (g - m)(1 - beta1)</c>, <c>v += (g^2 - v)(1 - beta2)</c>,
/// <c>lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)</c>, <c>w -= lr_t m / (sqrt(v) + epsilon)</c>; with
/// <c>amsgrad</c> the running maximum of <c>v</c> replaces <c>v</c>.
/// </summary>
public class Adam : Optimizer
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
                i = UpdateVectors<Vector512<float>>(variable, gradient, m, v, alpha, oneMinusBeta1, oneMinusBeta2, Epsilon);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                i = UpdateVectors<Vector256<float>>(variable, gradient, m, v, alpha, oneMinusBeta1, oneMinusBeta2, Epsilon);
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                i = UpdateVectors<Vector128<float>>(variable, gradient, m, v, alpha, oneMinusBeta1, oneMinusBeta2, Epsilon);
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

    // Adam's rule over the whole vectors of the arrays; returns how many elements it updated.
    private static int UpdateVectors<TVector>(Span<float> variable, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, float alpha, float oneMinusBeta1, float oneMinusBeta2, float epsilon)
        where TVector : unmanaged
    {
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            Span<Vector512<float>> wv = MemoryMarshal.Cast<float, Vector512<float>>(variable);
            ReadOnlySpan<Vector512<float>> gv = MemoryMarshal.Cast<float, Vector512<float>>(gradient);
            Span<Vector512<float>> mv = MemoryMarshal.Cast<float, Vector512<float>>(m);
            Span<Vector512<float>> vv = MemoryMarshal.Cast<float, Vector512<float>>(v);
            Vector512<float> b1 = Vector512.Create(oneMinusBeta1), b2 = Vector512.Create(oneMinusBeta2), rate = Vector512.Create(alpha), eps = Vector512.Create(epsilon);
            for (int k = 0; k < wv.Length; k++)
            {
                Vector512<float> g = gv[k];
                Vector512<float> mk = mv[k] + (g - mv[k]) * b1;
                Vector512<float> vk = vv[k] + (g * g - vv[k]) * b2;
                mv[k] = mk;
                vv[k] = vk;
                wv[k] -= mk * rate / (Vector512.Sqrt(vk) + eps);
            }

            return wv.Length * Vector512<float>.Count;
        }

        if (typeof(TVector) == typeof(Vector256<float>))
        {
            Span<Vector256<float>> wv = MemoryMarshal.Cast<float, Vector256<float>>(variable);
            ReadOnlySpan<Vector256<float>> gv = MemoryMarshal.Cast<float, Vector256<float>>(gradient);
            Span<Vector256<float>> mv = MemoryMarshal.Cast<float, Vector256<float>>(m);
            Span<Vector256<float>> vv = MemoryMarshal.Cast<float, Vector256<float>>(v);
            Vector256<float> b1 = Vector256.Create(oneMinusBeta1), b2 = Vector256.Create(oneMinusBeta2), rate = Vector256.Create(alpha), eps = Vector256.Create(epsilon);
            for (int k = 0; k < wv.Length; k++)
            {
                Vector256<float> g = gv[k];
                Vector256<float> mk = mv[k] + (g - mv[k]) * b1;
                Vector256<float> vk = vv[k] + (g * g - vv[k]) * b2;
                mv[k] = mk;
                vv[k] = vk;
                wv[k] -= mk * rate / (Vector256.Sqrt(vk) + eps);
            }

            return wv.Length * Vector256<float>.Count;
        }

        {
            Span<Vector128<float>> wv = MemoryMarshal.Cast<float, Vector128<float>>(variable);
            ReadOnlySpan<Vector128<float>> gv = MemoryMarshal.Cast<float, Vector128<float>>(gradient);
            Span<Vector128<float>> mv = MemoryMarshal.Cast<float, Vector128<float>>(m);
            Span<Vector128<float>> vv = MemoryMarshal.Cast<float, Vector128<float>>(v);
            Vector128<float> b1 = Vector128.Create(oneMinusBeta1), b2 = Vector128.Create(oneMinusBeta2), rate = Vector128.Create(alpha), eps = Vector128.Create(epsilon);
            for (int k = 0; k < wv.Length; k++)
            {
                Vector128<float> g = gv[k];
                Vector128<float> mk = mv[k] + (g - mv[k]) * b1;
                Vector128<float> vk = vv[k] + (g * g - vv[k]) * b2;
                mv[k] = mk;
                vv[k] = vk;
                wv[k] -= mk * rate / (Vector128.Sqrt(vk) + eps);
            }

            return wv.Length * Vector128<float>.Count;
        }
    }
}

/// <summary>Keras <c>AdamW</c>: <see cref="Adam"/> with decoupled weight decay, default 0.004.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false, float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null)
        : base("adamw", learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
    }
}

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
