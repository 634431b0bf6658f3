using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using RnnGen.Formats.Hdf5;

namespace RnnGen.Formats.Tests.Fuzzing;

/// <summary>
/// Hand-built hostile files, made the way an attacker would: HDF5 files whose root group holds a graph of hard and soft
/// links (fan-out, cycles, long chains), zip archives with decompression bombs and lying sizes, .npz files with many or
/// huge arrays, and Keras configurations with many layers, deep nesting, huge numbers and lone surrogates.
/// </summary>
internal static class Crafted
{
    /// <summary>
    /// An HDF5 file (superblock version 2, one version 2 object header for the root group) whose root holds
    /// <paramref name="links"/>: a hard link (target null) leads back to the root, a soft link to its path.
    /// </summary>
    public static byte[] LinkGraph(IReadOnlyList<(string Name, string? SoftTarget)> links)
    {
        const int RootAddress = 48;
        var messages = new MemoryStream();
        foreach (var (name, soft) in links)
        {
            // IV.A.2.g link message: version 1, flags (0x08: link type present; name length in 1 or 2 bytes).
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            var body = new MemoryStream();
            bool longName = nameBytes.Length > 255;
            body.WriteByte(1);
            body.WriteByte((byte)(0x08 | (longName ? 0x01 : 0x00)));
            body.WriteByte(soft is null ? (byte)0 : (byte)1);
            if (longName)
            {
                body.Write(BitConverter.GetBytes((ushort)nameBytes.Length));
            }
            else
            {
                body.WriteByte((byte)nameBytes.Length);
            }

            body.Write(nameBytes);
            if (soft is null)
            {
                body.Write(BitConverter.GetBytes((long)RootAddress));
            }
            else
            {
                byte[] target = Encoding.UTF8.GetBytes(soft);
                body.Write(BitConverter.GetBytes((ushort)target.Length));
                body.Write(target);
            }

            byte[] content = body.ToArray();
            if (content.Length > ushort.MaxValue)
            {
                continue;
            }

            messages.WriteByte(6);
            messages.Write(BitConverter.GetBytes((ushort)content.Length));
            messages.WriteByte(0);
            messages.Write(content);
        }

        byte[] chunk = messages.ToArray();
        var file = new MemoryStream();
        file.Write(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A, 2, 8, 8, 0 });
        file.Write(BitConverter.GetBytes(0L)); // base address
        file.Write(BitConverter.GetBytes(-1L)); // no superblock extension
        long endOfFile = RootAddress + 4 + 2 + 4 + chunk.Length + 4;
        file.Write(BitConverter.GetBytes(endOfFile));
        file.Write(BitConverter.GetBytes((long)RootAddress));
        file.Write(BitConverter.GetBytes(JenkinsLookup3.Hash(file.ToArray())));
        var header = new MemoryStream();
        header.Write("OHDR"u8);
        header.WriteByte(2); // version
        header.WriteByte(0x02); // flags: chunk #0 size in 4 bytes
        header.Write(BitConverter.GetBytes((uint)chunk.Length));
        header.Write(chunk);
        header.Write(BitConverter.GetBytes(JenkinsLookup3.Hash(header.ToArray())));
        file.Write(header.ToArray());
        return file.ToArray();
    }

    /// <summary>
    /// An HDF5 file of <paramref name="depth"/> nested groups, each holding one hard link <c>a</c> to the next, and a root
    /// link <c>layers</c> -> <c>/a/a/.../a</c> down to the last: a soft link whose path walks the whole chain.
    /// </summary>
    public static byte[] NestedChain(int depth)
    {
        // Each group: "OHDR", version 2, flags 0x02 (4-byte chunk size), chunk size, its messages, checksum.
        static byte[] Link(string name, long? hard, string? soft)
        {
            var body = new MemoryStream();
            body.WriteByte(1);
            body.WriteByte(0x08 | 0x01); // link type present; name length in 2 bytes
            body.WriteByte(hard is null ? (byte)1 : (byte)0);
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            body.Write(BitConverter.GetBytes((ushort)nameBytes.Length));
            body.Write(nameBytes);
            if (hard is long address)
            {
                body.Write(BitConverter.GetBytes(address));
            }
            else
            {
                byte[] target = Encoding.UTF8.GetBytes(soft!);
                body.Write(BitConverter.GetBytes((ushort)target.Length));
                body.Write(target);
            }

            byte[] content = body.ToArray();
            var message = new MemoryStream();
            message.WriteByte(6);
            message.Write(BitConverter.GetBytes((ushort)content.Length));
            message.WriteByte(0);
            message.Write(content);
            return message.ToArray();
        }

        static byte[] Header(byte[] messages)
        {
            var header = new MemoryStream();
            header.Write("OHDR"u8);
            header.WriteByte(2);
            header.WriteByte(0x02);
            header.Write(BitConverter.GetBytes((uint)messages.Length));
            header.Write(messages);
            header.Write(BitConverter.GetBytes(JenkinsLookup3.Hash(header.ToArray())));
            return header.ToArray();
        }

        string path = "/" + string.Join("/", Enumerable.Repeat("a", depth));
        int rootSize = Header(Link("a", 0, null).Concat(Link("layers", null, path)).ToArray()).Length;
        int groupSize = Header(Link("a", 0, null)).Length;
        long Address(int group) => 48 + (group == 0 ? 0 : rootSize + (long)(group - 1) * groupSize);
        var file = new MemoryStream();
        file.Write(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A, 2, 8, 8, 0 });
        file.Write(BitConverter.GetBytes(0L));
        file.Write(BitConverter.GetBytes(-1L));
        file.Write(BitConverter.GetBytes(Address(depth + 1)));
        file.Write(BitConverter.GetBytes(48L));
        file.Write(BitConverter.GetBytes(JenkinsLookup3.Hash(file.ToArray())));
        file.Write(Header(Link("a", Address(1), null).Concat(Link("layers", null, path)).ToArray()));
        for (int group = 1; group <= depth; group++)
        {
            file.Write(Header(Link("a", group < depth ? Address(group + 1) : Address(group), null)));
        }

        return file.ToArray();
    }

    private static readonly string[] LinkNames =
    {
        "layers", "vars", "cell", "layer", "forward_layer", "backward_layer", "lstm", "lstm_1", "dense", "simple_rnn", "0", "1", "2", "n0", "n1", "n2", "n3", "model_weights",
    };

    /// <summary>A random link graph: fan-out towers, cycles, chains and random paths over a small pool of names.</summary>
    public static (byte[] Bytes, string What) RandomLinkGraph(Random random)
    {
        var links = new List<(string, string?)>();
        string what;
        switch (random.Next(6))
        {
            case 5:
            {
                int depth = 1 + random.Next(random.Next(2) == 0 ? 50 : 30_000);
                return (NestedChain(depth), $"{depth} nested groups walked by one soft link");
            }

            case 0:
            {
                // Fan-out: n_j -> "/n_{j-1}/n_{j-1}/..." (width parts), layers -> "/n_depth".
                int width = 2 + random.Next(random.Next(2) == 0 ? 8 : 300);
                int depth = 1 + random.Next(8);
                links.Add(("n0", "/"));
                for (int j = 1; j <= depth; j++)
                {
                    links.Add(($"n{j}", "/" + string.Join("/", Enumerable.Repeat($"n{j - 1}", width))));
                }

                links.Add(("layers", $"/n{depth}"));
                what = $"soft-link fan-out, width {width}, depth {depth}";
                break;
            }

            case 1:
            {
                // A chain of soft links, possibly closed into a cycle.
                int length = 1 + random.Next(40);
                bool cycle = random.Next(2) == 0;
                for (int j = 0; j < length; j++)
                {
                    links.Add(($"c{j}", j + 1 < length ? $"/c{j + 1}" : cycle ? "/c0" : "/"));
                }

                links.Add(("layers", "/c0"));
                what = $"soft-link chain of {length}{(cycle ? ", closed into a cycle" : "")}";
                break;
            }

            case 2:
            {
                // Many hard links back to the root: every group is the root, so names recurse as deep as readers go.
                int count = 1 + random.Next(random.Next(2) == 0 ? 16 : 5000);
                links.Add(("layers", null));
                foreach (string name in new[] { "vars", "cell", "layer", "forward_layer", "backward_layer" }.Where(_ => random.Next(2) == 0))
                {
                    links.Add((name, null));
                }

                for (int j = 0; j < count; j++)
                {
                    links.Add((j == 0 ? "lstm" : $"lstm_{j}", null));
                }

                what = $"{count} hard links back to the root";
                break;
            }

            case 3:
            {
                // Long names and long soft targets.
                int length = 1 + random.Next(60_000);
                links.Add(("layers", "/" + new string('a', length)));
                links.Add((new string('a', Math.Min(length, 60_000)), random.Next(2) == 0 ? null : "/layers"));
                what = $"names and targets of {length} characters";
                break;
            }

            default:
            {
                int count = 1 + random.Next(30);
                var names = new HashSet<string>();
                for (int j = 0; j < count; j++)
                {
                    string name = LinkNames[random.Next(LinkNames.Length)];
                    if (!names.Add(name))
                    {
                        continue;
                    }

                    if (random.Next(3) == 0)
                    {
                        links.Add((name, null));
                    }
                    else
                    {
                        int parts = 1 + random.Next(random.Next(2) == 0 ? 4 : 100);
                        string path = string.Join("/", Enumerable.Range(0, parts).Select(_ => random.Next(8) == 0 ? ".." : LinkNames[random.Next(LinkNames.Length)]));
                        links.Add((name, random.Next(2) == 0 ? "/" + path : path));
                    }
                }

                what = $"random graph of {links.Count} links";
                break;
            }
        }

        return (LinkGraph(links), what);
    }

    /// <summary>Archives with a deflated run of zeros in one entry (decompression bombs), built once each: they cost time to make.</summary>
    private static readonly Dictionary<(int MiB, string Entry), byte[]> Bombs = new();

    /// <summary>A zip archive: a bomb, a lying size, or a monster config / npz, for the Keras and npz readers.</summary>
    public static (byte[] Bytes, string What) RandomArchive(Random random, byte[] stackWeightsH5, byte[] stackConfig, byte[] stackMetadata)
    {
        switch (random.Next(6))
        {
            case 0:
            {
                // A bomb in one entry of an otherwise valid .keras archive.
                int[] sizes = { 1, 17, 80 };
                int mib = sizes[random.Next(random.Next(4) == 0 ? 3 : 2)];
                string entry = new[] { "config.json", "metadata.json", "model.weights.h5" }[random.Next(3)];
                byte[] bomb;
                lock (Bombs)
                {
                    if (!Bombs.TryGetValue((mib, entry), out bomb!))
                    {
                        var zeros = new byte[mib << 20];
                        bomb = Deflated(new List<(string, object)>
                        {
                            ("metadata.json", entry == "metadata.json" ? zeros : stackMetadata),
                            ("config.json", entry == "config.json" ? zeros : stackConfig),
                            ("model.weights.h5", entry == "model.weights.h5" ? zeros : stackWeightsH5),
                        });
                        Bombs[(mib, entry)] = bomb;
                    }
                }

                return (bomb, $"{mib} MiB of zeros as {entry}");
            }

            case 1:
            {
                // An entry whose central directory understates (or overstates) its inflated size.
                byte[] archive = Deflated(new List<(string, object)> { ("metadata.json", stackMetadata), ("config.json", stackConfig), ("model.weights.h5", stackWeightsH5) });
                uint[] lies = { 0, 1, 100, 4096, 0x7FFFFFFF, 0xFFFFFFFF, (uint)random.Next() };
                uint lie = lies[random.Next(lies.Length)];
                int count = PatchCentralSizes(archive, random.Next(3), lie);
                return (archive, $"central directory size of entry {count} set to {lie}");
            }

            case 2:
            {
                // An .npz of many arrays, empty or tiny.
                int count = 1 + random.Next(random.Next(2) == 0 ? 20 : 3000);
                var entries = Enumerable.Range(0, count).Select(i => ($"arr_{i}.npy", (object)BadInputTests.Npy(NpyHeader("<f4", random.Next(2) == 0 ? "(0,)" : "(1, 1)"), 4))).ToList();
                return (Stored(entries), $".npz of {count} arrays");
            }

            case 3:
            {
                // .npy headers with huge, negative or many dimensions, odd dtypes and header lengths.
                string[] shapes = { "(1099511627776, 1099511627776)", "(-1,)", "(4294967296,)", "()", "(" + string.Join(", ", Enumerable.Repeat("2", 40)) + ")", "(3, 16)", "(9223372036854775807,)" };
                string[] dtypes = { "<f4", "<f8", ">f2", "|O", "<i8", "<f16", "" };
                string shape = shapes[random.Next(shapes.Length)];
                string dtype = dtypes[random.Next(dtypes.Length)];
                byte[] npy = BadInputTests.Npy(NpyHeader(dtype, shape), random.Next(200));
                if (random.Next(3) == 0)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(npy.AsSpan(8), (ushort)random.Next(65536));
                }

                return (Stored(new List<(string, object)> { ("arr_0.npy", npy) }), $".npy of dtype '{dtype}', shape {shape}");
            }

            case 4:
            {
                // A config of many layers, deeply nested, with huge numbers or lone surrogates.
                string config = MonsterConfig(random, out string what);
                return (Deflated(new List<(string, object)> { ("metadata.json", stackMetadata), ("config.json", config), ("model.weights.h5", stackWeightsH5) }), what);
            }

            default:
            {
                // Many entries, duplicate names, names of megabytes.
                var entries = new List<(string, object)> { ("metadata.json", stackMetadata), ("config.json", stackConfig), ("model.weights.h5", stackWeightsH5) };
                int extra = random.Next(random.Next(2) == 0 ? 10 : 3000);
                for (int i = 0; i < extra; i++)
                {
                    entries.Add((random.Next(10) == 0 ? "config.json" : random.Next(50) == 0 ? new string('x', 60_000) : $"extra_{i}", "{}"));
                }

                return (Stored(entries), $"{extra} extra entries");
            }
        }
    }

    private static string NpyHeader(string dtype, string shape) => $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape}, }}";

    private static string MonsterConfig(Random random, out string what)
    {
        string Layer(int i) => $"{{\"class_name\": \"Dense\", \"config\": {{\"name\": \"dense_{i}\", \"units\": {Number(random)}, \"activation\": \"relu\"}}}}";
        switch (random.Next(4))
        {
            case 0:
            {
                int count = 1 + random.Next(20_000);
                what = $"config of {count} layers";
                return "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [" + string.Join(", ", Enumerable.Range(0, count).Select(Layer)) + "]}}";
            }

            case 1:
            {
                int depth = 1 + random.Next(400);
                what = $"config nested {depth} deep";
                string inner = string.Concat(Enumerable.Repeat("{\"class_name\": \"Bidirectional\", \"config\": {\"layer\": ", depth)) + Layer(0) + string.Concat(Enumerable.Repeat("}}", depth));
                return "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [" + inner + "]}}";
            }

            case 2:
            {
                string[] bad = { "\\ud800", "\\udc00", "\\ud800\\ud800", "\\udfff x", "\\u0000" };
                string where = new[] { "class_name", "name", "activation", "merge_mode", "recurrent_activation" }[random.Next(5)];
                string text = bad[random.Next(bad.Length)];
                what = $"config with \"{text}\" in {where}";
                return "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"" + (where == "class_name" ? text : "Bidirectional") + "\", \"config\": {\"name\": \"" + (where == "name" ? text : "b") +
                    "\", \"merge_mode\": \"" + (where == "merge_mode" ? text : "concat") + "\", \"layer\": {\"class_name\": \"LSTM\", \"config\": {\"units\": 4, \"activation\": \"" + (where == "activation" ? text : "tanh") +
                    "\", \"recurrent_activation\": \"" + (where == "recurrent_activation" ? text : "sigmoid") + "\"}}}}]}}";
            }

            default:
            {
                int length = random.Next(2_000_000);
                what = $"config with a {length}-character class name";
                return "{\"class_name\": \"" + new string('A', length) + "\", \"config\": {\"layers\": [" + Layer(1) + "]}}";
            }
        }
    }

    private static string Number(Random random) => random.Next(6) switch
    {
        0 => "1e308",
        1 => "-5",
        2 => "2147483648",
        3 => "99999999999999999999999999",
        4 => "0.5",
        _ => random.Next(1, 64).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static byte[] Deflated(List<(string Name, object Content)> entries) => Zip(entries, CompressionLevel.Fastest);

    private static byte[] Stored(List<(string Name, object Content)> entries) => Zip(entries, CompressionLevel.NoCompression);

    private static byte[] Zip(List<(string Name, object Content)> entries, CompressionLevel level)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using Stream entry = archive.CreateEntry(name, level).Open();
                entry.Write(content is string text ? Encoding.UTF8.GetBytes(text) : (byte[])content);
            }
        }

        return stream.ToArray();
    }

    // Sets the uncompressed size of the central directory record number `which` (PK\1\2, offset 24).
    private static int PatchCentralSizes(byte[] archive, int which, uint size)
    {
        int seen = 0;
        for (int at = 0; at + 46 <= archive.Length; at++)
        {
            if (archive[at] == 'P' && archive[at + 1] == 'K' && archive[at + 2] == 1 && archive[at + 3] == 2)
            {
                if (seen++ == which)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(archive.AsSpan(at + 24), size);
                    return which;
                }
            }
        }

        return -1;
    }
}
