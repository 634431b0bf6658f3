using System;
using System.ComponentModel;
using System.Globalization;

namespace RnnGen.Kernels;

/// <summary>
/// The Keras <c>Embedding</c> layer as generated models run it (docs/embedding.md): a token selects one row of the
/// <c>embeddings</c> table. Not for direct use: generated code calls these with its sizes as constants.
/// </summary>
/// <remarks>
/// Keras (<c>keras/src/layers/core/embedding.py</c>, <c>call</c>) casts a float input to <c>int32</c>, which truncates
/// toward zero, then takes row <c>token</c> of <c>embeddings</c> (<c>ops.take(self.embeddings, inputs, axis=0)</c>).
/// A generated model carries its tokens through the float input path, so <see cref="Token"/> is that cast; a token
/// outside <c>[0, input_dim)</c> is an error here, where Keras's backends differ (TensorFlow raises on the CPU, JAX
/// clamps).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EmbeddingKernels
{
    /// <summary>
    /// The largest <c>input_dim</c> a generated model accepts: every token up to it is exact as a float (2^24), so the
    /// float input path carries tokens without rounding.
    /// </summary>
    public const int MaxInputDim = 1 << 24;

    /// <summary>
    /// Keras's token for an input value: the <c>int32</c> cast of <c>Embedding.call</c>, truncation toward zero; -1 for
    /// a value no <c>int32</c> holds (NaN, the infinities, beyond +-2^31), which no table has a row for.
    /// </summary>
    public static int Token(float value) =>
        value > -2147483648f && value < 2147483648f ? (int)value : -1; // NaN fails both comparisons

    /// <summary>
    /// Checks every token of a batch before the model runs, so a bad one changes nothing (no output, no stored
    /// state): <paramref name="tokens"/> holds <c>batch x timesteps</c> values, row-major.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside <c>[0, inputDim)</c>; the message names its value, sequence and timestep.</exception>
    public static void CheckTokens(ReadOnlySpan<float> tokens, int timesteps, int inputDim, string layer, string parameterName = "input")
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = Token(tokens[i]);
            if ((uint)token >= (uint)inputDim)
            {
                throw OutOfRange(tokens[i].ToString("R", CultureInfo.InvariantCulture), i / timesteps, i % timesteps, inputDim, layer, parameterName);
            }
        }
    }

    /// <inheritdoc cref="CheckTokens(ReadOnlySpan{float}, int, int, string, string)"/>
    public static void CheckTokens(ReadOnlySpan<int> tokens, int timesteps, int inputDim, string layer, string parameterName = "tokens")
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)inputDim)
            {
                throw OutOfRange(tokens[i].ToString(CultureInfo.InvariantCulture), i / timesteps, i % timesteps, inputDim, layer, parameterName);
            }
        }
    }

    /// <summary>The tokens as the floats the model's input path carries (exact: the parser keeps input_dim at most <see cref="MaxInputDim"/>).</summary>
    public static void ToFloats(ReadOnlySpan<int> tokens, Span<float> floats)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            floats[i] = tokens[i];
        }
    }

    /// <summary>
    /// One timestep: row <c>Token(token)</c> of <paramref name="embeddings"/> (<c>[inputDim, outputDim]</c>, Keras
    /// layout) into <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The token is outside <c>[0, inputDim)</c>.</exception>
    public static void Gather(float token, ReadOnlySpan<float> embeddings, Span<float> output, int inputDim, int outputDim, string layer)
    {
        int row = Token(token);
        if ((uint)row >= (uint)inputDim)
        {
            // Reached only by a call that skipped CheckTokens (a single Step): nothing has run yet for this step.
            throw new ArgumentOutOfRangeException("input", token,
                $"{layer}: the token {token.ToString("R", CultureInfo.InvariantCulture)} is outside the embedding's range [0, {inputDim.ToString(CultureInfo.InvariantCulture)}) (Keras input_dim).");
        }

        embeddings.Slice(row * outputDim, outputDim).CopyTo(output);
    }

    private static ArgumentOutOfRangeException OutOfRange(string token, int sequence, int timestep, int inputDim, string layer, string parameterName) =>
        new(parameterName,
            $"{layer}: the token {token} at sequence {sequence.ToString(CultureInfo.InvariantCulture)}, timestep {timestep.ToString(CultureInfo.InvariantCulture)} "
            + $"is outside the embedding's range [0, {inputDim.ToString(CultureInfo.InvariantCulture)}) (Keras input_dim); nothing was run.");
}
