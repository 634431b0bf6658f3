// The streaming models of StepModels.cs at 64 and 128 units with 8 inputs, their recurrent kernels stored as bfloat16
// (WeightPrecisionBenchmarks runs them beside the float32 ones on the same weights).
using RnnGen;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Models;

[Sequential(Timesteps = 1, InputDim = 8, WeightPrecision = WeightPrecision.BFloat16)]
[Lstm(64)]
[Dense(1)]
public partial class LstmStep64x8BFloat16 : IStreamingModel<LstmStep64x8BFloat16.InputStep, LstmStep64x8BFloat16.OutputStep>;

[Sequential(Timesteps = 1, InputDim = 8, WeightPrecision = WeightPrecision.BFloat16)]
[Lstm(128)]
[Dense(1)]
public partial class LstmStep128x8BFloat16 : IStreamingModel<LstmStep128x8BFloat16.InputStep, LstmStep128x8BFloat16.OutputStep>;

[Sequential(Timesteps = 1, InputDim = 8, WeightPrecision = WeightPrecision.BFloat16)]
[Gru(64)]
[Dense(1)]
public partial class GruStep64x8BFloat16 : IStreamingModel<GruStep64x8BFloat16.InputStep, GruStep64x8BFloat16.OutputStep>;

[Sequential(Timesteps = 1, InputDim = 8, WeightPrecision = WeightPrecision.BFloat16)]
[Gru(128)]
[Dense(1)]
public partial class GruStep128x8BFloat16 : IStreamingModel<GruStep128x8BFloat16.InputStep, GruStep128x8BFloat16.OutputStep>;
