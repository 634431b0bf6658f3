using System;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>
/// One recurrent layer whose sizes are known only at run time: the shape of code a developer writes without a
/// generator. <see cref="NaiveCells"/> and <see cref="TensorPrimitivesCells"/> implement it twice, on identical Keras
/// weights, so the benchmarks compare implementations and nothing else.
/// </summary>
public abstract class RecurrentCell
{
    protected RecurrentCell(int inputDim, int units)
    {
        InputDim = inputDim;
        Units = units;
    }

    public int InputDim { get; }

    public int Units { get; }

    /// <summary>The hidden state h after the last <see cref="Step"/> (the layer's output at that timestep).</summary>
    public abstract ReadOnlySpan<float> Hidden { get; }

    /// <summary>Sets every state to zero (Keras starts each sequence from zeros).</summary>
    public abstract void Reset();

    /// <summary>Copies of the states in Keras <c>initial_state</c> order: [h] or, for an LSTM, [h, c].</summary>
    public abstract float[][] States();

    /// <summary>Advances one timestep on the features <paramref name="x"/>, updating the states in place.</summary>
    public abstract void Step(ReadOnlySpan<float> x);
}

/// <summary>A Dense layer with a linear activation (Keras <c>Dense(units)</c>): y = x·W + b.</summary>
public abstract class DenseHead
{
    protected DenseHead(int inputDim, int units)
    {
        InputDim = inputDim;
        Units = units;
    }

    public int InputDim { get; }

    public int Units { get; }

    public abstract void Apply(ReadOnlySpan<float> x, Span<float> y);
}

/// <summary>
/// A whole-sequence model with run-time sizes: one recurrent layer (optionally Bidirectional with merge_mode concat)
/// returning its last output, as Keras does with return_sequences=False.
/// </summary>
public sealed class DynamicSequenceModel
{
    private readonly RecurrentCell _forward;
    private readonly RecurrentCell? _backward;

    public DynamicSequenceModel(RecurrentCell forward, RecurrentCell? backward = null)
    {
        _forward = forward;
        _backward = backward;
    }

    public int InputDim => _forward.InputDim;

    public int OutputDim => _backward is null ? _forward.Units : _forward.Units + _backward.Units;

    /// <summary>Runs one sequence of <c>input.Length / InputDim</c> timesteps and writes the last output.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int inputDim = _forward.InputDim;
        int timesteps = input.Length / inputDim;
        _forward.Reset();
        for (int t = 0; t < timesteps; t++)
        {
            _forward.Step(input.Slice(t * inputDim, inputDim));
        }

        _forward.Hidden.CopyTo(output);
        if (_backward is not null)
        {
            // Keras Bidirectional: the backward layer reads the sequence reversed (go_backwards=True); with
            // return_sequences=False its output is its state after the first timestep, concatenated after the forward one.
            _backward.Reset();
            for (int t = timesteps - 1; t >= 0; t--)
            {
                _backward.Step(input.Slice(t * inputDim, inputDim));
            }

            _backward.Hidden.CopyTo(output.Slice(_forward.Units));
        }
    }
}

/// <summary>A streaming model with run-time sizes: one recurrent layer whose state persists across calls, and a Dense head.</summary>
public sealed class DynamicStreamingModel
{
    private readonly RecurrentCell _cell;
    private readonly DenseHead _head;

    public DynamicStreamingModel(RecurrentCell cell, DenseHead head)
    {
        _cell = cell;
        _head = head;
    }

    public int InputDim => _cell.InputDim;

    public int OutputDim => _head.Units;

    public void ResetStates() => _cell.Reset();

    /// <summary>The recurrent layer's states now, in Keras <c>initial_state</c> order.</summary>
    public float[][] States() => _cell.States();

    /// <summary>One timestep: <paramref name="input"/> (InputDim floats) in, the head's output out; the state carries on.</summary>
    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        _cell.Step(input);
        _head.Apply(_cell.Hidden, output);
    }
}
