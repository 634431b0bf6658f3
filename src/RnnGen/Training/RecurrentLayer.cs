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
/// A Keras mask (<see cref="TrainingLayer.TimestepMask"/>) is applied as <c>keras/src/backend/tensorflow/rnn.py</c>
/// applies it: at a masked step the states stay as they were (<c>where(mask, new_states, states)</c>), so the output
/// there is the previous one (zeros before the first kept step), and a <c>Bidirectional</c> sequence is zero there
/// (<c>zero_output_for_mask</c>); backwards, a masked step passes the state gradients through unchanged and its gates
/// get none. The batch still steps together: a masked sample's cell is computed and then overwritten.
/// Each step's element-wise arithmetic (gates, states, their gradients) runs in the layer's generated
/// <see cref="TrainingCell"/> when the model passed one, else through the span operations below: the same operations
/// in the same order, so the same bits.
/// The forward pass is in <c>RecurrentLayer.Forward.cs</c>, the backward pass in <c>RecurrentLayer.Backward.cs</c>;
/// this file holds the buffers, their layout and the products both passes share.
/// </summary>
internal sealed partial class RecurrentLayer : TrainingLayer
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
    private float[] _skippedH = Array.Empty<float>(); // [batch x units]: the state gradients that pass a Keras-masked step unchanged
    private float[] _skippedC = Array.Empty<float>(); // [batch x units]: LSTM, the same for the carry
    private int _batch; // the batch of the last Forward, which the caches' row layout depends on
    private bool _recurrentTransposed; // whether _transposedRecurrent holds this backward pass's Uᵀ
    private bool _inputMasked;
    private bool _stateMasked;
    // The layer's generated cell (the TrainingCell subclass of its kind), when the model has one for it and the machine runs its vectors; else null.
    private readonly TrainingCell? _cell;

    public RecurrentLayer(LayerInfo info, int timesteps, int parameterOffset, TrainingCell? cell = null)
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
        if (cell is not null && (cell.Kind != _kind || cell.LayerUnits != _units || (_kind == LayerKind.Gru && (cell is GruResetBeforeTrainingCell) == _resetAfter)))
        {
            static string Describe(LayerKind kind, int units, bool? resetAfter) =>
                $"{kind}{(resetAfter is bool after ? $" with reset_after={(after ? "True" : "False")}" : string.Empty)} of {units} units";
            throw new ArgumentException(
                $"The training cell given for layer '{info.Name}' computes a {Describe(cell.Kind, cell.LayerUnits, cell.Kind == LayerKind.Gru ? cell is GruTrainingCell : null)}, " +
                $"not this layer's {Describe(_kind, _units, _kind == LayerKind.Gru ? _resetAfter : null)}.",
                nameof(cell));
        }

        _cell = TrainingCell.IsHardwareAccelerated ? cell : null;

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
        _skippedH = new float[capacity * u];
        _skippedC = _kind == LayerKind.Lstm ? new float[capacity * u] : Array.Empty<float>();
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
    // The Keras mask (TimestepMask) has the same layout, one float per row.
    private int InputRow(int b, int t) => b * Timesteps + t;

    // Whether sample b's timestep t is masked by Keras's mask (Masking, Embedding(mask_zero)), which the cell skips.
    private bool Skips(int b, int t) => TimestepMask is float[] mask && mask[InputRow(b, t)] == 0f;

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
