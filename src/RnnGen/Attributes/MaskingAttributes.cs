using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Masking</c> layer as the first layer of a <see cref="SequentialAttribute"/> stack
/// (<c>keras/src/layers/core/masking.py</c>): a timestep whose features all equal <see cref="MaskValue"/> is masked.
/// Its output row is zeros, and the recurrent layers skip it as Keras does with a mask (docs/masking.md). Every call of
/// the model computes this mask from its input (<see cref="KerasMask.Compute(ReadOnlySpan{float}, int, float)"/>'s
/// rule), so a model with <c>[Masking]</c> takes padded sequences as they are, with no mask or lengths argument.
/// </summary>
/// <example>
/// <code>
/// [Sequential(Timesteps = 20, InputDim = 3)]
/// [Masking]                 // Keras Masking(mask_value=0.0): all-zero timesteps are padding
/// [Lstm(16)]
/// [Dense(1)]
/// public partial class Tagger;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaskingAttribute : Attribute
{
    /// <summary>Keras <c>mask_value</c>: a timestep whose features all equal it is masked. Default 0, as Keras's.</summary>
    public float MaskValue { get; set; }
}
