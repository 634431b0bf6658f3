using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using RnnGen.Formats.Hdf5;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Damaged and foreign files: each must fail with an <see cref="InvalidDataException"/> (or, for a readable file of the
/// wrong model, an <see cref="ArgumentException"/>) that says what was expected, quickly and without huge allocations.
/// </summary>
public sealed class BadInputTests
{
    private static readonly ModelInfo Simple = GeneratedLayoutTests.Simple;

    [Theory]
    [InlineData("generated/keras3_simple.weights.h5")]       // superblock 3
    [InlineData("generated/keras2_stack_weights.h5")]       // superblock 2
    [InlineData("generated/keras3_stack_pre310.weights.h5")] // superblock 0
    [InlineData("generated/keras3_stack.keras")]             // zip, stored
    [InlineData("generated/keras3_stack_deflated.keras")]    // zip, deflated
    [InlineData("generated/keras3_stack_compressed.npz")]
    public void Every_truncation_fails_cleanly(string file)
    {
        byte[] bytes = Fixture.Bytes(file);
        ModelInfo info = file.Contains("simple", StringComparison.Ordinal) ? Simple : file.Contains("keras2", StringComparison.Ordinal) ? GeneratedLayoutTests.StackKeras2 : GeneratedLayoutTests.StackKeras3;
        int step = Math.Max(1, bytes.Length / 1500);
        for (int length = 0; length < bytes.Length; length += step)
        {
            byte[] cut = bytes.AsSpan(0, length).ToArray();
            var error = Assert.ThrowsAny<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(cut), WeightFormat.Detect, info));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Theory]
    [InlineData("generated/keras3_stack_pre310.weights.h5", 0)]
    [InlineData("generated/keras2_stack_weights.h5", 2)]
    [InlineData("generated/keras3_simple.weights.h5", 3)]
    public void Truncations_that_keep_a_consistent_superblock_are_caught_by_the_structures_themselves(string file, int version)
    {
        // Cutting the file and rewriting the superblock's end-of-file address (and, for versions 2 and 3, its checksum)
        // gets past the first check; every structure read must then still stop at the end of the data.
        byte[] bytes = Fixture.Bytes(file);
        ModelInfo info = file.Contains("simple", StringComparison.Ordinal) ? Simple : file.Contains("keras2", StringComparison.Ordinal) ? GeneratedLayoutTests.StackKeras2 : GeneratedLayoutTests.StackKeras3;
        Assert.Equal(version, bytes[8]);
        for (int length = 64; length < bytes.Length; length += Math.Max(1, bytes.Length / 700))
        {
            byte[] cut = bytes.AsSpan(0, length).ToArray();
            RewriteEndOfFile(cut, version);
            Exception? error = Record.Exception(() => KerasWeights.Read(new MemoryStream(cut), WeightFormat.Detect, info));
            Assert.True(error is InvalidDataException, $"cut at {length}: {error?.GetType().Name}: {error?.Message}");
        }
    }

    [Fact]
    public void A_wrong_signature_is_named()
    {
        byte[] bytes = Fixture.Bytes("generated/keras3_simple.weights.h5");
        bytes[1] = (byte)'X';
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(bytes), WeightFormat.Detect, Simple));
        Assert.Contains("Not a Keras weight file", error.Message);
        Assert.Contains("\\x89HDF", error.Message);

        var empty = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(Array.Empty<byte>())));
        Assert.Contains("Not a Keras weight file", empty.Message);
    }

    [Fact]
    public void A_zip_without_model_weights_is_neither_keras_nor_npz()
    {
        byte[] onlyConfig = Zip(("config.json", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": []}}"));
        var keras = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(onlyConfig), WeightFormat.Detect, Simple));
        Assert.Contains("has no model.weights.h5", keras.Message);

        byte[] other = Zip(("readme.txt", "hello"));
        var neither = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(other)));
        Assert.Contains("without model.weights.h5", neither.Message);
        Assert.Contains("readme.txt", neither.Message);
    }

    [Fact]
    public void An_hdf5_file_that_is_not_a_keras_file_says_what_it_lacks()
    {
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(Fixture.Path("generated/hdf5_features_v0.h5")));
        Assert.Contains("neither a 'layers' group", error.Message);
    }

    [Fact]
    public void Hard_link_cycles_do_not_stop_loading_or_inspecting()
    {
        var watch = Stopwatch.StartNew();
        float[][] weights = KerasWeights.Read(Fixture.Path("generated/hard_link_cycle.weights.h5"), Simple);
        Assert.Equal(4, weights.Length);
        KerasFileInfo info = KerasWeights.Inspect(Fixture.Path("generated/hard_link_cycle.weights.h5"));
        Assert.Equal(new[] { "simple_rnn", "dense" }, info.Layers.Select(l => l.Name));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_soft_link_cycle_fails_cleanly()
    {
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(Fixture.Path("generated/soft_link_cycle.weights.h5"), Simple));
        Assert.Contains("soft link", error.Message);
    }

    [Fact]
    public void A_group_btree_pointing_at_itself_is_caught()
    {
        // hdf5_features_v0.h5: big_group's 300 members need an internal group B-tree node (level 1); point its first
        // child back at itself.
        byte[] bytes = Fixture.Bytes("generated/hdf5_features_v0.h5");
        int node = FindBTreeNode(bytes, type: 0, minimumLevel: 1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(node + 32), node); // TREE, type, level, entries, 2 siblings, key 0
        Hdf5File file = Hdf5File.Open(bytes);
        var error = Assert.Throws<InvalidDataException>(() => file.Resolve("big_group")!.ChildNames.ToList());
        Assert.Contains("B-tree", error.Message);
    }

    [Fact]
    public void A_chunk_btree_pointing_at_itself_is_caught()
    {
        // chunked_many has 150 chunks: a two-level chunk B-tree (type 1) in the superblock-0 file.
        byte[] bytes = Fixture.Bytes("generated/hdf5_features_v0.h5");
        int node = FindBTreeNode(bytes, type: 1, minimumLevel: 1);
        int keySize = 4 + 4 + 8 * 2; // chunk size, filter mask, offsets for rank 1 + 1
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(node + 24 + keySize), node);
        Hdf5File file = Hdf5File.Open(bytes);
        var error = Assert.Throws<InvalidDataException>(() => file.Resolve("chunked_many")!.Dataset.ReadFloats(1000));
        Assert.Contains("B-tree", error.Message);
    }

    [Fact]
    public void Absurd_dimensions_are_refused_before_anything_is_allocated()
    {
        // Rewrite the [3, 16] kernel of layers/bidirectional/forward_layer/cell/vars/0 (a version 1 dataspace with maximum dimensions, in the
        // superblock-0 file) to [2^40, 16].
        byte[] bytes = Fixture.Bytes("generated/keras3_stack_pre310.weights.h5");
        byte[] dataspace = { 1, 2, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0 };
        int at = bytes.AsSpan().IndexOf(dataspace);
        Assert.True(at > 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 8), 1L << 40);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var inspect = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(bytes)));
        Assert.Contains("impossible shape", inspect.Message);
        Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(bytes), WeightFormat.Detect, GeneratedLayoutTests.StackKeras3));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20);
    }

    [Fact]
    public void An_attribute_claiming_more_strings_than_it_stores_is_refused()
    {
        // layer_names of keras2_stack_model.h5 (superblock 0): a version 1 dataspace of 5 names; claim 2^40.
        byte[] bytes = Fixture.Bytes("generated/keras2_stack_model.h5");
        byte[] dataspace = { 1, 1, 1, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0 };
        int at = bytes.AsSpan().IndexOf(dataspace);
        Assert.True(at > 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 8), 1L << 40);
        Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(bytes)));
    }

    [Fact]
    public void Npy_headers_with_absurd_shapes_or_other_types_are_refused()
    {
        byte[] huge = Zip(("arr_0.npy", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000000,), }", 16)));
        var shape = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(huge)));
        Assert.Contains("needs more bytes than", shape.Message);

        byte[] integers = Zip(("arr_0.npy", Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16)));
        var dtype = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(integers)));
        Assert.Contains("dtype '<i8'", dtype.Message);

        byte[] garbage = Zip(("arr_0.npy", Npy("{'descr': '<f4', 'shape': [2], }", 16)));
        Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(garbage)));
    }

    [Fact]
    public void A_dataset_of_the_wrong_type_is_named()
    {
        // The .keras archive's optimizer/vars/0 is the int64 iteration counter.
        var zip = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras");
        Hdf5File file = Hdf5File.Open(zip.Read("model.weights.h5", long.MaxValue));
        var error = Assert.Throws<InvalidDataException>(() => file.Resolve("optimizer/vars/0")!.Dataset.ReadFloats(10));
        Assert.Contains("64-bit little-endian signed integer", error.Message);
        Assert.Contains("float32 or float64", error.Message);
    }

    [Fact]
    public void A_bad_config_json_is_reported_as_invalid_data()
    {
        byte[] weights = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras").Read("model.weights.h5", long.MaxValue);
        byte[] archive = Zip(("config.json", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [ {\"class_name\": 5} ]}}"), ("model.weights.h5", weights));
        Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(archive)));
        byte[] notJson = Zip(("config.json", "{ nope"), ("model.weights.h5", weights));
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(notJson)));
        Assert.Contains("not valid JSON", error.Message);
    }

    private static void RewriteEndOfFile(byte[] file, int version)
    {
        if (version == 0)
        {
            // Superblock 0: signature 8, versions and sizes 8, K values 4, flags 4, base, free space, EOF, driver.
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(40), file.Length);
        }
        else
        {
            // Superblock 2/3: signature 8, version, sizes, flags (4 bytes), base, extension, EOF, root, checksum.
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(28), file.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(44), JenkinsLookup3.Hash(file.AsSpan(0, 44)));
        }
    }

    private static int FindBTreeNode(byte[] bytes, int type, int minimumLevel)
    {
        for (int i = 0; i + 8 < bytes.Length; i++)
        {
            if (bytes[i] == 'T' && bytes[i + 1] == 'R' && bytes[i + 2] == 'E' && bytes[i + 3] == 'E' && bytes[i + 4] == type && bytes[i + 5] >= minimumLevel)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no version 1 B-tree node of type {type} at level >= {minimumLevel} in the fixture");
    }

    internal static byte[] Npy(string header, int dataBytes)
    {
        string padded = header;
        while ((10 + padded.Length + 1) % 64 != 0)
        {
            padded += " ";
        }

        padded += "\n";
        var bytes = new byte[10 + padded.Length + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)padded.Length);
        Encoding.ASCII.GetBytes(padded).CopyTo(bytes, 10);
        return bytes;
    }

    internal static byte[] Zip(params (string Name, object Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using Stream entry = archive.CreateEntry(name).Open();
                entry.Write(content is string text ? Encoding.UTF8.GetBytes(text) : (byte[])content);
            }
        }

        return stream.ToArray();
    }
}
