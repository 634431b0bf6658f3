using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit.Abstractions;

namespace RnnGen.Formats.Tests;

/// <summary>
/// The files in Fixtures/fuzz-findings (see its README): hostile or fuzzed inputs that once cost minutes, gigabytes or an
/// undocumented exception. Each must now be refused with <see cref="InvalidDataException"/> (or, where the file reads
/// but does not match the declaration, <see cref="ArgumentException"/>), allocate at most a small multiple of its size,
/// leave the model as it was, and get a one-line answer with exit code 1 from <c>rnngen inspect</c>.
/// </summary>
public sealed class FuzzFindingTests
{
    /// <summary>
    /// A refused load may allocate this many times the file's size, plus <see cref="FixedAllocation"/>: reading the
    /// whole file into memory is one times, parsing its structures a few more.
    /// </summary>
    internal const int AllocationPerFileByte = 16;

    /// <summary>
    /// What any load may allocate whatever the file's size: the readers, their tables, the error message, and the
    /// description of up to <see cref="Keras.KerasFileReader.MaxLayers"/> layers (a few kilobytes each, for a link of
    /// some 20 bytes).
    /// </summary>
    internal const long FixedAllocation = 16L << 20;

    private readonly ITestOutputHelper _output;

    public FuzzFindingTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Each finding with the declaration it is loaded for (the model its file was made from); whether the file reads
    /// but does not match it (a plain <see cref="ArgumentException"/>) rather than being refused as damaged; and
    /// whether Inspect, which reads structure and no weight data, describes it (in time and output linear in the file).
    /// </summary>
    public static TheoryData<string, string, bool, bool> Findings => new()
    {
        { "01_lone_surrogate_config.keras", "stack", false, false },
        { "02_lone_surrogate_metadata.keras", "stack", false, false },
        { "03_fuzz_case11849_config_surrogate.keras", "stack", false, false },
        { "04_softlink_fanout_w64_d4.weights.h5", "stack", true, true },
        { "07_repeated_chunk_e1000.weights.h5", "rnn1", false, true },
        { "09_many_arrays_5500.npz", "stack", true, true },
        { "10_many_layers_100000.keras", "stack", false, false },
        { "11_bomb_config_json_256MiB.keras", "stack", false, false },
        { "12_bomb_model_weights_900MiB.keras", "stack", false, false },
    };

    // SimpleRNN(1) on one feature: the model finding 07's [1, 1] kernel belongs to.
    private static ModelInfo Declaration(string model) => model == "rnn1"
        ? Declared.Model("Rnn1", 4, 1, Declared.SimpleRnn(1))
        : GeneratedLayoutTests.StackKeras3;

    /// <summary>Bytes a finding's archive inflates to (config.json is text that deflates some 10:1, and is parsed).</summary>
    private static long InflatedBytes(byte[] bytes)
    {
        if (!Zip.ZipContainer.HasSignature(bytes))
        {
            return 0;
        }

        var zip = new Zip.ZipContainer(bytes, "finding");
        return zip.EntryNames.Sum(n => Math.Min(zip.DeclaredLength(n), Keras.KerasFileReader.MaxConfigBytes));
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void A_finding_is_refused_within_its_allocation_bound_and_leaves_the_model_unchanged(string file, string model, bool mismatch, bool described)
    {
        byte[] bytes = Fixture.Bytes("fuzz-findings/" + file);
        long inflated = InflatedBytes(bytes);
        long bound = FixedAllocation + AllocationPerFileByte * (bytes.Length + inflated);

        (Exception? error, long allocated) = Measure(() => KerasWeights.Read(new MemoryStream(bytes), WeightFormat.Detect, Declaration(model)));
        (Exception? inspectError, long inspectAllocated) = Measure(() => KerasWeights.Inspect(new MemoryStream(bytes)).ToDeclaration("Finding"));
        _output.WriteLine($"{file}: {bytes.Length} bytes ({inflated} inflated), load allocated {allocated} bytes ({(double)allocated / bytes.Length:F1} x), {error?.GetType().Name}: {Head(error?.Message)}");
        _output.WriteLine($"{file}: inspect allocated {inspectAllocated} bytes, {inspectError?.GetType().Name ?? "success"}: {Head(inspectError?.Message)}");

        Assert.NotNull(error);
        Assert.True(mismatch ? error.GetType() == typeof(ArgumentException) : error is InvalidDataException, $"{file}: {error.GetType().Name}: {error.Message}");
        Assert.True(allocated <= bound, $"{file}: the load allocated {allocated} bytes, more than {bound} ({AllocationPerFileByte} x ({bytes.Length} + {inflated} inflated) + {FixedAllocation}).");
        Assert.True(described ? inspectError is null : inspectError is InvalidDataException, $"{file}: Inspect: {inspectError?.GetType().Name}: {inspectError?.Message}");
        Assert.True(inspectAllocated <= bound, $"{file}: Inspect allocated {inspectAllocated} bytes, more than {bound}.");

        // A generated model keeps its weights when the load fails.
        var target = new Pasted.Keras3StackKeras.Keras3Stack();
        var random = new Random(1);
        float[][] before = target.GetWeights().Select(w => w.Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        target.SetWeights(before);
        Assert.ThrowsAny<Exception>(() => target.LoadWeights(new MemoryStream(bytes), WeightFormat.Detect));
        Assert.Equal(before, target.GetWeights());
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void Rnngen_inspect_answers_a_finding_with_one_line_and_exit_code_1(string file, string model, bool mismatch, bool described)
    {
        _ = (model, mismatch);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Tool.Program.Run(new[] { "inspect", Fixture.Path("fuzz-findings/" + file) }, output, error);
        string message = error.ToString();
        _output.WriteLine($"{file}: exit {code}, {output.ToString().Length} characters out: {Head(message)}");

        // Readable files (many arrays, many layers, links that fan out but resolve, chunks Inspect does not read) are
        // described, in time and output linear in the file; damaged ones get one line.
        Assert.Equal(described ? 0 : 1, code);
        if (!described)
        {
            Assert.Single(message.TrimEnd().Split('\n'));
            Assert.StartsWith("rnngen inspect: ", message);
            Assert.DoesNotContain("   at ", message);
            Assert.True(message.Length <= Tool.Program.MaxErrorLength + 200, $"{message.Length} characters");
        }
    }

    [Fact]
    public void The_lone_surrogate_is_named_with_the_entry_it_is_in()
    {
        var config = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(Fixture.Bytes("fuzz-findings/01_lone_surrogate_config.keras"))));
        Assert.Contains("config.json", config.Message);
        Assert.Contains("surrogate", config.Message);
        var metadata = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(Fixture.Bytes("fuzz-findings/02_lone_surrogate_metadata.keras"))));
        Assert.Contains("metadata.json", metadata.Message);
    }

    [Fact]
    public void A_lone_surrogate_in_a_metadata_property_name_is_invalid_data()
    {
        // Fuzz case 16759 of seed 1204: a "\udc00" inserted into the name "keras_version", which is unescaped to be compared.
        const string metadata = "{\"\\udc00keras_version\": \"3.6.0\"}";
        var archive = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras");
        byte[] file = BadInputTests.Zip(("metadata.json", metadata), ("config.json", archive.Read("config.json", long.MaxValue)), ("model.weights.h5", archive.Read("model.weights.h5", long.MaxValue)));
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(file)));
        Assert.Contains("surrogate", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.DoesNotContain("reading it failed with", error.Message); // the reader's own check, not the last guard
    }

    [Fact]
    public void Limits_are_named_in_the_error()
    {
        var config = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(Fixture.Bytes("fuzz-findings/11_bomb_config_json_256MiB.keras"))));
        Assert.Contains("16 MiB limit on config.json", config.Message);
        var weights = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(Fixture.Bytes("fuzz-findings/12_bomb_model_weights_900MiB.keras")), WeightFormat.Detect, GeneratedLayoutTests.StackKeras3));
        Assert.Contains("declared weights", weights.Message);
        var chunks = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(Fixture.Bytes("fuzz-findings/07_repeated_chunk_e1000.weights.h5")), WeightFormat.Detect, Declaration("rnn1")));
        Assert.Contains("2^rank x the dataset's bytes + 1 MiB", chunks.Message);
    }

    [Fact]
    public void A_file_of_100000_layers_is_refused_naming_the_limit()
    {
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Inspect(new MemoryStream(Fixture.Bytes("fuzz-findings/10_many_layers_100000.keras"))));
        Assert.Contains("layers, more than the 4096 RnnGen reads", error.Message);
    }

    [Fact]
    public void A_mismatch_report_for_a_file_of_3000_layers_stays_short()
    {
        var archive = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras");
        string layers = string.Join(", ", Enumerable.Range(0, 3000).Select(i => $"{{\"class_name\": \"Dense\", \"config\": {{\"name\": \"dense_{i}\", \"units\": 2}}}}"));
        byte[] file = BadInputTests.Zip(
            ("config.json", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [" + layers + "]}}"),
            ("model.weights.h5", archive.Read("model.weights.h5", long.MaxValue)));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(new MemoryStream(file), WeightFormat.Detect, GeneratedLayoutTests.StackKeras3));
        Assert.True(error.Message.Length < 50_000, $"{error.Message.Length} characters");
        Assert.Contains("  ... and ", error.Message);
    }

    [Fact]
    public void A_stream_that_claims_gigabytes_gets_no_buffer_of_that_size()
    {
        using var stream = new ClaimingStream(new byte[] { 1, 2, 3, 4 }, claimedLength: 3L << 30);
        (Exception? error, long allocated) = Measure(() => KerasWeights.Inspect(stream));
        Assert.IsType<InvalidDataException>(error);
        Assert.True(allocated < 64L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_soft_link_down_30000_nested_groups_costs_no_more_than_the_file()
    {
        // Each group's path once grew by one name per level: quadratic in the depth (some 1.8 GB for this 1 MB file).
        byte[] bytes = Fuzzing.Crafted.NestedChain(30_000);
        long bound = FixedAllocation + AllocationPerFileByte * (long)bytes.Length;
        (Exception? error, long allocated) = Measure(() => KerasWeights.Inspect(new MemoryStream(bytes)));
        _output.WriteLine($"{bytes.Length} bytes, inspect allocated {allocated} bytes: {error?.GetType().Name} {Head(error?.Message)}");
        Assert.True(error is null or InvalidDataException, error?.ToString());
        Assert.True(allocated <= bound, $"allocated {allocated} bytes, more than {bound}");
    }

    [Theory]
    [InlineData("generated/hdf5_features_v0.h5")]
    [InlineData("generated/hdf5_features_v2.h5")]
    [InlineData("generated/hdf5_features_v3.h5")]
    [InlineData("generated/h5py_extras.h5")]
    [InlineData("generated/keras2_stack_chunked_model.h5")]
    [InlineData("generated/keras3_deep.weights.h5")]
    [InlineData("dl4j-test-resources/simple_flatten_lstm_tf_keras_2_model.h5")]
    public void Real_files_need_a_small_part_of_the_work_budget(string fixture)
    {
        // Every group, attribute and dataset read: a real file must stay far from the budget that stops hostile ones.
        byte[] bytes = Fixture.Bytes(fixture);
        Hdf5.Hdf5File file = Hdf5.Hdf5File.Open(bytes);
        var seen = new HashSet<long>();
        void Walk(Hdf5.Hdf5Object node)
        {
            if (!seen.Add(node.Address))
            {
                return;
            }

            foreach (Hdf5.Hdf5Attribute attribute in node.Attributes)
            {
                if (attribute.Datatype.IsText)
                {
                    attribute.ReadStrings();
                }
            }

            if (node.IsDataset && node.Dataset.Datatype.Class == Hdf5.Hdf5TypeClass.FloatingPoint)
            {
                node.Dataset.ReadFloats(long.MaxValue);
            }

            if (node.IsGroup)
            {
                foreach (string name in node.ChildNames.ToList())
                {
                    if (node.Child(name) is Hdf5.Hdf5Object child)
                    {
                        Walk(child);
                    }
                }
            }
        }

        Walk(file.Root);
        long budget = Hdf5.Hdf5File.WorkBudget(bytes.Length);
        _output.WriteLine($"{fixture}: {bytes.Length} bytes, {seen.Count} objects, {file.Spent} of {budget} steps");
        // Keras files need a few percent; the feature files, stress tests of every layout with thousands of tiny chunks,
        // up to 45%.
        Assert.True(file.Spent * 2 < budget, $"{fixture} needs {file.Spent} of its {budget} steps");
    }

    internal static (Exception? Error, long Allocated) Measure(Action action)
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            action();
        }
        catch (Exception e)
        {
            error = e;
        }

        return (error, GC.GetAllocatedBytesForCurrentThread() - start);
    }

    private static string Head(string? message) => message is null ? "" : message.Length <= 300 ? message.ReplaceLineEndings(" | ") : message[..300].ReplaceLineEndings(" | ") + "...";

    /// <summary>A seekable stream whose Length claims far more than it holds.</summary>
    private sealed class ClaimingStream : MemoryStream
    {
        private readonly long _claimedLength;

        public ClaimingStream(byte[] data, long claimedLength) : base(data) => _claimedLength = claimedLength;

        public override long Length => _claimedLength;
    }
}
