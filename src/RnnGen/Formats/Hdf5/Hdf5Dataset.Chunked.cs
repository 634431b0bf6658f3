using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

// Chunked layout: every chunk the index lists (Hdf5ChunkLocator), decoded through the filter pipeline and copied into
// place; chunks the index does not list keep the fill value.
internal sealed partial class Hdf5Dataset
{
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
}
