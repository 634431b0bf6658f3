// The streaming models: one recurrent layer and a Dense(1) head, as in a per-sample audio or sensor model.
// Timesteps = 1 because Step ignores it (it carries the state across calls instead); it also makes the whole-sequence
// Forward of these models exactly one timestep of work, which the step benchmarks use as a stand-in before Step exists.
using RnnGen;

namespace RnnGen.Benchmarks.Models;

[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(8)]
[Dense(1)]
public partial class LstmStep8x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(8)]
[Dense(1)]
public partial class LstmStep8x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(16)]
[Dense(1)]
public partial class LstmStep16x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(16)]
[Dense(1)]
public partial class LstmStep16x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(32)]
[Dense(1)]
public partial class LstmStep32x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(32)]
[Dense(1)]
public partial class LstmStep32x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(64)]
[Dense(1)]
public partial class LstmStep64x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(64)]
[Dense(1)]
public partial class LstmStep64x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Lstm(128)]
[Dense(1)]
public partial class LstmStep128x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Lstm(128)]
[Dense(1)]
public partial class LstmStep128x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Gru(8)]
[Dense(1)]
public partial class GruStep8x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Gru(8)]
[Dense(1)]
public partial class GruStep8x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Gru(16)]
[Dense(1)]
public partial class GruStep16x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Gru(16)]
[Dense(1)]
public partial class GruStep16x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Gru(32)]
[Dense(1)]
public partial class GruStep32x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Gru(32)]
[Dense(1)]
public partial class GruStep32x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Gru(64)]
[Dense(1)]
public partial class GruStep64x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Gru(64)]
[Dense(1)]
public partial class GruStep64x8;

[Sequential(Timesteps = 1, InputDim = 1)]
[Gru(128)]
[Dense(1)]
public partial class GruStep128x1;

[Sequential(Timesteps = 1, InputDim = 8)]
[Gru(128)]
[Dense(1)]
public partial class GruStep128x8;
