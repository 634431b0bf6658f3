using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Kernels;

/// <summary>
/// The layer driver of every generated recurrent layer: the code around the cell that walks the timesteps, swaps the
/// state buffers, starts from the initial or stored states, skips masked steps and writes the outputs, written once
/// for every cell and every pass (one sequence for <c>Forward</c> and <c>Predict</c>, a chunk of sequences advancing
/// together for the batch calls). Generic over the cell struct, so the JIT compiles one copy per generated cell with
/// its sizes as constants: measured as fast as a loop emitted per layer (docs/generator.md). Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RecurrentLayer
{
    /// <summary>
    /// One direction of a recurrent layer over its input (Keras <c>RNN.call</c> through the backend's <c>rnn</c> loop,
    /// <c>keras/src/backend/tensorflow/rnn.py</c>).
    /// </summary>
    /// <param name="cell">The cell, holding its packed weights.</param>
    /// <param name="input">The input sequences, <c>Timesteps x InputWidth</c> floats each, sequence after sequence.</param>
    /// <param name="buffers">The cell's working memory; its state ends in the buffer <see cref="CellBuffers.H"/> started in,
    /// where a caller reads the final states.</param>
    /// <param name="output">Where the outputs go.</param>
    /// <param name="initialState">The direction's initial states, <c>States x Units</c> floats (one sequence only); empty when none was given.</param>
    /// <param name="mask">Keras's mask, one flag per timestep (one sequence only); empty when every step counts.</param>
    /// <param name="storedStates">A stateful layer's stored states of the pass's first batch row, <c>States x Units</c>
    /// floats per row, rows <paramref name="storedStateStride"/> apart: read when no initial state is given, written at
    /// the end. Empty for a layer that is not stateful.</param>
    /// <param name="storedStateStride">Floats between two batch rows' stored states.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TCell>(TCell cell, ReadOnlySpan<float> input, CellBuffers buffers, RecurrentOutput output,
        ReadOnlySpan<float> initialState = default, ReadOnlySpan<bool> mask = default, Span<float> storedStates = default,
        int storedStateStride = 0)
        where TCell : struct, IRecurrentCell
    {
        int units = TCell.Units;
        int padded = TCell.Padded;

        // Keras uses initial_state when given (it overrides a stateful layer's stored states in Keras 3), else the
        // stored states of a stateful layer, else zeros.
        for (int slot = 0; slot < TCell.States; slot++)
        {
            buffers.State(slot).Clear();
        }

        if (!initialState.IsEmpty)
        {
            for (int slot = 0; slot < TCell.States; slot++)
            {
                initialState.Slice(slot * units, units).CopyTo(buffers.State(slot));
            }
        }
        else if (!storedStates.IsEmpty)
        {
            for (int r = 0; r < TCell.Sequences; r++)
            {
                for (int slot = 0; slot < TCell.States; slot++)
                {
                    storedStates.Slice(r * storedStateStride + slot * units, units).CopyTo(buffers.State(slot).Slice(r * padded));
                }
            }
        }

        // The loops hold the two state buffers as references and hand them to the cell, as a loop written for one layer
        // would: a CellBuffers kept in memory across the steps cost up to 10% at 16 and 32 units (docs/generator.md).
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float first = ref MemoryMarshal.GetReference(buffers.H);
        ref float h = ref first;
        ref float hNext = ref MemoryMarshal.GetReference(buffers.HNext);
        ref float c = ref MemoryMarshal.GetReference(buffers.C);
        ref float gates = ref MemoryMarshal.GetReference(buffers.Gates);
        bool stepped = false; // whether a step has run: before one, a masked step's output is zeros
        if (mask.IsEmpty && !output.ReturnSequences)
        {
            // The common case, every step kept and only the last output: nothing but the cell in the loop, which is as
            // fast as a loop written for the layer (the general loop below cost 2 to 5% at 16 units, docs/generator.md).
            for (int step = 0; step < TCell.Timesteps; step++)
            {
                int t = TCell.ReadsBackwards ? TCell.Timesteps - 1 - step : step;
                cell.Step(ref Unsafe.Add(ref x, t * TCell.InputWidth), ref h, ref hNext, ref c, ref gates, (step & 1) != 0);
                ref float read = ref h;
                h = ref hNext; // the state just written is the one the next step reads
                hNext = ref read;
            }

            stepped = true;
        }
        else
        {
            for (int step = 0; step < TCell.Timesteps; step++)
            {
                int t = TCell.ReadsBackwards ? TCell.Timesteps - 1 - step : step;
                int position = output.InTimeOrder ? t : step; // plain go_backwards keeps processing order; a bidirectional copy, time order
                if (!mask.IsEmpty && !mask[t])
                {
                    // Masked: the states stay. The output repeats the previous one (zeros before the first kept step), or is
                    // zeros where Keras sets zero_output_for_mask, as Bidirectional does for both copies.
                    if (output.ReturnSequences)
                    {
                        if (stepped && !output.InTimeOrder)
                        {
                            output.Store(MemoryMarshal.CreateReadOnlySpan(ref h, units), 0, position);
                        }
                        else
                        {
                            output.StoreZeros(units, 0, position);
                        }
                    }

                    continue;
                }

                cell.Step(ref Unsafe.Add(ref x, t * TCell.InputWidth), ref h, ref hNext, ref c, ref gates, (step & 1) != 0);
                ref float read = ref h;
                h = ref hNext; // the state just written is the one the next step reads
                hNext = ref read;
                stepped = true;
                if (output.ReturnSequences)
                {
                    for (int r = 0; r < TCell.Sequences; r++)
                    {
                        output.Store(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref h, r * padded), units), r, position);
                    }
                }
            }
        }

        if (!Unsafe.AreSame(ref h, ref first))
        {
            // An odd number of swaps ends in the second buffer.
            MemoryMarshal.CreateReadOnlySpan(ref h, TCell.Sequences * padded).CopyTo(buffers.H);
        }

        for (int r = 0; r < TCell.Sequences && !storedStates.IsEmpty; r++)
        {
            for (int slot = 0; slot < TCell.States; slot++)
            {
                buffers.State(slot).Slice(r * padded, units).CopyTo(storedStates.Slice(r * storedStateStride + slot * units, units));
            }
        }

        if (output.ReturnSequences)
        {
            return;
        }

        // return_sequences=False: only the last output. With every step masked it is zeros, whatever the initial or
        // stored states: a masked step repeats the previous output, and before any step that is zeros.
        if (!stepped)
        {
            output.StoreZeros(units, 0, position: 0);
            return;
        }

        for (int r = 0; r < TCell.Sequences; r++)
        {
            output.Store(buffers.H.Slice(r * padded, units), r, position: 0);
        }
    }
}
