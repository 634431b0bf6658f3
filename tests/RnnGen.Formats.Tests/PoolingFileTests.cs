using System;
using System.IO;
using System.Linq;
using RnnGen.Formats.Keras;

namespace RnnGen.Formats.Tests;

/// <summary>
/// GlobalAveragePooling1D and GlobalMaxPooling1D in files with a configuration: read in Keras 2 and Keras 3 configs
/// (<c>keras/src/layers/pooling/base_global_pooling.py</c> get_config: data_format, keepdims), paired with the declared
/// layer of their kind at the same place (after as many layers with weights), printed by <c>rnngen inspect</c>, and
/// written back by SaveWeights so that a saved model loads again. Their numbers are checked against TensorFlow.js by the
/// golden stacks (tests/golden/generate.mjs, masking.mjs).
/// </summary>
public sealed class PoolingFileTests
{
    private static ModelConfig Parse(string pooling, KerasDialect dialect) => KerasConfig.Parse($$$"""
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 4, "return_sequences": true, "batch_input_shape": [null, 5, 3]}},
          {{{pooling}}},
          {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
        """, dialect, "config");

    [Theory]
    // tf.keras 2.4 writes data_format only (keepdims came in 2.6); Keras 3 writes both, and the trainable/dtype keys.
    [InlineData("""{"class_name": "GlobalAveragePooling1D", "config": {"name": "global_average_pooling1d", "trainable": true, "dtype": "float32", "data_format": "channels_last"}}""", "2.4.0", 2, LayerKind.GlobalAveragePooling1D)]
    [InlineData("""{"class_name": "GlobalMaxPooling1D", "config": {"name": "global_max_pooling1d", "trainable": true, "dtype": "float32", "data_format": "channels_last", "keepdims": false}}""", "2.13.1", 2, LayerKind.GlobalMaxPooling1D)]
    [InlineData("""{"module": "keras.layers", "class_name": "GlobalAveragePooling1D", "config": {"name": "global_average_pooling1d", "trainable": true, "dtype": "float32", "data_format": "channels_last", "keepdims": false}, "registered_name": null, "build_config": {"input_shape": [null, 5, 4]}}""", "3.3.3", 3, LayerKind.GlobalAveragePooling1D)]
    public void Keras_2_and_3_configs_are_read_as_the_pooling_layer(string pooling, string version, int major, LayerKind kind)
    {
        LayerConfig layer = Parse(pooling, new KerasDialect(version, major)).Layers[1];
        Assert.Equal((LayerKind?)kind, layer.Kind);
        Assert.Null(layer.Note);
    }

    [Theory]
    [InlineData("""{"class_name": "GlobalAveragePooling1D", "config": {"name": "gap", "data_format": "channels_first"}}""", "channels_first")]
    [InlineData("""{"class_name": "GlobalMaxPooling1D", "config": {"name": "gmp", "data_format": "channels_last", "keepdims": true}}""", "keeps the time axis")]
    public void Options_RnnGen_does_not_compute_make_the_layer_one_it_does_not_generate(string pooling, string note)
    {
        LayerConfig layer = Parse(pooling, new KerasDialect("3.3.3", 3)).Layers[1];
        Assert.Null(layer.Kind);
        Assert.Contains(note, layer.Note);
    }

    [Theory]
    [InlineData("model.keras")]
    [InlineData("model.weights.h5")]
    public void A_saved_model_with_a_pooling_layer_loads_back_and_predicts_the_same(string name)
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-pooling-").FullName;
        try
        {
            var saved = new Declarations.PooledClassifier(7);
            string path = Path.Combine(folder, name);
            saved.SaveWeights(path);

            var loaded = new Declarations.PooledClassifier();
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
            float[] input = Enumerable.Range(0, 2 * 4 * 3).Select(i => MathF.Sin(0.7f * i)).ToArray();
            Assert.Equal(saved.Predict(input)[0], loaded.Predict(input)[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Inspect_prints_the_pooling_layer_in_place_and_the_printed_declaration_is_the_saved_one()
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-pooling-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.keras");
            new Declarations.PooledClassifier().SaveWeights(path);
            KerasFileInfo info = KerasWeights.Inspect(path);
            Assert.Equal(
                new LayerKind?[] { LayerKind.Lstm, LayerKind.GlobalAveragePooling1D, LayerKind.Dense },
                info.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Kind));
            Assert.Equal("GlobalAveragePooling1D()", info.Layers.First(l => l.Kind == LayerKind.GlobalAveragePooling1D).Describe());
            string declaration = info.ToDeclaration("PooledClassifier").Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Contains("[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5, ReturnSequences = true)]\n[GlobalAveragePooling1D]\n[Dense(2)]\npublic partial class PooledClassifier;", declaration);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_declaration_whose_pooling_differs_from_the_file_is_refused_naming_it_and_nothing_is_loaded()
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-pooling-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.keras");
            new Declarations.PooledClassifier().SaveWeights(path);

            static string Refusal(IRnnModel model, string path)
            {
                float[][] before = model.GetWeights();
                string message = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, path)).Message;
                Assert.Contains("nothing was loaded", message);
                Assert.Equal(before, model.GetWeights());
                return message;
            }

            string other = Refusal(new Declarations.PooledClassifierWithMaxPooling(), path);
            Assert.Contains("global_average_pooling1d (GlobalAveragePooling1D): changes the model's output and the declaration has no [GlobalAveragePooling1D] at its place", other);
            Assert.Contains("layer 1 'global_max_pooling1d': declared GlobalMaxPooling1D() after 1 layer(s) with weights; the file has no such layer there.", other);

            string missing = Refusal(new Declarations.PooledClassifierWithoutItsPooling(), path);
            Assert.Contains("declare [GlobalAveragePooling1D] after the layer declared for 'lstm'", missing);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
