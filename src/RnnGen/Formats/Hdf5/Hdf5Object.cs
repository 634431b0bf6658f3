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
