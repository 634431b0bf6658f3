using System;

namespace RnnGen.Reference;

/// <summary>
/// One timestep of each recurrent cell and of Dense, as straight loops over Keras-layout weights (kernel
/// <c>[in, g*u]</c>, recurrent kernel <c>[u, g*u]</c>, bias <c>[g*u]</c> or <c>[2, 3u]</c>). Each follows the
/// <c>call</c> method of the Keras 3 layer it names, with no attempt at speed: it is the yardstick the generated code
/// is checked against. Values are doubles; <see cref="Round"/> brings every result back to float32 in
/// <see cref="ReferencePrecision.Float32"/> mode.
/// </summary>
internal sealed class ReferenceCells
{
    private readonly bool _single;

    public ReferenceCells(ReferencePrecision precision) => _single = precision == ReferencePrecision.Float32;

    private double Round(double value) => _single ? (float)value : value;

    private double Dot(ReadOnlySpan<double> vector, double[] matrix, int columns, int column, double start)
    {
        double sum = start;
        for (int k = 0; k < vector.Length; k++)
        {
            sum = Round(sum + Round(vector[k] * matrix[k * columns + column]));
        }

        return sum;
    }

    /// <summary>Keras <c>SimpleRNNCell.call</c>: <c>h = act(x·W + b + h_prev·U)</c>.</summary>
    public void SimpleRnn(ReadOnlySpan<double> x, Span<double> h, double[] kernel, double[] recurrent, double[]? bias, Func<double, double> act)
    {
        int units = h.Length;
        var next = new double[units];
        for (int j = 0; j < units; j++)
        {
            double sum = Dot(x, kernel, units, j, 0);
            if (bias is not null)
            {
                sum = Round(sum + bias[j]);
            }

            next[j] = Round(act(Dot(h, recurrent, units, j, sum)));
        }

        next.CopyTo(h);
    }

    /// <summary>
    /// Keras <c>LSTMCell.call</c>: <c>z = x·W + h_prev·U + b</c> split into i, f, c, o;
    /// <c>c = f*c_prev + i*act(z_c)</c>; <c>h = o*act(c)</c>.
    /// </summary>
    public void Lstm(ReadOnlySpan<double> x, Span<double> h, Span<double> c, double[] kernel, double[] recurrent, double[]? bias, Func<double, double> act, Func<double, double> recurrentAct)
    {
        int units = h.Length, width = 4 * units;
        var z = new double[width];
        for (int j = 0; j < width; j++)
        {
            double sum = Dot(h, recurrent, width, j, Dot(x, kernel, width, j, 0));
            z[j] = bias is null ? sum : Round(sum + bias[j]);
        }

        for (int j = 0; j < units; j++)
        {
            double i = Round(recurrentAct(z[j]));
            double f = Round(recurrentAct(z[units + j]));
            double g = Round(act(z[2 * units + j]));
            double o = Round(recurrentAct(z[3 * units + j]));
            c[j] = Round(Round(f * c[j]) + Round(i * g));
            h[j] = Round(o * Round(act(c[j])));
        }
    }

    /// <summary>
    /// Keras <c>GRUCell.call</c>. With <paramref name="resetAfter"/>: input and recurrent projections each with their
    /// own bias row, <c>hh = act(x_h + r*(h·U_h + b1_h))</c>. Without: one bias, <c>hh = act(x_h + (r*h)·U_h)</c>.
    /// Then <c>h = z*h_prev + (1-z)*hh</c>.
    /// </summary>
    public void Gru(ReadOnlySpan<double> x, Span<double> h, double[] kernel, double[] recurrent, double[]? bias, bool resetAfter, Func<double, double> act, Func<double, double> recurrentAct)
    {
        int units = h.Length, width = 3 * units;
        var xProjection = new double[width];
        for (int j = 0; j < width; j++)
        {
            double sum = Dot(x, kernel, width, j, 0);
            xProjection[j] = bias is null ? sum : Round(sum + bias[j]); // row 0 (input bias) when reset_after
        }

        var next = new double[units];
        if (resetAfter)
        {
            var hProjection = new double[width];
            for (int j = 0; j < width; j++)
            {
                double sum = Dot(h, recurrent, width, j, 0);
                hProjection[j] = bias is null ? sum : Round(sum + bias[width + j]); // row 1 (recurrent bias)
            }

            for (int j = 0; j < units; j++)
            {
                double z = Round(recurrentAct(Round(xProjection[j] + hProjection[j])));
                double r = Round(recurrentAct(Round(xProjection[units + j] + hProjection[units + j])));
                double hh = Round(act(Round(xProjection[2 * units + j] + Round(r * hProjection[2 * units + j]))));
                next[j] = Round(Round(z * h[j]) + Round(Round(1 - z) * hh));
            }
        }
        else
        {
            var zGate = new double[units];
            var resetH = new double[units];
            for (int j = 0; j < units; j++)
            {
                zGate[j] = Round(recurrentAct(Round(xProjection[j] + Dot(h, recurrent, width, j, 0))));
                double r = Round(recurrentAct(Round(xProjection[units + j] + Dot(h, recurrent, width, units + j, 0))));
                resetH[j] = Round(r * h[j]);
            }

            for (int j = 0; j < units; j++)
            {
                double hh = Round(act(Round(xProjection[2 * units + j] + Dot(resetH, recurrent, width, 2 * units + j, 0))));
                next[j] = Round(Round(zGate[j] * h[j]) + Round(Round(1 - zGate[j]) * hh));
            }
        }

        next.CopyTo(h);
    }

    /// <summary>
    /// Keras <c>Conv1D.call</c> on one sequence of <paramref name="inputTimesteps"/> rows of <see cref="LayerInfo.InputWidth"/>:
    /// for each output timestep t and filter f, the bias plus the sum over the taps k and the group's input features c of
    /// <c>x[t * strides + k * dilation - pad, g * C + c] * kernel[k, c, f]</c>, padded timesteps being zeros; then the
    /// activation. Straight from the definition, one output at a time.
    /// </summary>
    public double[] Convolve1D(LayerInfo layer, double[] x, int inputTimesteps, double[] kernel, double[]? bias, ReferencePrecision precision)
    {
        int width = layer.InputWidth, filters = layer.OutputWidth, outputs = layer.OutputTimesteps;
        int groupInputs = width / layer.Groups, groupFilters = filters / layer.Groups;
        int pad = Shared.TimeWindows.PadBefore(inputTimesteps, layer.KernelSize, layer.Strides, layer.DilationRate, layer.Padding);
        var y = new double[outputs * filters];
        for (int t = 0; t < outputs; t++)
        {
            for (int f = 0; f < filters; f++)
            {
                int g = f / groupFilters;
                double sum = bias is null ? 0 : bias[f];
                for (int k = 0; k < layer.KernelSize; k++)
                {
                    int source = t * layer.Strides + k * layer.DilationRate - pad;
                    if (source < 0 || source >= inputTimesteps)
                    {
                        continue;
                    }

                    for (int c = 0; c < groupInputs; c++)
                    {
                        sum = Round(sum + Round(x[source * width + g * groupInputs + c] * kernel[(k * groupInputs + c) * filters + f]));
                    }
                }

                y[t * filters + f] = sum;
            }

            Activate(y.AsSpan(t * filters, filters), layer.Activation, precision);
        }

        return y;
    }

    /// <summary>
    /// Keras <c>MaxPooling1D.call</c> / <c>AveragePooling1D.call</c> on one sequence: each output timestep is the maximum
    /// or the mean of the input timesteps its window covers, padding left out.
    /// </summary>
    public double[] Pool1D(LayerInfo layer, double[] x, int inputTimesteps)
    {
        int width = layer.InputWidth, outputs = layer.OutputTimesteps;
        int pad = Shared.TimeWindows.PadBefore(inputTimesteps, layer.PoolSize, layer.Strides, 1, layer.Padding);
        var y = new double[outputs * width];
        for (int t = 0; t < outputs; t++)
        {
            int first = Math.Max(t * layer.Strides - pad, 0), end = Math.Min(t * layer.Strides - pad + layer.PoolSize, inputTimesteps);
            for (int j = 0; j < width; j++)
            {
                double pooled = x[first * width + j];
                for (int s = first + 1; s < end; s++)
                {
                    pooled = layer.Kind == LayerKind.MaxPooling1D ? Math.Max(pooled, x[s * width + j]) : Round(pooled + x[s * width + j]);
                }

                y[t * width + j] = layer.Kind == LayerKind.MaxPooling1D ? pooled : Round(pooled / (end - first));
            }
        }

        return y;
    }

    /// <summary>Keras <c>Dense.call</c>: <c>y = act(x·W + b)</c>; softmax couples the outputs.</summary>
    public void Dense(ReadOnlySpan<double> x, Span<double> y, double[] kernel, double[]? bias, string activation, ReferencePrecision precision)
    {
        int units = y.Length;
        for (int j = 0; j < units; j++)
        {
            double sum = Dot(x, kernel, units, j, 0);
            y[j] = bias is null ? sum : Round(sum + bias[j]);
        }

        Activate(y, activation, precision);
    }

    /// <summary>
    /// Keras <c>Activation.call</c> and <c>Rescaling.call</c> of one vector: the activation of every value, or
    /// <c>x * scale + offset</c>.
    /// </summary>
    public void Elementwise(LayerInfo layer, ReadOnlySpan<double> x, Span<double> y, ReferencePrecision precision)
    {
        if (layer.Kind == LayerKind.Rescaling)
        {
            for (int j = 0; j < x.Length; j++)
            {
                y[j] = Round(Round(x[j] * layer.RescalingScale) + layer.RescalingOffset);
            }

            return;
        }

        x.CopyTo(y);
        Activate(y, layer.Activation, precision);
    }

    // The activation of every value of y in place; softmax couples them (over the whole vector, Keras's last axis).
    private void Activate(Span<double> y, string activation, ReferencePrecision precision)
    {
        int units = y.Length;
        if (Shared.ActivationCatalog.Canonical(activation) == "softmax")
        {
            double max = double.NegativeInfinity;
            foreach (double v in y)
            {
                max = Math.Max(max, v);
            }

            double total = 0;
            for (int j = 0; j < units; j++)
            {
                y[j] = Round(Math.Exp(Round(y[j] - max)));
                total = Round(total + y[j]);
            }

            for (int j = 0; j < units; j++)
            {
                y[j] = Round(y[j] / total);
            }

            return;
        }

        Func<double, double> act = ReferenceActivations.Get(activation, precision);
        for (int j = 0; j < units; j++)
        {
            y[j] = Round(act(y[j]));
        }
    }

    /// <summary>
    /// LayerNormalization or BatchNormalization (inference) of one vector, straight from the Keras formulas: the mean
    /// and population variance of <paramref name="x"/> (LayerNormalization) or the moving statistics
    /// (BatchNormalization), then <c>(x - mean) / sqrt(variance + epsilon) * gamma + beta</c>, where gamma is present
    /// only with scale and beta only with center (<c>keras/src/layers/normalization/</c>).
    /// </summary>
    public void Normalize(LayerInfo layer, ReadOnlySpan<double> x, Span<double> y, double[][] weights)
    {
        if (layer.Kind == LayerKind.Normalization)
        {
            // Keras Normalization.call: (x - mean) / max(sqrt(variance), epsilon()), or mean + x * max(...) inverted.
            for (int i = 0; i < x.Length; i++)
            {
                double deviation = Math.Max(Round(Math.Sqrt(weights[1][i])), Shared.LayerOptions.BackendEpsilon);
                y[i] = layer.Invert ? Round(weights[0][i] + Round(x[i] * deviation)) : Round((x[i] - weights[0][i]) / deviation);
            }

            return;
        }

        int next = 0;
        double[]? gamma = layer.Scale ? weights[next++] : null;
        double[]? beta = layer.Center ? weights[next++] : null;
        double epsilon = (float)layer.Epsilon;
        int width = x.Length;
        double mean = 0, variance = 0;
        if (layer.Kind == LayerKind.LayerNormalization)
        {
            for (int i = 0; i < width; i++)
            {
                mean += x[i];
            }

            mean /= width;
            for (int i = 0; i < width; i++)
            {
                variance += (x[i] - mean) * (x[i] - mean);
            }

            variance /= width;
        }

        for (int i = 0; i < width; i++)
        {
            double m = layer.Kind == LayerKind.BatchNormalization ? weights[next][i] : mean;
            double v = layer.Kind == LayerKind.BatchNormalization ? weights[next + 1][i] : variance;
            double normalized = Round((x[i] - m) / Math.Sqrt(v + epsilon));
            y[i] = Round(Round(normalized * (gamma?[i] ?? 1.0)) + (beta?[i] ?? 0.0));
        }
    }
}
