using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Dense</c> layer in a <see cref="SequentialAttribute"/> stack: <c>y = activation(x·W + b)</c>
/// on the last axis (at every timestep when its input is a sequence, as Keras does).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a Dense layer with <paramref name="units"/> outputs (Keras <c>Dense(units)</c>).</summary>
    /// <param name="units">Dimensionality of the output space; positive.</param>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Dimensionality of the output space: Keras <c>units</c>.</summary>
    public int Units { get; }

    /// <summary>Keras <c>activation</c>, by Keras name; <c>"softmax"</c> is allowed here. Default <c>"linear"</c>.</summary>
    public string Activation { get; set; } = Shared.LayerOptions.DefaultDenseActivation;

    /// <summary>Keras <c>use_bias</c>. Default <see langword="true"/>.</summary>
    public bool UseBias { get; set; } = Shared.LayerOptions.DefaultUseBias;

    /// <summary>Keras <c>kernel_initializer</c>, by Keras name. Default <c>"glorot_uniform"</c>.</summary>
    public string KernelInitializer { get; set; } = Shared.LayerOptions.DefaultKernelInitializer;

    /// <summary>Keras <c>bias_initializer</c>, by Keras name. Default <c>"zeros"</c>.</summary>
    public string BiasInitializer { get; set; } = Shared.LayerOptions.DefaultBiasInitializer;
}
