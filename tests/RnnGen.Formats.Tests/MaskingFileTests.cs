using System;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Masking layers in files with a configuration (Keras 2 legacy <c>.h5</c> and Keras 3 <c>.keras</c>): read with their
/// <c>mask_value</c> (keras/src/layers/core/masking.py <c>get_config</c>), paired with the declared <c>[Masking]</c>,
/// printed by <c>rnngen inspect</c>, and written back by SaveWeights. What the layer computes is checked against
/// TensorFlow.js in RnnGen.Numerics.Tests (MaskingLayerGoldenTests); these files record no outputs.
/// </summary>
public sealed class MaskingFileTests
{
    private const string Keras2 = "generated/keras2_masking_model.h5";
    private const string Keras3 = "generated/keras3_masking.keras";

    [Theory]
    [InlineData(Keras2, 0.0)]
    [InlineData(Keras3, -1.0)]
    public void The_file_layer_is_a_Masking_with_its_mask_value(string fixture, double maskValue)
    {
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path(fixture));
        KerasFileLayer masking = Assert.Single(info.Layers, l => l.ClassName == "Masking");
        Assert.Equal(LayerKind.Masking, masking.Kind);
        Assert.Equal(maskValue, masking.MaskValue);
        Assert.Equal($"Masking(mask_value={maskValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})", masking.Describe());
    }

    [Fact]
    public void Inspect_prints_Masking_first_and_the_declarations_it_prints_load_their_files()
    {
        string keras2 = KerasWeights.Inspect(Fixture.Path(Keras2)).ToDeclaration("MaskedTagger").Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("[Sequential(Timesteps = 4, InputDim = 3)]\n[Masking]\n[Lstm(3)]\n[Dense(2)]\npublic partial class MaskedTagger;", keras2);
        string keras3 = KerasWeights.Inspect(Fixture.Path(Keras3)).ToDeclaration("MaskedTaggerMinusOne").Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("[Sequential(Timesteps = 4, InputDim = 3)]\n[Masking(MaskValue = -1f)]\n[Lstm(3)]\n[Dense(2)]\npublic partial class MaskedTaggerMinusOne;", keras3);

        // Those declarations, compiled (Declarations/MaskingModels.cs), load the weights the files hold.
        var tagger = new Declarations.MaskedTagger();
        tagger.LoadWeights(Fixture.Path(Keras2));
        Assert.Equal(KerasWeights.Read(Fixture.Path(Keras2), Declarations.MaskedTagger.Info), tagger.GetWeights());
        Assert.Contains(tagger.GetWeights(), w => w.Any(v => v != 0));
        var minusOne = new Declarations.MaskedTaggerMinusOne();
        minusOne.LoadWeights(Fixture.Path(Keras3));
        Assert.Equal(KerasWeights.Read(Fixture.Path(Keras3), Declarations.MaskedTaggerMinusOne.Info), minusOne.GetWeights());
    }

    [Fact]
    public void A_declaration_without_the_Masking_is_refused_saying_to_declare_it_first_and_nothing_is_loaded()
    {
        var model = new Declarations.TaggerWithoutMasking();
        float[][] before = model.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => model.LoadWeights(Fixture.Path(Keras3))).Message;
        Assert.Contains("nothing was loaded", message);
        Assert.Contains("masking (Masking): changes the model's output and the declaration has no [Masking(MaskValue = -1f)] at its place", message);
        Assert.Contains("declare [Masking(MaskValue = -1f)] as the first layer", message);
        Assert.Equal(before, model.GetWeights());

        // A caller who computes the mask itself may still pass over the layer and use the masked overloads.
        KerasWeights.Load(model, Fixture.Path(Keras3), new[] { "masking" });
        Assert.NotEqual(before, model.GetWeights());
    }

    [Fact]
    public void A_declared_Masking_with_another_mask_value_is_refused_naming_both_values()
    {
        var model = new Declarations.MaskedTagger();
        float[][] before = model.GetWeights();
        string message = Assert.Throws<ArgumentException>(() => model.LoadWeights(Fixture.Path(Keras3))).Message;
        Assert.Contains("declared Masking(mask_value=0)", message);
        Assert.Contains("mask_value: declared 0, file -1", message);
        Assert.Equal(before, model.GetWeights());

        // And a declared Masking the file does not have.
        Assert.Contains("declared Masking(mask_value=0) after 0 layer(s) with weights; the file has no such layer there",
            Assert.Throws<ArgumentException>(() => model.LoadWeights(Fixture.Path("generated/keras2_stack_model.h5"))).Message);
    }

    [Theory]
    [InlineData("model.keras")]
    [InlineData("model.weights.h5")]
    public void A_saved_Masking_model_loads_back_and_predicts_the_same(string name)
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-masking-").FullName;
        try
        {
            var saved = new Declarations.MaskedTaggerMinusOne();
            string path = Path.Combine(folder, name);
            saved.SaveWeights(path);
            if (name.EndsWith(".keras", StringComparison.Ordinal))
            {
                KerasFileLayer masking = KerasWeights.Inspect(path).Layers.Single(l => l.ClassName == "Masking");
                Assert.Equal(-1.0, masking.MaskValue);
            }

            var loaded = new Declarations.MaskedTaggerMinusOne();
            loaded.SetWeights(loaded.GetWeights().Select(w => new float[w.Length]).ToArray());
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
            // Two sequences, the second padded with the mask value after two timesteps.
            float[] input = Enumerable.Range(0, 2 * 4 * 3).Select(i => i >= 18 ? -1f : MathF.Sin(0.7f * i)).ToArray();
            Assert.Equal(saved.Predict(input)[0], loaded.Predict(input)[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
