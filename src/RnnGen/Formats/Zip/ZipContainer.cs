using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace RnnGen.Formats.Zip;

/// <summary>
/// A zip archive held in memory (.keras and .npz files are zips): lists entries and reads one with its size checked,
/// turning every failure of <see cref="ZipArchive"/> on a corrupt archive into an <see cref="InvalidDataException"/>.
/// The central directory is parsed once, when the container is made, so reading every entry of an archive costs time
/// linear in its size.
/// </summary>
internal sealed class ZipContainer
{
    /// <summary>Deflate cannot expand data more than about 1032:1; an entry claiming more is corrupt.</summary>
    private const long MaxDeflateRatio = 1100;

    private readonly string _what;
    private readonly ZipArchive _archive;
    private readonly List<string> _names = new();
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public ZipContainer(byte[] data, string what)
    {
        _what = what;
        Size = data.Length;
        _archive = Guard(() => new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read));
        Guard(() =>
        {
            foreach (ZipArchiveEntry entry in _archive.Entries)
            {
                if (!_entries.TryAdd(entry.FullName, entry))
                {
                    // Which of the two a reader takes differs between zip libraries; neither Keras nor numpy writes this.
                    throw new InvalidDataException($"The {_what} has two entries named '{Shorten(entry.FullName)}'.");
                }

                _names.Add(entry.FullName);
            }

            return 0;
        });
    }

    /// <summary>The archive's size in bytes.</summary>
    public long Size { get; }

    public IReadOnlyList<string> EntryNames => _names;

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Whether the bytes start like a zip archive (a local file header, or the end record of an empty one).</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 'P' && data[1] == 'K' && ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));

    /// <summary>The size the entry <paramref name="name"/> declares once inflated (0 when there is no such entry).</summary>
    public long DeclaredLength(string name) => _entries.TryGetValue(name, out ZipArchiveEntry? entry) ? Guard(() => entry.Length) : 0;

    /// <summary>
    /// Reads the whole entry <paramref name="name"/>, at most <paramref name="maxBytes"/> bytes; <paramref name="limit"/>
    /// names that limit in the error (for example "the 16 MiB limit on config.json").
    /// </summary>
    public byte[] Read(string name, long maxBytes, string? limit = null)
    {
        if (!_entries.TryGetValue(name, out ZipArchiveEntry? zipEntry))
        {
            throw new InvalidDataException($"The {_what} has no entry '{Shorten(name)}'.");
        }

        (long length, long compressed) = Guard(() => (zipEntry.Length, zipEntry.CompressedLength));
        if (length > maxBytes)
        {
            throw new InvalidDataException(
                $"The {_what} entry '{Shorten(name)}' declares {length} bytes, more than {limit ?? "RnnGen reads"} ({maxBytes} bytes); it is refused before it is inflated.");
        }

        if (length < 0 || length > compressed * MaxDeflateRatio + 1024)
        {
            throw new InvalidDataException(
                $"The {_what} entry '{Shorten(name)}' claims {length} bytes from {compressed} stored, more than deflate can expand to (corrupt).");
        }

        return Guard(() =>
        {
            using Stream stream = zipEntry.Open();
            var buffer = new byte[length];
            int filled = 0;
            while (filled < buffer.Length)
            {
                int read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    throw new InvalidDataException($"The {_what} entry '{Shorten(name)}' ends after {filled} of its {length} bytes (truncated or corrupt).");
                }

                filled += read;
            }

            if (stream.ReadByte() >= 0)
            {
                throw new InvalidDataException($"The {_what} entry '{Shorten(name)}' holds more than the {length} bytes its header declares (corrupt).");
            }

            return buffer;
        });
    }

    /// <summary>An entry name as messages quote it: at most 100 characters (a hostile archive may name entries with megabytes).</summary>
    internal static string Shorten(string name) => name.Length <= 100 ? name : name[..100] + "...";

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
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException or FormatException or InvalidOperationException)
        {
            // System.IO.Compression reports some corrupt archives with these instead of InvalidDataException.
            throw new InvalidDataException($"The {_what} is not a readable zip archive: {e.Message}", e);
        }
    }
}
