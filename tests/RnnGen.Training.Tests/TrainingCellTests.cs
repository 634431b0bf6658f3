using System;
using System.Linq;
using System.Reflection;

namespace RnnGen.Training.Tests;

/// <summary>
/// The generated training cells (<see cref="TrainingCell"/>) against the trainer's span operations, which every
/// gradient, TensorFlow.js and trajectory test checked before the cells existed: a model's <c>ComputeGradients</c>
/// (its generated cells) and a <see cref="Trainer"/> built without cells must give the same gradients bit for bit,
/// for every recurrent kind, unit count (whole vectors, a masked rest, both), activation the cells inline, direction,
/// dropout and Keras mask.
/// </summary>
public class TrainingCellTests
{
    [Fact]
    public void Seed_model_lstm_of_20_units() =>
        AssertSameBits(new SeedForecaster(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 5, cells: 1);

    [Fact]
    public void Gru_simple_rnn_and_lstm_with_relu_linear_and_tanh_gates() =>
        AssertSameBits(new CellActivationStack(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 7, cells: 3);

    [Fact]
    public void Wide_layers_over_several_chunks() =>
        // 37 samples: three chunks of the batch, each with its own caches; the GRU is reset_before and goes backwards.
        AssertSameBits(new WideStack(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 37, cells: 3);

    [Fact]
    public void Gru_reset_before() =>
        AssertSameBits(new GruResetBefore(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 3, cells: 1);

    [Fact]
    public void Bidirectional_lstm_and_gru() =>
        AssertSameBits(new BiSumSequences(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 3, cells: 1);

    [Fact]
    public void Dropout_on_inputs_and_states() =>
        // Both trainers draw the same masks (the same seed, in the same order): dropout is applied outside the cell
        // (a reset_before GRU's reset-gate gradient under recurrent dropout runs the span operations, which apply its mask).
        AssertSameBits(new FullRecurrentDropoutStack(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 4, cells: 4);

    [Fact]
    public void Masked_timesteps_keep_the_states() =>
        AssertSameBits(new GoldenMaskedLstm(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 4, cells: 1, masked: true);

    [Fact]
    public void Masked_timesteps_of_a_bidirectional_reset_before_gru() =>
        AssertSameBits(new GoldenMaskedBidirectionalAveragePool(), m => m.Compile(new Sgd(), new MeanSquaredError()), (m, x, y) => m.ComputeGradients(x, y), samples: 4, cells: 1, masked: true);

    [Fact]
    public void A_cell_that_does_not_fit_its_layer_is_refused_with_the_layer_named()
    {
        var model = new SeedForecaster();
        float[] parameters = model.GetWeights().SelectMany(w => w).ToArray();
        TrainingCell[] seedCells = GeneratedCells(new SeedForecaster());
        TrainingCell gruCell = GeneratedCells(new GruResetAfter())[0];

        var tooFew = Assert.Throws<ArgumentException>(() => new Trainer(model, parameters, () => { }, new Sgd(), new MeanSquaredError(), cells: seedCells.Take(1).ToArray()));
        Assert.Contains("3 layers but 1 training cells", tooFew.Message);
        var wrongKind = Assert.Throws<ArgumentException>(() => new Trainer(model, parameters, () => { }, new Sgd(), new MeanSquaredError(), cells: new TrainingCell?[] { gruCell, null, null }));
        Assert.Contains("'lstm'", wrongKind.Message);
        Assert.Contains("Gru with reset_after=True of 5 units", wrongKind.Message);
        var wrongForm = Assert.Throws<ArgumentException>(() => new Trainer(new GruResetBefore(), new GruResetBefore().GetWeights().SelectMany(w => w).ToArray(), () => { }, new Sgd(),
            new MeanSquaredError(), cells: new TrainingCell?[] { gruCell }));
        Assert.Contains("not this layer's Gru with reset_after=False of 5 units", wrongForm.Message);
        var onDense = Assert.Throws<ArgumentException>(() => new Trainer(model, parameters, () => { }, new Sgd(), new MeanSquaredError(), cells: new TrainingCell?[] { seedCells[0], seedCells[0], null }));
        Assert.Contains("only recurrent layers", onDense.Message);
    }

    // The model's generated cells (not null), read from the field its Compile passes to the trainer.
    private static TrainingCell[] GeneratedCells(IRnnModel model) =>
        ((TrainingCell?[]?)model.GetType().GetField("s_trainingCells", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) ?? Array.Empty<TrainingCell?>())
            .OfType<TrainingCell>().ToArray();

    private static void AssertSameBits<TModel>(TModel model, Action<TModel> compile, Func<TModel, float[], float[], float[][]> computeGradients, int samples, int cells, bool masked = false)
        where TModel : IRnnModel
    {
        Assert.Equal(cells, GeneratedCells(model).Length);
        if (!TrainingCell.IsHardwareAccelerated)
        {
            return; // the trainer uses no cell without 256-bit vectors in hardware: both sides would be the span operations
        }

        ModelInfo info = model.Info;
        int steps = info.Timesteps, width = info.InputDim;
        float[] x = GradientTests.Random(samples * steps * width, 11);
        if (masked)
        {
            // Masking's value 0: the last timestep of every sample, and the first two of the second.
            for (int b = 0; b < samples; b++)
            {
                x.AsSpan((b * steps + steps - 1) * width, width).Clear();
            }

            x.AsSpan((steps + 0) * width, 2 * width).Clear();
        }

        float[] y = GradientTests.Random(samples * info.Outputs[0].Length, 12);
        float[] parameters = model.GetWeights().SelectMany(w => w).ToArray();
        float[][] spans = new Trainer(model, parameters, () => { }, new Sgd(), new MeanSquaredError()).ComputeGradients(x, y);

        compile(model);
        float[][] generated = computeGradients(model, x, y);

        Assert.Equal(spans.Length, generated.Length);
        for (int w = 0; w < spans.Length; w++)
        {
            Assert.Equal(spans[w].Select(BitConverter.SingleToInt32Bits), generated[w].Select(BitConverter.SingleToInt32Bits));
        }

        Assert.Contains(generated, w => w.Any(v => v != 0f)); // the comparison compared something
    }
}
