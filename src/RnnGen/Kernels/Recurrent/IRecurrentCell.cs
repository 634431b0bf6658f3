using System;
using System.ComponentModel;

namespace RnnGen.Kernels;

/// <summary>
/// A recurrent cell as <see cref="RecurrentLayer"/> drives it: the sizes of one direction of one layer, as constants
/// the JIT folds when it specializes the driver for the cell struct (the <c>TensorPrimitives</c> operator pattern
/// applied to layers), and one timestep through the generated fixed-size kernel for this machine's vector width. Each
/// generated model writes one such struct per recurrent layer and pass into its kernel class. Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRecurrentCell
{
    /// <summary>Timesteps of the layer's input sequence.</summary>
    static abstract int Timesteps { get; }

    /// <summary>Features of one input timestep.</summary>
    static abstract int InputWidth { get; }

    /// <summary>The layer's units: floats of one state.</summary>
    static abstract int Units { get; }

    /// <summary>Floats of one state buffer: the units rounded up to whole vectors of the widest width.</summary>
    static abstract int Padded { get; }

    /// <summary>
    /// Sequences one <see cref="Step"/> advances together: 1, or a batch chunk, whose sequence <c>r</c> has its states
    /// at <c>r * Padded</c> in every buffer and its input at <c>r * Timesteps * InputWidth</c>.
    /// </summary>
    static abstract int Sequences { get; }

    /// <summary>The states Keras returns and carries: 1 (<c>h</c>), or 2 for an LSTM (<c>h</c>, then <c>c</c>).</summary>
    static abstract int States { get; }

    /// <summary>
    /// Whether the direction reads the sequence from its end: Keras's <c>go_backwards</c>, and the backward copy of a
    /// <c>Bidirectional</c> layer.
    /// </summary>
    static abstract bool ReadsBackwards { get; }

    /// <summary>
    /// One timestep: reads the input row at <paramref name="x"/> and the state <paramref name="h"/>, writes the next
    /// state to <paramref name="hNext"/>. <paramref name="reverse"/> alternates the order the kernel walks its weights,
    /// step to step, so that each step starts on the weights the previous one left in the L1 cache; the result is the
    /// same either way. The buffers are references to their first floats (a driver's loop keeps them in registers).
    /// </summary>
    /// <param name="x">The first input row (of the first sequence, for a chunk).</param>
    /// <param name="h">The state buffer the step reads (<see cref="CellBuffers.H"/>).</param>
    /// <param name="hNext">The state buffer the step writes (<see cref="CellBuffers.HNext"/>).</param>
    /// <param name="c">An LSTM's carry, updated in place (<see cref="CellBuffers.C"/>); other cells ignore it.</param>
    /// <param name="gates">A GRU's (<c>reset_after=False</c>) gate buffer (<see cref="CellBuffers.Gates"/>); other cells ignore it.</param>
    /// <param name="reverse">Whether the kernel walks its weights last to first.</param>
    void Step(ref float x, ref float h, ref float hNext, ref float c, ref float gates, bool reverse);
}

/// <summary>
/// The working memory of a recurrent cell: the two state buffers a step reads and writes in turn, and the buffers that
/// stay in place (docs/generator.md, "A cell owns its buffers"). Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct CellBuffers
{
    /// <summary>The buffers of a cell; those it does not have are empty.</summary>
    /// <param name="h">The state the next step reads.</param>
    /// <param name="hNext">Where the next step writes its new state.</param>
    /// <param name="c">An LSTM's carry state, updated in place.</param>
    /// <param name="gates">A GRU's (<c>reset_after=False</c>) gate pre-activations, kept between its two passes.</param>
    public CellBuffers(Span<float> h, Span<float> hNext, Span<float> c = default, Span<float> gates = default)
    {
        H = h;
        HNext = hNext;
        C = c;
        Gates = gates;
    }

    /// <summary>The state the next step reads.</summary>
    public Span<float> H;

    /// <summary>Where the next step writes its new state.</summary>
    public Span<float> HNext;

    /// <summary>An LSTM's carry state; empty for the other cells.</summary>
    public Span<float> C;

    /// <summary>A GRU's (<c>reset_after=False</c>) gate pre-activations; empty for the other cells.</summary>
    public Span<float> Gates;

    /// <summary>State <paramref name="slot"/> in Keras's order: <c>h</c>, then an LSTM's <c>c</c>.</summary>
    public readonly Span<float> State(int slot) => slot == 0 ? H : C;

}
