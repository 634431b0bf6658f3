using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Activation</c> layer in a <see cref="SequentialAttribute"/> stack: the named activation of every
/// value, at every timestep of a sequence (<c>keras/src/layers/activations/activation.py</c>). It has no weights and
/// keeps its input's shape. <c>"softmax"</c> is taken over the last axis, as Keras's default.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : Attribute
{
    /// <summary>Declares the layer.</summary>
    /// <param name="activation">Keras <c>activation</c>: the name of a Keras activation (<c>"relu"</c>, <c>"tanh"</c>, <c>"softmax"</c>, ...).</param>
    public ActivationAttribute(string activation) => Activation = activation;

    /// <summary>Keras <c>activation</c>: the name of a Keras activation.</summary>
    public string Activation { get; }
}

/// <summary>
/// Declares a Keras <c>Rescaling</c> layer in a <see cref="SequentialAttribute"/> stack: <c>y = x * scale + offset</c> for
/// every value (<c>keras/src/layers/preprocessing/rescaling.py</c>), the in-model preprocessing of raw inputs. It has no
/// weights and keeps its input's shape. Keras also accepts a list of per-channel scales; RnnGen takes one number each.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RescalingAttribute : Attribute
{
    /// <summary>Declares the layer.</summary>
    /// <param name="scale">Keras <c>scale</c>: the factor every value is multiplied by; finite.</param>
    public RescalingAttribute(float scale) => Scale = scale;

    /// <summary>Keras <c>scale</c>: the factor every value is multiplied by.</summary>
    public float Scale { get; }

    /// <summary>Keras <c>offset</c>: added after scaling; finite. Default 0.</summary>
    public float Offset { get; set; }
}
