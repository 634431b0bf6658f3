using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// Builds a small HDF5 file in memory — groups, contiguous little-endian float32 datasets, and scalar attributes (64-bit
/// integers and variable-length UTF-8 strings, the types h5py gives a Python <c>int</c> and <c>str</c>) — and writes it
/// with managed code only. The file uses superblock version 2 and version-2 object headers whose groups keep their
/// links as link messages, which HDF5 1.8 (2008) and later read: h5py (hence Keras), h5wasm and RnnGen's own reader.
/// The encoding is in <c>Hdf5Writer.Encoding.cs</c>.
/// </summary>
/// <remarks>
/// The output depends only on what was added (no timestamps, no free space left by edits), so the same weights always
/// give the same bytes; tests rely on that to tie a checked file to the writer that made it.
/// </remarks>
internal sealed partial class Hdf5Writer
{
    /// <summary>The root group <c>/</c>.</summary>
    public Hdf5WriterGroup Root { get; } = new("/");

    /// <summary>The whole file.</summary>
    public byte[] ToArray()
    {
        var output = new FileImage();
        Encode(output);
        return output.ToArray();
    }

    /// <summary>Writes the whole file to <paramref name="stream"/> (which need not be seekable).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ToArray();
        stream.Write(bytes, 0, bytes.Length);
    }
}

/// <summary>A group being built: its links (groups and datasets, in the order added) and attributes.</summary>
internal sealed class Hdf5WriterGroup
{
    /// <summary>HDF5's limit on dimensions (H5S_MAX_RANK).</summary>
    private const int MaxRank = 32;

    private readonly List<KeyValuePair<string, object>> _links = new();
    private readonly List<Hdf5WriterAttribute> _attributes = new();

    internal Hdf5WriterGroup(string path) => Path = path;

    /// <summary>The group's path in the file, for messages.</summary>
    public string Path { get; }

    /// <summary>The links in the order added: a <see cref="Hdf5WriterGroup"/> or a <see cref="Hdf5WriterDataset"/> each.</summary>
    internal IReadOnlyList<KeyValuePair<string, object>> Links => _links;

    internal IReadOnlyList<Hdf5WriterAttribute> Attributes => _attributes;

    /// <summary>The subgroup <paramref name="name"/>, created if it does not exist yet.</summary>
    /// <exception cref="ArgumentException">The name is not a valid link name, or names a dataset.</exception>
    public Hdf5WriterGroup Group(string name)
    {
        CheckName(name, "group");
        foreach (var (existing, child) in _links)
        {
            if (existing == name)
            {
                return child as Hdf5WriterGroup
                    ?? throw new ArgumentException($"'{Child(name)}' is a dataset, not a group.", nameof(name));
            }
        }

        var group = new Hdf5WriterGroup(Child(name));
        _links.Add(new(name, group));
        return group;
    }

    /// <summary>
    /// Adds the dataset <paramref name="name"/>: <paramref name="values"/> (copied) as little-endian float32 of shape
    /// <paramref name="dimensions"/> (row-major; no dimensions: a scalar).
    /// </summary>
    /// <exception cref="ArgumentException">The name is taken or invalid, a dimension is negative, or the shape does not
    /// hold exactly <paramref name="values"/>.Length values.</exception>
    public void Dataset(string name, ReadOnlySpan<float> values, IReadOnlyList<int> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        CheckName(name, "dataset");
        CheckFree(name);
        if (dimensions.Count > MaxRank)
        {
            throw new ArgumentException($"Dataset '{Child(name)}' has {dimensions.Count} dimensions; HDF5 allows at most {MaxRank}.", nameof(dimensions));
        }

        long count = 1;
        foreach (int d in dimensions)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dataset '{Child(name)}' has a negative dimension in [{string.Join(", ", dimensions)}].", nameof(dimensions));
            }

            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Dataset '{Child(name)}' of shape [{string.Join(", ", dimensions)}] holds {count} values; {values.Length} were given.", nameof(values));
        }

        _links.Add(new(name, new Hdf5WriterDataset(values.ToArray(), dimensions.ToArray())));
    }

    /// <summary>Adds the scalar dataset <paramref name="name"/>: one little-endian 64-bit signed integer (numpy <c>&lt;i8</c>, shape <c>()</c>).</summary>
    /// <exception cref="ArgumentException">The name is taken or invalid.</exception>
    public void Dataset(string name, long value)
    {
        CheckName(name, "dataset");
        CheckFree(name);
        _links.Add(new(name, new Hdf5WriterDataset(Array.Empty<float>(), Array.Empty<int>(), value)));
    }

    /// <summary>Adds a scalar 64-bit signed integer attribute (what h5py writes for a Python <c>int</c>).</summary>
    public void Attribute(string name, long value) => AddAttribute(new Hdf5WriterAttribute(name, value, null));

    /// <summary>Adds a scalar variable-length UTF-8 string attribute (what h5py writes for a Python <c>str</c>).</summary>
    public void Attribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddAttribute(new Hdf5WriterAttribute(name, 0, value));
    }

    private void AddAttribute(Hdf5WriterAttribute attribute)
    {
        if (string.IsNullOrEmpty(attribute.Name) || attribute.Name.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(attribute.Name) >= ushort.MaxValue)
        {
            throw new ArgumentException($"An attribute of '{Path}' needs a non-empty name of under 65535 bytes without NUL characters.", nameof(attribute));
        }

        if (_attributes.Any(a => a.Name == attribute.Name))
        {
            throw new ArgumentException($"'{Path}' already has an attribute '{attribute.Name}'.", nameof(attribute));
        }

        _attributes.Add(attribute);
    }

    private string Child(string name) => Path == "/" ? "/" + name : Path + "/" + name;

    private void CheckFree(string name)
    {
        if (_links.Any(l => l.Key == name))
        {
            throw new ArgumentException($"'{Child(name)}' already exists.", nameof(name));
        }
    }

    private void CheckName(string name, string what)
    {
        // HDF5 link names are any non-empty UTF-8 without '/' (the path separator) or NUL; "." names the group itself.
        if (string.IsNullOrEmpty(name) || name == "." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid {what} name in '{Path}': HDF5 names are non-empty, not \".\", and hold no '/' or NUL.", nameof(name));
        }

        if (Encoding.UTF8.GetByteCount(name) > ushort.MaxValue)
        {
            throw new ArgumentException($"A {what} name in '{Path}' is longer than 65535 bytes.", nameof(name));
        }
    }
}

/// <summary>A float32 dataset being built.</summary>
/// <summary>A dataset to write: float32 <see cref="Values"/> of shape <see cref="Dimensions"/>, or one int64 <see cref="Integer"/> (a scalar).</summary>
internal sealed record Hdf5WriterDataset(float[] Values, int[] Dimensions, long? Integer = null);

/// <summary>A scalar attribute: a string when <see cref="Text"/> is set, else the integer <see cref="Integer"/>.</summary>
internal sealed record Hdf5WriterAttribute(string Name, long Integer, string? Text);
