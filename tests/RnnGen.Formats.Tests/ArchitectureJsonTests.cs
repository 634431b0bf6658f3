using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using RnnGen.Formats.Hdf5;
using RnnGen.Tool.Import;

namespace RnnGen.Formats.Tests;

/// <summary>
/// A Keras 2 architecture JSON (<c>model.to_json()</c>) with <c>model.save_weights("model.weights.h5")</c> beside it,
/// as a <c>[KerasModel]</c> source: it imports to the very declaration and weights that the full-model <c>.h5</c> of
/// the same model (<c>model.save()</c>) gives, which KerasModelTests checks against Keras's recorded outputs.
/// </summary>
public sealed class ArchitectureJsonTests
{
    private const string FullModel = "generated/keras2_stack_model.h5";
    private const string SavedWeights = "generated/keras2_stack_weights.h5"; // save_weights() of the same model

    [Fact]
    public void A_Keras_2_json_with_its_legacy_weights_imports_as_the_full_model_h5_does()
    {
        string folder = Directory.CreateTempSubdirectory("rnngen-json-").FullName;
        try
        {
            string json = Path.Combine(folder, "stack.json");
            File.WriteAllText(json, ToJson(Fixture.Path(FullModel)));
            File.Copy(Fixture.Path(SavedWeights), Path.Combine(folder, "stack.weights.h5"));

            KerasImport.Result fromJson = KerasImport.Read(json);
            KerasImport.Result fromModel = KerasImport.Read(Fixture.Path(FullModel));

            Assert.Empty(fromJson.Description.Errors);
            Assert.Empty(fromModel.Description.Errors);
            Assert.Equal(Attributes(fromModel.Description.Declaration!), Attributes(fromJson.Description.Declaration!));
            Assert.Contains("Keras 2 architecture JSON", fromJson.Description.Declaration, StringComparison.Ordinal);
            Assert.Equal(fromModel.Weights!.Length, fromJson.Weights!.Length);
            for (int i = 0; i < fromModel.Weights.Length; i++)
            {
                Assert.Equal(fromModel.Weights[i], fromJson.Weights[i]); // bit for bit: the same float32 values
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_Keras_2_json_whose_weights_contradict_it_is_a_weights_error()
    {
        // The JSON of the stack with the first LSTM's units changed: the saved kernels no longer fit it.
        string folder = Directory.CreateTempSubdirectory("rnngen-json-").FullName;
        try
        {
            JsonNode model = JsonNode.Parse(ToJson(Fixture.Path(FullModel)))!;
            JsonObject lstm = model["config"]!["layers"]!.AsArray()
                .Select(layer => layer!.AsObject())
                .First(layer => (string?)layer["class_name"] is "LSTM" or "Bidirectional");
            JsonObject cell = (string?)lstm["class_name"] == "Bidirectional" ? lstm["config"]!["layer"]!["config"]!.AsObject() : lstm["config"]!.AsObject();
            cell["units"] = (int)cell["units"]! + 1;
            File.WriteAllText(Path.Combine(folder, "stack.json"), model.ToJsonString());
            File.Copy(Fixture.Path(SavedWeights), Path.Combine(folder, "stack.weights.h5"));

            KerasImport.Result result = KerasImport.Read(Path.Combine(folder, "stack.json"));

            var (kind, message) = Assert.Single(result.Description.Errors);
            Assert.Equal("weights", kind);
            Assert.Contains("the configuration gives", message, StringComparison.Ordinal);
            Assert.Null(result.Weights);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// What Keras 2's <c>model.to_json()</c> returns for the model saved in <paramref name="fullModelH5"/>: its
    /// <c>model_config</c> attribute (<c>{"class_name", "config"}</c>, hdf5_format.save_model_to_hdf5) plus the
    /// <c>keras_version</c> and <c>backend</c> that <c>to_json</c> adds (Network._updated_config).
    /// </summary>
    private static string ToJson(string fullModelH5)
    {
        Hdf5Object root = Hdf5File.Open(File.ReadAllBytes(fullModelH5)).Root;
        JsonObject json = JsonNode.Parse(root.Attribute("model_config")!.ReadString())!.AsObject();
        json["keras_version"] = root.Attribute("keras_version")?.ReadString() ?? "2.1.3";
        json["backend"] = root.Attribute("backend")?.ReadString() ?? "tensorflow";
        return json.ToJsonString();
    }

    private static string[] Attributes(string declaration) =>
        declaration.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal)).ToArray();
}
