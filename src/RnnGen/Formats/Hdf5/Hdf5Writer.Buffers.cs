using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

// The byte buffers the encoder writes into: an object header with its checksum, a growable little-endian byte list,
// and the file image the superblock is patched into at the end.
internal sealed partial class Hdf5Writer
{
    /// <summary>A version-2 object header (IV.A.1.b) in one chunk: "OHDR", version, flags, chunk size, messages, checksum.</summary>
    private sealed class ObjectHeader
    {
        private readonly ByteList _messages = new();

        public void Add(byte type, ByteList data, byte flags = 0)
        {
            if (data.Count > ushort.MaxValue)
            {
                throw new ArgumentException($"An HDF5 header message of type {type} would be {data.Count} bytes; messages hold at most 65535.");
            }

            _messages.U8(type);
            _messages.U16((ushort)data.Count);
            _messages.U8(flags);
            _messages.Bytes(data.Span);
        }

        public ulong WriteTo(FileImage file)
        {
            var header = new ByteList();
            header.Bytes("OHDR"u8);
            header.U8(2);
            header.U8(0x02); // the size of chunk 0 takes 4 bytes; no times, no attribute phase change, no creation order
            header.U32((uint)_messages.Count);
            header.Bytes(_messages.Span);
            header.U32(JenkinsLookup3.Hash(header.Span));
            ulong address = (ulong)file.Length;
            file.Append(header.Span);
            return address;
        }
    }

    /// <summary>A growable little-endian byte buffer.</summary>
    private sealed class ByteList
    {
        private byte[] _buffer = new byte[64];

        public int Count { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Count);

        public void U8(byte value) => Take(1)[0] = value;

        public void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);

        public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);

        public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

        public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

        public void Pad(int multiple) => Take((multiple - (Count % multiple)) % multiple).Clear();

        private Span<byte> Take(int count)
        {
            if (Count + count > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Count + count));
            }

            Span<byte> span = _buffer.AsSpan(Count, count);
            Count += count;
            return span;
        }
    }

    /// <summary>The file being laid out: appended in order, with the superblock patched in at the end.</summary>
    private sealed class FileImage
    {
        private readonly MemoryStream _stream = new();

        public long Length => _stream.Length;

        public void Skip(int count) => _stream.Write(new byte[count]);

        public void Align(int multiple) => Skip((int)((multiple - (_stream.Length % multiple)) % multiple));

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (_stream.Length + bytes.Length > int.MaxValue)
            {
                throw new ArgumentException("The HDF5 file would exceed 2 GiB, more than RnnGen writes or reads.");
            }

            _stream.Write(bytes);
        }

        public void Patch(long offset, ReadOnlySpan<byte> bytes)
        {
            long end = _stream.Position;
            _stream.Position = offset;
            _stream.Write(bytes);
            _stream.Position = end;
        }

        public byte[] ToArray() => _stream.ToArray();
    }
}
