using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Conv1D</c> layer in a <see cref="SequentialAttribute"/> stack: a 1-D convolution over the time
/// axis, <c>y[t] = activation(b + sum over k, c of x[t * strides + k * dilation - pad][c] * W[k, c])</c>,
/// <c>(timesteps, features) -> (output timesteps, filters)</c> (<c>keras/src/layers/convolutional/conv1d.py</c>,
/// <c>base_conv.py</c>). Its kernel has Keras's shape <c>[kernelSize, features / groups, filters]</c>. The output has
/// fewer timesteps than the input with <c>Padding = "valid"</c> or <c>Strides</c> above 1; the layers after it are sized
/// for that. <c>data_format="channels_last"</c>, Keras's default, is the only form declared.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute : Attribute
{
    /// <summary>Declares a Conv1D layer of <paramref name="filters"/> filters of <paramref name="kernelSize"/> timesteps (Keras <c>Conv1D(filters, kernel_size)</c>).</summary>
    /// <param name="filters">Output features per timestep; positive.</param>
    /// <param name="kernelSize">Timesteps each filter reads (before dilation); positive.</param>
    public Conv1DAttribute(int filters, int kernelSize)
    {
        Filters = filters;
        KernelSize = kernelSize;
    }

    /// <summary>Output features per timestep: Keras <c>filters</c>.</summary>
    public int Filters { get; }

    /// <summary>Timesteps each filter reads: Keras <c>kernel_size</c>.</summary>
    public int KernelSize { get; }

    /// <summary>Keras <c>strides</c>: timesteps between two outputs. Default 1.</summary>
    public int Strides { get; set; } = Shared.TimeWindows.DefaultStrides;

    /// <summary>Keras <c>padding</c>: <c>"valid"</c> (default), <c>"same"</c> or <c>"causal"</c>.</summary>
    public string Padding { get; set; } = Shared.TimeWindows.Valid;

    /// <summary>Keras <c>dilation_rate</c>: timesteps between two taps of a filter. Default 1; Keras allows it above 1 only with <c>Strides = 1</c>.</summary>
    public int DilationRate { get; set; } = 1;

    /// <summary>Keras <c>groups</c>: the input features and the filters split into this many groups, each convolved apart. Default 1.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Keras <c>activation</c>, by Keras name (softmax excepted). Default <c>"linear"</c>.</summary>
    public string Activation { get; set; } = Shared.LayerOptions.DefaultDenseActivation;

    /// <summary>Keras <c>use_bias</c>. Default <see langword="true"/>.</summary>
    public bool UseBias { get; set; } = Shared.LayerOptions.DefaultUseBias;

    /// <summary>Keras <c>kernel_initializer</c>, by Keras name. Default <c>"glorot_uniform"</c>.</summary>
    public string KernelInitializer { get; set; } = Shared.LayerOptions.DefaultKernelInitializer;

    /// <summary>Keras <c>bias_initializer</c>, by Keras name. Default <c>"zeros"</c>.</summary>
    public string BiasInitializer { get; set; } = Shared.LayerOptions.DefaultBiasInitializer;
}

/// <summary>
/// Declares a Keras <c>MaxPooling1D</c> layer in a <see cref="SequentialAttribute"/> stack: the maximum of each feature
/// over windows of <c>PoolSize</c> timesteps, <c>Strides</c> apart (<c>keras/src/layers/pooling/max_pooling1d.py</c>).
/// It has no weights. With <c>Padding = "same"</c> the windows that reach past the sequence take the maximum of the
/// timesteps they cover. Keras's <c>data_format="channels_last"</c> is the only form declared.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPooling1DAttribute : Attribute
{
    /// <summary>Declares a MaxPooling1D layer over windows of <paramref name="poolSize"/> timesteps (Keras <c>MaxPooling1D(pool_size)</c>).</summary>
    /// <param name="poolSize">Timesteps per window; positive. Keras's default is 2.</param>
    public MaxPooling1DAttribute(int poolSize = Shared.TimeWindows.DefaultPoolSize) => PoolSize = poolSize;

    /// <summary>Timesteps per window: Keras <c>pool_size</c>.</summary>
    public int PoolSize { get; }

    /// <summary>Keras <c>strides</c>: timesteps between two windows. Left out (Keras <c>None</c>), the pool size.</summary>
    public int Strides { get; set; }

    /// <summary>Keras <c>padding</c>: <c>"valid"</c> (default) or <c>"same"</c>.</summary>
    public string Padding { get; set; } = Shared.TimeWindows.Valid;
}

/// <summary>
/// Declares a Keras <c>AveragePooling1D</c> layer in a <see cref="SequentialAttribute"/> stack: the mean of each feature
/// over windows of <c>PoolSize</c> timesteps, <c>Strides</c> apart (<c>keras/src/layers/pooling/average_pooling1d.py</c>).
/// It has no weights. With <c>Padding = "same"</c> a window that reaches past the sequence averages only the timesteps it
/// covers, as Keras's backends do. Keras's <c>data_format="channels_last"</c> is the only form declared.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePooling1DAttribute : Attribute
{
    /// <summary>Declares an AveragePooling1D layer over windows of <paramref name="poolSize"/> timesteps (Keras <c>AveragePooling1D(pool_size)</c>).</summary>
    /// <param name="poolSize">Timesteps per window; positive. Keras's default is 2.</param>
    public AveragePooling1DAttribute(int poolSize = Shared.TimeWindows.DefaultPoolSize) => PoolSize = poolSize;

    /// <summary>Timesteps per window: Keras <c>pool_size</c>.</summary>
    public int PoolSize { get; }

    /// <summary>Keras <c>strides</c>: timesteps between two windows. Left out (Keras <c>None</c>), the pool size.</summary>
    public int Strides { get; set; }

    /// <summary>Keras <c>padding</c>: <c>"valid"</c> (default) or <c>"same"</c>.</summary>
    public string Padding { get; set; } = Shared.TimeWindows.Valid;
}
