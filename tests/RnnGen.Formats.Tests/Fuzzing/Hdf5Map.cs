using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Formats.Hdf5;

namespace RnnGen.Formats.Tests.Fuzzing;

/// <summary>
/// Where the structures of an HDF5 file lie, so that mutations hit fields rather than raw data: the superblock,
/// every signed structure (object headers, B-trees, heaps, chunk indexes), every header message of every object the
/// reader reaches, and which byte ranges are covered by a Jenkins lookup3 checksum (spec: "the checksum covers the bytes
/// before it"), so that a mutation can be resealed and reach the code behind the checksum check.
/// </summary>
internal sealed class Hdf5Map
{
    private static readonly string[] Signatures =
    {
        "OHDR", "OCHK", "TREE", "HEAP", "SNOD", "FRHP", "FHDB", "FHIB", "BTHD", "BTIN", "BTLF", "GCOL", "FAHD", "FADB", "EAHD", "EAIB", "EASB", "EADB",
    };

    // Structures that end in a lookup3 checksum (spec III and IV, version 2 formats); the others have none.
    private static readonly HashSet<string> Checksummed = new() { "OHDR", "OCHK", "FRHP", "FHDB", "FHIB", "BTHD", "BTIN", "BTLF", "FAHD", "FADB", "EAHD", "EAIB", "EASB", "EADB" };

    private Hdf5Map()
    {
    }

    /// <summary>Ranges worth mutating, with what they are: "superblock", a signature, or "message 0x0C" and the like.</summary>
    public List<(int Start, int Length, string Kind)> Regions { get; } = new();

    /// <summary>Checksummed structures: the bytes [Start, ChecksumAt) are hashed into the 4 bytes at ChecksumAt.</summary>
    public List<(int Start, int ChecksumAt)> Sealed { get; } = new();

    public static Hdf5Map Build(byte[] data)
    {
        var map = new Hdf5Map();
        if (!Hdf5File.HasSignature(data))
        {
            return map;
        }

        map.Regions.Add((0, Math.Min(96, data.Length), "superblock"));
        if (data.Length > 48 && data[8] is 2 or 3)
        {
            int offsetSize = data[9];
            int end = 12 + 4 * offsetSize;
            if (end + 4 <= data.Length && JenkinsLookup3.Hash(data.AsSpan(0, end)) == BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(end)))
            {
                map.Sealed.Add((0, end));
            }
        }

        foreach (string signature in Signatures)
        {
            byte[] pattern = signature.Select(c => (byte)c).ToArray();
            for (int at = data.AsSpan().IndexOf(pattern); at >= 0;)
            {
                map.Regions.Add((at, Math.Min(128, data.Length - at), signature));
                if (Checksummed.Contains(signature) && FindChecksum(data, at, signature) is int checksumAt)
                {
                    map.Sealed.Add((at, checksumAt));
                }

                int next = data.AsSpan(at + 1).IndexOf(pattern);
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        // Messages of every object the reader reaches (version 1 headers have no signature to find them by).
        try
        {
            Hdf5File file = Hdf5File.Open(data);
            var seen = new HashSet<long>();
            Walk(file.Root, 0, seen, map);
        }
        catch (Exception e) when (e is System.IO.InvalidDataException)
        {
            // A fixture the reader cannot walk completely still has its signed structures mapped.
        }

        return map;
    }

    /// <summary>Recomputes the checksum of every sealed structure that overlaps [start, start + length).</summary>
    public void Reseal(byte[] data, int start, int length)
    {
        foreach (var (structure, checksumAt) in Sealed)
        {
            if (start < checksumAt + 4 && start + length > structure && checksumAt + 4 <= data.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(checksumAt), JenkinsLookup3.Hash(data.AsSpan(structure, checksumAt - structure)));
            }
        }
    }

    private static int? FindChecksum(byte[] data, int at, string signature)
    {
        if (signature == "OHDR" && at + 8 < data.Length)
        {
            // IV.A.1.b: flags decide the optional fields and the width of the chunk #0 size.
            int flags = data[at + 5];
            int position = at + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
            int width = 1 << (flags & 0x03);
            if (position + width > data.Length)
            {
                return null;
            }

            ulong size = 0;
            for (int i = 0; i < width; i++)
            {
                size |= (ulong)data[position + i] << (8 * i);
            }

            long end = position + width + (long)size;
            return end + 4 <= data.Length && JenkinsLookup3.Hash(data.AsSpan(at, (int)(end - at))) == BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)end)) ? (int)end : null;
        }

        // Other structures: the first position within a window whose preceding bytes hash to the 4 bytes found there.
        int limit = Math.Min(data.Length - 4, at + 2048);
        for (int end = at + 8; end <= limit; end++)
        {
            if (JenkinsLookup3.Hash(data.AsSpan(at, end - at)) == BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(end)))
            {
                return end;
            }
        }

        return null;
    }

    private static void Walk(Hdf5Object node, int depth, HashSet<long> seen, Hdf5Map map)
    {
        if (depth > 8 || !seen.Add(node.Address))
        {
            return;
        }

        foreach (Hdf5Message message in node.Messages)
        {
            // The message header (type, size, flags) sits just before the body: 4-6 bytes in version 2, 8 in version 1.
            int start = Math.Max(0, message.Start - 8);
            map.Regions.Add((start, message.Start - start + Math.Min(message.Length, 96), $"message 0x{message.Type:X2}"));
        }

        if (!node.IsGroup)
        {
            return;
        }

        foreach (string name in node.ChildNames.Take(64).ToList())
        {
            try
            {
                if (node.Child(name) is Hdf5Object child)
                {
                    Walk(child, depth + 1, seen, map);
                }
            }
            catch (System.IO.InvalidDataException)
            {
            }
        }
    }
}
