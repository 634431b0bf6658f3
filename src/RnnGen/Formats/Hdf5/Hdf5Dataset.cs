using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

/// <summary>How a dataset's elements are stored (data layout message, spec IV.A.2.i).</summary>
internal enum Hdf5Layout
{
    Compact = 0,
    Contiguous = 1,
    Chunked = 2,
}

/// <summary>How the chunks of a chunked dataset are found (layout message versions 3 and 4).</summary>
internal enum Hdf5ChunkIndex
{
    BTreeV1 = 0,
    SingleChunk = 1,
    Implicit = 2,
    FixedArray = 3,
    ExtensibleArray = 4,
    BTreeV2 = 5,
}

/// <summary>One filter of a dataset's filter pipeline (IV.A.2.l).</summary>
internal sealed record Hdf5Filter(int Id, string? Name, int Flags, uint[] ClientData);

/// <summary>
/// A dataset: datatype, dataspace, layout, filter pipeline and fill value, and the reading of its elements. Chunked data
/// is assembled chunk by chunk, each decoded through the filter pipeline in reverse (deflate via <see
/// cref="System.IO.Compression.ZLibStream"/>, shuffle, Fletcher-32); chunks never written read as the fill value.
/// </summary>
internal sealed partial class Hdf5Dataset
{
    /// <summary>Bytes any dataset may occupy once read; weight arrays are far smaller.</summary>
    private const long MaxBytes = int.MaxValue - 64;

    /// <summary>What the chunks covering a dataset may hold beyond 2^rank times its bytes (see <see cref="ReadChunked"/>).</summary>
    private const long MaxChunkSlack = 1L << 20;

    private readonly Hdf5Object _object;
    private readonly Hdf5File _file;
    private readonly byte[]? _fill;
    private readonly List<Hdf5Filter> _filters = new();
    private long _address = Hdf5File.UndefinedAddress;
    private long _storedSize;
    private int _compactStart;
    private long[] _chunk = Array.Empty<long>();
    private int _chunkFlags;
    private long _singleChunkFilteredSize;
    private uint _singleChunkFilterMask;

    public Hdf5Dataset(Hdf5Object dataset)
    {
        _object = dataset;
        _file = dataset.File;
        Datatype = Hdf5Datatype.Read(Require(Hdf5MessageType.Datatype, "datatype message"));
        Dataspace = Hdf5Dataspace.Read(Require(Hdf5MessageType.Dataspace, "dataspace message"));
        ReadLayout(Require(Hdf5MessageType.DataLayout, "data layout message"));
        Hdf5Cursor? pipeline = dataset.MessageCursor(Hdf5MessageType.FilterPipeline, "filter pipeline message");
        if (pipeline is not null)
        {
            ReadFilters(pipeline);
        }

        _fill = ReadFillValue();
    }

    public Hdf5Datatype Datatype { get; }

    public Hdf5Dataspace Dataspace { get; }

    public Hdf5Layout Layout { get; private set; }

    public Hdf5ChunkIndex ChunkIndex { get; private set; }

    public IReadOnlyList<Hdf5Filter> Filters => _filters;

    public string Path => _object.Path;

    /// <summary>A description for messages and the inspector: "contiguous", "chunked [2, 5], fixed array, deflate+shuffle".</summary>
    public string StorageDescription => Layout switch
    {
        Hdf5Layout.Chunked => $"chunked [{string.Join(", ", _chunk)}] ({ChunkIndex}){(_filters.Count > 0 ? ", filters " + string.Join("+", _filters.Select(f => FilterName(f.Id))) : "")}",
        _ => Layout.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The elements as floats, row-major. Throws <see cref="InvalidDataException"/> unless the type is an IEEE float
    /// (16, 32 or 64 bits, either byte order) and the dataset has at most <paramref name="maxElements"/> elements.
    /// </summary>
    public float[] ReadFloats(long maxElements)
    {
        if (Datatype.Class != Hdf5TypeClass.FloatingPoint || !Datatype.IsIeeeFloat)
        {
            throw new InvalidDataException(
                $"HDF5: the dataset '{Path}' holds {Datatype.Describe()}; weights must be float32 or float64 (float16 is accepted too).");
        }

        byte[] raw = ReadBytes(maxElements);
        int size = Datatype.Size;
        var values = new float[raw.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> e = raw.AsSpan(i * size, size);
            values[i] = (size, Datatype.BigEndian) switch
            {
                (4, false) => BinaryPrimitives.ReadSingleLittleEndian(e),
                (4, true) => BinaryPrimitives.ReadSingleBigEndian(e),
                (8, false) => (float)BinaryPrimitives.ReadDoubleLittleEndian(e),
                (8, true) => (float)BinaryPrimitives.ReadDoubleBigEndian(e),
                (2, false) => (float)BinaryPrimitives.ReadHalfLittleEndian(e),
                _ => (float)BinaryPrimitives.ReadHalfBigEndian(e),
            };
        }

        return values;
    }

    /// <summary>
    /// The value of a dataset of one integer element (a scalar, as Keras writes Normalization's <c>count</c>). Throws
    /// <see cref="InvalidDataException"/> unless the type is a fixed-point integer of 1, 2, 4 or 8 bytes.
    /// </summary>
    public long ReadInteger()
    {
        int size = Datatype.Size;
        if (Datatype.Class != Hdf5TypeClass.FixedPoint || size is not (1 or 2 or 4 or 8))
        {
            throw new InvalidDataException($"HDF5: the dataset '{Path}' holds {Datatype.Describe()}; an integer of 1, 2, 4 or 8 bytes was expected.");
        }

        byte[] raw = ReadBytes(1);
        Span<byte> bytes = stackalloc byte[8];
        raw.AsSpan(0, size).CopyTo(bytes);
        if (Datatype.BigEndian)
        {
            bytes.Slice(0, size).Reverse();
        }

        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (Datatype.Signed && size < 8 && (value & (1UL << (8 * size - 1))) != 0)
        {
            value |= ulong.MaxValue << (8 * size); // sign-extend
        }

        return Datatype.Signed || size < 8 ? (long)value : (long)Math.Min(value, long.MaxValue);
    }

    /// <summary>The raw elements in file byte order, row-major.</summary>
    public byte[] ReadBytes(long maxElements)
    {
        long count = Dataspace.ElementCount;
        int size = Datatype.Size;
        if (count > maxElements)
        {
            throw new InvalidDataException(
                $"HDF5: the dataset '{Path}' has shape {Dataspace.ShapeText} ({count} elements), more than the {maxElements} expected.");
        }

        if (size <= 0 || count > MaxBytes / size)
        {
            throw new InvalidDataException($"HDF5: the dataset '{Path}' ({Dataspace.ShapeText} of {Datatype.Describe()}) is too large to read.");
        }

        int total = (int)(count * size);
        switch (Layout)
        {
            case Hdf5Layout.Compact:
            {
                if (_storedSize < total)
                {
                    throw new InvalidDataException($"HDF5: the compact dataset '{Path}' stores {_storedSize} bytes but its shape needs {total}.");
                }

                return _file.Data.AsSpan(_compactStart, total).ToArray();
            }

            case Hdf5Layout.Contiguous:
            {
                if (_address == Hdf5File.UndefinedAddress)
                {
                    return Filled(total); // never written (IV.A.2.i: undefined address)
                }

                if (_storedSize < total)
                {
                    throw new InvalidDataException($"HDF5: the contiguous dataset '{Path}' stores {_storedSize} bytes but its shape needs {total}.");
                }

                Hdf5Cursor data = _file.Cursor(_address, total, $"data of the dataset '{Path}'");
                return _file.Data.AsSpan(data.Start, total).ToArray();
            }

            default:
                return ReadChunked(total);
        }
    }

    private Hdf5Cursor Require(int type, string what) =>
        _object.MessageCursor(type, what) ?? throw new InvalidDataException($"HDF5: the dataset '{_object.Path}' has no {what}.");

    private byte[] Filled(int total)
    {
        var output = new byte[total];
        if (_fill is not null && _fill.Any(b => b != 0))
        {
            for (int offset = 0; offset + _fill.Length <= total; offset += _fill.Length)
            {
                _fill.CopyTo(output, offset);
            }
        }

        return output;
    }

    // The registered names of HDF5 filter IDs (https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md), for errors.
    internal static string FilterName(int id) => id switch
    {
        1 => "deflate",
        2 => "shuffle",
        3 => "fletcher32",
        4 => "szip",
        5 => "nbit",
        6 => "scaleoffset",
        32000 => "lzf",
        32001 => "blosc",
        32004 => "lz4",
        32008 => "bitshuffle",
        32015 => "zstd",
        _ => "filter " + id,
    };
}
