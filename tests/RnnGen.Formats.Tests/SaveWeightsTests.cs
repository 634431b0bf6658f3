using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using static RnnGen.Formats.Tests.Declared;

namespace RnnGen.Formats.Tests;

/// <summary>
/// KerasWeights.Save: the Keras 3 <c>.weights.h5</c> and <c>.keras</c> written by RnnGen's managed HDF5 writer. Two
/// kinds of check: round trips through RnnGen's own reader (bit-identical weights, the configuration matching the
/// declaration), and an independent one — the files in Fixtures/saved were read by h5wasm (the HDF5 library compiled to
/// WebAssembly) and by h5py on HDF5 1.10, and compared with the Keras-layout fixtures of the same models by
/// tests/golden/saved-weights; the verdicts and what was read are in h5wasm-check.json and h5py-check.json, tied to
/// today's writer by each file's SHA-256.
/// </summary>
public sealed class SaveWeightsTests
{
    /// <summary>The models of the h5wasm check: the saved file, the Keras-layout fixture of the same model and its expected weights.</summary>
    public static TheoryData<string, string, string> CheckedFiles => new()
    {
        { "stack_keras3.weights.h5", "keras3_stack_pre310.weights.h5", "stack_keras3" },
        { "simple.weights.h5", "keras3_simple.weights.h5", "simple" },
        { "deep.weights.h5", "keras3_deep.weights.h5", "deep" },
    };

    /// <summary>Models covering every layer kind and option that changes the saved layout or shapes.</summary>
    public static TheoryData<string> Models => new() { "stack_keras3", "simple", "deep", "timedistributed", "odd" };

    private static ModelInfo For(string model) => model == "odd"
        ? Model(
            "Odd", 7, 5,
            Gru(3) with { ResetAfter = false, ReturnSequences = true, UseBias = false },
            Lstm(5) with { Bidirectional = true, MergeMode = MergeMode.Sum, ReturnSequences = true },
            SimpleRnn(1) with { GoBackwards = true, Activation = "relu" },
            Dropout(0.5),
            Dense(3) with { Activation = "softmax" })
        : GeneratedLayoutTests.For(model);

    [Theory]
    [MemberData(nameof(Models))]
    public void A_saved_weights_h5_loads_back_bit_for_bit(string model)
    {
        ModelInfo info = For(model);
        var saved = new ReferenceRnnModel(info);
        saved.SetWeights(Awkward(info, seed: model.Length));

        var buffer = new MemoryStream();
        KerasWeights.Save(saved, buffer);
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}.weights.h5");
        try
        {
            File.WriteAllBytes(path, buffer.ToArray());
            Assert.Equal(WeightFormat.WeightsH5, KerasWeights.DetectFormat(path));
        }
        finally
        {
            File.Delete(path);
        }

        var loaded = new ReferenceRnnModel(info);
        KerasWeights.Load(loaded, new MemoryStream(buffer.ToArray()), WeightFormat.Detect);
        AssertBitIdentical(saved.GetWeights(), loaded.GetWeights());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_saved_keras_archive_loads_back_bit_for_bit_and_its_config_matches_the_declaration(string model)
    {
        // Loading a .keras checks every layer's configuration against the declaration (kind, units, activations, bias,
        // reset_after, direction, return_sequences, merge mode), so this also checks what config.json says.
        ModelInfo info = For(model);
        var saved = new ReferenceRnnModel(info);
        saved.SetWeights(Awkward(info, seed: 3 * model.Length));
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}.keras");
        try
        {
            KerasWeights.Save(saved, path);
            Assert.Equal(WeightFormat.Keras, KerasWeights.DetectFormat(path));
            var loaded = new ReferenceRnnModel(info);
            KerasWeights.Load(loaded, path);
            AssertBitIdentical(saved.GetWeights(), loaded.GetWeights());

            KerasFileInfo inspected = KerasWeights.Inspect(path);
            Assert.Equal("3.0.0", inspected.KerasVersion);
            Assert.Equal(info.Layers.Select(l => l.Name), inspected.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Name));

            using ZipArchive zip = ZipFile.OpenRead(path);
            Assert.Equal(new[] { "metadata.json", "config.json", "model.weights.h5" }, zip.Entries.Select(e => e.FullName));
            Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength)); // stored, as Python's zipfile writes it
            using var weightsFile = new MemoryStream();
            using (Stream stream = zip.GetEntry("model.weights.h5")!.Open())
            {
                stream.CopyTo(weightsFile);
            }

            Assert.Equal(KerasWeights.WeightsFile(info, saved.GetWeights()), weightsFile.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_generated_model_saves_what_it_loaded_and_predicts_the_same_after_loading_it_back()
    {
        var original = new Pasted.Keras3StackKeras.Keras3Stack();
        original.LoadWeights(Fixture.Path("generated/keras3_stack.keras"));
        float[] input = Enumerable.Range(0, 2 * 5 * 3).Select(i => MathF.Sin(0.7f * i)).ToArray();
        foreach (string extension in new[] { ".weights.h5", ".keras" })
        {
            string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}{extension}");
            try
            {
                KerasWeights.Save(original, path);
                var copy = new Pasted.Keras3StackKeras.Keras3Stack();
                KerasWeights.Load(copy, path);
                AssertBitIdentical(original.GetWeights(), copy.GetWeights());
                Assert.Equal(original.Predict(input)[0], copy.Predict(input)[0]);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData(".weights.h5", WeightFormat.WeightsH5)]
    [InlineData(".keras", WeightFormat.Keras)]
    [InlineData(".npz", WeightFormat.Npz)]
    public void A_generated_models_SaveWeights_writes_the_format_its_path_names(string extension, WeightFormat expected)
    {
        var original = new Pasted.Keras3StackKeras.Keras3Stack();
        original.LoadWeights(Fixture.Path("generated/keras3_stack.keras"));
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}{extension}");
        try
        {
            original.SaveWeights(path);
            Assert.Equal(expected, KerasWeights.DetectFormat(path));

            var copy = new Pasted.Keras3StackKeras.Keras3Stack();
            copy.LoadWeights(path);
            AssertBitIdentical(original.GetWeights(), copy.GetWeights());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_config_json_says_what_the_Keras_3_fixture_of_the_same_model_says()
    {
        // Every field RnnGen writes has the fixture's value (the fixture also lists initializers, regularizers and
        // constraints, which RnnGen leaves at Keras's defaults). build_input_shape is what Keras's Sequential.get_config
        // adds once the model has an input (keras/src/models/sequential.py); the fixture's generator leaves it out.
        IRnnModel model = new Pasted.Keras3StackKeras.Keras3Stack();
        using JsonDocument ours = JsonDocument.Parse(KerasWeights.ModelConfig(model.Info));
        using ZipArchive zip = ZipFile.OpenRead(Fixture.Path("generated/keras3_stack.keras"));
        using Stream config = zip.GetEntry("config.json")!.Open();
        using JsonDocument keras = JsonDocument.Parse(config);
        AssertSubset(ours.RootElement, keras.RootElement, "config.json", ignored: "build_input_shape");
    }

    internal static void AssertSubset(JsonElement ours, JsonElement keras, string where, string ignored)
    {
        switch (ours.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(keras.ValueKind == JsonValueKind.Object, $"{where}: an object, the fixture has {keras.ValueKind}");
                foreach (JsonProperty property in ours.EnumerateObject().Where(p => p.Name != ignored))
                {
                    Assert.True(keras.TryGetProperty(property.Name, out JsonElement theirs), $"{where}.{property.Name} is not in the fixture");
                    AssertSubset(property.Value, theirs, where + "." + property.Name, ignored);
                }

                break;
            case JsonValueKind.Array:
                Assert.True(keras.ValueKind == JsonValueKind.Array && keras.GetArrayLength() == ours.GetArrayLength(), $"{where}: {ours}, the fixture has {keras}");
                for (int i = 0; i < ours.GetArrayLength(); i++)
                {
                    AssertSubset(ours[i], keras[i], $"{where}[{i}]", ignored);
                }

                break;
            case JsonValueKind.Number:
                Assert.True(keras.ValueKind == JsonValueKind.Number && keras.GetDouble() == ours.GetDouble(), $"{where}: {ours}, the fixture has {keras}");
                break;
            default:
                Assert.True(ours.GetRawText() == keras.GetRawText(), $"{where}: {ours.GetRawText()}, the fixture has {keras.GetRawText()}");
                break;
        }
    }

    [Fact]
    public void The_saved_groups_are_those_of_the_Keras_3_fixture_of_the_same_model()
    {
        // RnnGen's reader lists both files; the h5wasm check below does the same with another HDF5 implementation.
        ModelInfo info = GeneratedLayoutTests.StackKeras3;
        byte[] saved = KerasWeights.WeightsFile(info, ExpectedWeights("stack_keras3"));
        Assert.Equal(
            Listing(Hdf5File.Open(Fixture.Bytes("generated/keras3_stack_pre310.weights.h5")).Root),
            Listing(Hdf5File.Open(saved).Root));
    }

    [Theory]
    [MemberData(nameof(CheckedFiles))]
    public void The_files_h5wasm_checked_are_what_the_writer_writes_today(string file, string reference, string model)
    {
        _ = reference;
        byte[] now = KerasWeights.WeightsFile(GeneratedLayoutTests.For(model), ExpectedWeights(model));
        string committed = Fixture.Path("saved/" + file);
        if (Environment.GetEnvironmentVariable("RNNGEN_WRITE_SAVED_FIXTURES") == "1")
        {
            // Refresh after a deliberate change to the writer, then rerun tests/golden/saved-weights (see its README).
            File.WriteAllBytes(Path.Combine(SourceDirectory(), "Fixtures", "saved", file), now);
            return;
        }

        Assert.True(
            now.AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
            $"The writer no longer writes Fixtures/saved/{file}: set RNNGEN_WRITE_SAVED_FIXTURES=1 and run this test to refresh it, " +
            "then run tests/golden/saved-weights (npm ci && npm run check) so that h5wasm checks the new bytes.");
    }

    [Theory]
    [MemberData(nameof(CheckedFiles))]
    public void H5wasm_read_the_saved_file_as_Keras_lays_out_the_same_model(string file, string reference, string model)
    {
        using JsonDocument check = Fixture.Json("saved/h5wasm-check.json");
        JsonElement entry = check.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == file);

        // The verdict concerns these very bytes.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Fixture.Bytes("saved/" + file))), entry.GetProperty("sha256").GetString());
        Assert.Equal(reference, entry.GetProperty("reference").GetString());

        // h5wasm found the same datasets (path, shape, dtype, bits) in both files, and the same groups less the empty vars
        // groups that only Keras 3.0-3.9 writes.
        Assert.Empty(entry.GetProperty("differences").EnumerateArray());
        Assert.True(entry.GetProperty("datasets").GetArrayLength() > 0);

        // What h5wasm read is the model's weights, in get_weights() order once the paths are put in Keras's order.
        ModelInfo info = GeneratedLayoutTests.For(model);
        float[][] expected = ExpectedWeights(model);
        var read = entry.GetProperty("datasets").EnumerateArray().ToDictionary(d => d.GetProperty("path").GetString()!, d => d);
        string[] paths = WeightPaths(info);
        Assert.Equal(paths.OrderBy(p => p, StringComparer.Ordinal), read.Keys.OrderBy(p => p, StringComparer.Ordinal));
        for (int i = 0; i < paths.Length; i++)
        {
            JsonElement dataset = read[paths[i]];
            Assert.Equal("<f4", dataset.GetProperty("dtype").GetString());
            Assert.Equal(info.Weights[i].Dimensions, dataset.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            uint[] bits = dataset.GetProperty("bits").EnumerateArray().Select(b => b.GetUInt32()).ToArray();
            Assert.Equal(expected[i].Select(BitConverter.SingleToUInt32Bits), bits);
        }
    }

    [Fact]
    public void H5py_on_HDF5_1_10_read_the_same_files_as_h5wasm_and_the_Keras_layout_fixtures()
    {
        // tests/golden/saved-weights/check_h5py.py: h5py, through which Keras reads weights, on an older HDF5 (1.10) than
        // h5wasm's 2.0. Each verdict is tied to the committed bytes, which the tests above tie to today's writer.
        using JsonDocument check = Fixture.Json("saved/h5py-check.json");
        JsonElement root = check.RootElement;
        Assert.StartsWith("h5py ", root.GetProperty("reader").GetString());
        var checkedFiles = root.GetProperty("files").EnumerateArray()
            .Select(f => (File: f.GetProperty("file").GetString()!, Entry: f))
            .Append((File: "features.h5", Entry: root.GetProperty("features")))
            .Append((File: "attributes.h5", Entry: root.GetProperty("attributes")))
            .ToList();
        Assert.Equal(CheckedFiles.Select(row => (string)row[0]).Concat(new[] { "features.h5", "attributes.h5" }), checkedFiles.Select(c => c.File));
        foreach (var (file, entry) in checkedFiles)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Fixture.Bytes("saved/" + file))), entry.GetProperty("sha256").GetString());
            Assert.Empty(entry.GetProperty("differences").EnumerateArray());
        }
    }

    [Fact]
    public void H5wasm_read_string_and_integer_attributes_as_h5py_writes_them()
    {
        byte[] now = AttributeFile();
        if (Environment.GetEnvironmentVariable("RNNGEN_WRITE_SAVED_FIXTURES") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceDirectory(), "Fixtures", "saved", "attributes.h5"), now);
            return;
        }

        Assert.True(now.AsSpan().SequenceEqual(Fixture.Bytes("saved/attributes.h5")), "The writer no longer writes Fixtures/saved/attributes.h5; see the test above.");
        using JsonDocument check = Fixture.Json("saved/h5wasm-check.json");
        JsonElement attributes = check.RootElement.GetProperty("attributes");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(now)), attributes.GetProperty("sha256").GetString());
        var values = attributes.GetProperty("values").EnumerateArray()
            .ToDictionary(a => a.GetProperty("path").GetString()!, a => (Type: a.GetProperty("type").GetString(), Value: a.GetProperty("value").ToString()));
        Assert.Equal(("string", "tensorflow"), values["/backend"]);
        Assert.Equal(("string", "Grüße, Keras 3 ✓"), values["/note"]);
        Assert.Equal(("integer", "-9007199254740993"), values["/layers/count"]);
        Assert.Equal(("string", "tensorflow"), values["/layers/backend"]); // the same string, stored once in the heap

        // RnnGen's reader agrees on the strings.
        Hdf5File hdf5 = Hdf5File.Open(now);
        Assert.Equal("Grüße, Keras 3 ✓", hdf5.Root.Attribute("note")!.ReadString());
        Assert.Equal("tensorflow", hdf5.Resolve("layers")!.Attribute("backend")!.ReadString());
    }

    [Fact]
    public void H5wasm_and_RnnGen_read_every_encoding_branch_of_the_writer()
    {
        // Beyond what Keras files need: 300 links in one compact group, a link name over 255 bytes (two-byte length), a
        // non-ASCII link name (UTF-8 character set), an empty dataset (no data address), a scalar, a 3-D array.
        var (bytes, written) = FeatureFile();
        if (Environment.GetEnvironmentVariable("RNNGEN_WRITE_SAVED_FIXTURES") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceDirectory(), "Fixtures", "saved", "features.h5"), bytes);
            return;
        }

        Assert.True(bytes.AsSpan().SequenceEqual(Fixture.Bytes("saved/features.h5")), "The writer no longer writes Fixtures/saved/features.h5; see above.");
        using JsonDocument check = Fixture.Json("saved/h5wasm-check.json");
        JsonElement features = check.RootElement.GetProperty("features");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), features.GetProperty("sha256").GetString());
        var read = features.GetProperty("datasets").EnumerateArray().ToDictionary(
            d => d.GetProperty("path").GetString()!,
            d => (Shape: d.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray(), Bits: d.GetProperty("bits").EnumerateArray().Select(b => b.GetUInt32()).ToArray()));
        Assert.Equal(written.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("/names/" + new string('n', 300), features.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));

        Hdf5File hdf5 = Hdf5File.Open(bytes);
        foreach (var (path, (shape, values)) in written)
        {
            Assert.Equal(shape, read[path].Shape);
            Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), read[path].Bits);
            Hdf5Dataset dataset = hdf5.Resolve(path)!.Dataset;
            Assert.Equal(shape.Select(d => (long)d), dataset.Dataspace.Dimensions);
            Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), dataset.ReadFloats(values.Length).Select(BitConverter.SingleToUInt32Bits));
        }
    }

    /// <summary>The file of the encoding check, with each dataset written (path, shape, values).</summary>
    internal static (byte[] Bytes, Dictionary<string, (int[] Shape, float[] Values)> Written) FeatureFile()
    {
        var written = new Dictionary<string, (int[], float[])>();
        var file = new Hdf5Writer();
        void Add(Hdf5WriterGroup group, string name, float[] values, params int[] shape)
        {
            group.Dataset(name, values, shape);
            written[(group.Path == "/" ? "" : group.Path) + "/" + name] = (shape, values);
        }

        Hdf5WriterGroup many = file.Root.Group("many");
        for (int i = 0; i < 300; i++)
        {
            Add(many, "d" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { i * 0.5f }, 1);
        }

        Hdf5WriterGroup names = file.Root.Group("names");
        names.Group(new string('n', 300));
        Add(names, "größe ✓", new[] { 1f, -2f }, 2);
        Add(file.Root, "empty", Array.Empty<float>(), 0, 3);
        Add(file.Root, "scalar", new[] { 2.5f });
        Add(file.Root, "cube", Enumerable.Range(0, 24).Select(i => MathF.Sqrt(i) - 2).ToArray(), 2, 3, 4);
        return (file.ToArray(), written);
    }

    [Fact]
    public void Saving_twice_writes_the_same_bytes()
    {
        ModelInfo info = For("odd");
        float[][] weights = Awkward(info, seed: 1);
        Assert.Equal(KerasWeights.WeightsFile(info, weights), KerasWeights.WeightsFile(info, weights));
    }

    [Fact]
    public void A_path_Keras_would_not_read_as_this_layout_is_refused_and_nothing_is_written()
    {
        var model = new ReferenceRnnModel(For("simple"));
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}.h5");
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Save(model, path));
        Assert.Contains("ends in neither .weights.h5 nor .keras", error.Message);
        Assert.Contains("legacy Keras 2 format", error.Message);
        Assert.False(File.Exists(path));

        var npz = Assert.Throws<ArgumentException>(() => KerasWeights.Save(model, new MemoryStream(), WeightFormat.Npz));
        Assert.Contains("use SaveNpz", npz.Message);
        Assert.Throws<ArgumentException>(() => KerasWeights.Save(model, new MemoryStream(new byte[8], writable: false)));
    }

    [Fact]
    public void A_model_Keras_3_cannot_rebuild_is_refused_as_keras_with_every_reason_and_an_existing_file_is_kept()
    {
        ModelInfo info = Model(
            "Keras2Style", 4, 2,
            Lstm(3) with { RecurrentActivation = "hard_sigmoid_keras2", ReturnSequences = true },
            Gru(2) with { Bidirectional = true, MergeMode = MergeMode.None });
        var model = new ReferenceRnnModel(info);
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-save-{Guid.NewGuid():N}.keras");
        File.WriteAllText(path, "previous contents");
        try
        {
            var error = Assert.Throws<ArgumentException>(() => KerasWeights.Save(model, path));
            Assert.StartsWith("Keras2Style cannot be saved as a .keras archive", error.Message);
            Assert.Contains("layer 'lstm' uses hard_sigmoid_keras2", error.Message);
            Assert.Contains("layer 'bidirectional' has MergeMode.None", error.Message);
            Assert.Contains("Save it as .weights.h5 instead", error.Message);
            Assert.Equal("previous contents", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));

            // The weights alone still go to Keras.
            var buffer = new MemoryStream();
            KerasWeights.Save(model, buffer);
            KerasWeights.Load(new ReferenceRnnModel(info), new MemoryStream(buffer.ToArray()), WeightFormat.WeightsH5);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Weights_that_do_not_fit_the_declaration_are_refused_before_anything_is_written()
    {
        var model = new WrongWeightsModel(For("simple"));
        var buffer = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Save(model, buffer));
        Assert.Contains("simple_rnn/kernel", error.Message);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void The_writer_refuses_names_and_shapes_HDF5_cannot_hold()
    {
        var file = new Hdf5Writer();
        Assert.Throws<ArgumentException>(() => file.Root.Group("a/b"));
        Assert.Throws<ArgumentException>(() => file.Root.Group(""));
        file.Root.Dataset("x", new float[6], new[] { 2, 3 });
        Assert.Contains("already exists", Assert.Throws<ArgumentException>(() => file.Root.Dataset("x", new float[1], new[] { 1 })).Message);
        Assert.Contains("is a dataset, not a group", Assert.Throws<ArgumentException>(() => file.Root.Group("x")).Message);
        Assert.Contains("holds 6 values; 5 were given", Assert.Throws<ArgumentException>(() => file.Root.Dataset("y", new float[5], new[] { 2, 3 })).Message);
        file.Root.Attribute("a", 1);
        Assert.Throws<ArgumentException>(() => file.Root.Attribute("a", "again"));
    }

    /// <summary>The file of the attribute check: what h5py writes for Python str and int attributes.</summary>
    internal static byte[] AttributeFile()
    {
        var file = new Hdf5Writer();
        file.Root.Attribute("backend", "tensorflow");
        file.Root.Attribute("note", "Grüße, Keras 3 ✓");
        Hdf5WriterGroup layers = file.Root.Group("layers");
        layers.Attribute("count", -9007199254740993); // not a double: a reader must keep all 64 bits
        layers.Attribute("backend", "tensorflow");
        layers.Dataset("scalar", new[] { 1.5f }, Array.Empty<int>());
        return file.ToArray();
    }

    /// <summary>Random weights plus values a lossy writer would change: -0, subnormals, extremes, infinities, a NaN payload.</summary>
    private static float[][] Awkward(ModelInfo info, int seed)
    {
        var random = new Random(seed);
        float[] special = { -0f, float.Epsilon, -1e-40f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, BitConverter.UInt32BitsToSingle(0x7FC0_1234) };
        int s = 0;
        return info.Weights.Select(w =>
        {
            float[] values = Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            values[0] = special[s++ % special.Length];
            return values;
        }).ToArray();
    }

    private static void AssertBitIdentical(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Select(BitConverter.SingleToUInt32Bits), actual[i].Select(BitConverter.SingleToUInt32Bits));
        }
    }

    private static float[][] ExpectedWeights(string model)
    {
        using JsonDocument expected = Fixture.Json($"generated/expected_{model}.json");
        return expected.RootElement.GetProperty("weights").EnumerateArray().Select(Fixture.Floats).ToArray();
    }

    /// <summary>
    /// Where Keras 3 keeps each weight of <paramref name="info"/>, in get_weights() order, spelled out per layer kind here
    /// (the fixtures' generator and keras/src/saving/saving_lib.py) rather than taken from the writer.
    /// </summary>
    private static string[] WeightPaths(ModelInfo info)
    {
        var paths = new List<string>();
        var counts = new Dictionary<string, int>();
        foreach (LayerInfo layer in info.Layers)
        {
            string stem = layer.Bidirectional ? "bidirectional" : layer.Kind switch
            {
                LayerKind.Lstm => "lstm",
                LayerKind.Gru => "gru",
                LayerKind.SimpleRnn => "simple_rnn",
                LayerKind.Dense => "dense",
                _ => "dropout",
            };
            counts[stem] = counts.TryGetValue(stem, out int n) ? n + 1 : 0;
            string group = "/layers/" + (counts[stem] == 0 ? stem : $"{stem}_{counts[stem]}");
            int perDirection = layer.Bidirectional ? layer.Weights.Count / 2 : layer.Weights.Count;
            for (int i = 0; i < layer.Weights.Count; i++)
            {
                string where = layer.Kind == LayerKind.Dense ? group
                    : layer.Bidirectional ? $"{group}/{(i < perDirection ? "forward_layer" : "backward_layer")}/cell"
                    : group + "/cell";
                paths.Add($"{where}/vars/{i % perDirection}");
            }
        }

        return paths.ToArray();
    }

    private static List<string> Listing(Hdf5Object group)
    {
        var lines = new List<string>();
        foreach (string name in group.ChildNames.OrderBy(n => n, StringComparer.Ordinal))
        {
            Hdf5Object child = group.Child(name)!;
            lines.Add(child.IsDataset ? $"{child.Path} [{string.Join(", ", child.Dataset.Dataspace.Dimensions)}]" : child.Path + "/");
            if (child.IsGroup)
            {
                lines.AddRange(Listing(child));
            }
        }

        return lines;
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    /// <summary>A model whose GetWeights breaks its own declaration (one array too short).</summary>
    private sealed class WrongWeightsModel : IRnnModel
    {
        public WrongWeightsModel(ModelInfo info) => Info = info;

        public ModelInfo Info { get; }

        public float[][] GetWeights() => Info.Weights.Select((w, i) => new float[i == 0 ? w.Length - 1 : w.Length]).ToArray();

        public void SetWeights(IReadOnlyList<float[]> weights) => throw new NotSupportedException();

        public float[][] Predict(ReadOnlySpan<float> input) => throw new NotSupportedException();

        public int Predict(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

        public void ResetStates()
        {
        }
    }
}
