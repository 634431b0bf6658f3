using System;
using System.Linq;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Tests;

/// <summary>
/// The bfloat16 storage of <see cref="WeightPrecision.BFloat16"/>: rounding against the format's definition (the upper
/// 16 bits of a float32, round to nearest, ties to even: Intel's "BFLOAT16 - Hardware Numerics Definition" and
/// TensorFlow's <c>tf.cast(x, tf.bfloat16)</c>), the widening loads of every vector width, and the packed layout.
/// </summary>
public class BFloat16Tests
{
    [Theory]
    [InlineData(0x3F80_0000u, (ushort)0x3F80)] // 1.0: exact
    [InlineData(0x3F80_7FFFu, (ushort)0x3F80)] // just under half an ulp above 1: down
    [InlineData(0x3F80_8000u, (ushort)0x3F80)] // exactly half way between 0x3F80 and 0x3F81: to the even one, down
    [InlineData(0x3F81_8000u, (ushort)0x3F82)] // exactly half way between 0x3F81 and 0x3F82: to the even one, up
    [InlineData(0x3F80_8001u, (ushort)0x3F81)] // just over half way: up
    [InlineData(0xBFC0_0000u, (ushort)0xBFC0)] // -1.5: exact, sign kept
    [InlineData(0xBF80_C000u, (ushort)0xBF81)] // -1.0058594: over half way, away from zero
    [InlineData(0x3FFF_FFFFu, (ushort)0x4000)] // 1.9999999: carries into the exponent, 2.0
    [InlineData(0x7F7F_FFFFu, (ushort)0x7F80)] // float.MaxValue rounds past the largest bfloat16: +infinity
    [InlineData(0x7F80_0000u, (ushort)0x7F80)] // +infinity
    [InlineData(0x0000_0001u, (ushort)0x0000)] // the smallest subnormal: to zero
    [InlineData(0x8000_0000u, (ushort)0x8000)] // -0
    public void Rounds_to_nearest_even(uint bits, ushort expected) =>
        Assert.Equal(expected, BFloat16.Round(BitConverter.UInt32BitsToSingle(bits)));

    [Fact]
    public void Nan_stays_nan()
    {
        // 0x7F80_0001 would round to 0x7F80 (infinity) by the plain rule: a NaN must stay one.
        ushort rounded = BFloat16.Round(BitConverter.UInt32BitsToSingle(0x7F80_0001u));
        Assert.True(float.IsNaN(BFloat16.ToSingle(rounded)));
        Assert.True(float.IsNaN(BFloat16.ToSingle(BFloat16.Round(float.NaN))));
    }

    [Fact]
    public void Every_bfloat16_widens_to_itself_and_rounds_back()
    {
        for (int value = 0; value <= ushort.MaxValue; value++)
        {
            float wide = BFloat16.ToSingle((ushort)value);
            Assert.Equal((uint)value << 16, BitConverter.SingleToUInt32Bits(wide));
            if (!float.IsNaN(wide))
            {
                Assert.Equal((ushort)value, BFloat16.Round(wide));
            }
        }
    }

    [Fact]
    public void Vector_loads_widen_every_lane_at_every_width()
    {
        var random = new Random(15);
        ushort[] stored = Enumerable.Range(0, 64).Select(_ => (ushort)random.Next(0, 0x7F80)).ToArray(); // finite, positive and negative below
        for (int i = 0; i < stored.Length; i += 3)
        {
            stored[i] |= 0x8000;
        }

        for (int offset = 0; offset + 16 <= stored.Length; offset += 5)
        {
            Vector512<float> v512 = BFloat16.LoadVector512(ref stored[0], (nuint)offset);
            Vector256<float> v256 = BFloat16.LoadVector256(ref stored[0], (nuint)offset);
            Vector128<float> v128 = BFloat16.LoadVector128(ref stored[0], (nuint)offset);
            for (int lane = 0; lane < 16; lane++)
            {
                float expected = BFloat16.ToSingle(stored[offset + lane]);
                Assert.Equal(expected, v512[lane]);
                if (lane < 8)
                {
                    Assert.Equal(expected, v256[lane]);
                }

                if (lane < 4)
                {
                    Assert.Equal(expected, v128[lane]);
                }
            }
        }
    }

    [Fact]
    public void Pair_loads_take_the_low_and_high_halves_of_each_lane_at_every_width()
    {
        var random = new Random(16);
        ushort[] stored = Enumerable.Range(0, 64).Select(_ => (ushort)random.Next(0, 0xFF80)).ToArray();
        for (int offset = 0; offset + 32 <= stored.Length; offset += 6)
        {
            Vector512<float> first512 = BFloat16.LoadFirstOfPair512(ref stored[0], (nuint)offset), second512 = BFloat16.LoadSecondOfPair512(ref stored[0], (nuint)offset);
            Vector256<float> first256 = BFloat16.LoadFirstOfPair256(ref stored[0], (nuint)offset), second256 = BFloat16.LoadSecondOfPair256(ref stored[0], (nuint)offset);
            Vector128<float> first128 = BFloat16.LoadFirstOfPair128(ref stored[0], (nuint)offset), second128 = BFloat16.LoadSecondOfPair128(ref stored[0], (nuint)offset);
            for (int lane = 0; lane < 16; lane++)
            {
                float first = BFloat16.ToSingle(stored[offset + 2 * lane]), second = BFloat16.ToSingle(stored[offset + 2 * lane + 1]);
                Assert.Equal(BitConverter.SingleToUInt32Bits(first), BitConverter.SingleToUInt32Bits(first512[lane]));
                Assert.Equal(BitConverter.SingleToUInt32Bits(second), BitConverter.SingleToUInt32Bits(second512[lane]));
                if (lane < 8)
                {
                    Assert.Equal(BitConverter.SingleToUInt32Bits(first), BitConverter.SingleToUInt32Bits(first256[lane]));
                    Assert.Equal(BitConverter.SingleToUInt32Bits(second), BitConverter.SingleToUInt32Bits(second256[lane]));
                }

                if (lane < 4)
                {
                    Assert.Equal(BitConverter.SingleToUInt32Bits(first), BitConverter.SingleToUInt32Bits(first128[lane]));
                    Assert.Equal(BitConverter.SingleToUInt32Bits(second), BitConverter.SingleToUInt32Bits(second128[lane]));
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 20, 4, 16, 1)] // LSTM, two blocks, the last one padded
    [InlineData(3, 7, 3, 8, 2)]   // GRU reset_after: two bias rows
    [InlineData(2, 4, 1, 4, 1)]   // SimpleRNN
    public void Packs_the_float32_elements_in_the_same_order_rounded(int inputs, int units, int gates, int lanes, int biasRows)
    {
        var random = new Random(inputs * 100 + units);
        float[] kernel = Enumerable.Range(0, inputs * gates * units).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] recurrent = Enumerable.Range(0, units * gates * units).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] bias = Enumerable.Range(0, biasRows * gates * units).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        float[] full = new float[KernelPacking.RecurrentLength(inputs, units, gates, lanes, biasRows)];
        KernelPacking.PackRecurrent(kernel, recurrent, bias, full, inputs, units, gates, lanes, biasRows);
        float[] half = new float[KernelPacking.RecurrentLengthBFloat16(inputs, units, gates, lanes, biasRows)];
        Array.Fill(half, float.NaN); // packing must write every element, padding included
        KernelPacking.PackRecurrentBFloat16(kernel, recurrent, bias, half, inputs, units, gates, lanes, biasRows);

        int blocks = (units + lanes - 1) / lanes, rows = inputs + units, weights = blocks * rows * gates * lanes;
        Assert.Equal(weights / 2 + blocks * biasRows * gates * lanes, half.Length);
        Span<ushort> stored = System.Runtime.InteropServices.MemoryMarshal.Cast<float, ushort>(half.AsSpan(0, weights / 2));
        for (int row = 0; row < blocks * rows; row++)
        {
            for (int g = 0; g < gates; g++)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    // Pairs of gates interleave lane by lane; an odd last gate stays a run (KernelPacking's remarks).
                    int at = g < gates - gates % 2 ? (row * gates + g - g % 2) * lanes + 2 * lane + g % 2 : (row * gates + g) * lanes + lane;
                    Assert.Equal(BFloat16.Round(full[(row * gates + g) * lanes + lane]), stored[at]);
                }
            }
        }

        Assert.Equal(full.AsSpan(weights).ToArray(), half.AsSpan(weights / 2).ToArray());
    }
}
