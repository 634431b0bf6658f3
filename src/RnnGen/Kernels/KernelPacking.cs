using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using RnnGen.Shared;

namespace RnnGen.Kernels;

/// <summary>
/// Rearranges Keras-layout weights into the order the generated kernels read them, once per <c>SetWeights</c>. The
/// sizes are <see cref="Shared.PackedLayout"/>'s, which the generator lays its packed buffer out with. Public only
/// because generated code calls it.
/// </summary>
/// <remarks>
/// Recurrent layers: units are cut into blocks of <c>lanes</c> (the vector width the kernel uses), the last block
/// padded with zeros. For each block, each input row <c>k</c> (the kernel's rows, then the recurrent kernel's) holds
/// the block's columns of every gate side by side, so the kernel streams one contiguous run per block:
/// <c>packed[((block * rows + k) * gates + g) * lanes + lane] = W[k, g * units + block * lanes + lane]</c>. The bias
/// follows the weights, per block and bias row: <c>[((block * biasRows + r) * gates + g) * lanes + lane]</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelPacking
{
    /// <summary>Floats <see cref="PackRecurrent"/> writes.</summary>
    public static int RecurrentLength(int inputs, int units, int gates, int lanes, int biasRows) =>
        PackedLayout.RecurrentLength(inputs, units, gates, lanes, biasRows);

    /// <summary>Packs one direction of a recurrent layer (see the class remarks).</summary>
    /// <param name="kernel">Keras kernel <c>[inputs, gates * units]</c>.</param>
    /// <param name="recurrentKernel">Keras recurrent kernel <c>[units, gates * units]</c>.</param>
    /// <param name="bias">Keras bias <c>[biasRows, gates * units]</c>, or empty when the layer has none.</param>
    /// <param name="packed">Destination of <see cref="RecurrentLength"/> floats.</param>
    /// <param name="inputs">Input features.</param>
    /// <param name="units">Units.</param>
    /// <param name="gates">Gate blocks: 1 SimpleRNN, 4 LSTM, 3 GRU.</param>
    /// <param name="lanes">Floats per vector of the kernel: 4, 8 or 16.</param>
    /// <param name="biasRows">2 for a GRU with reset_after, else 1.</param>
    public static void PackRecurrent(ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        Span<float> packed, int inputs, int units, int gates, int lanes, int biasRows)
    {
        int width = gates * units, rows = inputs + units, blocks = PackedLayout.Blocks(units, lanes);
        packed.Slice(0, RecurrentLength(inputs, units, gates, lanes, biasRows)).Clear();
        for (int block = 0; block < blocks; block++)
        {
            int count = Math.Min(lanes, units - block * lanes);
            for (int k = 0; k < rows; k++)
            {
                ReadOnlySpan<float> source = k < inputs ? kernel.Slice(k * width, width) : recurrentKernel.Slice((k - inputs) * width, width);
                for (int g = 0; g < gates; g++)
                {
                    CopyRun(source.Slice(g * units + block * lanes, count), packed.Slice(((block * rows + k) * gates + g) * lanes, count));
                }
            }
        }

        PackRecurrentBias(bias, packed.Slice(blocks * rows * gates * lanes), units, gates, lanes, biasRows);
    }

    /// <summary>Floats <see cref="PackRecurrentBFloat16"/> writes.</summary>
    public static int RecurrentLengthBFloat16(int inputs, int units, int gates, int lanes, int biasRows) =>
        PackedLayout.RecurrentLengthBFloat16(inputs, units, gates, lanes, biasRows);

    /// <summary>
    /// Packs one direction of a recurrent layer with bfloat16 weights (<see cref="WeightPrecision.BFloat16"/>): the
    /// elements of <see cref="PackRecurrent"/>, each kernel and recurrent-kernel value rounded to the nearest bfloat16
    /// (<see cref="BFloat16.Round"/>) and stored as a <c>ushort</c>, two per float of <paramref name="packed"/>; the bias
    /// rows follow in float32, as in <see cref="PackRecurrent"/>.
    /// </summary>
    /// <remarks>
    /// Each row's gates go in pairs interleaved lane by lane (LSTM: i with f, c with o; GRU: z with r),
    /// <c>[((block * rows + k) * gates + g - g % 2) * lanes + 2 * lane + g % 2]</c>: one vector load of 32-bit lanes
    /// holds both gates of a pair, the first one shift away from float32 and the second one mask away
    /// (<see cref="BFloat16.LoadFirstOfPair512"/>), one instruction per weight vector. An odd last gate (GRU's h,
    /// SimpleRNN's only gate) keeps <see cref="PackRecurrent"/>'s place, a run of <c>lanes</c> values the kernels load
    /// and widen (<see cref="BFloat16.LoadVector512"/>, two instructions).
    /// </remarks>
    /// <param name="kernel">Keras kernel <c>[inputs, gates * units]</c>.</param>
    /// <param name="recurrentKernel">Keras recurrent kernel <c>[units, gates * units]</c>.</param>
    /// <param name="bias">Keras bias <c>[biasRows, gates * units]</c>, or empty when the layer has none.</param>
    /// <param name="packed">Destination of <see cref="RecurrentLengthBFloat16"/> floats.</param>
    /// <param name="inputs">Input features.</param>
    /// <param name="units">Units.</param>
    /// <param name="gates">Gate blocks: 1 SimpleRNN, 4 LSTM, 3 GRU.</param>
    /// <param name="lanes">Floats per vector of the kernel: 4, 8 or 16.</param>
    /// <param name="biasRows">2 for a GRU with reset_after, else 1.</param>
    public static void PackRecurrentBFloat16(ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        Span<float> packed, int inputs, int units, int gates, int lanes, int biasRows)
    {
        int width = gates * units, rows = inputs + units, blocks = PackedLayout.Blocks(units, lanes);
        int weightFloats = PackedLayout.RecurrentWeightFloatsBFloat16(inputs, units, gates, lanes);
        packed.Slice(0, RecurrentLengthBFloat16(inputs, units, gates, lanes, biasRows)).Clear();
        Span<ushort> weights = MemoryMarshal.Cast<float, ushort>(packed.Slice(0, weightFloats));
        for (int block = 0; block < blocks; block++)
        {
            int count = Math.Min(lanes, units - block * lanes);
            for (int k = 0; k < rows; k++)
            {
                ReadOnlySpan<float> source = k < inputs ? kernel.Slice(k * width, width) : recurrentKernel.Slice((k - inputs) * width, width);
                for (int g = 0; g < gates; g++)
                {
                    ReadOnlySpan<float> run = source.Slice(g * units + block * lanes, count);
                    if (g < gates - gates % 2)
                    {
                        // Gates in pairs, lane by lane: the 32 bits of lane i hold gate g (low half) and gate g + 1
                        // (high half), so one load serves both and each is one shift or mask away from float32. An odd
                        // last gate (GRU's candidate, SimpleRNN's only one) stays a plain run.
                        Span<ushort> pair = weights.Slice(((block * rows + k) * gates + g - g % 2) * lanes, 2 * lanes);
                        for (int i = 0; i < run.Length; i++)
                        {
                            pair[2 * i + g % 2] = BFloat16.Round(run[i]);
                        }
                    }
                    else
                    {
                        Span<ushort> destination = weights.Slice(((block * rows + k) * gates + g) * lanes, count);
                        for (int i = 0; i < run.Length; i++)
                        {
                            destination[i] = BFloat16.Round(run[i]);
                        }
                    }
                }
            }
        }

        PackRecurrentBias(bias, packed.Slice(weightFloats), units, gates, lanes, biasRows);
    }

    // The bias rows of every block, after the weights: [((block * biasRows + r) * gates + g) * lanes + lane].
    private static void PackRecurrentBias(ReadOnlySpan<float> bias, Span<float> packedBias, int units, int gates, int lanes, int biasRows)
    {
        if (bias.IsEmpty)
        {
            return;
        }

        int width = gates * units, blocks = PackedLayout.Blocks(units, lanes);
        for (int block = 0; block < blocks; block++)
        {
            int count = Math.Min(lanes, units - block * lanes);
            for (int r = 0; r < biasRows; r++)
            {
                for (int g = 0; g < gates; g++)
                {
                    CopyRun(bias.Slice(r * width + g * units + block * lanes, count), packedBias.Slice(((block * biasRows + r) * gates + g) * lanes, count));
                }
            }
        }
    }

    // A run of one block's columns: at most one vector (4 to 16 floats). Span.CopyTo calls Buffer.Memmove, whose
    // fixed cost was most of PackRecurrent's time at small sizes (an LSTM(20) repacked in 3.3 us, 168 runs of 16 or
    // 4 floats); a plain loop over the run is a few instructions per float and needs no call.
    private static void CopyRun(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length && i < destination.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>Floats <see cref="PackDenseColumns"/> writes: the kernel with its columns padded to whole vectors, then the bias.</summary>
    public static int DenseColumnsLength(int inputs, int units, int lanes) => PackedLayout.DenseColumnsLength(inputs, units, lanes);

    /// <summary>
    /// Packs a Dense layer for the kernel that broadcasts each input over vectors of outputs: row <c>k</c> of the
    /// kernel padded to <c>blocks * lanes</c> columns, then the padded bias.
    /// </summary>
    public static void PackDenseColumns(ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> packed, int inputs, int units, int lanes)
    {
        int padded = PackedLayout.Blocks(units, lanes) * lanes;
        packed.Slice(0, DenseColumnsLength(inputs, units, lanes)).Clear();
        for (int k = 0; k < inputs; k++)
        {
            kernel.Slice(k * units, units).CopyTo(packed.Slice(k * padded));
        }

        bias.CopyTo(packed.Slice(inputs * padded));
    }

    /// <summary>Floats <see cref="PackDenseRows"/> writes: the transposed kernel, then the bias.</summary>
    public static int DenseRowsLength(int inputs, int units) => PackedLayout.DenseRowsLength(inputs, units);

    /// <summary>
    /// Packs a Dense layer with few outputs for the kernel that takes one dot product per output: the kernel
    /// transposed (<c>[units, inputs]</c>, so each output's weights are contiguous), then the bias.
    /// </summary>
    public static void PackDenseRows(ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> packed, int inputs, int units)
    {
        packed.Slice(0, DenseRowsLength(inputs, units)).Clear();
        for (int j = 0; j < units; j++)
        {
            for (int k = 0; k < inputs; k++)
            {
                packed[j * inputs + k] = kernel[k * units + j];
            }
        }

        bias.CopyTo(packed.Slice(inputs * units));
    }
}
