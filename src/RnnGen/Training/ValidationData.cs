using System;

namespace RnnGen.Training;

/// <summary>Keras <c>validation_data=(x_val, y_val)</c>: samples laid out as for <c>Fit</c>.</summary>
public sealed class ValidationData
{
    /// <summary>Creates the validation set.</summary>
    public ValidationData(float[] x, float[] y)
    {
        X = x ?? throw new ArgumentNullException(nameof(x));
        Y = y ?? throw new ArgumentNullException(nameof(y));
    }

    /// <summary>The inputs, <c>samples x Timesteps x InputDim</c>.</summary>
    public float[] X { get; }

    /// <summary>The targets, laid out as <c>Fit</c>'s <c>y</c>.</summary>
    public float[] Y { get; }
}
