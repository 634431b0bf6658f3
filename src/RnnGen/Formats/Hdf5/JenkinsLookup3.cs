using System;

namespace RnnGen.Formats.Hdf5;

/// <summary>
/// Bob Jenkins' lookup3 <c>hashlittle</c> with initial value 0, byte by byte: the checksum HDF5 stores after its
/// version 2 metadata structures (superblock v2/v3, object header v2, B-tree v2, fractal heap, fixed and extensible
/// arrays). HDF5 File Format Specification v3, section I.A ("Checksums"), HDF5 source <c>H5checksum.c</c>.
/// </summary>
internal static class JenkinsLookup3
{
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        uint a, b, c;
        a = b = c = 0xDEADBEEF + (uint)key.Length;
        int length = key.Length;
        int k = 0;
        while (length > 12)
        {
            a += key[k] | ((uint)key[k + 1] << 8) | ((uint)key[k + 2] << 16) | ((uint)key[k + 3] << 24);
            b += key[k + 4] | ((uint)key[k + 5] << 8) | ((uint)key[k + 6] << 16) | ((uint)key[k + 7] << 24);
            c += key[k + 8] | ((uint)key[k + 9] << 8) | ((uint)key[k + 10] << 16) | ((uint)key[k + 11] << 24);
            Mix(ref a, ref b, ref c);
            length -= 12;
            k += 12;
        }

        // The tail falls through from the highest byte down, exactly as the C switch does.
        switch (length)
        {
            case 12: c += (uint)key[k + 11] << 24; goto case 11;
            case 11: c += (uint)key[k + 10] << 16; goto case 10;
            case 10: c += (uint)key[k + 9] << 8; goto case 9;
            case 9: c += key[k + 8]; goto case 8;
            case 8: b += (uint)key[k + 7] << 24; goto case 7;
            case 7: b += (uint)key[k + 6] << 16; goto case 6;
            case 6: b += (uint)key[k + 5] << 8; goto case 5;
            case 5: b += key[k + 4]; goto case 4;
            case 4: a += (uint)key[k + 3] << 24; goto case 3;
            case 3: a += (uint)key[k + 2] << 16; goto case 2;
            case 2: a += (uint)key[k + 1] << 8; goto case 1;
            case 1: a += key[k]; break;
            case 0: return c;
        }

        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
