using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>LSTM</c> layer (Hochreiter and Schmidhuber 1997, as computed by Keras
/// <c>keras/src/layers/rnn/lstm.py</c>, <c>LSTMCell.call</c>): gate blocks i, f, c, o of
/// <c>z = x·W + h_prev·U + b</c>, then <c>c = f*c_prev + i*activation(z_c)</c> and <c>h = o*activation(c)</c>.
/// </summary>
/// <example>
/// <code>
/// [Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true, ReturnState = true)]
/// public partial class Encoder;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares an LSTM layer with <paramref name="units"/> units (Keras <c>LSTM(units)</c>).</summary>
    /// <param name="units">Dimensionality of the output space and of the states; positive.</param>
    public LstmAttribute(int units) : base(units) { }

    /// <summary>Keras <c>recurrent_activation</c> of the i, f and o gates. Default <c>"sigmoid"</c>.</summary>
    public string RecurrentActivation { get; set; } = Shared.LayerOptions.DefaultRecurrentActivation;

    /// <summary>
    /// Keras <c>unit_forget_bias</c>: initialise the forget-gate bias to 1 (and the rest with
    /// <see cref="RecurrentLayerAttribute.BiasInitializer"/>). Affects initial weights only. Default <see langword="true"/>.
    /// </summary>
    public bool UnitForgetBias { get; set; } = Shared.LayerOptions.DefaultUnitForgetBias;
}
