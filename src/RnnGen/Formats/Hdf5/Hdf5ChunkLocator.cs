using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace RnnGen.Formats.Hdf5;

/// <summary>Receives one stored chunk: its scaled coordinates (chunk indices), address, stored size and filter mask.</summary>
internal delegate void ChunkVisitor(long[] scaled, long address, long storedSize, uint filterMask);

/// <summary>
/// Finds the chunks of a chunked dataset through whichever index the layout message names: a version 1 B-tree (type 1
/// nodes, spec III.A.1; layout versions 1-3), or, for layout versions 4 and 5 (HDF5 1.10+ with libver v110 or later),
/// one of the indexes of spec Appendix C ("Types of Indexes for Dataset Chunks"): implicit, fixed array
/// ("FAHD"/"FADB", optionally paged), extensible array ("EAHD"/"EAIB"/"EASB"/"EADB") or a version 2 B-tree (record
/// types 10 and 11).
/// </summary>
internal sealed partial class Hdf5ChunkLocator
{
    private readonly Hdf5File _file;
    private readonly Hdf5Dataset _dataset;
    private readonly long _address;
    private readonly long[] _chunk;
    private readonly long[] _chunksPerDim;
    private readonly string _what;

    public Hdf5ChunkLocator(Hdf5File file, Hdf5Dataset dataset, long address, long[] chunk, long[] chunksPerDim)
    {
        _file = file;
        _dataset = dataset;
        _address = address;
        _chunk = chunk;
        _chunksPerDim = chunksPerDim;
        _what = $"chunk index of '{dataset.Path}'";
    }

    private int Rank => _chunk.Length;

    // ---- version 1 B-tree (type 1: raw data chunks) ----

    public void VisitBTreeV1(ChunkVisitor visit) => VisitBTreeV1Node(_address, -1, visit, new HashSet<long>());

    private void VisitBTreeV1Node(long address, int expectedLevel, ChunkVisitor visit, HashSet<long> visited)
    {
        if (!visited.Add(address))
        {
            throw new InvalidDataException($"HDF5: the {_what} reaches B-tree node 0x{address:X} twice; the file is corrupt.");
        }

        // III.A.1: "TREE", type 1, level, entries used, siblings, then keys (chunk size, filter mask, rank + 1 offsets)
        // and child addresses interleaved.
        Hdf5Cursor node = _file.CursorToEnd(address, $"{_what}: B-tree node at 0x{address:X}");
        node.ExpectSignature("TREE");
        int type = node.ReadByte();
        int level = node.ReadByte();
        int entries = node.ReadUInt16();
        if (type != 1 || (expectedLevel >= 0 && level != expectedLevel))
        {
            throw node.Fail($"a chunk node (type 1){(expectedLevel >= 0 ? $" at level {expectedLevel}" : "")}, but found type {type} at level {level}");
        }

        node.ReadAddress();
        node.ReadAddress();
        var keys = new (uint Size, uint Mask, long[] Offset)[entries];
        var children = new long[entries];
        for (int i = 0; i < entries; i++)
        {
            uint size = node.ReadUInt32();
            uint mask = node.ReadUInt32();
            var offset = new long[Rank];
            for (int d = 0; d <= Rank; d++)
            {
                ulong value = node.ReadUInt64();
                if (d < Rank)
                {
                    offset[d] = (long)Math.Min(value, long.MaxValue / 2);
                }
            }

            keys[i] = (size, mask, offset);
            children[i] = node.ReadAddress();
        }

        for (int i = 0; i < entries; i++)
        {
            _file.Spend();
            if (level > 0)
            {
                VisitBTreeV1Node(children[i], level - 1, visit, visited);
                continue;
            }

            var scaled = new long[Rank];
            for (int d = 0; d < Rank; d++)
            {
                if (keys[i].Offset[d] % _chunk[d] != 0)
                {
                    throw node.Fail($"chunk offsets that are multiples of the chunk size, but found {keys[i].Offset[d]} in dimension {d}");
                }

                scaled[d] = keys[i].Offset[d] / _chunk[d];
            }

            visit(scaled, children[i], keys[i].Size, keys[i].Mask);
        }
    }

    // ---- implicit index (no filters, allocated early): chunk i lies at address + i * chunk size ----

    public void VisitImplicit(int chunkBytes, ChunkVisitor visit)
    {
        long[] strides = LinearStrides(-1);
        ForEachChunk(scaled =>
        {
            long index = Linear(scaled, strides, -1);
            visit(scaled, _address + index * chunkBytes, chunkBytes, 0);
        });
    }

    // ---- fixed array ("FAHD" header, "FADB" data block, optionally paged) ----

    public void VisitFixedArray(bool filtered, int chunkBytes, ChunkVisitor visit)
    {
        Hdf5Cursor header = _file.CursorToEnd(_address, $"{_what}: fixed array header at 0x{_address:X}");
        header.ExpectSignature("FAHD");
        header.ExpectVersion("fixed array header", 0);
        int client = header.ReadByte();
        int elementSize = header.ReadByte();
        int pageBits = header.ReadByte();
        long count = header.ReadLength();
        long dataBlock = header.ReadAddress();
        header.VerifyChecksum();
        CheckElement(header, client, filtered, elementSize);
        if (pageBits > 30)
        {
            throw header.Fail($"at most 2^30 elements per page, but found 2^{pageBits}");
        }

        long pageElements = 1L << pageBits;
        bool paged = count > pageElements;
        long pages = paged ? (count + pageElements - 1) / pageElements : 0;
        int bitmapBytes = (int)Math.Min((pages + 7) / 8, int.MaxValue);
        Hdf5Cursor block = _file.CursorToEnd(dataBlock, $"{_what}: fixed array data block at 0x{dataBlock:X}");
        block.ExpectSignature("FADB");
        block.ExpectVersion("fixed array data block", 0);
        block.Skip(1);
        block.ReadAddress();
        int bitmap = block.Position;
        block.Skip(bitmapBytes);
        int elements = block.Position;
        if (!paged)
        {
            block.SkipItems(count, elementSize);
        }

        block.VerifyChecksum();
        int pagesStart = block.Position;
        var verifiedPages = new HashSet<long>();
        long[] strides = LinearStrides(-1);
        ForEachChunk(scaled =>
        {
            long index = Linear(scaled, strides, -1);
            if (index >= count)
            {
                throw header.Fail($"an entry for chunk [{string.Join(", ", scaled)}] among its {count} entries");
            }

            int position;
            if (!paged)
            {
                position = elements + (int)index * elementSize;
            }
            else
            {
                long page = index / pageElements;
                if ((_file.Data[bitmap + page / 8] & (0x80 >> (int)(page % 8))) == 0)
                {
                    return; // page never initialised: no chunk written there
                }

                long pageSize = Math.Min(pageElements, count - page * pageElements) * elementSize;
                long pageAddress = pagesStart + page * (pageElements * elementSize + 4);
                Hdf5Cursor pageCursor = _file.Cursor(pageAddress, pageSize + 4, $"{_what}: fixed array page {page}");
                if (verifiedPages.Add(page))
                {
                    pageCursor.Skip((int)pageSize);
                    pageCursor.VerifyChecksum();
                }

                position = (int)pageAddress + (int)(index % pageElements) * elementSize;
            }

            ReadElement(position, elementSize, filtered, chunkBytes, scaled, visit);
        });
    }

    // ---- extensible array ("EAHD", index block "EAIB", secondary blocks "EASB", data blocks "EADB") ----

    public void VisitExtensibleArray(bool filtered, int chunkBytes, ChunkVisitor visit)
    {
        int unlimited = Array.IndexOf(_dataset.MaxDimensions, Hdf5Dataspace.Unlimited);
        if (unlimited < 0)
        {
            throw new InvalidDataException($"HDF5: the {_what} is an extensible array, but no dimension of the dataset is unlimited.");
        }

        var array = new ExtensibleArray(_file, _address, _what, filtered);
        long[] strides = LinearStrides(unlimited);
        ForEachChunk(scaled =>
        {
            int? position = array.Find(Linear(scaled, strides, unlimited));
            if (position is int p)
            {
                ReadElement(p, array.ElementSize, filtered, chunkBytes, scaled, visit);
            }
        });
    }

    // ---- version 2 B-tree (record type 10 unfiltered, 11 filtered) ----

    public void VisitBTreeV2(bool filtered, int chunkBytes, ChunkVisitor visit)
    {
        var tree = new BTreeV2(_file, _address, filtered ? 11 : 10);
        int sizeLength = tree.RecordSize - _file.OffsetSize - 8 * Rank - (filtered ? 4 : 0);
        if (sizeLength < 0 || sizeLength > 8 || (!filtered && sizeLength != 0))
        {
            throw new InvalidDataException($"HDF5: the {_what} has records of {tree.RecordSize} bytes, which does not fit a {Rank}-dimensional chunk record.");
        }

        tree.ForEachRecord(record =>
        {
            long address = record.ReadAddress();
            long size = chunkBytes;
            uint mask = 0;
            if (filtered)
            {
                size = (long)Math.Min(record.ReadUInt(sizeLength), long.MaxValue / 2);
                mask = record.ReadUInt32();
            }

            var scaled = new long[Rank];
            for (int d = 0; d < Rank; d++)
            {
                scaled[d] = (long)Math.Min(record.ReadUInt64(), long.MaxValue / 2);
            }

            if (address != Hdf5File.UndefinedAddress)
            {
                visit(scaled, address, size, mask);
            }
        });
    }

    private void ReadElement(int position, int elementSize, bool filtered, int chunkBytes, long[] scaled, ChunkVisitor visit)
    {
        // Entries: the chunk address, and for filtered chunks its stored size and filter mask.
        var element = new Hdf5Cursor(_file, position, position + elementSize, _what + " entry");
        long address = element.ReadAddress();
        long size = chunkBytes;
        uint mask = 0;
        if (filtered)
        {
            size = (long)Math.Min(element.ReadUInt(elementSize - _file.OffsetSize - 4), long.MaxValue / 2);
            mask = element.ReadUInt32();
        }

        if (address != Hdf5File.UndefinedAddress)
        {
            visit(scaled, address, size, mask);
        }
    }

    private void CheckElement(Hdf5Cursor header, int client, bool filtered, int elementSize)
    {
        int expectedClient = filtered ? 1 : 0;
        int minimum = _file.OffsetSize + (filtered ? 5 : 0);
        if (client != expectedClient || elementSize < minimum || (filtered && elementSize > _file.OffsetSize + 12) || (!filtered && elementSize != _file.OffsetSize))
        {
            throw header.Fail($"{(filtered ? "filtered" : "unfiltered")} chunk entries (client {expectedClient}) of a consistent size, but found client {client} with {elementSize}-byte entries");
        }
    }

    // Calls back for every chunk position of the dataset's current extent, in row-major order.
    private void ForEachChunk(Action<long[]> action)
    {
        var scaled = new long[Rank];
        foreach (long n in _chunksPerDim)
        {
            if (n == 0)
            {
                return;
            }
        }

        while (true)
        {
            _file.Spend();
            action((long[])scaled.Clone());
            int d = Rank - 1;
            while (d >= 0)
            {
                if (++scaled[d] < _chunksPerDim[d])
                {
                    break;
                }

                scaled[d] = 0;
                d--;
            }

            if (d < 0)
            {
                return;
            }
        }
    }

    // H5D__farray / H5D__earray / H5D__none: the linear index of a chunk is its row-major offset in the grid of chunks
    // that the *maximum* dimensions would need; for an extensible array the unlimited dimension is first moved to the
    // front ("swizzled", H5VM_swizzle_coords) so that growing it only appends.
    private long[] LinearStrides(int unlimited)
    {
        int[] order = Order(unlimited);
        long[] max = _dataset.MaxDimensions;
        var strides = new long[Rank];
        long stride = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = stride;
            int d = order[i];
            long chunks = max[d] == Hdf5Dataspace.Unlimited ? _chunksPerDim[d] : (max[d] + _chunk[d] - 1) / _chunk[d];
            stride = chunks > 0 && stride <= long.MaxValue / 4 / chunks ? stride * chunks : long.MaxValue / 4;
        }

        return strides;
    }

    private long Linear(long[] scaled, long[] strides, int unlimited)
    {
        int[] order = Order(unlimited);
        long index = 0;
        for (int i = 0; i < Rank; i++)
        {
            long term = scaled[order[i]] * strides[i];
            index = term >= 0 && index <= long.MaxValue / 2 - term ? index + term : long.MaxValue / 2;
        }

        return index;
    }

    private int[] Order(int unlimited)
    {
        var order = new int[Rank];
        int next = 0;
        if (unlimited > 0)
        {
            order[next++] = unlimited;
        }

        for (int d = 0; d < Rank; d++)
        {
            if (d != unlimited || unlimited <= 0)
            {
                order[next++] = d;
            }
        }

        return order;
    }
}
