// The whole-sequence models: one recurrent layer over T = 64 timesteps of 8 features, returning the last output
// (Keras return_sequences=False), with the layer defaults (GRU reset_after=True, the Keras 3 default).
using RnnGen;

namespace RnnGen.Benchmarks.Models;

[SimpleRnn(16, Timesteps = 64, InputDim = 8)]
public partial class SimpleRnnSequence16;

[SimpleRnn(32, Timesteps = 64, InputDim = 8)]
public partial class SimpleRnnSequence32;

[SimpleRnn(64, Timesteps = 64, InputDim = 8)]
public partial class SimpleRnnSequence64;

[SimpleRnn(128, Timesteps = 64, InputDim = 8)]
public partial class SimpleRnnSequence128;

[Lstm(16, Timesteps = 64, InputDim = 8)]
public partial class LstmSequence16;

[Lstm(32, Timesteps = 64, InputDim = 8)]
public partial class LstmSequence32;

[Lstm(64, Timesteps = 64, InputDim = 8)]
public partial class LstmSequence64;

[Lstm(128, Timesteps = 64, InputDim = 8)]
public partial class LstmSequence128;

[Gru(16, Timesteps = 64, InputDim = 8)]
public partial class GruSequence16;

[Gru(32, Timesteps = 64, InputDim = 8)]
public partial class GruSequence32;

[Gru(64, Timesteps = 64, InputDim = 8)]
public partial class GruSequence64;

[Gru(128, Timesteps = 64, InputDim = 8)]
public partial class GruSequence128;

[Lstm(16, Timesteps = 64, InputDim = 8, Bidirectional = true)]
public partial class BiLstmSequence16;

[Lstm(32, Timesteps = 64, InputDim = 8, Bidirectional = true)]
public partial class BiLstmSequence32;

[Lstm(64, Timesteps = 64, InputDim = 8, Bidirectional = true)]
public partial class BiLstmSequence64;

[Lstm(128, Timesteps = 64, InputDim = 8, Bidirectional = true)]
public partial class BiLstmSequence128;
