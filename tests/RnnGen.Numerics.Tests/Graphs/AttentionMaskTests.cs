using System;
using System.Linq;
using Xunit;

namespace RnnGen.Numerics.Tests.Graphs;

/// <summary>
/// The masks of the attention kernels, on their own (the graph golden cases have the key equal to the value, so they
/// cannot tell the key's mask from the value's): Keras's MultiHeadAttention ANDs the key's mask with the value's
/// (<c>_compute_attention_mask</c>), so masking a timestep through either gives the same numbers.
/// </summary>
public class AttentionMaskTests
{
    private const int Tq = 3, Tv = 4, Heads = 2, KeyDim = 2, Width = 3;

    private static float[] Uniform(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static float[] MultiHeadAttention(ReadOnlySpan<bool> valueMask, ReadOnlySpan<bool> keyMask)
    {
        float[][] weights = GeneratedModelSupport.NewMultiHeadAttentionWeights(Width, Width, Width, Heads, KeyDim, KeyDim, Width, useBias: true);
        var output = new float[Tq * Width];
        GeneratedModelSupport.MultiHeadAttention(Uniform(Tq * Width, 1), Uniform(Tv * Width, 2), Uniform(Tv * Width, 3), Tq, Tv,
            Heads, KeyDim, KeyDim, causal: false, weights, output, valueMask: valueMask, keyMask: keyMask);
        return output;
    }

    [Fact]
    public void Multi_head_attention_masks_a_timestep_through_the_key_as_through_the_value()
    {
        bool[] third = { true, true, false, true };
        float[] byValue = MultiHeadAttention(third, default);
        Assert.Equal(byValue, MultiHeadAttention(default, third));
        Assert.Equal(byValue, MultiHeadAttention(third, third));
        Assert.NotEqual(byValue, MultiHeadAttention(default, default));
    }

    [Fact]
    public void A_mask_of_the_wrong_length_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => MultiHeadAttention(default, new bool[Tv + 1]));
        Assert.Equal("keyMask", error.ParamName);
        Assert.Contains("An attention mask of 5 values for 4 timesteps", error.Message);
    }
}
