using System;
using System.Linq;
using RnnGen.Formats.Tests.Convolution;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Conv1D in Keras 2 and Keras 3 files (written by tests/formats-fixtures/generate.mjs, the outputs computed by
/// rnn-reference.mjs, plain-JS Keras equations): the loader pairs it with a declared [Conv1D], checks its options and
/// its 3-D kernel, and the model then computes what the file's model computes; rnngen inspect declares it.
/// </summary>
public sealed class ConvolutionFileTests
{
    [Theory]
    [InlineData("generated/keras2_conv1d_model.h5")]
    [InlineData("generated/keras3_conv1d.keras")]
    public void A_Conv1D_file_loads_and_computes_the_reference_outputs(string file)
    {
        var model = new ConvSignal();
        KerasWeights.Load(model, Fixture.Path(file));

        using var expected = Fixture.Json("generated/expected_conv1d.json");
        float[][] written = expected.RootElement.GetProperty("weights").EnumerateArray().Select(Fixture.Floats).ToArray();
        Assert.Equal(written, model.GetWeights());
        Assert.Equal(new[] { 2, 3, 4 }, ConvSignal.Info.Layers[0].Weights[0].Dimensions);

        float[] input = Fixture.Floats(expected.RootElement.GetProperty("input"));
        float[] output = Fixture.Floats(expected.RootElement.GetProperty("output"));
        float[] predicted = model.Predict(input)[0];
        Assert.Equal(output.Length, predicted.Length);
        for (int i = 0; i < output.Length; i++)
        {
            // float32 arithmetic against the float64 reference, through a convolution and 4 LSTM steps.
            Assert.True(Math.Abs(output[i] - predicted[i]) <= 1e-5f, $"output {i}: {predicted[i]}, reference {output[i]}");
        }
    }

    [Fact]
    public void A_declared_option_the_file_does_not_have_is_reported_and_nothing_is_loaded()
    {
        var model = new ConvSignalSamePadding();
        float[][] before = model.GetWeights();
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, Fixture.Path("generated/keras3_conv1d.keras")));
        Assert.Contains("strides, padding, dilation_rate and groups: declared 1, same, 1 and 1, the file has 1, valid, 1 and 1: declare Strides = 1, Padding = \"valid\"", error.Message);
        Assert.Equal(before, model.GetWeights());
    }

    [Fact]
    public void A_declared_pooling_layer_the_file_does_not_have_is_reported()
    {
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Load(new ConvSignalPooled(), Fixture.Path("generated/keras2_conv1d_model.h5")));
        Assert.Contains("declared MaxPooling1D(pool_size=2, strides=2, padding=valid) after 1 layer(s) with weights; the file has no such layer there.", error.Message);
    }

    [Fact]
    public void Rnngen_inspect_declares_the_convolution()
    {
        string declaration = KerasWeights.Inspect(Fixture.Path("generated/keras3_conv1d.keras")).ToDeclaration("Signal");
        Assert.Contains("[Sequential(Timesteps = 5, InputDim = 3)]\n[Conv1D(4, 2)]\n[Lstm(3)]\n[Dense(2)]\npublic partial class Signal;", declaration.Replace("\r\n", "\n"));
        KerasFileLayer conv = KerasWeights.Inspect(Fixture.Path("generated/keras2_conv1d_model.h5")).Layers.Single(l => l.Name == "conv1d");
        Assert.Equal("Conv1D(4, kernel_size=2, strides=1, padding=valid, dilation_rate=1, groups=1, activation=linear, use_bias=True)", conv.Describe());
    }
}

/// <summary>
/// Conv1D, the pooling layers, Flatten, Reshape and RepeatVector written by SaveWeights (.keras, Keras 3's get_config
/// of each), read back by rnngen inspect into the same declaration, and loaded back with the same outputs.
/// </summary>
public sealed class ReshapingFileTests
{
    [Theory]
    [InlineData("model.weights.h5")]
    [InlineData("model.keras")]
    public void A_saved_model_with_a_Conv1D_loads_back_from_either_Keras_3_file(string name)
    {
        string folder = System.IO.Directory.CreateTempSubdirectory("rnngen-reshape-").FullName;
        try
        {
            string path = System.IO.Path.Combine(folder, name);
            var saved = new EveryReshape(5);
            saved.SaveWeights(path);
            var loaded = new EveryReshape();
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_saved_model_with_every_window_and_reshaping_layer_is_inspected_as_declared_and_loads_back()
    {
        string folder = System.IO.Directory.CreateTempSubdirectory("rnngen-reshape-").FullName;
        try
        {
            string path = System.IO.Path.Combine(folder, "model.keras");
            var saved = new EveryReshape(3);
            saved.SaveWeights(path);

            string declaration = KerasWeights.Inspect(path).ToDeclaration("EveryReshape").Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Contains(
                "[Sequential(Timesteps = 12, InputDim = 2)]\n[Conv1D(4, 3, Strides = 2, Padding = \"same\", Activation = \"relu\")]\n[AveragePooling1D(3, Strides = 1, Padding = \"same\")]\n"
                + "[Flatten]\n[Dense(6)]\n[Reshape(3, 2)]\n[Lstm(3)]\n[RepeatVector(2)]\n[MaxPooling1D]\n[Gru(2)]\npublic partial class EveryReshape;", declaration);

            var loaded = new EveryReshape();
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
            float[] input = Enumerable.Range(0, 3 * 12 * 2).Select(i => MathF.Sin(0.3f * i)).ToArray();
            Assert.Equal(saved.Predict(input)[0], loaded.Predict(input)[0]);

            var other = new EveryReshapeRepeatedThrice();
            float[][] before = other.GetWeights();
            string message = Assert.Throws<ArgumentException>(() => KerasWeights.Load(other, path)).Message;
            Assert.Contains("mismatch: n: declared 3, file 2", message);
            Assert.Equal(before, other.GetWeights());
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
