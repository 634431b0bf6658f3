using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Hdf5;

/// <summary>A link from a group to an object: hard (an object header address) or soft (a path).</summary>
internal sealed record Hdf5Link(string Name, long Address, string? SoftTarget);

/// <summary>
/// An object of an HDF5 file (group or dataset), read lazily from its object header: its links if it is a group, its
/// attributes, and its data if it is a dataset.
/// </summary>
internal sealed class Hdf5Object
{
    private const int MaxSoftLinkHops = 16;
    private const int MaxSharedHops = 4;

    private List<Hdf5Message>? _messages;
    private List<Hdf5Link>? _links;
    private Dictionary<string, Hdf5Link>? _linksByName;
    private Dictionary<string, Hdf5Attribute>? _attributesByName;
    private List<Hdf5Attribute>? _attributes;
    private Hdf5Dataset? _dataset;

    internal Hdf5Object(Hdf5File file, long address, string path)
    {
        File = file;
        Address = address;
        Path = path;
    }

    public Hdf5File File { get; }

    /// <summary>Address of the object header.</summary>
    public long Address { get; }

    /// <summary>The path by which this object was first reached.</summary>
    public string Path { get; }

    public IReadOnlyList<Hdf5Message> Messages => _messages ??= Hdf5ObjectHeader.Read(File, Address);

    /// <summary>A group has a symbol table message (old style) or link / link info messages (new style), IV.A.2.</summary>
    public bool IsGroup => Messages.Any(m => m.Type is Hdf5MessageType.SymbolTable or Hdf5MessageType.LinkInfo or Hdf5MessageType.Link or Hdf5MessageType.GroupInfo);

    /// <summary>A dataset has a data layout message.</summary>
    public bool IsDataset => Messages.Any(m => m.Type == Hdf5MessageType.DataLayout);

    /// <summary>The links of a group, in storage order (alphabetical for symbol tables, as written for link messages).</summary>
    public IReadOnlyList<Hdf5Link> Links => _links ??= Hdf5GroupLinks.Read(this);

    /// <summary>The names of a group's members.</summary>
    public IEnumerable<string> ChildNames => Links.Select(l => l.Name);

    public IReadOnlyList<Hdf5Attribute> Attributes => _attributes ??= Hdf5Attribute.ReadAll(this);

    /// <summary>This object read as a dataset; throws <see cref="InvalidDataException"/> if it is not one.</summary>
    public Hdf5Dataset Dataset => _dataset ??= IsDataset
        ? new Hdf5Dataset(this)
        : throw new InvalidDataException($"HDF5: '{Path}' is a group, but a dataset was expected there.");

    /// <summary>The attribute <paramref name="name"/> (the first, should a corrupt file repeat it), found in constant time.</summary>
    public Hdf5Attribute? Attribute(string name)
    {
        if (_attributesByName is null)
        {
            var byName = new Dictionary<string, Hdf5Attribute>(StringComparer.Ordinal);
            foreach (Hdf5Attribute attribute in Attributes)
            {
                byName.TryAdd(attribute.Name, attribute);
            }

            _attributesByName = byName;
        }

        return _attributesByName.GetValueOrDefault(name);
    }

    public bool HasChild(string name) => IsGroup && LinksByName.ContainsKey(name);

    // Names are unique within a group (Hdf5GroupLinks.Read checks), so a dictionary finds a member in constant time.
    private Dictionary<string, Hdf5Link> LinksByName => _linksByName ??= Links.ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>The member <paramref name="name"/> of this group, or <see langword="null"/>.</summary>
    public Hdf5Object? Child(string name) => Child(name, 0);

    /// <summary>Follows a slash-separated path from this object; <see langword="null"/> when a part is missing.</summary>
    public Hdf5Object? Resolve(string path) => Resolve(path, 0);

    /// <summary>The body of the message of <paramref name="type"/>, following a shared-message reference (IV.A.2, flag bit 1).</summary>
    internal Hdf5Cursor? MessageCursor(int type, string what) => MessageCursor(type, what, 0);

    private Hdf5Cursor? MessageCursor(int type, string what, int hops)
    {
        foreach (Hdf5Message message in Messages)
        {
            if (message.Type != type)
            {
                continue;
            }

            var body = new Hdf5Cursor(File, message.Start, message.Start + message.Length, $"{what} of '{Path}'");
            if (!message.IsShared)
            {
                return body;
            }

            // IV.A.2, shared messages: version 1 (reserved bytes then address), 2 (address) or 3 (type 2: address of
            // the object header holding the message; type 1 would be the shared-message heap, not written by h5py).
            if (hops >= MaxSharedHops)
            {
                throw body.Fail($"shared messages chained at most {MaxSharedHops} deep");
            }

            int version = body.ReadByte();
            int sharedType = body.ReadByte();
            if (version == 1)
            {
                body.Skip(6);
            }
            else if (version == 3 && sharedType != 2)
            {
                throw body.Fail("a message shared through another object header (the shared object header message table is not supported)");
            }
            else if (version is not (2 or 3))
            {
                throw body.Fail($"a shared message of version 1 to 3, but found {version}");
            }

            long address = body.ReadAddress();
            return File.GetObject(address, $"{Path} (shared message at 0x{address:X})").MessageCursor(type, what, hops + 1);
        }

        return null;
    }

    private Hdf5Object? Child(string name, int hops)
    {
        if (!IsGroup)
        {
            return null;
        }

        if (!LinksByName.TryGetValue(name, out Hdf5Link? link))
        {
            return null;
        }

        string childPath = ChildPath(Path, name);
        if (link.SoftTarget is not null)
        {
            if (hops >= MaxSoftLinkHops)
            {
                throw new InvalidDataException($"HDF5: the soft link '{Hdf5File.Shorten(childPath)}' leads through more than {MaxSoftLinkHops} soft links (a cycle?).");
            }

            string target = link.SoftTarget;
            Hdf5Object start = target.StartsWith('/') ? File.Root : this;
            return File.FollowSoftLink(this, name, target, () => start.Resolve(target, hops + 1));
        }

        return File.GetObject(link.Address, childPath);
    }

    /// <summary>Paths kept for messages are cut to their last characters past this length.</summary>
    private const int MaxPathLength = 100;

    /// <summary>
    /// The path of a member, for messages: names past 100 characters shortened, and the whole cut to its last
    /// <see cref="MaxPathLength"/> characters. A chain of thousands of nested groups (or of long names) would otherwise
    /// make every step down it copy a longer path: quadratic in the depth.
    /// </summary>
    private static string ChildPath(string parent, string name)
    {
        string path = (parent == "/" ? "/" : parent + "/") + Hdf5File.Shorten(name);
        return path.Length <= MaxPathLength ? path : "..." + path[^MaxPathLength..];
    }

    private Hdf5Object? Resolve(string path, int hops)
    {
        Hdf5Object? current = this;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            File.Spend(); // each part is a link followed
            if (part == ".")
            {
                continue;
            }

            current = current.Child(part, hops);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <inheritdoc/>
    public override string ToString() => Path;
}

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
