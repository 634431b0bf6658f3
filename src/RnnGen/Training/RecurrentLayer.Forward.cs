using System;

namespace RnnGen.Training;

// The forward pass through time: projections, cells, the cached gates and states, the output as Keras returns it.
internal sealed partial class RecurrentLayer
{
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
        _batch = batch;
        _inputMasked = training && Info.DropoutRate > 0;
        _stateMasked = training && Info.RecurrentDropoutRate > 0;
        foreach (Direction d in _directions)
        {
            if (_inputMasked)
            {
                random.FillMask(d.Mask.AsSpan(0, batch * _maskCount * _inputWidth), Info.DropoutRate);
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < Timesteps; t++)
                    {
                        ReadOnlySpan<float> row = input.Slice(InputRow(b, t) * _inputWidth, _inputWidth);
                        for (int m = 0; m < _maskCount; m++)
                        {
                            TrainingMath.Multiply(row, d.Mask.AsSpan((b * _maskCount + m) * _inputWidth, _inputWidth),
                                d.MaskedInput.AsSpan((InputRow(b, t) * _maskCount + m) * _inputWidth, _inputWidth));
                        }
                    }
                }
            }

            if (_stateMasked)
            {
                random.FillMask(d.StateMask.AsSpan(0, batch * _maskCount * _units), Info.RecurrentDropoutRate);
            }

            ForwardDirection(parameters, d, input, batch);
        }

        WriteOutput(output, batch);
    }

    private void ForwardDirection(ReadOnlySpan<float> parameters, Direction d, ReadOnlySpan<float> x, int batch)
    {
        int u = _units, g = _gateWidth, steps = Timesteps, rows = batch * steps;
        ReadOnlySpan<float> kernel = parameters.Slice(d.Kernel, _inputWidth * g);
        ReadOnlySpan<float> recurrent = parameters.Slice(d.Recurrent, u * g);
        ReadOnlySpan<float> bias = Info.UseBias ? parameters.Slice(d.Bias, (_resetAfter ? 2 : 1) * g) : default;

        // z = x·W + b (row 0 of a reset_after GRU bias) for every sample and timestep at once.
        Span<float> allZ = d.PreActivation.AsSpan(0, rows * g);
        FillRows(allZ, rows, Info.UseBias ? bias.Slice(0, g) : default);
        int inputBlocks = InputBlocks, blockWidth = g / inputBlocks;
        for (int block = 0; block < inputBlocks; block++)
        {
            ReadOnlySpan<float> inputs = InputRows(d, x, block, out int stride);
            for (int b = 0; b < batch; b++)
            {
                // Sample b's T input rows (adjacent) into its rows of every step (batch rows apart).
                Gemm.MultiplyAdd(steps, blockWidth, _inputWidth, inputs.Slice(InputRow(b, 0) * stride), stride, 1, kernel.Slice(block * blockWidth), g,
                    allZ.Slice(Row(b, 0) * g + block * blockWidth), batch * g);
            }
        }

        d.H.AsSpan(0, batch * u).Clear();
        if (_kind == LayerKind.Lstm)
        {
            d.C.AsSpan(0, batch * u).Clear();
        }

        int zStride = g;
        for (int s = 0; s < steps; s++)
        {
            int t = d.Backwards ? steps - 1 - s : s;
            Span<float> z = d.PreActivation.AsSpan(Row(0, t) * g); // row of sample b: b * zStride
            switch (_kind)
            {
                case LayerKind.SimpleRnn:
                    AddRecurrent(d, recurrent, s, z, zStride, g, batch);
                    if (_cell is SimpleRnnTrainingCell simpleRnnCell)
                    {
                        simpleRnnCell.Forward(batch, z.Slice(0, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.H.AsSpan(StateIndex(0, s + 1), batch * u));
                        break;
                    }

                    for (int b = 0; b < batch; b++)
                    {
                        Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                        ActivationFunctions.Apply(_activation, z.Slice(b * zStride, g), a);
                        a.CopyTo(d.H.AsSpan(StateIndex(b, s + 1), u));
                    }

                    break;
                case LayerKind.Lstm:
                    AddRecurrent(d, recurrent, s, z, zStride, g, batch);
                    if (_cell is LstmTrainingCell lstmCell)
                    {
                        lstmCell.Forward(batch, z.Slice(0, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.C.AsSpan(StateIndex(0, s), batch * u),
                            d.C.AsSpan(StateIndex(0, s + 1), batch * u), d.CellActivation.AsSpan(Row(0, t) * u, batch * u), d.H.AsSpan(StateIndex(0, s + 1), batch * u));
                        break;
                    }

                    for (int b = 0; b < batch; b++)
                    {
                        ReadOnlySpan<float> zb = z.Slice(b * zStride, g);
                        Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                        ActivationFunctions.Apply(_recurrentActivation, zb.Slice(0, 2 * u), a.Slice(0, 2 * u));
                        ActivationFunctions.Apply(_activation, zb.Slice(2 * u, u), a.Slice(2 * u, u));
                        ActivationFunctions.Apply(_recurrentActivation, zb.Slice(3 * u, u), a.Slice(3 * u, u));
                        ReadOnlySpan<float> cPrev = d.C.AsSpan(StateIndex(b, s), u);
                        Span<float> c = d.C.AsSpan(StateIndex(b, s + 1), u);
                        Span<float> cellActivation = d.CellActivation.AsSpan(Row(b, t) * u, u);
                        // c = f * cPrev + i * cc; h = o * act(c)
                        TrainingMath.SumOfProducts(a.Slice(u, u), cPrev, a.Slice(0, u), a.Slice(2 * u, u), c);
                        ActivationFunctions.Apply(_activation, c, cellActivation);
                        TrainingMath.Multiply(a.Slice(3 * u, u), cellActivation, d.H.AsSpan(StateIndex(b, s + 1), u));
                    }

                    break;
                default:
                    ForwardGru(d, recurrent, bias, s, t, z, zStride, batch);
                    break;
            }

            if (TimestepMask is not null)
            {
                KeepStatesAtMaskedStep(d, s, t, batch);
            }
        }
    }

    // keras rnn (the mask branch of _step): new_states = where(mask, new_states, states) for every sample masked at time t.
    private void KeepStatesAtMaskedStep(Direction d, int s, int t, int batch)
    {
        int u = _units;
        for (int b = 0; b < batch; b++)
        {
            if (!Skips(b, t))
            {
                continue;
            }

            d.H.AsSpan(StateIndex(b, s), u).CopyTo(d.H.AsSpan(StateIndex(b, s + 1), u));
            if (_kind == LayerKind.Lstm)
            {
                d.C.AsSpan(StateIndex(b, s), u).CopyTo(d.C.AsSpan(StateIndex(b, s + 1), u));
            }
        }
    }

    // Every row of `rows` rows of `values` set to `row`, or to zeros when it is empty.
    private static void FillRows(Span<float> values, int rows, ReadOnlySpan<float> row)
    {
        if (row.IsEmpty)
        {
            values.Clear();
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            row.CopyTo(values.Slice(r * row.Length, row.Length));
        }
    }

    private void ForwardGru(Direction d, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> bias, int s, int t, Span<float> z, int zStride, int batch)
    {
        int u = _units, g = _gateWidth, steps = Timesteps;
        if (_resetAfter)
        {
            // hp = h·U + b1; z = ra(xp_z + hp_z), r = ra(xp_r + hp_r), hh = act(xp_h + r * hp_h)
            Span<float> hp = d.RecurrentProjection.AsSpan(Row(0, t) * g); // row of sample b: b * zStride
            for (int b = 0; b < batch; b++)
            {
                if (Info.UseBias)
                {
                    bias.Slice(g, g).CopyTo(hp.Slice(b * zStride, g));
                }
                else
                {
                    hp.Slice(b * zStride, g).Clear();
                }
            }

            AddRecurrent(d, recurrent, s, hp, zStride, g, batch);
            if (_cell is GruTrainingCell gruCell)
            {
                gruCell.Forward(batch, z.Slice(0, batch * g), hp.Slice(0, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.H.AsSpan(StateIndex(0, s), batch * u), d.H.AsSpan(StateIndex(0, s + 1), batch * u));
                return;
            }

            for (int b = 0; b < batch; b++)
            {
                Span<float> zb = z.Slice(b * zStride, g);
                ReadOnlySpan<float> hpb = hp.Slice(b * zStride, g);
                Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                TrainingMath.Add(hpb.Slice(0, 2 * u), zb.Slice(0, 2 * u));
                ActivationFunctions.Apply(_recurrentActivation, zb.Slice(0, 2 * u), a.Slice(0, 2 * u));
                TrainingMath.AddProduct(a.Slice(u, u), hpb.Slice(2 * u, u), zb.Slice(2 * u, u));
                ActivationFunctions.Apply(_activation, zb.Slice(2 * u, u), a.Slice(2 * u, u));
                TrainingMath.Interpolate(a.Slice(0, u), d.H.AsSpan(StateIndex(b, s), u), a.Slice(2 * u, u), d.H.AsSpan(StateIndex(b, s + 1), u));
            }

            return;
        }

        // z, r from h·U[:, :2u]; hh = act(xp_h + (r * h)·U[:, 2u:])
        AddRecurrent(d, recurrent, s, z, zStride, 2 * u, batch);
        ReadOnlySpan<float> candidateStates = StateRows(d, s, 2, batch, out int candidateStride);
        if (_cell is GruResetBeforeTrainingCell gatesHalf)
        {
            // StateRows's rows are adjacent (candidateStride is u), as the cell reads them.
            gatesHalf.ForwardGates(batch, z.Slice(0, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), candidateStates.Slice(0, batch * u), d.ResetH.AsSpan(Row(0, t) * u, batch * u));
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> zb = z.Slice(b * zStride, g);
                Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                ActivationFunctions.Apply(_recurrentActivation, zb.Slice(0, 2 * u), a.Slice(0, 2 * u));
                TrainingMath.Multiply(a.Slice(u, u), candidateStates.Slice(b * candidateStride, u), d.ResetH.AsSpan(Row(b, t) * u, u));
            }
        }

        Gemm.MultiplyAdd(batch, u, u, d.ResetH.AsSpan(Row(0, t) * u), u, 1, recurrent.Slice(2 * u), g, z.Slice(2 * u), zStride);
        if (_cell is GruResetBeforeTrainingCell stateHalf)
        {
            stateHalf.ForwardState(batch, z.Slice(0, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.H.AsSpan(StateIndex(0, s), batch * u), d.H.AsSpan(StateIndex(0, s + 1), batch * u));
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> zb = z.Slice(b * zStride, g);
            Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
            ActivationFunctions.Apply(_activation, zb.Slice(2 * u, u), a.Slice(2 * u, u));
            TrainingMath.Interpolate(a.Slice(0, u), d.H.AsSpan(StateIndex(b, s), u), a.Slice(2 * u, u), d.H.AsSpan(StateIndex(b, s + 1), u));
        }
    }

    // The state of direction d after processing step s of sample b (s = Timesteps is the final state).
    private ReadOnlySpan<float> State(Direction d, int b, int s) => d.H.AsSpan(StateIndex(b, s), _units);

    private void WriteOutput(Span<float> output, int batch)
    {
        int u = _units, steps = Timesteps;
        bool sequences = Info.ReturnSequences;
        int outSteps = sequences ? steps : 1;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < outSteps; t++)
            {
                if (!Info.Bidirectional)
                {
                    // A go_backwards layer returns its sequence in processing order, as Keras does.
                    State(_directions[0], b, sequences ? t + 1 : steps).CopyTo(output.Slice((b * outSteps + t) * u, u));
                    continue;
                }

                // The backward direction's sequence is flipped back to forward time before merging (keras Bidirectional.call).
                ReadOnlySpan<float> f = State(_directions[0], b, sequences ? t + 1 : steps);
                ReadOnlySpan<float> bw = State(_directions[1], b, sequences ? steps - t : steps);
                switch (Info.MergeMode)
                {
                    case MergeMode.Concat:
                        f.CopyTo(output.Slice((b * outSteps + t) * 2 * u, u));
                        bw.CopyTo(output.Slice((b * outSteps + t) * 2 * u + u, u));
                        break;
                    case MergeMode.None:
                        f.CopyTo(output.Slice((b * outSteps + t) * u, u)); // the main output is the forward one
                        break;
                    default:
                        Span<float> y = output.Slice((b * outSteps + t) * u, u);
                        for (int j = 0; j < u; j++)
                        {
                            y[j] = Info.MergeMode switch
                            {
                                MergeMode.Sum => f[j] + bw[j],
                                MergeMode.Mul => f[j] * bw[j],
                                _ => (f[j] + bw[j]) / 2f,
                            };
                        }

                        break;
                }

                if (sequences && Skips(b, t))
                {
                    // keras Bidirectional sets zero_output_for_mask = return_sequences on both copies: zeros, whatever the merge.
                    output.Slice((b * outSteps + t) * (Info.MergeMode == MergeMode.Concat ? 2 * u : u), Info.MergeMode == MergeMode.Concat ? 2 * u : u).Clear();
                }
            }
        }
    }
}
