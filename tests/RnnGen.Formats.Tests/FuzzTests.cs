using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RnnGen.Formats.Hdf5;
using Xunit.Abstractions;

namespace RnnGen.Formats.Tests;

/// <summary>
/// Mutates real weight files (bit flips, overwritten bytes and 8-byte fields, truncations, insertions, deletions,
/// duplicated blocks) and feeds them to the loader, the inspector and the raw HDF5 reader. Whatever the damage, only
/// success, <see cref="InvalidDataException"/> or a plain <see cref="ArgumentException"/> (a readable file that does not
/// match the model) may come out, each case must finish within seconds, and none may allocate without bound. Seeded, so a
/// failure names the case that reproduces it.
/// </summary>
public sealed class FuzzTests
{
    // Fixed so that CI is reproducible; RNNGEN_FUZZ_SEED and RNNGEN_FUZZ_CASES explore further locally.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("RNNGEN_FUZZ_SEED"), out int seed) ? seed : 20251123;
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("RNNGEN_FUZZ_CASES"), out int cases) ? cases : 12_000;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);
    private const long MaxAllocationPerCase = 256L << 20;

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private sealed record Target(string Name, byte[] Bytes, Action<byte[]> Run);

    [Fact]
    public async Task Mutated_files_fail_only_with_invalid_data_or_argument_exceptions()
    {
        Action<byte[]> Keras(ModelInfo info) => bytes =>
        {
            Expect(() => KerasWeights.Read(new MemoryStream(bytes), WeightFormat.Detect, info));
            Expect(() => KerasWeights.Inspect(new MemoryStream(bytes)).ToDeclaration());
        };

        var targets = new List<Target>
        {
            new("keras3_simple.weights.h5", Fixture.Bytes("generated/keras3_simple.weights.h5"), Keras(GeneratedLayoutTests.Simple)),
            new("keras2_simple_model.h5", Fixture.Bytes("generated/keras2_simple_model.h5"), Keras(GeneratedLayoutTests.Simple)),
            new("keras2_stack_weights.h5", Fixture.Bytes("generated/keras2_stack_weights.h5"), Keras(GeneratedLayoutTests.StackKeras2)),
            new("keras2_stack_split_attributes.h5", Fixture.Bytes("generated/keras2_stack_split_attributes.h5"), Keras(GeneratedLayoutTests.StackKeras2)),
            new("keras3_stack_pre310.weights.h5", Fixture.Bytes("generated/keras3_stack_pre310.weights.h5"), Keras(GeneratedLayoutTests.StackKeras3)),
            new("keras3_deep.weights.h5", Fixture.Bytes("generated/keras3_deep.weights.h5"), Keras(GeneratedLayoutTests.Deep)),
            new("keras3_stack.keras", Fixture.Bytes("generated/keras3_stack.keras"), Keras(GeneratedLayoutTests.StackKeras3)),
            new("keras3_stack_deflated.keras", Fixture.Bytes("generated/keras3_stack_deflated.keras"), Keras(GeneratedLayoutTests.StackKeras3)),
            new("keras3_stack.npz", Fixture.Bytes("generated/keras3_stack.npz"), Keras(GeneratedLayoutTests.StackKeras3)),
            new("tfkeras_rnn_5_bidirectional_lstm.h5", Fixture.Bytes("dl4j-test-resources/tfkeras_rnn_5_bidirectional_lstm.h5"), Keras(GeneratedLayoutTests.StackKeras3)),
            new("temp_stateless.h5", Fixture.Bytes("frugally-deep/temp_stateless.h5"), Keras(GeneratedLayoutTests.Simple)),
            new("hdf5_features_v3.h5", Fixture.Bytes("generated/hdf5_features_v3.h5"), WalkHdf5),
            new("hdf5_features_v2.h5", Fixture.Bytes("generated/hdf5_features_v2.h5"), WalkHdf5),
            new("h5py_extras.h5", Fixture.Bytes("generated/h5py_extras.h5"), WalkHdf5),
            new("h5py_latest.h5", Fixture.Bytes("generated/h5py_latest.h5"), WalkHdf5),
        };

        // Zip CRCs reject most damage inside entries; mutate the entry itself and zip it again to reach the .npy header
        // and config.json parsers.
        var npz = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.npz"), "npz");
        var npzEntries = npz.EntryNames.Select(n => (Name: n, Bytes: npz.Read(n, long.MaxValue))).ToList();
        targets.Add(new("arr_8.npy inside keras3_stack.npz", npzEntries[8].Bytes, bytes =>
            Keras(GeneratedLayoutTests.StackKeras3)(BadInputTests.Zip(npzEntries.Select(e => (e.Name, (object)(e.Name == "arr_8.npy" ? bytes : e.Bytes))).ToArray()))));
        var archive = new Zip.ZipContainer(Fixture.Bytes("generated/keras3_stack.keras"), "keras");
        byte[] weightsH5 = archive.Read("model.weights.h5", long.MaxValue);
        byte[] metadata = archive.Read("metadata.json", long.MaxValue);
        targets.Add(new("config.json inside keras3_stack.keras", archive.Read("config.json", long.MaxValue), bytes =>
            Keras(GeneratedLayoutTests.StackKeras3)(BadInputTests.Zip(("metadata.json", metadata), ("config.json", bytes), ("model.weights.h5", weightsH5)))));

        var random = new Random(Seed);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Cases && failures.Count < 10; i++)
        {
            Target target = targets[random.Next(targets.Count)];
            (byte[] mutated, string mutation) = Mutate(target.Bytes, random);
            string name = $"case {i} (seed {Seed}): {target.Name}, {mutation}";
            long allocated = 0;
            var task = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    target.Run(mutated);
                }
                finally
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                }
            });
            try
            {
                await task.WaitAsync(CaseTimeout);
            }
            catch (TimeoutException)
            {
                failures.Add($"{name}: did not finish within {CaseTimeout.TotalSeconds} s");
                continue;
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}");
                continue;
            }

            if (allocated > MaxAllocationPerCase)
            {
                failures.Add($"{name}: allocated {allocated >> 20} MiB");
            }

            outcomes[target.Name] = outcomes.GetValueOrDefault(target.Name) + 1;
        }

        _output.WriteLine($"{Cases} cases in {watch.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    // Runs one call; anything but success, InvalidDataException or a plain ArgumentException escapes.
    private static void Expect(Action action)
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

    // Everything the raw reader offers: the group tree (three levels, cycles cut by depth), every attribute and dataset.
    private static void WalkHdf5(byte[] bytes)
    {
        Expect(() =>
        {
            Hdf5File file = Hdf5File.Open(bytes);
            Walk(file.Root, 0);
        });

        static void Walk(Hdf5Object node, int depth)
        {
            foreach (Hdf5Attribute attribute in node.Attributes)
            {
                Expect(() => attribute.ReadStrings());
            }

            if (node.IsDataset)
            {
                Expect(() => node.Dataset.ReadFloats(100_000));
                return;
            }

            if (depth >= 3 || !node.IsGroup)
            {
                return;
            }

            foreach (string name in node.ChildNames.Take(40).ToList())
            {
                Expect(() =>
                {
                    Hdf5Object? child = node.Child(name);
                    if (child is not null)
                    {
                        Walk(child, depth + 1);
                    }
                });
            }
        }
    }

    private static (byte[], string) Mutate(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int length = bytes.Length;
        switch (random.Next(8))
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
                byte[] interesting = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10 };
                int position = random.Next(length);
                int count = 1 + random.Next(8);
                for (int k = 0; k < count && position + k < length; k++)
                {
                    bytes[position + k] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
                }

                return (bytes, $"{count} bytes overwritten at {position}");
            }

            case 2:
            {
                // Addresses and lengths are 8-byte little-endian fields, usually 8-aligned: hit them with edge values.
                long[] values = { 0, -1, int.MaxValue, 1L << 31, 1L << 40, long.MaxValue, length, length - 1, length + 8, 8, random.Next(length) };
                int position = random.Next(Math.Max(1, length / 8)) * 8 + (random.Next(4) == 0 ? random.Next(8) : 0);
                if (position + 8 > length)
                {
                    position = Math.Max(0, length - 8);
                }

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

            case 6:
            {
                int from = random.Next(length);
                int count = Math.Min(1 + random.Next(256), length - from);
                int to = random.Next(length - count + 1);
                Array.Copy(original, from, bytes, to, count);
                return (bytes, $"{count} bytes copied from {from} to {to}");
            }

            default:
            {
                // Small integers where counts and sizes live: a 2- or 4-byte field set to an edge value.
                int position = random.Next(Math.Max(1, length - 4));
                uint[] values = { 0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 0x10000, 255 };
                uint value = values[random.Next(values.Length)];
                if (random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(position), (ushort)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), value);
                }

                return (bytes, $"small field at {position} set to {value}");
            }
        }
    }
}
