using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using RnnGen.Reference;
using static RnnGen.Formats.Tests.Declared;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Every Keras layout, written with the real HDF5 library by tests/formats-fixtures (h5wasm) with known weights: the
/// loader must return exactly those weights, and running them must give the outputs the generator computed with its own
/// plain-JS equations (expected_*.json), so the tests compare predictions, not just bytes.
/// </summary>
public sealed class GeneratedLayoutTests
{
    // Keras 2 (tf.keras 2.4): Bidirectional(LSTM(4, hard_sigmoid, return_sequences)) -> Dropout -> GRU(3, hard_sigmoid,
    // reset_after=False) -> Dense(4, relu) -> Dense(2, tanh); input (5, 3).
    internal static ModelInfo Stack(string hardSigmoid, bool resetAfter) => Model(
        "Stack", 5, 3,
        Lstm(4) with { RecurrentActivation = hardSigmoid, ReturnSequences = true, Bidirectional = true },
        Dropout(0.25),
        Gru(3) with { RecurrentActivation = hardSigmoid, ResetAfter = resetAfter },
        Dense(4) with { Activation = "relu" },
        Dense(2) with { Activation = "tanh" });

    internal static ModelInfo StackKeras2 => Stack("hard_sigmoid_keras2", resetAfter: false);

    internal static ModelInfo StackKeras3 => Stack("hard_sigmoid", resetAfter: true);

    // SimpleRNN(3, return_sequences, go_backwards) -> Dense(2, sigmoid, no bias) on the sequence; input (4, 2).
    internal static ModelInfo Simple => Model(
        "Simple", 4, 2,
        SimpleRnn(3) with { ReturnSequences = true, GoBackwards = true },
        Dense(2) with { Activation = "sigmoid", UseBias = false });

    // 4 x LSTM(2) -> 2 x SimpleRNN(2) -> GRU(2) -> Dense(2) -> Dense(1); nine layers, so dense link storage.
    internal static ModelInfo Deep => Model(
        "Deep", 3, 2,
        Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true },
        SimpleRnn(2) with { ReturnSequences = true }, SimpleRnn(2) with { ReturnSequences = true },
        Gru(2), Dense(2), Dense(1));

    // LSTM(4, return_sequences) -> TimeDistributed(Dense(3, relu)) -> Dense(2, tanh); input (5, 3). RnnGen's Dense acts on
    // every timestep of a sequence, which is what TimeDistributed(Dense) computes.
    internal static ModelInfo TimeDistributed => Model(
        "TimeDistributed", 5, 3,
        Lstm(4) with { ReturnSequences = true },
        Dense(3) with { Activation = "relu" },
        Dense(2) with { Activation = "tanh" });

    public static TheoryData<string, string, WeightFormat> Files => new()
    {
        { "keras2_stack_model.h5", "stack_keras2", WeightFormat.LegacyH5 },
        { "keras2_stack_weights.h5", "stack_keras2", WeightFormat.LegacyH5 },
        { "keras2_stack_split_attributes.h5", "stack_keras2", WeightFormat.LegacyH5 },
        { "keras3_stack_pre310.weights.h5", "stack_keras3", WeightFormat.WeightsH5 },
        { "keras3_stack.weights.h5", "stack_keras3", WeightFormat.WeightsH5 },
        { "tfkeras213_stack.weights.h5", "stack_tfkeras213", WeightFormat.WeightsH5 },
        { "keras3_stack.keras", "stack_keras3", WeightFormat.Keras },
        { "keras3_stack_deflated.keras", "stack_keras3", WeightFormat.Keras },
        { "keras3_stack.npz", "stack_keras3", WeightFormat.Npz },
        { "keras3_stack_compressed.npz", "stack_keras3", WeightFormat.Npz },
        { "keras2_simple_model.h5", "simple", WeightFormat.LegacyH5 },
        { "keras3_simple.weights.h5", "simple", WeightFormat.WeightsH5 },
        { "keras2_deep_model.h5", "deep", WeightFormat.LegacyH5 },
        { "keras3_deep.weights.h5", "deep", WeightFormat.WeightsH5 },
        { "keras3_timedistributed.weights.h5", "timedistributed", WeightFormat.WeightsH5 },
        { "keras3_timedistributed.keras", "timedistributed", WeightFormat.Keras },
    };

    internal static ModelInfo For(string model) => model switch
    {
        "stack_keras2" => StackKeras2,
        "stack_keras3" => StackKeras3,
        "stack_tfkeras213" => Stack("hard_sigmoid_keras2", resetAfter: true),
        "simple" => Simple,
        "timedistributed" => TimeDistributed,
        _ => Deep,
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Loads_the_weights_that_were_written_and_reproduces_the_expected_outputs(string file, string model, WeightFormat format)
    {
        ModelInfo info = For(model);
        string path = Fixture.Path("generated/" + file);
        Assert.Equal(format, KerasWeights.DetectFormat(path));
        float[][] weights = KerasWeights.Read(path, info);

        using JsonDocument expected = Fixture.Json($"generated/expected_{model}.json");
        JsonElement root = expected.RootElement;
        float[][] written = root.GetProperty("weights").EnumerateArray().Select(Fixture.Floats).ToArray();
        Assert.Equal(written.Length, weights.Length);
        for (int i = 0; i < written.Length; i++)
        {
            Assert.True(written[i].SequenceEqual(weights[i]), $"{file}: array {i} ({info.Weights[i]}) differs from what was written");
        }

        float[] input = Fixture.Floats(root.GetProperty("input"));
        float[] output = new ReferenceModel(info, weights).Predict(input)[0];
        float[] wanted = Fixture.Floats(root.GetProperty("output"));
        Assert.Equal(wanted.Length, output.Length);
        for (int i = 0; i < wanted.Length; i++)
        {
            Assert.True(Math.Abs(wanted[i] - output[i]) <= 1e-5, $"{file}: output {i}: expected {wanted[i]}, got {output[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Loads_through_a_stream_with_the_format_named_or_detected(string file, string model, WeightFormat format)
    {
        ModelInfo info = For(model);
        byte[] bytes = Fixture.Bytes("generated/" + file);
        float[][] named = KerasWeights.Read(new MemoryStream(bytes), format, info);
        float[][] detected = KerasWeights.Read(new NonSeekableStream(bytes), WeightFormat.Detect, info);
        Assert.Equal(named, detected);
        WeightFormat wrong = format == WeightFormat.Npz ? WeightFormat.Keras : WeightFormat.Npz;
        var error = Assert.Throws<InvalidDataException>(() => KerasWeights.Read(new MemoryStream(bytes), wrong, info));
        Assert.Contains("was read as", error.Message);
    }

    [Fact]
    public void The_same_name_hard_sigmoid_needs_different_declarations_by_Keras_version()
    {
        // Keras 2.4.0 (legacy .h5) computes hard_sigmoid as clip(0.2x + 0.5); Keras 3.6.0 (.keras) as clip(x/6 + 0.5).
        var keras2 = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras2_stack_model.h5"), Stack("hard_sigmoid", resetAfter: false)));
        Assert.Contains("declare RecurrentActivation = \"hard_sigmoid_keras2\"", keras2.Message);
        Assert.Contains("Keras 2.4.0 computes hard_sigmoid as clip(0.2x + 0.5, 0, 1)", keras2.Message);

        var keras3 = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_stack.keras"), Stack("hard_sigmoid_keras2", resetAfter: true)));
        Assert.Contains("declare RecurrentActivation = \"hard_sigmoid\"", keras3.Message);
        Assert.Contains("Keras 3.6.0 computes hard_sigmoid as clip(x/6 + 0.5, 0, 1)", keras3.Message);
    }

    [Fact]
    public void One_exception_lists_every_mismatching_layer_and_what_the_file_holds()
    {
        ModelInfo wrong = Model(
            "Wrong", 5, 3,
            Lstm(4) with { ReturnSequences = true, Bidirectional = true, MergeMode = MergeMode.Ave },
            Dropout(0.25),
            Gru(3),
            Dense(4) with { Activation = "relu" },
            Dense(2));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras2_stack_model.h5"), wrong));
        string message = error.Message;
        Assert.StartsWith("Wrong does not match the weights in 'keras2_stack_model.h5' (legacy Keras HDF5 from model.save(), Keras 2.4.0); nothing was loaded.", message);
        Assert.Contains("layer 0 'bidirectional'", message);
        Assert.Contains("merge_mode: declared ave, the file has concat: declare MergeMode = MergeMode.Concat", message);
        Assert.Contains("layer 2 'gru'", message);
        Assert.Contains("reset_after: declared True, the file has False: declare ResetAfter = false", message);
        Assert.Contains("gru/bias: declared [2, 9], the file's 'gru/gru_cell/bias:0' is [9]", message);
        Assert.Contains("layer 4 'dense_1'", message);
        Assert.Contains("activation: declared \"linear\", the file computes \"tanh\": declare Activation = \"tanh\"", message);
        Assert.Contains("file:     'dense' Dense(4, activation=relu, use_bias=True)", message);
    }

    [Fact]
    public void Return_sequences_and_go_backwards_are_checked_where_the_file_has_a_config()
    {
        ModelInfo wrong = Model("Wrong", 4, 2, SimpleRnn(3) with { ReturnSequences = true }, Dense(2) with { Activation = "sigmoid", UseBias = false });
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras2_simple_model.h5"), wrong));
        Assert.Contains("go_backwards: declared False, the file has True: declare GoBackwards = true", error.Message);
    }

    [Fact]
    public void A_weights_h5_is_searched_by_the_names_Keras_derives_from_the_declaration()
    {
        // One LSTM too many: Keras would look for layers/lstm_4, which the file does not have, though it has as many
        // layers with weights as the declaration minus one: the message names the group and lists the file's.
        ModelInfo extra = Model(
            "Extra", 3, 2,
            Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true }, Lstm(2) with { ReturnSequences = true },
            Lstm(2) with { ReturnSequences = true },
            SimpleRnn(2) with { ReturnSequences = true }, SimpleRnn(2) with { ReturnSequences = true },
            Gru(2), Dense(2), Dense(1));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_deep.weights.h5"), extra));
        Assert.Contains("layer 4 'lstm_4'", error.Message);
        Assert.Contains("file:     no group 'layers/lstm_4' (the file's groups with weights: dense, dense_1, gru, lstm, lstm_1, lstm_2, lstm_3, simple_rnn, simple_rnn_1)", error.Message);
        Assert.Contains("Keras keeps this layer's weights in 'layers/lstm_4'", error.Message);
        Assert.DoesNotContain("fewer layers with weights", error.Message);
    }

    [Fact]
    public void A_missing_group_of_a_tf_keras_2_13_file_is_named_under_its_own_prefix()
    {
        // As many layers with weights as the file (four), but a second GRU where the file has a second Dense: Keras would
        // look for gru_1, and the file's dense_1 is left over.
        ModelInfo wrong = Model(
            "Wrong", 5, 3,
            Lstm(4) with { ReturnSequences = true, Bidirectional = true },
            Gru(3) with { ReturnSequences = true, ResetAfter = true },
            Gru(3) with { ResetAfter = true },
            Dense(2));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/tfkeras213_stack.weights.h5"), wrong));
        Assert.Contains("layer 2 'gru_1'", error.Message);
        Assert.Contains("file:     no group '_layer_checkpoint_dependencies/gru_1' (the file's groups with weights: bidirectional, dense, dense_1, gru)", error.Message);
        Assert.Contains("file layer 'dense_1'", error.Message);
    }

    [Fact]
    public void A_declared_Dense_takes_the_TimeDistributed_group_whose_shapes_fit()
    {
        // keras3_timedistributed.weights.h5 holds layers/time_distributed (kernel [4, 3]) and layers/dense ([3, 2]).
        // Keras names the plain Dense "dense" though it is the second Dense of the model.
        float[][] weights = KerasWeights.Read(Fixture.Path("generated/keras3_timedistributed.weights.h5"), TimeDistributed);
        using JsonDocument expected = Fixture.Json("generated/expected_timedistributed.json");
        float[][] written = expected.RootElement.GetProperty("weights").EnumerateArray().Select(Fixture.Floats).ToArray();
        Assert.Equal(written, weights);

        // Declared the other way round (a Dense(2) straight after the LSTM), neither group fits: the message compares
        // each declared Dense with the group whose kernel rows fit it.
        ModelInfo swapped = Model("Swapped", 5, 3, Lstm(4) with { ReturnSequences = true }, Dense(2), Dense(3));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_timedistributed.weights.h5"), swapped));
        Assert.Contains("layer 1 'dense': declared Dense(2", error.Message);
        Assert.Contains("file:     'time_distributed' TimeDistributed(Dense(3, use_bias=True))", error.Message);
        Assert.Contains("units: declared 2, the file has 3", error.Message);
        Assert.DoesNotContain("is not declared", error.Message);
    }

    [Fact]
    public void Same_shaped_TimeDistributed_and_Dense_groups_are_refused_rather_than_guessed()
    {
        // LSTM(2, return_sequences) -> TimeDistributed(Dense(2)) -> Dense(2): both groups fit both declared Dense
        // layers, and a .weights.h5 does not say which one Keras wrapped.
        ModelInfo info = Model("Ambiguous", 5, 3, Lstm(2) with { ReturnSequences = true }, Dense(2), Dense(2));
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_timedistributed_ambiguous.weights.h5"), info));
        Assert.Contains("the file's 'dense', 'time_distributed' groups fit the declared Dense layers in more than one order", error.Message);
        Assert.Contains("Load the model's .keras (or legacy .h5) file instead", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
    }

    [Fact]
    public void Layers_the_declaration_lacks_are_reported()
    {
        ModelInfo shorter = Model("Shorter", 4, 2, SimpleRnn(3) with { ReturnSequences = true, GoBackwards = true });
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras2_simple_model.h5"), shorter));
        Assert.Contains("file layer 'dense' Dense(2, activation=sigmoid, use_bias=False) with 1 weight array(s) is not declared", error.Message);
    }

    [Fact]
    public void An_npz_with_other_arrays_lists_them_against_the_declaration()
    {
        var error = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_stack.npz"), StackKeras2));
        Assert.Contains("gru/bias: declared [9], file arr_8 [2, 9]", error.Message);
        var counts = Assert.Throws<ArgumentException>(() => KerasWeights.Read(Fixture.Path("generated/keras3_stack.npz"), Simple));
        Assert.Contains("the .npz holds 13 arrays; Simple declares 4", counts.Message);
    }

    [Fact]
    public void Npy_variants_numpy_writes_read_as_the_same_values()
    {
        // float64, big-endian, format 2.0 and 3.0 headers, Fortran order: all the same 12 values in C order.
        using JsonDocument expected = Fixture.Json("generated/expected_npy_variants.json");
        float[] values = Fixture.Floats(expected.RootElement.GetProperty("values"));
        ModelInfo info = Model("Five", 1, 3, Dense(4)); // one [3, 4] kernel and a [4] bias: shapes only to read arrays
        var zip = new Zip.ZipContainer(Fixture.Bytes("generated/npy_variants.npz"), "npz");
        var arrays = Npz.NpzArchive.Read(zip, long.MaxValue);
        Assert.Equal(5, arrays.Count);
        Assert.All(arrays, a => Assert.Equal(values, a.ReadFloats()));
        Assert.Equal(new long[] { 2, 3, 2 }, arrays[2].Shape);
        Assert.True(arrays[3].FortranOrder);
        Assert.True(arrays[4].BigEndian);
        _ = info;
    }

    [Fact]
    public void SaveNpz_round_trips_through_Load_in_numpy_layout()
    {
        var source = new ReferenceRnnModel(StackKeras3);
        KerasWeights.Load(source, Fixture.Path("generated/keras3_stack.keras"));
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-{Guid.NewGuid():N}.npz");
        try
        {
            KerasWeights.SaveNpz(source, path);
            var copy = new ReferenceRnnModel(StackKeras3);
            KerasWeights.Load(copy, path);
            Assert.Equal(source.GetWeights(), copy.GetWeights());

            // numpy.savez layout: arr_0.npy ... with a '<f4' C-order header padded to 64 bytes.
            using var archive = ZipFile.OpenRead(path);
            Assert.Equal(Enumerable.Range(0, 13).Select(i => $"arr_{i}.npy"), archive.Entries.Select(e => e.FullName));
            using var stream = archive.Entries[0].Open();
            var head = new byte[128];
            stream.ReadExactly(head);
            int headerLength = BitConverter.ToUInt16(head, 8);
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Contains("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 16), }", Encoding.ASCII.GetString(head, 10, headerLength));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A stream that cannot seek, like a network stream.</summary>
    private sealed class NonSeekableStream : MemoryStream
    {
        public NonSeekableStream(byte[] bytes) : base(bytes, writable: false) { }

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
