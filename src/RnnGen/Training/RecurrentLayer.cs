using System;

namespace RnnGen.Training;

/// <summary>
/// SimpleRNN, LSTM and GRU (both <c>reset_after</c> variants), optionally <c>go_backwards</c> or wrapped in
/// <c>Bidirectional</c>, with backpropagation through time. The forward pass follows the Keras 3 cells'
/// <c>call</c> methods (see <c>Reference/ReferenceCells.cs</c>) and keeps, per sample and timestep, the gate
/// pre-activations, the gate values and the states; the backward pass walks the steps in reverse.
/// The batch moves through time together, so every product is a matrix product (<see cref="Gemm"/>): the input
/// projections of all samples and timesteps at once (<c>[batch·T x inputs]·[inputs x gates·units]</c>), then per step
/// the recurrent projection of every sample (<c>[batch x units]·[units x gates·units]</c>); backwards, per step the
/// state gradient (<c>dZ·Uᵀ</c>) and the recurrent kernel's gradient (<c>Hᵀ·dZ</c>, summed over the batch), and at
/// the end the kernel's gradient and the input gradient over all rows at once.
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
    private readonly ActivationFunction _activation;
    private readonly ActivationFunction _recurrentActivation;
    private readonly Direction[] _directions;
    private readonly int _maskCount;  // masks per sequence: 1, or one per gate under Keras's implementation 1
    private float[] _maskedState = Array.Empty<float>();   // [batch x units]: the states of one step times one gate's recurrent mask
    private float[] _stateScratch = Array.Empty<float>();  // [batch x units]: a masked block's state gradient before its mask
    private float[] _dh = Array.Empty<float>();            // [batch x units]: gradient of the state after the current step
    private float[] _dhPrev = Array.Empty<float>();        // [batch x units]: ... and before it
    private float[] _dc = Array.Empty<float>();            // [batch x units]: LSTM, gradient of the carry after the current step
    private float[] _rowScratch = Array.Empty<float>();    // [batch x units]: products of one row; GRU: the reset-gated state's gradient
    private float[] _dhp = Array.Empty<float>();           // [batch x gates·units]: GRU reset_after, gradient of the recurrent projection
    private float[] _transposedRecurrent = Array.Empty<float>(); // Uᵀ, [gates·units x units]
    private float[] _transposedKernel = Array.Empty<float>();    // Wᵀ, [gates·units x inputs]
    private float[] _maskedInputGradient = Array.Empty<float>(); // [batch·T x inputs]: gradient of a masked input block
    private int _batch; // the batch of the last Forward, which the caches' row layout depends on
    private bool _recurrentTransposed; // whether _transposedRecurrent holds this backward pass's Uᵀ
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
        _activation = ActivationFunctions.Resolve(info.Activation);
        _recurrentActivation = ActivationFunctions.Resolve(info.RecurrentActivation ?? info.Activation);

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
        int t = Timesteps, u = _units, g = _gateWidth;
        foreach (Direction d in _directions)
        {
            d.PreActivation = new float[capacity * t * g];
            d.Gates = new float[capacity * t * g];
            d.H = new float[capacity * (t + 1) * u];
            d.C = _kind == LayerKind.Lstm ? new float[capacity * (t + 1) * u] : Array.Empty<float>();
            d.CellActivation = _kind == LayerKind.Lstm ? new float[capacity * t * u] : Array.Empty<float>();
            d.RecurrentProjection = _resetAfter ? new float[capacity * t * g] : Array.Empty<float>();
            d.ResetH = _kind == LayerKind.Gru && !_resetAfter ? new float[capacity * t * u] : Array.Empty<float>();
            d.Mask = Info.DropoutRate > 0 ? new float[capacity * _maskCount * _inputWidth] : Array.Empty<float>();
            d.MaskedInput = Info.DropoutRate > 0 ? new float[capacity * t * _maskCount * _inputWidth] : Array.Empty<float>();
            d.StateMask = Info.RecurrentDropoutRate > 0 ? new float[capacity * _maskCount * u] : Array.Empty<float>();
            d.InputProjectionGradient = new float[capacity * t * g];
            d.StepGradient = new float[capacity * t * u];
        }

        _maskedState = new float[capacity * u];
        _stateScratch = new float[capacity * u];
        _dh = new float[capacity * u];
        _dhPrev = new float[capacity * u];
        _dc = new float[capacity * u];
        _rowScratch = new float[capacity * u];
        _dhp = _resetAfter ? new float[capacity * g] : Array.Empty<float>();
        _transposedRecurrent = new float[g * u];
        _transposedKernel = new float[g * _inputWidth];
        _maskedInputGradient = Info.DropoutRate > 0 ? new float[capacity * t * _inputWidth] : Array.Empty<float>();
    }

    // Gate blocks the input projection is split into: one per gate when each gate has its own input mask.
    private int InputBlocks => _inputMasked && _maskCount > 1 ? _gates : 1;

    // Gate blocks the recurrent projection is split into: one per gate when each gate has its own state mask.
    private int StateBlocks => _stateMasked && _maskCount > 1 ? _gates : 1;

    // Row of the per-timestep caches (pre-activations, gates, input projection gradients) for sample b at time t: time
    // major, so the rows one step reads are adjacent. (Batch-major rows of T·gates·units floats would put the batch's
    // rows of one step a power of two apart for power-of-two sizes, all in one cache set.)
    private int Row(int b, int t) => t * _batch + b;

    // Index of sample b's state after processing step s (s = 0: the initial zeros), time major as the caches.
    private int StateIndex(int b, int s) => (s * _batch + b) * _units;

    // Row of the layer's input (and of its gradient and masked copies) for sample b at time t: batch major, as Predict's input.
    private int InputRow(int b, int t) => b * Timesteps + t;

    // The input rows as gate block `block` sees them (masked in training with dropout), with their row stride.
    private ReadOnlySpan<float> InputRows(Direction d, ReadOnlySpan<float> input, int block, out int stride)
    {
        stride = _inputMasked ? _maskCount * _inputWidth : _inputWidth;
        return _inputMasked ? d.MaskedInput.AsSpan(block * _inputWidth) : input;
    }

    // The states before step s of every sample as gate block `block` sees them (masked under recurrent dropout), with their row stride.
    private ReadOnlySpan<float> StateRows(Direction d, int s, int block, int batch, out int stride)
    {
        int u = _units;
        if (!_stateMasked)
        {
            stride = u;
            return d.H.AsSpan(StateIndex(0, s));
        }

        int slot = _maskCount > 1 ? block : 0;
        for (int b = 0; b < batch; b++)
        {
            TrainingMath.Multiply(d.H.AsSpan(StateIndex(b, s), u), d.StateMask.AsSpan((b * _maskCount + slot) * u, u), _maskedState.AsSpan(b * u, u));
        }

        stride = u;
        return _maskedState;
    }

    // z[rows, first `width` columns] += states · U[:, those columns], block by block when each gate has its own state mask.
    private void AddRecurrent(Direction d, ReadOnlySpan<float> recurrent, int s, Span<float> z, int zStride, int width, int batch)
    {
        int blockWidth = StateBlocks > 1 ? _units : width;
        for (int block = 0; block * blockWidth < width; block++)
        {
            ReadOnlySpan<float> states = StateRows(d, s, block, batch, out int stride);
            Gemm.MultiplyAdd(batch, blockWidth, _units, states, stride, 1, recurrent.Slice(block * blockWidth), _gateWidth, z.Slice(block * blockWidth), zStride);
        }
    }

    // The backward counterpart: dU[:, blocks] += statesᵀ · dz, dhPrev += (dz · U[:, block]ᵀ) * mask_block.
    private void AddRecurrentGradient(Direction d, ReadOnlySpan<float> recurrent, Span<float> recurrentGradient, int s, ReadOnlySpan<float> dz, int dzStride, int width, Span<float> dhPrev, int batch)
    {
        int u = _units;
        int blockWidth = StateBlocks > 1 ? u : width;
        for (int block = 0; block * blockWidth < width; block++)
        {
            ReadOnlySpan<float> states = StateRows(d, s, block, batch, out int stride);
            ReadOnlySpan<float> dzBlock = dz.Slice(block * blockWidth);
            Gemm.MultiplyAdd(u, blockWidth, batch, states, 1, stride, dzBlock, dzStride, recurrentGradient.Slice(block * blockWidth), _gateWidth);
            if (!_stateMasked)
            {
                AddTimesRecurrentTransposed(recurrent, block * blockWidth, blockWidth, dzBlock, dzStride, dhPrev, batch);
                continue;
            }

            Span<float> scratch = _stateScratch.AsSpan(0, batch * u);
            scratch.Clear();
            AddTimesRecurrentTransposed(recurrent, block * blockWidth, blockWidth, dzBlock, dzStride, scratch, batch);
            int slot = _maskCount > 1 ? block : 0;
            for (int b = 0; b < batch; b++)
            {
                TrainingMath.AddProduct(scratch.Slice(b * u, u), d.StateMask.AsSpan((b * _maskCount + slot) * u, u), dhPrev.Slice(b * u, u));
            }
        }
    }

    // c[batch x units] += dz[batch x width] · U[:, column .. column + width]ᵀ, through Uᵀ (copied once per backward pass) for larger batches.
    private void AddTimesRecurrentTransposed(ReadOnlySpan<float> recurrent, int column, int width, ReadOnlySpan<float> dz, int dzStride, Span<float> c, int batch)
    {
        if (_recurrentTransposed)
        {
            Gemm.MultiplyAdd(batch, _units, width, dz, dzStride, 1, _transposedRecurrent.AsSpan(column * _units), _units, c, _units);
        }
        else
        {
            Gemm.MultiplyAddTransposed(batch, _units, width, dz, dzStride, recurrent.Slice(column), _gateWidth, c, _units);
        }
    }

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
                    for (int b = 0; b < batch; b++)
                    {
                        Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
                        ActivationFunctions.Apply(_activation, z.Slice(b * zStride, g), a);
                        a.CopyTo(d.H.AsSpan(StateIndex(b, s + 1), u));
                    }

                    break;
                case LayerKind.Lstm:
                    AddRecurrent(d, recurrent, s, z, zStride, g, batch);
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
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> zb = z.Slice(b * zStride, g);
            Span<float> a = d.Gates.AsSpan(Row(b, t) * g, g);
            ActivationFunctions.Apply(_recurrentActivation, zb.Slice(0, 2 * u), a.Slice(0, 2 * u));
            TrainingMath.Multiply(a.Slice(u, u), candidateStates.Slice(b * candidateStride, u), d.ResetH.AsSpan(Row(b, t) * u, u));
        }

        Gemm.MultiplyAdd(batch, u, u, d.ResetH.AsSpan(Row(0, t) * u), u, 1, recurrent.Slice(2 * u), g, z.Slice(2 * u), zStride);
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
                Span<float> df = _directions[0].StepGradient.AsSpan(StateIndex(b, forwardStep), u);
                if (!Info.Bidirectional || Info.MergeMode == MergeMode.None)
                {
                    TrainingMath.Add(outputGradient.Slice((b * outSteps + t) * u, u), df);
                    continue;
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

            switch (_kind)
            {
                case LayerKind.SimpleRnn:
                    for (int b = 0; b < batch; b++)
                    {
                        Span<float> dzb = dz.Slice(b * zStride, g);
                        dh.Slice(b * u, u).CopyTo(dzb);
                        ActivationFunctions.MultiplyByDerivative(_activation, d.PreActivation.AsSpan(Row(b, t) * g, g), d.Gates.AsSpan(Row(b, t) * g, g), dzb);
                    }

                    dhPrev.Clear();
                    AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, g, dhPrev, batch);
                    break;
                case LayerKind.Lstm:
                    for (int b = 0; b < batch; b++)
                    {
                        BackwardLstmCell(d, b, s, t, dh.Slice(b * u, u), dc.Slice(b * u, u), dz.Slice(b * zStride, g));
                    }

                    dhPrev.Clear();
                    AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, g, dhPrev, batch);
                    break;
                default:
                    BackwardGru(d, recurrent, recurrentGradient, gradients, s, t, dh, dhPrev, dz, zStride, batch);
                    break;
            }

            dhPrev.CopyTo(dh);
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
        // h = zg * hPrev + (1 - zg) * hh
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
                if (Info.UseBias)
                {
                    TrainingMath.Add(dhpb, gradients.Slice(d.Bias + g, g));
                }
            }

            AddRecurrentGradient(d, recurrent, recurrentGradient, s, dhp, g, g, dhPrev, batch);
            return;
        }

        // hh pre-activation = xp_h + (r * hPrev)·U_h: the reset-gated state's gradient is dz_h · U_hᵀ.
        Span<float> resetHGradient = _rowScratch.AsSpan(0, batch * u);
        resetHGradient.Clear();
        AddTimesRecurrentTransposed(recurrent, 2 * u, u, dz.Slice(2 * u), zStride, resetHGradient, batch);
        ReadOnlySpan<float> candidateStates = StateRows(d, s, 2, batch, out int candidateStride);
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

        // dU_h += (r * hPrev)ᵀ · dz_h, summed over the batch.
        Gemm.MultiplyAdd(u, u, batch, d.ResetH.AsSpan(Row(0, t) * u), 1, u, dz.Slice(2 * u), zStride, recurrentGradient.Slice(2 * u), g);
        AddRecurrentGradient(d, recurrent, recurrentGradient, s, dz, zStride, 2 * u, dhPrev, batch);
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

        // Per sample b and time index t, row t * batch + b (Row): gate pre-activations and values, LSTM act(c), GRU
        // reset_after's recurrent projection, GRU reset_before's r * hPrev, and the gradient of x·W + b. States per sample b
        // and processing step s: row s * batch + b (StateIndex), s = 0 the zeros. Masked inputs: as the input, b * T + t.
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
        public float[] InputProjectionGradient = Array.Empty<float>();
        // Per sample b and processing step s: gradient reaching the state from the layer's output.
        public float[] StepGradient = Array.Empty<float>();
    }
}
