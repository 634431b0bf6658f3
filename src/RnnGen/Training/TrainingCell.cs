using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Training;

/// <summary>
/// The element-wise arithmetic of one recurrent layer's cell in training: the gates, states and their gradients of one
/// timestep, for every sample of a batch, once the matrix products (<see cref="Gemm"/>) are done. The generator writes
/// one per layer whose activations have vector forms (<c>tanh</c>, <c>sigmoid</c>, <c>relu</c>, <c>linear</c>), with
/// its units and activations fixed (straight-line SIMD over the units, no calls, no span slicing), and passes it to
/// <see cref="Trainer"/> from the model's <c>Compile</c>; a layer without one runs the same arithmetic through the
/// span operations of <see cref="ActivationFunctions"/> and <see cref="TrainingMath"/>. Both compute each element
/// with the same operations in the same order (products and sums not fused, the activations' vector forms for every
/// element), so they give the same bits; at the seed model's size the generated cell makes a training step 6 to 17%
/// faster and its forward pass a quarter (docs/performance.md, "Generated training cells").
/// <para>
/// Layout of every call: gate rows (<c>z</c>, <c>gates</c>, their gradient) hold <c>batch</c> rows of
/// <c>gates x units</c> floats, gate after gate in Keras's order; state rows hold <c>batch</c> rows of <c>units</c>.
/// A cell keeps no state, so the chunks of a batch share one instance across threads.
/// </para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class TrainingCell
{
    /// <param name="kind">The layer kind the cell computes.</param>
    /// <param name="units">Units of the layer.</param>
    protected TrainingCell(LayerKind kind, int units)
    {
        Kind = kind;
        LayerUnits = units;
    }

    /// <summary>The layer kind the cell computes: <see cref="LayerKind.SimpleRnn"/>, <see cref="LayerKind.Lstm"/> or <see cref="LayerKind.Gru"/>.</summary>
    public LayerKind Kind { get; }

    /// <summary>Units of the layer.</summary>
    public int LayerUnits { get; }

    /// <summary>
    /// Whether this machine runs the cell's 256-bit vectors in hardware; when not, the trainer uses the span
    /// operations instead (they fall back to scalar code there, as the generated vectors would, only slower).
    /// </summary>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// The <paramref name="lanes"/> floats of <paramref name="row"/> from <paramref name="offset"/> on, in a vector:
    /// all 8, or (the last units of a row whose units are not a multiple of 8) the first few with zeros in the other
    /// lanes, reading nothing past them. Generated cells call it with <paramref name="lanes"/> a constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector256<float> Load(ref float row, int offset, int lanes) =>
        lanes == 8 ? Vector256.LoadUnsafe(ref row, (nuint)offset) : LoadTail(ref Unsafe.Add(ref row, offset), lanes);

    /// <summary>Writes the low <paramref name="lanes"/> lanes of <paramref name="value"/> to <paramref name="row"/> from <paramref name="offset"/> on, and nothing past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void Store(Vector256<float> value, ref float row, int offset, int lanes)
    {
        if (lanes == 8)
        {
            value.StoreUnsafe(ref row, (nuint)offset);
        }
        else
        {
            StoreTail(value, ref Unsafe.Add(ref row, offset), lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> LoadTail(ref float source, int count)
    {
        if (Avx.IsSupported)
        {
            fixed (float* address = &source)
            {
                return Avx.MaskLoad(address, TailMask(count));
            }
        }

        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        MemoryMarshal.CreateReadOnlySpan(in source, count).CopyTo(lanes);
        return Vector256.Create<float>(lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreTail(Vector256<float> value, ref float destination, int count)
    {
        if (Avx.IsSupported)
        {
            fixed (float* address = &destination)
            {
                Avx.MaskStore(address, TailMask(count), value);
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = value.GetElement(i);
        }
    }

    // All bits set in the lanes below `count`: the mask vmaskmovps reads its sign bits from.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();
}

/// <summary>A SimpleRNN layer's generated cell (see <see cref="TrainingCell"/>): <c>h = act(z)</c> and its gradient.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class SimpleRnnTrainingCell : TrainingCell
{
    /// <param name="units">Units of the layer.</param>
    protected SimpleRnnTrainingCell(int units)
        : base(LayerKind.SimpleRnn, units)
    {
    }

    /// <summary><c>gates = act(z)</c> and the state after the step, <c>state = gates</c>, for <paramref name="batch"/> rows.</summary>
    public abstract void Forward(int batch, ReadOnlySpan<float> z, Span<float> gates, Span<float> state);

    /// <summary><c>zGradient = stateGradient * act'(z)</c>.</summary>
    public abstract void Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> stateGradient, Span<float> zGradient);
}

/// <summary>An LSTM layer's generated cell (see <see cref="TrainingCell"/>), as Keras 3's <c>LSTMCell</c> with gates <c>i, f, c, o</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class LstmTrainingCell : TrainingCell
{
    /// <param name="units">Units of the layer.</param>
    protected LstmTrainingCell(int units)
        : base(LayerKind.Lstm, units)
    {
    }

    /// <summary>
    /// From the pre-activations <paramref name="z"/> (<c>x·W + h·U + b</c>): the gate values, the carry
    /// <c>c = f * previousCarry + i * g</c>, its activation and the state <c>h = o * act(c)</c>.
    /// </summary>
    public abstract void Forward(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> previousCarry, Span<float> carry, Span<float> carryActivation, Span<float> state);

    /// <summary>
    /// The pre-activations' gradient <paramref name="zGradient"/> from the state's gradient and the carry's
    /// (<paramref name="carryGradient"/>, which becomes the gradient of the carry before the step).
    /// </summary>
    public abstract void Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCarry, ReadOnlySpan<float> carry,
        ReadOnlySpan<float> carryActivation, ReadOnlySpan<float> stateGradient, Span<float> carryGradient, Span<float> zGradient);
}

/// <summary>
/// A GRU layer's generated cell (see <see cref="TrainingCell"/>) for <c>reset_after=True</c> (Keras 3's default and
/// cuDNN's form), gates <c>z, r, h</c>; <see cref="GruResetBeforeTrainingCell"/> is the other form's.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GruTrainingCell : TrainingCell
{
    /// <param name="units">Units of the layer.</param>
    protected GruTrainingCell(int units)
        : base(LayerKind.Gru, units)
    {
    }

    /// <summary>
    /// With the input projection <paramref name="z"/> (<c>x·W + b₀</c>) and the recurrent projection
    /// <paramref name="recurrentProjection"/> (<c>h·U + b₁</c>): <c>z[z, r] += hp[z, r]</c>, the gates, the candidate's
    /// pre-activation <c>z[h] += r * hp[h]</c> (both kept in <paramref name="z"/> for the backward pass) and the state
    /// <c>h = z * previousState + (1 - z) * hh</c>.
    /// </summary>
    public abstract void Forward(int batch, Span<float> z, ReadOnlySpan<float> recurrentProjection, Span<float> gates, ReadOnlySpan<float> previousState, Span<float> state);

    /// <summary>
    /// The pre-activations' gradient, the recurrent projection's gradient <paramref name="recurrentProjectionGradient"/>
    /// and the previous state's gradient through the update gate, <c>previousStateGradient = stateGradient * z</c>
    /// (the trainer adds the part through <c>U</c>).
    /// </summary>
    public abstract void Backward(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrentProjection, ReadOnlySpan<float> previousState,
        ReadOnlySpan<float> stateGradient, Span<float> zGradient, Span<float> recurrentProjectionGradient, Span<float> previousStateGradient);
}

/// <summary>
/// A GRU layer's generated cell (see <see cref="TrainingCell"/>) for <c>reset_after=False</c>, whose candidate reads
/// the reset-gated state through a product of its own (<c>hh = act(x·W[h] + (r * h)·U[h])</c>): the trainer runs that
/// product between the two halves of each pass.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GruResetBeforeTrainingCell : TrainingCell
{
    /// <param name="units">Units of the layer.</param>
    protected GruResetBeforeTrainingCell(int units)
        : base(LayerKind.Gru, units)
    {
    }

    /// <summary>
    /// Before the candidate's product: the update and reset gates from <c>z[z, r]</c> (<c>x·W + h·U + b</c> there) and
    /// the reset-gated state <c>resetState = r * candidateStates</c> (the states as the candidate's product reads them:
    /// masked under recurrent dropout).
    /// </summary>
    public abstract void ForwardGates(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> candidateStates, Span<float> resetState);

    /// <summary>After <c>z[h] += resetState·U[h]</c>: the candidate <c>hh = act(z[h])</c> and the state <c>h = z * previousState + (1 - z) * hh</c>.</summary>
    public abstract void ForwardState(int batch, ReadOnlySpan<float> z, Span<float> gates, ReadOnlySpan<float> previousState, Span<float> state);

    /// <summary>
    /// The update gate's and the candidate's pre-activation gradients and the previous state's gradient through the
    /// update gate, <c>previousStateGradient = stateGradient * z</c>.
    /// </summary>
    public abstract void BackwardState(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousState, ReadOnlySpan<float> stateGradient,
        Span<float> zGradient, Span<float> previousStateGradient);

    /// <summary>
    /// After <c>resetStateGradient = dz[h]·U[h]ᵀ</c>: the reset gate's pre-activation gradient and
    /// <c>previousStateGradient += resetStateGradient * r</c> (without recurrent dropout: with it the trainer applies the
    /// candidate's state mask itself).
    /// </summary>
    public abstract void BackwardReset(int batch, ReadOnlySpan<float> z, ReadOnlySpan<float> gates, ReadOnlySpan<float> candidateStates, ReadOnlySpan<float> resetStateGradient,
        Span<float> zGradient, Span<float> previousStateGradient);
}
