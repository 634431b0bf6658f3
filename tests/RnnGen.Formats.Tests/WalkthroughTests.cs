using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Tool;

namespace RnnGen.Formats.Tests;

/// <summary>
/// docs/walkthrough.md, step by step: three Keras files (a text model with an Embedding and a mask, a forecaster with
/// LayerNormalization, an encoder-decoder graph), each printed by <c>rnngen inspect</c>, declared as printed
/// (Pasted/), loaded, and run on the inputs whose outputs the file's model was recorded with.
/// </summary>
public sealed class WalkthroughTests
{
    [Fact]
    public void The_text_model_reads_padded_tokens_as_keras_masks_them()
    {
        // 1. rnngen inspect keras3_text_model.keras prints the declaration (Pasted/Keras3TextModelKeras.cs).
        Assert.Contains("[Sequential(Timesteps = 6)]\n[Embedding(7, 3, MaskZero = true)]\n[Lstm(3, Bidirectional = true)]\n[Dense(1)]\n", Inspect("keras3_text_model.keras"));

        // 2. Load the file and run five padded sentences as int tokens: 0 is padding, masked as mask_zero=True does.
        var model = new Pasted.Keras3TextModelKeras.Keras3TextModel();
        model.LoadWeights(Fixture.Path("generated/keras3_text_model.keras"));
        int[] tokens =
        {
            3, 1, 4, 1, 5, 6,
            5, 2, 6, 0, 0, 0, // padded after three tokens
            0, 0, 3, 6, 1, 2, // padded before four
            4, 0, 2, 5, 0, 6, // zeros inside
            0, 0, 0, 0, 0, 0, // all padding: Dense of zeros, its bias
        };
        float[] predicted = model.Predict(tokens)[0];

        // 3. The outputs Keras's model computes for them (TensorFlow.js, the same weights: expected_text_model.json).
        (float[] input, float[] expected) = Recording("text_model");
        Assert.Equal(input, tokens.Select(t => (float)t).ToArray());
        AssertClose(expected, predicted);
    }

    [Fact]
    public void The_forecaster_normalizes_the_lstm_output_per_sample()
    {
        Assert.Contains("[Sequential(Timesteps = 5, InputDim = 3)]\n[Lstm(4)]\n[LayerNormalization]\n[Dense(2)]\n", Inspect("keras3_layernorm.keras"));
        var model = new Pasted.Keras3LayernormKeras.Keras3Layernorm();
        model.LoadWeights(Fixture.Path("generated/keras3_layernorm.keras"));
        (float[] input, float[] expected) = Recording("layernorm");
        AssertClose(expected, model.Predict(input)[0]);
    }

    [Fact]
    public void The_encoder_states_start_the_decoder_of_the_graph()
    {
        string printed = Inspect("keras3_seq2seq.keras");
        Assert.Contains("[GraphNode(\"head\", typeof(Keras3Seq2seqHead), \"decoder_inputs\", InitialState = \"encoder\", Layers = new[] { \"decoder\", \"head\" })]", printed);
        var translator = new Pasted.Keras3Seq2seqKeras.Keras3Seq2seq();
        translator.LoadWeights(Fixture.Path("generated/keras3_seq2seq.keras"));

        // The archive holds the weights of TensorFlow.js's seq2seq case: its inputs, sample by sample.
        PastedGraphTests.GraphCase golden = PastedGraphTests.GraphCase.Load("seq2seq");
        for (int b = 0; b < golden.Batch; b++)
        {
            Pasted.Keras3Seq2seqKeras.Keras3Seq2seqEncoder.Input encoderInputs = default;
            Pasted.Keras3Seq2seqKeras.Keras3Seq2seqHead.Input decoderInputs = default;
            golden.Input("encoder_inputs", b).CopyTo(encoderInputs.AsSpan());
            golden.Input("decoder_inputs", b).CopyTo(decoderInputs.AsSpan());
            translator.Forward(in encoderInputs, in decoderInputs, out Pasted.Keras3Seq2seqKeras.Keras3Seq2seq.Outputs outputs);
            golden.AssertOutput(0, b, outputs.Head.Result.AsSpan());
        }
    }

    private static string Inspect(string fixture)
    {
        var output = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", Fixture.Path("generated/" + fixture) }, output, new StringWriter()));
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static (float[] Input, float[] Output) Recording(string model)
    {
        using JsonDocument expected = Fixture.Json($"generated/expected_{model}.json");
        return (Fixture.Floats(expected.RootElement.GetProperty("input")), Fixture.Floats(expected.RootElement.GetProperty("output")));
    }

    // PastedDeclarationTests' tolerance for the same recordings: 1e-5, relative above 1 (float32 against TensorFlow.js's
    // float32 or a plain float64 reference).
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * MathF.Max(1, MathF.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
