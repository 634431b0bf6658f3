using System;
using System.Collections.Generic;
using System.IO;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// A read-only HDF5 file held in memory: the superblock, and the objects reached from the root group. Covers what h5py
/// and HDF5 1.8 to 2.0 write for Keras weight files: superblock versions 0 to 3, object header versions 1 and 2,
/// symbol-table and link-message groups (compact and dense), attributes (compact and dense), and compact, contiguous and
/// chunked datasets. Section numbers in comments refer to the HDF5 File Format Specification Version 3.0.
/// </summary>
/// <remarks>
/// Every size, count and address read from the file is checked against the file length before it is used, recursion is
/// capped, linked structures are walked with cycle detection, and the total work per file is bounded by a budget, so a
/// corrupt or hostile file fails with <see cref="InvalidDataException"/> in bounded time and memory.
/// </remarks>
internal sealed class Hdf5File
{
    /// <summary>The undefined address (all bits set in the file, spec II.A).</summary>
    public const long UndefinedAddress = -1;

    private static readonly byte[] Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A };

    private readonly Dictionary<long, Hdf5Object> _objects = new();
    private readonly Dictionary<long, GlobalHeapCollection> _globalHeaps = new();
    private readonly Dictionary<(long Group, string Name), Hdf5Object?> _softLinks = new();
    private readonly HashSet<(long Group, string Name)> _softLinksBeingResolved = new();
    private readonly long _rootAddress;
    private readonly long _initialBudget;
    private long _budget;

    private Hdf5File(byte[] data)
    {
        Data = data;
        _budget = _initialBudget = WorkBudget(data.Length);
        int superblock = FindSuperblock(data);
        SuperblockAddress = superblock;

        // The fields before the sizes are fixed; read them with a provisional cursor.
        var probe = new Hdf5Cursor(this, superblock, data.Length, "superblock at 0x" + superblock.ToString("X"));
        probe.Skip(Signature.Length);
        SuperblockVersion = probe.ReadByte();
        switch (SuperblockVersion)
        {
            case 0:
            case 1:
                // II.A, superblock versions 0 and 1.
                probe.Skip(4); // free-space, root symbol table entry and shared header versions, reserved
                OffsetSize = ValidSize(probe, probe.ReadByte(), "Size of Offsets");
                LengthSize = ValidSize(probe, probe.ReadByte(), "Size of Lengths");
                probe.Skip(1);
                probe.Skip(4); // group leaf and internal node K
                probe.Skip(4); // file consistency flags
                if (SuperblockVersion == 1)
                {
                    probe.Skip(4); // indexed storage internal node K, reserved
                }

                BaseAddress = (long)probe.ReadUInt(OffsetSize);
                probe.ReadUInt(OffsetSize); // free-space info address
                long eof0 = (long)probe.ReadUInt(OffsetSize);
                probe.ReadUInt(OffsetSize); // driver information block
                CheckEndOfFile(eof0);
                // III.C: the root group symbol table entry; its object header address is what matters.
                probe.ReadUInt(OffsetSize); // link name offset
                _rootAddress = probe.ReadAddress();
                probe.Skip(4 + 4 + 16); // cache type, reserved, scratch pad
                break;
            case 2:
            case 3:
                // II.A, superblock versions 2 and 3, followed by a checksum.
                OffsetSize = ValidSize(probe, probe.ReadByte(), "Size of Offsets");
                LengthSize = ValidSize(probe, probe.ReadByte(), "Size of Lengths");
                probe.Skip(1); // file consistency flags
                BaseAddress = (long)probe.ReadUInt(OffsetSize);
                probe.ReadUInt(OffsetSize); // superblock extension address
                long eof2 = (long)probe.ReadUInt(OffsetSize);
                _rootAddress = ToAbsolute(probe.ReadUInt(OffsetSize), OffsetSize);
                probe.VerifyChecksum();
                CheckEndOfFile(eof2);
                break;
            default:
                throw new InvalidDataException(
                    $"HDF5: superblock version {SuperblockVersion} is not supported (versions 0, 1, 2 and 3 are; spec II.A).");
        }

        if (BaseAddress < 0 || BaseAddress > data.Length)
        {
            throw new InvalidDataException($"HDF5: the superblock's base address {BaseAddress} lies outside the file ({data.Length} bytes).");
        }

        if (_rootAddress == UndefinedAddress)
        {
            throw new InvalidDataException("HDF5: the superblock has no root group address.");
        }
    }

    /// <summary>The whole file.</summary>
    public byte[] Data { get; }

    /// <summary>Where the superblock was found (0 unless the file has a user block).</summary>
    public int SuperblockAddress { get; }

    /// <summary>Superblock version: 0 or 1 (HDF5 1.6 format, h5py's default), 2 or 3 (libver 1.8 and later).</summary>
    public int SuperblockVersion { get; }

    /// <summary>"Size of Offsets" in bytes.</summary>
    public int OffsetSize { get; }

    /// <summary>"Size of Lengths" in bytes.</summary>
    public int LengthSize { get; }

    /// <summary>Base address that file addresses are relative to.</summary>
    public long BaseAddress { get; }

    /// <summary>The root group.</summary>
    public Hdf5Object Root => GetObject(_rootAddress, "/");

    /// <summary>Opens an HDF5 file image; throws <see cref="InvalidDataException"/> if it is not a readable HDF5 file.</summary>
    public static Hdf5File Open(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        return new Hdf5File(data);
    }

    /// <summary>Whether <paramref name="data"/> starts with (or has at 512, 1024, ...) the HDF5 signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data)
    {
        for (long offset = 0; offset + Signature.Length <= data.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            if (data.Slice((int)offset, Signature.Length).SequenceEqual(Signature))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The object at <paramref name="path"/> (slash-separated, from the root), or <see langword="null"/> if a part is
    /// missing.
    /// </summary>
    public Hdf5Object? Resolve(string path) => Root.Resolve(path);

    /// <summary>Makes a structure cursor after checking that <paramref name="length"/> bytes at the address exist.</summary>
    public Hdf5Cursor Cursor(long address, long length, string what)
    {
        Spend();
        if (address == UndefinedAddress)
        {
            throw new InvalidDataException($"HDF5: the {what} has an undefined address.");
        }

        if (address < 0 || length < 0 || address > Data.Length || length > Data.Length - address)
        {
            throw new InvalidDataException(
                $"HDF5: the {what} at 0x{address:X} ({length} bytes) lies outside the file, which has {Data.Length} bytes (truncated or corrupt file).");
        }

        return new Hdf5Cursor(this, (int)address, (int)(address + length), what);
    }

    /// <summary>A cursor from <paramref name="address"/> to the end of the file, for structures that state their own size.</summary>
    public Hdf5Cursor CursorToEnd(long address, string what) =>
        Cursor(address, address >= 0 && address <= Data.Length ? Data.Length - address : 0, what);

    /// <summary>
    /// The steps a file of <paramref name="length"/> bytes may take to read: 50,000 plus one per 16 bytes. A step is
    /// one structure visited (object header message, B-tree entry, heap object, link followed, chunk placed, attribute
    /// value), 64 bytes of text decoded, or a sixteenth of an object reached; each costs O(1) time and at most a few
    /// hundred bytes of allocation beyond the bytes it copies. Real weight
    /// files need a small fraction of this (the repository's Keras files a few hundred steps read in full, its HDF5
    /// feature files with thousands of tiny chunks about a tenth); a corrupt file that loops, or a hostile one whose
    /// links fan out, hits it quickly.
    /// </summary>
    public static long WorkBudget(long length) => 50_000 + length / 16;

    /// <summary>
    /// Steps an object costs when first reached: its header, messages list, links and path take a few kilobytes, far
    /// more than a step's share, while a hostile file can describe one in some 30 bytes (a chain of nested groups).
    /// </summary>
    private const int ObjectSteps = 16;

    /// <summary>Steps spent so far (see <see cref="WorkBudget"/>).</summary>
    public long Spent => _initialBudget - _budget;

    /// <summary>Counts work done while parsing and stops a file whose structures would make parsing run away.</summary>
    public void Spend(int amount = 1)
    {
        _budget -= amount;
        if (_budget < 0)
        {
            throw new InvalidDataException(
                $"HDF5: reading the file's structures needs more than its work budget of {_initialBudget} steps (50,000 + 1 per 16 bytes of file; cyclic, fanned-out or corrupt links or B-trees); giving up.");
        }
    }

    /// <summary>Decodes UTF-8 text stored in the file, spending a step per 64 bytes (many entries may name one long string).</summary>
    public string Text(ReadOnlySpan<byte> utf8)
    {
        Spend(1 + utf8.Length / 64);
        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    /// <summary>
    /// Follows the soft link <paramref name="name"/> of <paramref name="group"/> once per file: the object it leads to is
    /// remembered, so links whose paths run through other soft links (64 parts, each a link to 64 parts, ...) cost their
    /// own length, not the product of the lengths. A link met again while it is being followed is a cycle.
    /// </summary>
    internal Hdf5Object? FollowSoftLink(Hdf5Object group, string name, string target, Func<Hdf5Object?> resolve)
    {
        var key = (group.Address, name);
        if (_softLinks.TryGetValue(key, out Hdf5Object? known))
        {
            return known;
        }

        if (!_softLinksBeingResolved.Add(key))
        {
            throw new InvalidDataException($"HDF5: the soft link '{group.Path}/{name}' -> '{Shorten(target)}' leads back to itself (a cycle).");
        }

        try
        {
            Hdf5Object? found = resolve();
            _softLinks[key] = found;
            return found;
        }
        finally
        {
            _softLinksBeingResolved.Remove(key);
        }
    }

    /// <summary>A path or name from the file as messages quote it: at most 100 characters.</summary>
    internal static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "...";

    internal long ToAbsolute(ulong relative, int size)
    {
        ulong undefined = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
        if (relative == undefined)
        {
            return UndefinedAddress;
        }

        // Any address past the file is reported where it is used, with the structure's name; keep it representable.
        ulong absolute = relative + (ulong)BaseAddress;
        return absolute > int.MaxValue ? int.MaxValue : (long)absolute;
    }

    internal Hdf5Object GetObject(long address, string path)
    {
        if (!_objects.TryGetValue(address, out Hdf5Object? found))
        {
            Spend(ObjectSteps);
            found = new Hdf5Object(this, address, path);
            _objects[address] = found;
        }

        return found;
    }

    internal GlobalHeapCollection GetGlobalHeap(long address)
    {
        if (!_globalHeaps.TryGetValue(address, out GlobalHeapCollection? heap))
        {
            heap = new GlobalHeapCollection(this, address);
            _globalHeaps[address] = heap;
        }

        return heap;
    }

    private static int FindSuperblock(byte[] data)
    {
        // II.A: the superblock is at 0, 512, 1024, 2048, ... (after an optional user block).
        for (long offset = 0; offset + Signature.Length <= data.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            if (data.AsSpan((int)offset, Signature.Length).SequenceEqual(Signature))
            {
                return (int)offset;
            }
        }

        string start = Hdf5Cursor.Printable(data.AsSpan(0, Math.Min(8, data.Length)));
        throw new InvalidDataException(
            $"HDF5: no HDF5 signature (\\x89HDF\\r\\n\\x1A\\n) at offset 0, 512, 1024, ...; the file starts with {start}. Not an HDF5 file.");
    }

    private static int ValidSize(Hdf5Cursor cursor, byte size, string field)
    {
        if (size is not (2 or 4 or 8))
        {
            throw cursor.Fail($"{field} of 2, 4 or 8 bytes, but found {size}");
        }

        return size;
    }

    private void CheckEndOfFile(long endOfFile)
    {
        // The superblock records where the file ends; a shorter file was cut off (II.A, "End of File Address").
        if (endOfFile >= 0 && BaseAddress >= 0 && endOfFile + BaseAddress > Data.Length && endOfFile != -1)
        {
            throw new InvalidDataException(
                $"HDF5: the file is truncated: its superblock says it is {endOfFile + BaseAddress} bytes long, but only {Data.Length} bytes are present.");
        }
    }
}
