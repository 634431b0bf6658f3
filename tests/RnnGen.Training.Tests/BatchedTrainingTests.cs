using System;
using System.Linq;
using RnnGen.Reference;

namespace RnnGen.Training.Tests;

/// <summary>
/// The batched training path: the matrix product kernel against a plain loop, gradients of wide layers over batches
/// of several chunks against finite differences of the float64 reference, the chunks' reduction, and multi-core
/// training giving bitwise the results of one core.
/// </summary>
public class BatchedTrainingTests
{
    public static TheoryData<int, int, int> GemmSizes => new()
    {
        { 1, 1, 1 }, { 1, 20, 80 }, { 1, 80, 20 }, { 1, 200, 7 }, { 3, 5, 7 }, { 6, 32, 4 }, { 7, 37, 5 }, { 13, 80, 9 }, { 16, 128, 33 }, { 64, 71, 24 }, { 20, 500, 3 },
    };

    [Fact]
    public void A_one_row_product_gives_the_bits_of_that_row_in_a_tiled_product()
    {
        // A batch of 1 takes the one-row path (64 columns per pass); each column sums its products in the same order
        // as in the 6- and 4-row tiles, so the two agree bit for bit.
        const int M = 7, N = 200, K = 23;
        float[] a = GradientTests.Random(M * K, 4), b = GradientTests.Random(K * N, 5), c = GradientTests.Random(M * N, 6);
        float[] tiled = c.ToArray();
        Gemm.MultiplyAdd(M, N, K, a, K, 1, b, N, tiled, N);
        for (int i = 0; i < M; i++)
        {
            float[] row = c.Skip(i * N).Take(N).ToArray();
            Gemm.MultiplyAdd(1, N, K, a.AsSpan(i * K), K, 1, b, N, row, N);
            Assert.Equal(tiled.Skip(i * N).Take(N).ToArray(), row);
        }
    }

    [Theory]
    [MemberData(nameof(GemmSizes))]
    public void Gemm_matches_a_plain_loop_for_every_tile_and_edge(int m, int n, int k)
    {
        // Sizes cover the 6 x 32 tiles, single rows, 16-, 8- and 4-wide column blocks and the scalar tail; strides
        // larger than the rows, and A read transposed, as the trainer reads it.
        foreach (bool transposedA in new[] { false, true })
        {
            int aRow = transposedA ? 1 : k + 3, aColumn = transposedA ? m + 2 : 1;
            int bRow = n + 5, cRow = n + 1;
            float[] a = GradientTests.Random((m - 1) * aRow + (k - 1) * aColumn + 1, 1);
            float[] b = GradientTests.Random((k - 1) * bRow + n, 2);
            float[] c = GradientTests.Random((m - 1) * cRow + n, 3);
            float[] expected = c.ToArray();
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += (double)a[i * aRow + p * aColumn] * b[p * bRow + j];
                    }

                    expected[i * cRow + j] = (float)(c[i * cRow + j] + sum);
                }
            }

            Gemm.MultiplyAdd(m, n, k, a, aRow, aColumn, b, bRow, c, cRow);
            for (int i = 0; i < c.Length; i++)
            {
                // float32 sums of k products of values in [-1, 1]: a few ulp of k.
                Assert.True(Math.Abs(expected[i] - c[i]) <= 1e-5 * (k + 1), $"m={m} n={n} k={k} transposed={transposedA}: element {i} is {c[i]}, expected {expected[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(GemmSizes))]
    public void Transposed_product_matches_a_plain_loop(int m, int n, int k)
    {
        float[] a = GradientTests.Random(m * (k + 2), 4);
        float[] b = GradientTests.Random(n * (k + 1), 5);
        float[] c = GradientTests.Random(m * n, 6);
        float[] expected = c.ToArray();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i * (k + 2) + p] * b[j * (k + 1) + p];
                }

                expected[i * n + j] = (float)(c[i * n + j] + sum);
            }
        }

        Gemm.MultiplyAddTransposed(m, n, k, a, k + 2, b, k + 1, c, n);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - c[i]) <= 1e-5 * (k + 1), $"element {i} is {c[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Gemm_refuses_spans_too_short_for_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.MultiplyAdd(4, 4, 4, new float[15], 4, 1, new float[16], 4, new float[16], 4));
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void Wide_layers_over_several_chunks_match_finite_differences_of_the_float64_reference()
    {
        var model = new WideStack(7);
        model.Compile(new Sgd(), new MeanSquaredError());
        ModelInfo info = WideStack.Info;
        const int Batch = 2 * Trainer.ChunkSamples + 5;
        float[] x = GradientTests.Random(Batch * info.InputLength, 31);
        float[] y = GradientTests.Random(Batch * info.Outputs[0].Length, 32);
        float[][] gradients = model.ComputeGradients(x, y);
        float[][] weights = model.GetWeights();

        double Loss(float[][] w)
        {
            float[] output = new ReferenceModel(info, w, ReferencePrecision.Float64).Predict(x)[0];
            return output.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Sum() / output.Length;
        }

        GradientTests.CheckAgainstFiniteDifferences(info, weights, gradients, Loss);
    }

    [Fact]
    public void A_batch_gradient_is_the_sample_weighted_mean_of_its_chunks()
    {
        // The batch's gradient is the mean over all its rows, so cutting it into chunks must weigh each chunk by its
        // samples: 16 + 16 + 5 samples here, each part also computed as a batch of its own.
        var model = new WideStack(3);
        model.Compile(new Sgd(), new MeanSquaredError());
        int inputLength = WideStack.Info.InputLength, outputLength = WideStack.Info.Outputs[0].Length;
        int[] parts = { Trainer.ChunkSamples, Trainer.ChunkSamples, 5 };
        int batch = parts.Sum();
        float[] x = GradientTests.Random(batch * inputLength, 41);
        float[] y = GradientTests.Random(batch * outputLength, 42);
        float[][] whole = model.ComputeGradients(x, y);
        double[][] expected = whole.Select(g => new double[g.Length]).ToArray();
        int start = 0;
        foreach (int part in parts)
        {
            float[][] g = model.ComputeGradients(x.AsSpan(start * inputLength, part * inputLength), y.AsSpan(start * outputLength, part * outputLength));
            for (int a = 0; a < g.Length; a++)
            {
                for (int i = 0; i < g[a].Length; i++)
                {
                    expected[a][i] += (double)g[a][i] * part / batch;
                }
            }

            start += part;
        }

        for (int a = 0; a < whole.Length; a++)
        {
            for (int i = 0; i < whole[a].Length; i++)
            {
                // Two float32 summation orders of the same terms.
                Assert.True(Math.Abs(expected[a][i] - whole[a][i]) <= 1e-6 + 1e-4 * Math.Abs(expected[a][i]), $"{WideStack.Info.Weights[a].Name}[{i}]: {whole[a][i]}, chunks give {expected[a][i]}");
            }
        }
    }

    [Theory]
    [InlineData(nameof(WideStack))]
    [InlineData(nameof(RecurrentDropoutStack))]
    public void Training_on_several_cores_gives_bitwise_the_weights_of_one_core(string name)
    {
        (float[][] Weights, float[] Losses) Train(int degree)
        {
            IRnnModel model = name == nameof(WideStack) ? new WideStack(11) : GradientTests.Create(name, 11);
            GradientTests.Compile(model, new Adam(learningRate: 0.01f), new MeanSquaredError());
            Trainer trainer = GradientTests.TrainerOf(model);
            trainer.MaxDegreeOfParallelism = degree;
            const int Samples = 3 * Trainer.ChunkSamples + 7;
            float[] x = GradientTests.Random(Samples * model.Info.InputLength, 51);
            float[] y = GradientTests.Random(Samples * model.Info.Outputs[0].Length, 52, 0.5);
            History history = trainer.Fit(x, y, epochs: 3, batchSize: 2 * Trainer.ChunkSamples + 3, seed: 5);
            return (model.GetWeights(), history.Loss.ToArray());
        }

        (float[][] one, float[] oneLosses) = Train(1);
        (float[][] two, float[] twoLosses) = Train(2);
        (float[][] twoAgain, float[] twoAgainLosses) = Train(2);
        (float[][] four, _) = Train(4);
        Assert.Equal(oneLosses, twoLosses);
        Assert.Equal(twoLosses, twoAgainLosses);
        for (int a = 0; a < one.Length; a++)
        {
            Assert.Equal(one[a], two[a]);
            Assert.Equal(two[a], twoAgain[a]);
            Assert.Equal(one[a], four[a]);
        }

        // Training moved the weights, so equal weights are not equal initial weights.
        IRnnModel untrained = name == nameof(WideStack) ? new WideStack(11) : GradientTests.Create(name, 11);
        Assert.NotEqual(untrained.GetWeights()[0], one[0]);
    }

    [Fact]
    public void A_degree_below_one_is_refused()
    {
        var model = new WideStack(1);
        model.Compile(new Adam(), new MeanSquaredError());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Trainer.MaxDegreeOfParallelism = 0);
        Assert.Contains("at least 1", error.Message);
    }
}
