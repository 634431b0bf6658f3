using System;
using RnnGen.Shared;

namespace RnnGen;

/// <summary>
/// Keras weight initializers by name (<c>keras/src/initializers/</c>): the same distributions, scales and fan
/// computations as Keras, drawn from RnnGen's own seeded generator (the values cannot equal Keras's, whose random
/// streams differ by backend; what matches is the distribution). Generated constructors call <see cref="Fill"/>.
/// </summary>
public static class Initializers
{
    // keras VarianceScaling: stddev of a normal truncated at two standard deviations is 0.87962566103423978 of the
    // untruncated one, so truncated draws are scaled up by its inverse.
    private const double TruncatedNormalCorrection = 0.87962566103423978;

    /// <summary>
    /// Fills <paramref name="destination"/>, a weight of shape <c>[rows, columns]</c> (or <c>[rows]</c> when
    /// <paramref name="columns"/> is 0), with the initializer <paramref name="initializer"/> (a Keras name such as
    /// <c>"glorot_uniform"</c> or <c>"constant(0.1)"</c>), drawing from a stream determined by <paramref name="seed"/>
    /// and <paramref name="stream"/>.
    /// </summary>
    /// <param name="destination">The weight, flattened row-major.</param>
    /// <param name="initializer">A Keras initializer name, with its arguments in parentheses where it takes any.</param>
    /// <param name="rows">The weight's rows: for a convolution kernel, its leading axes as one.</param>
    /// <param name="columns">Its columns, or 0 for a 1-D weight.</param>
    /// <param name="seed">The model's seed.</param>
    /// <param name="stream">Which of the seed's streams this weight draws from.</param>
    /// <param name="receptiveField">
    /// For a Conv1D kernel <c>[kernel_size, input, filters]</c> passed as <c>rows = kernel_size * input</c>: its
    /// <c>kernel_size</c>, by which Keras's <c>compute_fans</c> multiplies the output fan (the input fan already holds it).
    /// 1 for any other weight.
    /// </param>
    /// <exception cref="ArgumentException">The name or its arguments are not valid, or the destination length does not match the shape.</exception>
    public static void Fill(Span<float> destination, string initializer, int rows, int columns, int seed, int stream, int receptiveField = 1)
    {
        if (!InitializerSpec.TryParse(initializer, out InitializerSpec spec, out string error, out _))
        {
            throw new ArgumentException(error + ". Valid names: " + string.Join(", ", InitializerSpec.Names) + ".", nameof(initializer));
        }

        int expected = columns == 0 ? rows : checked(rows * columns);
        if (destination.Length != expected)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} floats but the shape [{rows}{(columns == 0 ? "" : ", " + columns)}] needs {expected}.",
                nameof(destination));
        }

        var random = new SeededRandom(SeededRandom.Derive(seed, stream));

        // keras/src/initializers/random_initializers.py compute_fans: 1-D -> fan_in = fan_out = shape[0];
        // 2-D -> (fan_in, fan_out) = shape; a convolution kernel -> shape[-2] and shape[-1], each times the receptive
        // field (the product of the leading axes).
        double fanIn = rows;
        double fanOut = columns == 0 ? rows : (double)columns * receptiveField;
        double[] args = spec.Arguments;
        switch (spec.Name)
        {
            case "zeros":
                destination.Clear();
                break;
            case "ones":
                destination.Fill(1f);
                break;
            case "constant":
                destination.Fill((float)args[0]);
                break;
            case "random_uniform":
                FillUniform(destination, ref random, args[0], args[1]);
                break;
            case "random_normal":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)(args[0] + args[1] * random.NextGaussian());
                }

                break;
            case "truncated_normal":
                FillTruncatedNormal(destination, ref random, args[0], args[1]);
                break;
            case "glorot_uniform":
                FillVarianceScalingUniform(destination, ref random, 1.0, (fanIn + fanOut) / 2);
                break;
            case "glorot_normal":
                FillTruncatedNormal(destination, ref random, 0, Math.Sqrt(1.0 / ((fanIn + fanOut) / 2)) / TruncatedNormalCorrection);
                break;
            case "he_uniform":
                FillVarianceScalingUniform(destination, ref random, 2.0, fanIn);
                break;
            case "he_normal":
                FillTruncatedNormal(destination, ref random, 0, Math.Sqrt(2.0 / fanIn) / TruncatedNormalCorrection);
                break;
            case "lecun_uniform":
                FillVarianceScalingUniform(destination, ref random, 1.0, fanIn);
                break;
            case "lecun_normal":
                FillTruncatedNormal(destination, ref random, 0, Math.Sqrt(1.0 / fanIn) / TruncatedNormalCorrection);
                break;
            case "orthogonal":
                RequireMatrix(spec.Name, columns);
                FillOrthogonal(destination, ref random, rows, columns, args[0]);
                break;
            case "identity":
                RequireMatrix(spec.Name, columns);
                destination.Clear();
                for (int i = 0; i < Math.Min(rows, columns); i++)
                {
                    destination[i * columns + i] = (float)args[0];
                }

                break;
            default:
                throw new ArgumentException($"Initializer '{spec.Name}' is not implemented.", nameof(initializer));
        }
    }

    private static void RequireMatrix(string name, int columns)
    {
        if (columns == 0)
        {
            throw new ArgumentException($"The '{name}' initializer needs a 2-D weight (Keras raises the same error for 1-D shapes).");
        }
    }

    private static void FillUniform(Span<float> destination, ref SeededRandom random, double low, double high)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(low + (high - low) * random.NextDouble());
        }
    }

    // keras VarianceScaling(distribution="uniform"): limit = sqrt(3 * scale / n).
    private static void FillVarianceScalingUniform(Span<float> destination, ref SeededRandom random, double scale, double n)
    {
        double limit = Math.Sqrt(3.0 * scale / Math.Max(1.0, n));
        FillUniform(destination, ref random, -limit, limit);
    }

    // keras TruncatedNormal: values more than two standard deviations from the mean are redrawn.
    private static void FillTruncatedNormal(Span<float> destination, ref SeededRandom random, double mean, double stddev)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            double z;
            do
            {
                z = random.NextGaussian();
            }
            while (Math.Abs(z) > 2.0);

            destination[i] = (float)(mean + stddev * z);
        }
    }

    /// <summary>
    /// keras Orthogonal (Saxe et al. 2014): QR of a normal matrix of shape (max(r, c), min(r, c)), Q scaled so that
    /// R has a positive diagonal, transposed when r &lt; c, times gain. Modified Gram-Schmidt (with one
    /// re-orthogonalisation pass) yields exactly that Q, since its R has a positive diagonal by construction.
    /// </summary>
    private static void FillOrthogonal(Span<float> destination, ref SeededRandom random, int rows, int columns, double gain)
    {
        int m = Math.Max(rows, columns), n = Math.Min(rows, columns);
        var q = new double[m * n]; // column-major: column j at [j*m, (j+1)*m)
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = random.NextGaussian();
        }

        for (int j = 0; j < n; j++)
        {
            Span<double> column = q.AsSpan(j * m, m);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    ReadOnlySpan<double> previous = q.AsSpan(k * m, m);
                    double dot = 0;
                    for (int i = 0; i < m; i++)
                    {
                        dot += previous[i] * column[i];
                    }

                    for (int i = 0; i < m; i++)
                    {
                        column[i] -= dot * previous[i];
                    }
                }
            }

            double norm = 0;
            for (int i = 0; i < m; i++)
            {
                norm += column[i] * column[i];
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < m; i++)
            {
                column[i] /= norm;
            }
        }

        // Q is m x n. If rows >= columns the weight is Q itself ([rows = m, columns = n]); else it is Q transposed.
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double value = rows >= columns ? q[c * m + r] : q[r * m + c];
                destination[r * columns + c] = (float)(gain * value);
            }
        }
    }
}
