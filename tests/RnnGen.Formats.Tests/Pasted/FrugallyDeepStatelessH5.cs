// Pasted from `rnngen inspect temp_stateless.h5`.
// PastedDeclarationTests checks that the tool still prints exactly this file from the using line on, less the namespace line.
using RnnGen;

namespace Pasted.FrugallyDeepStatelessH5;

// temp_stateless.h5: legacy Keras HDF5 from model.save(), Keras 2.2.4-tf.
[Gru(1, Timesteps = 3, InputDim = 1, Activation = "linear", UseBias = false, ReturnSequences = true)]
public partial class TempStateless;
