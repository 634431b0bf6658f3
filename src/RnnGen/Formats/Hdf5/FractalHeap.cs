using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// A fractal heap ("FRHP", spec III.G): the store of link messages of dense groups and attribute messages of dense
/// attribute storage. Objects are addressed by heap IDs that are tiny (data inside the ID), managed (an offset into the
/// doubling table of direct blocks) or huge (stored on their own, found directly or through a version 2 B-tree).
/// </summary>
internal sealed class FractalHeap
{
    private const int MaxIndirectDepth = 32;

    private readonly Hdf5File _file;
    private readonly long _address;
    private readonly int _idLength;
    private readonly bool _checksumDirectBlocks;
    private readonly long _hugeBTree;
    private readonly int _tableWidth;
    private readonly long _startBlockSize;
    private readonly int _maxDirectRows;
    private readonly int _firstRowBits;
    private readonly long _root;
    private readonly int _rootRows;
    private readonly int _heapOffsetSize;
    private readonly int _heapLengthSize;
    private readonly HashSet<long> _verifiedBlocks = new();

    public FractalHeap(Hdf5File file, long address)
    {
        _file = file;
        _address = address;
        string what = $"fractal heap header at 0x{address:X}";
        Hdf5Cursor header = file.CursorToEnd(address, what);
        header.ExpectSignature("FRHP");
        header.ExpectVersion("fractal heap header", 0);
        _idLength = header.ReadUInt16();
        int filterLength = header.ReadUInt16();
        int flags = header.ReadByte();
        _checksumDirectBlocks = (flags & 0x02) != 0;
        uint maxManagedSize = header.ReadUInt32();
        header.ReadLength(); // next huge object ID
        _hugeBTree = header.ReadAddress();
        header.ReadLength(); // free space in managed blocks
        header.ReadAddress(); // free-space manager
        header.ReadLength(); // managed space
        header.ReadLength(); // allocated managed space
        header.ReadLength(); // direct block allocation iterator
        header.ReadLength(); // managed objects
        header.ReadLength(); // size of huge objects
        header.ReadLength(); // number of huge objects
        header.ReadLength(); // size of tiny objects
        header.ReadLength(); // number of tiny objects
        _tableWidth = header.ReadUInt16();
        _startBlockSize = header.ReadLength();
        long maxDirectBlockSize = header.ReadLength();
        int maxHeapBits = header.ReadUInt16();
        header.ReadUInt16(); // starting rows of the root indirect block
        _root = header.ReadAddress();
        _rootRows = header.ReadUInt16();
        if (filterLength > 0)
        {
            // h5py and Keras never filter heap blocks; reading them would need the filter pipeline here too.
            throw header.Fail("an unfiltered fractal heap (filtered heaps, I/O filter length > 0, are not supported)");
        }

        header.VerifyChecksum();

        if (_idLength < 2 || _tableWidth == 0 || !BitOperations.IsPow2(_tableWidth) || _startBlockSize <= 0 || !BitOperations.IsPow2(_startBlockSize)
            || maxDirectBlockSize < _startBlockSize || !BitOperations.IsPow2(maxDirectBlockSize) || maxHeapBits is < 1 or > 64 || _rootRows > 64)
        {
            throw header.Fail(
                $"a consistent doubling table (power-of-two width and block sizes), but found width {_tableWidth}, start block {_startBlockSize}, max direct block {maxDirectBlockSize}, heap bits {maxHeapBits}, heap ID length {_idLength}");
        }

        int startBits = BitOperations.Log2((ulong)_startBlockSize);
        int maxDirectBits = BitOperations.Log2((ulong)maxDirectBlockSize);
        _maxDirectRows = maxDirectBits - startBits + 2;
        _firstRowBits = startBits + BitOperations.Log2((uint)_tableWidth);
        _heapOffsetSize = (maxHeapBits + 7) / 8;
        // H5HF__hdr_finish_init_phase1: the length field is as wide as the smaller of a direct block offset and the
        // largest managed object.
        int maxManagedBytes = maxManagedSize == 0 ? 1 : BitOperations.Log2(maxManagedSize) / 8 + 1;
        _heapLengthSize = Math.Min((maxDirectBits + 7) / 8, maxManagedBytes);
    }

    /// <summary>Finds the object whose heap ID lies at <paramref name="idStart"/> in the file (<paramref name="idLength"/> bytes).</summary>
    public (int Start, int Length) Read(int idStart, int idLength)
    {
        var id = new Hdf5Cursor(_file, idStart, idStart + idLength, $"heap ID into the fractal heap at 0x{_address:X}");
        byte first = id.ReadByte();
        if ((first >> 6) != 0)
        {
            throw id.Fail($"heap ID version 0, but found {first >> 6}");
        }

        switch ((first >> 4) & 0x03)
        {
            case 0:
            {
                long offset = (long)id.ReadUInt(_heapOffsetSize);
                long length = (long)id.ReadUInt(_heapLengthSize);
                return ReadManaged(offset, length);
            }

            case 1:
                return ReadHuge(id);
            case 2:
            {
                // Tiny: the object is in the ID itself; long IDs use a second length byte (H5HFtiny.c).
                bool extended = _idLength - 1 > 17;
                int length = extended ? (((first & 0x0F) << 8) | id.ReadByte()) + 1 : (first & 0x0F) + 1;
                if (length > id.Remaining)
                {
                    throw id.Fail($"a tiny object of at most {id.Remaining} bytes, but found {length}");
                }

                return (id.Position, length);
            }

            default:
                throw id.Fail("heap ID type 0 (managed), 1 (huge) or 2 (tiny), but found 3");
        }
    }

    private (int, int) ReadManaged(long offset, long length)
    {
        long blockAddress, blockOffset, blockSize;
        if (_rootRows == 0)
        {
            (blockAddress, blockOffset, blockSize) = (_root, 0, _startBlockSize);
        }
        else
        {
            (blockAddress, blockOffset, blockSize) = FindDirectBlock(_root, _rootRows, 0, offset, 0);
        }

        string what = $"fractal heap direct block at 0x{blockAddress:X}";
        if (blockAddress == Hdf5File.UndefinedAddress)
        {
            throw new InvalidDataException($"HDF5: heap offset {offset} of the fractal heap at 0x{_address:X} falls in a block that was never allocated.");
        }

        Hdf5Cursor block = _file.Cursor(blockAddress, blockSize, what);
        block.ExpectSignature("FHDB");
        block.ExpectVersion("fractal heap direct block", 0);
        block.ReadAddress();
        block.ReadUInt(_heapOffsetSize);
        if (_checksumDirectBlocks)
        {
            int checksumAt = block.Position;
            block.Skip(4);
            if (_verifiedBlocks.Add(blockAddress))
            {
                // III.G: the checksum covers the whole direct block with the checksum field taken as zero.
                byte[] copy = _file.Data.AsSpan((int)blockAddress, (int)blockSize).ToArray();
                int at = checksumAt - (int)blockAddress;
                uint stored = BitConverter.ToUInt32(copy, at);
                copy[at] = copy[at + 1] = copy[at + 2] = copy[at + 3] = 0;
                if (JenkinsLookup3.Hash(copy) != stored)
                {
                    throw new InvalidDataException($"HDF5: checksum mismatch in the {what}; the file is corrupt.");
                }
            }
        }

        long within = offset - blockOffset;
        if (within < block.Position - blockAddress || length < 0 || within > blockSize || length > blockSize - within)
        {
            throw block.Fail($"heap object at offset {offset} ({length} bytes) inside the block's data area");
        }

        return ((int)(blockAddress + within), (int)length);
    }

    private (long Address, long Offset, long Size) FindDirectBlock(long address, int rows, long baseOffset, long offset, int depth)
    {
        if (depth > MaxIndirectDepth || rows > 64)
        {
            throw new InvalidDataException($"HDF5: the fractal heap at 0x{_address:X} nests indirect blocks too deeply; the file is corrupt.");
        }

        int directRows = Math.Min(rows, _maxDirectRows);
        int indirectRows = rows - directRows;
        int entries = (directRows + indirectRows) * _tableWidth;
        string what = $"fractal heap indirect block at 0x{address:X}";
        Hdf5Cursor block = _file.CursorToEnd(address, what);
        block.ExpectSignature("FHIB");
        block.ExpectVersion("fractal heap indirect block", 0);
        block.ReadAddress();
        block.ReadUInt(_heapOffsetSize);
        int entriesStart = block.Position;
        block.SkipItems(entries, _file.OffsetSize);
        block.VerifyChecksum();

        long relative = offset - baseOffset;
        int row = 0;
        while (row + 1 < rows && RowOffset(row + 1) <= relative)
        {
            row++;
        }

        long rowSize = RowBlockSize(row);
        long column = (relative - RowOffset(row)) / rowSize;
        if (relative < 0 || column >= _tableWidth)
        {
            throw new InvalidDataException($"HDF5: heap offset {offset} lies outside the fractal heap at 0x{_address:X}.");
        }

        int entry = row * _tableWidth + (int)column;
        var entryCursor = new Hdf5Cursor(_file, entriesStart + entry * _file.OffsetSize, entriesStart + (entry + 1) * _file.OffsetSize, what);
        long child = entryCursor.ReadAddress();
        long childOffset = baseOffset + RowOffset(row) + column * rowSize;
        if (row < _maxDirectRows)
        {
            return (child, childOffset, rowSize);
        }

        if (child == Hdf5File.UndefinedAddress)
        {
            throw new InvalidDataException($"HDF5: heap offset {offset} of the fractal heap at 0x{_address:X} falls in a block that was never allocated.");
        }

        int childRows = BitOperations.Log2((ulong)rowSize) - _firstRowBits + 1;
        return FindDirectBlock(child, childRows, childOffset, offset, depth + 1);
    }

    // III.G doubling table: rows 0 and 1 hold blocks of the starting size, each later row doubles; row r starts at
    // width * start * 2^(r-1). Both saturate rather than overflow for corrupt row counts.
    private long RowBlockSize(int row)
    {
        int shift = row == 0 ? 0 : row - 1;
        return shift > 60 - BitOperations.Log2((ulong)_startBlockSize) ? long.MaxValue / 4 : _startBlockSize << shift;
    }

    private long RowOffset(int row)
    {
        if (row == 0)
        {
            return 0;
        }

        long size = RowBlockSize(row);
        return size > long.MaxValue / 4 / _tableWidth ? long.MaxValue / 4 : _tableWidth * size;
    }

    private (int, int) ReadHuge(Hdf5Cursor id)
    {
        if (_idLength >= 1 + _file.OffsetSize + _file.LengthSize)
        {
            // Directly accessed huge object: its address and length are in the ID (H5HFhuge.c).
            long address = id.ReadAddress();
            long length = id.ReadLength();
            Hdf5Cursor data = _file.Cursor(address, length, $"huge object of the fractal heap at 0x{_address:X}");
            return (data.Start, data.End - data.Start);
        }

        ulong key = id.ReadUInt(Math.Min(id.Remaining, 8));
        if (_hugeBTree == Hdf5File.UndefinedAddress)
        {
            throw id.Fail("a huge-object B-tree for a huge heap ID, but the heap has none");
        }

        (int, int)? found = null;
        new BTreeV2(_file, _hugeBTree, 1).ForEachRecord(record =>
        {
            // III.A.2 record type 1: address, length, ID.
            long address = record.ReadAddress();
            long length = record.ReadLength();
            ulong recordId = record.ReadUInt(_file.LengthSize);
            if (recordId == key && found is null)
            {
                Hdf5Cursor data = _file.Cursor(address, length, $"huge object {key} of the fractal heap at 0x{_address:X}");
                found = (data.Start, data.End - data.Start);
            }
        });
        return found ?? throw new InvalidDataException($"HDF5: huge object {key} is missing from the fractal heap at 0x{_address:X}.");
    }
}
