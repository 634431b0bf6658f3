using System.Collections.Generic;
using System.IO;

namespace RnnGen.Formats.Hdf5;

/// <summary>One header message of an object: its type, flags and where its body lies in the file image.</summary>
internal readonly record struct Hdf5Message(int Type, int Flags, int Start, int Length)
{
    /// <summary>Message flag bit 1: the body is a reference to a shared message, not the message itself (IV.A.2).</summary>
    public bool IsShared => (Flags & 0x02) != 0;
}

/// <summary>Header message types used here (spec IV.A.2).</summary>
internal static class Hdf5MessageType
{
    public const int Nil = 0x00;
    public const int Dataspace = 0x01;
    public const int LinkInfo = 0x02;
    public const int Datatype = 0x03;
    public const int FillValueOld = 0x04;
    public const int FillValue = 0x05;
    public const int Link = 0x06;
    public const int DataLayout = 0x08;
    public const int GroupInfo = 0x0A;
    public const int FilterPipeline = 0x0B;
    public const int Attribute = 0x0C;
    public const int Continuation = 0x10;
    public const int SymbolTable = 0x11;
    public const int AttributeInfo = 0x15;
}

/// <summary>
/// Parses an object header (spec IV.A.1): version 1 (8-byte aligned messages, continuation blocks without signature) or
/// version 2 ("OHDR", checksummed chunks, continuation chunks "OCHK"), following continuation messages with cycle
/// detection.
/// </summary>
internal static class Hdf5ObjectHeader
{
    /// <summary>More messages than any object header of a weight file holds; a corrupt count stops here.</summary>
    private const int MaxMessages = 100_000;

    public static List<Hdf5Message> Read(Hdf5File file, long address)
    {
        string what = $"object header at 0x{address:X}";
        var messages = new List<Hdf5Message>();
        var visitedBlocks = new HashSet<long> { address };
        Hdf5Cursor prefix = file.CursorToEnd(address, what);
        if (prefix.Remaining >= 4 && file.Data[address] == 'O' && file.Data[address + 1] == 'H' && file.Data[address + 2] == 'D' && file.Data[address + 3] == 'R')
        {
            ReadVersion2(file, address, what, messages, visitedBlocks);
        }
        else
        {
            ReadVersion1(file, prefix, what, messages, visitedBlocks);
        }

        return messages;
    }

    private static void ReadVersion1(Hdf5File file, Hdf5Cursor prefix, string what, List<Hdf5Message> messages, HashSet<long> visited)
    {
        // IV.A.1.a: version 1, reserved, message count (2), reference count (4), header size (4), then padding to 8.
        prefix.ExpectVersion("object header (\"OHDR\" signature for version 2, or)", 1);
        prefix.Skip(1);
        prefix.Skip(2); // message count: the blocks themselves say where messages end
        prefix.Skip(4);
        uint headerSize = prefix.ReadUInt32();
        prefix.Skip(4); // alignment of the first message to 8 bytes
        var blocks = new Queue<(long Address, long Length)>();
        blocks.Enqueue((prefix.Position, headerSize));
        while (blocks.Count > 0)
        {
            (long blockAddress, long blockLength) = blocks.Dequeue();
            Hdf5Cursor block = file.Cursor(blockAddress, blockLength, what + " (message block at 0x" + blockAddress.ToString("X") + ")");
            while (block.Remaining >= 8)
            {
                file.Spend();
                int type = block.ReadUInt16();
                int size = block.ReadUInt16();
                int flags = block.ReadByte();
                block.Skip(3);
                int start = block.Position;
                block.Skip(size);
                AddMessage(file, what, messages, blocks, visited, new Hdf5Message(type, flags, start, size));
            }
        }
    }

    private static void ReadVersion2(Hdf5File file, long address, string what, List<Hdf5Message> messages, HashSet<long> visited)
    {
        // IV.A.1.b: "OHDR", version 2, flags, optional times and attribute phase change values, chunk #0 size.
        Hdf5Cursor header = file.CursorToEnd(address, what);
        header.ExpectSignature("OHDR");
        header.ExpectVersion("object header", 2);
        int flags = header.ReadByte();
        if ((flags & 0x20) != 0)
        {
            header.Skip(16); // access, modification, change and birth times
        }

        if ((flags & 0x10) != 0)
        {
            header.Skip(4); // maximum compact / minimum dense attribute counts
        }

        long chunkSize = (long)header.ReadUInt(1 << (flags & 0x03));
        bool creationOrder = (flags & 0x04) != 0;
        Hdf5Cursor chunk = file.Cursor(address, header.Position - address + chunkSize + 4, what);
        chunk.Skip(header.Position - (int)address);
        var blocks = new Queue<(long Address, long Length)>();
        ReadVersion2Messages(file, chunk, chunk.End - 4, creationOrder, what, messages, blocks, visited);
        chunk.VerifyChecksum();
        while (blocks.Count > 0)
        {
            (long blockAddress, long blockLength) = blocks.Dequeue();
            string chunkWhat = what + " (continuation chunk at 0x" + blockAddress.ToString("X") + ")";
            Hdf5Cursor continuation = file.Cursor(blockAddress, blockLength, chunkWhat);
            continuation.ExpectSignature("OCHK");
            ReadVersion2Messages(file, continuation, continuation.End - 4, creationOrder, what, messages, blocks, visited);
            continuation.VerifyChecksum();
        }
    }

    private static void ReadVersion2Messages(
        Hdf5File file, Hdf5Cursor chunk, int end, bool creationOrder, string what, List<Hdf5Message> messages,
        Queue<(long, long)> blocks, HashSet<long> visited)
    {
        int headerSize = creationOrder ? 6 : 4;
        while (end - chunk.Position >= headerSize)
        {
            file.Spend();
            int type = chunk.ReadByte();
            int size = chunk.ReadUInt16();
            int flags = chunk.ReadByte();
            if (creationOrder)
            {
                chunk.Skip(2);
            }

            if (size > end - chunk.Position)
            {
                throw chunk.Fail($"a message of at most {end - chunk.Position} bytes, but message type {type} claims {size}");
            }

            int start = chunk.Position;
            chunk.Skip(size);
            AddMessage(file, what, messages, blocks, visited, new Hdf5Message(type, flags, start, size));
        }

        // What remains before the checksum is a gap too small for a message (IV.A.1.b).
        chunk.Skip(end - chunk.Position);
    }

    private static void AddMessage(
        Hdf5File file, string what, List<Hdf5Message> messages, Queue<(long, long)> blocks, HashSet<long> visited, Hdf5Message message)
    {
        if (messages.Count >= MaxMessages)
        {
            throw new InvalidDataException($"HDF5: the {what} has more than {MaxMessages} messages; the file is corrupt.");
        }

        if (message.Type == Hdf5MessageType.Continuation)
        {
            // IV.A.2.q: offset and length of the next block of messages.
            Hdf5Cursor body = file.Cursor(message.Start, message.Length, what + " (continuation message)");
            long next = body.ReadAddress();
            long length = body.ReadLength();
            if (!visited.Add(next))
            {
                throw new InvalidDataException($"HDF5: the {what} has a continuation that loops back to 0x{next:X}; the file is corrupt.");
            }

            blocks.Enqueue((next, length));
            return;
        }

        if (message.Type != Hdf5MessageType.Nil)
        {
            messages.Add(message);
        }
    }
}
