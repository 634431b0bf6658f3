using System;
using System.Globalization;

namespace RnnGen;

// The checks of the masked Forward and Predict overloads (docs/masking.md), written once for every generated model.
// Each runs before the model touches its outputs or stored states, so a bad call changes nothing.
public static partial class GeneratedModelSupport
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="mask"/> has one value per timestep of each of
    /// <paramref name="sequences"/> sequences.
    /// </summary>
    public static void ValidateMask(ReadOnlySpan<bool> mask, int sequences, ModelInfo info, string parameterName = "mask")
    {
        ArgumentNullException.ThrowIfNull(info);
        int expected = sequences * info.Timesteps;
        if (mask.Length != expected)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} expects a mask of {1} x {2} values (one per timestep of each sequence), but the mask has {3}.",
                    info.Name, sequences, info.Timesteps, mask.Length),
                parameterName);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="lengths"/> has one length per sequence, each from 0
    /// to the model's <see cref="ModelInfo.Timesteps"/>.
    /// </summary>
    public static void ValidateLengths(ReadOnlySpan<int> lengths, int sequences, ModelInfo info, string parameterName = "lengths")
    {
        ArgumentNullException.ThrowIfNull(info);
        if (lengths.Length != sequences)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} expects one length per sequence ({1}), but has {2} lengths.",
                    info.Name, sequences, lengths.Length),
                parameterName);
        }

        for (int i = 0; i < lengths.Length; i++)
        {
            RequireLength(lengths[i], info, parameterName, i);
        }
    }

    /// <summary>
    /// The mask of a sequence whose first <paramref name="length"/> timesteps are valid and the rest padding (the
    /// mask Keras's <c>Masking</c> computes for a sequence padded at its end), written to <paramref name="mask"/>, which
    /// has <see cref="ModelInfo.Timesteps"/> values; an <see cref="ArgumentOutOfRangeException"/> for a length outside
    /// 0 to Timesteps.
    /// </summary>
    public static void FillLengthMask(Span<bool> mask, int length, ModelInfo info, string parameterName = "length")
    {
        ArgumentNullException.ThrowIfNull(info);
        RequireLength(length, info, parameterName, -1);
        mask.Slice(0, length).Fill(true);
        mask.Slice(length).Fill(false);
    }

    private static void RequireLength(int length, ModelInfo info, string parameterName, int index)
    {
        if (length < 0 || length > info.Timesteps)
        {
            string which = index < 0 ? "The length" : string.Format(CultureInfo.InvariantCulture, "Length {0}", index);
            throw new ArgumentOutOfRangeException(
                parameterName,
                length,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} of a sequence for {1} must be from 0 to Timesteps ({2}), but is {3}.",
                    which, info.Name, info.Timesteps, length));
        }
    }
}
