using System;
using Tensor = System.Numerics.Tensors.TensorPrimitives;

namespace RnnGen.Benchmarks.Baselines;

/// <summary>How <see cref="TensorPrimitivesCells"/> computes z += M·v.</summary>
public enum MatVecLayout
{
    /// <summary>Weights pre-transposed to one row per output (kernel and recurrent kernel side by side): z[j] += Dot(row j, v).</summary>
    DotRows,

    /// <summary>Weights in Keras layout, one row per input feature: z += v[k] * row k (MultiplyAdd, an axpy per row).</summary>
    AxpyRows,
}

/// <summary>
/// Baseline (b): what a careful .NET developer writes today without a generator: sizes known at run time, every
/// vector operation delegated to <see cref="System.Numerics.Tensors.TensorPrimitives"/> (SIMD on Vector128/256/512,
/// vectorised Sigmoid and Tanh over whole gate blocks), the input and hidden state kept in one buffer [x | h] so that
/// each matrix-vector product is a single pass over [kernel; recurrent_kernel]. <see cref="MatVecLayout"/> picks between
/// the two shapes of that product a developer would try; the benchmarks use the faster one (see docs/performance.md).
/// </summary>
public static class TensorPrimitivesCells
{
    /// <summary>Keras LSTM (gate blocks i, f, c, o).</summary>
    public static RecurrentCell Lstm(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout) =>
        new TensorLstm(inputDim, units, kernel, recurrentKernel, bias, layout);

    /// <summary>Keras GRU with reset_after=True: gate blocks z, r, h; bias [2, 3*units].</summary>
    public static RecurrentCell Gru(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout) =>
        new TensorGru(inputDim, units, kernel, recurrentKernel, bias, layout);

    /// <summary>Keras SimpleRNN with tanh.</summary>
    public static RecurrentCell SimpleRnn(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout) =>
        new TensorSimpleRnn(inputDim, units, kernel, recurrentKernel, bias, layout);

    /// <summary>Keras Dense with a linear activation.</summary>
    public static DenseHead Dense(int inputDim, int units, float[] kernel, float[] bias, MatVecLayout layout) =>
        new TensorDense(inputDim, units, kernel, bias, layout);

    /// <summary>A matrix [rows, columns] (Keras layout, rows = inputs) stored for z += Mᵀ·v in the chosen layout.</summary>
    private sealed class Matrix
    {
        private readonly float[] _values;
        private readonly int _inputs;
        private readonly int _outputs;
        private readonly MatVecLayout _layout;

        /// <summary>Stacks the Keras matrices (each [inputs_i, outputs]) along the input axis, as [x | h] is stacked.</summary>
        public Matrix(MatVecLayout layout, int outputs, params (float[] Values, int Inputs)[] blocks)
        {
            _layout = layout;
            _outputs = outputs;
            foreach ((float[] values, int inputs) in blocks)
            {
                if (values.Length != inputs * outputs)
                {
                    throw new ArgumentException($"Expected {inputs}x{outputs} floats, got {values.Length}.");
                }

                _inputs += inputs;
            }

            _values = new float[_inputs * outputs];
            int row = 0;
            foreach ((float[] values, int inputs) in blocks)
            {
                for (int r = 0; r < inputs; r++, row++)
                {
                    for (int c = 0; c < outputs; c++)
                    {
                        int index = layout == MatVecLayout.AxpyRows ? row * outputs + c : c * _inputs + row;
                        _values[index] = values[r * outputs + c];
                    }
                }
            }
        }

        /// <summary>z += Mᵀ·v, v of length inputs, z of length outputs.</summary>
        public void MultiplyAccumulate(ReadOnlySpan<float> v, Span<float> z)
        {
            ReadOnlySpan<float> values = _values;
            if (_layout == MatVecLayout.AxpyRows)
            {
                for (int k = 0; k < _inputs; k++)
                {
                    Tensor.MultiplyAdd(values.Slice(k * _outputs, _outputs), v[k], z, z);
                }
            }
            else
            {
                for (int j = 0; j < _outputs; j++)
                {
                    z[j] += Tensor.Dot(values.Slice(j * _inputs, _inputs), v);
                }
            }
        }
    }

    private sealed class TensorLstm : RecurrentCell
    {
        private readonly Matrix _weights;
        private readonly float[] _bias;
        private readonly float[] _xh;
        private readonly float[] _c;
        private readonly float[] _z;
        private readonly float[] _tanhC;

        public TensorLstm(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout)
            : base(inputDim, units)
        {
            _weights = new Matrix(layout, 4 * units, (kernel, inputDim), (recurrentKernel, units));
            _bias = (float[])bias.Clone();
            _xh = new float[inputDim + units];
            _c = new float[units];
            _z = new float[4 * units];
            _tanhC = new float[units];
        }

        public override float[][] States() => new[] { Hidden.ToArray(), (float[])_c.Clone() };

        public override ReadOnlySpan<float> Hidden => _xh.AsSpan(InputDim, Units);

        public override void Reset()
        {
            Array.Clear(_xh);
            Array.Clear(_c);
        }

        public override void Step(ReadOnlySpan<float> x)
        {
            int units = Units;
            x.CopyTo(_xh);
            Span<float> z = _z;
            _bias.CopyTo(z);
            _weights.MultiplyAccumulate(_xh, z);

            Span<float> i = z.Slice(0, units), f = z.Slice(units, units), g = z.Slice(2 * units, units), o = z.Slice(3 * units, units);
            Tensor.Sigmoid(z.Slice(0, 2 * units), z.Slice(0, 2 * units)); // i and f are adjacent blocks
            Tensor.Tanh(g, g);
            Tensor.Sigmoid(o, o);
            Tensor.Multiply(f, _c, _c);                   // c = f*c
            Tensor.MultiplyAdd(i, g, _c, _c);             //   + i*g
            Tensor.Tanh(_c, _tanhC);
            Tensor.Multiply(o, _tanhC, _xh.AsSpan(InputDim, units)); // h = o*tanh(c)
        }
    }

    private sealed class TensorGru : RecurrentCell
    {
        private readonly Matrix _kernel;
        private readonly Matrix _recurrentKernel;
        private readonly float[] _bias;
        private readonly float[] _h;
        private readonly float[] _xz;
        private readonly float[] _hz;
        private readonly float[] _difference;

        public TensorGru(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout)
            : base(inputDim, units)
        {
            // reset_after=True needs x·W and h·U apart (r multiplies only h·U + b_recurrent), so two products.
            _kernel = new Matrix(layout, 3 * units, (kernel, inputDim));
            _recurrentKernel = new Matrix(layout, 3 * units, (recurrentKernel, units));
            _bias = (float[])bias.Clone();
            _h = new float[units];
            _xz = new float[3 * units];
            _hz = new float[3 * units];
            _difference = new float[units];
        }

        public override float[][] States() => new[] { Hidden.ToArray() };

        public override ReadOnlySpan<float> Hidden => _h;

        public override void Reset() => Array.Clear(_h);

        public override void Step(ReadOnlySpan<float> x)
        {
            int units = Units;
            Span<float> xz = _xz, hz = _hz, h = _h;
            _bias.AsSpan(0, 3 * units).CopyTo(xz);
            _bias.AsSpan(3 * units, 3 * units).CopyTo(hz);
            _kernel.MultiplyAccumulate(x, xz);
            _recurrentKernel.MultiplyAccumulate(h, hz);

            Span<float> gates = xz.Slice(0, 2 * units);      // [update | reset]
            Tensor.Add(gates, hz.Slice(0, 2 * units), gates);
            Tensor.Sigmoid(gates, gates);
            Span<float> update = xz.Slice(0, units), reset = xz.Slice(units, units), candidate = xz.Slice(2 * units, units);
            Tensor.MultiplyAdd(reset, hz.Slice(2 * units, units), candidate, candidate); // x_h + r*(h·U_h + b_h)
            Tensor.Tanh(candidate, candidate);
            Tensor.Subtract(h, candidate, _difference);       // h = z*h + (1-z)*hh = hh + z*(h - hh)
            Tensor.MultiplyAdd(update, _difference, candidate, h);
        }
    }

    private sealed class TensorSimpleRnn : RecurrentCell
    {
        private readonly Matrix _weights;
        private readonly float[] _bias;
        private readonly float[] _xh;
        private readonly float[] _z;

        public TensorSimpleRnn(int inputDim, int units, float[] kernel, float[] recurrentKernel, float[] bias, MatVecLayout layout)
            : base(inputDim, units)
        {
            _weights = new Matrix(layout, units, (kernel, inputDim), (recurrentKernel, units));
            _bias = (float[])bias.Clone();
            _xh = new float[inputDim + units];
            _z = new float[units];
        }

        public override float[][] States() => new[] { Hidden.ToArray() };

        public override ReadOnlySpan<float> Hidden => _xh.AsSpan(InputDim, Units);

        public override void Reset() => Array.Clear(_xh);

        public override void Step(ReadOnlySpan<float> x)
        {
            x.CopyTo(_xh);
            _bias.CopyTo(_z.AsSpan());
            _weights.MultiplyAccumulate(_xh, _z);
            Tensor.Tanh(_z, _xh.AsSpan(InputDim, Units));
        }
    }

    private sealed class TensorDense : DenseHead
    {
        private readonly Matrix _weights;
        private readonly float[] _bias;

        public TensorDense(int inputDim, int units, float[] kernel, float[] bias, MatVecLayout layout)
            : base(inputDim, units)
        {
            _weights = new Matrix(layout, units, (kernel, inputDim));
            _bias = (float[])bias.Clone();
        }

        public override void Apply(ReadOnlySpan<float> x, Span<float> y)
        {
            Span<float> output = y.Slice(0, Units);
            _bias.CopyTo(output);
            _weights.MultiplyAccumulate(x, output);
        }
    }
}
