using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>
/// Where one direction of a recurrent layer writes its outputs, and how: every timestep (<c>return_sequences</c>) or
/// the last one, alone or as one copy of a <c>Bidirectional</c> layer merged with the other (Keras
/// <c>Bidirectional.call</c>: the backward copy's outputs go back to forward time order, then <c>merge_mode</c>). The
/// forward copy runs first and writes its outputs; the backward copy then writes or merges into them. Not for direct
/// use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct RecurrentOutput
{
    private readonly Span<float> _output;
    private readonly int _outputStride;
    private readonly Span<float> _backwardOutput;
    private readonly int _backwardOutputStride;
    private readonly MergeMode _mergeMode;
    private readonly int _direction; // -1 for a layer that is not bidirectional

    private RecurrentOutput(Span<float> output, int outputStride, Span<float> backwardOutput, int backwardOutputStride,
        bool returnSequences, MergeMode mergeMode, int direction)
    {
        _output = output;
        _outputStride = outputStride;
        _backwardOutput = backwardOutput;
        _backwardOutputStride = backwardOutputStride;
        ReturnSequences = returnSequences;
        _mergeMode = mergeMode;
        _direction = direction;
    }

    /// <summary>The outputs of a layer that is not bidirectional.</summary>
    /// <param name="output">Sequence <c>r</c>'s outputs start at <c>r * outputStride</c>.</param>
    /// <param name="outputStride">Floats between two sequences' outputs (unused for one sequence).</param>
    /// <param name="returnSequences">Keras's <c>return_sequences</c>: an output row per timestep, in processing order
    /// (a <c>go_backwards</c> layer's first row is its last timestep's, as Keras returns it).</param>
    public static RecurrentOutput Single(Span<float> output, int outputStride, bool returnSequences) =>
        new(output, outputStride, default, 0, returnSequences, MergeMode.Concat, direction: -1);

    /// <summary>The outputs of one copy of a <c>Bidirectional</c> layer, in forward time order.</summary>
    /// <param name="output">Sequence <c>r</c>'s (merged, or the forward copy's for <see cref="MergeMode.None"/>) outputs start at <c>r * outputStride</c>.</param>
    /// <param name="outputStride">Floats between two sequences' outputs (unused for one sequence).</param>
    /// <param name="returnSequences">Keras's <c>return_sequences</c>.</param>
    /// <param name="mergeMode">Keras's <c>merge_mode</c>.</param>
    /// <param name="direction">0 for the forward copy, 1 for the backward one.</param>
    /// <param name="backwardOutput">The backward copy's own outputs for <see cref="MergeMode.None"/>; else empty.</param>
    /// <param name="backwardOutputStride">Floats between two sequences' backward outputs.</param>
    public static RecurrentOutput Bidirectional(Span<float> output, int outputStride, bool returnSequences, MergeMode mergeMode, int direction,
        Span<float> backwardOutput = default, int backwardOutputStride = 0) =>
        new(output, outputStride, backwardOutput, backwardOutputStride, returnSequences, mergeMode, direction);

    /// <summary>Keras's <c>return_sequences</c>.</summary>
    public bool ReturnSequences { get; }

    /// <summary>
    /// Whether the outputs are in forward time order (a bidirectional copy) rather than processing order (a layer
    /// alone, <c>go_backwards</c> or not).
    /// </summary>
    public bool InTimeOrder => _direction >= 0;

    /// <summary>Writes sequence <paramref name="r"/>'s output <paramref name="h"/> as row <paramref name="position"/> (0 for the last output).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ReadOnlySpan<float> h, int r, int position)
    {
        int units = h.Length;
        Span<float> output = _output.Slice(r * _outputStride);
        if (_direction < 0)
        {
            h.CopyTo(output.Slice(position * units, units));
            return;
        }

        switch (_mergeMode)
        {
            case MergeMode.Concat:
                h.CopyTo(output.Slice(position * 2 * units + _direction * units, units)); // [forward, backward] on the last axis
                return;
            case MergeMode.None:
                h.CopyTo((_direction == 0 ? output : _backwardOutput.Slice(r * _backwardOutputStride)).Slice(position * units, units));
                return;
        }

        Span<float> merged = output.Slice(position * units, units);
        if (_direction == 0)
        {
            h.CopyTo(merged);
            return;
        }

        // The backward copy merges into what the forward copy wrote.
        switch (_mergeMode)
        {
            case MergeMode.Sum:
                for (int j = 0; j < units; j++)
                {
                    merged[j] += h[j];
                }

                return;
            case MergeMode.Mul:
                for (int j = 0; j < units; j++)
                {
                    merged[j] *= h[j];
                }

                return;
            default: // ave
                for (int j = 0; j < units; j++)
                {
                    merged[j] = (merged[j] + h[j]) / 2f;
                }

                return;
        }
    }

    /// <summary>
    /// Writes zeros as sequence <paramref name="r"/>'s row <paramref name="position"/> of <paramref name="units"/>
    /// floats: where Keras's output is zeros (a masked step of a bidirectional copy, or a last output with every step
    /// masked). A backward copy that merges adds nothing: the forward copy wrote zeros there, and zeros merged with
    /// zeros stay zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreZeros(int units, int r, int position)
    {
        Span<float> output = _output.Slice(r * _outputStride);
        if (_direction < 0)
        {
            output.Slice(position * units, units).Clear();
            return;
        }

        switch (_mergeMode)
        {
            case MergeMode.Concat:
                output.Slice(position * 2 * units + _direction * units, units).Clear();
                return;
            case MergeMode.None:
                (_direction == 0 ? output : _backwardOutput.Slice(r * _backwardOutputStride)).Slice(position * units, units).Clear();
                return;
        }

        if (_direction == 0)
        {
            output.Slice(position * units, units).Clear();
        }
    }
}
