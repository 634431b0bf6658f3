using RnnGen;

namespace Declarations;

// The embedding fixtures (Embedding(20, 4) -> LSTM(3) -> Dense(2), 5 tokens; keras2_embedding_model.h5 with
// mask_zero=True, keras3_embedding.keras without) declared as rnngen inspect prints them, and with other sizes.
[Sequential(Timesteps = 5)]
[Embedding(20, 4, MaskZero = true)]
[Lstm(3)]
[Dense(2)]
public partial class TokenTagger;

[Sequential(Timesteps = 5)]
[Embedding(20, 4)]
[Lstm(3)]
[Dense(2)]
public partial class TokenTaggerNoMask;

[Sequential(Timesteps = 5, InputDim = 1)]
[Embedding(30, 4, MaskZero = true)]
[Lstm(3)]
[Dense(2)]
public partial class TokenTaggerLargerVocabulary;

[Sequential(Timesteps = 5)]
[Lstm(3, InputDim = 4)]
[Dense(2)]
public partial class TaggerWithoutEmbedding;

[Sequential(Timesteps = 5)]
[Embedding(20, 4)]
[Dense(4)]
[Lstm(3)]
[Dense(2)]
public partial class TaggerWithExtraDense;
