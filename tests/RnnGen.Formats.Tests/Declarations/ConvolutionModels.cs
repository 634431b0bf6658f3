using RnnGen;

namespace RnnGen.Formats.Tests.Convolution;

// generated/keras2_conv1d_model.h5 and keras3_conv1d.keras: Conv1D(4, 2) -> LSTM(3) -> Dense(2) on input (5, 3); the
// valid convolution leaves the LSTM 4 timesteps of 4 filters.
[Sequential(Timesteps = 5, InputDim = 3)]
[Conv1D(4, 2)]
[Lstm(3)]
[Dense(2)]
public partial class ConvSignal;

// The same stack declared with padding "same": one option the file does not have.
[Sequential(Timesteps = 5, InputDim = 3)]
[Conv1D(4, 2, Padding = "same")]
[Lstm(3)]
[Dense(2)]
public partial class ConvSignalSamePadding;

// A pooling layer the file does not have, between the Conv1D and the LSTM.
[Sequential(Timesteps = 5, InputDim = 3)]
[Conv1D(4, 2)]
[MaxPooling1D]
[Lstm(3)]
[Dense(2)]
public partial class ConvSignalPooled;

// Every window and reshaping layer in one stack, with options away from their defaults, for the save / inspect / load
// round trip: (12, 2) -> Conv1D same, strides 2 -> (6, 4) -> AveragePooling1D(3, strides 1, same) -> (6, 4) -> Flatten
// (24) -> Dense(6) -> Reshape(3, -1) -> (3, 2) -> LSTM(3) -> RepeatVector(2) -> (2, 3) -> MaxPooling1D -> (1, 3) -> GRU(2).
[Sequential(Timesteps = 12, InputDim = 2)]
[Conv1D(4, 3, Strides = 2, Padding = "same", Activation = "relu")]
[AveragePooling1D(3, Strides = 1, Padding = "same")]
[Flatten]
[Dense(6)]
[Reshape(3, -1)]
[Lstm(3)]
[RepeatVector(2)]
[MaxPooling1D]
[Gru(2)]
public partial class EveryReshape;

// The same stack with RepeatVector(3): one option the file does not have.
[Sequential(Timesteps = 12, InputDim = 2)]
[Conv1D(4, 3, Strides = 2, Padding = "same", Activation = "relu")]
[AveragePooling1D(3, Strides = 1, Padding = "same")]
[Flatten]
[Dense(6)]
[Reshape(3, -1)]
[Lstm(3)]
[RepeatVector(3)]
[MaxPooling1D]
[Gru(2)]
public partial class EveryReshapeRepeatedThrice;
