using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>
/// bfloat16 weights (<see cref="WeightPrecision.BFloat16"/>): the rounding from float32 that packing applies, and the
/// vector loads that widen stored values back to float32 in registers for the generated multiply-adds. Public only
/// because generated code calls it.
/// </summary>
/// <remarks>
/// A bfloat16 is the upper 16 bits of a float32 (Intel, "BFLOAT16 - Hardware Numerics Definition", 2018): widening is
/// exact (a shift left by 16), and rounding keeps the upper half after adding half of the dropped half's weight, ties to
/// even, as TensorFlow's <c>tf.bfloat16</c> cast and the AVX-512 BF16 instruction <c>VCVTNEPS2BF16</c> do. The
/// kernels read a packed buffer of <c>ushort</c>s with the element order of the float32 one
/// (<see cref="KernelPacking.PackRecurrentBFloat16"/>); .NET 10 has no AVX-512 BF16 intrinsics, and the dot-product
/// instruction would round the states and inputs to bfloat16 too, so every width widens the weights and multiplies in float32.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BFloat16
{
    /// <summary><paramref name="value"/> rounded to the nearest bfloat16, ties to even; a NaN stays a (quiet) NaN.</summary>
    public static ushort Round(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u); // NaN: rounding could carry it into infinity
        }

        uint lsb = (bits >> 16) & 1u;
        return (ushort)((bits + 0x7FFFu + lsb) >> 16);
    }

    /// <summary>The float32 a bfloat16 stands for (exact).</summary>
    public static float ToSingle(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>Replaces every value by its nearest bfloat16, as float32: what a <see cref="WeightPrecision.BFloat16"/> model computes with.</summary>
    public static void RoundInPlace(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ToSingle(Round(values[i]));
        }
    }

    /// <summary>
    /// The first gate of a pair packed lane by lane (<see cref="KernelPacking.PackRecurrentBFloat16"/>): the low 16 bits
    /// of each 32-bit lane at <paramref name="source"/> + <paramref name="offset"/>, shifted into the high half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFirstOfPair512(ref ushort source, nuint offset) =>
        Vector512.ShiftLeft(Vector512.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))), 16).AsSingle();

    /// <summary>The second gate of the pair: the high 16 bits of each 32-bit lane, the low ones cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadSecondOfPair512(ref ushort source, nuint offset) =>
        (Vector512.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))) & Vector512.Create(0xFFFF_0000u)).AsSingle();

    /// <summary>The first gate of a pair, 8 lanes (see <see cref="LoadFirstOfPair512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFirstOfPair256(ref ushort source, nuint offset) =>
        Vector256.ShiftLeft(Vector256.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))), 16).AsSingle();

    /// <summary>The second gate of a pair, 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadSecondOfPair256(ref ushort source, nuint offset) =>
        (Vector256.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))) & Vector256.Create(0xFFFF_0000u)).AsSingle();

    /// <summary>The first gate of a pair, 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFirstOfPair128(ref ushort source, nuint offset) =>
        Vector128.ShiftLeft(Vector128.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))), 16).AsSingle();

    /// <summary>The second gate of a pair, 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadSecondOfPair128(ref ushort source, nuint offset) =>
        (Vector128.LoadUnsafe(ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref source, offset))) & Vector128.Create(0xFFFF_0000u)).AsSingle();

    /// <summary>16 bfloat16 at <paramref name="source"/> + <paramref name="offset"/>, widened to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref ushort source, nuint offset)
    {
        Vector256<ushort> stored = Vector256.LoadUnsafe(ref source, offset);
        Vector512<uint> wide = Avx512F.IsSupported
            ? Avx512F.ConvertToVector512UInt32(stored) // vpmovzxwd
            : Vector512.WidenLower(stored.ToVector512Unsafe());
        return Vector512.ShiftLeft(wide, 16).AsSingle();
    }

    /// <summary>8 bfloat16 at <paramref name="source"/> + <paramref name="offset"/>, widened to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref ushort source, nuint offset)
    {
        Vector128<ushort> stored = Vector128.LoadUnsafe(ref source, offset);
        Vector256<uint> wide = Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(stored).AsUInt32() // vpmovzxwd
            : Vector256.WidenLower(stored.ToVector256Unsafe());
        return Vector256.ShiftLeft(wide, 16).AsSingle();
    }

    /// <summary>4 bfloat16 at <paramref name="source"/> + <paramref name="offset"/>, widened to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref ushort source, nuint offset)
    {
        // 8 bytes: a 16-byte load could read past the end of the buffer.
        ulong four = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, offset)));
        Vector128<ushort> stored = Vector128.CreateScalarUnsafe(four).AsUInt16();
        return Vector128.ShiftLeft(Vector128.WidenLower(stored), 16).AsSingle();
    }
}
