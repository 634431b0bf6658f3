using System;
using System.Linq;

namespace RnnGen.Training.Tests;

/// <summary>
/// Training under a Keras mask (Masking, Embedding(mask_zero)): the trainer's gradients against finite differences of
/// the generated model's own masked forward pass (the inference code TensorFlow.js's masked outputs check,
/// tests/golden/masking.mjs, none of the trainer's code), the prefix rule, the masked loss and metrics, and
/// BatchNormalization's statistics of the kept timesteps. GoldenTests compares the same models with TensorFlow.js.
/// </summary>
public class MaskedTrainingTests
{
    // Each sample's kept (1) and masked (0) timesteps for models of 5 timesteps: none masked, padding after, padding
    // before, scattered, all masked.
    private static readonly int[][] Patterns =
    {
        new[] { 1, 1, 1, 1, 1 },
        new[] { 1, 1, 1, 0, 0 },
        new[] { 0, 0, 1, 1, 1 },
        new[] { 1, 0, 1, 1, 0 },
        new[] { 0, 0, 0, 0, 0 },
    };

    public static TheoryData<string> Models => new(new[]
    {
        nameof(GoldenMaskedLstm), nameof(GoldenMaskedBidirectionalAveragePool), nameof(GoldenMaskedTokenTagger),
        nameof(MaskedBidirectionalMaxPool), nameof(MaskedGruResetAfter),
    });

    // Inputs of `patterns`' samples: random features (or tokens 1..6) at kept timesteps, the mask value at masked ones.
    private static float[] PaddedInput(ModelInfo info, int[][] patterns, int seed)
    {
        int t = info.Timesteps, d = info.InputDim;
        bool tokens = info.Layers[0].Kind == LayerKind.Embedding;
        float maskValue = tokens ? 0f : (float)info.Layers[0].MaskValue;
        float[] x = GradientTests.Random(patterns.Length * t * d, seed);
        for (int i = 0; i < x.Length; i++)
        {
            bool kept = patterns[i / (t * d)][i / d % t] == 1;
            x[i] = !kept ? maskValue : tokens ? 1 + (int)((x[i] + 1) * 2.99f) : x[i] == maskValue ? 0.5f : x[i];
        }

        return x;
    }

    // Keras's loss (MSE) of the model's main output: the mean over rows, or over the kept rows of a sequence output
    // that carries the mask (keras/src/losses/loss.py apply_mask).
    private static double MaskedMeanSquaredError(IRnnModel model, float[] x, float[] y, int[][] patterns)
    {
        float[] output = model.Predict(x)[0];
        int rows = model.Info.Outputs[0].Dimensions.Count == 2 ? model.Info.Timesteps : 1;
        int width = output.Length / (patterns.Length * rows);
        double sum = 0;
        int kept = 0;
        for (int r = 0; r < patterns.Length * rows; r++)
        {
            if (rows > 1 && patterns[r / rows][r % rows] == 0)
            {
                continue;
            }

            kept++;
            for (int j = 0; j < width; j++)
            {
                double error = (double)output[r * width + j] - y[r * width + j];
                sum += error * error / width;
            }
        }

        return kept == 0 ? 0 : sum / kept;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Masked_gradients_match_finite_differences_of_the_generated_masked_forward_pass(string name)
    {
        IRnnModel model = GradientTests.Create(name, seed: 7);
        GradientTests.Compile(model, new Sgd(), new MeanSquaredError());
        ModelInfo info = model.Info;
        // Global average pooling of a sequence with every timestep masked is Keras's 0 / 0: that model gets no such row.
        int[][] patterns = name == nameof(GoldenMaskedBidirectionalAveragePool) ? Patterns[..4] : Patterns;
        float[] x = PaddedInput(info, patterns, 11);
        float[] y = GradientTests.Random(patterns.Length * info.Outputs[0].Length, 12);
        float[][] gradients = GradientTests.TrainerOf(model).ComputeGradients(x, y);
        float[][] weights = model.GetWeights();
        Assert.Equal(MaskedMeanSquaredError(model, x, y, patterns), GradientTests.TrainerOf(model).ComputeLoss(x, y, training: false), 5);

        IRnnModel probe = GradientTests.Create(name, seed: 7);
        double Loss(float[][] w)
        {
            probe.SetWeights(w);
            return MaskedMeanSquaredError(probe, x, y, patterns);
        }

        GradientTests.CheckAgainstFiniteDifferences(info, weights, gradients, Loss);
    }

    [Fact]
    public void A_sequence_padded_after_its_length_trains_as_the_same_layers_declared_for_that_length()
    {
        // Keras skips masked steps: an LSTM given 3 timesteps and 2 of padding ends in the state of the first 3, so the
        // loss and every gradient are those of a model declared with Timesteps = 3 (same weights) on the first 3.
        var padded = new GoldenMaskedLstm(seed: 3);
        var shorter = new ShortLstm(seed: 3);
        shorter.SetWeights(padded.GetWeights());
        GradientTests.Compile(padded, new Sgd(), new MeanSquaredError());
        GradientTests.Compile(shorter, new Sgd(), new MeanSquaredError());
        int[][] patterns = { new[] { 1, 1, 1, 0, 0 }, new[] { 1, 1, 1, 0, 0 } };
        float[] x = PaddedInput(GoldenMaskedLstm.Info, patterns, 5);
        float[] prefixes = Enumerable.Range(0, 2).SelectMany(b => x.Skip(b * 15).Take(9)).ToArray();
        float[] y = GradientTests.Random(4, 6);
        Assert.Equal(GradientTests.TrainerOf(shorter).ComputeLoss(prefixes, y, training: true), GradientTests.TrainerOf(padded).ComputeLoss(x, y, training: true), 6);
        float[][] expected = GradientTests.TrainerOf(shorter).ComputeGradients(prefixes, y);
        float[][] actual = GradientTests.TrainerOf(padded).ComputeGradients(x, y);
        for (int a = 0; a < expected.Length; a++)
        {
            for (int i = 0; i < expected[a].Length; i++)
            {
                Assert.Equal(expected[a][i], actual[a][i], 6);
            }
        }
    }

    [Fact]
    public void A_masked_sequence_output_counts_its_kept_rows_only_in_the_loss_and_the_metrics()
    {
        var model = new GoldenMaskedTokenTagger(seed: 5);
        model.Compile(new Adam(), new MeanSquaredError(), new MeanAbsoluteErrorMetric());
        float[] x = PaddedInput(GoldenMaskedTokenTagger.Info, Patterns, 8);
        float[] y = GradientTests.Random(Patterns.Length * 10, 9);
        float[] output = model.Predict(x)[0];
        double squared = 0, absolute = 0;
        int kept = 0;
        for (int r = 0; r < Patterns.Length * 5; r++)
        {
            if (Patterns[r / 5][r % 5] == 0)
            {
                continue;
            }

            kept++;
            for (int j = 0; j < 2; j++)
            {
                double error = (double)output[r * 2 + j] - y[r * 2 + j];
                squared += error * error / 2;
                absolute += Math.Abs(error) / 2;
            }
        }

        // Batches of 2: the loss is the batch-size-weighted mean of each batch's kept-row mean (Keras's loss tracker),
        // the metric the mean over every kept row (Keras's Mean metric with the mask as sample weights).
        var logs = GradientTests.TrainerOf(model).EvaluateLogs(x, y, batchSize: 5);
        Assert.Equal(squared / kept, logs["loss"], 5);
        Assert.Equal(absolute / kept, logs["mae"], 5);
    }

    [Fact]
    public void A_masked_output_weighs_each_chunk_of_a_batch_by_its_kept_rows()
    {
        // The loss is the mean over the kept rows of the whole batch, so a batch cut into chunks (16 + 16 + 5 samples,
        // each also computed as a batch of its own) must weigh each chunk's gradient by its share of the kept rows.
        var model = new GoldenMaskedTokenTagger(seed: 4);
        GradientTests.Compile(model, new Sgd(), new MeanSquaredError());
        int[] parts = { Trainer.ChunkSamples, Trainer.ChunkSamples, 5 };
        int batch = parts.Sum();
        int[][] patterns = Enumerable.Range(0, batch).Select(b => Patterns[b * 3 % Patterns.Length]).ToArray();
        float[] x = PaddedInput(GoldenMaskedTokenTagger.Info, patterns, 21);
        float[] y = GradientTests.Random(batch * 10, 22);
        float[][] whole = GradientTests.TrainerOf(model).ComputeGradients(x, y);
        double[][] expected = whole.Select(g => new double[g.Length]).ToArray();
        int totalKept = patterns.Sum(p => p.Sum()), start = 0;
        foreach (int part in parts)
        {
            float[][] g = GradientTests.TrainerOf(model).ComputeGradients(x.AsSpan(start * 5, part * 5), y.AsSpan(start * 10, part * 10));
            double share = (double)patterns.Skip(start).Take(part).Sum(p => p.Sum()) / totalKept;
            for (int a = 0; a < g.Length; a++)
            {
                for (int i = 0; i < g[a].Length; i++)
                {
                    expected[a][i] += g[a][i] * share;
                }
            }

            start += part;
        }

        for (int a = 0; a < whole.Length; a++)
        {
            for (int i = 0; i < whole[a].Length; i++)
            {
                // Two float32 summation orders of the same terms.
                Assert.True(Math.Abs(expected[a][i] - whole[a][i]) <= 1e-6 + 1e-4 * Math.Abs(expected[a][i]), $"{GoldenMaskedTokenTagger.Info.Weights[a].Name}[{i}]: {whole[a][i]}, chunks give {expected[a][i]}");
            }
        }

        // And on several cores, bitwise the same steps as on one.
        float[][] Train(int degree)
        {
            var trained = new GoldenMaskedTokenTagger(seed: 4);
            trained.Compile(new Adam(learningRate: 0.01f), new MeanSquaredError());
            trained.Trainer.MaxDegreeOfParallelism = degree;
            trained.Fit(x, y, epochs: 2, batchSize: 2 * Trainer.ChunkSamples + 3, seed: 5);
            return trained.GetWeights();
        }

        Assert.Equal(Train(1), Train(2));
    }

    [Fact]
    public void BatchNormalization_under_a_mask_matches_finite_differences_of_the_training_mode_loss()
    {
        // Training-mode BatchNormalization normalizes with the batch's statistics, which no inference path computes: the
        // finite differences are of the trainer's own training-mode loss (GradientTests' rule for BatchNormalization).
        var model = new GoldenMaskedBatchNormalization(seed: 5);
        GradientTests.Compile(model, new Sgd(), new MeanSquaredError());
        int[][] patterns = Patterns[..4]; // no sequence all masked: its masked mean would be Keras's 0 / 0
        float[] x = PaddedInput(GoldenMaskedBatchNormalization.Info, patterns, 23);
        float[] y = GradientTests.Random(patterns.Length * 2, 24);
        float[][] weights = model.GetWeights();
        float[][] gradients = model.Trainer.ComputeGradients(x, y);
        double Loss(float[][] w)
        {
            model.SetWeights(w);
            return model.Trainer.ComputeLoss(x, y, training: true);
        }

        GradientTests.CheckAgainstFiniteDifferences(GoldenMaskedBatchNormalization.Info, weights, gradients, Loss, step: 2e-3);
    }

    [Fact]
    public void BatchNormalization_under_a_mask_moves_its_statistics_with_the_kept_timesteps_only()
    {
        // keras BatchNormalization._moments(inputs, mask): mean = sum(mask * x) / (sum(mask) + 1e-7), variance likewise
        // over the kept rows; then moving = moving * momentum + batch * (1 - momentum). The LSTM's sequence comes from
        // the generated Predict of the same layers, and the step's learning rate is 0, so only the statistics move.
        var model = new GoldenMaskedBatchNormalization(seed: 6);
        var lstm = new MaskedLstmSequence();
        lstm.SetWeights(model.GetWeights().Take(3).ToArray());
        model.Compile(new Sgd(learningRate: 0f), new MeanSquaredError());
        int[][] patterns = Patterns[..4];
        float[] x = PaddedInput(GoldenMaskedBatchNormalization.Info, patterns, 25);
        float[] sequence = lstm.Predict(x)[0];
        double[] mean = new double[4], variance = new double[4];
        int kept = patterns.Sum(p => p.Sum());
        for (int pass = 0; pass < 2; pass++)
        {
            for (int r = 0; r < patterns.Length * 5; r++)
            {
                if (patterns[r / 5][r % 5] == 0)
                {
                    continue;
                }

                for (int j = 0; j < 4; j++)
                {
                    double v = sequence[r * 4 + j];
                    if (pass == 0)
                    {
                        mean[j] += v / kept;
                    }
                    else
                    {
                        variance[j] += (v - mean[j]) * (v - mean[j]) / kept;
                    }
                }
            }
        }

        float[][] before = model.GetWeights();
        model.TrainOnBatch(x, GradientTests.Random(patterns.Length * 2, 26));
        float[][] after = model.GetWeights();
        int movingMean = Array.FindIndex(GoldenMaskedBatchNormalization.Info.Weights.ToArray(), w => w.Name.EndsWith("moving_mean", StringComparison.Ordinal));
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(before[movingMean][j] * 0.99 + mean[j] * 0.01, after[movingMean][j], 6);
            Assert.Equal(before[movingMean + 1][j] * 0.99 + variance[j] * 0.01, after[movingMean + 1][j], 6);
        }
    }

    [Fact]
    public void Every_timestep_masked_gives_a_zero_loss_and_no_gradient()
    {
        var model = new GoldenMaskedTokenTagger(seed: 5);
        GradientTests.Compile(model, new Sgd(), new MeanSquaredError());
        float[] x = new float[2 * 5];
        float[] y = GradientTests.Random(20, 3);
        Assert.Equal(0f, GradientTests.TrainerOf(model).ComputeLoss(x, y, training: true));
        Assert.All(GradientTests.TrainerOf(model).ComputeGradients(x, y), g => Assert.All(g, v => Assert.Equal(0f, v)));
        // The metrics too: Keras's Mean metric divides with divide_no_nan, so 0 rather than 0 / 0.
        var withMetric = new GoldenMaskedTokenTagger(seed: 5);
        withMetric.Compile(new Sgd(), new MeanSquaredError(), new MeanAbsoluteErrorMetric());
        Assert.Equal(0f, withMetric.Trainer.EvaluateLogs(x, y)["mae"]);
    }
}
