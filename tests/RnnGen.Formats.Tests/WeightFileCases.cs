using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Reference;

namespace RnnGen.Formats.Tests;

/// <summary>Inputs and the outputs Keras computed for them (first output, batch first, flattened).</summary>
internal sealed record KerasRecording(float[] Input, float[] Output, string Source);

/// <summary>
/// One Keras file and the generated classes that go with it: the declaration <c>rnngen inspect</c> printed for it,
/// pasted into <c>Pasted/</c>; the class that computes what the Keras model computed (the pasted one when the file
/// carries the configuration; for a weights-only file, the declaration of the same model corrected as the printed
/// comment asks); and a declaration that differs in one option, with the parts the error message must contain.
/// </summary>
internal sealed record WeightFileCase(
    string Fixture,
    string Pasted,
    Func<ILoadableModel> NewPasted,
    Func<ILoadableModel> NewAsBuilt,
    Func<ILoadableModel> NewMismatched,
    string[] MismatchMessage,
    Func<IRnnModel, KerasRecording> Recording)
{
    /// <summary>
    /// The sequence length passed as <c>rnngen inspect --timesteps</c> for a file that does not store it (weights only)
    /// or leaves it open (<c>None</c>); without it the tool prints the placeholder <c>TIMESTEPS</c>.
    /// </summary>
    public int? FilledTimesteps { get; init; }

    /// <summary>Runs the model on the recording's input (the frugally-deep cases pass Keras's <c>initial_state</c> too).</summary>
    public Func<IRnnModel, float[], float[]> Predict { get; init; } = (model, input) => model.Predict(input)[0];

    /// <summary>
    /// Whether the pasted declaration loads the file with its layers in another order than the model's: a
    /// <c>.weights.h5</c> does not record the order, and where the kernel widths allow several the tool prints one
    /// with recurrent layers first. Each layer still gets the weights Keras saved under its name.
    /// </summary>
    public bool PastedOrderDiffers { get; init; }

    /// <summary>
    /// File layers the test loads with <see cref="KerasWeights.Load(IRnnModel, string, IEnumerable{string})"/> passing
    /// over, because RnnGen has no such layer and <see cref="Predict"/> applies it to the output instead; null: a plain
    /// <c>LoadWeights</c>.
    /// </summary>
    public string[]? IgnoredLayers { get; init; }

    /// <summary>Loads the fixture into <paramref name="model"/> as a user would: <c>LoadWeights</c>, or with <see cref="IgnoredLayers"/>.</summary>
    public void Load(ILoadableModel model)
    {
        if (IgnoredLayers is null)
        {
            model.LoadWeights(FullPath);
        }
        else
        {
            KerasWeights.Load(model, FullPath, IgnoredLayers);
        }
    }

    /// <summary>The same from a stream, the format detected.</summary>
    public void Load(ILoadableModel model, System.IO.Stream stream)
    {
        if (IgnoredLayers is null)
        {
            model.LoadWeights(stream, WeightFormat.Detect);
        }
        else
        {
            KerasWeights.Load(model, stream, WeightFormat.Detect, IgnoredLayers);
        }
    }

    /// <summary>The fixture's full path.</summary>
    public string FullPath => Tests.Fixture.Path(Fixture);
}

/// <summary>Every real and generated Keras fixture, with its generated classes and Keras's recorded outputs.</summary>
internal static class WeightFileCases
{
    // frugally-deep README: x = [1, 0, 0], initial_state h0 = [[10]]; Keras printed these for both models' first call
    // (and for the stateful one's second call without initial state, continuing from the stored state -7.3429837).
    internal static readonly float[] FrugallyInput = { 1f, 0f, 0f };
    internal static readonly float[] FrugallyInitialState = { 10f };
    internal static readonly float[] FrugallyFirstCall = { -7.676248f, -7.5144324f, -7.3429837f };
    internal static readonly float[] FrugallyContinued = { -7.247089f, -7.058707f, -6.857616f };

    public static readonly IReadOnlyDictionary<string, WeightFileCase> All = new Dictionary<string, WeightFileCase>
    {
        // ---- dl4j-test-resources: Keras 2.1.3, 25 recorded predictions each ----
        ["simple_rnn_tf_keras_2_model.h5"] = new(
            "dl4j-test-resources/simple_rnn_tf_keras_2_model.h5", "Dl4jSimpleRnnModelH5",
            () => new Pasted.Dl4jSimpleRnnModelH5.SimpleRnnTfKeras2Model(),
            () => new Pasted.Dl4jSimpleRnnModelH5.SimpleRnnTfKeras2Model(),
            () => new Declarations.SimpleRnnGoingBackwards(),
            new[] { "layer 0 'simple_rnn'", "file:     'simple_rnn_1'", "go_backwards: declared True, the file has False: declare GoBackwards = false" },
            _ => Dl4j("simple_rnn_tf_keras_2_inputs_and_outputs.h5")),
        ["simple_rnn_tf_keras_2_weights.h5"] = new(
            "dl4j-test-resources/simple_rnn_tf_keras_2_weights.h5", "Dl4jSimpleRnnWeightsH5",
            () => new Pasted.Dl4jSimpleRnnWeightsH5.SimpleRnnTfKeras2Weights(),
            // RnnGen's defaults (tanh) are what this model used: the pasted declaration needs only the length.
            () => new Pasted.Dl4jSimpleRnnWeightsH5.SimpleRnnTfKeras2Weights(),
            () => new Declarations.SimpleRnnOf49Units(),
            new[] { "layer 0 'simple_rnn'", "file:     'simple_rnn_1'", "units: declared 49, the file has 50" },
            _ => Dl4j("simple_rnn_tf_keras_2_inputs_and_outputs.h5"))
        {
            FilledTimesteps = 1,
        },
        ["simple_flatten_lstm_tf_keras_2_model.h5"] = new(
            "dl4j-test-resources/simple_flatten_lstm_tf_keras_2_model.h5", "Dl4jLstmModelH5",
            () => new Pasted.Dl4jLstmModelH5.SimpleFlattenLstmTfKeras2Model(),
            () => new Pasted.Dl4jLstmModelH5.SimpleFlattenLstmTfKeras2Model(),
            // The weights-only file's declaration: RnnGen's default sigmoid where Keras 2.1.3 used hard_sigmoid.
            () => new Pasted.Dl4jLstmWeightsH5.SimpleFlattenLstmTfKeras2Weights(),
            new[] { "layer 0 'lstm'", "file:     'lstm_1'", "recurrent_activation: declared \"sigmoid\", the file computes \"hard_sigmoid_keras2\" (Keras 2.1.3 computes hard_sigmoid as clip(0.2x + 0.5, 0, 1)): declare RecurrentActivation = \"hard_sigmoid_keras2\"" },
            _ => Dl4j("simple_flatten_lstm_tf_keras_2_inputs_and_outputs.h5")),
        ["simple_flatten_lstm_tf_keras_2_weights.h5"] = new(
            "dl4j-test-resources/simple_flatten_lstm_tf_keras_2_weights.h5", "Dl4jLstmWeightsH5",
            () => new Pasted.Dl4jLstmWeightsH5.SimpleFlattenLstmTfKeras2Weights(),
            // The file cannot say that the LSTM used Keras 2's hard_sigmoid; the full-model file's declaration does.
            () => new Pasted.Dl4jLstmModelH5.SimpleFlattenLstmTfKeras2Model(),
            () => new Declarations.LstmOf40Units(),
            new[] { "layer 0 'lstm'", "file:     'lstm_1'", "units: declared 40, the file has 50" },
            _ => Dl4j("simple_flatten_lstm_tf_keras_2_inputs_and_outputs.h5"))
        {
            FilledTimesteps = 1,
        },
        ["tfkeras_rnn_5_bidirectional_lstm.h5"] = new(
            "dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5", "Dl4jBidirectionalLstmH5",
            () => new Pasted.Dl4jBidirectionalLstmH5.TfkerasRnn5BidirectionalLstm(),
            () => new Pasted.Dl4jBidirectionalLstmH5.TfkerasRnn5BidirectionalLstm(),
            () => new Declarations.BidirectionalLstmWithKeras3HardSigmoid(),
            new[] { "layer 0 'bidirectional'", "file:     'bidirectional_2'", "recurrent_activation: declared \"hard_sigmoid\", the file computes \"hard_sigmoid_keras2\" (Keras 2.2.4-tf computes hard_sigmoid as clip(0.2x + 0.5, 0, 1))" },
            BidirectionalReference)
        {
            // The model ends in Activation(relu), declared as [Activation("relu")].
        },

        // ---- frugally-deep: tf.keras GRU(1) fed an initial state; outputs from its README ----
        ["temp_stateless.h5"] = new(
            "frugally-deep/temp_stateless.h5", "FrugallyDeepStatelessH5",
            () => new Pasted.FrugallyDeepStatelessH5.TempStateless(),
            () => new Pasted.FrugallyDeepStatelessH5.TempStateless(),
            () => new Declarations.GruResettingBefore(),
            new[] { "layer 0 'gru'", "reset_after: declared False, the file has True: declare ResetAfter = true" },
            _ => new KerasRecording(FrugallyInput, FrugallyFirstCall, "frugally-deep README"))
        {
            Predict = (model, input) => ((Pasted.FrugallyDeepStatelessH5.TempStateless)model).Predict(input, new[] { FrugallyInitialState })[0],
        },
        ["temp_stateful.h5"] = new(
            "frugally-deep/temp_stateful.h5", "FrugallyDeepStatefulH5",
            () => new Pasted.FrugallyDeepStatefulH5.TempStateful(),
            () => new Pasted.FrugallyDeepStatefulH5.TempStateful(),
            () => new Declarations.StatefulGruGoingBackwards(),
            new[] { "layer 0 'gru'", "file:     'gru_1'", "go_backwards: declared True, the file has False: declare GoBackwards = false" },
            _ => new KerasRecording(FrugallyInput, FrugallyFirstCall, "frugally-deep README"))
        {
            Predict = (model, input) => ((Pasted.FrugallyDeepStatefulH5.TempStateful)model).Predict(input, new[] { FrugallyInitialState })[0],
        },

        // ---- generated by tests/formats-fixtures with the real HDF5 library; outputs from its plain-JS Keras equations ----
        ["keras2_stack_model.h5"] = Keras2Stack("keras2_stack_model.h5", "Keras2StackModelH5", () => new Pasted.Keras2StackModelH5.Keras2StackModel()),
        ["keras2_stack_split_attributes.h5"] = Keras2Stack("keras2_stack_split_attributes.h5", "Keras2StackSplitAttributesH5", () => new Pasted.Keras2StackSplitAttributesH5.Keras2StackSplitAttributes()),
        ["keras2_stack_weights.h5"] = new(
            "generated/keras2_stack_weights.h5", "Keras2StackWeightsH5",
            () => new Pasted.Keras2StackWeightsH5.Keras2StackWeights(),
            () => new Pasted.Keras2StackModelH5.Keras2StackModel(),
            // A Keras 3 declaration (reset_after=True): without a config the GRU bias shape still tells.
            () => new Pasted.Keras3StackKeras.Keras3Stack(),
            new[] { "layer 2 'gru'", "reset_after: the file's GRU bias is [3*units] (reset_after=False): declare ResetAfter = false" },
            _ => Generated("stack_keras2"))
        {
            FilledTimesteps = 5,
        },
        ["keras2_stack_chunked_model.h5"] = Keras2Stack("keras2_stack_chunked_model.h5", "Keras2StackChunkedModelH5", () => new Pasted.Keras2StackChunkedModelH5.Keras2StackChunkedModel()),
        ["keras3_stack_chunked.weights.h5"] = Keras3Stack("keras3_stack_chunked.weights.h5", "Keras3StackChunkedWeightsH5", () => new Pasted.Keras3StackChunkedWeightsH5.Keras3StackChunked(), pastedIsAsBuilt: false,
            "layer 2 'gru'", "gru/bias: declared [9], the file's 'layers/gru/cell/vars/2' is [2, 9]") with { FilledTimesteps = 5 },
        ["keras2_dense_activation_model.h5"] = new(
            "generated/keras2_dense_activation_model.h5", "Keras2DenseActivationModelH5",
            () => new Pasted.Keras2DenseActivationModelH5.Keras2DenseActivationModel(),
            () => new Pasted.Keras2DenseActivationModelH5.Keras2DenseActivationModel(),
            () => new Declarations.DenseActivationWithALinearDense(),
            new[] { "activation (Activation, relu): changes the model's output and the declaration has no [Activation(\"relu\")] at its place", "declare Activation = \"relu\" on the Dense before it ('dense')", "declare [Activation(\"relu\")] after the layer declared for 'dense'" },
            _ => Generated("dense_activation")),
        ["keras3_stack.keras"] = Keras3Stack("keras3_stack.keras", "Keras3StackKeras", () => new Pasted.Keras3StackKeras.Keras3Stack(), pastedIsAsBuilt: true,
            "layer 0 'bidirectional'", "recurrent_activation: declared \"hard_sigmoid_keras2\", the file computes \"hard_sigmoid\" (Keras 3.6.0 computes hard_sigmoid as clip(x/6 + 0.5, 0, 1)): declare RecurrentActivation = \"hard_sigmoid\"", "layer 2 'gru'"),
        ["keras3_stack_deflated.keras"] = Keras3Stack("keras3_stack_deflated.keras", "Keras3StackDeflatedKeras", () => new Pasted.Keras3StackDeflatedKeras.Keras3StackDeflated(), pastedIsAsBuilt: true,
            "layer 2 'gru'", "reset_after: declared False, the file has True: declare ResetAfter = true", "Keras 3.10.0 computes hard_sigmoid as clip(x/6 + 0.5, 0, 1)") with { FilledTimesteps = 5 },
        ["keras3_stack_pre310.weights.h5"] = Keras3Stack("keras3_stack_pre310.weights.h5", "Keras3StackPre310WeightsH5", () => new Pasted.Keras3StackPre310WeightsH5.Keras3StackPre310(), pastedIsAsBuilt: false,
            "layer 2 'gru'", "gru/bias: declared [9], the file's 'layers/gru/cell/vars/2' is [2, 9]") with { FilledTimesteps = 5 },
        ["keras3_stack.weights.h5"] = Keras3Stack("keras3_stack.weights.h5", "Keras3StackWeightsH5", () => new Pasted.Keras3StackWeightsH5.Keras3Stack(), pastedIsAsBuilt: false,
            "layer 2 'gru'", "gru/bias: declared [9], the file's 'layers/gru/cell/vars/2' is [2, 9]") with { FilledTimesteps = 5 },
        ["keras3_stack.npz"] = Keras3Stack("keras3_stack.npz", "Keras3StackNpz", () => new Pasted.Keras3StackNpz.Keras3Stack(), pastedIsAsBuilt: false,
            "layer 2 'gru'", "gru/bias: declared [9], file arr_8 [2, 9]") with { FilledTimesteps = 5 },
        ["keras3_stack_compressed.npz"] = Keras3Stack("keras3_stack_compressed.npz", "Keras3StackCompressedNpz", () => new Pasted.Keras3StackCompressedNpz.Keras3StackCompressed(), pastedIsAsBuilt: false,
            "layer 2 'gru'", "gru/bias: declared [9], file arr_8 [2, 9]") with { FilledTimesteps = 5 },
        ["tfkeras213_stack.weights.h5"] = new(
            "generated/tfkeras213_stack.weights.h5", "TfKeras213StackWeightsH5",
            () => new Pasted.TfKeras213StackWeightsH5.Tfkeras213Stack(),
            () => new Declarations.TfKeras213Stack(),
            () => new Pasted.Keras2StackModelH5.Keras2StackModel(),
            new[] { "layer 2 'gru'", "reset_after: the file's GRU bias is [2, 3*units] (reset_after=True): declare ResetAfter = true" },
            _ => Generated("stack_tfkeras213"))
        {
            FilledTimesteps = 5,
        },
        ["keras2_simple_model.h5"] = new(
            "generated/keras2_simple_model.h5", "Keras2SimpleModelH5",
            () => new Pasted.Keras2SimpleModelH5.Keras2SimpleModel(),
            () => new Pasted.Keras2SimpleModelH5.Keras2SimpleModel(),
            () => new Declarations.SimpleRnnGoingForwards(),
            new[] { "layer 0 'simple_rnn'", "go_backwards: declared False, the file has True: declare GoBackwards = true" },
            _ => Generated("simple")),
        ["keras3_simple.weights.h5"] = new(
            "generated/keras3_simple.weights.h5", "Keras3SimpleWeightsH5",
            () => new Pasted.Keras3SimpleWeightsH5.Keras3Simple(),
            // The file cannot say return_sequences, go_backwards or the sigmoid; the Keras 2 full-model file of the
            // same model can.
            () => new Pasted.Keras2SimpleModelH5.Keras2SimpleModel(),
            () => new Declarations.SimpleRnnOf4Units(),
            new[] { "layer 0 'simple_rnn'", "units: declared 4, the file has 3" },
            _ => Generated("simple"))
        {
            FilledTimesteps = 4,
        },
        ["keras2_deep_model.h5"] = new(
            "generated/keras2_deep_model.h5", "Keras2DeepModelH5",
            () => new Pasted.Keras2DeepModelH5.Keras2DeepModel(),
            () => new Pasted.Keras2DeepModelH5.Keras2DeepModel(),
            () => new Declarations.DeepWithAHardSigmoidLstm(),
            new[] { "layer 2 'lstm_2'", "recurrent_activation: declared \"hard_sigmoid\", the file computes \"sigmoid\": declare RecurrentActivation = \"sigmoid\"" },
            _ => Generated("deep")),
        ["keras3_deep.weights.h5"] = new(
            "generated/keras3_deep.weights.h5", "Keras3DeepWeightsH5",
            () => new Pasted.Keras3DeepWeightsH5.Keras3Deep(),
            () => new Pasted.Keras2DeepModelH5.Keras2DeepModel(),
            () => new Declarations.DeepWithAWiderGru(),
            new[] { "layer 6 'gru'", "units: declared 3, the file has 2" },
            _ => Generated("deep"))
        {
            FilledTimesteps = 3,
            // Nine layers of width 2 chain in many orders: the tool prints the recurrent layers first (gru, lstm, ...,
            // simple_rnn_1, dense, dense_1), and its comment asks for the model's order, which has the GRU seventh.
            PastedOrderDiffers = true,
        },
        ["keras3_timedistributed.keras"] = new(
            "generated/keras3_timedistributed.keras", "Keras3TimedistributedKeras",
            () => new Pasted.Keras3TimedistributedKeras.Keras3Timedistributed(),
            () => new Pasted.Keras3TimedistributedKeras.Keras3Timedistributed(),
            // The weights-only file's declaration: without the config, the TimeDistributed Dense's relu is not known.
            () => new Pasted.Keras3TimedistributedWeightsH5.Keras3Timedistributed(),
            new[] { "layer 1 'dense'", "file:     'time_distributed' TimeDistributed(Dense(3, activation=relu, use_bias=True))", "activation: declared \"linear\", the file computes \"relu\": declare Activation = \"relu\"" },
            _ => Generated("timedistributed")),
        // ---- LayerNormalization and BatchNormalization (tests/formats-fixtures/generate.mjs) ----
        ["keras3_layernorm.keras"] = new(
            "generated/keras3_layernorm.keras", "Keras3LayernormKeras",
            () => new Pasted.Keras3LayernormKeras.Keras3Layernorm(),
            () => new Pasted.Keras3LayernormKeras.Keras3Layernorm(),
            () => new Declarations.LayerNormalizationWithoutCenter(),
            new[] { "layer 1 'layer_normalization'", "center: declared False, the file has True: declare Center = true" },
            _ => Generated("layernorm")),
        ["keras2_layernorm_model.h5"] = new(
            "generated/keras2_layernorm_model.h5", "Keras2LayernormModelH5",
            () => new Pasted.Keras2LayernormModelH5.Keras2LayernormModel(),
            () => new Pasted.Keras3LayernormKeras.Keras3Layernorm(),
            () => new Declarations.LayerNormalizationWithoutCenter(),
            new[] { "layer 1 'layer_normalization'", "center: declared False, the file has True: declare Center = true" },
            _ => Generated("layernorm")),
        // ---- The text model: Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense, TF.js's outputs on padded tokens ----
        ["keras3_text_model.keras"] = new(
            "generated/keras3_text_model.keras", "Keras3TextModelKeras",
            () => new Pasted.Keras3TextModelKeras.Keras3TextModel(),
            () => new Pasted.Keras3TextModelKeras.Keras3TextModel(),
            () => new Declarations.TextModelWithoutMask(),
            new[] { "layer 0 'embedding'", "mask_zero: declared False, the file has True: declare MaskZero = true" },
            _ => Generated("text_model")),
        ["keras2_text_model.h5"] = new(
            "generated/keras2_text_model.h5", "Keras2TextModelH5",
            () => new Pasted.Keras2TextModelH5.Keras2TextModel(),
            () => new Pasted.Keras3TextModelKeras.Keras3TextModel(),
            () => new Declarations.TextModelWithoutMask(),
            new[] { "layer 0 'embedding'", "mask_zero: declared False, the file has True: declare MaskZero = true" },
            _ => Generated("text_model")),
        // ---- Normalization (adapted statistics; count an int64 scalar in every file) ----
        ["keras3_normalization.keras"] = new(
            "generated/keras3_normalization.keras", "Keras3NormalizationKeras",
            () => new Pasted.Keras3NormalizationKeras.Keras3Normalization(),
            () => new Pasted.Keras3NormalizationKeras.Keras3Normalization(),
            () => new Declarations.NormalizationDeclaredInverted(),
            new[] { "layer 0 'normalization'", "invert: declared True, the file has False: declare Invert = false" },
            _ => Generated("normalization")),
        ["keras2_normalization_model.h5"] = new(
            "generated/keras2_normalization_model.h5", "Keras2NormalizationModelH5",
            () => new Pasted.Keras2NormalizationModelH5.Keras2NormalizationModel(),
            () => new Pasted.Keras3NormalizationKeras.Keras3Normalization(),
            () => new Declarations.NormalizationDeclaredInverted(),
            new[] { "layer 0 'normalization'", "invert: declared True, the file has False: declare Invert = false" },
            _ => Generated("normalization")),
        ["keras3_normalization.weights.h5"] = new(
            "generated/keras3_normalization.weights.h5", "Keras3NormalizationWeightsH5",
            () => new Pasted.Keras3NormalizationWeightsH5.Keras3Normalization(),
            () => new Pasted.Keras3NormalizationKeras.Keras3Normalization(),
            // Without a config invert is not known, so a shape mismatches: the LSTM after the normalization wider.
            () => new Declarations.NormalizationBeforeAWiderLstm(),
            new[] { "layer 1 'lstm'", "units: declared 5, the file has 4" },
            _ => Generated("normalization"))
        {
            FilledTimesteps = 5,
        },
        ["keras3_normalization_invert.keras"] = new(
            "generated/keras3_normalization_invert.keras", "Keras3NormalizationInvertKeras",
            () => new Pasted.Keras3NormalizationInvertKeras.Keras3NormalizationInvert(),
            () => new Pasted.Keras3NormalizationInvertKeras.Keras3NormalizationInvert(),
            () => new Declarations.NormalizationNotInverted(),
            new[] { "layer 2 'normalization'", "invert: declared False, the file has True: declare Invert = true" },
            _ => Generated("normalization_invert")),
        ["keras3_batchnorm.keras"] = new(
            "generated/keras3_batchnorm.keras", "Keras3BatchnormKeras",
            () => new Pasted.Keras3BatchnormKeras.Keras3Batchnorm(),
            () => new Pasted.Keras3BatchnormKeras.Keras3Batchnorm(),
            () => new Declarations.BatchNormalizationWithDefaultEpsilon(),
            new[] { "layer 1 'batch_normalization'", "epsilon: declared 0.001, the file has 0.01: declare Epsilon = 0.01f" },
            _ => Generated("batchnorm")),
        ["keras2_batchnorm_model.h5"] = new(
            "generated/keras2_batchnorm_model.h5", "Keras2BatchnormModelH5",
            () => new Pasted.Keras2BatchnormModelH5.Keras2BatchnormModel(),
            () => new Pasted.Keras3BatchnormKeras.Keras3Batchnorm(),
            () => new Declarations.BatchNormalizationWithDefaultEpsilon(),
            new[] { "layer 1 'batch_normalization'", "epsilon: declared 0.001, the file has 0.01: declare Epsilon = 0.01f" },
            _ => Generated("batchnorm")),
        ["keras3_timedistributed.weights.h5"] = new(
            "generated/keras3_timedistributed.weights.h5", "Keras3TimedistributedWeightsH5",
            () => new Pasted.Keras3TimedistributedWeightsH5.Keras3Timedistributed(),
            // The file cannot say the activations; the .keras archive of the same model can.
            () => new Pasted.Keras3TimedistributedKeras.Keras3Timedistributed(),
            () => new Declarations.TimeDistributedOf5Units(),
            new[] { "layer 1 'dense'", "file:     'time_distributed' TimeDistributed(Dense(3, use_bias=True))", "units: declared 5, the file has 3" },
            _ => Generated("timedistributed"))
        {
            FilledTimesteps = 5,
        },
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static WeightFileCase Keras2Stack(string file, string pasted, Func<ILoadableModel> model) => new(
        "generated/" + file, pasted, model, model,
        // The Keras 3 declaration: hard_sigmoid means clip(x/6 + 0.5) there, and GRU reset_after=True.
        () => new Pasted.Keras3StackKeras.Keras3Stack(),
        new[]
        {
            "layer 0 'bidirectional'",
            "recurrent_activation: declared \"hard_sigmoid\", the file computes \"hard_sigmoid_keras2\" (Keras 2.4.0 computes hard_sigmoid as clip(0.2x + 0.5, 0, 1)): declare RecurrentActivation = \"hard_sigmoid_keras2\"",
            "layer 2 'gru'",
            "reset_after: declared True, the file has False: declare ResetAfter = false",
        },
        _ => Generated("stack_keras2"));

    private static WeightFileCase Keras3Stack(string file, string pasted, Func<ILoadableModel> model, bool pastedIsAsBuilt, params string[] mismatch) => new(
        "generated/" + file, pasted, model,
        pastedIsAsBuilt ? model : () => new Pasted.Keras3StackKeras.Keras3Stack(),
        // The Keras 2 declaration: hard_sigmoid_keras2 and GRU reset_after=False.
        () => new Pasted.Keras2StackModelH5.Keras2StackModel(),
        mismatch,
        _ => Generated("stack_keras3"));

    private static KerasRecording Dl4j(string recording)
    {
        // /inputs/<layer>_input (25, 1, 1) and /predictions/dense_1 (25, 1): Keras model.predict on the same inputs.
        Hdf5File file = Hdf5File.Open(Tests.Fixture.Bytes("dl4j-test-resources/" + recording));
        Hdf5Object inputs = file.Resolve("inputs")!;
        float[] input = inputs.Resolve(inputs.ChildNames.Single())!.Dataset.ReadFloats(1000);
        float[] predictions = file.Resolve("predictions/dense_1")!.Dataset.ReadFloats(1000);
        return new KerasRecording(input, predictions, recording);
    }

    private static KerasRecording Generated(string model)
    {
        using JsonDocument expected = Tests.Fixture.Json($"generated/expected_{model}.json");
        JsonElement root = expected.RootElement;
        return new KerasRecording(Tests.Fixture.Floats(root.GetProperty("input")), Tests.Fixture.Floats(root.GetProperty("output")), $"expected_{model}.json");
    }

    private static KerasRecording BidirectionalReference(IRnnModel loaded)
    {
        // The dl4j file records no predictions. The plain reference implementation in float64, run on the weights the
        // model loaded and through its final Activation(relu), stands in for Keras (RealKerasFileTests checks those
        // weights against the file's datasets).
        float[] input = Enumerable.Range(0, 2 * 3 * 4).Select(i => MathF.Sin(0.7f * i) * 1.5f).ToArray();
        float[] output = new ReferenceModel(loaded.Info, loaded.GetWeights(), ReferencePrecision.Float64).Predict(input)[0];
        return new KerasRecording(input, output, "ReferenceModel (float64), relu included");
    }

    internal static float[] Relu(float[] values) => values.Select(v => MathF.Max(0, v)).ToArray();
}
