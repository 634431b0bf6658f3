using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;

namespace RnnGen.Formats.Tests;

/// <summary>
/// The HDF5 reader against files written by the real HDF5 library: h5wasm-generated files covering each superblock
/// version, group storage, attribute encoding and chunk index (expected values computed by the generator from the same
/// formulas it wrote), and real Keras files from dl4j-test-resources and frugally-deep.
/// </summary>
public sealed class Hdf5ReaderTests
{
    public static TheoryData<string, int> FeatureFiles => new()
    {
        { "hdf5_features_v0.h5", 0 },
        { "hdf5_features_v2.h5", 2 },
        { "hdf5_features_v3.h5", 3 },
    };

    [Theory]
    [MemberData(nameof(FeatureFiles))]
    public void Every_dataset_reads_back_the_values_h5wasm_wrote(string file, int superblock)
    {
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/" + file));
        Assert.Equal(superblock, hdf5.SuperblockVersion);
        using JsonDocument expected = Fixture.Json("generated/expected_hdf5_features.json");
        JsonElement datasets = expected.RootElement.GetProperty(file).GetProperty("datasets");
        int checkedCount = 0;
        foreach (JsonProperty entry in datasets.EnumerateObject())
        {
            Hdf5Object? found = hdf5.Resolve(entry.Name);
            Assert.True(found is not null, $"{file}: {entry.Name} not found");
            Hdf5Dataset dataset = found!.Dataset;
            Assert.Equal(Fixture.Longs(entry.Value.GetProperty("shape")), dataset.Dataspace.Dimensions);
            float[] values = dataset.ReadFloats(long.MaxValue);
            float[] wanted = Fixture.Floats(entry.Value.GetProperty("values"));
            Assert.True(wanted.SequenceEqual(values), $"{file}: {entry.Name} ({dataset.StorageDescription}) differs at element {FirstDifference(wanted, values)}");
            checkedCount++;
        }

        Assert.True(checkedCount >= 7);
    }

    [Fact]
    public void Compact_big_endian_filter_chains_and_fill_values_from_h5py_read_back()
    {
        // h5py_extras.h5: what h5wasm cannot write (compact layout, shuffle+deflate+fletcher32, big-endian, a fill value).
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/h5py_extras.h5"));
        using JsonDocument expected = Fixture.Json("generated/expected_h5py_extras.json");
        var seen = new List<string>();
        foreach (JsonProperty entry in expected.RootElement.GetProperty("datasets").EnumerateObject())
        {
            Hdf5Dataset dataset = hdf5.Resolve(entry.Name)!.Dataset;
            Assert.Equal(Fixture.Longs(entry.Value.GetProperty("shape")), dataset.Dataspace.Dimensions);
            Assert.Equal(Fixture.Floats(entry.Value.GetProperty("values")), dataset.ReadFloats(long.MaxValue));
            seen.Add($"{entry.Name}: {dataset.Layout} {string.Join("+", dataset.Filters.Select(f => f.Id))} {(dataset.Datatype.BigEndian ? "BE" : "LE")}");
        }

        Assert.Contains("compact: Compact  LE", seen);
        Assert.Contains("shuffle_deflate_fletcher: Chunked 2+1+3 LE", seen);
        Assert.Contains("big_endian_f64_chunked: Chunked 1 BE", seen);
        Assert.Equal(new[] { "bidirectional/forward_lstm/kernel:0", "dense/bias:0" }, hdf5.Root.Attribute("weight_names")!.ReadStrings());
    }

    [Fact]
    public void Implicit_and_filtered_single_chunk_indexes_from_h5py_read_back()
    {
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/h5py_latest.h5"));
        using JsonDocument expected = Fixture.Json("generated/expected_h5py_extras.json");
        foreach (JsonProperty entry in expected.RootElement.GetProperty("latest").EnumerateObject())
        {
            Hdf5Dataset dataset = hdf5.Resolve(entry.Name)!.Dataset;
            Assert.Equal(Fixture.Floats(entry.Value.GetProperty("values")), dataset.ReadFloats(long.MaxValue));
        }

        Assert.Equal(Hdf5ChunkIndex.Implicit, hdf5.Resolve("implicit")!.Dataset.ChunkIndex);
        Assert.Equal(Hdf5ChunkIndex.SingleChunk, hdf5.Resolve("single_filtered")!.Dataset.ChunkIndex);
    }

    [Fact]
    public void A_corrupted_fletcher32_chunk_is_reported()
    {
        byte[] bytes = Fixture.Bytes("generated/h5py_extras.h5");
        Hdf5File pristine = Hdf5File.Open(bytes);
        Hdf5Dataset dataset = pristine.Resolve("shuffle_deflate_fletcher")!.Dataset;
        Assert.NotNull(dataset);
        // Flip one bit in every chunk's compressed bytes by locating the deflate streams: damage the last 4 bytes of
        // the data region, where the checksums and deflate tails live, and expect a clean InvalidDataException.
        int damaged = 0;
        for (int i = 0; i < bytes.Length - 2; i++)
        {
            if (bytes[i] == 0x78 && (bytes[i + 1] == 0x9C || bytes[i + 1] == 0xDA || bytes[i + 1] == 0x01 || bytes[i + 1] == 0x5E))
            {
                bytes[i + 8] ^= 0x10;
                damaged++;
            }
        }

        Assert.True(damaged > 0);
        Hdf5File corrupt = Hdf5File.Open(bytes);
        Assert.Throws<InvalidDataException>(() => corrupt.Resolve("shuffle_deflate_fletcher")!.Dataset.ReadFloats(long.MaxValue));
    }

    [Fact]
    public void The_latest_format_file_uses_every_chunk_index()
    {
        // Guards the fixture itself: if the generator stopped producing an index type, the test above would silently
        // stop covering it.
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/hdf5_features_v3.h5"));
        var indexes = new[] { "single_chunk", "fixed_paged", "earray_dim0", "btree2", "chunked_deflate" }
            .Select(name => hdf5.Resolve(name)!.Dataset.ChunkIndex)
            .ToArray();
        Assert.Equal(
            new[] { Hdf5ChunkIndex.SingleChunk, Hdf5ChunkIndex.FixedArray, Hdf5ChunkIndex.ExtensibleArray, Hdf5ChunkIndex.BTreeV2, Hdf5ChunkIndex.FixedArray },
            indexes);
        Assert.Equal(Hdf5ChunkIndex.BTreeV1, Hdf5File.Open(Fixture.Bytes("generated/hdf5_features_v0.h5")).Resolve("chunked_deflate")!.Dataset.ChunkIndex);
    }

    [Theory]
    [MemberData(nameof(FeatureFiles))]
    public void Attributes_read_as_the_strings_written(string file, int superblock)
    {
        _ = superblock;
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/" + file));
        using JsonDocument expected = Fixture.Json("generated/expected_hdf5_features.json");
        foreach (JsonProperty entry in expected.RootElement.GetProperty(file).GetProperty("attributes").EnumerateObject())
        {
            string[] parts = entry.Name.Split('@');
            Hdf5Object owner = hdf5.Resolve(parts[0])!;
            Hdf5Attribute? attribute = owner.Attribute(parts[1]);
            Assert.True(attribute is not null, $"{file}: attribute {entry.Name} not found");
            string[] wanted = entry.Value.EnumerateArray().Select(v => v.GetString()!).ToArray();
            Assert.Equal(wanted, attribute!.ReadStrings());
        }
    }

    [Theory]
    [MemberData(nameof(FeatureFiles))]
    public void A_group_with_300_members_lists_them_all(string file, int superblock)
    {
        _ = superblock;
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("generated/" + file));
        Hdf5Object group = hdf5.Resolve("big_group")!;
        var names = group.ChildNames.ToHashSet();
        Assert.Equal(300, names.Count);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Contains($"member_{i:D3}", names));
        Assert.Equal(new[] { 123f }, hdf5.Resolve("big_group/member_123/value")!.Dataset.ReadFloats(10));
    }

    [Fact]
    public void Reads_the_recorded_inputs_of_a_real_keras_file()
    {
        // dl4j-test-resources: /inputs/simple_rnn_1_input is (25, 1, 1) float32, written by h5py under Keras 2.1.3.
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("dl4j-test-resources/simple_rnn_tf_keras_2_inputs_and_outputs.h5"));
        Hdf5Dataset inputs = hdf5.Resolve("inputs/simple_rnn_1_input")!.Dataset;
        Assert.Equal(new long[] { 25, 1, 1 }, inputs.Dataspace.Dimensions);
        Assert.Equal(25, inputs.ReadFloats(100).Length);
        Assert.Equal(new long[] { 25, 50 }, hdf5.Resolve("activations/simple_rnn_1")!.Dataset.Dataspace.Dimensions);
    }

    [Fact]
    public void Reads_string_attributes_of_a_real_keras_file()
    {
        Hdf5File hdf5 = Hdf5File.Open(Fixture.Bytes("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"));
        Assert.Equal("2.2.4-tf", hdf5.Root.Attribute("keras_version")!.ReadString());
        Assert.Equal(new[] { "input_6", "bidirectional_2", "activation_5" }, hdf5.Resolve("model_weights")!.Attribute("layer_names")!.ReadStrings());
        // Keras writes an empty weight_names as an empty float64 array.
        Assert.Empty(hdf5.Resolve("model_weights/input_6")!.Attribute("weight_names")!.ReadStrings());
        string[] weightNames = hdf5.Resolve("model_weights/bidirectional_2")!.Attribute("weight_names")!.ReadStrings();
        Assert.Equal("bidirectional_2/forward_lstm_1/kernel:0", weightNames[0]);
        Assert.Equal("bidirectional_2/backward_lstm_1/bias:0", weightNames[5]);
    }

    [Fact]
    public void Not_an_hdf5_file_says_so()
    {
        var error = Assert.Throws<InvalidDataException>(() => Hdf5File.Open(System.Text.Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip")));
        Assert.Contains("no HDF5 signature", error.Message);
    }

    private static int FirstDifference(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        for (int i = 0; i < System.Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return System.Math.Min(a.Count, b.Count);
    }

    [Fact]
    public void A_deflated_chunk_that_zlib_rejects_with_an_error_code_is_invalid_data()
    {
        // A zlib header with FDICT set (0x78 0xBB; 0x78BB is a multiple of 31) asks for a preset dictionary, which HDF5
        // never uses: zlib answers Z_NEED_DICT, which System.IO.Compression throws as ZLibException, an IOException.
        // The long fuzz run found it in a mutated chunk (seed 1206); it must be InvalidDataException like any corrupt chunk.
        byte[] chunk = { 0x78, 0xBB, 0x00, 0x00, 0x00, 0x01, 0x63, 0x60, 0x00, 0x00 };
        var error = Assert.Throws<InvalidDataException>(() => Hdf5Filters.Decode(new Hdf5Filter(1, null, 0, []), chunk, 16, 4, "chunk of 'kernel'"));
        Assert.Contains("not a valid deflate (zlib) stream", error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.IsNotType<InvalidDataException>(error.InnerException); // zlib's own error, not the stream check's
    }
}
