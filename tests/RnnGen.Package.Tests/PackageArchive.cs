using System;
using System.IO;
using System.IO.Compression;

namespace RnnGen.Package.Tests;

/// <summary>Reads files out of a .nupkg or .snupkg, which are zip archives.</summary>
internal static class PackageArchive
{
    public static byte[] ReadEntry(ZipArchive package, string name)
    {
        ZipArchiveEntry entry = package.GetEntry(name) ?? throw new InvalidOperationException("The package has no " + name);
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
