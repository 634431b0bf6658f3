namespace RnnGen.Training.Tests;

// Small models with odd sizes covering every layer kind and option the trainer differentiates. Biases start from
// random values so that bias gradients and the paths through them are exercised (zeros would hide a missing term).

[Sequential(Timesteps = 3, InputDim = 1)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class SeedForecaster;

[SimpleRnn(5, Timesteps = 4, InputDim = 3, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class Rnn;

[SimpleRnn(3, Timesteps = 5, InputDim = 2, ReturnSequences = true, GoBackwards = true, Activation = "softsign", BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class RnnBackwardsSequences;

[SimpleRnn(4, Timesteps = 3, InputDim = 3, UseBias = false, Activation = "sigmoid")]
public partial class RnnWithoutBias;

[Lstm(5, Timesteps = 4, InputDim = 3, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class Lstm;

[Lstm(3, Timesteps = 5, InputDim = 2, ReturnSequences = true, GoBackwards = true, RecurrentActivation = "hard_sigmoid", Activation = "elu", UnitForgetBias = false, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class LstmBackwardsSequences;

[Lstm(4, Timesteps = 3, InputDim = 3, UseBias = false, ReturnState = true)]
public partial class LstmWithoutBias;

[Gru(5, Timesteps = 4, InputDim = 3, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class GruResetAfter;

[Gru(5, Timesteps = 4, InputDim = 3, ResetAfter = false, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class GruResetBefore;

[Gru(3, Timesteps = 5, InputDim = 2, ResetAfter = false, UseBias = false, ReturnSequences = true, GoBackwards = true, Activation = "silu")]
public partial class GruResetBeforeBackwardsWithoutBias;

[Gru(3, Timesteps = 5, InputDim = 2, UseBias = false, ReturnSequences = true, RecurrentActivation = "hard_sigmoid_keras2")]
public partial class GruResetAfterSequencesWithoutBias;

[Lstm(3, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.Concat, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class BiConcat;

[Gru(3, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.Sum, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class BiSumSequences;

[SimpleRnn(3, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.Mul, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class BiMulSequences;

[Lstm(3, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.Ave, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class BiAve;

[Gru(3, Timesteps = 4, InputDim = 2, Bidirectional = true, MergeMode = MergeMode.None, ReturnSequences = true, ResetAfter = false, BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class BiNoneSequences;

/// <summary>A stack: bidirectional LSTM sequences, dropout, GRU sequences, Dense on each timestep, softmax.</summary>
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, Bidirectional = true, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dropout(0.3)]
[Gru(3, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(4, Activation = "softmax", BiasInitializer = "random_uniform(-0.5, 0.5)")]
public partial class SequenceTagger;

/// <summary>Recurrent layers with input dropout (one mask per sequence) under Dense layers.</summary>
[Sequential(Timesteps = 4, InputDim = 3)]
[SimpleRnn(5, Dropout = 0.25, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Lstm(4, Dropout = 0.4, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Gru(3, Dropout = 0.3, Bidirectional = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(2, Activation = "tanh")]
public partial class RecurrentDropoutStack;

[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(4, Stateful = true)]
[Dense(1)]
public partial class StatefulModel;

/// <summary>LayerNormalization, Activation, Rescaling and average pooling over an LSTM's sequence.</summary>
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[LayerNormalization]
[Activation("tanh")]
[Rescaling(0.5f, Offset = 0.25f)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class NormalizedAveragePool;

/// <summary>
/// The forecaster with its preprocessing in the model: Normalization of the raw input and an inverted Normalization that
/// turns the Dense output back into the data's scale (Keras's normalization.py), around a trained LSTM and Dense.
/// </summary>
[Sequential(Timesteps = 4, InputDim = 2)]
[Normalization]
[Lstm(5, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(1)]
[Normalization(Invert = true)]
public partial class NormalizedForecaster;

/// <summary>Max pooling over relu outputs (ties of zeros) after a LayerNormalization without beta, and one on a vector without gamma.</summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Gru(4, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[LayerNormalization(Center = false)]
[Activation("relu")]
[GlobalMaxPooling1D]
[LayerNormalization(Scale = false)]
[Dense(3, Activation = "softmax")]
[Activation("softmax")]
public partial class NormalizedMaxPool;

/// <summary>An Embedding (no mask) under a GRU: the token table's gradient.</summary>
[Sequential(Timesteps = 4)]
[Embedding(7, 3)]
[Gru(3, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(2)]
public partial class EmbeddedTokens;

/// <summary>Dense layers on a sequence, one per activation, for the activation derivatives.</summary>
[Sequential(Timesteps = 2, InputDim = 3)]
[SimpleRnn(7, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(5, Activation = "tanh", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "sigmoid", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "hard_sigmoid", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "hard_sigmoid_keras2", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "relu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "relu6", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "leaky_relu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "elu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "selu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "celu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "softplus", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "softsign", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "silu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "hard_silu", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "mish", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "log_sigmoid", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "hard_tanh", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(5, Activation = "exponential", BiasInitializer = "random_uniform(-1, 1)")]
[Dense(3, Activation = "linear", UseBias = false)]
public partial class ActivationStack;

[Sequential(Timesteps = 2, InputDim = 3)]
[Gru(4)]
[Dense(3, Activation = "softmax")]
public partial class Classifier;

[Sequential(Timesteps = 2, InputDim = 3)]
[Gru(4)]
[Dense(3)]
public partial class LogitClassifier;

[Sequential(Timesteps = 2, InputDim = 2)]
[SimpleRnn(3)]
[Dense(2, Activation = "sigmoid")]
public partial class BinaryClassifier;

[Sequential(Timesteps = 2, InputDim = 3)]
[Gru(4, ResetAfter = false)]
[Dense(3, Activation = "softmax")]
public partial class ClassifierResetBefore;

/// <summary>Recurrent dropout on every recurrent kind: Keras's implementation 1 (a mask per gate) for LSTM and GRU.</summary>
[Sequential(Timesteps = 4, InputDim = 3)]
[SimpleRnn(5, Dropout = 0.2, RecurrentDropout = 0.3, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Lstm(4, Dropout = 0.25, RecurrentDropout = 0.2, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Gru(3, ResetAfter = false, RecurrentDropout = 0.3, ReturnSequences = true, Bidirectional = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Gru(3, Dropout = 0.2, RecurrentDropout = 0.25, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(2, Activation = "tanh")]
public partial class FullRecurrentDropoutStack;

/// <summary>
/// Gates wide enough (36, 30 and 32 columns) for the matrix products' 512-bit register tiles, trained on batches of
/// more than one chunk (<see cref="Trainer.ChunkSamples"/>): the paths the small models above never reach. Smooth
/// activations only: over 37 samples some relu input would lie within the finite differences' step of its kink.
/// </summary>
[Sequential(Timesteps = 3, InputDim = 4)]
[Lstm(9, ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Gru(10, ResetAfter = false, ReturnSequences = true, GoBackwards = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[SimpleRnn(32, BiasInitializer = "random_uniform(-0.1, 0.1)")]
[Dense(3)]
public partial class WideStack;

/// <summary>tests/golden/gradients.mjs's GoldenNormalizedAveragePool: the layers TensorFlow.js has of <see cref="NormalizedAveragePool"/>.</summary>
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
[LayerNormalization]
[Activation("tanh")]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class GoldenNormalizedAveragePool;

/// <summary>tests/golden/gradients.mjs's GoldenNormalizedMaxPool (TensorFlow.js has GRU with reset_after=False only).</summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Gru(4, ReturnSequences = true, ResetAfter = false)]
[LayerNormalization]
[GlobalMaxPooling1D]
[Dense(3, Activation = "softmax")]
public partial class GoldenNormalizedMaxPool;

/// <summary>tests/golden/gradients.mjs's GoldenEmbeddedTokens: tokens through an Embedding into an LSTM.</summary>
[Sequential(Timesteps = 4)]
[Embedding(7, 3)]
[Lstm(3)]
[Dense(2)]
public partial class GoldenEmbeddedTokens;

/// <summary>tests/golden/gradients.mjs's GoldenBatchNormalized: BatchNormalization over an LSTM's sequence, trained on the batch's statistics.</summary>
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(4, ReturnSequences = true)]
[BatchNormalization]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class GoldenBatchNormalized;

/// <summary>BatchNormalization on a vector without beta, with another momentum, for finite differences and the moving statistics.</summary>
[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(5, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[BatchNormalization(Center = false, Momentum = 0.9f)]
[Dense(2, Activation = "tanh")]
public partial class BatchNormalizedVector;

/// <summary><see cref="BatchNormalizedVector"/>'s GRU alone: the values its BatchNormalization normalizes.</summary>
[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(5)]
public partial class GruOnly;

/// <summary>
/// The signal shape with every window option the gradient has a branch for: a causal Conv1D (taps on padding), max
/// pooling that halves the timesteps, the LSTM on the shorter sequence.
/// </summary>
[Sequential(Timesteps = 7, InputDim = 3)]
[Conv1D(4, 3, Padding = "causal", Activation = "tanh", BiasInitializer = "random_uniform(-0.5, 0.5)")]
[MaxPooling1D]
[Lstm(3)]
[Dense(2)]
public partial class ConvolvedSignal;

/// <summary>
/// Grouped, dilated Conv1D with padding same, overlapping average windows that reach into the padding, and a strided
/// valid Conv1D without bias on the sequence it leaves.
/// </summary>
[Sequential(Timesteps = 9, InputDim = 4)]
[Conv1D(6, 3, Padding = "same", DilationRate = 2, Groups = 2, Activation = "sigmoid", BiasInitializer = "random_uniform(-0.5, 0.5)")]
[AveragePooling1D(3, Strides = 1, Padding = "same")]
[Conv1D(2, 2, Strides = 2, UseBias = false)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class GroupedConvolution;

/// <summary>tests/golden/gradients.mjs's GoldenConvolvedSignal: Conv1D (same) -> MaxPooling1D -> LSTM -> Dense.</summary>
[Sequential(Timesteps = 6, InputDim = 3)]
[Conv1D(4, 2, Padding = "same", Activation = "tanh")]
[MaxPooling1D]
[Lstm(3)]
[Dense(2)]
public partial class GoldenConvolvedSignal;

/// <summary>tests/golden/gradients.mjs's GoldenStridedConvolution: a strided valid Conv1D, average pooling, a GRU's sequence.</summary>
[Sequential(Timesteps = 9, InputDim = 2)]
[Conv1D(5, 3, Strides = 2)]
[AveragePooling1D(2, Strides = 1)]
[Gru(3, ReturnSequences = true, ResetAfter = false)]
public partial class GoldenStridedConvolution;

/// <summary>
/// tests/golden/gradients.mjs's GoldenAutoEncoder: an encoder's last output repeated for a decoder that returns
/// sequences, flattened into a Dense, reshaped with -1 into a sequence again for a last recurrent layer.
/// </summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Lstm(4)]
[RepeatVector(3)]
[Gru(3, ReturnSequences = true, ResetAfter = false)]
[Flatten]
[Dense(8, Activation = "tanh")]
[Reshape(-1, 2)]
[SimpleRnn(2)]
public partial class GoldenAutoEncoder;

/// <summary>tests/golden/gradients.mjs's GoldenMaskedLstm: padded series through Masking into an LSTM's last output.</summary>
[Sequential(Timesteps = 5, InputDim = 3)]
[Masking]
[Lstm(4)]
[Dense(2)]
public partial class GoldenMaskedLstm;

/// <summary>
/// tests/golden/gradients.mjs's GoldenMaskedBidirectionalAveragePool: a Bidirectional GRU sequence (zeros at masked
/// timesteps), LayerNormalization passing the mask on, and the mean of the kept timesteps.
/// </summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Gru(3, Bidirectional = true, MergeMode = MergeMode.Concat, ReturnSequences = true, ResetAfter = false)]
[LayerNormalization]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class GoldenMaskedBidirectionalAveragePool;

/// <summary>
/// tests/golden/gradients.mjs's GoldenMaskedTokenTagger: tokens with mask_zero, two recurrent sequences (the second
/// go_backwards) and a Dense on every timestep, so the output keeps the mask and the loss counts the kept rows only.
/// </summary>
[Sequential(Timesteps = 5)]
[Embedding(7, 3, MaskZero = true)]
[Lstm(4, ReturnSequences = true)]
[SimpleRnn(3, ReturnSequences = true, GoBackwards = true)]
[Dense(2)]
public partial class GoldenMaskedTokenTagger;

/// <summary>tests/golden/gradients.mjs's GoldenMaskedBidirectionalClassifier: Masking, a Bidirectional LSTM's last outputs multiplied, softmax.</summary>
[Sequential(Timesteps = 4, InputDim = 2)]
[Masking]
[Lstm(3, Bidirectional = true, MergeMode = MergeMode.Mul)]
[Dense(3, Activation = "softmax")]
public partial class GoldenMaskedBidirectionalClassifier;

/// <summary><see cref="GoldenMaskedLstm"/> declared for 3 timesteps without Masking: its gradients on a sequence's first 3 timesteps are the masked model's on that sequence padded to 5.</summary>
[Sequential(Timesteps = 3, InputDim = 3)]
[Lstm(4)]
[Dense(2)]
public partial class ShortLstm;

/// <summary>
/// tests/golden/gradients.mjs's GoldenMaskedBatchNormalization: a mask reaching BatchNormalization, which then trains on
/// the kept timesteps' statistics.
/// </summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Lstm(4, ReturnSequences = true)]
[BatchNormalization]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class GoldenMaskedBatchNormalization;

/// <summary><see cref="GoldenMaskedBatchNormalization"/>'s Masking and LSTM alone: the sequence its BatchNormalization normalizes.</summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[Lstm(4, ReturnSequences = true)]
public partial class MaskedLstmSequence;

/// <summary>
/// A Bidirectional sequence read by GlobalMaxPooling1D, which takes no mask: where every kept value of a feature is
/// negative (the negative biases make most of them so), the maximum is a masked timestep's zero, a constant that must
/// pass no gradient to the states.
/// </summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Masking]
[SimpleRnn(3, Bidirectional = true, MergeMode = MergeMode.Sum, ReturnSequences = true, BiasInitializer = "random_uniform(-1.5, -0.5)")]
[GlobalMaxPooling1D]
[Dense(2)]
public partial class MaskedBidirectionalMaxPool;

/// <summary>GRU with reset_after (which TensorFlow.js lacks), go_backwards and sequences, under a mask, then a second GRU.</summary>
[Sequential(Timesteps = 5, InputDim = 2)]
[Masking(MaskValue = -1f)]
[Gru(4, ResetAfter = true, ReturnSequences = true, GoBackwards = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Gru(3, ResetAfter = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(1)]
public partial class MaskedGruResetAfter;

/// <summary>
/// The generated training cells' other shapes: units that are whole vectors (8), whole vectors and a masked rest (17,
/// 11), and the activations they inline besides the defaults (relu, linear, tanh as the recurrent activation).
/// </summary>
[Sequential(Timesteps = 3, InputDim = 2)]
[Gru(17, Activation = "relu", ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[SimpleRnn(8, Activation = "linear", ReturnSequences = true, BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Lstm(11, Activation = "linear", RecurrentActivation = "tanh", BiasInitializer = "random_uniform(-0.5, 0.5)")]
[Dense(2)]
public partial class CellActivationStack;
