using RnnGen;

namespace Declarations;

// Global pooling between layers with weights, saved and loaded back by PoolingFileTests; and the same stack with the
// other pooling kind, and without its pooling layer where the sequence would still fit (a Dense on every timestep).
[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class PooledClassifier;

[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
[GlobalMaxPooling1D]
[Dense(2)]
public partial class PooledClassifierWithMaxPooling;

[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(5, ReturnSequences = true)]
[Dense(2)]
public partial class PooledClassifierWithoutItsPooling;
