using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// Reads the links of a group in any of HDF5's three layouts: a symbol table (v1 B-tree of symbol table nodes whose
/// names live in a local heap; III.A.1, III.B, III.D), link messages in the header (IV.A.2.g), or dense storage in a
/// fractal heap indexed by a version 2 B-tree of name hashes (link info message, IV.A.2.c).
/// </summary>
internal static class Hdf5GroupLinks
{
    public static List<Hdf5Link> Read(Hdf5Object group)
    {
        Hdf5File file = group.File;
        var links = new List<Hdf5Link>();
        foreach (Hdf5Message message in group.Messages)
        {
            switch (message.Type)
            {
                case Hdf5MessageType.SymbolTable:
                {
                    var body = new Hdf5Cursor(file, message.Start, message.Start + message.Length, $"symbol table message of '{group.Path}'");
                    long btree = body.ReadAddress();
                    long heap = body.ReadAddress();
                    ReadSymbolTable(file, group.Path, btree, heap, links);
                    break;
                }

                case Hdf5MessageType.Link:
                    links.Add(ReadLinkMessage(new Hdf5Cursor(file, message.Start, message.Start + message.Length, $"link message of '{group.Path}'")));
                    break;
                case Hdf5MessageType.LinkInfo:
                {
                    var body = new Hdf5Cursor(file, message.Start, message.Start + message.Length, $"link info message of '{group.Path}'");
                    body.ExpectVersion("link info message", 0);
                    int flags = body.ReadByte();
                    if ((flags & 0x01) != 0)
                    {
                        body.Skip(8); // maximum creation index
                    }

                    long heapAddress = body.ReadAddress();
                    long nameIndex = body.ReadAddress();
                    if (heapAddress != Hdf5File.UndefinedAddress)
                    {
                        var heap = new FractalHeap(file, heapAddress);
                        new BTreeV2(file, nameIndex, 5).ForEachRecord(record =>
                        {
                            // III.A.2 record type 5: name hash (4 bytes), then the heap ID.
                            record.Skip(4);
                            (int start, int length) = heap.Read(record.Position, record.Remaining);
                            links.Add(ReadLinkMessage(new Hdf5Cursor(file, start, start + length, $"dense link of '{group.Path}'")));
                        });
                    }

                    break;
                }
            }
        }

        var seen = new HashSet<string>();
        foreach (Hdf5Link link in links)
        {
            if (!seen.Add(link.Name))
            {
                throw new InvalidDataException($"HDF5: the group '{Hdf5File.Shorten(group.Path)}' has two members named '{Hdf5File.Shorten(link.Name)}'; the file is corrupt.");
            }
        }

        return links;
    }

    private static Hdf5Link ReadLinkMessage(Hdf5Cursor body)
    {
        // IV.A.2.g: version 1, flags, optional type / creation order / charset, name length of 1-8 bytes, name, target.
        body.ExpectVersion("link message", 1);
        int flags = body.ReadByte();
        int linkType = (flags & 0x08) != 0 ? body.ReadByte() : 0;
        if ((flags & 0x04) != 0)
        {
            body.Skip(8);
        }

        if ((flags & 0x10) != 0)
        {
            body.Skip(1);
        }

        ulong nameLength = body.ReadUInt(1 << (flags & 0x03));
        if (nameLength == 0 || nameLength > (ulong)body.Remaining)
        {
            throw body.Fail($"a link name of 1 to {body.Remaining} bytes, but found {nameLength}");
        }

        string name = body.File.Text(body.ReadBytes((int)nameLength));
        switch (linkType)
        {
            case 0:
                return new Hdf5Link(name, body.ReadAddress(), null);
            case 1:
            {
                int length = body.ReadUInt16();
                return new Hdf5Link(name, Hdf5File.UndefinedAddress, body.File.Text(body.ReadBytes(length)));
            }

            case 64:
                throw new InvalidDataException($"HDF5: '{Hdf5File.Shorten(name)}' is an external link to another file, which RnnGen does not follow.");
            default:
                throw body.Fail($"a hard (0), soft (1) or external (64) link, but '{name}' has link type {linkType}");
        }
    }

    private static void ReadSymbolTable(Hdf5File file, string path, long btreeAddress, long heapAddress, List<Hdf5Link> links)
    {
        // III.D local heap: "HEAP", version 0, data segment size, free list offset, data segment address.
        Hdf5Cursor heap = file.CursorToEnd(heapAddress, $"local heap of '{path}' at 0x{heapAddress:X}");
        heap.ExpectSignature("HEAP");
        heap.ExpectVersion("local heap", 0);
        heap.Skip(3);
        long segmentSize = heap.ReadLength();
        heap.ReadLength();
        long segmentAddress = heap.ReadAddress();
        Hdf5Cursor segment = file.Cursor(segmentAddress, segmentSize, $"local heap data of '{path}'");

        var visited = new HashSet<long>();
        VisitGroupNode(file, path, btreeAddress, -1, segment, links, visited);
    }

    private static void VisitGroupNode(Hdf5File file, string path, long address, int expectedLevel, Hdf5Cursor names, List<Hdf5Link> links, HashSet<long> visited)
    {
        if (!visited.Add(address))
        {
            throw new InvalidDataException($"HDF5: the group B-tree of '{path}' reaches node 0x{address:X} twice; the file is corrupt.");
        }

        // III.A.1: "TREE", node type 0 (group), level, entries used, siblings, then keys and children interleaved.
        Hdf5Cursor node = file.CursorToEnd(address, $"group B-tree node of '{path}' at 0x{address:X}");
        node.ExpectSignature("TREE");
        int type = node.ReadByte();
        int level = node.ReadByte();
        int entries = node.ReadUInt16();
        if (type != 0 || (expectedLevel >= 0 && level != expectedLevel))
        {
            throw node.Fail($"a group node (type 0){(expectedLevel >= 0 ? $" at level {expectedLevel}" : "")}, but found type {type} at level {level}");
        }

        node.ReadAddress();
        node.ReadAddress();
        var children = new long[entries];
        for (int i = 0; i < entries; i++)
        {
            node.ReadLength(); // key: heap offset of the largest name in the child
            children[i] = node.ReadAddress();
        }

        node.ReadLength();
        foreach (long child in children)
        {
            file.Spend();
            if (level > 0)
            {
                VisitGroupNode(file, path, child, level - 1, names, links, visited);
            }
            else
            {
                ReadSymbolTableNode(file, path, child, names, links, visited);
            }
        }
    }

    private static void ReadSymbolTableNode(Hdf5File file, string path, long address, Hdf5Cursor names, List<Hdf5Link> links, HashSet<long> visited)
    {
        if (!visited.Add(address))
        {
            throw new InvalidDataException($"HDF5: the group B-tree of '{path}' reaches symbol table node 0x{address:X} twice; the file is corrupt.");
        }

        // III.B: "SNOD", version 1, reserved, number of symbols, then symbol table entries (III.C).
        Hdf5Cursor node = file.CursorToEnd(address, $"symbol table node of '{path}' at 0x{address:X}");
        node.ExpectSignature("SNOD");
        node.ExpectVersion("symbol table node", 1);
        node.Skip(1);
        int count = node.ReadUInt16();
        for (int i = 0; i < count; i++)
        {
            file.Spend();
            long nameOffset = node.ReadLength();
            long objectAddress = node.ReadAddress();
            uint cacheType = node.ReadUInt32();
            node.Skip(4);
            int scratch = node.Position;
            node.Skip(16);
            string name = NameAt(names, nameOffset);
            if (cacheType == 2)
            {
                // Soft link: the scratch pad holds the heap offset of the link value.
                var scratchCursor = new Hdf5Cursor(file, scratch, scratch + 4, node.What);
                links.Add(new Hdf5Link(name, Hdf5File.UndefinedAddress, NameAt(names, scratchCursor.ReadUInt32())));
            }
            else
            {
                links.Add(new Hdf5Link(name, objectAddress, null));
            }
        }
    }

    private static string NameAt(Hdf5Cursor segment, long offset)
    {
        if (offset < 0 || offset >= segment.End - segment.Start)
        {
            throw segment.Fail($"a name offset below {segment.End - segment.Start}, but found {offset}");
        }

        int start = segment.Start + (int)offset;
        int end = Array.IndexOf(segment.File.Data, (byte)0, start, segment.End - start);
        if (end < 0)
        {
            throw segment.Fail($"a NUL-terminated name at offset {offset}");
        }

        return segment.File.Text(segment.File.Data.AsSpan(start, end - start));
    }
}
