using System;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Activation and Rescaling layers in files with a configuration: read as the <c>[Activation]</c> and
/// <c>[Rescaling]</c> layers they are (keras/src/layers/activations/activation.py, preprocessing/rescaling.py), paired
/// with the declared ones at the same place (after as many layers with weights), printed by <c>rnngen inspect</c>, and
/// written back by SaveWeights so that a saved model loads again. The Keras side of these layers is checked against
/// Keras's own outputs by the keras2_dense_activation_model.h5 case (PastedDeclarationTests) and the TF.js golden stacks.
/// </summary>
public sealed class ElementwiseFileTests
{
    [Theory]
    [InlineData("model.keras")]
    [InlineData("model.weights.h5")]
    public void A_saved_model_with_Activation_and_Rescaling_layers_loads_back_and_predicts_the_same(string name)
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-elementwise-").FullName;
        try
        {
            var saved = new Declarations.ElementwiseStack();
            string path = Path.Combine(folder, name);
            saved.SaveWeights(path);

            var loaded = new Declarations.ElementwiseStack();
            loaded.SetWeights(loaded.GetWeights().Select(w => new float[w.Length]).ToArray()); // not the saved weights
            loaded.LoadWeights(path);
            Assert.Equal(saved.GetWeights(), loaded.GetWeights());
            float[] input = Enumerable.Range(0, 2 * 3 * 2).Select(i => MathF.Sin(0.9f * i) * 3f).ToArray();
            Assert.Equal(saved.Predict(input)[0], loaded.Predict(input)[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Inspect_prints_the_layers_in_place_and_the_printed_declaration_is_the_saved_one()
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-elementwise-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.keras");
            new Declarations.ElementwiseStack().SaveWeights(path);
            KerasFileInfo info = KerasWeights.Inspect(path);
            Assert.Equal(
                new LayerKind?[] { LayerKind.Lstm, LayerKind.Rescaling, LayerKind.Activation, LayerKind.Lstm, LayerKind.Activation, LayerKind.Dense },
                info.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Kind));
            Assert.Equal("Rescaling(scale=0.5, offset=-1)", info.Layers.First(l => l.Kind == LayerKind.Rescaling).Describe());

            string declaration = info.ToDeclaration("ElementwiseStack").Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Contains(
                "[Lstm(4, ReturnSequences = true)]\n[Rescaling(0.5f, Offset = -1f)]\n[Activation(\"relu\")]\n[Lstm(3)]\n[Activation(\"tanh\")]\n[Dense(2)]\npublic partial class ElementwiseStack;",
                declaration);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_declaration_whose_elementwise_layers_differ_from_the_file_is_refused_naming_them_and_nothing_is_loaded()
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-elementwise-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.keras");
            new Declarations.ElementwiseStack().SaveWeights(path);

            static string Refusal(IRnnModel model, string path)
            {
                float[][] before = model.GetWeights();
                string message = Assert.Throws<ArgumentException>(() => KerasWeights.Load(model, path)).Message;
                Assert.Contains("nothing was loaded", message);
                Assert.Equal(before, model.GetWeights());
                return message;
            }

            string scale = Refusal(new Declarations.ElementwiseStackWithAnotherScale(), path);
            Assert.Contains("layer 1 'rescaling': declared Rescaling(scale=0.25, offset=-1)", scale);
            Assert.Contains("mismatch: scale and offset: declared 0.25 and -1, file 0.5 and -1", scale);

            string missing = Refusal(new Declarations.ElementwiseStackWithoutItsRescaling(), path);
            Assert.Contains("rescaling (Rescaling): changes the model's output and the declaration has no [Rescaling(0.5f, Offset = -1f)] at its place", missing);
            Assert.Contains("declare [Rescaling(0.5f, Offset = -1f)] after the layer declared for 'lstm'", missing);

            string moved = Refusal(new Declarations.ElementwiseStackWithItsTanhMoved(), path);
            Assert.Contains("activation_1 (Activation, tanh): changes the model's output and the declaration has no [Activation(\"tanh\")] at its place", moved);
            Assert.Contains("layer 5 'activation_1': declared Activation(tanh) after 3 layer(s) with weights; the file has no such layer there.", moved);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
