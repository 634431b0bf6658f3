using System;

namespace RnnGen.Training;

/// <summary>
/// SimpleRNN, LSTM and GRU (both <c>reset_after</c> variants), optionally <c>go_backwards</c> or wrapped in
/// <c>Bidirectional</c>, with backpropagation through time. The forward pass follows the Keras 3 cells'
/// <c>call</c> methods (see <c>Reference/ReferenceCells.cs</c>) and keeps, per sample and processing step, the gate
/// pre-activations, the gate values and the states; the backward pass walks the steps in reverse, accumulates the
/// recurrent-kernel gradient step by step and the kernel and bias gradients from the input projections' gradients.
/// Dropout draws its masks once per sequence and direction, shared by every timestep, as Keras 3's
/// <c>DropoutRNNCell</c>: with <c>recurrent_dropout</c> 0 one input mask shared by the gates; with
/// <c>recurrent_dropout</c> Keras switches LSTM and GRU to their "implementation 1", one input mask and one state
/// mask per gate (SimpleRNN keeps one of each).
/// </summary>
internal sealed class RecurrentLayer : TrainingLayer
{
    private readonly LayerKind _kind;
    private readonly int _units;
    private readonly int _inputWidth;
    private readonly int _gates;       // 1 SimpleRNN, 4 LSTM (i, f, c, o), 3 GRU (z, r, h)
    private readonly int _gateWidth;   // gates * units
    private readonly bool _resetAfter;
    private readonly Func<float, float> _activation;
    private readonly Func<float, float> _recurrentActivation;
    private readonly Func<float, float, float> _activationDerivative;
    private readonly Func<float, float, float> _recurrentDerivative;
    private readonly Direction[] _directions;
    private float[] _rowScratch = Array.Empty<float>(); // one sample's step gradients in the backward pass
    private readonly int _maskCount;  // masks per sequence: 1, or one per gate under Keras's implementation 1
    private float[] _maskedState = Array.Empty<float>(); // the previous state times each gate's recurrent mask
    private bool _inputMasked;
    private bool _stateMasked;

    public RecurrentLayer(LayerInfo info, int timesteps, int parameterOffset)
        : base(info, timesteps, parameterOffset)
    {
        if (info.Stateful)
        {
            throw new NotSupportedException(
                $"Layer '{info.Name}' is stateful: training stateful layers (states carried between batches) is not supported. " +
                "Train a copy of the model declared with Stateful = false and copy the weights over with GetWeights/SetWeights.");
        }

        _kind = info.Kind;
        _units = info.Units;
        _inputWidth = info.InputWidth;
        _gates = _kind switch { LayerKind.Lstm => 4, LayerKind.Gru => 3, _ => 1 };
        _gateWidth = _gates * _units;
        _resetAfter = _kind == LayerKind.Gru && info.ResetAfter;
        // keras LSTMCell / GRUCell: recurrent_dropout != 0 sets implementation = 1 and dropout_mask_count = gates.
        _maskCount = info.RecurrentDropoutRate > 0 ? _gates : 1;
        _activation = Activations.Get(info.Activation);
        _activationDerivative = ActivationDerivatives.Get(info.Activation);
        string recurrent = info.RecurrentActivation ?? info.Activation;
        _recurrentActivation = Activations.Get(recurrent);
        _recurrentDerivative = ActivationDerivatives.Get(recurrent);

        int directionLength = _inputWidth * _gateWidth + _units * _gateWidth + (info.UseBias ? (_resetAfter ? 2 : 1) * _gateWidth : 0);
        _directions = new Direction[info.Bidirectional ? 2 : 1];
        for (int d = 0; d < _directions.Length; d++)
        {
            int kernel = parameterOffset + d * directionLength;
            // keras Bidirectional: the backward layer is a copy with go_backwards=True (the reference model does the same).
            bool backwards = info.Bidirectional ? d == 1 : info.GoBackwards;
            _directions[d] = new Direction(kernel, kernel + _inputWidth * _gateWidth, kernel + _inputWidth * _gateWidth + _units * _gateWidth, backwards);
        }
    }

    public override void Allocate(int capacity)
    {
        int t = Timesteps;
        foreach (Direction d in _directions)
        {
            d.PreActivation = new float[capacity * t * _gateWidth];
            d.Gates = new float[capacity * t * _gateWidth];
            d.H = new float[capacity * (t + 1) * _units];
            d.C = _kind == LayerKind.Lstm ? new float[capacity * (t + 1) * _units] : Array.Empty<float>();
            d.CellActivation = _kind == LayerKind.Lstm ? new float[capacity * t * _units] : Array.Empty<float>();
            d.RecurrentProjection = _resetAfter ? new float[capacity * t * _gateWidth] : Array.Empty<float>();
            d.ResetH = _kind == LayerKind.Gru && !_resetAfter ? new float[capacity * t * _units] : Array.Empty<float>();
            d.Mask = Info.DropoutRate > 0 ? new float[capacity * _maskCount * _inputWidth] : Array.Empty<float>();
            d.MaskedInput = Info.DropoutRate > 0 ? new float[capacity * t * _maskCount * _inputWidth] : Array.Empty<float>();
            d.StateMask = Info.RecurrentDropoutRate > 0 ? new float[capacity * _maskCount * _units] : Array.Empty<float>();
            d.InputProjectionGradient = new float[capacity * t * _gateWidth];
            d.StepGradient = new float[capacity * t * _units];
        }

        _rowScratch = new float[5 * _units + 2 * _gateWidth];
        _maskedState = new float[_maskCount * _units];
    }

    // The input row of sample b at time t as gate block `block` sees it (masked in training with dropout).
    private ReadOnlySpan<float> InputRow(Direction d, ReadOnlySpan<float> input, int b, int t, int block) =>
        _inputMasked
            ? d.MaskedInput.AsSpan(((b * Timesteps + t) * _maskCount + block) * _inputWidth, _inputWidth)
            : input.Slice((b * Timesteps + t) * _inputWidth, _inputWidth);

    // Gate blocks the input projection is split into: one per gate when each gate has its own input mask.
    private int InputBlocks => _inputMasked && _maskCount > 1 ? _gates : 1;

    // Gate blocks the recurrent projection is split into: one per gate when each gate has its own state mask.
    private int StateBlocks => _stateMasked && _maskCount > 1 ? _gates : 1;

    // The previous state as gate block `block` sees it; computes the masked copies when recurrent dropout is on.
    private ReadOnlySpan<float> StateFor(Direction d, ReadOnlySpan<float> hPrev, int b, int block)
    {
        if (!_stateMasked)
        {
            return hPrev;
        }

        int slot = _maskCount > 1 ? block : 0;
        Span<float> masked = _maskedState.AsSpan(slot * _units, _units);
        ReadOnlySpan<float> mask = d.StateMask.AsSpan((b * _maskCount + slot) * _units, _units);
        for (int j = 0; j < _units; j++)
        {
            masked[j] = hPrev[j] * mask[j];
        }

        return masked;
    }

    // z[columns of the blocks] += state_block · U[:, block], for `blocks` equal blocks of the first `width` columns.
    private void AddRecurrent(Direction d, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> hPrev, int b, Span<float> z, int width)
    {
        int blocks = StateBlocks;
        int blockWidth = blocks > 1 ? _units : width;
        for (int block = 0; block * blockWidth < width; block++)
        {
            TrainingMath.AddVectorTimesMatrix(StateFor(d, hPrev, b, block), recurrent.Slice(block * blockWidth), _gateWidth, z.Slice(block * blockWidth, blockWidth));
        }
    }

    // The backward counterpart: dU[:, blocks] += state_block ⊗ dz, dhPrev += (dz · U[:, block]ᵀ) * mask_block.
    private void AddRecurrentGradient(Direction d, ReadOnlySpan<float> recurrent, Span<float> recurrentGradient, ReadOnlySpan<float> hPrev, int b, ReadOnlySpan<float> dz, int width, Span<float> dhPrev, Span<float> scratch)
    {
        int blocks = StateBlocks;
        int blockWidth = blocks > 1 ? _units : width;
        for (int block = 0; block * blockWidth < width; block++)
        {
            ReadOnlySpan<float> dzBlock = dz.Slice(block * blockWidth, blockWidth);
            TrainingMath.AddOuterProduct(StateFor(d, hPrev, b, block), dzBlock, recurrentGradient.Slice(block * blockWidth), _gateWidth);
            if (!_stateMasked)
            {
                TrainingMath.AddVectorTimesTransposed(dzBlock, recurrent.Slice(block * blockWidth), _gateWidth, dhPrev);
                continue;
            }

            scratch.Clear();
            TrainingMath.AddVectorTimesTransposed(dzBlock, recurrent.Slice(block * blockWidth), _gateWidth, scratch);
            ReadOnlySpan<float> mask = d.StateMask.AsSpan((b * _maskCount + (_maskCount > 1 ? block : 0)) * _units, _units);
            for (int j = 0; j < _units; j++)
            {
                dhPrev[j] += scratch[j] * mask[j];
            }
        }
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ref DropoutRandom random)
    {
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
                        ReadOnlySpan<float> row = input.Slice((b * Timesteps + t) * _inputWidth, _inputWidth);
                        for (int m = 0; m < _maskCount; m++)
                        {
                            ReadOnlySpan<float> mask = d.Mask.AsSpan((b * _maskCount + m) * _inputWidth, _inputWidth);
                            Span<float> masked = d.MaskedInput.AsSpan(((b * Timesteps + t) * _maskCount + m) * _inputWidth, _inputWidth);
                            for (int k = 0; k < _inputWidth; k++)
                            {
                                masked[k] = row[k] * mask[k];
                            }
                        }
                    }
                }
            }

            if (_stateMasked)
            {
                random.FillMask(d.StateMask.AsSpan(0, batch * _maskCount * _units), Info.RecurrentDropoutRate);
            }

            for (int b = 0; b < batch; b++)
            {
                ForwardSequence(parameters, d, input, b);
            }
        }

        WriteOutput(output, batch);
    }

    private void ForwardSequence(ReadOnlySpan<float> parameters, Direction d, ReadOnlySpan<float> x, int b)
    {
        int u = _units, g = _gateWidth, steps = Timesteps;
        ReadOnlySpan<float> kernel = parameters.Slice(d.Kernel, _inputWidth * g);
        ReadOnlySpan<float> recurrent = parameters.Slice(d.Recurrent, u * g);
        ReadOnlySpan<float> bias = Info.UseBias ? parameters.Slice(d.Bias, (_resetAfter ? 2 : 1) * g) : default;
        d.H.AsSpan(b * (steps + 1) * u, u).Clear();
        if (_kind == LayerKind.Lstm)
        {
            d.C.AsSpan(b * (steps + 1) * u, u).Clear();
        }

        for (int s = 0; s < steps; s++)
        {
            int t = d.Backwards ? steps - 1 - s : s;
            int step = b * steps + s;
            ReadOnlySpan<float> hPrev = d.H.AsSpan((b * (steps + 1) + s) * u, u);
            Span<float> h = d.H.AsSpan((b * (steps + 1) + s + 1) * u, u);
            Span<float> z = d.PreActivation.AsSpan(step * g, g);
            Span<float> a = d.Gates.AsSpan(step * g, g);

            // z = x·W + b (row 0 of a reset_after GRU bias)
            if (Info.UseBias)
            {
                bias.Slice(0, g).CopyTo(z);
            }
            else
            {
                z.Clear();
            }

            int inputBlocks = InputBlocks, inputWidth = g / inputBlocks;
            for (int block = 0; block < inputBlocks; block++)
            {
                TrainingMath.AddVectorTimesMatrix(InputRow(d, x, b, t, block), kernel.Slice(block * inputWidth), g, z.Slice(block * inputWidth, inputWidth));
            }

            switch (_kind)
            {
                case LayerKind.SimpleRnn:
                    AddRecurrent(d, recurrent, hPrev, b, z, g);
                    for (int j = 0; j < u; j++)
                    {
                        a[j] = _activation(z[j]);
                        h[j] = a[j];
                    }

                    break;
                case LayerKind.Lstm:
                {
                    AddRecurrent(d, recurrent, hPrev, b, z, g);
                    ReadOnlySpan<float> cPrev = d.C.AsSpan((b * (steps + 1) + s) * u, u);
                    Span<float> c = d.C.AsSpan((b * (steps + 1) + s + 1) * u, u);
                    Span<float> cellActivation = d.CellActivation.AsSpan(step * u, u);
                    for (int j = 0; j < u; j++)
                    {
                        float i = a[j] = _recurrentActivation(z[j]);
                        float f = a[u + j] = _recurrentActivation(z[u + j]);
                        float cc = a[2 * u + j] = _activation(z[2 * u + j]);
                        float o = a[3 * u + j] = _recurrentActivation(z[3 * u + j]);
                        c[j] = f * cPrev[j] + i * cc;
                        cellActivation[j] = _activation(c[j]);
                        h[j] = o * cellActivation[j];
                    }

                    break;
                }

                default:
                    ForwardGru(d, recurrent, bias, hPrev, h, z, a, b, step);
                    break;
            }
        }
    }

    private void ForwardGru(Direction d, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> bias, ReadOnlySpan<float> hPrev, Span<float> h, Span<float> z, Span<float> a, int b, int step)
    {
        int u = _units, g = _gateWidth;
        if (_resetAfter)
        {
            // hp = h·U + b1; z = ra(xp_z + hp_z), r = ra(xp_r + hp_r), hh = act(xp_h + r * hp_h)
            Span<float> hp = d.RecurrentProjection.AsSpan(step * g, g);
            if (Info.UseBias)
            {
                bias.Slice(g, g).CopyTo(hp);
            }
            else
            {
                hp.Clear();
            }

            AddRecurrent(d, recurrent, hPrev, b, hp, g);
            for (int j = 0; j < u; j++)
            {
                z[j] += hp[j];
                z[u + j] += hp[u + j];
                a[j] = _recurrentActivation(z[j]);
                a[u + j] = _recurrentActivation(z[u + j]);
                z[2 * u + j] += a[u + j] * hp[2 * u + j];
                a[2 * u + j] = _activation(z[2 * u + j]);
                h[j] = a[j] * hPrev[j] + (1f - a[j]) * a[2 * u + j];
            }

            return;
        }

        // z, r from h·U[:, :2u]; hh = act(xp_h + (r * h)·U[:, 2u:])
        AddRecurrent(d, recurrent, hPrev, b, z, 2 * u);
        Span<float> resetH = d.ResetH.AsSpan(step * u, u);
        ReadOnlySpan<float> candidateState = StateFor(d, hPrev, b, 2);
        for (int j = 0; j < u; j++)
        {
            a[j] = _recurrentActivation(z[j]);
            a[u + j] = _recurrentActivation(z[u + j]);
            resetH[j] = a[u + j] * candidateState[j];
        }

        for (int k = 0; k < u; k++)
        {
            float scale = resetH[k];
            if (scale != 0f)
            {
                TrainingMath.AddScaled(recurrent.Slice(k * g + 2 * u, u), scale, z.Slice(2 * u, u));
            }
        }

        for (int j = 0; j < u; j++)
        {
            a[2 * u + j] = _activation(z[2 * u + j]);
            h[j] = a[j] * hPrev[j] + (1f - a[j]) * a[2 * u + j];
        }
    }

    // The state of direction d after processing step s of sample b (s = Timesteps is the final state).
    private ReadOnlySpan<float> State(Direction d, int b, int s) => d.H.AsSpan((b * (Timesteps + 1) + s) * _units, _units);

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
            }
        }
    }

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
                Span<float> df = _directions[0].StepGradient.AsSpan((b * steps + forwardStep) * u, u);
                if (!Info.Bidirectional || Info.MergeMode == MergeMode.None)
                {
                    TrainingMath.Add(outputGradient.Slice((b * outSteps + t) * u, u), df);
                    continue;
                }

                int backwardStep = sequences ? steps - 1 - t : steps - 1;
                Span<float> dbw = _directions[1].StepGradient.AsSpan((b * steps + backwardStep) * u, u);
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

        int g = _gateWidth;
        foreach (Direction d in _directions)
        {
            for (int b = 0; b < batch; b++)
            {
                BackwardSequence(parameters, gradients, d, b);
            }

            // Kernel and input-bias gradients from the input projections' gradients, and the input gradient.
            ReadOnlySpan<float> kernel = parameters.Slice(d.Kernel, _inputWidth * g);
            Span<float> kernelGradient = gradients.Slice(d.Kernel, _inputWidth * g);
            int blocks = InputBlocks, width = g / blocks;
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < Timesteps; t++)
                {
                    int r = b * Timesteps + t;
                    ReadOnlySpan<float> dxp = d.InputProjectionGradient.AsSpan(r * g, g);
                    if (Info.UseBias)
                    {
                        TrainingMath.Add(dxp, gradients.Slice(d.Bias, g));
                    }

                    for (int block = 0; block < blocks; block++)
                    {
                        ReadOnlySpan<float> dxpBlock = dxp.Slice(block * width, width);
                        TrainingMath.AddOuterProduct(InputRow(d, input, b, t, block), dxpBlock, kernelGradient.Slice(block * width), g);
                        if (inputGradient.IsEmpty)
                        {
                            continue;
                        }

                        Span<float> dx = inputGradient.Slice(r * _inputWidth, _inputWidth);
                        if (!_inputMasked)
                        {
                            TrainingMath.AddVectorTimesTransposed(dxpBlock, kernel.Slice(block * width), g, dx);
                            continue;
                        }

                        ReadOnlySpan<float> mask = d.Mask.AsSpan((b * _maskCount + (_maskCount > 1 ? block : 0)) * _inputWidth, _inputWidth);
                        for (int k = 0; k < _inputWidth; k++)
                        {
                            dx[k] += TrainingMath.Dot(dxpBlock, kernel.Slice(k * g + block * width, width)) * mask[k];
                        }
                    }
                }
            }
        }
    }

    private void BackwardSequence(ReadOnlySpan<float> parameters, Span<float> gradients, Direction d, int b)
    {
        int u = _units, g = _gateWidth, steps = Timesteps;
        ReadOnlySpan<float> recurrent = parameters.Slice(d.Recurrent, u * g);
        Span<float> recurrentGradient = gradients.Slice(d.Recurrent, u * g);
        Span<float> scratch = _rowScratch;
        Span<float> dh = scratch.Slice(0, u);             // gradient of the state after the current step
        Span<float> dc = scratch.Slice(u, u);             // LSTM: gradient of the carry after the current step
        Span<float> dhPrev = scratch.Slice(2 * u, u);
        Span<float> resetHGradient = scratch.Slice(3 * u, u);
        Span<float> dz = scratch.Slice(4 * u, g);         // gradient of the gate pre-activations
        Span<float> dhp = scratch.Slice(4 * u + g, g);    // GRU reset_after: gradient of the recurrent projection
        Span<float> stateScratch = scratch.Slice(4 * u + 2 * g, u);
        dh.Clear();
        dc.Clear();
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = d.Backwards ? steps - 1 - s : s;
            int step = b * steps + s;
            TrainingMath.Add(d.StepGradient.AsSpan(step * u, u), dh);
            ReadOnlySpan<float> hPrev = d.H.AsSpan((b * (steps + 1) + s) * u, u);
            ReadOnlySpan<float> z = d.PreActivation.AsSpan(step * g, g);
            ReadOnlySpan<float> a = d.Gates.AsSpan(step * g, g);
            dhPrev.Clear();
            switch (_kind)
            {
                case LayerKind.SimpleRnn:
                    for (int j = 0; j < u; j++)
                    {
                        dz[j] = dh[j] * _activationDerivative(z[j], a[j]);
                    }

                    AddRecurrentGradient(d, recurrent, recurrentGradient, hPrev, b, dz, g, dhPrev, stateScratch);
                    break;
                case LayerKind.Lstm:
                {
                    ReadOnlySpan<float> cPrev = d.C.AsSpan((b * (steps + 1) + s) * u, u);
                    ReadOnlySpan<float> c = d.C.AsSpan((b * (steps + 1) + s + 1) * u, u);
                    ReadOnlySpan<float> cellActivation = d.CellActivation.AsSpan(step * u, u);
                    for (int j = 0; j < u; j++)
                    {
                        float i = a[j], f = a[u + j], cc = a[2 * u + j], o = a[3 * u + j];
                        float dcj = dc[j] + dh[j] * o * _activationDerivative(c[j], cellActivation[j]);
                        dz[j] = dcj * cc * _recurrentDerivative(z[j], i);
                        dz[u + j] = dcj * cPrev[j] * _recurrentDerivative(z[u + j], f);
                        dz[2 * u + j] = dcj * i * _activationDerivative(z[2 * u + j], cc);
                        dz[3 * u + j] = dh[j] * cellActivation[j] * _recurrentDerivative(z[3 * u + j], o);
                        dc[j] = dcj * f;
                    }

                    AddRecurrentGradient(d, recurrent, recurrentGradient, hPrev, b, dz, g, dhPrev, stateScratch);
                    break;
                }

                default:
                    BackwardGru(d, recurrent, recurrentGradient, gradients, hPrev, dh, dhPrev, resetHGradient, dz, dhp, stateScratch, z, a, b, step);
                    break;
            }

            dz.CopyTo(d.InputProjectionGradient.AsSpan((b * steps + t) * g, g));
            dhPrev.CopyTo(dh);
        }
    }

    private void BackwardGru(Direction d, ReadOnlySpan<float> recurrent, Span<float> recurrentGradient, Span<float> gradients, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> dh, Span<float> dhPrev, Span<float> resetHGradient, Span<float> dz, Span<float> dhp, Span<float> stateScratch, ReadOnlySpan<float> z, ReadOnlySpan<float> a, int b, int step)
    {
        int u = _units, g = _gateWidth;
        // h = zg * hPrev + (1 - zg) * hh
        for (int j = 0; j < u; j++)
        {
            float zg = a[j], hh = a[2 * u + j];
            dz[j] = dh[j] * (hPrev[j] - hh) * _recurrentDerivative(z[j], zg);
            dz[2 * u + j] = dh[j] * (1f - zg) * _activationDerivative(z[2 * u + j], hh);
            dhPrev[j] = dh[j] * zg;
        }

        if (_resetAfter)
        {
            // hh pre-activation = xp_h + r * hp_h, with hp = h·U + b1.
            ReadOnlySpan<float> hp = d.RecurrentProjection.AsSpan(step * g, g);
            for (int j = 0; j < u; j++)
            {
                float r = a[u + j];
                dz[u + j] = dz[2 * u + j] * hp[2 * u + j] * _recurrentDerivative(z[u + j], r);
                dhp[j] = dz[j];
                dhp[u + j] = dz[u + j];
                dhp[2 * u + j] = dz[2 * u + j] * r;
            }

            if (Info.UseBias)
            {
                TrainingMath.Add(dhp, gradients.Slice(d.Bias + g, g));
            }

            AddRecurrentGradient(d, recurrent, recurrentGradient, hPrev, b, dhp, g, dhPrev, stateScratch);
            return;
        }

        // hh pre-activation = xp_h + (r * hPrev)·U_h.
        ReadOnlySpan<float> resetH = d.ResetH.AsSpan(step * u, u);
        ReadOnlySpan<float> dCandidate = dz.Slice(2 * u, u);
        for (int k = 0; k < u; k++)
        {
            resetHGradient[k] = TrainingMath.Dot(dCandidate, recurrent.Slice(k * g + 2 * u, u));
        }

        // The candidate sees the state through its own recurrent mask (1 without recurrent dropout).
        ReadOnlySpan<float> candidateMask = _stateMasked ? d.StateMask.AsSpan((b * _maskCount + (_maskCount > 1 ? 2 : 0)) * u, u) : default;
        ReadOnlySpan<float> candidateState = StateFor(d, hPrev, b, 2);
        for (int j = 0; j < u; j++)
        {
            float r = a[u + j];
            dz[u + j] = resetHGradient[j] * candidateState[j] * _recurrentDerivative(z[u + j], r);
            dhPrev[j] += resetHGradient[j] * r * (_stateMasked ? candidateMask[j] : 1f);
        }

        for (int k = 0; k < u; k++)
        {
            TrainingMath.AddScaled(dCandidate, resetH[k], recurrentGradient.Slice(k * g + 2 * u, u));
        }

        AddRecurrentGradient(d, recurrent, recurrentGradient, hPrev, b, dz, 2 * u, dhPrev, stateScratch);
    }

    private sealed class Direction
    {
        public Direction(int kernel, int recurrent, int bias, bool backwards)
        {
            Kernel = kernel;
            Recurrent = recurrent;
            Bias = bias;
            Backwards = backwards;
        }

        public int Kernel { get; }
        public int Recurrent { get; }
        public int Bias { get; }
        public bool Backwards { get; }

        // Per sample b and processing step s: index b * Timesteps + s (states: b * (Timesteps + 1) + s, s = 0 the zeros).
        public float[] PreActivation = Array.Empty<float>();
        public float[] Gates = Array.Empty<float>();
        public float[] H = Array.Empty<float>();
        public float[] C = Array.Empty<float>();
        public float[] CellActivation = Array.Empty<float>();
        public float[] RecurrentProjection = Array.Empty<float>();
        public float[] ResetH = Array.Empty<float>();
        public float[] Mask = Array.Empty<float>();
        public float[] MaskedInput = Array.Empty<float>();
        public float[] StateMask = Array.Empty<float>();
        // Per sample b and time index t (the input row): gradient of x·W + b.
        public float[] InputProjectionGradient = Array.Empty<float>();
        // Per sample b and processing step s: gradient reaching the state from the layer's output.
        public float[] StepGradient = Array.Empty<float>();
    }
}
