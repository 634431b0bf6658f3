using System;

namespace RnnGen.Training;

/// <summary>Keras <c>AdamW</c>: <see cref="Adam"/> with decoupled weight decay, default 0.004.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false, float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null)
        : base("adamw", learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
    }
}
