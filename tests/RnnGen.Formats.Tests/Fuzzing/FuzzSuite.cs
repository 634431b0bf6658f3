using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Keras;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Tests.Fuzzing;

/// <summary>
/// The fuzz suite: from a seed, makes hostile inputs (field-aware mutations of HDF5 structures with their checksums
/// resealed, byte-level mutations, mutations of the JSON and .npy headers inside archives, hand-built link graphs,
/// decompression bombs and monster archives) and runs each through a load into a generated model and through Inspect
/// (or, for HDF5 feature files, through the raw reader). A case passes when every call ends in success or a documented
/// exception (<see cref="InvalidDataException"/>, or a plain <see cref="ArgumentException"/> for a readable file that
/// does not match), allocates within its bound, and a failed load leaves the model's weights as they were.
/// </summary>
internal sealed class FuzzSuite
{
    private readonly List<Target> _targets = new();
    private readonly byte[] _stackWeightsH5;
    private readonly byte[] _stackConfig;
    private readonly byte[] _stackMetadata;

    /// <summary>One seed input and how a case made from it is run.</summary>
    private sealed record Target(string Name, byte[] Bytes, Hdf5Map? Map, Func<byte[], byte[]> Wrap, Func<IRnnModel>? Model, ModelInfo? Info, int Weight);

    /// <summary>What one call of a case ended in, and what it allocated.</summary>
    internal sealed record CallResult(string Call, string Outcome, long Allocated, long Bound, bool WeightsChanged, TimeSpan Elapsed);

    public FuzzSuite()
    {
        var archive = new ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras");
        _stackWeightsH5 = archive.Read("model.weights.h5", long.MaxValue);
        _stackConfig = archive.Read("config.json", long.MaxValue);
        _stackMetadata = archive.Read("metadata.json", long.MaxValue);

        Func<byte[], byte[]> same = b => b;
        void Add(string fixture, Func<IRnnModel>? model, ModelInfo? info, int weight = 2)
        {
            byte[] bytes = Fixture.Bytes(fixture);
            _targets.Add(new(Path.GetFileName(fixture), bytes, Hdf5File.HasSignature(bytes) ? Hdf5Map.Build(bytes) : null, same, model, info, weight));
        }

        Add("generated/keras3_simple.weights.h5", () => new Pasted.Keras3SimpleWeightsH5.Keras3Simple(), null);
        Add("generated/keras2_simple_model.h5", () => new Pasted.Keras2SimpleModelH5.Keras2SimpleModel(), null);
        Add("generated/keras2_stack_weights.h5", () => new Pasted.Keras2StackWeightsH5.Keras2StackWeights(), null);
        Add("generated/keras2_stack_split_attributes.h5", () => new Pasted.Keras2StackSplitAttributesH5.Keras2StackSplitAttributes(), null);
        Add("generated/keras3_stack_pre310.weights.h5", () => new Pasted.Keras3StackPre310WeightsH5.Keras3StackPre310(), null);
        Add("generated/keras3_stack_chunked.weights.h5", () => new Pasted.Keras3StackChunkedWeightsH5.Keras3StackChunked(), null);
        Add("generated/keras3_deep.weights.h5", () => new Pasted.Keras3DeepWeightsH5.Keras3Deep(), null);
        Add("generated/keras3_stack.keras", () => new Pasted.Keras3StackKeras.Keras3Stack(), null);
        Add("generated/keras3_stack_deflated.keras", () => new Pasted.Keras3StackDeflatedKeras.Keras3StackDeflated(), null);
        Add("generated/keras3_stack.npz", () => new Pasted.Keras3StackNpz.Keras3Stack(), null);
        Add("generated/keras3_stack_compressed.npz", () => new Pasted.Keras3StackCompressedNpz.Keras3StackCompressed(), null);
        Add("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5", () => new Pasted.Dl4jBidirectionalLstmH5.TfkerasRnn5BidirectionalLstm(), null);
        Add("frugally-deep/temp_stateless.h5", null, GeneratedLayoutTests.Simple);
        Add("generated/soft_link_cycle.weights.h5", null, GeneratedLayoutTests.StackKeras3, 1);
        Add("generated/hard_link_cycle.weights.h5", null, GeneratedLayoutTests.StackKeras3, 1);
        Add("generated/hdf5_features_v3.h5", null, null);
        Add("generated/hdf5_features_v2.h5", null, null);
        Add("generated/hdf5_features_v0.h5", null, null);
        Add("generated/h5py_extras.h5", null, null);
        Add("generated/h5py_latest.h5", null, null);
        foreach (string finding in new[] { "01_lone_surrogate_config.keras", "04_softlink_fanout_w64_d4.weights.h5", "07_repeated_chunk_e1000.weights.h5", "11_bomb_config_json_256MiB.keras", "12_bomb_model_weights_900MiB.keras" })
        {
            Add("fuzz-findings/" + finding, null, finding.StartsWith("07", StringComparison.Ordinal) ? Declared.Model("Rnn1", 4, 1, Declared.SimpleRnn(1)) : GeneratedLayoutTests.StackKeras3, 1);
        }

        // The HDF5 file inside the .keras archive, mutated field by field and zipped again (the zip's CRC would
        // otherwise catch every change).
        _targets.Add(new("model.weights.h5 inside keras3_stack.keras", _stackWeightsH5, Hdf5Map.Build(_stackWeightsH5),
            h5 => BadInputTests.Zip(("metadata.json", _stackMetadata), ("config.json", _stackConfig), ("model.weights.h5", h5)),
            () => new Pasted.Keras3StackKeras.Keras3Stack(), null, 4));
    }

    /// <summary>How many seed inputs the suite mutates.</summary>
    public int TargetCount => _targets.Count;

    /// <summary>Makes case <paramref name="index"/> of the run seeded with <paramref name="seed"/> and runs it.</summary>
    public (string Description, List<CallResult> Results) Run(int seed, long index)
    {
        var random = new Random(CaseSeed(seed, index));
        (byte[] file, string description, Target target) = Make(random);
        return ($"case {index} (seed {seed}): {description}", Execute(file, target));
    }

    /// <summary>
    /// The seed of one case: SplitMix64's finalizer over (seed, index), the same in every process, so a case number
    /// names one file. (<see cref="HashCode.Combine{T1, T2}"/> is randomized per process and would not.)
    /// </summary>
    internal static int CaseSeed(int seed, long index)
    {
        ulong z = ((ulong)(uint)seed << 32 ^ (ulong)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    private (byte[] File, string Description, Target Target) Make(Random random)
    {
        int category = random.Next(100);
        if (category < 70)
        {
            Target target = Pick(random, category < 40);
            (byte[] mutated, string mutation) = category < 40 && target.Map is not null
                ? MutateFields(target.Bytes, target.Map, random)
                : category < 60 ? MutateBytes(target.Bytes, random)
                : MutateEntry(target.Bytes, random);
            return (target.Wrap(mutated), $"{target.Name}, {mutation}", target);
        }

        Target stack = _targets.First(t => t.Name == "keras3_stack.keras");
        if (category < 85)
        {
            (byte[] graph, string what) = Crafted.RandomLinkGraph(random);
            return (graph, what, stack);
        }

        (byte[] archive, string description) = Crafted.RandomArchive(random, _stackWeightsH5, _stackConfig, _stackMetadata);
        return (archive, description, stack);
    }

    private Target Pick(Random random, bool hdf5Only)
    {
        var pool = _targets.Where(t => !hdf5Only || t.Map is not null).ToList();
        int total = pool.Sum(t => t.Weight);
        int pick = random.Next(total);
        foreach (Target target in pool)
        {
            pick -= target.Weight;
            if (pick < 0)
            {
                return target;
            }
        }

        return pool[^1];
    }

    private List<CallResult> Execute(byte[] file, Target target)
    {
        var results = new List<CallResult>();
        long bound = AllocationBound(file, target.Info);
        if (target.Model is null && target.Info is null)
        {
            results.Add(Call("walk", bound, () => WalkHdf5(file)));
            return results;
        }

        if (target.Model is not null)
        {
            IRnnModel model = target.Model();
            var random = new Random(file.Length);
            float[][] before = model.GetWeights().Select(w => w.Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
            model.SetWeights(before);
            CallResult load = Call("load", AllocationBound(file, model.Info), () => KerasWeights.Load(model, new MemoryStream(file), WeightFormat.Detect));
            bool changed = load.Outcome != "success" && !model.GetWeights().Zip(before).All(p => p.First.AsSpan().SequenceEqual(p.Second));
            results.Add(load with { WeightsChanged = changed });
        }
        else
        {
            results.Add(Call("read", bound, () => KerasWeights.Read(new MemoryStream(file), WeightFormat.Detect, target.Info!)));
        }

        results.Add(Call("inspect", bound, () => KerasWeights.Inspect(new MemoryStream(file)).ToDeclaration("Fuzzed")));
        return results;
    }

    /// <summary>
    /// What a call on <paramref name="file"/> may allocate: <see cref="FuzzFindingTests.FixedAllocation"/> plus
    /// <see cref="FuzzFindingTests.AllocationPerFileByte"/> times the file and what its archive entries inflate to,
    /// each entry counted up to the limit the readers apply to it.
    /// </summary>
    internal static long AllocationBound(byte[] file, ModelInfo? info)
    {
        long inflated = 0;
        if (ZipContainer.HasSignature(file))
        {
            try
            {
                var zip = new ZipContainer(file, "archive");
                long weights = 0;
                foreach (string name in zip.EntryNames)
                {
                    long declared = Math.Max(0, zip.DeclaredLength(name));
                    if (name == "config.json")
                    {
                        inflated += Math.Min(declared, KerasFileReader.MaxConfigBytes);
                    }
                    else if (name == "metadata.json")
                    {
                        inflated += Math.Min(declared, KerasFileReader.MaxMetadataBytes);
                    }
                    else
                    {
                        weights += declared;
                    }
                }

                long limit = Math.Max(KerasFileReader.InspectInflateLimit(file.Length), info is null ? 0 : KerasFileReader.InflateLimit(info));
                inflated += Math.Min(weights, limit);
            }
            catch (InvalidDataException)
            {
            }
        }

        return FuzzFindingTests.FixedAllocation + FuzzFindingTests.AllocationPerFileByte * (file.Length + inflated);
    }

    private static CallResult Call(string call, long bound, Action action)
    {
        var watch = Stopwatch.StartNew();
        long start = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            action();
            outcome = "success";
        }
        catch (InvalidDataException e) when (e.InnerException is { } inner && inner is not (InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or IOException or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException or FormatException))
        {
            // Not expected: every wrapped cause above is one a reader converts on purpose (JSON syntax, zip
            // corruption, a lone surrogate).
            outcome = $"undocumented cause {inner.GetType().Name} inside InvalidDataException: {inner.Message}{Environment.NewLine}{inner.StackTrace}";
        }
        catch (InvalidDataException e) when (e.Message.Contains("is not a readable Keras weight file: reading it failed with", StringComparison.Ordinal))
        {
            // KerasWeights' last guard: a parser threw something it should have checked for. A gap to fix, not a pass.
            outcome = $"undocumented (reached the last guard) {e.InnerException?.GetType().Name}: {e.Message}{Environment.NewLine}{e.InnerException?.StackTrace}";
        }
        catch (InvalidDataException)
        {
            outcome = nameof(InvalidDataException);
        }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
        {
            outcome = nameof(ArgumentException);
        }
        catch (Exception e)
        {
            outcome = $"undocumented {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
        }

        return new CallResult(call, outcome, GC.GetAllocatedBytesForCurrentThread() - start, bound, false, watch.Elapsed);
    }

    // Everything the raw reader offers: the group tree (three levels, cycles cut by depth), every attribute and dataset.
    private static void WalkHdf5(byte[] bytes)
    {
        Hdf5File file = Hdf5File.Open(bytes);
        Walk(file.Root, 0);

        static void Walk(Hdf5Object node, int depth)
        {
            foreach (Hdf5Attribute attribute in node.Attributes)
            {
                Swallow(() => attribute.ReadStrings());
            }

            if (node.IsDataset)
            {
                Swallow(() => node.Dataset.ReadFloats(100_000));
                return;
            }

            if (depth >= 3 || !node.IsGroup)
            {
                return;
            }

            foreach (string name in node.ChildNames.Take(40).ToList())
            {
                Swallow(() =>
                {
                    if (node.Child(name) is Hdf5Object child)
                    {
                        Walk(child, depth + 1);
                    }
                });
            }
        }

        // Documented failures of one part do not stop the walk; anything else escapes to the case.
        static void Swallow(Action action)
        {
            try
            {
                action();
            }
            catch (InvalidDataException)
            {
            }
            catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
            {
            }
        }
    }

    // ---- mutators ----

    private static readonly int[] Widths = { 1, 1, 2, 4, 8, 8 };

    /// <summary>1-3 fields of mapped structures set to edge values, then (mostly) the checksums over them resealed.</summary>
    private static (byte[], string) MutateFields(byte[] original, Hdf5Map map, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        var notes = new List<string>();
        int count = 1 + (random.Next(4) == 0 ? random.Next(3) : 0);
        bool reseal = random.Next(8) != 0;
        for (int m = 0; m < count; m++)
        {
            var (start, length, kind) = map.Regions[random.Next(map.Regions.Count)];
            int width = Widths[random.Next(Widths.Length)];
            int offset = random.Next(3) != 0 ? random.Next(Math.Min(length, 24)) : random.Next(Math.Max(1, length));
            int at = Math.Min(start + offset, bytes.Length - width);
            if (at < 0)
            {
                continue;
            }

            ulong current = 0;
            for (int i = 0; i < width; i++)
            {
                current |= (ulong)bytes[at + i] << (8 * i);
            }

            ulong mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
            ulong[] candidates =
            {
                0, 1, 2, current + 1, current - 1, current * 2, current * 16, current << 8, mask, mask >> 1, (mask >> 1) + 1,
                (ulong)bytes.Length, (ulong)bytes.Length - 1, (ulong)bytes.Length + 8, (ulong)random.Next(bytes.Length), (ulong)random.NextInt64(), 255, 65535, 1UL << 31, 1UL << 40,
            };
            ulong value = candidates[random.Next(candidates.Length)] & mask;
            for (int i = 0; i < width; i++)
            {
                bytes[at + i] = (byte)(value >> (8 * i));
            }

            if (reseal)
            {
                map.Reseal(bytes, at, width);
            }

            notes.Add($"{kind} at 0x{start:X}: {width}-byte field at 0x{at:X} set to {value}");
        }

        return (bytes, string.Join("; ", notes) + (reseal ? ", resealed" : ", checksums left"));
    }

    /// <summary>Byte-level damage: bit flips, overwritten bytes and fields, truncation, insertion, deletion, copied blocks.</summary>
    private static (byte[], string) MutateBytes(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int length = bytes.Length;
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = 1 + random.Next(4);
                var at = new List<int>();
                for (int f = 0; f < flips; f++)
                {
                    int position = random.Next(length);
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    at.Add(position);
                }

                return (bytes, $"bit flips at {string.Join(", ", at)}");
            }

            case 1:
            {
                int position = random.Next(length);
                int count = 1 + random.Next(8);
                for (int k = 0; k < count && position + k < length; k++)
                {
                    bytes[position + k] = random.Next(2) == 0 ? new byte[] { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10 }[random.Next(6)] : (byte)random.Next(256);
                }

                return (bytes, $"{count} bytes overwritten at {position}");
            }

            case 2:
            {
                long[] values = { 0, -1, int.MaxValue, 1L << 31, 1L << 40, long.MaxValue, length, length - 1, length + 8, 8, random.Next(length) };
                int position = Math.Max(0, Math.Min(random.Next(Math.Max(1, length / 8)) * 8, length - 8));
                long value = values[random.Next(values.Length)];
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position, Math.Min(8, length - position)), value);
                return (bytes, $"8-byte field at {position} set to {value}");
            }

            case 3:
            {
                int cut = random.Next(length);
                return (bytes.AsSpan(0, cut).ToArray(), $"truncated to {cut} bytes");
            }

            case 4:
            {
                int position = random.Next(length + 1);
                var inserted = new byte[1 + random.Next(16)];
                random.NextBytes(inserted);
                return (bytes.Take(position).Concat(inserted).Concat(bytes.Skip(position)).ToArray(), $"{inserted.Length} bytes inserted at {position}");
            }

            case 5:
            {
                int position = random.Next(length);
                int count = Math.Min(1 + random.Next(64), length - position);
                return (bytes.Take(position).Concat(bytes.Skip(position + count)).ToArray(), $"{count} bytes deleted at {position}");
            }

            default:
            {
                int from = random.Next(length);
                int count = Math.Min(1 + random.Next(256), length - from);
                int to = random.Next(length - count + 1);
                Array.Copy(original, from, bytes, to, count);
                return (bytes, $"{count} bytes copied from {from} to {to}");
            }
        }
    }

    /// <summary>
    /// For archives: one entry (config.json, metadata.json or an .npy array) mutated as text where it is text (numbers
    /// set to edge values, lone surrogate escapes, brackets deleted or repeated) and zipped again, so that the zip's
    /// CRC does not stop the change; other inputs get byte-level damage.
    /// </summary>
    private static (byte[], string) MutateEntry(byte[] original, Random random)
    {
        if (!ZipContainer.HasSignature(original))
        {
            return MutateBytes(original, random);
        }

        var zip = new ZipContainer(original, "archive");
        if (zip.EntryNames.Any(n => zip.DeclaredLength(n) > KerasFileReader.MaxConfigBytes))
        {
            return MutateBytes(original, random); // a bomb: inflating it to change it would cost the fuzzer, not the reader
        }

        var entries = zip.EntryNames.Select(n => (Name: n, Bytes: zip.Read(n, long.MaxValue))).ToList();
        int index = random.Next(entries.Count);
        (string name, byte[] content) = entries[index];
        (byte[] mutated, string how) = MutateText(content, random);
        entries[index] = (name, mutated);
        return (BadInputTests.Zip(entries.Select(e => (e.Name, (object)e.Bytes)).ToArray()), $"entry '{name}': {how}");
    }

    private static (byte[], string) MutateText(byte[] content, Random random)
    {
        // The text part: all of a JSON entry, the header of an .npy array (after its 10- or 12-byte prefix).
        int textStart = content.Length > 10 && content[0] == 0x93 ? 10 : 0;
        int textEnd = textStart == 0 ? content.Length : Math.Min(content.Length, 10 + BinaryPrimitives.ReadUInt16LittleEndian(content.AsSpan(8)));
        string text = Encoding.Latin1.GetString(content, textStart, textEnd - textStart);
        string[] numbers = { "0", "-1", "1e308", "2147483648", "99999999999999999999", "4294967296", "NaN", "0.5", "1099511627776" };
        string[] insertions = { "\\ud800", "\\udc00", "[", "{", "]]]]", "\"", "\\", "\u0000", ",", "(", "), (" };
        string mutated;
        string how;
        int position = random.Next(text.Length + 1);
        switch (random.Next(4))
        {
            case 0:
            {
                int digit = text.IndexOfAny("0123456789".ToCharArray(), Math.Min(position, Math.Max(0, text.Length - 1)));
                if (digit < 0)
                {
                    goto default;
                }

                int end = digit;
                while (end < text.Length && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                string number = numbers[random.Next(numbers.Length)];
                mutated = text[..digit] + number + text[end..];
                how = $"number at {digit} set to {number}";
                break;
            }

            case 1:
            {
                string insertion = insertions[random.Next(insertions.Length)];
                int repeat = random.Next(4) == 0 ? 1 + random.Next(200) : 1;
                mutated = text[..position] + string.Concat(Enumerable.Repeat(insertion, repeat)) + text[position..];
                how = $"'{insertion}' x {repeat} inserted at {position}";
                break;
            }

            case 2:
            {
                int count = Math.Min(1 + random.Next(16), text.Length - Math.Min(position, text.Length));
                mutated = text.Remove(Math.Min(position, text.Length), count);
                how = $"{count} characters deleted at {position}";
                break;
            }

            default:
            {
                int from = random.Next(Math.Max(1, text.Length));
                int count = Math.Min(1 + random.Next(200), text.Length - from);
                int times = 1 + random.Next(random.Next(2) == 0 ? 3 : 500);
                mutated = text[..position] + string.Concat(Enumerable.Repeat(text.Substring(from, Math.Max(0, count)), times)) + text[position..];
                how = $"{count} characters from {from} repeated {times} times at {position}";
                break;
            }
        }

        byte[] encoded = Encoding.Latin1.GetBytes(mutated);
        if (textStart == 0)
        {
            return (encoded, how);
        }

        // An .npy array: its header with the stated length fixed up (unless too long for the 2-byte field), then the data.
        var result = new byte[10 + encoded.Length + (content.Length - textEnd)];
        content.AsSpan(0, 10).CopyTo(result);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)Math.Min(encoded.Length, ushort.MaxValue));
        encoded.CopyTo(result, 10);
        content.AsSpan(textEnd).CopyTo(result.AsSpan(10 + encoded.Length));
        return (result, "npy header: " + how);
    }
}
