using System;

namespace RnnGen;

/// <summary>
/// A small, portable pseudo-random generator (xoshiro128**, Blackman and Vigna 2018, seeded through SplitMix64) so
/// that a model constructed with the same seed gets the same weights on every .NET version and platform; the
/// framework's <see cref="Random"/> does not promise that.
/// </summary>
internal struct SeededRandom
{
    private uint _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        ulong state = seed;
        ulong a = SplitMix64(ref state), b = SplitMix64(ref state);
        _s0 = (uint)a;
        _s1 = (uint)(a >> 32);
        _s2 = (uint)b;
        _s3 = (uint)(b >> 32);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the all-zero state is the one state xoshiro cannot leave
        }
    }

    /// <summary>Mixes a model seed and a weight index into the seed of that weight's stream.</summary>
    public static ulong Derive(int seed, int stream)
    {
        ulong state = ((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x5DEECE66DUL;
        return SplitMix64(ref state);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public uint NextUInt32()
    {
        uint result = RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        ulong bits = ((ulong)NextUInt32() << 21) ^ (NextUInt32() >> 11);
        return bits * (1.0 / (1UL << 53));
    }

    /// <summary>Standard normal by the Box-Muller transform.</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static uint RotateLeft(uint value, int count) => (value << count) | (value >> (32 - count));
}
