using RnnGen;

namespace KerasConsumer;

// A model with a Masking layer, which RnnGen does not compile: the build must fail with RNNG042 on the path.
[KerasModel("broken/masking.h5")]
public partial class Broken;
