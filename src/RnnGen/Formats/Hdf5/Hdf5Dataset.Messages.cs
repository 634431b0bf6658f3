using System;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

// The header messages that describe how the data is stored: data layout (spec IV.A.2.i), filter pipeline (IV.A.2.l) and
// fill value (IV.A.2.f).
internal sealed partial class Hdf5Dataset
{
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
}
