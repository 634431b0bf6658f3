using RnnGen;

namespace Declarations;

// A stack with the weightless elementwise layers between layers with weights, saved and loaded back by
// ElementwiseFileTests; and the same stack with one of them changed, missing or moved.
[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
[Rescaling(0.5f, Offset = -1f)]
[Activation("relu")]
[Lstm(3)]
[Activation("tanh")]
[Dense(2)]
public partial class ElementwiseStack;

[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
[Rescaling(0.25f, Offset = -1f)]
[Activation("relu")]
[Lstm(3)]
[Activation("tanh")]
[Dense(2)]
public partial class ElementwiseStackWithAnotherScale;

[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
[Activation("relu")]
[Lstm(3)]
[Activation("tanh")]
[Dense(2)]
public partial class ElementwiseStackWithoutItsRescaling;

[Sequential(Timesteps = 3, InputDim = 2)]
[Lstm(4, ReturnSequences = true)]
[Rescaling(0.5f, Offset = -1f)]
[Activation("relu")]
[Lstm(3)]
[Dense(2)]
[Activation("tanh")]
public partial class ElementwiseStackWithItsTanhMoved;
