using System;
using System.Collections.Generic;
using System.IO;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// A version 2 B-tree ("BTHD", spec III.A.2): the index of dense link storage (record type 5), dense attribute storage
/// (type 8), huge fractal-heap objects (type 1) and of chunks for datasets with more than one unlimited dimension
/// (types 10 and 11). Only enumeration of all records is needed here.
/// </summary>
internal sealed class BTreeV2
{
    private readonly Hdf5File _file;
    private readonly long _address;
    private readonly int _nodeSize;
    private readonly int _depth;
    private readonly long _root;
    private readonly int _rootRecords;
    private readonly int[] _maxRecords;      // per depth
    private readonly int _maxRecordsSize;    // bytes of the "number of records" field of a child pointer
    private readonly int[] _totalRecordsSize; // per depth: bytes of the "total number of records" field

    public BTreeV2(Hdf5File file, long address, int expectedType)
    {
        _file = file;
        _address = address;
        string what = $"version 2 B-tree header at 0x{address:X}";
        Hdf5Cursor header = file.CursorToEnd(address, what);
        header.ExpectSignature("BTHD");
        header.ExpectVersion("B-tree header", 0);
        int type = header.ReadByte();
        if (type != expectedType)
        {
            throw header.Fail($"a B-tree of record type {expectedType}, but found type {type}");
        }

        uint nodeSize = header.ReadUInt32();
        RecordSize = header.ReadUInt16();
        _depth = header.ReadUInt16();
        header.Skip(2); // split and merge percents
        _root = header.ReadAddress();
        _rootRecords = header.ReadUInt16();
        header.ReadLength(); // total number of records
        header.VerifyChecksum();

        const int prefix = 10; // signature, version, type, checksum
        if (nodeSize < prefix + 1 || nodeSize > file.Data.Length || RecordSize == 0 || RecordSize > nodeSize || _depth > 64)
        {
            throw header.Fail($"a node size within the file, a non-zero record size and a sane depth, but found node size {nodeSize}, record size {RecordSize}, depth {_depth}");
        }

        _nodeSize = (int)nodeSize;

        // III.A.2 / H5B2__hdr_init: records per leaf, then per internal level, with the byte widths of the child
        // pointers' record counts derived from them.
        _maxRecords = new int[_depth + 1];
        _totalRecordsSize = new int[_depth + 1];
        var cumulative = new long[_depth + 1];
        _maxRecords[0] = (_nodeSize - prefix) / RecordSize;
        cumulative[0] = _maxRecords[0];
        _maxRecordsSize = EncodedSize(_maxRecords[0]);
        for (int d = 1; d <= _depth; d++)
        {
            int pointer = file.OffsetSize + _maxRecordsSize + (d > 1 ? _totalRecordsSize[d - 1] : 0);
            _maxRecords[d] = (_nodeSize - (prefix + pointer)) / (RecordSize + pointer);
            if (_maxRecords[d] <= 0)
            {
                throw header.Fail($"internal nodes that hold at least one record at depth {d}");
            }

            cumulative[d] = SaturatingAdd(SaturatingMultiply(_maxRecords[d] + 1L, cumulative[d - 1]), _maxRecords[d]);
            _totalRecordsSize[d] = EncodedSize(cumulative[d]);
        }
    }

    /// <summary>Bytes per record.</summary>
    public int RecordSize { get; }

    /// <summary>Calls <paramref name="visit"/> with the absolute position of every record, depth first.</summary>
    public void ForEachRecord(Action<Hdf5Cursor> visit)
    {
        if (_root == Hdf5File.UndefinedAddress || _rootRecords == 0)
        {
            return;
        }

        var visited = new HashSet<long>();
        Visit(_root, _rootRecords, _depth, visit, visited);
    }

    private void Visit(long address, int records, int depth, Action<Hdf5Cursor> visit, HashSet<long> visited)
    {
        if (!visited.Add(address))
        {
            throw new InvalidDataException($"HDF5: the version 2 B-tree at 0x{_address:X} reaches node 0x{address:X} twice; the file is corrupt.");
        }

        if (records > _maxRecords[depth])
        {
            throw new InvalidDataException(
                $"HDF5: a node of the version 2 B-tree at 0x{_address:X} claims {records} records, more than the {_maxRecords[depth]} that fit.");
        }

        bool leaf = depth == 0;
        string what = $"version 2 B-tree {(leaf ? "leaf" : "internal")} node at 0x{address:X}";
        Hdf5Cursor node = _file.Cursor(address, _nodeSize, what);
        node.ExpectSignature(leaf ? "BTLF" : "BTIN");
        node.ExpectVersion("B-tree node", 0);
        node.Skip(1); // type, checked in the header
        int recordsStart = node.Position;
        node.SkipItems(records, RecordSize);
        var children = new List<(long Address, int Records)>();
        if (!leaf)
        {
            for (int i = 0; i <= records; i++)
            {
                long child = node.ReadAddress();
                int childRecords = (int)Math.Min(node.ReadUInt(_maxRecordsSize), int.MaxValue);
                if (depth > 1)
                {
                    node.ReadUInt(_totalRecordsSize[depth - 1]);
                }

                children.Add((child, childRecords));
            }
        }

        node.VerifyChecksum();
        for (int i = 0; i <= records; i++)
        {
            if (!leaf)
            {
                Visit(children[i].Address, children[i].Records, depth - 1, visit, visited);
            }

            if (i < records)
            {
                _file.Spend();
                int start = recordsStart + i * RecordSize;
                visit(new Hdf5Cursor(_file, start, start + RecordSize, $"record {i} of the {what}"));
            }
        }
    }

    // H5VM_limit_enc_size: bytes needed to encode values up to n.
    private static int EncodedSize(long n) => n <= 0 ? 1 : (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)n)) / 8 + 1;

    private static long SaturatingMultiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
