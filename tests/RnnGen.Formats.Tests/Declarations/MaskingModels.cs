using RnnGen;

namespace Declarations;

// The masking fixtures (Masking -> LSTM(3) -> Dense(2); keras2_masking_model.h5 with mask_value 0,
// keras3_masking.keras with -1) declared with their Masking layer, with another mask value, and without it.
[Sequential(Timesteps = 4, InputDim = 3)]
[Masking]
[Lstm(3)]
[Dense(2)]
public partial class MaskedTagger;

[Sequential(Timesteps = 4, InputDim = 3)]
[Masking(MaskValue = -1f)]
[Lstm(3)]
[Dense(2)]
public partial class MaskedTaggerMinusOne;

[Sequential(Timesteps = 4, InputDim = 3)]
[Lstm(3)]
[Dense(2)]
public partial class TaggerWithoutMasking;
