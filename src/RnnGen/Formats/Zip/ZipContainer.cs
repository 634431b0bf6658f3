using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace RnnGen.Formats.Zip;

/// <summary>
/// A zip archive held in memory (.keras and .npz files are zips): lists entries and reads one with its size checked,
/// turning every failure of <see cref="ZipArchive"/> on a corrupt archive into an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class ZipContainer
{
    /// <summary>Deflate cannot expand data more than about 1032:1; an entry claiming more is corrupt.</summary>
    private const long MaxDeflateRatio = 1100;

    private readonly byte[] _data;
    private readonly string _what;
    private readonly List<(string Name, long Length, long CompressedLength)> _entries;

    public ZipContainer(byte[] data, string what)
    {
        _data = data;
        _what = what;
        _entries = Guard(() =>
        {
            using var archive = Open();
            return archive.Entries.Select(e => (e.FullName, e.Length, e.CompressedLength)).ToList();
        });
    }

    public IEnumerable<string> EntryNames => _entries.Select(e => e.Name);

    public bool Contains(string name) => _entries.Any(e => e.Name == name);

    /// <summary>Whether the bytes start like a zip archive (a local file header, or the end record of an empty one).</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 'P' && data[1] == 'K' && ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));

    /// <summary>Reads the whole entry <paramref name="name"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    public byte[] Read(string name, long maxBytes)
    {
        var entry = _entries.FirstOrDefault(e => e.Name == name);
        if (entry.Name is null)
        {
            throw new InvalidDataException($"The {_what} has no entry '{name}'.");
        }

        if (entry.Length < 0 || entry.Length > maxBytes || entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
        {
            throw new InvalidDataException(
                $"The {_what} entry '{name}' claims {entry.Length} bytes (from {entry.CompressedLength} stored), which is more than it can hold or than RnnGen reads ({maxBytes}).");
        }

        return Guard(() =>
        {
            using var archive = Open();
            ZipArchiveEntry zipEntry = archive.GetEntry(name) ?? throw new InvalidDataException($"The {_what} has no entry '{name}'.");
            using Stream stream = zipEntry.Open();
            var buffer = new byte[entry.Length];
            int filled = 0;
            while (filled < buffer.Length)
            {
                int read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    throw new InvalidDataException($"The {_what} entry '{name}' ends after {filled} of its {entry.Length} bytes (truncated or corrupt).");
                }

                filled += read;
            }

            if (stream.ReadByte() >= 0)
            {
                throw new InvalidDataException($"The {_what} entry '{name}' holds more than the {entry.Length} bytes its header declares (corrupt).");
            }

            return buffer;
        });
    }

    private ZipArchive Open() => new(new MemoryStream(_data, writable: false), ZipArchiveMode.Read);

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("The ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The {_what} is not a readable zip archive: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException or FormatException)
        {
            // System.IO.Compression reports some corrupt archives with these instead of InvalidDataException.
            throw new InvalidDataException($"The {_what} is not a readable zip archive: {e.Message}", e);
        }
    }
}
