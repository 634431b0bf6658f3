using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Reference;

namespace RnnGen.Training.Tests;

/// <summary>
/// The trainer's gradients against central finite differences of the loss computed by the float64 reference model
/// (<see cref="ReferenceModel"/> in <see cref="ReferencePrecision.Float64"/>, straight loops from the Keras equations,
/// none of the trainer's code), for every layer kind and option.
/// </summary>
public class GradientTests
{
    // Central differences with step h have truncation error O(h^2) (about 1e-6 here) and rounding error from the
    // reference's float32 outputs of about 1e-7 / (2h) = 5e-5 for losses of order 1; the trainer itself computes in
    // float32 (about 1e-6 relative). A tolerance of 2e-4 absolute plus 1% relative sits above both, and under what a
    // wrong term does: scaling the LSTM forget gate's gradient by 0.9 fails it.
    private const double Step = 1e-3;
    private const double AbsoluteTolerance = 2e-4;
    private const double RelativeTolerance = 1e-2;

    internal static readonly string[] ModelNames =
    {
        nameof(Rnn), nameof(RnnBackwardsSequences), nameof(RnnWithoutBias),
        nameof(Lstm), nameof(LstmBackwardsSequences), nameof(LstmWithoutBias),
        nameof(GruResetAfter), nameof(GruResetBefore), nameof(GruResetBeforeBackwardsWithoutBias), nameof(GruResetAfterSequencesWithoutBias),
        nameof(BiConcat), nameof(BiSumSequences), nameof(BiMulSequences), nameof(BiAve), nameof(BiNoneSequences),
        nameof(ActivationStack), nameof(SeedForecaster),
        nameof(NormalizedAveragePool), nameof(NormalizedMaxPool),
        nameof(ConvolvedSignal), nameof(GroupedConvolution), nameof(GoldenAutoEncoder),
    };

    public static TheoryData<string> Models => new(ModelNames);

    internal static IRnnModel Create(string name, int seed) => name switch
    {
        nameof(Rnn) => new Rnn(seed),
        nameof(RnnBackwardsSequences) => new RnnBackwardsSequences(seed),
        nameof(RnnWithoutBias) => new RnnWithoutBias(seed),
        nameof(Lstm) => new Lstm(seed),
        nameof(LstmBackwardsSequences) => new LstmBackwardsSequences(seed),
        nameof(LstmWithoutBias) => new LstmWithoutBias(seed),
        nameof(GruResetAfter) => new GruResetAfter(seed),
        nameof(GruResetBefore) => new GruResetBefore(seed),
        nameof(GruResetBeforeBackwardsWithoutBias) => new GruResetBeforeBackwardsWithoutBias(seed),
        nameof(GruResetAfterSequencesWithoutBias) => new GruResetAfterSequencesWithoutBias(seed),
        nameof(BiConcat) => new BiConcat(seed),
        nameof(BiSumSequences) => new BiSumSequences(seed),
        nameof(BiMulSequences) => new BiMulSequences(seed),
        nameof(BiAve) => new BiAve(seed),
        nameof(BiNoneSequences) => new BiNoneSequences(seed),
        nameof(ActivationStack) => new ActivationStack(seed),
        nameof(SeedForecaster) => new SeedForecaster(seed),
        nameof(NormalizedAveragePool) => new NormalizedAveragePool(seed),
        nameof(NormalizedMaxPool) => new NormalizedMaxPool(seed),
        nameof(GoldenNormalizedAveragePool) => new GoldenNormalizedAveragePool(seed),
        nameof(GoldenNormalizedMaxPool) => new GoldenNormalizedMaxPool(seed),
        nameof(GoldenEmbeddedTokens) => new GoldenEmbeddedTokens(seed),
        nameof(GoldenBatchNormalized) => new GoldenBatchNormalized(seed),
        nameof(BatchNormalizedVector) => new BatchNormalizedVector(seed),
        nameof(SequenceTagger) => new SequenceTagger(seed),
        nameof(RecurrentDropoutStack) => new RecurrentDropoutStack(seed),
        nameof(ClassifierResetBefore) => new ClassifierResetBefore(seed),
        nameof(FullRecurrentDropoutStack) => new FullRecurrentDropoutStack(seed),
        nameof(ConvolvedSignal) => new ConvolvedSignal(seed),
        nameof(GroupedConvolution) => new GroupedConvolution(seed),
        nameof(GoldenConvolvedSignal) => new GoldenConvolvedSignal(seed),
        nameof(GoldenStridedConvolution) => new GoldenStridedConvolution(seed),
        nameof(GoldenAutoEncoder) => new GoldenAutoEncoder(seed),
        nameof(GoldenMaskedLstm) => new GoldenMaskedLstm(seed),
        nameof(GoldenMaskedBatchNormalization) => new GoldenMaskedBatchNormalization(seed),
        nameof(MaskedBidirectionalMaxPool) => new MaskedBidirectionalMaxPool(seed),
        nameof(MaskedGruResetAfter) => new MaskedGruResetAfter(seed),
        nameof(GoldenMaskedBidirectionalAveragePool) => new GoldenMaskedBidirectionalAveragePool(seed),
        nameof(GoldenMaskedTokenTagger) => new GoldenMaskedTokenTagger(seed),
        nameof(GoldenMaskedBidirectionalClassifier) => new GoldenMaskedBidirectionalClassifier(seed),
        _ => throw new ArgumentException(name),
    };

    internal static void Compile(IRnnModel model, Optimizer optimizer, Loss loss) =>
        ((dynamic)model).Compile(optimizer, loss, Array.Empty<Metric>());

    internal static Trainer TrainerOf(IRnnModel model) => ((dynamic)model).Trainer;

    internal static float[] Random(int length, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Gradients_match_finite_differences_of_the_float64_reference(string name)
    {
        IRnnModel model = Create(name, seed: 7);
        Compile(model, new Sgd(), new MeanSquaredError());
        ModelInfo info = model.Info;
        const int Batch = 3;
        float[] x = Random(Batch * info.InputLength, 11);
        float[] y = Random(Batch * info.Outputs[0].Length, 12);
        float[][] gradients = TrainerOf(model).ComputeGradients(x, y);
        float[][] weights = model.GetWeights();

        double Loss(float[][] w)
        {
            float[] output = new ReferenceModel(info, w, ReferencePrecision.Float64).Predict(x)[0];
            return output.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Sum() / output.Length;
        }

        CheckAgainstFiniteDifferences(info, weights, gradients, Loss);
    }

    [Fact]
    public void Embedding_table_gradients_match_finite_differences_of_the_float64_reference()
    {
        // Tokens, not values in [-1, 1]: each of the 7 rows seen at least once, one of them twice in a sequence.
        var model = new EmbeddedTokens(seed: 7);
        Compile(model, new Sgd(), new MeanSquaredError());
        ModelInfo info = EmbeddedTokens.Info;
        float[] x = { 0, 1, 2, 3, 4, 5, 6, 4, 2, 6, 6, 1 };
        float[] y = Random(3 * info.Outputs[0].Length, 12);
        float[][] gradients = TrainerOf(model).ComputeGradients(x, y);

        double Loss(float[][] w)
        {
            float[] output = new ReferenceModel(info, w, ReferencePrecision.Float64).Predict(x)[0];
            return output.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Sum() / output.Length;
        }

        CheckAgainstFiniteDifferences(info, model.GetWeights(), gradients, Loss);
        // A row no token selects gets no gradient: here every row is selected, so none is all zero.
        for (int row = 0; row < 7; row++)
        {
            Assert.Contains(gradients[0].Skip(row * 3).Take(3), g => g != 0);
        }
    }

    [Theory]
    [InlineData(nameof(GoldenBatchNormalized))]
    [InlineData(nameof(BatchNormalizedVector))]
    public void BatchNormalization_gradients_match_finite_differences_of_the_training_mode_loss(string name)
    {
        // In training BatchNormalization normalizes with the batch's statistics, which the float64 reference (inference:
        // the moving statistics) does not compute: the finite differences are of the trainer's own training-mode loss, as
        // for dropout above. The step is 2e-3, not dropout's 1e-2: normalizing by the batch's variance makes the loss
        // curved enough that 1e-2's truncation error (about 1%) fails the relative tolerance, while float32 rounding at
        // 2e-3 (1e-7 / 4e-3, about 3e-5 of a loss near 1) stays under the absolute one.
        IRnnModel model = Create(name, seed: 5);
        Compile(model, new Sgd(), new MeanSquaredError());
        ModelInfo info = model.Info;
        const int Batch = 6;
        float[] x = Random(Batch * info.InputLength, 21);
        float[] y = Random(Batch * info.Outputs[0].Length, 22);
        Trainer trainer = TrainerOf(model);
        float[][] weights = model.GetWeights();
        float[][] gradients = trainer.ComputeGradients(x, y);
        Assert.Equal(weights, model.GetWeights()); // computing gradients moves no statistic

        double Loss(float[][] w)
        {
            model.SetWeights(w);
            return trainer.ComputeLoss(x, y, training: true);
        }

        CheckAgainstFiniteDifferences(info, weights, gradients, Loss, step: 2e-3);
        // The moving statistics are not trained: their gradient is zero.
        int movingMean = Array.FindIndex(info.Weights.ToArray(), w => w.Name.EndsWith("moving_mean", StringComparison.Ordinal));
        Assert.All(gradients[movingMean].Concat(gradients[movingMean + 1]), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_training_step_moves_the_moving_statistics_by_momentum_and_no_optimizer_touches_them()
    {
        // Keras BatchNormalization.call(training=True): moving = moving * momentum + batch statistic * (1 - momentum),
        // with the batch's mean and biased variance over every sample (here vectors: one row per sample).
        var model = new BatchNormalizedVector(seed: 3);
        // AdamW decays every trained array; the moving statistics must not decay.
        Compile(model, new AdamW(learningRate: 0.1f, weightDecay: 0.5f), new MeanSquaredError());
        ModelInfo info = BatchNormalizedVector.Info;
        const int Batch = 7;
        float[] x = Random(Batch * info.InputLength, 31);
        float[] y = Random(Batch * info.Outputs[0].Length, 32);
        int movingMean = Array.FindIndex(info.Weights.ToArray(), w => w.Name.EndsWith("moving_mean", StringComparison.Ordinal));
        float[][] before = model.GetWeights();
        before[movingMean] = before[movingMean].Select((_, j) => 0.3f * j).ToArray();
        before[movingMean + 1] = before[movingMean + 1].Select((_, j) => 1f + j).ToArray();
        model.SetWeights(before);

        // The GRU's outputs for the batch, from the reference model cut after the GRU: what the BatchNormalization sees.
        float[] gruOutputs = new ReferenceModel(GruOnly.Info, before.Take(3).ToArray(), ReferencePrecision.Float64).Predict(x)[0];
        TrainerOf(model).TrainOnBatch(x, y);
        float[][] after = model.GetWeights();
        for (int j = 0; j < 5; j++)
        {
            double mean = Enumerable.Range(0, Batch).Average(b => (double)gruOutputs[b * 5 + j]);
            double variance = Enumerable.Range(0, Batch).Average(b => Math.Pow(gruOutputs[b * 5 + j] - mean, 2));
            Assert.Equal(before[movingMean][j] * 0.9 + mean * 0.1, after[movingMean][j], 4);
            Assert.Equal(before[movingMean + 1][j] * 0.9 + variance * 0.1, after[movingMean + 1][j], 4);
        }

        Assert.NotEqual(before[0], after[0]); // the trained arrays did move
    }

    [Fact]
    public void Normalization_statistics_get_no_gradient_no_optimizer_moves_them_and_the_other_gradients_match_finite_differences()
    {
        // Keras's Normalization weights are trainable=False: no gradient, and AdamW's decay leaves them alone too. The
        // gradients of the trained arrays pass through (x - mean) / deviation and mean + x * deviation.
        var model = new NormalizedForecaster(seed: 3);
        Compile(model, new AdamW(learningRate: 0.05f, weightDecay: 0.5f), new MeanSquaredError());
        ModelInfo info = NormalizedForecaster.Info;
        int[] statistics = Enumerable.Range(0, info.Weights.Count)
            .Where(a => info.Weights[a].Name.StartsWith("normalization", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, statistics.Length);
        float[][] weights = model.GetWeights();
        weights[statistics[0]] = new[] { 20f, -3f }; // input mean
        weights[statistics[1]] = new[] { 16f, 0.25f }; // input variance: deviations 4 and 0.5
        weights[statistics[2]] = new[] { 500f }; // count
        // The output mean stays small: the float64 reference returns float32 outputs, whose rounding (about 6e-8 of
        // their size) the finite differences divide by 2e-3.
        weights[statistics[3]] = new[] { 0.5f }; // output mean
        weights[statistics[4]] = new[] { 9f }; // output variance: deviation 3
        weights[statistics[5]] = new[] { 500f };
        model.SetWeights(weights);

        const int Batch = 3;
        float[] x = Random(Batch * info.InputLength, 11).Select((v, i) => i % 2 == 0 ? 20f + 4f * v : -3f + 0.5f * v).ToArray();
        float[] y = Random(Batch * info.Outputs[0].Length, 12).Select(v => 0.5f + 3f * v).ToArray();
        float[][] gradients = TrainerOf(model).ComputeGradients(x, y);
        foreach (int a in statistics)
        {
            Assert.All(gradients[a], g => Assert.Equal(0f, g));
        }

        // Finite differences of the trained arrays only, with the statistics held at their values.
        int[] trained = Enumerable.Range(0, weights.Length).Except(statistics).ToArray();
        double Loss(float[][] w)
        {
            float[][] all = (float[][])weights.Clone();
            for (int k = 0; k < trained.Length; k++)
            {
                all[trained[k]] = w[k];
            }

            float[] output = new ReferenceModel(info, all, ReferencePrecision.Float64).Predict(x)[0];
            return output.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Sum() / output.Length;
        }

        CheckAgainstFiniteDifferences(info, trained.Select(a => weights[a]).ToArray(), trained.Select(a => gradients[a]).ToArray(), Loss, names: trained.Select(a => info.Weights[a].Name).ToArray());

        TrainerOf(model).TrainOnBatch(x, y);
        float[][] after = model.GetWeights();
        foreach (int a in statistics)
        {
            Assert.Equal(weights[a], after[a]);
        }

        Assert.NotEqual(weights[trained[0]], after[trained[0]]); // the trained arrays did move
    }

    [Fact]
    public void Trainer_forward_pass_agrees_with_the_generated_model()
    {
        // The loss the trainer computes in inference mode is the loss of the generated Predict's outputs: the trainer's
        // forward pass and the generated kernels implement the same model.
        foreach (string name in ModelNames.Append(nameof(SequenceTagger)))
        {
            IRnnModel model = Create(name, seed: 3);
            Compile(model, new Sgd(), new MeanSquaredError());
            float[] x = Random(4 * model.Info.InputLength, 5);
            float[] y = Random(4 * model.Info.Outputs[0].Length, 6);
            float[] predicted = model.Predict(x)[0];
            double expected = predicted.Select((v, i) => ((double)v - y[i]) * ((double)v - y[i])).Average();
            Assert.Equal(expected, TrainerOf(model).ComputeLoss(x, y), 4);
        }
    }

    [Theory]
    [InlineData(nameof(SequenceTagger))]
    [InlineData(nameof(RecurrentDropoutStack))]
    [InlineData(nameof(FullRecurrentDropoutStack))]
    public void Gradients_with_dropout_match_finite_differences_under_the_same_masks(string name)
    {
        // With dropout the loss depends on the masks, which only the trainer draws: the finite differences use the
        // trainer's own training-mode loss with the dropout sequence restarted before every evaluation, so each sees
        // the masks of the gradient. The float32 loss needs a larger step: 1e-2 (truncation about 1e-4, rounding
        // about 1e-7 / 1e-2 = 1e-5 relative).
        IRnnModel model = Create(name, seed: 5);
        Compile(model, new Sgd(), new MeanSquaredError());
        Trainer trainer = TrainerOf(model);
        ModelInfo info = model.Info;
        float[] x = Random(3 * info.InputLength, 21);
        float[] y = Random(3 * info.Outputs[0].Length, 22, 0.3);
        trainer.SeedDropout(99);
        float[][] gradients = trainer.ComputeGradients(x, y);
        float[][] weights = model.GetWeights();
        trainer.SeedDropout(99);
        float withMasks = trainer.ComputeLoss(x, y, training: true);
        Assert.NotEqual(trainer.ComputeLoss(x, y, training: false), withMasks); // the masks change the loss, so they are on

        double Loss(float[][] w)
        {
            model.SetWeights(w);
            trainer.SeedDropout(99);
            return trainer.ComputeLoss(x, y, training: true);
        }

        CheckAgainstFiniteDifferences(info, weights, gradients, Loss, step: 1e-2);
    }

    [Fact]
    public void Losses_gradients_flow_through_softmax_and_crossentropy()
    {
        // Categorical crossentropy on a softmax output: the reference model gives the probabilities, the test the
        // Keras formula -sum(y log p) (p normalised and clipped as Keras does).
        var model = new Classifier(4);
        model.Compile(new Sgd(), new CategoricalCrossentropy());
        float[] x = Random(3 * Classifier.Info.InputLength, 31);
        float[] y = { 0, 1, 0, 1, 0, 0, 0, 0.3f, 0.7f };
        float[][] gradients = model.ComputeGradients(x, y);

        double Loss(float[][] w)
        {
            float[] p = new ReferenceModel(Classifier.Info, w, ReferencePrecision.Float64).Predict(x)[0];
            double total = 0;
            for (int r = 0; r < 3; r++)
            {
                double sum = p.Skip(3 * r).Take(3).Sum(v => (double)v);
                for (int k = 0; k < 3; k++)
                {
                    total -= y[3 * r + k] * Math.Log(Math.Clamp(p[3 * r + k] / sum, 1e-7, 1 - 1e-7));
                }
            }

            return total / 3;
        }

        CheckAgainstFiniteDifferences(Classifier.Info, model.GetWeights(), gradients, Loss);
    }

    internal static void CheckAgainstFiniteDifferences(ModelInfo info, float[][] weights, float[][] gradients, Func<float[][], double> loss, double step = Step, string[]? names = null)
    {
        names ??= info.Weights.Select(w => w.Name).ToArray();
        Assert.Equal(weights.Length, gradients.Length);
        var failures = new List<string>();
        int checkedCount = 0;
        for (int a = 0; a < weights.Length; a++)
        {
            Assert.Equal(weights[a].Length, gradients[a].Length);
            // Every element of small arrays; a spread of 40 in larger ones.
            int stride = Math.Max(1, weights[a].Length / 40);
            for (int i = 0; i < weights[a].Length; i += stride)
            {
                float[][] plus = weights.Select(w => (float[])w.Clone()).ToArray();
                float[][] minus = weights.Select(w => (float[])w.Clone()).ToArray();
                plus[a][i] = (float)(weights[a][i] + step);
                minus[a][i] = (float)(weights[a][i] - step);
                double numeric = (loss(plus) - loss(minus)) / ((double)plus[a][i] - minus[a][i]);
                double analytic = gradients[a][i];
                checkedCount++;
                if (Math.Abs(numeric - analytic) > AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric))
                {
                    failures.Add($"{names[a]}[{i}]: analytic {analytic:G6}, finite difference {numeric:G6}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} gradients differ:\n" + string.Join("\n", failures.Take(20)));
        // The check must not be vacuous: some gradients are far from zero.
        Assert.Contains(gradients.SelectMany(g => g), g => Math.Abs(g) > 10 * AbsoluteTolerance);
    }
}
