using System;
using System.Collections.Generic;
using RnnGen;

namespace RnnGen.KernelCheck;

// Sizes chosen to hit every kernel shape: one unit; a partial vector; exactly one 4-, 8- and 16-float vector; several
// blocks with a remainder; and layers whose packed weights exceed L1 (the reversed-order path).
[Lstm(1, Timesteps = 5, InputDim = 1)] public partial class Lstm1;
[Lstm(3, Timesteps = 6, InputDim = 5, ReturnSequences = true, ReturnState = true)] public partial class Lstm3;
[Lstm(8, Timesteps = 7, InputDim = 8, Activation = "relu", RecurrentActivation = "hard_sigmoid")] public partial class Lstm8;
[Lstm(13, Timesteps = 9, InputDim = 7, ReturnSequences = true, UseBias = false)] public partial class Lstm13;
[Lstm(33, Timesteps = 4, InputDim = 9, Stateful = true)] public partial class Lstm33;
[Lstm(64, Timesteps = 5, InputDim = 8, ReturnSequences = true)] public partial class Lstm64;
[Gru(5, Timesteps = 6, InputDim = 4, ReturnSequences = true)] public partial class GruResetAfter5;
[Gru(20, Timesteps = 6, InputDim = 3, ResetAfter = false, ReturnState = true)] public partial class GruResetBefore20;
[Gru(70, Timesteps = 4, InputDim = 6)] public partial class GruResetAfter70;
[Gru(17, Timesteps = 5, InputDim = 2, ResetAfter = false, RecurrentActivation = "hard_sigmoid_keras2", Activation = "softsign")] public partial class GruResetBefore17;
[SimpleRnn(9, Timesteps = 8, InputDim = 3, ReturnSequences = true, Activation = "selu")] public partial class SimpleRnn9;
[SimpleRnn(40, Timesteps = 3, InputDim = 12, Activation = "elu", GoBackwards = true)] public partial class SimpleRnn40;
[Lstm(6, Timesteps = 5, InputDim = 3, Bidirectional = true, ReturnSequences = true, MergeMode = MergeMode.Ave)] public partial class BidirectionalLstm6;
[Gru(4, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.None, ReturnState = true)] public partial class BidirectionalGru4;
[SimpleRnn(7, Timesteps = 5, InputDim = 3, Bidirectional = true, ReturnSequences = true)] public partial class BidirectionalSimpleRnn7Concat;
[Gru(5, Timesteps = 3, InputDim = 4, ResetAfter = false, Bidirectional = true, MergeMode = MergeMode.Sum)] public partial class BidirectionalGru5Sum;
[Lstm(3, Timesteps = 4, InputDim = 2, Bidirectional = true, ReturnSequences = true, MergeMode = MergeMode.Mul)] public partial class BidirectionalLstm3Mul;
[Gru(6, Timesteps = 3, InputDim = 5, ResetAfter = false, Stateful = true, ReturnState = true, ReturnSequences = true)] public partial class GruStateful6;
[SimpleRnn(5, Timesteps = 4, InputDim = 3, GoBackwards = true, ReturnSequences = true)] public partial class SimpleRnnBackwardSequences5;

// WeightPrecision.BFloat16: each recurrent kind (GRU in both variants' kernels: reset_before has two passes), several
// blocks with a remainder at every width, and an LSTM whose weights exceed L1 (the reversed-order path).
[Sequential(Timesteps = 5, InputDim = 7, WeightPrecision = WeightPrecision.BFloat16)]
[SimpleRnn(9, ReturnSequences = true)]
[Lstm(64, ReturnSequences = true)]
[Gru(20, ResetAfter = false, ReturnSequences = true)]
[Gru(13)]
[Dense(3)]
public partial class BFloat16Stack;

[Sequential(Timesteps = 6, InputDim = 3)]
[Lstm(12, ReturnSequences = true)]
[Dropout(0.2)]
[Gru(10)]
[Dense(7, Activation = "silu")]
[Dense(1)]
public partial class Stack;

[Sequential(Timesteps = 5, InputDim = 4)]
[Dense(20, Activation = "tanh")]
[SimpleRnn(18, ReturnSequences = true, Activation = "softplus")]
[Dense(3, Activation = "softmax")]
public partial class DenseOnSequences;

// Every element-wise activation the models above do not use, in the vector kernels (SimpleRNN, GRU, LSTM, wide Dense) and in
// the scalar one (Dense with few outputs), so that a change to how activations are written is checked on each of them.
[Sequential(Timesteps = 4, InputDim = 3)]
[SimpleRnn(6, ReturnSequences = true, Activation = "relu6")]
[SimpleRnn(6, ReturnSequences = true, Activation = "leaky_relu")]
[SimpleRnn(6, ReturnSequences = true, Activation = "celu")]
[SimpleRnn(6, ReturnSequences = true, Activation = "hard_silu")]
[SimpleRnn(6, ReturnSequences = true, Activation = "mish")]
[SimpleRnn(6, ReturnSequences = true, Activation = "log_sigmoid")]
[SimpleRnn(6, ReturnSequences = true, Activation = "hard_tanh")]
[Gru(6, ReturnSequences = true, Activation = "linear", RecurrentActivation = "relu")]
[Lstm(7, ReturnSequences = true, Activation = "sigmoid")] // one activation for every gate: 512 bits pair them in one call
[Dense(20, Activation = "exponential")]
[Dense(9, Activation = "silu")]
[Dense(3, Activation = "mish")]
public partial class ActivationStack;

/// <summary>The masked <c>Predict</c> every model here with recurrent layers has (docs/masking.md), for <c>--dump</c>.</summary>
public interface IMaskedPredict
{
    float[][] Predict(ReadOnlySpan<float> input, ReadOnlySpan<bool> mask);
}

/// <summary>The <c>Predict</c> overloads of a model with one recurrent layer that take its initial states, for <c>--dump</c>.</summary>
public interface IInitialStatePredict : IMaskedPredict
{
    float[][] Predict(ReadOnlySpan<float> input, IReadOnlyList<float[]> initialState);

    float[][] Predict(ReadOnlySpan<float> input, ReadOnlySpan<bool> mask, IReadOnlyList<float[]> initialState);
}

public partial class Lstm1 : IInitialStatePredict;
public partial class Lstm3 : IInitialStatePredict;
public partial class Lstm8 : IInitialStatePredict;
public partial class Lstm13 : IInitialStatePredict;
public partial class Lstm33 : IInitialStatePredict;
public partial class Lstm64 : IInitialStatePredict;
public partial class GruResetAfter5 : IInitialStatePredict;
public partial class GruResetBefore20 : IInitialStatePredict;
public partial class GruResetAfter70 : IInitialStatePredict;
public partial class GruResetBefore17 : IInitialStatePredict;
public partial class SimpleRnn9 : IInitialStatePredict;
public partial class SimpleRnn40 : IInitialStatePredict;
public partial class BidirectionalLstm6 : IInitialStatePredict;
public partial class BidirectionalGru4 : IInitialStatePredict;
public partial class BidirectionalSimpleRnn7Concat : IInitialStatePredict;
public partial class BidirectionalGru5Sum : IInitialStatePredict;
public partial class BidirectionalLstm3Mul : IInitialStatePredict;
public partial class GruStateful6 : IInitialStatePredict;
public partial class SimpleRnnBackwardSequences5 : IInitialStatePredict;
public partial class DenseOnSequences : IInitialStatePredict;
public partial class Stack : IMaskedPredict;
public partial class ActivationStack : IMaskedPredict;
public partial class BFloat16Stack : IMaskedPredict;
