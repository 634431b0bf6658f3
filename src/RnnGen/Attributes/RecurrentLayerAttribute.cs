using System;

namespace RnnGen;

/// <summary>
/// Options shared by the recurrent layer attributes <see cref="SimpleRnnAttribute"/>, <see cref="LstmAttribute"/> and
/// <see cref="GruAttribute"/>. Every property has the Keras 3 default of the argument of the same name.
/// </summary>
/// <remarks>
/// Put one layer attribute on a <c>partial class</c> to get a single-layer model, or several after a
/// <see cref="SequentialAttribute"/> to get a stack. The RnnGen source generator then adds to the class a fixed-size
/// forward pass, typed input and output structs, and Keras-compatible <c>GetWeights</c> / <c>SetWeights</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class RecurrentLayerAttribute : Attribute
{
    private protected RecurrentLayerAttribute(int units) => Units = units;

    /// <summary>Dimensionality of the output space and of the state: Keras <c>units</c>.</summary>
    public int Units { get; }

    /// <summary>
    /// Number of timesteps of the input sequence: Keras <c>input_shape[0]</c> (<c>input_length</c>). Required on a
    /// single layer and on the first layer of a stack that has no <see cref="SequentialAttribute.Timesteps"/>.
    /// </summary>
    public int Timesteps { get; set; }

    /// <summary>
    /// Features per timestep of the input: Keras <c>input_shape[1]</c> (<c>input_dim</c>). Required on a single layer and
    /// on the first layer of a stack that has no <see cref="SequentialAttribute.InputDim"/>.
    /// </summary>
    public int InputDim { get; set; }

    /// <summary>Keras <c>activation</c>, by Keras name (<c>"tanh"</c>, <c>"relu"</c>, ...). Default <c>"tanh"</c>.</summary>
    public string Activation { get; set; } = Shared.LayerOptions.DefaultRecurrentLayerActivation;

    /// <summary>Keras <c>use_bias</c>. Default <see langword="true"/>.</summary>
    public bool UseBias { get; set; } = Shared.LayerOptions.DefaultUseBias;

    /// <summary>
    /// Keras <c>return_sequences</c>: return the output of every timestep (<c>[Timesteps, units]</c>) instead of the last
    /// one only (<c>[units]</c>). Default <see langword="false"/>.
    /// </summary>
    public bool ReturnSequences { get; set; }

    /// <summary>
    /// Keras <c>return_state</c>: also return the final state(s) (<c>h</c>, and <c>c</c> for LSTM). Default
    /// <see langword="false"/>.
    /// </summary>
    public bool ReturnState { get; set; }

    /// <summary>
    /// Keras <c>go_backwards</c>: process the input sequence in reverse; with <see cref="ReturnSequences"/> the outputs
    /// come in processing (reversed) order, as in Keras. Default <see langword="false"/>.
    /// </summary>
    public bool GoBackwards { get; set; }

    /// <summary>
    /// Keras <c>stateful</c>: the final state of each batch row is the initial state of the same row in the next call,
    /// until <c>ResetStates()</c>. Default <see langword="false"/>.
    /// </summary>
    public bool Stateful { get; set; }

    /// <summary>
    /// Wrap the layer in Keras <c>Bidirectional</c>: a backward copy (<c>go_backwards=True</c>) runs beside it and the
    /// two outputs are merged by <see cref="MergeMode"/>. Default <see langword="false"/>.
    /// </summary>
    public bool Bidirectional { get; set; }

    /// <summary>Keras <c>Bidirectional(merge_mode=...)</c>; used only with <see cref="Bidirectional"/>. Default <see cref="RnnGen.MergeMode.Concat"/>.</summary>
    public MergeMode MergeMode { get; set; } = MergeMode.Concat;

    /// <summary>Keras <c>kernel_initializer</c>, by Keras name (<c>"glorot_uniform"</c>, <c>"constant(0.1)"</c>, ...).</summary>
    public string KernelInitializer { get; set; } = Shared.LayerOptions.DefaultKernelInitializer;

    /// <summary>Keras <c>recurrent_initializer</c>, by Keras name. Default <c>"orthogonal"</c>.</summary>
    public string RecurrentInitializer { get; set; } = Shared.LayerOptions.DefaultRecurrentInitializer;

    /// <summary>Keras <c>bias_initializer</c>, by Keras name. Default <c>"zeros"</c>.</summary>
    public string BiasInitializer { get; set; } = Shared.LayerOptions.DefaultBiasInitializer;

    /// <summary>
    /// Keras <c>dropout</c> on the inputs during training. Accepted so that a trained model declares as it was built;
    /// it has no effect at inference, exactly as in Keras. Must be in [0, 1).
    /// </summary>
    public double Dropout { get; set; }

    /// <summary>
    /// Keras <c>recurrent_dropout</c> on the state during training; no effect at inference, as in Keras. Must be in [0, 1).
    /// </summary>
    public double RecurrentDropout { get; set; }
}
