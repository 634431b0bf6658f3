using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Hdf5;

// The byte layout, from the HDF5 File Format Specification version 3.0 (https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html):
// II.A superblock version 2, III.E global heap collection, IV.A.1.b version-2 object header, IV.A.2 header messages.
// Offsets and lengths are 8 bytes; all numbers little-endian.
internal sealed partial class Hdf5Writer
{
    private const ulong Undefined = ulong.MaxValue; // "undefined address" (all bits set)
    private const int SuperblockSize = 48;
    private const int GlobalHeapMinimumSize = 4096; // H5HG_MINSIZE: HDF5 first reads this much of a collection

    // Header message types (IV.A.2).
    private const byte DataspaceMessage = 0x01;
    private const byte LinkInfoMessage = 0x02;
    private const byte DatatypeMessage = 0x03;
    private const byte FillValueMessage = 0x05;
    private const byte LinkMessage = 0x06;
    private const byte LayoutMessage = 0x08;
    private const byte GroupInfoMessage = 0x0A;
    private const byte AttributeMessage = 0x0C;

    private const byte ConstantMessageFlag = 0x01; // the message never changes (HDF5 sets it on datatype and fill value)

    /// <summary>Groups of up to this many links are "compact" by HDF5's default; beyond it the Group Info message says so.</summary>
    private const int DefaultMaxCompactLinks = 8;
    private const int DefaultMinDenseLinks = 6;

    private static readonly byte[] Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n' };

    private void Encode(FileImage file)
    {
        file.Skip(SuperblockSize);

        // Strings first, in one global heap collection, so that attribute messages can point at them.
        var strings = new List<string>();
        Collect(Root, strings);
        Dictionary<string, (ulong Address, int Index)> heapIds = WriteGlobalHeap(file, strings);

        ulong root = WriteGroup(file, Root, heapIds);

        // Superblock version 2 (II.A): signature, version, sizes of offsets and lengths, consistency flags, base address,
        // superblock extension address, end-of-file address, root group object header address, checksum.
        var superblock = new ByteList();
        superblock.Bytes(Signature);
        superblock.U8(2);
        superblock.U8(8);
        superblock.U8(8);
        superblock.U8(0);
        superblock.U64(0);
        superblock.U64(Undefined);
        superblock.U64((ulong)file.Length);
        superblock.U64(root);
        superblock.U32(JenkinsLookup3.Hash(superblock.Span));
        file.Patch(0, superblock.Span);
    }

    private static void Collect(Hdf5WriterGroup group, List<string> strings)
    {
        strings.AddRange(group.Attributes.Where(a => a.Text is not null).Select(a => a.Text!));
        foreach (var (_, child) in group.Links)
        {
            if (child is Hdf5WriterGroup subgroup)
            {
                Collect(subgroup, strings);
            }
        }
    }

    /// <summary>Writes one global heap collection (III.E) holding each distinct string once; returns each string's heap ID.</summary>
    private static Dictionary<string, (ulong Address, int Index)> WriteGlobalHeap(FileImage file, List<string> strings)
    {
        var ids = new Dictionary<string, (ulong, int)>(StringComparer.Ordinal);
        string[] distinct = strings.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return ids;
        }

        if (distinct.Length >= ushort.MaxValue)
        {
            throw new ArgumentException($"The file would hold {distinct.Length} distinct strings; this writer puts at most 65534 in its one global heap collection.");
        }

        file.Align(8);
        ulong address = (ulong)file.Length;
        var objects = new ByteList();
        for (int i = 0; i < distinct.Length; i++)
        {
            byte[] data = Encoding.UTF8.GetBytes(distinct[i]);
            objects.U16((ushort)(i + 1)); // heap object index (0 is the free space)
            objects.U16(1); // reference count
            objects.U32(0); // reserved
            objects.U64((ulong)data.Length);
            objects.Bytes(data);
            objects.Pad(8);
            ids[distinct[i]] = (address, i + 1);
        }

        const int HeaderSize = 16;
        const int ObjectHeaderSize = 16;
        long size = HeaderSize + objects.Count + ObjectHeaderSize;
        size = Math.Max(GlobalHeapMinimumSize, (size + 7) / 8 * 8);
        var heap = new ByteList();
        heap.Bytes("GCOL"u8);
        heap.U8(1); // version
        heap.Bytes(stackalloc byte[3]); // reserved
        heap.U64((ulong)size);
        heap.Bytes(objects.Span);

        // Object 0 describes the free space left at the end: its size counts its own 16-byte header.
        long free = size - heap.Count;
        heap.U16(0);
        heap.U16(0);
        heap.U32(0);
        heap.U64((ulong)free);
        heap.Bytes(new byte[free - ObjectHeaderSize]);
        file.Append(heap.Span);
        return ids;
    }

    /// <summary>Writes the children of <paramref name="group"/>, then its object header; returns the header's address.</summary>
    private static ulong WriteGroup(FileImage file, Hdf5WriterGroup group, Dictionary<string, (ulong Address, int Index)> heapIds)
    {
        var addresses = new List<(string Name, ulong Address)>();
        foreach (var (name, child) in group.Links)
        {
            ulong address = child is Hdf5WriterGroup subgroup ? WriteGroup(file, subgroup, heapIds) : WriteDataset(file, (Hdf5WriterDataset)child);
            addresses.Add((name, address));
        }

        var header = new ObjectHeader();

        // Link Info (IV.A.2.c) version 0, no creation order: no fractal heap and no name index, so the links are the link
        // messages below ("compact" storage).
        var linkInfo = new ByteList();
        linkInfo.U8(0);
        linkInfo.U8(0);
        linkInfo.U64(Undefined);
        linkInfo.U64(Undefined);
        header.Add(LinkInfoMessage, linkInfo);

        // Group Info (IV.A.2.k) version 0. HDF5 keeps at most 8 links compact by default; a larger group written compact
        // states its own limit, so a library that later adds a link knows where it stands.
        var groupInfo = new ByteList();
        groupInfo.U8(0);
        if (addresses.Count > DefaultMaxCompactLinks)
        {
            groupInfo.U8(1);
            groupInfo.U16((ushort)Math.Min(addresses.Count, ushort.MaxValue));
            groupInfo.U16(DefaultMinDenseLinks);
        }
        else
        {
            groupInfo.U8(0);
        }

        header.Add(GroupInfoMessage, groupInfo);

        foreach (var (name, address) in addresses)
        {
            // Link (IV.A.2.g) version 1, a hard link: flags give the width of the name length and whether a character set
            // follows (UTF-8 for a non-ASCII name; ASCII when absent).
            byte[] bytes = Encoding.UTF8.GetBytes(name);
            bool ascii = bytes.All(b => b < 0x80);
            var link = new ByteList();
            link.U8(1);
            link.U8((byte)((bytes.Length > byte.MaxValue ? 1 : 0) | (ascii ? 0 : 0x10)));
            if (!ascii)
            {
                link.U8(1);
            }

            if (bytes.Length > byte.MaxValue)
            {
                link.U16((ushort)bytes.Length);
            }
            else
            {
                link.U8((byte)bytes.Length);
            }

            link.Bytes(bytes);
            link.U64(address);
            header.Add(LinkMessage, link);
        }

        foreach (Hdf5WriterAttribute attribute in group.Attributes)
        {
            header.Add(AttributeMessage, EncodeAttribute(attribute, heapIds));
        }

        return header.WriteTo(file);
    }

    private static ulong WriteDataset(FileImage file, Hdf5WriterDataset dataset)
    {
        ulong dataAddress = Undefined;
        int byteCount = dataset.Integer is null ? checked(dataset.Values.Length * sizeof(float)) : sizeof(long);
        if (byteCount > 0)
        {
            file.Align(8);
            dataAddress = (ulong)file.Length;
            byte[] data = new byte[byteCount];
            if (dataset.Integer is long integer)
            {
                BinaryPrimitives.WriteInt64LittleEndian(data, integer);
            }

            for (int i = 0; i < dataset.Values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), dataset.Values[i]);
            }

            file.Append(data);
        }

        var header = new ObjectHeader();
        header.Add(DataspaceMessage, EncodeDataspace(dataset.Dimensions));
        ByteList type = dataset.Integer is null ? EncodeFloat32() : new ByteList();
        if (dataset.Integer is not null)
        {
            EncodeInteger(type, sizeof(long), signed: true);
        }

        header.Add(DatatypeMessage, type, ConstantMessageFlag);

        // Fill Value (IV.A.2.f) version 3: space allocated late, fill written if set, no fill value defined; what HDF5
        // records for a contiguous dataset written whole.
        var fill = new ByteList();
        fill.U8(3);
        fill.U8(0x02 | (0x02 << 2));
        header.Add(FillValueMessage, fill, ConstantMessageFlag);

        // Data Layout (IV.A.2.i) version 3, contiguous: address and size of the raw data.
        var layout = new ByteList();
        layout.U8(3);
        layout.U8(1);
        layout.U64(dataAddress);
        layout.U64((ulong)byteCount);
        header.Add(LayoutMessage, layout);
        return header.WriteTo(file);
    }

    /// <summary>Dataspace (IV.A.2.b) version 2: scalar without dimensions, else simple with current sizes and no maxima.</summary>
    private static ByteList EncodeDataspace(IReadOnlyList<int> dimensions)
    {
        var space = new ByteList();
        space.U8(2);
        space.U8((byte)dimensions.Count);
        space.U8(0);
        space.U8((byte)(dimensions.Count == 0 ? 0 : 1));
        foreach (int d in dimensions)
        {
            space.U64((ulong)d);
        }

        return space;
    }

    /// <summary>Datatype (IV.A.2.d) version 1, floating point: IEEE 754 binary32, little-endian (numpy <c>&lt;f4</c>).</summary>
    private static ByteList EncodeFloat32()
    {
        var type = new ByteList();
        type.U8(0x11); // version 1, class 1 (floating point)
        type.U8(0x20); // little-endian, no padding bits, mantissa normalization "implied most significant bit"
        type.U8(31); // sign bit position
        type.U8(0);
        type.U32(4); // size in bytes
        type.U16(0); // bit offset
        type.U16(32); // bit precision
        type.U8(23); // exponent location
        type.U8(8); // exponent size
        type.U8(0); // mantissa location
        type.U8(23); // mantissa size
        type.U32(127); // exponent bias
        return type;
    }

    /// <summary>Datatype version 1, fixed point: a little-endian integer of <paramref name="size"/> bytes.</summary>
    private static void EncodeInteger(ByteList type, int size, bool signed)
    {
        type.U8(0x10); // version 1, class 0 (fixed point)
        type.U8((byte)(signed ? 0x08 : 0x00));
        type.U8(0);
        type.U8(0);
        type.U32((uint)size);
        type.U16(0); // bit offset
        type.U16((ushort)(8 * size)); // bit precision
    }

    /// <summary>Attribute (IV.A.2.m) version 3: name, datatype, scalar dataspace, value.</summary>
    private static ByteList EncodeAttribute(Hdf5WriterAttribute attribute, Dictionary<string, (ulong Address, int Index)> heapIds)
    {
        var type = new ByteList();
        var value = new ByteList();
        if (attribute.Text is { } text)
        {
            // Variable-length string (class 9), null-terminated padding, UTF-8, over unsigned bytes: h5py's type for str.
            // The value is the length in bytes and the global heap ID (collection address, object index).
            type.U8(0x19);
            type.U8(0x01); // type 1: string; padding 0: null terminate
            type.U8(0x01); // character set 1: UTF-8
            type.U8(0);
            type.U32(16);
            EncodeInteger(type, 1, signed: false);
            var (address, index) = heapIds[text];
            value.U32((uint)Encoding.UTF8.GetByteCount(text));
            value.U64(address);
            value.U32((uint)index);
        }
        else
        {
            EncodeInteger(type, 8, signed: true);
            value.U64((ulong)attribute.Integer);
        }

        byte[] name = Encoding.UTF8.GetBytes(attribute.Name + "\0");
        ByteList space = EncodeDataspace(Array.Empty<int>());
        var message = new ByteList();
        message.U8(3);
        message.U8(0);
        message.U16((ushort)name.Length);
        message.U16((ushort)type.Count);
        message.U16((ushort)space.Count);
        message.U8(1); // the name is UTF-8
        message.Bytes(name);
        message.Bytes(type.Span);
        message.Bytes(space.Span);
        message.Bytes(value.Span);
        return message;
    }
}
