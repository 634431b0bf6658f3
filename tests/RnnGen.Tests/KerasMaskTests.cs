using System;

namespace RnnGen.Tests;

/// <summary>
/// <see cref="KerasMask"/> against Keras's rule (keras/src/layers/core/masking.py:
/// <c>ops.any(ops.not_equal(inputs, mask_value), axis=-1)</c>). The TF.js Masking layer's own masks are checked in
/// MaskedGoldenTests.
/// </summary>
public sealed class KerasMaskTests
{
    [Fact]
    public void A_timestep_is_kept_when_any_feature_differs_from_the_mask_value()
    {
        float[] input =
        {
            0, 0, 0,    // all equal to 0: masked
            0, 0, 1e-30f, // one tiny feature: kept
            -1, -1, -1,  // all equal to -1: kept for 0, masked for -1
            float.NaN, 0, 0, // NaN is not equal to anything: kept
        };
        Assert.Equal(new[] { false, true, true, true }, KerasMask.Compute(input, 3));
        Assert.Equal(new[] { true, true, false, true }, KerasMask.Compute(input, 3, maskValue: -1f));
        Assert.Equal(new[] { true, true, true, true }, KerasMask.Compute(input, 3, maskValue: float.NaN));
    }

    [Fact]
    public void IsKept_is_the_rule_of_one_timestep_and_the_Masking_row_zeroes_what_it_masks()
    {
        // The one predicate Compute and the generated [Masking] code share.
        Assert.False(KerasMask.IsKept(new float[] { 0.5f, 0.5f }, 0.5f));
        Assert.True(KerasMask.IsKept(new float[] { 0.5f, 0.25f }, 0.5f));
        Assert.True(KerasMask.IsKept(new[] { float.NaN, 0.5f }, 0.5f));
        Assert.True(KerasMask.IsKept(new float[] { 0, 0 }, float.NaN));

        // Masking.call: inputs * cast(mask): a masked row becomes zeros, a kept one is unchanged (NaN included).
        float[] y = { 9, 9 };
        Kernels.ElementwiseKernels.Mask(new float[] { 0.5f, 0.5f }, y, 0.5f);
        Assert.Equal(new float[] { 0, 0 }, y);
        Kernels.ElementwiseKernels.Mask(new[] { 0.5f, float.NaN }, y, 0.5f);
        Assert.Equal(0.5f, y[0]);
        Assert.True(float.IsNaN(y[1]));
    }

    [Fact]
    public void The_span_form_allocates_nothing_and_agrees()
    {
        float[] input = { 0, 0, 2, 0, 0, 0 };
        bool[] mask = new bool[3];
        KerasMask.Compute(input, 2, mask);
        Assert.Equal(KerasMask.Compute(input, 2), mask);

        long before = GC.GetAllocatedBytesForCurrentThread();
        KerasMask.Compute(input, 2, mask);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_sizes_are_refused_naming_them_and_the_mask_is_unchanged()
    {
        Assert.Equal("inputDim", Assert.Throws<ArgumentOutOfRangeException>(() => KerasMask.Compute(new float[4], 0)).ParamName);
        var notWhole = Assert.Throws<ArgumentException>(() => KerasMask.Compute(new float[5], 2));
        Assert.Equal("input", notWhole.ParamName);
        Assert.Contains("5 floats", notWhole.Message);

        bool[] mask = { true, false, true };
        var wrongMask = Assert.Throws<ArgumentException>(() => KerasMask.Compute(new float[4], 2, mask));
        Assert.Equal("mask", wrongMask.ParamName);
        Assert.Contains("2 for 4 floats", wrongMask.Message);
        Assert.Equal(new[] { true, false, true }, mask);
    }
}
