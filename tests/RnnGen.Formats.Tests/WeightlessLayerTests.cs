using System;
using System.IO;
using System.Linq;
using RnnGen.Reference;
using static RnnGen.Formats.Tests.Declared;

namespace RnnGen.Formats.Tests;

/// <summary>
/// File layers without weights: passed over only when they change nothing at inference, paired with the declared
/// <c>[Activation]</c> or <c>[Rescaling]</c> at their place, folded when an Activation follows a linear Dense declared with
/// that activation, and otherwise refused (the declaration would compute something else) unless the caller names them
/// in <c>ignoredLayers</c> and applies them itself.
/// </summary>
public sealed class WeightlessLayerTests
{
    private const string Bidirectional = "dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5";
    private const string Masking = "generated/keras2_masking_model.h5";
    private const string Lambda = "generated/keras2_lambda_model.h5";

    [Fact]
    public void The_bidirectional_lstm_file_ending_in_Activation_relu_is_refused_without_its_Activation_naming_the_fix()
    {
        var model = new Declarations.BidirectionalLstmWithoutItsActivation();
        float[][] before = model.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => model.LoadWeights(Fixture.Path(Bidirectional)));
        Assert.Contains("nothing was loaded", error.Message);
        Assert.Contains("activation_5 (Activation, relu): changes the model's output and the declaration has no [Activation(\"relu\")] at its place", error.Message);
        Assert.Contains("declare [Activation(\"relu\")] after the layer declared for 'bidirectional_2'", error.Message);
        Assert.Equal(before, model.GetWeights());

        using FileStream stream = File.OpenRead(Fixture.Path(Bidirectional));
        Assert.Contains("activation_5 (Activation, relu)", Assert.Throws<ArgumentException>(() => model.LoadWeights(stream, WeightFormat.Detect)).Message);
        Assert.Equal(before, model.GetWeights());
    }

    [Fact]
    public void The_declared_Activation_computes_what_ignoring_activation_5_and_applying_relu_computes()
    {
        // The dl4j file records no predictions (see its README): the float64 reference implementation on the file's own
        // datasets, then relu, stands in for Keras here.
        var ignoring = new Declarations.BidirectionalLstmWithoutItsActivation();
        KerasWeights.Load(ignoring, Fixture.Path(Bidirectional), new[] { "activation_5" });
        Assert.Equal(KerasWeights.Read(Fixture.Path(Bidirectional), Declarations.BidirectionalLstmWithoutItsActivation.Info, new[] { "activation_5" }), ignoring.GetWeights());

        float[] input = Enumerable.Range(0, 2 * 3 * 4).Select(i => MathF.Cos(0.3f * i) * 2f).ToArray();
        float[] expected = WeightFileCases.Relu(new ReferenceModel(Declarations.BidirectionalLstmWithoutItsActivation.Info, ignoring.GetWeights(), ReferencePrecision.Float64).Predict(input)[0]);
        float[] relu = WeightFileCases.Relu(ignoring.Predict(input)[0]);
        Assert.Contains(expected, v => v == 0f);
        Assert.Contains(expected, v => v > 0.01f);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - relu[i]) <= 1e-5f, $"element {i}: expected {expected[i]}, got {relu[i]}");
        }

        // The pasted declaration has the Activation: it loads the file as it is, and relu(x) is exact, so its outputs
        // are the relu of the ignoring model's, bit for bit.
        var declared = new Pasted.Dl4jBidirectionalLstmH5.TfkerasRnn5BidirectionalLstm();
        declared.LoadWeights(Fixture.Path(Bidirectional));
        Assert.Equal(ignoring.GetWeights(), declared.GetWeights());
        Assert.Equal(relu, declared.Predict(input)[0]);
    }

    [Fact]
    public void A_Lambda_layer_is_refused_and_nothing_is_loaded_unless_it_is_ignored()
    {
        // Lambda -> LSTM(3) -> Dense(2): RnnGen has no Lambda layer (arbitrary Python); the error names the ways out.
        ModelInfo info = Model("AfterLambda", 4, 3, Lstm(3), Dense(2));
        var model = new ReferenceRnnModel(info);
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, Fixture.Path(Lambda)));
        Assert.Contains("nothing was loaded", error.Message);
        Assert.Contains("lambda (Lambda): changes the model's output and RnnGen has no Lambda layer", error.Message);
        Assert.Contains("ignoredLayers: new[] { \"lambda\" }", error.Message);
        Assert.Equal(0, model.SetWeightsCalls);

        KerasWeights.Load(model, Fixture.Path(Lambda), new[] { "lambda" });
        Assert.Equal(1, model.SetWeightsCalls);
        Assert.Contains(model.GetWeights(), w => w.Any(v => v != 0));

        using FileStream stream = File.OpenRead(Fixture.Path(Lambda));
        var fromStream = new ReferenceRnnModel(info);
        KerasWeights.Load(fromStream, stream, WeightFormat.Detect, new[] { "lambda" });
        Assert.Equal(model.GetWeights(), fromStream.GetWeights());
    }

    [Fact]
    public void An_ignored_name_the_file_does_not_have_is_an_error_and_nothing_is_loaded()
    {
        var model = new ReferenceRnnModel(Model("Masked", 4, 3, Lstm(3), Dense(2)));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, Fixture.Path(Masking), new[] { "masking", "activation_9" }));
        Assert.Equal("ignoredLayers", error.ParamName);
        Assert.Contains("'activation_9'", error.Message);
        Assert.Contains("'masking', 'lstm', 'dense'", error.Message);
        Assert.DoesNotContain("'masking',", error.Message[..error.Message.IndexOf("which", StringComparison.Ordinal)]);
        Assert.Equal(0, model.SetWeightsCalls);

        // An .npz has no layer names at all.
        Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_stack.npz"), Pasted.Keras3StackKeras.Keras3Stack.Info, new[] { "dropout" }));
    }

    [Fact]
    public void Activation_layers_after_linear_Dense_layers_are_folded_into_the_Dense_declared_with_that_activation()
    {
        // LSTM -> Dense(3) -> Activation(relu) -> Dense(2) -> Activation(sigmoid), loaded into Dense(3, relu), Dense(2, sigmoid)
        // (how rnngen inspect declared it before RnnGen had an [Activation] layer), and into the declaration it prints now.
        var model = new Declarations.DenseActivationFoldedIntoTheDense();
        model.LoadWeights(Fixture.Path("generated/keras2_dense_activation_model.h5"));
        Assert.Equal(new[] { "relu", "sigmoid" }, Declarations.DenseActivationFoldedIntoTheDense.Info.Layers.Where(l => l.Kind == LayerKind.Dense).Select(l => l.Activation));
        var layered = new Pasted.Keras2DenseActivationModelH5.Keras2DenseActivationModel();
        layered.LoadWeights(Fixture.Path("generated/keras2_dense_activation_model.h5"));
        Assert.Equal(model.GetWeights(), layered.GetWeights());
        float[] input = Enumerable.Range(0, 2 * 4 * 3).Select(i => MathF.Sin(0.4f * i)).ToArray();
        Assert.Equal(model.Predict(input)[0], layered.Predict(input)[0]);

        // Declared with a linear first Dense, the relu would be lost: refused, with the fold named as the fix.
        var linear = new Declarations.DenseActivationWithALinearDense();
        float[][] before = linear.GetWeights();
        var error = Assert.Throws<ArgumentException>(() => linear.LoadWeights(Fixture.Path("generated/keras2_dense_activation_model.h5")));
        Assert.Contains("declare Activation = \"relu\" on the Dense before it ('dense')", error.Message);
        Assert.DoesNotContain("activation_1 (Activation, sigmoid): changes", error.Message);
        Assert.Contains("then 'activation_1' Activation(sigmoid), which it computes as one Dense", error.Message);
        Assert.Equal(before, linear.GetWeights());

        // A Dense declared with another activation than the file's Activation layer is refused too.
        ModelInfo tanh = Model("Tanh", 4, 3, Lstm(4), Dense(3) with { Activation = "tanh" }, Dense(2) with { Activation = "sigmoid" });
        var mismatch = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras2_dense_activation_model.h5"), tanh));
        Assert.Contains("activation: declared \"tanh\", the file computes \"linear\"", mismatch.Message);
        Assert.Contains("activation (Activation, relu): changes the model's output", mismatch.Message);
    }

    [Fact]
    public void A_Dropout_of_the_file_is_passed_over_with_or_without_a_declared_Dropout()
    {
        // keras2_stack_model.h5: Bidirectional(LSTM(4)) -> Dropout(0.25) -> GRU(3) -> Dense(4, relu) -> Dense(2, tanh).
        static ModelInfo Stack(params LayerSpec[] dropout) => Model("Stack", 5, 3,
            new[] { Lstm(4) with { RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true, Bidirectional = true } }
                .Concat(dropout)
                .Concat(new[] { Gru(3) with { RecurrentActivation = "hard_sigmoid_keras2", ResetAfter = false }, Dense(4) with { Activation = "relu" }, Dense(2) with { Activation = "tanh" } })
                .ToArray());
        string path = Fixture.Path("generated/keras2_stack_model.h5");
        Assert.Equal(KerasWeights.Read(path, Stack(Dropout(0.25))), KerasWeights.Read(path, Stack()));
    }
}
