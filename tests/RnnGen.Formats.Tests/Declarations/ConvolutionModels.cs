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
