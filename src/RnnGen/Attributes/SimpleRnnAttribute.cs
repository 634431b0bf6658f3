using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>SimpleRNN</c> layer: <c>h = activation(x·W + h_prev·U + b)</c>
/// (Keras <c>keras/src/layers/rnn/simple_rnn.py</c>, <c>SimpleRNNCell.call</c>).
/// </summary>
/// <example>
/// <code>
/// [SimpleRnn(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]
/// public partial class Tagger;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRnnAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a SimpleRNN layer with <paramref name="units"/> units (Keras <c>SimpleRNN(units)</c>).</summary>
    /// <param name="units">Dimensionality of the output space and of the state; positive.</param>
    public SimpleRnnAttribute(int units) : base(units) { }
}
