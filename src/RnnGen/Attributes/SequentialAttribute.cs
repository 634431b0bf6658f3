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
///
/// [Sequential(Timesteps = 64, InputDim = 8, WeightPrecision = WeightPrecision.BFloat16)] // half the weight bytes per step
/// [Lstm(128)]
/// [Dense(1)]
/// public partial class FastForecaster;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SequentialAttribute : Attribute
{
    /// <summary>Timesteps of the input sequence: Keras <c>input_shape[0]</c>.</summary>
    public int Timesteps { get; set; }

    /// <summary>Features per timestep of the input: Keras <c>input_shape[1]</c>.</summary>
    public int InputDim { get; set; }

    /// <summary>
    /// How the packed weights of the recurrent layers are stored: <see cref="RnnGen.WeightPrecision.Float32"/> (the default),
    /// or <see cref="RnnGen.WeightPrecision.BFloat16"/>, which halves the bytes a step reads from the cache (from about 64
    /// units up, where a step waits on those bytes, it runs faster; see docs/performance.md) at the cost of accuracy: each
    /// kernel and recurrent-kernel weight is rounded to 8 significant bits (a relative error of at most 2^-8), so outputs
    /// differ from Keras's by about 1e-3 instead of about 1e-6. Biases, states, activations and Dense layers stay float32.
    /// <c>GetWeights</c> returns the rounded weights, the ones the model computes with; training updates float32 weights
    /// and the next inference call rounds them again.
    /// </summary>
    public WeightPrecision WeightPrecision { get; set; }
}
