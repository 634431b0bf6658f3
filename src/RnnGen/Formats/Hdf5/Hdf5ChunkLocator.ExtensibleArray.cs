using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace RnnGen.Formats.Hdf5;

internal sealed partial class Hdf5ChunkLocator
{
    /// <summary>The extensible array of chunk entries (H5EA): index block elements, then data blocks grouped in super blocks.</summary>
    private sealed class ExtensibleArray
    {
        private readonly Hdf5File _file;
        private readonly string _what;
        private readonly int _indexElements;
        private readonly int _dataBlockMinElements;
        private readonly long _pageElements;
        private readonly int _offsetSize; // bytes of the "block offset" field
        private readonly int _indexBlockSuperBlocks;
        private readonly (long DataBlocks, long Elements, long StartIndex, long StartBlock)[] _superBlocks;
        private readonly int _indexElementsStart;
        private readonly long[] _dataBlockAddresses;
        private readonly long[] _superBlockAddresses;
        private readonly HashSet<long> _verified = new();

        public ExtensibleArray(Hdf5File file, long address, string what, bool filtered)
        {
            _file = file;
            _what = what;
            Hdf5Cursor header = file.CursorToEnd(address, $"{what}: extensible array header at 0x{address:X}");
            header.ExpectSignature("EAHD");
            header.ExpectVersion("extensible array header", 0);
            int client = header.ReadByte();
            ElementSize = header.ReadByte();
            int maxBits = header.ReadByte();
            _indexElements = header.ReadByte();
            _dataBlockMinElements = header.ReadByte();
            int superBlockMinPointers = header.ReadByte();
            int pageBits = header.ReadByte();
            for (int i = 0; i < 6; i++)
            {
                header.ReadLength(); // statistics
            }

            long indexBlock = header.ReadAddress();
            header.VerifyChecksum();
            if (client != (filtered ? 1 : 0) || ElementSize < file.OffsetSize || maxBits is < 1 or > 64
                || _dataBlockMinElements == 0 || !BitOperations.IsPow2(_dataBlockMinElements)
                || superBlockMinPointers == 0 || !BitOperations.IsPow2(superBlockMinPointers) || pageBits > 30)
            {
                throw header.Fail($"consistent extensible array parameters, but found client {client}, element size {ElementSize}, max bits {maxBits}, data block minimum {_dataBlockMinElements}, super block minimum {superBlockMinPointers}, page bits {pageBits}");
            }

            _pageElements = 1L << pageBits;
            _offsetSize = (maxBits + 7) / 8;

            // H5EA__hdr_init: super block u holds 2^(u/2) data blocks of 2^((u+1)/2) * minimum elements each.
            int superBlockCount = 1 + maxBits - BitOperations.Log2((uint)_dataBlockMinElements);
            if (superBlockCount is < 1 or > 64)
            {
                throw header.Fail($"a sane number of super blocks, but the parameters give {superBlockCount}");
            }

            _superBlocks = new (long, long, long, long)[superBlockCount];
            long startIndex = 0, startBlock = 0;
            for (int u = 0; u < superBlockCount; u++)
            {
                long blocks = 1L << Math.Min(u / 2, 40);
                long elements = (1L << Math.Min((u + 1) / 2, 40)) * _dataBlockMinElements;
                _superBlocks[u] = (blocks, elements, startIndex, startBlock);
                startIndex = Saturate(startIndex + Saturate(blocks * elements));
                startBlock += blocks;
            }

            // The index block holds the first elements, then the addresses of the data blocks of its own super
            // blocks, then the addresses of the remaining super blocks.
            _indexBlockSuperBlocks = 2 * BitOperations.Log2((uint)superBlockMinPointers);
            int dataBlockPointers = 2 * (superBlockMinPointers - 1);
            int superBlockPointers = Math.Max(0, superBlockCount - _indexBlockSuperBlocks);
            Hdf5Cursor index = file.CursorToEnd(indexBlock, $"{what}: extensible array index block at 0x{indexBlock:X}");
            index.ExpectSignature("EAIB");
            index.ExpectVersion("extensible array index block", 0);
            index.Skip(1);
            index.ReadAddress();
            _indexElementsStart = index.Position;
            index.SkipItems(_indexElements, ElementSize);
            _dataBlockAddresses = new long[dataBlockPointers];
            for (int i = 0; i < dataBlockPointers; i++)
            {
                _dataBlockAddresses[i] = index.ReadAddress();
            }

            _superBlockAddresses = new long[superBlockPointers];
            for (int i = 0; i < superBlockPointers; i++)
            {
                _superBlockAddresses[i] = index.ReadAddress();
            }

            index.VerifyChecksum();
        }

        public int ElementSize { get; }

        /// <summary>The file position of element <paramref name="index"/>, or <see langword="null"/> if never allocated.</summary>
        public int? Find(long index)
        {
            if (index < _indexElements)
            {
                return _indexElementsStart + (int)index * ElementSize;
            }

            // H5EA__lookup_elmt: super block = log2(element / minimum + 1).
            long element = index - _indexElements;
            int superBlock = BitOperations.Log2((ulong)(element / _dataBlockMinElements + 1));
            if (superBlock >= _superBlocks.Length)
            {
                throw new InvalidDataException($"HDF5: the {_what} has no room for chunk entry {index}.");
            }

            var info = _superBlocks[superBlock];
            long withinSuper = element - info.StartIndex;
            long block = withinSuper / info.Elements;
            long withinBlock = withinSuper % info.Elements;
            bool paged = info.Elements > _pageElements;
            long dataBlock;
            if (superBlock < _indexBlockSuperBlocks)
            {
                long slot = info.StartBlock + block;
                if (slot >= _dataBlockAddresses.Length)
                {
                    throw new InvalidDataException($"HDF5: the {_what} index block has no data block {slot}.");
                }

                dataBlock = _dataBlockAddresses[slot];
            }
            else
            {
                long superAddress = _superBlockAddresses[superBlock - _indexBlockSuperBlocks];
                if (superAddress == Hdf5File.UndefinedAddress)
                {
                    return null;
                }

                Hdf5Cursor secondary = _file.CursorToEnd(superAddress, $"{_what}: extensible array secondary block at 0x{superAddress:X}");
                secondary.ExpectSignature("EASB");
                secondary.ExpectVersion("extensible array secondary block", 0);
                secondary.Skip(1);
                secondary.ReadAddress();
                secondary.ReadUInt(_offsetSize);
                long pagesPerBlock = paged ? info.Elements / _pageElements : 0;
                int bitmapStart = secondary.Position;
                if (paged)
                {
                    secondary.Skip((int)Math.Min((info.DataBlocks * pagesPerBlock + 7) / 8, int.MaxValue));
                }

                int addresses = secondary.Position;
                secondary.SkipItems(info.DataBlocks, _file.OffsetSize);
                if (_verified.Add(superAddress))
                {
                    secondary.VerifyChecksum();
                }

                int at = addresses + (int)block * _file.OffsetSize;
                dataBlock = new Hdf5Cursor(_file, at, at + _file.OffsetSize, secondary.What).ReadAddress();
                if (paged)
                {
                    long page = block * pagesPerBlock + withinBlock / _pageElements;
                    if ((_file.Data[bitmapStart + page / 8] & (0x80 >> (int)(page % 8))) == 0)
                    {
                        return null;
                    }
                }
            }

            if (dataBlock == Hdf5File.UndefinedAddress)
            {
                return null;
            }

            // Data block: "EADB", version, client, header address, block offset, then elements (or pages) and checksum.
            Hdf5Cursor data = _file.CursorToEnd(dataBlock, $"{_what}: extensible array data block at 0x{dataBlock:X}");
            data.ExpectSignature("EADB");
            data.ExpectVersion("extensible array data block", 0);
            data.Skip(1);
            data.ReadAddress();
            data.ReadUInt(_offsetSize);
            if (!paged)
            {
                int start = data.Position;
                data.SkipItems(info.Elements, ElementSize);
                if (_verified.Add(dataBlock))
                {
                    data.VerifyChecksum();
                }

                return start + (int)withinBlock * ElementSize;
            }

            data.VerifyChecksum();
            long pageIndex = withinBlock / _pageElements;
            long pageBytes = _pageElements * ElementSize;
            long pageAddress = pageBytes > int.MaxValue ? long.MaxValue / 4 : data.Position + pageIndex * (pageBytes + 4);
            Hdf5Cursor pageCursor = _file.Cursor(pageAddress, pageBytes + 4, $"{_what}: extensible array data block page {pageIndex}");
            if (_verified.Add(pageAddress))
            {
                pageCursor.Skip((int)pageBytes);
                pageCursor.VerifyChecksum();
            }

            return (int)pageAddress + (int)(withinBlock % _pageElements) * ElementSize;
        }

        private static long Saturate(long value) => value < 0 ? long.MaxValue / 4 : Math.Min(value, long.MaxValue / 4);
    }
}
