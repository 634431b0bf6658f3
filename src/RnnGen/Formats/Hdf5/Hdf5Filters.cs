using System;
using System.IO;
using System.IO.Compression;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// The decoding side of the filters h5py applies to chunks (spec IV.A.2.l, filter IDs 1-3): deflate (zlib stream),
/// shuffle (byte planes back to elements) and Fletcher-32 (verify and strip the trailing checksum).
/// </summary>
internal static class Hdf5Filters
{
    // deflate cannot expand data by more than about 1032:1; a chunk claiming more output is corrupt (and would
    // otherwise make us allocate without bound).
    private const int MaxDeflateRatio = 1100;

    public static byte[] Decode(Hdf5Filter filter, byte[] input, int chunkBytes, int elementSize, string what)
    {
        switch (filter.Id)
        {
            case 1:
                return Inflate(input, chunkBytes, what);
            case 2:
                return Unshuffle(input, filter.ClientData.Length > 0 && filter.ClientData[0] > 0 ? (int)Math.Min(filter.ClientData[0], int.MaxValue) : elementSize);
            case 3:
                return StripFletcher32(input, what);
            default:
                throw new InvalidDataException(
                    $"HDF5: the {what} needs the {Hdf5Dataset.FilterName(filter.Id)} filter{(filter.Name is null ? "" : $" (\"{filter.Name}\")")}, which RnnGen does not implement (deflate, shuffle and fletcher32 are supported). Re-save the file without it, e.g. with h5repack -f NONE.");
        }
    }

    private static byte[] Inflate(byte[] input, int chunkBytes, string what)
    {
        // The output may exceed the chunk size only by a Fletcher-32 checksum applied after deflate.
        long limit = Math.Min((long)chunkBytes + 64, (long)input.Length * MaxDeflateRatio + 1024);
        var output = new byte[limit];
        int filled = 0;
        try
        {
            using var stream = new ZLibStream(new MemoryStream(input, writable: false), CompressionMode.Decompress);
            while (filled < output.Length)
            {
                int read = stream.Read(output, filled, output.Length - filled);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled == output.Length && stream.ReadByte() >= 0)
            {
                throw new InvalidDataException($"HDF5: the deflated {what} expands beyond its chunk size of {chunkBytes} bytes.");
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("HDF5:", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"HDF5: the {what} is not a valid deflate (zlib) stream: {e.Message}", e);
        }
        catch (IOException e)
        {
            // zlib reports some corrupt streams as ZLibException (an IOException: "The underlying compression routine
            // returned an unexpected error code") rather than InvalidDataException; the input is in memory, so no
            // IOException here is the file system's. Found by a long fuzz run (a mutated chunk of hdf5_features_v3.h5).
            throw new InvalidDataException($"HDF5: the {what} is not a valid deflate (zlib) stream: {e.Message}", e);
        }

        return filled == output.Length ? output : output.AsSpan(0, filled).ToArray();
    }

    private static byte[] Unshuffle(byte[] input, int elementSize)
    {
        // H5Zshuffle.c: byte j of element i was stored at j * count + i; a tail shorter than one element is kept as is.
        if (elementSize <= 1 || input.Length < elementSize)
        {
            return input;
        }

        int count = input.Length / elementSize;
        var output = new byte[input.Length];
        for (int j = 0; j < elementSize; j++)
        {
            int plane = j * count;
            for (int i = 0; i < count; i++)
            {
                output[i * elementSize + j] = input[plane + i];
            }
        }

        Array.Copy(input, count * elementSize, output, count * elementSize, input.Length - count * elementSize);
        return output;
    }

    private static byte[] StripFletcher32(byte[] input, string what)
    {
        if (input.Length < 4)
        {
            throw new InvalidDataException($"HDF5: the {what} is too short to hold its Fletcher-32 checksum.");
        }

        int length = input.Length - 4;
        uint stored = BitConverter.ToUInt32(input, length);
        uint computed = Fletcher32(input.AsSpan(0, length));
        // H5Zfletcher32.c also accepts the byte-swapped value written by HDF5 1.6.2 and earlier.
        uint reversed = ((computed & 0x00FF00FF) << 8) | ((computed >> 8) & 0x00FF00FF);
        if (stored != computed && stored != reversed)
        {
            throw new InvalidDataException($"HDF5: the Fletcher-32 checksum of the {what} does not match; the data is corrupt.");
        }

        return input.AsSpan(0, length).ToArray();
    }

    /// <summary>HDF5's Fletcher-32 over big-endian 16-bit words (H5checksum.c, <c>H5_checksum_fletcher32</c>).</summary>
    internal static uint Fletcher32(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2;
        int index = 0;
        while (words > 0)
        {
            int block = Math.Min(words, 360);
            words -= block;
            for (int i = 0; i < block; i++)
            {
                sum1 += (uint)((data[index] << 8) | data[index + 1]);
                index += 2;
                sum2 += sum1;
            }

            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        }

        if (data.Length % 2 == 1)
        {
            sum1 += (uint)(data[index] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        }

        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}
