using System;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Embedding layers in files with a configuration (Keras 2 legacy <c>.h5</c> and Keras 3 <c>.keras</c>, written by
/// tests/formats-fixtures/generate.mjs): read with <c>input_dim</c>, <c>output_dim</c> and <c>mask_zero</c>
/// (keras/src/layers/core/embedding.py <c>get_config</c>) and the <c>embeddings</c> table, paired with the declared
/// <c>[Embedding]</c>, printed by <c>rnngen inspect</c>, written back by SaveWeights. What the layer computes is checked
/// against TensorFlow.js in RnnGen.Numerics.Tests (EmbeddingGoldenTests); these files record no outputs.
/// </summary>
public sealed class EmbeddingFileTests
{
    private const string Keras2 = "generated/keras2_embedding_model.h5";
    private const string Keras3 = "generated/keras3_embedding.keras";

    [Theory]
    [InlineData(Keras2, true)]
    [InlineData(Keras3, false)]
    public void The_file_layer_is_an_Embedding_with_its_sizes_and_mask_zero(string fixture, bool maskZero)
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path(fixture));
        Assert.Equal(5, info.Timesteps);
        Assert.Equal(1, info.InputDim);
        KerasFileLayer embedding = Assert.Single(info.Layers, l => l.ClassName == "Embedding");
        Assert.Equal(LayerKind.Embedding, embedding.Kind);
        Assert.Equal(20, embedding.EmbeddingInputDim);
        Assert.Equal(4, embedding.Units);
        Assert.Equal(maskZero, embedding.MaskZero);
        Assert.Equal(new[] { 20, 4 }, Assert.Single(embedding.Weights).Dimensions);
        Assert.Equal($"Embedding(input_dim=20, output_dim=4, mask_zero={(maskZero ? "True" : "False")})", embedding.Describe());
    }

    [Fact]
    public void Inspect_prints_a_declaration_that_compiles_and_loads_its_file()
    {
        string keras2 = KerasWeights.Inspect(Fixture.Path(Keras2)).ToDeclaration("TokenTagger").Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("[Sequential(Timesteps = 5)]\n[Embedding(20, 4, MaskZero = true)]\n[Lstm(3)]\n[Dense(2)]\npublic partial class TokenTagger;", keras2);
        string keras3 = KerasWeights.Inspect(Fixture.Path(Keras3)).ToDeclaration("TokenTaggerNoMask").Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("[Sequential(Timesteps = 5)]\n[Embedding(20, 4)]\n[Lstm(3)]\n[Dense(2)]\npublic partial class TokenTaggerNoMask;", keras3);

        // Those declarations, compiled (Declarations/EmbeddingModels.cs), load the weights the files hold.
        var tagger = new Declarations.TokenTagger();
        tagger.LoadWeights(Fixture.Path(Keras2));
        Assert.Equal(KerasWeights.Read(Fixture.Path(Keras2), Declarations.TokenTagger.Info), tagger.GetWeights());
        Assert.Equal(new[] { 20 * 4 }, tagger.GetWeights().Take(1).Select(w => w.Length));
        Assert.Contains(tagger.GetWeights()[0], v => v != 0);
        var noMask = new Declarations.TokenTaggerNoMask();
        noMask.LoadWeights(Fixture.Path(Keras3));
        Assert.Equal(KerasWeights.Read(Fixture.Path(Keras3), Declarations.TokenTaggerNoMask.Info), noMask.GetWeights());
    }

    [Fact]
    public void A_file_whose_Embedding_differs_from_the_declaration_is_refused_naming_what_differs_and_nothing_is_loaded()
    {
        var larger = new Declarations.TokenTaggerLargerVocabulary();
        float[][] before = larger.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => larger.LoadWeights(Fixture.Path(Keras2))).Message;
        Assert.Contains("input_dim: declared 30, the file has 20: declare [Embedding(20, 4, MaskZero = true)]", message);
        Assert.Contains("nothing was loaded", message);
        Assert.Equal(before, larger.GetWeights());

        var masked = new Declarations.TokenTagger();
        before = masked.GetWeights();
        message = Assert.Throws<ArgumentException>(() => masked.LoadWeights(Fixture.Path(Keras3))).Message;
        Assert.Contains("mask_zero: declared True, the file has False: declare MaskZero = false", message);
        Assert.Equal(before, masked.GetWeights());

        var without = new Declarations.TaggerWithoutEmbedding();
        before = without.GetWeights();
        message = Assert.Throws<ArgumentException>(() => without.LoadWeights(Fixture.Path(Keras3))).Message;
        Assert.Equal(before, without.GetWeights());
        // One line for the layer the declaration lacks, saying where it goes; the LSTM and Dense after it pair with
        // the file's, so no mismatch is reported for them (paired by position, each would be).
        Assert.Contains("file layer 'embedding' Embedding(input_dim=20, output_dim=4, mask_zero=False) with 1 weight array(s) is not declared: add it to the declaration before layer 0 'lstm'", message);
        Assert.DoesNotContain("mismatch", message);
    }

    [Fact]
    public void A_declaration_with_a_layer_the_file_lacks_is_refused_at_that_layer_only()
    {
        // The file is Embedding -> LSTM(3) -> Dense(2); the declaration adds a Dense(4) on the sequence between the
        // Embedding and the LSTM. Paired by position, the LSTM and the last Dense would be reported as kind mismatches.
        var extra = new Declarations.TaggerWithExtraDense();
        float[][] before = extra.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => extra.LoadWeights(Fixture.Path(Keras3))).Message;
        Assert.Equal(before, extra.GetWeights());
        Assert.Contains("layer 1 'dense': declared Dense(4", message);
        Assert.Contains("file:     nothing", message);
        Assert.Single(message.Split('\n'), line => line.Contains("file:     nothing", StringComparison.Ordinal));
        Assert.DoesNotContain("mismatch: kind", message);
    }

    [Theory]
    [InlineData("model.keras")]
    [InlineData("model.weights.h5")]
    [InlineData("model.npz")]
    public void A_saved_Embedding_model_loads_back_and_predicts_the_same(string name)
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-embedding-").FullName;
        try
        {
            var saved = new Declarations.TokenTagger(seed: 3);
            string path = Path.Combine(folder, name);
            saved.SaveWeights(path);
            if (name.EndsWith(".keras", StringComparison.Ordinal))
            {
                KerasFileInfo info = KerasWeights.Inspect(path);
                KerasFileLayer embedding = info.Layers.Single(l => l.ClassName == "Embedding");
                Assert.True(embedding.MaskZero);
                Assert.Equal(20, embedding.EmbeddingInputDim);
                Assert.Equal(1, info.InputDim);
                Assert.Equal(5, info.Timesteps);
            }

            var loaded = new Declarations.TokenTagger();
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
            // Two token sequences, the second padded with zeros after two tokens.
            int[] tokens = { 3, 19, 7, 1, 12, 5, 8, 0, 0, 0 };
            Assert.Equal(saved.Predict(tokens)[0], loaded.Predict(tokens)[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
