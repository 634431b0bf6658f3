using System;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>
/// Baseline (a): the seed notebook's numpy loop ported to C# by hand.
/// The notebook computes <c>np.tanh(np.dot(Wx, input_t) + np.dot(Wh, hidden_state_t) + b)</c> with <c>Wx</c> of shape
/// (hidden, input); the port keeps that orientation (one row of weights per output unit, so the inner loop reads
/// memory in order), takes every size from the arrays at run time, and writes plain scalar loops in float.
/// The Keras weights (kernel [input, gates*units], recurrent_kernel [units, gates*units]) are transposed once, at
/// construction, into that orientation.
/// </summary>
public static class NaiveCells
{
    /// <summary>Keras LSTM (gate blocks i, f, c, o; sigmoid recurrent activation, tanh activation).</summary>
    public static RecurrentCell Lstm(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias) =>
        new NaiveLstm(inputDim, units, kernel, recurrentKernel, bias);

    /// <summary>Keras GRU with reset_after=True (the Keras 3 default): gate blocks z, r, h; bias [2, 3*units].</summary>
    public static RecurrentCell Gru(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias) =>
        new NaiveGru(inputDim, units, kernel, recurrentKernel, bias);

    /// <summary>Keras SimpleRNN with tanh.</summary>
    public static RecurrentCell SimpleRnn(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias) =>
        new NaiveSimpleRnn(inputDim, units, kernel, recurrentKernel, bias);

    /// <summary>Keras Dense with a linear activation.</summary>
    public static DenseHead Dense(int inputDim, int units, float[] kernel, float[] bias) =>
        new NaiveDense(inputDim, units, kernel, bias);

    /// <summary>Keras [rows, columns] row-major to the notebook's [columns, rows] row-major.</summary>
    internal static float[] Transpose(float[] matrix, int rows, int columns)
    {
        if (matrix.Length != rows * columns)
        {
            throw new ArgumentException($"Expected {rows}x{columns} = {rows * columns} floats, got {matrix.Length}.");
        }

        var transposed = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[c * rows + r] = matrix[r * columns + c];
            }
        }

        return transposed;
    }

    internal static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>z[j] = b[j] + Wx[j]·x + Wh[j]·h for every row j: the two np.dot calls and the bias of the notebook.</summary>
    private static void Affine(float[] wx, float[] wh, float[] bias, int biasOffset, ReadOnlySpan<float> x, float[] h, float[] z, bool includeInput, bool includeRecurrent)
    {
        int inputDim = x.Length;
        int units = h.Length;
        for (int j = 0; j < z.Length; j++)
        {
            float sum = bias[biasOffset + j];
            if (includeInput)
            {
                for (int k = 0; k < inputDim; k++)
                {
                    sum += wx[j * inputDim + k] * x[k];
                }
            }

            if (includeRecurrent)
            {
                for (int k = 0; k < units; k++)
                {
                    sum += wh[j * units + k] * h[k];
                }
            }

            z[j] = sum;
        }
    }

    private sealed class NaiveLstm : RecurrentCell
    {
        private readonly float[] _wx;
        private readonly float[] _wh;
        private readonly float[] _bias;
        private readonly float[] _h;
        private readonly float[] _c;
        private readonly float[] _z;

        public NaiveLstm(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias)
            : base(inputDim, units)
        {
            _wx = Transpose(kernel, inputDim, 4 * units);
            _wh = Transpose(recurrentKernel, units, 4 * units);
            _bias = (float[])bias.Clone();
            _h = new float[units];
            _c = new float[units];
            _z = new float[4 * units];
        }

        public override float[][] States() => new[] { Hidden.ToArray(), (float[])_c.Clone() };

        public override ReadOnlySpan<float> Hidden => _h;

        public override void Reset()
        {
            Array.Clear(_h);
            Array.Clear(_c);
        }

        public override void Step(ReadOnlySpan<float> x)
        {
            int units = Units;
            Affine(_wx, _wh, _bias, 0, x, _h, _z, includeInput: true, includeRecurrent: true);
            for (int j = 0; j < units; j++)
            {
                float i = Sigmoid(_z[j]);
                float f = Sigmoid(_z[units + j]);
                float g = MathF.Tanh(_z[2 * units + j]);
                float o = Sigmoid(_z[3 * units + j]);
                _c[j] = f * _c[j] + i * g;
                _h[j] = o * MathF.Tanh(_c[j]);
            }
        }
    }

    private sealed class NaiveGru : RecurrentCell
    {
        private readonly float[] _wx;
        private readonly float[] _wh;
        private readonly float[] _bias;
        private readonly float[] _h;
        private readonly float[] _xz;
        private readonly float[] _hz;

        public NaiveGru(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias)
            : base(inputDim, units)
        {
            _wx = Transpose(kernel, inputDim, 3 * units);
            _wh = Transpose(recurrentKernel, units, 3 * units);
            _bias = (float[])bias.Clone();
            _h = new float[units];
            _xz = new float[3 * units];
            _hz = new float[3 * units];
        }

        public override float[][] States() => new[] { Hidden.ToArray() };

        public override ReadOnlySpan<float> Hidden => _h;

        public override void Reset() => Array.Clear(_h);

        public override void Step(ReadOnlySpan<float> x)
        {
            int units = Units;
            // reset_after=True keeps x·W + b_input and h·U + b_recurrent apart (Keras GRUCell.call).
            Affine(_wx, _wh, _bias, 0, x, _h, _xz, includeInput: true, includeRecurrent: false);
            Affine(_wx, _wh, _bias, 3 * units, x, _h, _hz, includeInput: false, includeRecurrent: true);
            for (int j = 0; j < units; j++)
            {
                float update = Sigmoid(_xz[j] + _hz[j]);
                float reset = Sigmoid(_xz[units + j] + _hz[units + j]);
                float candidate = MathF.Tanh(_xz[2 * units + j] + reset * _hz[2 * units + j]);
                _h[j] = update * _h[j] + (1f - update) * candidate;
            }
        }
    }

    private sealed class NaiveSimpleRnn : RecurrentCell
    {
        private readonly float[] _wx;
        private readonly float[] _wh;
        private readonly float[] _bias;
        private readonly float[] _h;
        private readonly float[] _z;

        public NaiveSimpleRnn(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias)
            : base(inputDim, units)
        {
            _wx = Transpose(kernel, inputDim, units);
            _wh = Transpose(recurrentKernel, units, units);
            _bias = (float[])bias.Clone();
            _h = new float[units];
            _z = new float[units];
        }

        public override float[][] States() => new[] { Hidden.ToArray() };

        public override ReadOnlySpan<float> Hidden => _h;

        public override void Reset() => Array.Clear(_h);

        public override void Step(ReadOnlySpan<float> x)
        {
            Affine(_wx, _wh, _bias, 0, x, _h, _z, includeInput: true, includeRecurrent: true);
            for (int j = 0; j < _h.Length; j++)
            {
                _h[j] = MathF.Tanh(_z[j]);
            }
        }
    }

    private sealed class NaiveDense : DenseHead
    {
        private readonly float[] _w;
        private readonly float[] _bias;

        public NaiveDense(int inputDim, int units, float[] kernel, float[] bias)
            : base(inputDim, units)
        {
            _w = Transpose(kernel, inputDim, units);
            _bias = (float[])bias.Clone();
        }

        public override void Apply(ReadOnlySpan<float> x, Span<float> y)
        {
            int inputDim = InputDim;
            for (int j = 0; j < Units; j++)
            {
                float sum = _bias[j];
                for (int k = 0; k < inputDim; k++)
                {
                    sum += _w[j * inputDim + k] * x[k];
                }

                y[j] = sum;
            }
        }
    }
}
