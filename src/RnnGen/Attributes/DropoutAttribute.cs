using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Dropout</c> layer in a <see cref="SequentialAttribute"/> stack. Dropout only acts during
/// training, so at inference it is the identity, exactly as in Keras; it is accepted so that a trained model declares
/// as it was built and its layer list (and weight file) lines up.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares a Dropout layer (Keras <c>Dropout(rate)</c>).</summary>
    /// <param name="rate">Fraction of the inputs dropped during training; in [0, 1).</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Keras <c>rate</c>.</summary>
    public double Rate { get; }
}
