using RnnGen;

namespace Consumer;

// Timesteps must be positive: the generator reports RNNG005 here and the build fails.
[Lstm(3, Timesteps = 0, InputDim = 5)]
public partial class BrokenModel;
