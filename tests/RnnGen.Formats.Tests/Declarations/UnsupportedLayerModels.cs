using RnnGen;

namespace RnnGen.Formats.Tests.UnsupportedLayers;

// The chain after the Conv1DTranspose of generated/keras2_conv1d_transpose_model.h5 and keras3_conv1d_transpose.keras:
// Conv1DTranspose(4, 2) -> LSTM(3) -> Dense(2) on input (5, 3); the LSTM reads the transpose's 4 filters (its timesteps
// do not change a weight shape).
[Sequential(Timesteps = 4, InputDim = 4)]
[Lstm(3)]
[Dense(2)]
public partial class AfterConv;

// The same chain declared with the file's input width by mistake: the LSTM kernel is [4, 12], not [3, 12].
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(3)]
[Dense(2)]
public partial class AfterConvWrongWidth;

// One branch of generated/keras3_functional.keras (input (5, 3) -> LSTM(3) and LSTM(2) -> Concatenate -> Dense(2)).
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(3)]
public partial class FirstBranch;
