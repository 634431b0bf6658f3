using System;

namespace RnnGen;

public static partial class GeneratedModelSupport
{
    // Longer value sequences take their score row from the heap; a graph's attention runs on sequences of a few
    // hundred timesteps at most, so this stays allocation-free in practice.
    private const int MaxStackScores = 1024;

    /// <summary>
    /// Keras <c>Attention</c> on one sample (<c>keras/src/layers/attention/attention.py</c>, inference): for each query
    /// row, scores against every key row (<c>"dot"</c>: <c>q · k</c>, times <paramref name="scale"/> when given;
    /// <c>"concat"</c>: <c>concatScoreWeight · Σ tanh(scale · (q + k))</c>), their softmax, and the weighted sum of the
    /// value rows into <paramref name="output"/> (<paramref name="queryTimesteps"/> x <paramref name="valueWidth"/>).
    /// </summary>
    /// <param name="query">The query rows, <paramref name="queryTimesteps"/> x <paramref name="keyWidth"/>.</param>
    /// <param name="value">The value rows, <paramref name="valueTimesteps"/> x <paramref name="valueWidth"/>.</param>
    /// <param name="key">The key rows, <paramref name="valueTimesteps"/> x <paramref name="keyWidth"/> (the value when no key is given).</param>
    /// <param name="queryTimesteps">Tq.</param>
    /// <param name="valueTimesteps">Tv.</param>
    /// <param name="keyWidth">The query's and key's features.</param>
    /// <param name="valueWidth">The value's features.</param>
    /// <param name="scale">Keras <c>scale</c> (one float) with <c>use_scale</c>, else empty.</param>
    /// <param name="concatScoreWeight">Keras <c>concat_score_weight</c> (one float) in concat mode, else empty.</param>
    /// <param name="output">The result, <paramref name="queryTimesteps"/> x <paramref name="valueWidth"/>.</param>
    public static void DotAttention(
        ReadOnlySpan<float> query, ReadOnlySpan<float> value, ReadOnlySpan<float> key, int queryTimesteps, int valueTimesteps, int keyWidth, int valueWidth,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> concatScoreWeight, Span<float> output)
    {
        Span<float> scores = valueTimesteps <= MaxStackScores ? stackalloc float[valueTimesteps] : new float[valueTimesteps];
        bool concat = !concatScoreWeight.IsEmpty;
        for (int i = 0; i < queryTimesteps; i++)
        {
            ReadOnlySpan<float> q = query.Slice(i * keyWidth, keyWidth);
            for (int j = 0; j < valueTimesteps; j++)
            {
                ReadOnlySpan<float> k = key.Slice(j * keyWidth, keyWidth);
                float score = 0f;
                if (concat)
                {
                    for (int d = 0; d < keyWidth; d++)
                    {
                        float sum = q[d] + k[d];
                        score += MathF.Tanh(scale.IsEmpty ? sum : scale[0] * sum);
                    }

                    score = concatScoreWeight[0] * score;
                }
                else
                {
                    for (int d = 0; d < keyWidth; d++)
                    {
                        score += q[d] * k[d];
                    }

                    if (!scale.IsEmpty)
                    {
                        score *= scale[0];
                    }
                }

                scores[j] = score;
            }

            WeighValues(scores, value, valueWidth, output.Slice(i * valueWidth, valueWidth));
        }
    }

    /// <summary>
    /// Keras <c>AdditiveAttention</c> on one sample (<c>keras/src/layers/attention/additive_attention.py</c>,
    /// inference): scores <c>Σ_d scale[d] · tanh(q[d] + k[d])</c> (<paramref name="scale"/> empty: 1), their softmax,
    /// and the weighted sum of the value rows into <paramref name="output"/>.
    /// </summary>
    public static void AdditiveAttention(
        ReadOnlySpan<float> query, ReadOnlySpan<float> value, ReadOnlySpan<float> key, int queryTimesteps, int valueTimesteps, int keyWidth, int valueWidth,
        ReadOnlySpan<float> scale, Span<float> output)
    {
        Span<float> scores = valueTimesteps <= MaxStackScores ? stackalloc float[valueTimesteps] : new float[valueTimesteps];
        for (int i = 0; i < queryTimesteps; i++)
        {
            ReadOnlySpan<float> q = query.Slice(i * keyWidth, keyWidth);
            for (int j = 0; j < valueTimesteps; j++)
            {
                ReadOnlySpan<float> k = key.Slice(j * keyWidth, keyWidth);
                float score = 0f;
                for (int d = 0; d < keyWidth; d++)
                {
                    float term = MathF.Tanh(q[d] + k[d]);
                    score += scale.IsEmpty ? term : scale[d] * term;
                }

                scores[j] = score;
            }

            WeighValues(scores, value, valueWidth, output.Slice(i * valueWidth, valueWidth));
        }
    }

    // softmax(scores) (Keras ops.softmax: exp(x - max) / Σ) applied to the value rows: the attention's output row.
    private static void WeighValues(Span<float> scores, ReadOnlySpan<float> value, int valueWidth, Span<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float score in scores)
        {
            max = MathF.Max(max, score);
        }

        float total = 0f;
        for (int j = 0; j < scores.Length; j++)
        {
            scores[j] = MathF.Exp(scores[j] - max);
            total += scores[j];
        }

        row.Clear();
        for (int j = 0; j < scores.Length; j++)
        {
            float weight = scores[j] / total;
            ReadOnlySpan<float> v = value.Slice(j * valueWidth, valueWidth);
            for (int d = 0; d < valueWidth; d++)
            {
                row[d] += weight * v[d];
            }
        }
    }
}
