using System;
using System.Globalization;

namespace RnnGen.Formats.Hdf5;

/// <summary>Datatype classes of the datatype message (spec IV.A.2.d).</summary>
internal enum Hdf5TypeClass
{
    FixedPoint = 0,
    FloatingPoint = 1,
    Time = 2,
    String = 3,
    Bitfield = 4,
    Opaque = 5,
    Compound = 6,
    Reference = 7,
    Enumerated = 8,
    VariableLength = 9,
    Array = 10,
}

/// <summary>
/// A parsed datatype message (spec IV.A.2.d): enough of it to read IEEE floats of either byte order, fixed and
/// variable-length strings, and arrays of them, and to describe anything else in an error message.
/// </summary>
internal sealed class Hdf5Datatype
{
    private const int MaxNesting = 8;

    private Hdf5Datatype(Hdf5TypeClass typeClass, int size)
    {
        Class = typeClass;
        Size = size;
    }

    public Hdf5TypeClass Class { get; }

    /// <summary>Bytes per element.</summary>
    public int Size { get; }

    /// <summary>Fixed- and floating-point byte order.</summary>
    public bool BigEndian { get; private set; }

    /// <summary>Fixed-point signedness.</summary>
    public bool Signed { get; private set; }

    /// <summary>Whether a floating-point type has the IEEE 754 binary16/32/64 bit layout.</summary>
    public bool IsIeeeFloat { get; private set; }

    /// <summary>String padding: 0 null-terminated, 1 null-padded, 2 space-padded.</summary>
    public int StringPadding { get; private set; }

    /// <summary>Variable-length type: a string (1) rather than a sequence (0).</summary>
    public bool IsVariableLengthString { get; private set; }

    /// <summary>Base type of a variable-length, array or enumerated type.</summary>
    public Hdf5Datatype? Base { get; private set; }

    /// <summary>Dimensions of an array type.</summary>
    public int[] ArrayDimensions { get; private set; } = Array.Empty<int>();

    /// <summary>Whether values of this type are text (fixed or variable-length strings, or arrays of them).</summary>
    public bool IsText => Class == Hdf5TypeClass.String
        || (Class == Hdf5TypeClass.VariableLength && IsVariableLengthString)
        || (Class == Hdf5TypeClass.Array && Base is { IsText: true });

    /// <summary>Parses a datatype that occupies the whole cursor (a datatype message or an attribute's datatype field).</summary>
    public static Hdf5Datatype Read(Hdf5Cursor cursor) => Read(cursor, 0);

    /// <summary>A short description for messages: "32-bit little-endian float", "variable-length UTF-8 string", ...</summary>
    public string Describe()
    {
        string order = BigEndian ? "big-endian" : "little-endian";
        return Class switch
        {
            Hdf5TypeClass.FloatingPoint => IsIeeeFloat ? $"{Size * 8}-bit {order} float" : $"{Size * 8}-bit non-IEEE float",
            Hdf5TypeClass.FixedPoint => $"{Size * 8}-bit {order} {(Signed ? "signed" : "unsigned")} integer",
            Hdf5TypeClass.String => $"fixed-length string of {Size} bytes",
            Hdf5TypeClass.VariableLength => IsVariableLengthString ? "variable-length string" : "variable-length sequence",
            Hdf5TypeClass.Array => $"array [{string.Join(", ", ArrayDimensions)}] of {Base?.Describe()}",
            Hdf5TypeClass.Enumerated => $"enumeration of {Base?.Describe()} (h5py stores booleans this way)",
            _ => $"{Class.ToString().ToLowerInvariant()} type of {Size} bytes",
        };
    }

    private static Hdf5Datatype Read(Hdf5Cursor cursor, int depth)
    {
        if (depth > MaxNesting)
        {
            throw cursor.Fail($"datatypes nested at most {MaxNesting} deep");
        }

        byte classAndVersion = cursor.ReadByte();
        int version = classAndVersion >> 4;
        var typeClass = (Hdf5TypeClass)(classAndVersion & 0x0F);
        if (version is < 1 or > 5)
        {
            throw cursor.Fail($"a datatype message of version 1 to 5, but found version {version}");
        }

        int bits = cursor.ReadByte() | (cursor.ReadByte() << 8) | (cursor.ReadByte() << 16);
        uint size = cursor.ReadUInt32();
        if (size > int.MaxValue / 4)
        {
            throw cursor.Fail($"a datatype size that fits in a file, but found {size} bytes");
        }

        var type = new Hdf5Datatype(typeClass, (int)size);
        switch (typeClass)
        {
            case Hdf5TypeClass.FixedPoint:
                type.BigEndian = (bits & 0x01) != 0;
                type.Signed = (bits & 0x08) != 0;
                cursor.Skip(4); // bit offset, bit precision
                break;
            case Hdf5TypeClass.FloatingPoint:
            {
                // IV.A.2.d, floating-point: byte order bits 0 and 6 (both set is VAX order), then the bit layout.
                bool vax = (bits & 0x41) == 0x41;
                type.BigEndian = (bits & 0x01) != 0 && !vax;
                int signLocation = (bits >> 8) & 0xFF;
                int bitOffset = cursor.ReadUInt16();
                int precision = cursor.ReadUInt16();
                int exponentLocation = cursor.ReadByte();
                int exponentSize = cursor.ReadByte();
                int mantissaLocation = cursor.ReadByte();
                int mantissaSize = cursor.ReadByte();
                uint bias = cursor.ReadUInt32();
                type.IsIeeeFloat = !vax && bitOffset == 0 && precision == size * 8 && mantissaLocation == 0 && size switch
                {
                    2 => signLocation == 15 && exponentLocation == 10 && exponentSize == 5 && mantissaSize == 10 && bias == 15,
                    4 => signLocation == 31 && exponentLocation == 23 && exponentSize == 8 && mantissaSize == 23 && bias == 127,
                    8 => signLocation == 63 && exponentLocation == 52 && exponentSize == 11 && mantissaSize == 52 && bias == 1023,
                    _ => false,
                };
                break;
            }

            case Hdf5TypeClass.String:
                type.StringPadding = bits & 0x0F;
                break;
            case Hdf5TypeClass.VariableLength:
                type.IsVariableLengthString = (bits & 0x0F) == 1;
                type.StringPadding = (bits >> 4) & 0x0F;
                type.Base = Read(cursor, depth + 1);
                break;
            case Hdf5TypeClass.Array:
            {
                int rank = cursor.ReadByte();
                if (version < 3)
                {
                    cursor.Skip(3);
                }

                var dimensions = new int[rank];
                long count = 1;
                for (int i = 0; i < rank; i++)
                {
                    uint d = cursor.ReadUInt32();
                    count *= d;
                    if (count > int.MaxValue)
                    {
                        throw cursor.Fail("an array datatype of fewer than 2^31 elements");
                    }

                    dimensions[i] = (int)d;
                }

                if (version < 3)
                {
                    cursor.Skip(4 * rank); // permutation indices (never used)
                }

                type.ArrayDimensions = dimensions;
                type.Base = Read(cursor, depth + 1);
                break;
            }

            case Hdf5TypeClass.Enumerated:
            {
                type.Base = Read(cursor, depth + 1);
                int members = bits & 0xFFFF;
                for (int m = 0; m < members; m++)
                {
                    int nameStart = cursor.Position;
                    while (cursor.ReadByte() != 0)
                    {
                    }

                    if (version < 3)
                    {
                        cursor.AlignFrom(nameStart, 8);
                    }
                }

                cursor.SkipItems(members, type.Base.Size);
                break;
            }

            case Hdf5TypeClass.Bitfield:
                type.BigEndian = (bits & 0x01) != 0;
                cursor.Skip(4);
                break;
            case Hdf5TypeClass.Time:
                cursor.Skip(2);
                break;
            case Hdf5TypeClass.Opaque:
                cursor.Skip(bits & 0xFF); // the tag, its length already padded to 8
                break;

            case Hdf5TypeClass.Reference:
                break;
            default:
                // Compound and unknown classes: only usable at the top level of a message whose length is known.
                if (depth > 0)
                {
                    throw cursor.Fail($"a datatype RnnGen can read inside another one, but found class {(int)typeClass}");
                }

                break;
        }

        return type;
    }

    /// <inheritdoc/>
    public override string ToString() => Describe() + " (" + Size.ToString(CultureInfo.InvariantCulture) + " bytes)";
}
