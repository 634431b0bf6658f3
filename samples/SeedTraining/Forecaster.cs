using RnnGen;

namespace SeedTraining;

/// <summary>
/// The notebook's model: <c>LSTM(20, activation='relu', input_shape=(3, 1))</c>, <c>Dense(5, activation='relu')</c>,
/// <c>Dense(1)</c>, with Keras's default initializers.
/// </summary>
[Sequential(Timesteps = 3, InputDim = 1)]
[Lstm(20, Activation = "relu")]
[Dense(5, Activation = "relu")]
[Dense(1)]
public partial class Forecaster;

/// <summary>The notebook's data: 13 windows of three numbers and the number that follows each.</summary>
public static class SeedData
{
    /// <summary><c>x</c>: 13 samples of 3 timesteps with 1 feature, batch first.</summary>
    public static readonly float[] X =
    {
        1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 5, 6, 7, 6, 7, 8, 7, 8, 9, 8, 9, 10, 9, 10, 11, 10, 11, 12,
        20, 30, 40, 30, 40, 50, 40, 50, 60,
    };

    /// <summary><c>y</c>: the next number of each window.</summary>
    public static readonly float[] Y = { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 50, 60, 70 };

    /// <summary>The notebook's test input, <c>[25, 35, 45]</c>; Keras predicted 55.212856 for it.</summary>
    public static readonly float[] Test = { 25, 35, 45 };
}
