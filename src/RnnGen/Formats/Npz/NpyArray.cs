using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Npz;

/// <summary>
/// One array of an .npy file (numpy/lib/format.py, "NPY format" versions 1.0, 2.0 and 3.0): magic <c>\x93NUMPY</c>,
/// version, header length (2 bytes in 1.0, 4 bytes after), a Python dict literal with <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, then the data. Float types only (<c>f2</c>, <c>f4</c>, <c>f8</c>, either byte
/// order); Fortran-ordered data is reordered to C order when read.
/// </summary>
internal sealed class NpyArray
{
    /// <summary>
    /// numpy.lib.format reads headers of at most 10,000 bytes (<c>_MAX_HEADER_SIZE</c>, the default
    /// <c>max_header_size</c> of <c>read_array_header_*</c> since numpy 1.24); numpy.save never writes a larger one.
    /// </summary>
    internal const int MaxHeaderBytes = 10_000;

    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private readonly byte[] _data;
    private readonly int _dataStart;

    private NpyArray(string name, string descr, bool fortranOrder, long[] shape, byte[] data, int dataStart, int itemSize, bool bigEndian)
    {
        Name = name;
        Descr = descr;
        FortranOrder = fortranOrder;
        Shape = shape;
        _data = data;
        _dataStart = dataStart;
        ItemSize = itemSize;
        BigEndian = bigEndian;
    }

    public string Name { get; }

    /// <summary>numpy dtype string, e.g. <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    public bool FortranOrder { get; }

    public long[] Shape { get; }

    public int ItemSize { get; }

    public bool BigEndian { get; }

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Parses the header and checks that the data is all there; the values are converted by <see cref="ReadFloats"/>.</summary>
    public static NpyArray Parse(string name, byte[] bytes)
    {
        string what = $".npy array '{name}'";
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"The {what} does not start with the NPY magic \\x93NUMPY.");
        }

        int major = bytes[6];
        int headerLength;
        int headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
                headerStart = 10;
                break;
            case 2:
            case 3:
                if (bytes.Length < 12)
                {
                    throw new InvalidDataException($"The {what} is truncated inside its header.");
                }

                uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4));
                headerLength = length > int.MaxValue ? int.MaxValue : (int)length;
                headerStart = 12;
                break;
            default:
                throw new InvalidDataException($"The {what} has NPY format version {major}.{bytes[7]}; versions 1.0, 2.0 and 3.0 are supported.");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"The {what} declares a {headerLength}-byte header, more than the {MaxHeaderBytes} bytes numpy itself reads (numpy.lib.format, max_header_size).");
        }

        if (headerLength > bytes.Length - headerStart)
        {
            throw new InvalidDataException($"The {what} declares a {headerLength}-byte header but only {bytes.Length - headerStart} bytes follow.");
        }

        // Versions 1 and 2 are latin-1, version 3 UTF-8; the keys and values used here are ASCII either way.
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, headerStart, headerLength);
        Dictionary<string, object> dict = PythonLiteral.ParseDict(header, what);
        string descr = dict.TryGetValue("descr", out object? d) && d is string s
            ? s
            : throw new InvalidDataException($"The {what} header has no 'descr' string: {Shorten(header.Trim())}");
        bool fortran = dict.TryGetValue("fortran_order", out object? f) && f is bool b
            ? b
            : throw new InvalidDataException($"The {what} header has no 'fortran_order' flag: {Shorten(header.Trim())}");
        long[] shape = dict.TryGetValue("shape", out object? sh) && sh is long[] dims
            ? dims
            : throw new InvalidDataException($"The {what} header has no 'shape' tuple: {Shorten(header.Trim())}");

        if (descr.Length != 3 || descr[1] != 'f' || descr[0] is not ('<' or '>' or '=' or '|') || descr[2] is not ('2' or '4' or '8'))
        {
            throw new InvalidDataException($"The {what} has dtype '{descr}'; weights must be float16, float32 or float64 ('<f4', '<f8', ...).");
        }

        int itemSize = descr[2] - '0';
        bool bigEndian = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
        int dataStart = headerStart + headerLength;
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
            {
                throw new InvalidDataException($"The {what} has a negative dimension in its shape.");
            }

            count = dim == 0 || count == 0 ? 0 : count > (bytes.Length / itemSize + 1) / dim ? long.MaxValue : count * dim;
        }

        if (count > (bytes.Length - dataStart) / itemSize)
        {
            throw new InvalidDataException(
                $"The {what} has shape ({string.Join(", ", shape)}) of {descr}, which needs more bytes than the {bytes.Length - dataStart} it holds (truncated?).");
        }

        return new NpyArray(name, descr, fortran, shape, bytes, dataStart, itemSize, bigEndian);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>The values in C (row-major) order.</summary>
    public float[] ReadFloats()
    {
        int count = (int)Count;
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = _data.AsSpan(_dataStart + i * ItemSize, ItemSize);
            values[i] = (ItemSize, BigEndian) switch
            {
                (4, false) => BinaryPrimitives.ReadSingleLittleEndian(e),
                (4, true) => BinaryPrimitives.ReadSingleBigEndian(e),
                (8, false) => (float)BinaryPrimitives.ReadDoubleLittleEndian(e),
                (8, true) => (float)BinaryPrimitives.ReadDoubleBigEndian(e),
                (2, false) => (float)BinaryPrimitives.ReadHalfLittleEndian(e),
                _ => (float)BinaryPrimitives.ReadHalfBigEndian(e),
            };
        }

        return FortranOrder && Shape.Length > 1 ? ToRowMajor(values, Shape) : values;
    }

    /// <summary>Writes a float32 array as an NPY 1.0 file, the way <c>numpy.save</c> does (header padded to 64 bytes).</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        string shapeText = shape.Count switch
        {
            0 => "()",
            1 => "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)",
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        var header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }");
        while ((10 + header.Length + 1) % 64 != 0)
        {
            header.Append(' ');
        }

        header.Append('\n');
        var bytes = new byte[10 + header.Length + values.Length * 4];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header.ToString(), 0, header.Length, bytes, 10);
        int offset = 10 + header.Length;
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), v);
            offset += 4;
        }

        return bytes;
    }

    private static float[] ToRowMajor(float[] columnMajor, long[] shape)
    {
        var result = new float[columnMajor.Length];
        int rank = shape.Length;
        var index = new long[rank];
        for (int flat = 0; flat < result.Length; flat++)
        {
            long rest = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            long source = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                source = source * shape[d] + index[d];
            }

            result[flat] = columnMajor[source];
        }

        return result;
    }
}
