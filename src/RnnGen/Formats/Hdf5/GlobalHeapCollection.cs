using System.Collections.Generic;
using System.IO;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// A global heap collection ("GCOL", spec III.E): where variable-length data such as h5py's variable-length string
/// attributes (<c>model_config</c>, <c>keras_version</c>) live. Objects are found by their index.
/// </summary>
internal sealed class GlobalHeapCollection
{
    private readonly Dictionary<int, (int Start, int Length)> _objects = new();

    public GlobalHeapCollection(Hdf5File file, long address)
    {
        string what = $"global heap collection at 0x{address:X}";
        Hdf5Cursor header = file.CursorToEnd(address, what);
        header.ExpectSignature("GCOL");
        header.ExpectVersion("global heap collection", 1);
        header.Skip(3);
        long size = header.ReadLength();
        Hdf5Cursor collection = file.Cursor(address, size, what);
        collection.Skip(header.Position - (int)address);

        // Objects follow one another, each 8-byte aligned; index 0 marks the free space at the end.
        while (collection.Remaining >= 8 + file.LengthSize)
        {
            file.Spend();
            int index = collection.ReadUInt16();
            collection.Skip(2 + 4); // reference count, reserved
            long objectSize = collection.ReadLength();
            if (index == 0)
            {
                break;
            }

            if (objectSize > collection.Remaining)
            {
                throw collection.Fail($"a heap object of at most {collection.Remaining} bytes, but object {index} claims {objectSize}");
            }

            int start = collection.Position;
            collection.Skip((int)objectSize);
            _objects[index] = (start, (int)objectSize);
            collection.Skip(System.Math.Min(collection.Remaining, (int)((8 - objectSize % 8) % 8)));
        }

        Address = address;
    }

    public long Address { get; }

    public (int Start, int Length) Get(int index)
    {
        if (!_objects.TryGetValue(index, out var found))
        {
            throw new InvalidDataException($"HDF5: the global heap collection at 0x{Address:X} has no object {index}.");
        }

        return found;
    }
}
