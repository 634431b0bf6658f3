using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// An attribute (spec IV.A.2.m): its name, type, shape and where its value lies. Attributes come from attribute messages
/// in the object header or, for objects with many or large attributes, from dense storage (attribute info message,
/// IV.A.2.v: a fractal heap indexed by a version 2 B-tree of name hashes).
/// </summary>
internal sealed class Hdf5Attribute
{
    private readonly Hdf5File _file;
    private readonly int _dataStart;
    private readonly int _dataLength;

    private Hdf5Attribute(Hdf5File file, string owner, string name, Hdf5Datatype type, Hdf5Dataspace space, int dataStart, int dataLength)
    {
        _file = file;
        Owner = owner;
        Name = name;
        Datatype = type;
        Dataspace = space;
        _dataStart = dataStart;
        _dataLength = dataLength;
    }

    /// <summary>Path of the object the attribute belongs to.</summary>
    public string Owner { get; }

    public string Name { get; }

    public Hdf5Datatype Datatype { get; }

    public Hdf5Dataspace Dataspace { get; }

    public static List<Hdf5Attribute> ReadAll(Hdf5Object owner)
    {
        Hdf5File file = owner.File;
        var attributes = new List<Hdf5Attribute>();
        foreach (Hdf5Message message in owner.Messages)
        {
            if (message.Type == Hdf5MessageType.Attribute)
            {
                attributes.Add(Read(file, owner.Path, message.Start, message.Length));
            }
            else if (message.Type == Hdf5MessageType.AttributeInfo)
            {
                var body = new Hdf5Cursor(file, message.Start, message.Start + message.Length, $"attribute info message of '{owner.Path}'");
                body.ExpectVersion("attribute info message", 0);
                int flags = body.ReadByte();
                if ((flags & 0x01) != 0)
                {
                    body.Skip(2); // maximum creation index
                }

                long heapAddress = body.ReadAddress();
                long nameIndex = body.ReadAddress();
                if (heapAddress == Hdf5File.UndefinedAddress)
                {
                    continue;
                }

                var heap = new FractalHeap(file, heapAddress);
                new BTreeV2(file, nameIndex, 8).ForEachRecord(record =>
                {
                    // III.A.2 record type 8: heap ID (8), message flags (1), creation order (4), name hash (4).
                    int idStart = record.Position;
                    record.Skip(8);
                    int messageFlags = record.ReadByte();
                    if ((messageFlags & 0x02) != 0)
                    {
                        throw record.Fail("an attribute stored in the fractal heap (shared attributes are not supported)");
                    }

                    (int start, int length) = heap.Read(idStart, 8);
                    attributes.Add(Read(file, owner.Path, start, length));
                });
            }
        }

        return attributes;
    }

    /// <summary>
    /// The value as strings: fixed-length strings (padding removed as the type's padding says), variable-length strings
    /// (from the global heap), or arrays of either. A zero-element attribute of any type reads as no strings: Keras writes
    /// an empty <c>weight_names</c> as an empty float64 array.
    /// </summary>
    public string[] ReadStrings()
    {
        long count = Dataspace.ElementCount;
        if (count == 0)
        {
            return Array.Empty<string>();
        }

        Hdf5Datatype type = Datatype;
        if (type.Class == Hdf5TypeClass.Array && type.Base is not null)
        {
            long perElement = 1;
            foreach (int d in type.ArrayDimensions)
            {
                perElement *= d;
            }

            count = perElement > 0 && count > long.MaxValue / perElement ? long.MaxValue : count * perElement;
            type = type.Base;
        }

        if (!type.IsText)
        {
            throw new InvalidDataException(
                $"HDF5: the attribute '{Name}' of '{Owner}' should hold text, but holds {Datatype.Describe()}.");
        }

        int elementSize = type.Class == Hdf5TypeClass.String ? type.Size : 4 + _file.OffsetSize + 4;
        if (elementSize <= 0 || count > _dataLength / elementSize)
        {
            throw new InvalidDataException(
                $"HDF5: the attribute '{Name}' of '{Owner}' claims {count} value(s) of {elementSize} bytes but stores only {_dataLength} bytes.");
        }

        var result = new string[count];
        var cursor = new Hdf5Cursor(_file, _dataStart, _dataStart + _dataLength, $"value of the attribute '{Name}' of '{Owner}'");
        for (int i = 0; i < count; i++)
        {
            _file.Spend();
            if (type.Class == Hdf5TypeClass.String)
            {
                result[i] = DecodeFixed(_file, cursor.ReadBytes(type.Size), type.StringPadding);
            }
            else
            {
                // IV.A.2.d variable-length data in an attribute: length, then a global heap ID (collection address, index).
                uint length = cursor.ReadUInt32();
                long collection = cursor.ReadAddress();
                int index = (int)cursor.ReadUInt32();
                if (collection == Hdf5File.UndefinedAddress || collection == 0 || length == 0)
                {
                    result[i] = string.Empty;
                    continue;
                }

                (int start, int stored) = _file.GetGlobalHeap(collection).Get(index);
                if (length > stored)
                {
                    throw cursor.Fail($"a string of at most {stored} bytes (its heap object), but found length {length}");
                }

                result[i] = DecodeFixed(_file, new ReadOnlySpan<byte>(_file.Data, start, (int)length), 0);
            }
        }

        return result;
    }

    /// <summary>The value as one string (a scalar or one-element text attribute).</summary>
    public string ReadString()
    {
        string[] values = ReadStrings();
        if (values.Length != 1)
        {
            throw new InvalidDataException($"HDF5: the attribute '{Name}' of '{Owner}' should hold one string but holds {values.Length}.");
        }

        return values[0];
    }

    private static string DecodeFixed(Hdf5File file, ReadOnlySpan<byte> bytes, int padding)
    {
        // IV.A.2.d string padding: 0 null-terminated, 1 null-padded, 2 space-padded. h5py also writes NUL-padded
        // strings that fill the whole width, so stop at the first NUL in every case.
        int end = bytes.IndexOf((byte)0);
        if (end < 0)
        {
            end = bytes.Length;
        }

        if (padding == 2)
        {
            while (end > 0 && bytes[end - 1] == (byte)' ')
            {
                end--;
            }
        }

        return file.Text(bytes.Slice(0, end));
    }

    private static Hdf5Attribute Read(Hdf5File file, string owner, int start, int length)
    {
        var body = new Hdf5Cursor(file, start, start + length, $"attribute message of '{owner}'");
        byte version = body.ExpectVersion("attribute message", 1, 2, 3);
        int flags = body.ReadByte(); // reserved in version 1
        int nameSize = body.ReadUInt16();
        int typeSize = body.ReadUInt16();
        int spaceSize = body.ReadUInt16();
        if (version >= 2 && (flags & 0x03) != 0)
        {
            throw body.Fail("an attribute with its own datatype and dataspace (shared ones are not supported)");
        }

        if (version == 3)
        {
            body.Skip(1); // name character set
        }

        // Version 1 pads the name, datatype and dataspace to multiples of 8 (IV.A.2.m).
        int pad(int n) => version == 1 ? (n + 7) / 8 * 8 : n;
        ReadOnlySpan<byte> nameBytes = body.ReadBytes(nameSize);
        int nul = nameBytes.IndexOf((byte)0);
        string name = file.Text(nul >= 0 ? nameBytes.Slice(0, nul) : nameBytes);
        body.Skip(pad(nameSize) - nameSize);

        var typeCursor = new Hdf5Cursor(file, body.Position, body.Position + typeSize, $"datatype of the attribute '{name}' of '{owner}'");
        body.Skip(pad(typeSize));
        var spaceCursor = new Hdf5Cursor(file, body.Position, body.Position + spaceSize, $"dataspace of the attribute '{name}' of '{owner}'");
        body.Skip(pad(spaceSize));
        Hdf5Datatype type = Hdf5Datatype.Read(typeCursor);
        Hdf5Dataspace space = Hdf5Dataspace.Read(spaceCursor);

        long needed = space.ElementCount == 0 ? 0
            : space.ElementCount > long.MaxValue / Math.Max(1, type.Size) ? long.MaxValue
            : space.ElementCount * type.Size;
        if (needed > body.Remaining)
        {
            throw body.Fail($"{needed} bytes of value for the attribute '{name}' ({space.ShapeText} of {type.Describe()}), but {body.Remaining} remain");
        }

        return new Hdf5Attribute(file, owner, name, type, space, body.Position, body.Remaining);
    }
}
