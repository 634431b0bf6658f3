using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Benchmarks.Harness;

/// <summary>Deterministic inputs and weights shared by every implementation in a comparison.</summary>
public static class TestData
{
    /// <summary>Seed of every input signal: the same numbers in every run and every process.</summary>
    public const int InputSeed = 20240611;

    /// <summary>Seed of the biases drawn by <see cref="RandomizeBiases"/>.</summary>
    public const int BiasSeed = 7;

    /// <summary><paramref name="count"/> floats uniform in [-1, 1).</summary>
    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() * 2f - 1f;
        }

        return values;
    }

    /// <summary>
    /// Replaces every bias of <paramref name="model"/> with values uniform in [-0.1, 0.1), keeping the kernels the
    /// generated initializers drew (glorot_uniform, orthogonal: well scaled, so the gates do not saturate). Keras
    /// initializes biases to zero (LSTM: ones for f), which would let a baseline that mis-indexes a bias pass the
    /// agreement check; random biases make every bias element count.
    /// </summary>
    public static void RandomizeBiases(IRnnModel model)
    {
        float[][] weights = model.GetWeights();
        var random = new Random(BiasSeed);
        for (int i = 0; i < weights.Length; i++)
        {
            if (model.Info.Weights[i].Name.EndsWith("bias", StringComparison.Ordinal))
            {
                for (int j = 0; j < weights[i].Length; j++)
                {
                    weights[i][j] = (random.NextSingle() * 2f - 1f) * 0.1f;
                }
            }
        }

        model.SetWeights(weights);
    }
}

/// <summary>Views a generated fixed-size value type (all of whose fields are floats) as its floats.</summary>
public static class StructFloats
{
    public static Span<float> Of<T>(ref T value)
        where T : struct
    {
        if (Unsafe.SizeOf<T>() % sizeof(float) != 0)
        {
            throw new ArgumentException($"{typeof(T)} is not made of floats.");
        }

        return MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref value), Unsafe.SizeOf<T>() / sizeof(float));
    }

    public static int Count<T>()
        where T : struct => Unsafe.SizeOf<T>() / sizeof(float);
}

/// <summary>The agreement check every benchmark runs at setup: a benchmark of a wrong implementation measures nothing.</summary>
public static class Agreement
{
    /// <summary>
    /// The largest absolute difference allowed between an implementation and the generated model. The three compute
    /// the same float32 function with different summation orders and activation approximations (TensorPrimitives'
    /// vectorised Sigmoid/Tanh are within a few ulp); over 64 timesteps those differences stay near 1e-6, so 1e-4
    /// leaves room for rounding and none for a wrong gate, bias or weight layout (those move outputs by 1e-2 and more).
    /// </summary>
    public const float Tolerance = 1e-4f;

    /// <summary>Throws unless <paramref name="actual"/> is <paramref name="expected"/> within <see cref="Tolerance"/>, element by element.</summary>
    /// <param name="what">Names the two implementations compared, for the message.</param>
    public static void Check(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} outputs, expected {expected.Length}.");
        }

        float worst = 0f;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = MathF.Abs(expected[i] - actual[i]);
            if (float.IsNaN(difference) || difference > worst)
            {
                worst = difference;
                worstIndex = i;
                if (float.IsNaN(difference))
                {
                    break;
                }
            }
        }

        if (!(worst <= Tolerance))
        {
            throw new InvalidOperationException(
                $"{what}: the outputs differ by {worst:G6} at output {worstIndex} " +
                $"(expected {expected[worstIndex]:G9}, got {actual[worstIndex]:G9}); the tolerance is {Tolerance:G3}.");
        }
    }
}
