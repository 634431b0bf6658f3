using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>GlobalAveragePooling1D</c> layer in a <see cref="SequentialAttribute"/> stack: the mean of each
/// feature over the timesteps of a sequence, <c>(timesteps, features) -> (features)</c>
/// (<c>keras/src/layers/pooling/global_average_pooling1d.py</c>). It has no weights. In a masked call it averages the
/// unmasked timesteps only, as Keras does with the mask a recurrent layer passes on. Keras's defaults apply
/// (<c>data_format="channels_last"</c>, <c>keepdims=False</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling1DAttribute : Attribute
{
}

/// <summary>
/// Declares a Keras <c>GlobalMaxPooling1D</c> layer in a <see cref="SequentialAttribute"/> stack: the maximum of each
/// feature over the timesteps of a sequence, <c>(timesteps, features) -> (features)</c>
/// (<c>keras/src/layers/pooling/global_max_pooling1d.py</c>). It has no weights. Keras's layer takes no mask, so a masked
/// call takes the maximum over every timestep of what the layer before it returns, as Keras does. Keras's defaults
/// apply (<c>data_format="channels_last"</c>, <c>keepdims=False</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPooling1DAttribute : Attribute
{
}
