using System;
using System.Linq;
using RnnGen.Kernels;

namespace RnnGen.Tests;

/// <summary>
/// The Conv1D kernel (register-blocked filters) against a plain scalar loop of Keras's equation summed in the same
/// order: the bias, then the taps by k and c, <c>y += x * w</c> unfused. Every lane does the scalar loop's operations,
/// so the two agree bit for bit, for filter counts that reach each block width and the scalar tail, groups, strides,
/// dilation and padding on both sides. (TensorFlow.js checks the equation itself: ConvolutionGoldenTests.)
/// </summary>
public class ConvolutionKernelTests
{
    [Theory]
    [InlineData(10, 3, 32, 5, 1, 1, 2, 1, true)]     // 2 blocks of 16, "same" padding
    [InlineData(12, 8, 80, 3, 1, 1, 0, 1, true)]     // a block of 64, one of 16
    [InlineData(9, 4, 6, 3, 1, 2, 2, 2, true)]       // groups of 3 filters: the scalar tail only
    [InlineData(11, 6, 39, 2, 2, 1, 0, 3, false)]    // groups of 13 filters, strides 2, no bias
    [InlineData(7, 2, 200, 4, 1, 1, 3, 1, true)]     // 3 blocks of 64, a scalar tail of 8 (or 8-lane vectors)
    [InlineData(5, 1, 16, 7, 1, 1, 6, 1, true)]      // a window longer than the sequence, causal-style padding
    public void Conv1D_matches_the_scalar_loop_bit_for_bit(int inputTimesteps, int inputWidth, int filters, int kernelSize, int strides, int dilation, int padBefore, int groups, bool hasBias)
    {
        int span = dilation * (kernelSize - 1) + 1;
        int outputTimesteps = (inputTimesteps + 2 * padBefore - span) / strides + 1;
        var random = new Random(filters * 31 + kernelSize);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int groupInputs = inputWidth / groups, groupFilters = filters / groups;
        float[] x = Values(inputTimesteps * inputWidth), kernel = Values(kernelSize * groupInputs * filters);
        float[] bias = hasBias ? Values(filters) : Array.Empty<float>();
        var expected = new float[outputTimesteps * filters];
        for (int t = 0; t < outputTimesteps; t++)
        {
            for (int f = 0; f < filters; f++)
            {
                int g = f / groupFilters;
                float y = hasBias ? bias[f] : 0f;
                for (int k = 0; k < kernelSize; k++)
                {
                    int source = t * strides + k * dilation - padBefore;
                    if (source < 0 || source >= inputTimesteps)
                    {
                        continue;
                    }

                    for (int c = 0; c < groupInputs; c++)
                    {
                        y += x[source * inputWidth + g * groupInputs + c] * kernel[(k * groupInputs + c) * filters + f];
                    }
                }

                expected[t * filters + f] = y;
            }
        }

        var actual = new float[outputTimesteps * filters];
        ConvolutionKernels.Conv1D(x, inputTimesteps, inputWidth, kernel, bias, actual, outputTimesteps, filters, kernelSize, strides, dilation, padBefore, groups);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Conv1D_refuses_spans_shorter_than_its_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => ConvolutionKernels.Conv1D(new float[5], 3, 2, new float[8], Array.Empty<float>(), new float[8], 2, 4, 1, 1, 1, 0, 1));
        Assert.Contains("shorter than its sizes", error.Message);
    }
}
