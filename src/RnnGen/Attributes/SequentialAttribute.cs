using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Sequential</c> model: the layer attributes that follow it on the same <c>partial class</c>
/// (<see cref="SimpleRnnAttribute"/>, <see cref="LstmAttribute"/>, <see cref="GruAttribute"/>,
/// <see cref="DenseAttribute"/>, <see cref="DropoutAttribute"/>) are its layers, in source order.
/// </summary>
/// <remarks>
/// Shapes are inferred through the stack at compile time, so the classic mistakes (a recurrent layer after one that
/// returns no sequence, a contradicting <c>InputDim</c>, state outputs in the middle of a stack) are RNNG compile errors
/// on the attribute that causes them.
/// </remarks>
/// <example>
/// <code>
/// [Sequential(Timesteps = 3, InputDim = 1)]
/// [Lstm(20, Activation = "relu")]
/// [Dense(5, Activation = "relu")]
/// [Dense(1)]
/// public partial class Forecaster;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SequentialAttribute : Attribute
{
    /// <summary>Timesteps of the input sequence: Keras <c>input_shape[0]</c>.</summary>
    public int Timesteps { get; set; }

    /// <summary>Features per timestep of the input: Keras <c>input_shape[1]</c>.</summary>
    public int InputDim { get; set; }
}
