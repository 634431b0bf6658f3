using System;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>
/// Each optimizer against Keras 3's update rule written out here in float64 from keras/src/optimizers/*.py (not from
/// RnnGen's code), over several steps with changing gradients, for two weight arrays at once.
/// </summary>
public class OptimizerTests
{
    private static readonly int[] Lengths = { 3, 2 };

    // Gradients of step t (from 1), varied in sign and size so momentum and second moments matter.
    private static double Gradient(int t, int i) => Math.Sin(1.3 * t + 0.7 * i) * (1 + i) - 0.2 * t;

    private static double[] Initial => new[] { 0.5, -1.0, 2.0, 0.25, -0.75 };

    // Runs the optimizer for `steps` steps; returns the weights after each step.
    private static float[][] Run(Optimizer optimizer, int steps)
    {
        optimizer.Build(Lengths);
        float[] weights = Initial.Select(v => (float)v).ToArray();
        var trajectory = new float[steps][];
        for (int t = 1; t <= steps; t++)
        {
            float[] gradients = Enumerable.Range(0, weights.Length).Select(i => (float)Gradient(t, i)).ToArray();
            optimizer.Apply(weights, gradients, Lengths);
            trajectory[t - 1] = (float[])weights.Clone();
        }

        return trajectory;
    }

    private static void AssertTrajectory(double[][] expected, float[][] actual)
    {
        // float32 arithmetic against float64: a few ulps per step, accumulated over 6 steps on values of order 1.
        for (int t = 0; t < expected.Length; t++)
        {
            for (int i = 0; i < expected[t].Length; i++)
            {
                Assert.True(Math.Abs(expected[t][i] - actual[t][i]) < 1e-5, $"step {t + 1}, weight {i}: Keras rule {expected[t][i]:G9}, got {actual[t][i]:G9}");
            }
        }
    }

    private static double[][] Reference(int steps, Action<int, double[], double[]> step)
    {
        double[] w = Initial;
        var trajectory = new double[steps][];
        for (int t = 1; t <= steps; t++)
        {
            double[] g = Enumerable.Range(0, w.Length).Select(i => Gradient(t, i)).ToArray();
            step(t, w, g);
            trajectory[t - 1] = (double[])w.Clone();
        }

        return trajectory;
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void Sgd_follows_keras(double momentum, bool nesterov)
    {
        const double Lr = 0.05;
        var m = new double[5];
        double[][] expected = Reference(6, (t, w, g) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                if (momentum == 0)
                {
                    w[i] -= Lr * g[i];
                    continue;
                }

                m[i] = momentum * m[i] - Lr * g[i];
                w[i] += nesterov ? momentum * m[i] - Lr * g[i] : m[i];
            }
        });
        AssertTrajectory(expected, Run(new Sgd(learningRate: (float)Lr, momentum: (float)momentum, nesterov: nesterov), 6));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_follows_keras(bool amsgrad)
    {
        const double Lr = 0.01, B1 = 0.9, B2 = 0.999, Eps = 1e-7;
        var m = new double[5];
        var v = new double[5];
        var vHat = new double[5];
        double[][] expected = Reference(6, (t, w, g) =>
        {
            double lrT = Lr * Math.Sqrt(1 - Math.Pow(B2, t)) / (1 - Math.Pow(B1, t));
            for (int i = 0; i < w.Length; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - B1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - B2);
                vHat[i] = Math.Max(vHat[i], v[i]);
                w[i] -= lrT * m[i] / (Math.Sqrt(amsgrad ? vHat[i] : v[i]) + Eps);
            }
        });
        AssertTrajectory(expected, Run(new Adam(learningRate: (float)Lr, amsgrad: amsgrad), 6));
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 0.004f)]
    public void Adam_over_all_arrays_in_one_pass_gives_each_array_alone_bit_for_bit(bool amsgrad, float weightDecay)
    {
        AssertOnePassIsPerArray(() => new AdamW(learningRate: 0.01f, weightDecay: weightDecay, amsgrad: amsgrad));
    }

    public static TheoryData<string> OnePassRules => new()
    {
        "sgd", "sgd momentum", "sgd nesterov", "sgd momentum decay",
        "rmsprop", "rmsprop momentum", "rmsprop centered", "rmsprop centered momentum decay",
    };

    private static Optimizer OnePassRule(string name)
    {
        float momentum = name.Contains("momentum") || name.Contains("nesterov") ? 0.9f : 0f;
        float? decay = name.Contains("decay") ? 0.004f : null;
        return name.StartsWith("sgd", StringComparison.Ordinal)
            ? new Sgd(learningRate: 0.01f, momentum: momentum, nesterov: name.Contains("nesterov"), weightDecay: decay)
            : new RmsProp(learningRate: 0.01f, momentum: momentum, centered: name.Contains("centered"), weightDecay: decay);
    }

    [Theory]
    [MemberData(nameof(OnePassRules))]
    public void Sgd_and_RmsProp_over_all_arrays_in_one_pass_give_each_array_alone_bit_for_bit(string rule)
    {
        AssertOnePassIsPerArray(() => OnePassRule(rule));
    }

    // One optimizer over six arrays whose slots are concatenated, against one optimizer per array, for five steps: the
    // weights must agree bit for bit after every step, and must have moved. The lengths put array boundaries inside
    // vectors of every width (and a tail), so a pass over the concatenated arrays mixes arrays in one vector where
    // separate passes would not.
    private static void AssertOnePassIsPerArray(Func<Optimizer> create)
    {
        int[] lengths = { 5, 1, 33, 80, 7, 19 };
        float[] start = Enumerable.Range(0, lengths.Sum()).Select(i => (float)Math.Cos(0.37 * i)).ToArray();
        float[] together = (float[])start.Clone();
        float[] apart = (float[])start.Clone();
        Optimizer whole = create();
        whole.Build(lengths);
        Optimizer[] perArray = lengths.Select(_ => create()).ToArray();
        for (int a = 0; a < lengths.Length; a++)
        {
            perArray[a].Build(new[] { lengths[a] });
        }

        for (int t = 1; t <= 5; t++)
        {
            float[] gradients = Enumerable.Range(0, together.Length).Select(i => (float)Gradient(t, i)).ToArray();
            whole.Apply(together, (float[])gradients.Clone(), lengths);
            for (int a = 0, offset = 0; a < lengths.Length; offset += lengths[a], a++)
            {
                perArray[a].Apply(apart.AsSpan(offset, lengths[a]), gradients.AsSpan(offset, lengths[a]), new[] { lengths[a] });
            }

            Assert.Equal(apart, together);
        }

        Assert.NotEqual(start, together);
    }

    [Fact]
    public void Adam_defaults_are_keras_defaults()
    {
        var adam = new Adam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, false), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.Amsgrad));
        var adamW = new AdamW();
        Assert.Equal(0.004f, adamW.WeightDecay);
        Assert.Equal(0.01f, new Sgd().LearningRate);
        var rms = new RmsProp();
        Assert.Equal((0.001f, 0.9f, 0f, 1e-7f, false), (rms.LearningRate, rms.Rho, rms.Momentum, rms.Epsilon, rms.Centered));
    }

    [Fact]
    public void AdamW_decays_the_weights_before_the_adam_step()
    {
        const double Lr = 0.01, Wd = 0.1, B1 = 0.9, B2 = 0.999, Eps = 1e-7;
        var m = new double[5];
        var v = new double[5];
        double[][] expected = Reference(6, (t, w, g) =>
        {
            double lrT = Lr * Math.Sqrt(1 - Math.Pow(B2, t)) / (1 - Math.Pow(B1, t));
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= w[i] * Wd * Lr; // keras BaseOptimizer._apply_weight_decay
                m[i] += (g[i] - m[i]) * (1 - B1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - B2);
                w[i] -= lrT * m[i] / (Math.Sqrt(v[i]) + Eps);
            }
        });
        AssertTrajectory(expected, Run(new AdamW(learningRate: (float)Lr, weightDecay: (float)Wd), 6));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.5, false)]
    [InlineData(0.5, true)]
    public void RmsProp_follows_keras(double momentum, bool centered)
    {
        const double Lr = 0.01, Rho = 0.9, Eps = 1e-7;
        var velocity = new double[5];
        var average = new double[5];
        var mom = new double[5];
        double[][] expected = Reference(6, (t, w, g) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                velocity[i] = Rho * velocity[i] + (1 - Rho) * g[i] * g[i];
                double denominator = velocity[i] + Eps;
                if (centered)
                {
                    average[i] = Rho * average[i] + (1 - Rho) * g[i];
                    denominator = velocity[i] - average[i] * average[i] + Eps;
                }

                double increment = Lr * g[i] / Math.Sqrt(denominator);
                if (momentum > 0)
                {
                    mom[i] = momentum * mom[i] + increment;
                    w[i] -= mom[i];
                }
                else
                {
                    w[i] -= increment;
                }
            }
        });
        AssertTrajectory(expected, Run(new RmsProp(learningRate: (float)Lr, momentum: (float)momentum, centered: centered), 6));
    }

    [Fact]
    public void Clipnorm_scales_each_weight_array_to_the_norm()
    {
        var sgd = new Sgd(learningRate: 1f, clipnorm: 1f);
        sgd.Build(Lengths);
        float[] weights = new float[5];
        float[] gradients = { 3, 4, 0, 0.3f, 0.4f }; // norms 5 (clipped to 1) and 0.5 (kept)
        sgd.Apply(weights, gradients, Lengths);
        Assert.Equal(new[] { -0.6f, -0.8f, 0f, -0.3f, -0.4f }, weights.Select(w => MathF.Round(w, 6)));
    }

    [Fact]
    public void Global_clipnorm_scales_all_arrays_together()
    {
        var sgd = new Sgd(learningRate: 1f, globalClipnorm: 2.5f);
        sgd.Build(Lengths);
        float[] weights = new float[5];
        float[] gradients = { 3, 0, 0, 4, 0 }; // global norm 5 -> scaled by 0.5
        sgd.Apply(weights, gradients, Lengths);
        Assert.Equal(new[] { -1.5f, 0f, 0f, -2f, 0f }, weights.Select(w => MathF.Round(w, 6)));
    }

    [Fact]
    public void Clipvalue_clips_each_element()
    {
        var sgd = new Sgd(learningRate: 1f, clipvalue: 0.5f);
        sgd.Build(Lengths);
        float[] weights = new float[5];
        sgd.Apply(weights, new float[] { 3, -0.2f, -4, 0.5f, 0.1f }, Lengths);
        Assert.Equal(new[] { -0.5f, 0.2f, 0.5f, -0.5f, -0.1f }, weights.Select(w => MathF.Round(w, 6)));
    }

    [Fact]
    public void Two_clipping_options_are_refused_as_keras_refuses_them()
    {
        var error = Assert.Throws<ArgumentException>(() => new Adam(clipnorm: 1f, clipvalue: 1f));
        Assert.Contains("Only one of clipnorm, clipvalue and globalClipnorm", error.Message);
    }
}
