using RnnGen;

namespace KerasConsumer;

// A model with a Lambda layer, which RnnGen does not compile: the build must fail with RNNG042 on the path.
[KerasModel("broken/lambda.h5")]
public partial class Broken;
