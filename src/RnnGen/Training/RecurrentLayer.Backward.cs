using System;

namespace RnnGen.Training;

// Backpropagation through time: the output gradient spread over the steps, then each direction's steps in reverse.
internal sealed partial class RecurrentLayer
{
    // Spreads the output gradient to each direction's per-step state gradients (StepGradient, by processing step).
    private void ReadOutputGradient(ReadOnlySpan<float> outputGradient, int batch)
    {
        int u = _units, steps = Timesteps;
        bool sequences = Info.ReturnSequences;
        int outSteps = sequences ? steps : 1;
        foreach (Direction d in _directions)
        {
            d.StepGradient.AsSpan(0, batch * steps * u).Clear();
        }

        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < outSteps; t++)
            {
                int forwardStep = sequences ? t : steps - 1;
                Span<float> df = _directions[0].StepGradient.AsSpan(StateIndex(b, forwardStep), u);
                if (!Info.Bidirectional || Info.MergeMode == MergeMode.None)
                {
                    TrainingMath.Add(outputGradient.Slice((b * outSteps + t) * u, u), df);
                    continue;
                }

                if (sequences && Skips(b, t))
                {
                    continue; // zero_output_for_mask: a constant zero there, which passes no gradient
                }

                int backwardStep = sequences ? steps - 1 - t : steps - 1;
                Span<float> dbw = _directions[1].StepGradient.AsSpan(StateIndex(b, backwardStep), u);
                if (Info.MergeMode == MergeMode.Concat)
                {
                    TrainingMath.Add(outputGradient.Slice((b * outSteps + t) * 2 * u, u), df);
                    TrainingMath.Add(outputGradient.Slice((b * outSteps + t) * 2 * u + u, u), dbw);
                    continue;
                }

                ReadOnlySpan<float> dy = outputGradient.Slice((b * outSteps + t) * u, u);
                ReadOnlySpan<float> f = State(_directions[0], b, forwardStep + 1);
                ReadOnlySpan<float> bw = State(_directions[1], b, backwardStep + 1);
                for (int j = 0; j < u; j++)
                {
                    (float toForward, float toBackward) = Info.MergeMode switch
                    {
                        MergeMode.Sum => (dy[j], dy[j]),
                        MergeMode.Mul => (dy[j] * bw[j], dy[j] * f[j]),
                        _ => (dy[j] / 2f, dy[j] / 2f),
                    };
                    df[j] += toForward;
                    dbw[j] += toBackward;
                }
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> outputGradient, Span<float> inputGradient, Span<float> gradients, int batch)
    {
        ReadOutputGradient(outputGradient, batch);
        if (!inputGradient.IsEmpty)
        {
            inputGradient.Slice(0, batch * InputLength).Clear();
        }

        int g = _gateWidth, rows = batch * Timesteps;
        foreach (Direction d in _directions)
        {
            BackwardDirection(parameters, gradients, d, batch);

            // Kernel and input-bias gradients from the input projections' gradients, and the input gradient, over every row at once.
            ReadOnlySpan<float> dxp = d.InputProjectionGradient.AsSpan(0, rows * g);
            if (Info.UseBias)
            {
                Span<float> biasGradient = gradients.Slice(d.Bias, g);
                for (int r = 0; r < rows; r++)
                {
                    TrainingMath.Add(dxp.Slice(r * g, g), biasGradient);
                }
            }

            Span<float> kernelGradient = gradients.Slice(d.Kernel, _inputWidth * g);
            int blocks = InputBlocks, width = g / blocks;
            ReadOnlySpan<float> kernel = parameters.Slice(d.Kernel, _inputWidth * g);
            bool transposeKernel = !inputGradient.IsEmpty && Gemm.TransposeFor(rows);
            if (transposeKernel)
            {
                TrainingMath.Transpose(kernel, _inputWidth, g, _transposedKernel);
            }

            for (int block = 0; block < blocks; block++)
            {
                ReadOnlySpan<float> dxpBlock = dxp.Slice(block * width);
                ReadOnlySpan<float> inputs = InputRows(d, input, block, out int stride);
                for (int t = 0; t < Timesteps; t++)
                {
                    // One step's rows of dZ (adjacent) against the batch's input rows of that time.
                    Gemm.MultiplyAdd(_inputWidth, width, batch, inputs.Slice(InputRow(0, t) * stride), 1, Timesteps * stride, dxpBlock.Slice(Row(0, t) * g), g, kernelGradient.Slice(block * width), g);
                }

                if (inputGradient.IsEmpty)
                {
                    continue;
                }

                Span<float> target = _inputMasked ? _maskedInputGradient.AsSpan(0, rows * _inputWidth) : inputGradient;
                if (_inputMasked)
                {
                    target.Clear();
                }

                for (int b = 0; b < batch; b++)
                {
                    // Sample b's rows of dZ (batch rows apart) into its T input-gradient rows (adjacent).
                    ReadOnlySpan<float> dzRows = dxpBlock.Slice(Row(b, 0) * g);
                    Span<float> dxRows = target.Slice(InputRow(b, 0) * _inputWidth);
                    if (transposeKernel)
                    {
                        Gemm.MultiplyAdd(Timesteps, _inputWidth, width, dzRows, batch * g, 1, _transposedKernel.AsSpan(block * width * _inputWidth), _inputWidth, dxRows, _inputWidth);
                    }
                    else
                    {
                        Gemm.MultiplyAddTransposed(Timesteps, _inputWidth, width, dzRows, batch * g, kernel.Slice(block * width), g, dxRows, _inputWidth);
                    }
                }

                if (!_inputMasked)
                {
                    continue;
                }

                ReadOnlySpan<float> masked = target;
                int slot = _maskCount > 1 ? block : 0;
                for (int b = 0; b < batch; b++)
                {
                    ReadOnlySpan<float> mask = d.Mask.AsSpan((b * _maskCount + slot) * _inputWidth, _inputWidth);
                    for (int t = 0; t < Timesteps; t++)
                    {
                        int r = InputRow(b, t);
                        TrainingMath.AddProduct(masked.Slice(r * _inputWidth, _inputWidth), mask, inputGradient.Slice(r * _inputWidth, _inputWidth));
                    }
                }
            }
        }
    }

    private void BackwardDirection(ReadOnlySpan<float> parameters, Span<float> gradients, Direction d, int batch)
    {
        int u = _units, g = _gateWidth, steps = Timesteps, zStride = g;
        ReadOnlySpan<float> recurrent = parameters.Slice(d.Recurrent, u * g);
        Span<float> recurrentGradient = gradients.Slice(d.Recurrent, u * g);
        _recurrentTransposed = Gemm.TransposeFor(batch);
        if (_recurrentTransposed)
        {
            TrainingMath.Transpose(recurrent, u, g, _transposedRecurrent);
        }

        Span<float> dh = _dh.AsSpan(0, batch * u);
        Span<float> dhPrev = _dhPrev.AsSpan(0, batch * u);
        Span<float> dc = _dc.AsSpan(0, batch * u);
        dh.Clear();
        dc.Clear();
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = d.Backwards ? steps - 1 - s : s;
            Span<float> dz = d.InputProjectionGradient.AsSpan(Row(0, t) * g); // row of sample b: b * zStride
            for (int b = 0; b < batch; b++)
            {
                TrainingMath.Add(d.StepGradient.AsSpan(StateIndex(b, s), u), dh.Slice(b * u, u));
            }

            bool skipping = TimestepMask is not null && SetAsideMaskedGradients(t, dh, dc, batch);

            switch (_kind)
            {
                case LayerKind.SimpleRnn:
                    if (_cell is SimpleRnnTrainingCell simpleRnnCell)
                    {
                        simpleRnnCell.Backward(batch, d.PreActivation.AsSpan(Row(0, t) * g, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), dh, dz.Slice(0, batch * g));
                    }
                    else
                    {
                        for (int b = 0; b < batch; b++)
                        {
                            Span<float> dzb = dz.Slice(b * zStride, g);
                            dh.Slice(b * u, u).CopyTo(dzb);
                            ActivationFunctions.MultiplyByDerivative(_activation, d.PreActivation.AsSpan(Row(b, t) * g, g), d.Gates.AsSpan(Row(b, t) * g, g), dzb);
                        }
                    }

                    dhPrev.Clear();
                    AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, g, dhPrev, batch);
                    break;
                case LayerKind.Lstm:
                    if (_cell is LstmTrainingCell lstmCell)
                    {
                        lstmCell.Backward(batch, d.PreActivation.AsSpan(Row(0, t) * g, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.C.AsSpan(StateIndex(0, s), batch * u),
                            d.C.AsSpan(StateIndex(0, s + 1), batch * u), d.CellActivation.AsSpan(Row(0, t) * u, batch * u), dh, dc, dz.Slice(0, batch * g));
                    }
                    else
                    {
                        for (int b = 0; b < batch; b++)
                        {
                            BackwardLstmCell(d, b, s, t, dh.Slice(b * u, u), dc.Slice(b * u, u), dz.Slice(b * zStride, g));
                        }
                    }

                    dhPrev.Clear();
                    AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, g, dhPrev, batch);
                    break;
                default:
                    BackwardGru(d, recurrent, recurrentGradient, gradients, s, t, dh, dhPrev, dz, zStride, batch);
                    break;
            }

            if (skipping)
            {
                RestoreMaskedGradients(t, dhPrev, dc, batch);
            }

            dhPrev.CopyTo(dh);
        }
    }

    // A step masked for sample b kept its states (KeepStatesAtMaskedStep), so the gradients of the states after it are
    // those before it: they are set aside and zeroed, the cell's backward pass then gives that sample no gate gradients,
    // and RestoreMaskedGradients puts them back as the gradients before the step. Returns whether any sample is masked.
    private bool SetAsideMaskedGradients(int t, Span<float> dh, Span<float> dc, int batch)
    {
        int u = _units;
        bool any = false;
        for (int b = 0; b < batch; b++)
        {
            if (!Skips(b, t))
            {
                continue;
            }

            any = true;
            dh.Slice(b * u, u).CopyTo(_skippedH.AsSpan(b * u, u));
            dh.Slice(b * u, u).Clear();
            if (_kind == LayerKind.Lstm)
            {
                dc.Slice(b * u, u).CopyTo(_skippedC.AsSpan(b * u, u));
                dc.Slice(b * u, u).Clear();
            }
        }

        return any;
    }

    private void RestoreMaskedGradients(int t, Span<float> dhPrev, Span<float> dc, int batch)
    {
        int u = _units;
        for (int b = 0; b < batch; b++)
        {
            if (!Skips(b, t))
            {
                continue;
            }

            _skippedH.AsSpan(b * u, u).CopyTo(dhPrev.Slice(b * u, u));
            if (_kind == LayerKind.Lstm)
            {
                _skippedC.AsSpan(b * u, u).CopyTo(dc.Slice(b * u, u));
            }
        }
    }

    // dz of one LSTM step of sample b from dh and the carry gradient dc (updated to the carry before the step).
    private void BackwardLstmCell(Direction d, int b, int s, int t, ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz)
    {
        int u = _units, g = _gateWidth, steps = Timesteps;
        ReadOnlySpan<float> z = d.PreActivation.AsSpan(Row(b, t) * g, g);
        ReadOnlySpan<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
        ReadOnlySpan<float> cPrev = d.C.AsSpan(StateIndex(b, s), u);
        ReadOnlySpan<float> c = d.C.AsSpan(StateIndex(b, s + 1), u);
        ReadOnlySpan<float> cellActivation = d.CellActivation.AsSpan(Row(b, t) * u, u);
        ReadOnlySpan<float> i = a.Slice(0, u), f = a.Slice(u, u), cc = a.Slice(2 * u, u), o = a.Slice(3 * u, u);
        // dc += dh * o * act'(c)
        Span<float> fromState = _rowScratch.AsSpan(0, u);
        TrainingMath.Multiply(dh, o, fromState);
        ActivationFunctions.MultiplyByDerivative(_activation, c, cellActivation, fromState);
        TrainingMath.Add(fromState, dc);
        // di = dc * cc * ra'(zi), df = dc * cPrev * ra'(zf), dcc = dc * i * act'(zc), do = dh * act(c) * ra'(zo)
        TrainingMath.Multiply(dc, cc, dz.Slice(0, u));
        TrainingMath.Multiply(dc, cPrev, dz.Slice(u, u));
        ActivationFunctions.MultiplyByDerivative(_recurrentActivation, z.Slice(0, 2 * u), a.Slice(0, 2 * u), dz.Slice(0, 2 * u));
        TrainingMath.Multiply(dc, i, dz.Slice(2 * u, u));
        ActivationFunctions.MultiplyByDerivative(_activation, z.Slice(2 * u, u), cc, dz.Slice(2 * u, u));
        TrainingMath.Multiply(dh, cellActivation, dz.Slice(3 * u, u));
        ActivationFunctions.MultiplyByDerivative(_recurrentActivation, z.Slice(3 * u, u), o, dz.Slice(3 * u, u));
        // the carry before the step: dc * f
        TrainingMath.Multiply(dc, f, dc);
    }

    private void BackwardGru(Direction d, ReadOnlySpan<float> recurrent, Span<float> recurrentGradient, Span<float> gradients, int s, int t,
        ReadOnlySpan<float> dh, Span<float> dhPrev, Span<float> dz, int zStride, int batch)
    {
        int u = _units, g = _gateWidth, steps = Timesteps;
        if (_cell is GruTrainingCell gruCell)
        {
            Span<float> cellDhp = _dhp.AsSpan(0, batch * g);
            gruCell.Backward(batch, d.PreActivation.AsSpan(Row(0, t) * g, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.RecurrentProjection.AsSpan(Row(0, t) * g, batch * g),
                d.H.AsSpan(StateIndex(0, s), batch * u), dh, dz.Slice(0, batch * g), cellDhp, dhPrev);
            AddRecurrentBiasGradient(d, gradients, cellDhp, batch);
            AddRecurrentGradient(d, recurrent, recurrentGradient, s, cellDhp, g, g, dhPrev, batch);
            return;
        }

        // h = zg * hPrev + (1 - zg) * hh
        if (_cell is GruResetBeforeTrainingCell stateHalf)
        {
            stateHalf.BackwardState(batch, d.PreActivation.AsSpan(Row(0, t) * g, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), d.H.AsSpan(StateIndex(0, s), batch * u),
                dh, dz.Slice(0, batch * g), dhPrev);
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> z = d.PreActivation.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> hPrev = d.H.AsSpan(StateIndex(b, s), u);
                ReadOnlySpan<float> dhb = dh.Slice(b * u, u);
                Span<float> dzb = dz.Slice(b * zStride, g);
                for (int j = 0; j < u; j++)
                {
                    float zg = a[j], hh = a[2 * u + j];
                    dzb[j] = dhb[j] * (hPrev[j] - hh);
                    dzb[2 * u + j] = dhb[j] * (1f - zg);
                }

                ActivationFunctions.MultiplyByDerivative(_recurrentActivation, z.Slice(0, u), a.Slice(0, u), dzb.Slice(0, u));
                ActivationFunctions.MultiplyByDerivative(_activation, z.Slice(2 * u, u), a.Slice(2 * u, u), dzb.Slice(2 * u, u));
                TrainingMath.Multiply(dhb, a.Slice(0, u), dhPrev.Slice(b * u, u));
            }
        }

        if (_resetAfter)
        {
            // hh pre-activation = xp_h + r * hp_h, with hp = h·U + b1.
            Span<float> dhp = _dhp.AsSpan(0, batch * g);
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> z = d.PreActivation.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> hp = d.RecurrentProjection.AsSpan(Row(b, t) * g, g);
                Span<float> dzb = dz.Slice(b * zStride, g);
                Span<float> dhpb = dhp.Slice(b * g, g);
                TrainingMath.Multiply(dzb.Slice(2 * u, u), hp.Slice(2 * u, u), dzb.Slice(u, u));
                ActivationFunctions.MultiplyByDerivative(_recurrentActivation, z.Slice(u, u), a.Slice(u, u), dzb.Slice(u, u));
                dzb.Slice(0, 2 * u).CopyTo(dhpb);
                TrainingMath.Multiply(dzb.Slice(2 * u, u), a.Slice(u, u), dhpb.Slice(2 * u, u));
            }

            AddRecurrentBiasGradient(d, gradients, dhp, batch);
            AddRecurrentGradient(d, recurrent, recurrentGradient, s, dhp, g, g, dhPrev, batch);
            return;
        }

        // hh pre-activation = xp_h + (r * hPrev)·U_h: the reset-gated state's gradient is dz_h · U_hᵀ.
        Span<float> resetHGradient = _rowScratch.AsSpan(0, batch * u);
        resetHGradient.Clear();
        AddTimesRecurrentTransposed(recurrent, 2 * u, u, dz.Slice(2 * u), zStride, resetHGradient, batch);
        ReadOnlySpan<float> candidateStates = StateRows(d, s, 2, batch, out int candidateStride);
        if (_cell is GruResetBeforeTrainingCell resetHalf && !_stateMasked)
        {
            resetHalf.BackwardReset(batch, d.PreActivation.AsSpan(Row(0, t) * g, batch * g), d.Gates.AsSpan(Row(0, t) * g, batch * g), candidateStates.Slice(0, batch * u),
                resetHGradient, dz.Slice(0, batch * g), dhPrev);
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> z = d.PreActivation.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                ReadOnlySpan<float> rg = resetHGradient.Slice(b * u, u);
                Span<float> dzb = dz.Slice(b * zStride, g);
                // dr = drh * state * ra'(zr); dhPrev += drh * r (* the candidate's state mask)
                TrainingMath.Multiply(rg, candidateStates.Slice(b * candidateStride, u), dzb.Slice(u, u));
                ActivationFunctions.MultiplyByDerivative(_recurrentActivation, z.Slice(u, u), a.Slice(u, u), dzb.Slice(u, u));
                if (_stateMasked)
                {
                    ReadOnlySpan<float> candidateMask = d.StateMask.AsSpan((b * _maskCount + (_maskCount > 1 ? 2 : 0)) * u, u);
                    Span<float> product = _stateScratch.AsSpan(0, u);
                    TrainingMath.Multiply(rg, a.Slice(u, u), product);
                    TrainingMath.AddProduct(product, candidateMask, dhPrev.Slice(b * u, u));
                }
                else
                {
                    TrainingMath.AddProduct(rg, a.Slice(u, u), dhPrev.Slice(b * u, u));
                }
            }
        }

        // dU_h += (r * hPrev)ᵀ · dz_h, summed over the batch.
        Gemm.MultiplyAdd(u, u, batch, d.ResetH.AsSpan(Row(0, t) * u), 1, u, dz.Slice(2 * u), zStride, recurrentGradient.Slice(2 * u), g);
        AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, 2 * u, dhPrev, batch);
    }

    // GRU reset_after: the recurrent bias (b₁, the bias's second row) gets the recurrent projection's gradient of every sample, in sample order.
    private void AddRecurrentBiasGradient(Direction d, Span<float> gradients, ReadOnlySpan<float> dhp, int batch)
    {
        if (!Info.UseBias)
        {
            return;
        }

        int g = _gateWidth;
        Span<float> biasGradient = gradients.Slice(d.Bias + g, g);
        for (int b = 0; b < batch; b++)
        {
            TrainingMath.Add(dhp.Slice(b * g, g), biasGradient);
        }
    }
}
