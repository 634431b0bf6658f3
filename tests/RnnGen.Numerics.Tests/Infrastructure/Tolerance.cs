using System;
using System.Globalization;
using Xunit.Sdk;

namespace RnnGen.Numerics.Tests.Infrastructure;

/// <summary>
/// Element-wise comparison with the tolerance the references support. Keras computes in float32, in its own summation
/// order; the fixtures were rounded (keras-js to 6 decimals) or printed to float32 precision. An absolute 1e-5 covers
/// values of order 1 (tanh/sigmoid outputs, most states); values that grow (cell states, relu or linear activations over
/// many steps) carry the same relative rounding, so the bound scales with |expected| beyond 1: |a - e| &lt;= 1e-5 * max(1, |e|).
/// Some recurrences amplify rounding (a recurrent kernel with gain above 1 over many steps): there float32 itself cannot
/// promise 1e-5, whoever computes. For those the bound adds twice the case's measured float32 noise, the difference
/// between the Keras equations evaluated in float32 and in float64 (<see cref="RnnGen.Reference.ReferenceModel"/>),
/// element by element; the float64 evaluation is separately checked against the engine at 1e-5, so the equations
/// themselves are not excused.
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

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = Default) =>
        AssertClose(expected, actual, default, default, what, tolerance);

    /// <summary>
    /// As <see cref="AssertClose(ReadOnlySpan{float}, ReadOnlySpan{float}, string, double)"/>, plus twice the float32
    /// noise |single - dbl| of each element (empty spans: no noise allowance).
    /// </summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> single, ReadOnlySpan<float> dbl, string what, double tolerance = Default)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i]))
            {
                continue; // the engine computes NaN there (0 / 0), and so must the model
            }

            double error = Math.Abs((double)actual[i] - expected[i]);
            double noise = single.IsEmpty ? 0 : 2 * Math.Abs((double)single[i] - dbl[i]);
            double bound = tolerance * Math.Max(1.0, Math.Abs((double)expected[i])) + noise;
            if (!(error <= bound))
            {
                throw new XunitException(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: element {1} is {2:R}, expected {3:R} (|diff| {4:G3} > {5:G3}, of which float32 noise {6:G3}).",
                    what, i, actual[i], expected[i], error, bound, noise));
            }
        }
    }
}
