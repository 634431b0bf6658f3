using System;

namespace RnnGen;

/// <summary>
/// The mask Keras's <c>Masking(mask_value)</c> layer computes, for the masked <c>Forward</c> and <c>Predict</c>
/// overloads (docs/masking.md), for a model declared without <see cref="MaskingAttribute"/> that is given padded data
/// and its mask separately. A model declared with <c>[Masking]</c> computes the same mask itself, with <see cref="IsKept"/>.
/// </summary>
/// <remarks>
/// Keras (<c>keras/src/layers/core/masking.py</c>): <c>compute_mask</c> is
/// <c>ops.any(ops.not_equal(inputs, mask_value), axis=-1)</c>, so a timestep is kept when any of its features differs
/// from the mask value (a NaN feature differs from every value; a NaN mask value keeps every timestep). The layer's
/// output zeroes the masked timesteps, which the recurrent layer after it skips anyway.
/// </remarks>
public static class KerasMask
{
    /// <summary>
    /// The mask of <paramref name="input"/>, one value per timestep of every sequence (<c>input.Length / inputDim</c>
    /// values): <see langword="true"/> where a feature differs from <paramref name="maskValue"/>. Allocates the mask.
    /// </summary>
    /// <param name="input">Sequences, batch first, <paramref name="inputDim"/> features per timestep (as <c>Predict</c> takes them).</param>
    /// <param name="inputDim">Features per timestep.</param>
    /// <param name="maskValue">Keras <c>mask_value</c>; 0 by default, as Keras's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputDim"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The input is not a whole number of timesteps.</exception>
    public static bool[] Compute(ReadOnlySpan<float> input, int inputDim, float maskValue = 0f)
    {
        var mask = new bool[Timesteps(input, inputDim)];
        Compute(input, inputDim, mask, maskValue);
        return mask;
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{float}, int, float)"/> into <paramref name="mask"/>, which must hold one value per
    /// timestep. Allocates nothing; on an exception <paramref name="mask"/> is unchanged.
    /// </summary>
    /// <param name="input">Sequences, batch first, <paramref name="inputDim"/> features per timestep.</param>
    /// <param name="inputDim">Features per timestep.</param>
    /// <param name="mask">Receives the mask.</param>
    /// <param name="maskValue">Keras <c>mask_value</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputDim"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The input is not a whole number of timesteps, or the mask's length is not that number.</exception>
    public static void Compute(ReadOnlySpan<float> input, int inputDim, Span<bool> mask, float maskValue = 0f)
    {
        int timesteps = Timesteps(input, inputDim);
        if (mask.Length != timesteps)
        {
            throw new ArgumentException($"The mask needs one value per timestep: {timesteps} for {input.Length} floats of {inputDim} features, but has {mask.Length}.", nameof(mask));
        }

        for (int t = 0; t < timesteps; t++)
        {
            mask[t] = IsKept(input.Slice(t * inputDim, inputDim), maskValue);
        }
    }

    /// <summary>
    /// Whether Keras's Masking keeps a timestep with these <paramref name="features"/>: whether any differs from
    /// <paramref name="maskValue"/> (<c>ops.any(ops.not_equal(inputs, mask_value), axis=-1)</c>). The one place the
    /// rule is written: <see cref="Compute(ReadOnlySpan{float}, int, Span{bool}, float)"/> and the generated code of a
    /// model with <c>[Masking]</c> call it.
    /// </summary>
    /// <param name="features">One timestep's features.</param>
    /// <param name="maskValue">Keras <c>mask_value</c>.</param>
    /// <returns><see langword="true"/> when the timestep is kept (not masked).</returns>
    public static bool IsKept(ReadOnlySpan<float> features, float maskValue)
    {
        for (int f = 0; f < features.Length; f++)
        {
            if (features[f] != maskValue) // not_equal: true for NaN on either side
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether Keras's Masking keeps every timestep of <paramref name="input"/> (<see cref="IsKept"/> of each group of
    /// <paramref name="inputDim"/> features). A model with <c>[Masking]</c> runs a chunk of its batch whose timesteps
    /// are all kept through the batch kernels, which compute what an all-true mask gives.
    /// </summary>
    /// <param name="input">Whole timesteps, <paramref name="inputDim"/> features each.</param>
    /// <param name="inputDim">Features per timestep (positive).</param>
    /// <param name="maskValue">Keras <c>mask_value</c>.</param>
    /// <returns><see langword="true"/> when no timestep is masked.</returns>
    public static bool AllKept(ReadOnlySpan<float> input, int inputDim, float maskValue)
    {
        for (int t = 0; t + inputDim <= input.Length; t += inputDim)
        {
            if (!IsKept(input.Slice(t, inputDim), maskValue))
            {
                return false;
            }
        }

        return true;
    }

    private static int Timesteps(ReadOnlySpan<float> input, int inputDim)
    {
        if (inputDim <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "The number of features per timestep must be positive.");
        }

        if (input.Length % inputDim != 0)
        {
            throw new ArgumentException($"{input.Length} floats are not a whole number of timesteps of {inputDim} features.", nameof(input));
        }

        return input.Length / inputDim;
    }
}
