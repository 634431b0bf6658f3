using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>LayerNormalization</c> layer in a <see cref="SequentialAttribute"/> stack: each vector of the
/// last axis (each timestep of a sequence) is normalized by its own mean and variance,
/// <c>y = (x - mean(x)) / sqrt(var(x) + epsilon) * gamma + beta</c> (<c>keras/src/layers/normalization/layer_normalization.py</c>).
/// Keras's defaults apply; only the last axis is supported (<c>axis=-1</c>, the Keras default).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormalizationAttribute : Attribute
{
    /// <summary>Keras <c>axis</c>: -1 (the last axis) is the only value RnnGen generates. Default -1.</summary>
    public int Axis { get; set; } = Shared.LayerOptions.DefaultAxis;

    /// <summary>Keras <c>epsilon</c>, added to the variance; positive. Default 1e-3.</summary>
    public float Epsilon { get; set; } = Shared.LayerOptions.DefaultNormalizationEpsilon;

    /// <summary>Keras <c>center</c>: add the weight <c>beta</c>. Default <see langword="true"/>.</summary>
    public bool Center { get; set; } = Shared.LayerOptions.DefaultCenter;

    /// <summary>Keras <c>scale</c>: multiply by the weight <c>gamma</c>. Default <see langword="true"/>.</summary>
    public bool Scale { get; set; } = Shared.LayerOptions.DefaultScale;
}

/// <summary>
/// Declares a Keras <c>BatchNormalization</c> layer in a <see cref="SequentialAttribute"/> stack, as it computes at
/// inference (<c>training=False</c>): with the moving statistics it learned,
/// <c>y = (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta</c> on the last axis, at every timestep of a
/// sequence (<c>keras/src/layers/normalization/batch_normalization.py</c>). Keras's defaults apply; only the last axis
/// is supported (<c>axis=-1</c>, the Keras default).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormalizationAttribute : Attribute
{
    /// <summary>Keras <c>axis</c>: -1 (the last axis) is the only value RnnGen generates. Default -1.</summary>
    public int Axis { get; set; } = Shared.LayerOptions.DefaultAxis;

    /// <summary>Keras <c>momentum</c> of the moving statistics; used only in training, accepted so that a model declares as it was built. In [0, 1]. Default 0.99.</summary>
    public float Momentum { get; set; } = Shared.LayerOptions.DefaultMomentum;

    /// <summary>Keras <c>epsilon</c>, added to the moving variance; positive. Default 1e-3.</summary>
    public float Epsilon { get; set; } = Shared.LayerOptions.DefaultNormalizationEpsilon;

    /// <summary>Keras <c>center</c>: add the weight <c>beta</c>. Default <see langword="true"/>.</summary>
    public bool Center { get; set; } = Shared.LayerOptions.DefaultCenter;

    /// <summary>Keras <c>scale</c>: multiply by the weight <c>gamma</c>. Default <see langword="true"/>.</summary>
    public bool Scale { get; set; } = Shared.LayerOptions.DefaultScale;
}

/// <summary>
/// Declares a Keras <c>Normalization</c> preprocessing layer in a <see cref="SequentialAttribute"/> stack, with the
/// statistics <c>adapt()</c> stored as its weights <c>mean</c>, <c>variance</c> and <c>count</c>:
/// <c>y = (x - mean) / max(sqrt(variance), 1e-7)</c> per feature on the last axis, at every timestep of a sequence, or
/// with <see cref="Invert"/> <c>y = mean + x * max(sqrt(variance), 1e-7)</c>
/// (<c>keras/src/layers/preprocessing/normalization.py</c>). Its weights are not trained. Only the last axis is
/// supported (<c>axis=-1</c>, the Keras default), and only adapted statistics (a Keras layer built with
/// <c>mean=</c> and <c>variance=</c> keeps them in its config, not as weights: set them with <c>SetWeights</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class NormalizationAttribute : Attribute
{
    /// <summary>Keras <c>axis</c>: -1 (the last axis) is the only value RnnGen generates. Default -1.</summary>
    public int Axis { get; set; } = Shared.LayerOptions.DefaultAxis;

    /// <summary>Keras <c>invert</c>: turn normalized values back into the data's scale. Default <see langword="false"/>.</summary>
    public bool Invert { get; set; } = Shared.LayerOptions.DefaultInvert;
}
