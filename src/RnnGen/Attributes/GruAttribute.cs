using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>GRU</c> layer (Cho et al. 2014, as computed by Keras <c>keras/src/layers/rnn/gru.py</c>,
/// <c>GRUCell.call</c>): gates z, r and candidate <c>hh</c>, then <c>h = z*h_prev + (1-z)*hh</c>.
/// </summary>
/// <example>
/// <code>
/// [Gru(16, Timesteps = 50, InputDim = 8)]
/// public partial class Detector;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a GRU layer with <paramref name="units"/> units (Keras <c>GRU(units)</c>).</summary>
    /// <param name="units">Dimensionality of the output space and of the state; positive.</param>
    public GruAttribute(int units) : base(units) { }

    /// <summary>Keras <c>recurrent_activation</c> of the z and r gates. Default <c>"sigmoid"</c>.</summary>
    public string RecurrentActivation { get; set; } = Shared.LayerOptions.DefaultRecurrentActivation;

    /// <summary>
    /// Keras <c>reset_after</c>: apply the reset gate after the recurrent matrix product, with separate input and
    /// recurrent biases (bias shape <c>[2, 3*units]</c>; the Keras 3, tf.keras 2 and cuDNN convention). With
    /// <see langword="false"/> (Keras 2.0-2.2, keras-js, TensorFlow.js) the reset gate is applied before it and the bias
    /// is <c>[3*units]</c>. Default <see langword="true"/>.
    /// </summary>
    public bool ResetAfter { get; set; } = Shared.LayerOptions.DefaultResetAfter;
}
