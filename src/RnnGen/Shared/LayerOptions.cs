namespace RnnGen.Shared;

/// <summary>
/// The options of the layer attributes: their C# names (which the generator's parser reads from the attribute
/// syntax) and their defaults, which are Keras's (<c>keras.layers.LSTM</c>, <c>GRU</c>, <c>SimpleRNN</c>, <c>Dense</c>).
/// The attributes declare their defaults from here, the parser assumes them when an option is not given, and the
/// weight-file reader leaves them out of the declarations it writes.
/// </summary>
internal static class LayerOptions
{
    public const string Activation = nameof(Activation);
    public const string RecurrentActivation = nameof(RecurrentActivation);
    public const string UseBias = nameof(UseBias);
    public const string UnitForgetBias = nameof(UnitForgetBias);
    public const string ResetAfter = nameof(ResetAfter);
    public const string ReturnSequences = nameof(ReturnSequences);
    public const string ReturnState = nameof(ReturnState);
    public const string GoBackwards = nameof(GoBackwards);
    public const string Stateful = nameof(Stateful);
    public const string Bidirectional = nameof(Bidirectional);
    public const string KernelInitializer = nameof(KernelInitializer);
    public const string RecurrentInitializer = nameof(RecurrentInitializer);
    public const string BiasInitializer = nameof(BiasInitializer);
    public const string Epsilon = nameof(Epsilon);
    public const string Center = nameof(Center);
    public const string Scale = nameof(Scale);
    public const string Axis = nameof(Axis);
    public const string Momentum = nameof(Momentum);
    public const string Offset = nameof(Offset);
    public const string Invert = nameof(Invert);

    /// <summary>
    /// Keras <c>epsilon</c> of LayerNormalization and BatchNormalization (both 1e-3:
    /// <c>keras/src/layers/normalization/layer_normalization.py</c>, <c>batch_normalization.py</c>).
    /// </summary>
    public const float DefaultNormalizationEpsilon = 1e-3f;

    /// <summary>Keras <c>center</c> (add beta) and <c>scale</c> (multiply by gamma) of the normalization layers.</summary>
    public const bool DefaultCenter = true;

    /// <inheritdoc cref="DefaultCenter"/>
    public const bool DefaultScale = true;

    /// <summary>Keras <c>axis</c> of the normalization layers: the last (features) axis, the only one RnnGen normalizes.</summary>
    public const int DefaultAxis = -1;

    /// <summary>Keras Normalization <c>invert</c>: de-normalize (<c>mean + x * std</c>) instead of normalize.</summary>
    public const bool DefaultInvert = false;

    /// <summary>
    /// Keras's <c>backend.epsilon()</c>, 1e-7: the smallest standard deviation Normalization divides by
    /// (<c>keras/src/layers/preprocessing/normalization.py</c>, <c>call</c>: <c>maximum(sqrt(variance), epsilon())</c>)
    /// and the smallest norm Dot's <c>normalize</c> divides by (<c>ops.normalize</c>: <c>minimum(rsqrt(...), 1 / epsilon)</c>).
    /// </summary>
    public const float BackendEpsilon = 1e-7f;

    /// <summary>Keras BatchNormalization <c>momentum</c> (training only: how the moving statistics follow the batches).</summary>
    public const float DefaultMomentum = 0.99f;

    /// <summary>Keras <c>activation</c> of the recurrent layers.</summary>
    public const string DefaultRecurrentLayerActivation = "tanh";

    /// <summary>Keras <c>activation</c> of Dense.</summary>
    public const string DefaultDenseActivation = "linear";

    /// <summary>Keras <c>recurrent_activation</c> of LSTM and GRU (Keras 2.3 and later; hard_sigmoid before).</summary>
    public const string DefaultRecurrentActivation = "sigmoid";

    public const string DefaultKernelInitializer = "glorot_uniform";

    public const string DefaultRecurrentInitializer = "orthogonal";

    public const string DefaultBiasInitializer = "zeros";

    public const bool DefaultUseBias = true;

    /// <summary>Keras LSTM <c>unit_forget_bias</c>: the forget gate's bias starts at one.</summary>
    public const bool DefaultUnitForgetBias = true;

    /// <summary>Keras GRU <c>reset_after</c> (True since Keras 2.3, the cuDNN-compatible variant).</summary>
    public const bool DefaultResetAfter = true;
}
