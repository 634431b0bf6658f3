using System;

namespace RnnGen.Reference;

/// <summary>
/// One timestep of each recurrent cell, as straight loops over Keras-layout weights (kernel <c>[in, g*u]</c>,
/// recurrent kernel <c>[u, g*u]</c>, bias <c>[g*u]</c> or <c>[2, 3u]</c>). Each follows the <c>call</c> method of the
/// Keras 3 cell it names, with no attempt at speed: it is the yardstick the generated code is checked against.
/// </summary>
internal static class ReferenceCells
{
    /// <summary>Keras <c>SimpleRNNCell.call</c>: <c>h = act(x·W + b + h_prev·U)</c>.</summary>
    public static void SimpleRnn(ReadOnlySpan<float> x, Span<float> h, float[] kernel, float[] recurrent, float[]? bias, Func<float, float> act)
    {
        int units = h.Length, inputs = x.Length;
        var next = new float[units];
        for (int j = 0; j < units; j++)
        {
            float sum = 0;
            for (int k = 0; k < inputs; k++)
            {
                sum += x[k] * kernel[k * units + j];
            }

            if (bias is not null)
            {
                sum += bias[j];
            }

            for (int k = 0; k < units; k++)
            {
                sum += h[k] * recurrent[k * units + j];
            }

            next[j] = act(sum);
        }

        next.CopyTo(h);
    }

    /// <summary>
    /// Keras <c>LSTMCell.call</c> (implementation 2): <c>z = x·W + h_prev·U + b</c> split into i, f, c, o;
    /// <c>c = f*c_prev + i*act(z_c)</c>; <c>h = o*act(c)</c>.
    /// </summary>
    public static void Lstm(ReadOnlySpan<float> x, Span<float> h, Span<float> c, float[] kernel, float[] recurrent, float[]? bias, Func<float, float> act, Func<float, float> recurrentAct)
    {
        int units = h.Length, inputs = x.Length, width = 4 * units;
        var z = new float[width];
        for (int j = 0; j < width; j++)
        {
            float sum = 0;
            for (int k = 0; k < inputs; k++)
            {
                sum += x[k] * kernel[k * width + j];
            }

            for (int k = 0; k < units; k++)
            {
                sum += h[k] * recurrent[k * width + j];
            }

            z[j] = bias is null ? sum : sum + bias[j];
        }

        for (int j = 0; j < units; j++)
        {
            float i = recurrentAct(z[j]);
            float f = recurrentAct(z[units + j]);
            float g = act(z[2 * units + j]);
            float o = recurrentAct(z[3 * units + j]);
            c[j] = f * c[j] + i * g;
            h[j] = o * act(c[j]);
        }
    }

    /// <summary>
    /// Keras <c>GRUCell.call</c>. With <paramref name="resetAfter"/>: input and recurrent projections each with their
    /// own bias row, <c>hh = act(x_h + r*(h·U_h + b1_h))</c>. Without: one bias,
    /// <c>hh = act(x_h + (r*h)·U_h)</c>. Then <c>h = z*h_prev + (1-z)*hh</c>.
    /// </summary>
    public static void Gru(ReadOnlySpan<float> x, Span<float> h, float[] kernel, float[] recurrent, float[]? bias, bool resetAfter, Func<float, float> act, Func<float, float> recurrentAct)
    {
        int units = h.Length, inputs = x.Length, width = 3 * units;
        var xProjection = new float[width];
        for (int j = 0; j < width; j++)
        {
            float sum = 0;
            for (int k = 0; k < inputs; k++)
            {
                sum += x[k] * kernel[k * width + j];
            }

            xProjection[j] = bias is null ? sum : sum + bias[j]; // row 0 (input bias) when reset_after
        }

        var next = new float[units];
        if (resetAfter)
        {
            var hProjection = new float[width];
            for (int j = 0; j < width; j++)
            {
                float sum = 0;
                for (int k = 0; k < units; k++)
                {
                    sum += h[k] * recurrent[k * width + j];
                }

                hProjection[j] = bias is null ? sum : sum + bias[width + j]; // row 1 (recurrent bias)
            }

            for (int j = 0; j < units; j++)
            {
                float z = recurrentAct(xProjection[j] + hProjection[j]);
                float r = recurrentAct(xProjection[units + j] + hProjection[units + j]);
                float hh = act(xProjection[2 * units + j] + r * hProjection[2 * units + j]);
                next[j] = z * h[j] + (1 - z) * hh;
            }
        }
        else
        {
            var zGate = new float[units];
            var rGate = new float[units];
            for (int j = 0; j < units; j++)
            {
                float sz = 0, sr = 0;
                for (int k = 0; k < units; k++)
                {
                    sz += h[k] * recurrent[k * width + j];
                    sr += h[k] * recurrent[k * width + units + j];
                }

                zGate[j] = recurrentAct(xProjection[j] + sz);
                rGate[j] = recurrentAct(xProjection[units + j] + sr);
            }

            for (int j = 0; j < units; j++)
            {
                float sh = 0;
                for (int k = 0; k < units; k++)
                {
                    sh += rGate[k] * h[k] * recurrent[k * width + 2 * units + j];
                }

                float hh = act(xProjection[2 * units + j] + sh);
                next[j] = zGate[j] * h[j] + (1 - zGate[j]) * hh;
            }
        }

        next.CopyTo(h);
    }

    /// <summary>Keras <c>Dense.call</c>: <c>y = act(x·W + b)</c>; softmax couples the outputs.</summary>
    public static void Dense(ReadOnlySpan<float> x, Span<float> y, float[] kernel, float[]? bias, string activation)
    {
        int units = y.Length, inputs = x.Length;
        for (int j = 0; j < units; j++)
        {
            float sum = 0;
            for (int k = 0; k < inputs; k++)
            {
                sum += x[k] * kernel[k * units + j];
            }

            y[j] = bias is null ? sum : sum + bias[j];
        }

        if (Shared.ActivationCatalog.Canonical(activation) == "softmax")
        {
            Activations.Softmax(y);
        }
        else
        {
            Func<float, float> act = Activations.Get(activation);
            for (int j = 0; j < units; j++)
            {
                y[j] = act(y[j]);
            }
        }
    }
}
