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
internal sealed class Hdf5Dataset
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

    private void ReadLayout(Hdf5Cursor body)
    {
        byte version = body.ExpectVersion("data layout message", 1, 2, 3, 4, 5);
        if (version < 3)
        {
            // IV.A.2.i versions 1 and 2 (HDF5 1.4 and earlier).
            int dimensionality = body.ReadByte();
            int layoutClass = body.ReadByte();
            body.Skip(5);
            Layout = ValidClass(body, layoutClass);
            if (Layout != Hdf5Layout.Compact)
            {
                _address = body.ReadAddress();
            }

            var dims = new long[dimensionality];
            for (int i = 0; i < dimensionality; i++)
            {
                dims[i] = body.ReadUInt32();
            }

            if (Layout == Hdf5Layout.Chunked)
            {
                body.ReadUInt32(); // element size
                if (dimensionality < Dataspace.Rank || dims.Take(Dataspace.Rank).Any(c => c <= 0))
                {
                    // Found by the fuzz suite (case 161953 of seed 1205): fewer chunk dimensions than the dataset's rank.
                    throw body.Fail($"{Dataspace.Rank} positive chunk dimensions (the dataset's rank), but found [{string.Join(", ", dims)}]");
                }

                _chunk = dims.Take(Dataspace.Rank).ToArray();
                ChunkIndex = Hdf5ChunkIndex.BTreeV1;
            }
            else if (Layout == Hdf5Layout.Compact)
            {
                _storedSize = body.ReadUInt32();
                _compactStart = body.Position;
                body.Skip((int)Math.Min(_storedSize, int.MaxValue));
            }
            else
            {
                _storedSize = long.MaxValue;
            }

            return;
        }

        Layout = ValidClass(body, body.ReadByte());
        switch (Layout)
        {
            case Hdf5Layout.Compact:
                _storedSize = body.ReadUInt16();
                _compactStart = body.Position;
                body.Skip((int)_storedSize);
                return;
            case Hdf5Layout.Contiguous:
                _address = body.ReadAddress();
                _storedSize = body.ReadLength();
                return;
        }

        if (version == 3)
        {
            // Version 3 chunked: dimensionality (rank + 1), v1 B-tree address, chunk dimensions (the last is the
            // element size).
            int dimensionality = body.ReadByte();
            _address = body.ReadAddress();
            _chunk = ReadChunkDimensions(body, dimensionality, 4);
            ChunkIndex = Hdf5ChunkIndex.BTreeV1;
            return;
        }

        // Version 4 chunked: flags, dimensionality, bytes per dimension, dimensions, index type and its parameters,
        // then the index address. Version 5 (HDF5 2.0, libver latest) has the same fields; only the width of filtered
        // chunk sizes inside the index changes, and that is taken from the index's own entry or record size.
        _chunkFlags = body.ReadByte();
        int rank = body.ReadByte();
        int encoded = body.ReadByte();
        if (encoded is < 1 or > 8)
        {
            throw body.Fail($"1 to 8 bytes per chunk dimension, but found {encoded}");
        }

        _chunk = ReadChunkDimensions(body, rank, encoded);
        int indexType = body.ReadByte();
        switch (indexType)
        {
            case 1:
                if ((_chunkFlags & 0x02) != 0)
                {
                    _singleChunkFilteredSize = body.ReadLength();
                    _singleChunkFilterMask = body.ReadUInt32();
                }

                break;
            case 2:
                break;
            case 3:
                body.Skip(1); // page bits
                break;
            case 4:
                body.Skip(5); // max bits, index elements, min pointers, min elements, page bits
                break;
            case 5:
                body.Skip(6); // node size, split and merge percents
                break;
            default:
                throw body.Fail($"chunk index type 1 to 5, but found {indexType}");
        }

        ChunkIndex = (Hdf5ChunkIndex)indexType;
        _address = body.ReadAddress();
    }

    private long[] ReadChunkDimensions(Hdf5Cursor body, int dimensionality, int bytesPerDimension)
    {
        if (Dataspace.Rank == 0)
        {
            throw body.Fail("a dataspace of at least one dimension for a chunked dataset, but it is scalar");
        }

        if (dimensionality != Dataspace.Rank + 1)
        {
            throw body.Fail($"{Dataspace.Rank + 1} chunk dimensions (the dataset's rank plus one), but found {dimensionality}");
        }

        var chunk = new long[Dataspace.Rank];
        for (int i = 0; i <= Dataspace.Rank; i++)
        {
            long value = (long)Math.Min(body.ReadUInt(bytesPerDimension), long.MaxValue);
            if (i < Dataspace.Rank)
            {
                if (value <= 0 || value > uint.MaxValue)
                {
                    throw body.Fail($"positive chunk dimensions, but found {value}");
                }

                chunk[i] = value;
            }
            else if (value != Datatype.Size)
            {
                throw body.Fail($"the element size {Datatype.Size} as the last chunk dimension, but found {value}");
            }
        }

        return chunk;
    }

    private static Hdf5Layout ValidClass(Hdf5Cursor body, int layoutClass) => layoutClass switch
    {
        0 or 1 or 2 => (Hdf5Layout)layoutClass,
        3 => throw body.Fail("a compact, contiguous or chunked layout (virtual datasets are not supported)"),
        _ => throw body.Fail($"layout class 0 to 2, but found {layoutClass}"),
    };

    private void ReadFilters(Hdf5Cursor body)
    {
        // IV.A.2.l: version 1 pads names and client data to 8 bytes; version 2 omits names of filters below 256.
        byte version = body.ExpectVersion("filter pipeline message", 1, 2);
        int count = body.ReadByte();
        if (count > 32)
        {
            throw body.Fail($"at most 32 filters, but found {count}");
        }

        if (version == 1)
        {
            body.Skip(6);
        }

        for (int f = 0; f < count; f++)
        {
            int id = body.ReadUInt16();
            int nameLength = version == 1 || id >= 256 ? body.ReadUInt16() : 0;
            int flags = body.ReadUInt16();
            int values = body.ReadUInt16();
            string? name = null;
            if (nameLength > 0)
            {
                ReadOnlySpan<byte> nameBytes = body.ReadBytes(version == 1 ? (nameLength + 7) / 8 * 8 : nameLength);
                int nul = nameBytes.IndexOf((byte)0);
                name = System.Text.Encoding.ASCII.GetString(nul >= 0 ? nameBytes.Slice(0, nul) : nameBytes);
            }

            var clientData = new uint[values];
            for (int v = 0; v < values; v++)
            {
                clientData[v] = body.ReadUInt32();
            }

            if (version == 1 && values % 2 == 1)
            {
                body.Skip(4);
            }

            _filters.Add(new Hdf5Filter(id, name, flags, clientData));
        }
    }

    private byte[]? ReadFillValue()
    {
        Hdf5Cursor? body = _object.MessageCursor(Hdf5MessageType.FillValue, "fill value message");
        if (body is not null)
        {
            // IV.A.2.f: versions 1 and 2 have allocation time, write time and a "defined" byte; version 3 packs them
            // into flags (bit 5: a value follows).
            byte version = body.ExpectVersion("fill value message", 1, 2, 3);
            bool defined;
            if (version < 3)
            {
                body.Skip(2);
                defined = body.ReadByte() != 0 || version == 1;
            }
            else
            {
                defined = (body.ReadByte() & 0x20) != 0;
            }

            if (!defined || body.Remaining < 4)
            {
                return null;
            }

            return FillBytes(body);
        }

        Hdf5Cursor? old = _object.MessageCursor(Hdf5MessageType.FillValueOld, "old fill value message");
        return old is null ? null : FillBytes(old);
    }

    private byte[]? FillBytes(Hdf5Cursor body)
    {
        uint size = body.ReadUInt32();
        if (size == 0)
        {
            return null;
        }

        if (size != Datatype.Size)
        {
            throw body.Fail($"a fill value of {Datatype.Size} bytes (the element size), but found {size}");
        }

        return body.ReadBytes((int)size).ToArray();
    }

    // ---- chunked data ----

    private byte[] ReadChunked(int total)
    {
        int rank = Dataspace.Rank;
        long[] dims = Dataspace.Dimensions;
        int elementSize = Datatype.Size;
        long chunkElements = 1;
        foreach (long c in _chunk)
        {
            chunkElements = c > 0 && chunkElements <= MaxBytes / c ? chunkElements * c : long.MaxValue;
        }

        if (chunkElements > MaxBytes / elementSize)
        {
            throw new InvalidDataException($"HDF5: the chunks of '{Path}' ([{string.Join(", ", _chunk)}]) are too large to read.");
        }

        int chunkBytes = (int)(chunkElements * elementSize);
        byte[] output = Filled(total);
        if (total == 0 || _address == Hdf5File.UndefinedAddress)
        {
            return output;
        }

        var chunksPerDim = new long[rank];
        long chunkCount = 1;
        for (int d = 0; d < rank; d++)
        {
            chunksPerDim[d] = (dims[d] + _chunk[d] - 1) / _chunk[d];
            chunkCount = chunkCount <= long.MaxValue / Math.Max(1, chunksPerDim[d]) ? chunkCount * chunksPerDim[d] : long.MaxValue;
        }

        // The chunks that cover the dataset are inflated in full, so their total size must stay near the dataset's:
        // chunks no larger than the dataset in any dimension cover at most 2^rank times its bytes (edge chunks), and
        // larger chunks get 1 MiB of slack. A [1, 1] kernel in one [1, 2^25] chunk would otherwise inflate 128 MiB.
        long gridBytes = chunkCount <= MaxBytes / chunkBytes ? chunkCount * chunkBytes : long.MaxValue;
        long allowedGridBytes = ((long)total << Math.Min(rank, 8)) + MaxChunkSlack;
        if (gridBytes > allowedGridBytes)
        {
            throw new InvalidDataException(
                $"HDF5: the chunks of '{Path}' ([{string.Join(", ", _chunk)}] for a dataset of shape {Dataspace.ShapeText}) would inflate {(gridBytes == long.MaxValue ? "over 2 GiB" : gridBytes + " bytes")} for a dataset of {total} bytes, past RnnGen's limit of 2^rank x the dataset's bytes + 1 MiB.");
        }

        _file.Spend((int)Math.Min(chunkCount / 64, int.MaxValue / 2));
        var chunks = new Hdf5ChunkLocator(_file, this, _address, _chunk, chunksPerDim);
        var listed = new List<(long[] Scaled, long Address, long Size, uint Mask)>();
        var placed = new HashSet<long>();
        void Place(long[] scaled, long address, long size, uint mask)
        {
            _file.Spend();
            long linear = 0;
            for (int d = 0; d < rank; d++)
            {
                if (scaled[d] < 0 || scaled[d] >= chunksPerDim[d])
                {
                    return; // outside the current extent (a dataset that shrank); HDF5 ignores these too
                }

                linear = linear * chunksPerDim[d] + scaled[d];
            }

            if (!placed.Add(linear))
            {
                throw new InvalidDataException($"HDF5: the chunk index of '{Path}' lists chunk [{string.Join(", ", scaled)}] twice; the file is corrupt.");
            }

            listed.Add((scaled, address, size, mask));
        }

        switch (ChunkIndex)
        {
            case Hdf5ChunkIndex.BTreeV1:
                chunks.VisitBTreeV1(Place);
                break;
            case Hdf5ChunkIndex.SingleChunk:
                Place(new long[rank], _address, _filters.Count > 0 && (_chunkFlags & 0x02) != 0 ? _singleChunkFilteredSize : chunkBytes, _singleChunkFilterMask);
                break;
            case Hdf5ChunkIndex.Implicit:
                chunks.VisitImplicit(chunkBytes, Place);
                break;
            case Hdf5ChunkIndex.FixedArray:
                chunks.VisitFixedArray(_filters.Count > 0, chunkBytes, Place);
                break;
            case Hdf5ChunkIndex.ExtensibleArray:
                chunks.VisitExtensibleArray(_filters.Count > 0, chunkBytes, Place);
                break;
            default:
                chunks.VisitBTreeV2(_filters.Count > 0, chunkBytes, Place);
                break;
        }

        // Two chunks never share stored bytes; chunks that do would make one stored block cost once per listing.
        listed.Sort((a, b) => a.Address.CompareTo(b.Address));
        for (int i = 1; i < listed.Count; i++)
        {
            var (previous, next) = (listed[i - 1], listed[i]);
            if (previous.Size > 0 && next.Address < previous.Address + previous.Size)
            {
                throw new InvalidDataException(
                    $"HDF5: the chunks [{string.Join(", ", previous.Scaled)}] and [{string.Join(", ", next.Scaled)}] of '{Path}' overlap in the file (at 0x{next.Address:X}); the file is corrupt.");
            }
        }

        foreach (var (scaled, address, size, mask) in listed)
        {
            byte[] decoded = DecodeChunk(scaled, address, size, mask, chunkBytes);
            CopyChunk(decoded, scaled, output, dims, elementSize);
        }

        return output;
    }

    internal long[] MaxDimensions => Dataspace.MaxDimensions;

    private byte[] DecodeChunk(long[] scaled, long address, long storedSize, uint mask, int chunkBytes)
    {
        string what = $"chunk [{string.Join(", ", scaled)}] of '{Path}'";
        if (storedSize < 0 || storedSize > _file.Data.Length)
        {
            throw new InvalidDataException($"HDF5: the {what} claims {storedSize} stored bytes, more than the file holds.");
        }

        Hdf5Cursor stored = _file.Cursor(address, storedSize, what);
        byte[] data = _file.Data.AsSpan(stored.Start, (int)storedSize).ToArray();

        // Edge chunks may be stored unfiltered (layout v4 flag bit 0, "do not filter partial edge chunks").
        bool partialEdge = false;
        for (int d = 0; d < scaled.Length; d++)
        {
            partialEdge |= (scaled[d] + 1) * _chunk[d] > Dataspace.Dimensions[d];
        }

        if ((_chunkFlags & 0x01) == 0 || !partialEdge)
        {
            for (int f = _filters.Count - 1; f >= 0; f--)
            {
                if ((mask & (1u << f)) != 0)
                {
                    continue; // this filter was skipped when the chunk was written
                }

                data = Hdf5Filters.Decode(_filters[f], data, chunkBytes, Datatype.Size, what);
            }
        }

        if (data.Length < chunkBytes)
        {
            throw new InvalidDataException($"HDF5: the {what} decodes to {data.Length} bytes, but a chunk holds {chunkBytes}.");
        }

        return data;
    }

    private void CopyChunk(byte[] chunk, long[] scaled, byte[] output, long[] dims, int elementSize)
    {
        // Copies the part of the chunk inside the dataset, one run along the last dimension at a time.
        int rank = dims.Length;
        var origin = new long[rank];
        var extent = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            origin[d] = scaled[d] * _chunk[d];
            extent[d] = Math.Min(_chunk[d], dims[d] - origin[d]);
            if (extent[d] <= 0)
            {
                return;
            }
        }

        int run = (int)(extent[rank - 1] * elementSize);
        var position = new long[rank]; // within the chunk, last dimension fixed at 0
        while (true)
        {
            long source = 0, target = 0;
            for (int d = 0; d < rank; d++)
            {
                source = source * _chunk[d] + position[d];
                target = target * dims[d] + origin[d] + position[d];
            }

            Buffer.BlockCopy(chunk, (int)(source * elementSize), output, (int)(target * elementSize), run);

            int dim = rank - 2;
            while (dim >= 0)
            {
                if (++position[dim] < extent[dim])
                {
                    break;
                }

                position[dim] = 0;
                dim--;
            }

            if (dim < 0)
            {
                return;
            }
        }
    }

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
