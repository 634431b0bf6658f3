using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// Reads little-endian fields of one HDF5 structure out of the file image, never past the end of that structure. Every
/// read is checked against the structure's bounds (themselves checked against the file length when the cursor was
/// made), so a corrupt size or count surfaces as an <see cref="InvalidDataException"/> that names the structure rather
/// than as an <see cref="IndexOutOfRangeException"/>.
/// </summary>
internal sealed class Hdf5Cursor
{
    private readonly Hdf5File _file;
    private readonly byte[] _data;
    private readonly int _start;
    private readonly int _end;
    private int _position;

    internal Hdf5Cursor(Hdf5File file, int start, int end, string what)
    {
        _file = file;
        _data = file.Data;
        _start = start;
        _end = end;
        _position = start;
        What = what;
    }

    /// <summary>The file this cursor reads.</summary>
    public Hdf5File File => _file;

    /// <summary>The structure being read, for messages ("object header at 0x1F0").</summary>
    public string What { get; }

    /// <summary>Absolute position in the file image.</summary>
    public int Position => _position;

    /// <summary>Absolute position of the first byte of the structure.</summary>
    public int Start => _start;

    /// <summary>Absolute position just past the structure.</summary>
    public int End => _end;

    /// <summary>Bytes left before the end of the structure.</summary>
    public int Remaining => _end - _position;

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        ushort value = BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(_position, 2));
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(_position, 4));
        _position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>An unsigned little-endian integer of <paramref name="size"/> bytes (0 to 8).</summary>
    public ulong ReadUInt(int size)
    {
        if (size < 0 || size > 8)
        {
            throw Fail($"an integer field of {size} bytes (at most 8 are possible)");
        }

        Need(size);
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (ulong)_data[_position + i] << (8 * i);
        }

        _position += size;
        return value;
    }

    /// <summary>
    /// An address of "Size of Offsets" bytes (spec II.A, superblock), made absolute with the base address; the
    /// undefined address (all bits set) is returned as <see cref="Hdf5File.UndefinedAddress"/>.
    /// </summary>
    public long ReadAddress() => _file.ToAbsolute(ReadUInt(_file.OffsetSize), _file.OffsetSize);

    /// <summary>A length of "Size of Lengths" bytes (spec II.A), rejected when it could never fit in a file.</summary>
    public long ReadLength()
    {
        ulong value = ReadUInt(_file.LengthSize);
        if (value > (ulong)long.MaxValue / 2)
        {
            throw Fail($"a length field, but found the absurd value {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return (long)value;
    }

    /// <summary>A length field that must also fit in the file (a byte count of something stored in it).</summary>
    public int ReadLengthWithinFile(string field)
    {
        long value = ReadLength();
        if (value > _data.Length)
        {
            throw Fail($"{field} of at most {_data.Length} bytes (the file size), but found {value}");
        }

        return (int)value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
        {
            throw Fail($"a byte count, but found {count}");
        }

        Need(count);
        var span = new ReadOnlySpan<byte>(_data, _position, count);
        _position += count;
        return span;
    }

    public void Skip(int count)
    {
        if (count < 0)
        {
            throw Fail($"a byte count, but found {count}");
        }

        Need(count);
        _position += count;
    }

    /// <summary>Skips <paramref name="count"/> items of <paramref name="size"/> bytes, failing (not overflowing) when absurd.</summary>
    public void SkipItems(long count, long size)
    {
        if (count < 0 || size < 0 || (size > 0 && count > Remaining / size))
        {
            throw Fail($"{count} item(s) of {size} bytes, but only {Remaining} bytes remain");
        }

        _position += (int)(count * size);
    }

    /// <summary>Moves to the next multiple of <paramref name="alignment"/> counted from <paramref name="origin"/>.</summary>
    public void AlignFrom(int origin, int alignment)
    {
        int offset = _position - origin;
        int padded = (offset + alignment - 1) / alignment * alignment;
        Skip(padded - offset);
    }

    /// <summary>Checks the 4-byte ASCII signature that starts most HDF5 structures.</summary>
    public void ExpectSignature(string signature)
    {
        ReadOnlySpan<byte> actual = ReadBytes(signature.Length);
        for (int i = 0; i < signature.Length; i++)
        {
            if (actual[i] != signature[i])
            {
                throw Fail($"the signature \"{signature}\" but found {Printable(actual)}");
            }
        }
    }

    /// <summary>A version byte that must be one of <paramref name="supported"/>.</summary>
    public byte ExpectVersion(string field, params byte[] supported)
    {
        byte version = ReadByte();
        if (Array.IndexOf(supported, version) < 0)
        {
            throw Fail($"{field} version {string.Join(" or ", supported)} but found version {version}");
        }

        return version;
    }

    /// <summary>
    /// Verifies the Jenkins lookup3 checksum stored in the next 4 bytes against the bytes from the start of the
    /// structure up to here (spec III.A.2 and others: "the checksum covers the bytes before it").
    /// </summary>
    public void VerifyChecksum() => VerifyChecksumFrom(_start);

    public void VerifyChecksumFrom(int from)
    {
        uint computed = JenkinsLookup3.Hash(new ReadOnlySpan<byte>(_data, from, _position - from));
        uint stored = ReadUInt32();
        if (computed != stored)
        {
            throw new InvalidDataException(
                $"HDF5: checksum mismatch in the {What} (stored 0x{stored:X8}, computed 0x{computed:X8}); the file is corrupt.");
        }
    }

    /// <summary>An error saying what this structure needed and what it found.</summary>
    public InvalidDataException Fail(string expected) =>
        new($"HDF5: in the {What}, expected {expected}.");

    private void Need(int count)
    {
        if (count > _end - _position)
        {
            throw new InvalidDataException(
                $"HDF5: the {What} is cut short: {count} more byte(s) needed at 0x{_position:X} but it ends at 0x{_end:X}" +
                (_end >= _data.Length ? " (end of file; the file is truncated)." : "."));
        }
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (byte b in bytes)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : "\\x" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.Append('"').ToString();
    }
}
