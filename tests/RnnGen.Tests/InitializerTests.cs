using System;
using System.Linq;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// Keras's initializers (keras/src/initializers/): the distributions, their scales from the fans, and their limits.
/// Random values cannot equal Keras's (its streams differ by backend), so the tests check the distribution: ranges
/// exactly, moments within sampling error. With n = 16384 draws the relative standard error of a sample standard
/// deviation is sqrt((kurtosis - 1) / 4n): at most 0.55% (normal, kurtosis 3); that of a sample variance of a uniform
/// (kurtosis 1.8) is sqrt(0.8 / n) = 0.7%. The tolerances are about four standard errors: a correct implementation
/// would fail for about one seed in 15000, and the seeds here are fixed, so every run gives the same verdict.
/// </summary>
public class InitializerTests
{
    private const int Rows = 128, Columns = 128; // 16384 draws
    private const double StddevTolerance = 0.03;

    private static float[] Fill(string initializer, int rows = Rows, int columns = Columns, int seed = 1, int stream = 0)
    {
        var values = new float[columns == 0 ? rows : rows * columns];
        Initializers.Fill(values, initializer, rows, columns, seed, stream);
        return values;
    }

    private static double Mean(float[] values) => values.Average(v => (double)v);

    private static double Stddev(float[] values)
    {
        double mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    [Theory]
    [InlineData("glorot_uniform", 64, 256, 6.0 / (64 + 256))] // limit = sqrt(6 / (fan_in + fan_out))
    [InlineData("he_uniform", 64, 256, 6.0 / 64)] // limit = sqrt(6 / fan_in)
    [InlineData("lecun_uniform", 64, 256, 3.0 / 64)] // limit = sqrt(3 / fan_in)
    [InlineData("glorot_uniform", 300, 0, 6.0 / 600)] // 1-D: fan_in = fan_out = shape[0]
    public void Variance_scaling_uniform_fills_its_limit(string name, int rows, int columns, double limitSquared)
    {
        double limit = Math.Sqrt(limitSquared);
        float[] values = Fill(name, rows, columns);
        Assert.All(values, v => Assert.InRange(v, -limit, limit));
        // The whole range is used: with n draws, none lands in the top 20/n of the range on one side with probability
        // (1 - 10/n)^n < e^-10, so the extremes come that close to the limit.
        double reach = (1 - 20.0 / values.Length) * limit;
        Assert.True(values.Max() > reach && values.Min() < -reach, $"range [{values.Min()}, {values.Max()}] vs limit {limit}");
        if (values.Length >= 16384)
        {
            Assert.Equal(limit / Math.Sqrt(3), Stddev(values), limit / Math.Sqrt(3) * StddevTolerance);
        }
    }

    [Theory]
    [InlineData("glorot_normal", 2.0 / (128 + 128))] // stddev = sqrt(2 / (fan_in + fan_out))
    [InlineData("he_normal", 2.0 / 128)] // stddev = sqrt(2 / fan_in)
    [InlineData("lecun_normal", 1.0 / 128)] // stddev = sqrt(1 / fan_in)
    public void Variance_scaling_normal_has_its_stddev_and_is_truncated_at_two(string name, double variance)
    {
        // Keras draws from a normal truncated at two standard deviations whose own stddev is scaled up by
        // 1 / 0.87962566103423978 so that the truncated draws have exactly the target stddev.
        double stddev = Math.Sqrt(variance);
        float[] values = Fill(name);
        Assert.Equal(stddev, Stddev(values), stddev * StddevTolerance);
        Assert.Equal(0, Mean(values), 4 * stddev / Math.Sqrt(values.Length));
        double bound = 2 * stddev / 0.87962566103423978;
        Assert.All(values, v => Assert.InRange(v, -bound - 1e-6, bound + 1e-6));
    }

    [Fact]
    public void Random_uniform_uses_its_bounds()
    {
        float[] values = Fill("random_uniform(-0.3, 0.7)");
        Assert.All(values, v => Assert.InRange(v, -0.3f, 0.7f));
        Assert.True(values.Min() < -0.29f && values.Max() > 0.69f);
        double stddev = 1.0 / Math.Sqrt(12); // of a uniform of width 1
        Assert.Equal(0.2, Mean(values), 4 * stddev / Math.Sqrt(values.Length));
        Assert.Equal(stddev, Stddev(values), stddev * StddevTolerance);
    }

    [Fact]
    public void Random_uniform_defaults_to_plus_minus_five_hundredths()
    {
        float[] values = Fill("random_uniform");
        Assert.All(values, v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.True(values.Min() < -0.049f && values.Max() > 0.049f);
    }

    [Fact]
    public void Random_and_truncated_normal_use_their_mean_and_stddev()
    {
        float[] normal = Fill("random_normal(1, 0.5)");
        Assert.Equal(1.0, Mean(normal), 4 * 0.5 / Math.Sqrt(normal.Length));
        Assert.Equal(0.5, Stddev(normal), 0.5 * StddevTolerance);

        // keras TruncatedNormal(mean, stddev) is N(mean, stddev) with draws beyond two stddevs redrawn: the result's
        // own stddev is stddev * 0.8796 (the truncated normal's).
        float[] truncated = Fill("truncated_normal(0, 0.05)");
        Assert.All(truncated, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.Equal(0.05 * 0.87962566103423978, Stddev(truncated), 0.05 * StddevTolerance);
    }

    [Theory]
    [InlineData(3, 12)] // LSTM recurrent kernel [units, 4 units]: rows orthonormal
    [InlineData(12, 3)] // columns orthonormal
    [InlineData(8, 8)]
    public void Orthogonal_gives_orthonormal_rows_or_columns(int rows, int columns)
    {
        float[] w = Fill("orthogonal", rows, columns);
        AssertOrthonormal(w, rows, columns, gain: 1);
    }

    [Fact]
    public void Orthogonal_gain_scales_the_matrix()
    {
        AssertOrthonormal(Fill("orthogonal(2)", 4, 6), 4, 6, gain: 2);
    }

    private static void AssertOrthonormal(float[] w, int rows, int columns, double gain)
    {
        // The shorter side's vectors are orthonormal: W W^T = gain^2 I when rows <= columns, else W^T W = gain^2 I.
        bool byRows = rows <= columns;
        int count = byRows ? rows : columns, length = byRows ? columns : rows;
        double At(int vector, int i) => byRows ? w[vector * columns + i] : w[i * columns + vector];
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b < count; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += At(a, i) * At(b, i);
                }

                // float32 storage: each element carries a relative rounding of 6e-8, a dot of up to 12 terms ~1e-6.
                Assert.Equal(a == b ? gain * gain : 0, dot, 1e-5 * gain * gain);
            }
        }
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(6, 4)]
    public void Identity_puts_its_gain_on_the_diagonal(int rows, int columns)
    {
        float[] w = Fill("identity(0.5)", rows, columns);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(r == c ? 0.5f : 0f, w[r * columns + c]);
            }
        }
    }

    [Theory]
    [InlineData("zeros", 0f)]
    [InlineData("ones", 1f)]
    [InlineData("constant(0.1)", 0.1f)]
    [InlineData("constant(-2.5)", -2.5f)]
    public void Constant_initializers_fill_one_value(string name, float value)
    {
        Assert.All(Fill(name, 7, 3), v => Assert.Equal(value, v));
    }

    [Fact]
    public void Same_seed_and_stream_repeat_and_other_streams_differ()
    {
        Assert.Equal(Fill("glorot_uniform", seed: 5, stream: 2), Fill("glorot_uniform", seed: 5, stream: 2));
        Assert.NotEqual(Fill("glorot_uniform", seed: 5, stream: 2), Fill("glorot_uniform", seed: 5, stream: 3));
        Assert.NotEqual(Fill("glorot_uniform", seed: 5, stream: 2), Fill("glorot_uniform", seed: 6, stream: 2));
    }

    [Theory]
    [InlineData("orthogonal")]
    [InlineData("identity")]
    public void Matrix_initializers_refuse_a_1d_weight(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Fill(name, 5, 0));
        Assert.Contains("2-D", error.Message);
    }

    [Fact]
    public void Unknown_initializer_lists_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => Fill("glorot", 2, 2));
        Assert.Contains("'glorot' is not a Keras initializer", error.Message);
        Assert.Contains("glorot_uniform", error.Message);
    }

    [Fact]
    public void Lstm_unit_forget_bias_puts_ones_in_the_forget_block()
    {
        // keras LSTMCell.build with unit_forget_bias: bias = [init(units) (i), ones(units) (f), init(2 units) (c, o)].
        float[] bias = new InitializedLstm().GetWeights()[2];
        Assert.Equal(4 * 16, bias.Length);
        Assert.All(bias.Take(16), v => Assert.Equal(0.25f, v));
        Assert.All(bias.Skip(16).Take(16), v => Assert.Equal(1f, v));
        Assert.All(bias.Skip(32), v => Assert.Equal(0.25f, v));

        float[] defaultBias = new DefaultBidirectionalLstm().GetWeights()[2];
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0 }, defaultBias);
        Assert.Equal(defaultBias, new DefaultBidirectionalLstm().GetWeights()[5]); // the backward direction too
    }

    [Fact]
    public void Lstm_without_unit_forget_bias_uses_the_bias_initializer_alone()
    {
        Assert.All(new LstmWithoutForgetBias().GetWeights()[2], v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void Declared_initializers_reach_their_weights()
    {
        float[][] weights = new InitializedLstm().GetWeights();
        Assert.All(weights[0], v => Assert.InRange(v, -0.3f, 0.7f)); // kernel [8, 64]: random_uniform(-0.3, 0.7)
        Assert.True(weights[0].Min() < 0 && weights[0].Max() > 0.4f);
        float[] recurrent = weights[1]; // [16, 64]: identity(0.5)
        for (int r = 0; r < 16; r++)
        {
            for (int c = 0; c < 64; c++)
            {
                Assert.Equal(r == c ? 0.5f : 0f, recurrent[r * 64 + c]);
            }
        }
    }

    [Fact]
    public void Declared_dense_initializers_reach_the_dense_weights()
    {
        // get_weights() order: GRU kernel, recurrent_kernel, bias, then kernel and bias of each Dense.
        var model = new InitializedDenseStack();
        float[][] weights = model.GetWeights();
        Assert.Equal(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias" }, InitializedDenseStack.Info.Weights.Skip(3).Select(w => w.Name));

        Assert.Equal(4 * 8, weights[3].Length); // ones, [4, 8]
        Assert.All(weights[3], v => Assert.Equal(1f, v));
        Assert.Equal(8, weights[4].Length); // constant(0.5)
        Assert.All(weights[4], v => Assert.Equal(0.5f, v));

        // he_normal on [8, 2048]: truncated normal with stddev sqrt(2 / fan_in) = 0.5, fan_in = 8 rows. Swapped fans
        // (fan_in 2048) would give 0.03; the default glorot_uniform a stddev of 0.03 too.
        float[] kernel = weights[5];
        Assert.Equal(8 * 2048, kernel.Length);
        double stddev = Math.Sqrt(2.0 / 8);
        Assert.Equal(stddev, Stddev(kernel), stddev * StddevTolerance);
        Assert.Equal(0, Mean(kernel), 4 * stddev / Math.Sqrt(kernel.Length));
        double bound = 2 * stddev / 0.87962566103423978;
        Assert.All(kernel, v => Assert.InRange(v, -bound - 1e-6, bound + 1e-6));

        // random_uniform(-0.3, 0.7) on 2048 biases: within the bounds, reaching both ends (with n draws, none within
        // 20/n of the range of one end has probability (1 - 20/n)^n < e^-20).
        float[] bias = weights[6];
        Assert.Equal(2048, bias.Length);
        Assert.All(bias, v => Assert.InRange(v, -0.3f, 0.7f));
        Assert.True(bias.Min() < -0.3 + 20.0 / 2048 && bias.Max() > 0.7 - 20.0 / 2048, $"range [{bias.Min()}, {bias.Max()}]");
    }

    [Fact]
    public void Default_initializers_are_keras_defaults()
    {
        // LSTM(3) on 2 features: kernel glorot_uniform with fans (2, 12), recurrent kernel orthogonal [3, 12].
        float[][] weights = new DefaultBidirectionalLstm().GetWeights();
        double limit = Math.Sqrt(6.0 / (2 + 12));
        Assert.All(weights[0], v => Assert.InRange(v, -limit, limit));
        AssertOrthonormal(weights[1], 3, 12, gain: 1);
        AssertOrthonormal(weights[4], 3, 12, gain: 1);
    }
}
