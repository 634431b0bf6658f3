using System;
using System.Linq;

namespace RnnGen.Formats.Hdf5;

/// <summary>A parsed dataspace message (spec IV.A.2.b): the dimensions and maximum dimensions of a dataset or attribute.</summary>
internal sealed class Hdf5Dataspace
{
    /// <summary>Marks an unlimited maximum dimension.</summary>
    public const long Unlimited = -1;

    /// <summary>HDF5 allows at most 32 dimensions.</summary>
    private const int MaxRank = 32;

    private Hdf5Dataspace(long[] dimensions, long[] maxDimensions, bool isNull)
    {
        Dimensions = dimensions;
        MaxDimensions = maxDimensions;
        IsNull = isNull;
        long count = isNull ? 0 : 1;
        foreach (long d in dimensions)
        {
            count = d == 0 || count == 0 ? 0 : count > long.MaxValue / d ? long.MaxValue : count * d;
        }

        ElementCount = count;
    }

    /// <summary>Current dimensions; empty for a scalar.</summary>
    public long[] Dimensions { get; }

    /// <summary>Maximum dimensions, <see cref="Unlimited"/> where unlimited; equal to <see cref="Dimensions"/> if not stored.</summary>
    public long[] MaxDimensions { get; }

    /// <summary>A null dataspace holds no elements.</summary>
    public bool IsNull { get; }

    /// <summary>Number of elements (saturating at <see cref="long.MaxValue"/> for absurd shapes).</summary>
    public long ElementCount { get; }

    public int Rank => Dimensions.Length;

    public static Hdf5Dataspace Read(Hdf5Cursor cursor)
    {
        byte version = cursor.ExpectVersion("dataspace message", 1, 2);
        int rank = cursor.ReadByte();
        int flags = cursor.ReadByte();
        bool isNull = false;
        if (version == 1)
        {
            cursor.Skip(5); // reserved
        }
        else
        {
            int type = cursor.ReadByte();
            if (type > 2)
            {
                throw cursor.Fail($"dataspace type 0 (scalar), 1 (simple) or 2 (null), but found {type}");
            }

            isNull = type == 2;
        }

        if (rank > MaxRank)
        {
            throw cursor.Fail($"at most {MaxRank} dimensions, but found {rank}");
        }

        var dimensions = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = cursor.ReadLength();
        }

        long[] max = dimensions;
        if ((flags & 0x01) != 0)
        {
            max = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                int size = cursor.File.LengthSize;
                ulong m = cursor.ReadUInt(size);
                ulong unlimited = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
                max[i] = m == unlimited ? Unlimited : (long)Math.Min(m, long.MaxValue / 2);
            }
        }

        return new Hdf5Dataspace(dimensions, max, isNull);
    }

    public string ShapeText => "[" + string.Join(", ", Dimensions.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
