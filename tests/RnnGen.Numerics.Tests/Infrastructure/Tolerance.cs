using System;
using System.Globalization;
using Xunit.Sdk;

namespace RnnGen.Numerics.Tests.Infrastructure;

/// <summary>
/// Element-wise comparison with the tolerance the references support. Keras computes in float32, in its own summation
/// order; the fixtures were rounded (keras-js to 6 decimals) or printed to float32 precision. An absolute 1e-5 covers
/// values of order 1 (tanh/sigmoid outputs, most states); values that grow (cell states, relu or linear activations over
/// many steps) carry the same relative rounding, so the bound scales with |expected| beyond 1: |a - e| &lt;= 1e-5 * max(1, |e|).
/// </summary>
public static class Tolerance
{
    public const double Default = 1e-5;

    public static double MaxScaledError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]) / Math.Max(1.0, Math.Abs((double)expected[i]));
            worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error);
        }

        return worst;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = Default)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            double bound = tolerance * Math.Max(1.0, Math.Abs((double)expected[i]));
            if (!(error <= bound))
            {
                throw new XunitException(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: element {1} is {2:R}, expected {3:R} (|diff| {4:G3} > {5:G3}).",
                    what, i, actual[i], expected[i], error, bound));
            }
        }
    }
}
