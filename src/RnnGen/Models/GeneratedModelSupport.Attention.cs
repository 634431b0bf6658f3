using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;

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
    /// <param name="queryMask">
    /// The mask the query carries in Keras (<paramref name="queryTimesteps"/> values), or empty for none: a masked query
    /// timestep's output row is zeros (Keras: <c>result *= q_mask</c>).
    /// </param>
    /// <param name="valueMask">
    /// The mask the value carries (<paramref name="valueTimesteps"/> values), or empty: a masked value timestep's score
    /// less 1e9 before the softmax, as Keras's <c>_apply_scores</c> (a weight of 0, or all alike when every one is masked).
    /// The key's mask is not read, as in Keras.
    /// </param>
    /// <exception cref="ArgumentException">A mask is neither empty nor one value per timestep.</exception>
    public static void DotAttention(
        ReadOnlySpan<float> query, ReadOnlySpan<float> value, ReadOnlySpan<float> key, int queryTimesteps, int valueTimesteps, int keyWidth, int valueWidth,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> concatScoreWeight, Span<float> output,
        ReadOnlySpan<bool> queryMask = default, ReadOnlySpan<bool> valueMask = default)
    {
        CheckMask(queryMask, queryTimesteps, nameof(queryMask));
        CheckMask(valueMask, valueTimesteps, nameof(valueMask));
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

            WeighMaskedValues(scores, valueMask, value, valueWidth, queryMask, i, output.Slice(i * valueWidth, valueWidth));
        }
    }

    /// <summary>
    /// Keras <c>AdditiveAttention</c> on one sample (<c>keras/src/layers/attention/additive_attention.py</c>,
    /// inference): scores <c>Σ_d scale[d] · tanh(q[d] + k[d])</c> (<paramref name="scale"/> empty: 1), their softmax,
    /// and the weighted sum of the value rows into <paramref name="output"/>; the masks as in <see cref="DotAttention"/>.
    /// </summary>
    public static void AdditiveAttention(
        ReadOnlySpan<float> query, ReadOnlySpan<float> value, ReadOnlySpan<float> key, int queryTimesteps, int valueTimesteps, int keyWidth, int valueWidth,
        ReadOnlySpan<float> scale, Span<float> output, ReadOnlySpan<bool> queryMask = default, ReadOnlySpan<bool> valueMask = default)
    {
        CheckMask(queryMask, queryTimesteps, nameof(queryMask));
        CheckMask(valueMask, valueTimesteps, nameof(valueMask));
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

            WeighMaskedValues(scores, valueMask, value, valueWidth, queryMask, i, output.Slice(i * valueWidth, valueWidth));
        }
    }

    // Keras's Attention and AdditiveAttention subtract this from the score of a masked value timestep (float32:
    // keras/src/layers/attention/attention.py, _apply_scores: max_value = 65504.0 for float16, else 1.0e9).
    private const float MaskedScorePenalty = 1.0e9f;

    /// <summary>
    /// Keras's masks in <c>Attention</c> and <c>AdditiveAttention</c> (<c>keras/src/layers/attention/attention.py</c>):
    /// <c>_apply_scores</c> subtracts 1e9 from the score of every value timestep the value's mask leaves out (so its
    /// softmax weight is 0, and a query row whose value timesteps are all masked weighs them all alike), and <c>call</c>
    /// multiplies the output rows of the query timesteps its mask leaves out by 0 (<c>result *= q_mask</c>); the output
    /// carries the query's mask on (<c>compute_mask</c>). The key's mask is not read.
    /// </summary>
    private static void WeighMaskedValues(Span<float> scores, ReadOnlySpan<bool> valueMask, ReadOnlySpan<float> value, int valueWidth, ReadOnlySpan<bool> queryMask, int queryRow, Span<float> row)
    {
        if (!valueMask.IsEmpty)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                if (!valueMask[j])
                {
                    scores[j] -= MaskedScorePenalty;
                }
            }
        }

        WeighValues(scores, value, valueWidth, row);
        if (!queryMask.IsEmpty && !queryMask[queryRow])
        {
            row.Clear();
        }
    }

    // Guards the masked overloads: a mask is empty (none) or has one value per timestep.
    private static void CheckMask(ReadOnlySpan<bool> mask, int timesteps, string name)
    {
        if (!mask.IsEmpty && mask.Length != timesteps)
        {
            throw new ArgumentException($"An attention mask of {mask.Length} values for {timesteps} timesteps: it must be empty (no mask) or have one value per timestep.", name);
        }
    }

    /// <summary>
    /// Keras <c>MultiHeadAttention</c> on one sample (<c>keras/src/layers/attention/multi_head_attention.py</c>,
    /// inference without <c>attention_mask</c>): the query, key and value projected to <paramref name="heads"/> heads
    /// (<c>einsum("abc,cde->abde")</c> plus bias), the projected query multiplied by <c>1 / sqrt(key_dim)</c> as Keras
    /// does before the dot product, per head the softmax over the value's timesteps of <c>q · k</c> (with
    /// <paramref name="causal"/>, only timesteps <c>j ≤ i</c>: Keras's <c>use_causal_mask</c>), the weighted sum of the
    /// head's values, and the heads projected to the output (<c>einsum("abcd,cde->abe")</c> plus bias). Widths come from
    /// the spans: the query is <paramref name="queryTimesteps"/> rows, the value and key <paramref name="valueTimesteps"/>.
    /// </summary>
    /// <param name="query">The query rows, <c>Tq x dq</c>.</param>
    /// <param name="value">The value rows, <c>Tv x dv</c>.</param>
    /// <param name="key">The key rows, <c>Tv x dk</c> (the value when no key is given).</param>
    /// <param name="queryTimesteps">Tq.</param>
    /// <param name="valueTimesteps">Tv.</param>
    /// <param name="heads">Keras <c>num_heads</c>.</param>
    /// <param name="keyDim">Keras <c>key_dim</c>.</param>
    /// <param name="valueDim">Keras <c>value_dim</c> (resolved: <c>key_dim</c> by default).</param>
    /// <param name="causal">Keras's call argument <c>use_causal_mask</c>.</param>
    /// <param name="weights">
    /// The layer's arrays in Keras <c>get_weights()</c> order: query kernel <c>[dq, heads, key_dim]</c> and bias
    /// <c>[heads, key_dim]</c>, key kernel and bias, value kernel <c>[dv, heads, value_dim]</c> and bias, output kernel
    /// <c>[heads, value_dim, out]</c> and bias <c>[out]</c>; the four kernels alone without <c>use_bias</c>.
    /// </param>
    /// <param name="output">The result, <c>Tq x out</c>.</param>
    /// <param name="queryMask">The query's mask in Keras (<paramref name="queryTimesteps"/> values), or empty for none.</param>
    /// <param name="valueMask">The value's mask (<paramref name="valueTimesteps"/> values), or empty.</param>
    /// <param name="keyMask">The key's mask (<paramref name="valueTimesteps"/> values), or empty.</param>
    /// <remarks>
    /// The masks combine as Keras's <c>_compute_attention_mask</c> does: query timestep <c>i</c> attends to value
    /// timestep <c>j</c> when the query's mask keeps <c>i</c> and the value's and the key's keep <c>j</c> (and
    /// <c>j ≤ i</c> with <paramref name="causal"/>); the other pairs weigh exactly 0. A query row that may attend to no
    /// timestep (a masked query timestep, every value timestep masked) weighs all value timesteps alike, as Keras's
    /// softmax of equal masked logits does (<c>ops.dot_product_attention</c>'s <c>where(mask, logits, large_negative)</c>;
    /// tf.keras 2's -1e9 adder). The output is not masked; in Keras it carries the query's mask on.
    /// </remarks>
    /// <exception cref="ArgumentException">A span, array or mask does not have the size the others imply.</exception>
    public static void MultiHeadAttention(
        ReadOnlySpan<float> query, ReadOnlySpan<float> value, ReadOnlySpan<float> key, int queryTimesteps, int valueTimesteps,
        int heads, int keyDim, int valueDim, bool causal, IReadOnlyList<float[]> weights, Span<float> output,
        ReadOnlySpan<bool> queryMask = default, ReadOnlySpan<bool> valueMask = default, ReadOnlySpan<bool> keyMask = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        CheckMask(queryMask, queryTimesteps, nameof(queryMask));
        CheckMask(valueMask, valueTimesteps, nameof(valueMask));
        CheckMask(keyMask, valueTimesteps, nameof(keyMask));
        bool masked = !queryMask.IsEmpty || !valueMask.IsEmpty || !keyMask.IsEmpty;
        bool bias = weights.Count == 8;
        int projected = heads * keyDim;
        int projectedValue = heads * valueDim;
        int queryWidth = query.Length / queryTimesteps;
        int valueWidth = value.Length / valueTimesteps;
        int keyWidth = key.Length / valueTimesteps;
        int outputWidth = output.Length / queryTimesteps;
        float[] Weight(int projection, bool isBias) => weights[bias ? 2 * projection + (isBias ? 1 : 0) : projection];
        // Checked without allocating (Forward allocates nothing): the lengths of MultiHeadAttentionShapes.Weights.
        if ((weights.Count != 4 && !bias)
            || query.Length != queryTimesteps * queryWidth || value.Length != valueTimesteps * valueWidth
            || key.Length != valueTimesteps * keyWidth || output.Length != queryTimesteps * outputWidth
            || Weight(0, false).Length != queryWidth * projected || Weight(1, false).Length != keyWidth * projected
            || Weight(2, false).Length != valueWidth * projectedValue || Weight(3, false).Length != projectedValue * outputWidth
            || (bias && (Weight(0, true).Length != projected || Weight(1, true).Length != projected
                || Weight(2, true).Length != projectedValue || Weight(3, true).Length != outputWidth)))
        {
            throw new ArgumentException(
                $"MultiHeadAttention: {weights.Count} weight array(s) and spans of {query.Length}, {value.Length}, {key.Length} and {output.Length} floats " +
                $"do not fit {heads} heads of {keyDim} (values {valueDim}) over {queryTimesteps} query and {valueTimesteps} value timesteps.", nameof(weights));
        }

        // Scratch: the projected query, key and value, the heads' outputs side by side, one score row.
        int scratch = (queryTimesteps + valueTimesteps) * projected + (valueTimesteps + queryTimesteps) * projectedValue + valueTimesteps;
        float[]? rented = scratch > MaxStackScratch ? ArrayPool<float>.Shared.Rent(scratch) : null;
        Span<float> buffer = rented is null ? stackalloc float[scratch] : rented.AsSpan(0, scratch);
        Span<float> q = buffer.Slice(0, queryTimesteps * projected);
        Span<float> k = buffer.Slice(q.Length, valueTimesteps * projected);
        Span<float> v = buffer.Slice(q.Length + k.Length, valueTimesteps * projectedValue);
        Span<float> headOutputs = buffer.Slice(q.Length + k.Length + v.Length, queryTimesteps * projectedValue);
        Span<float> scores = buffer.Slice(buffer.Length - valueTimesteps);
        try
        {
            Project(query, queryWidth, Weight(0, false), bias ? Weight(0, true) : null, projected, q);
            Project(key, keyWidth, Weight(1, false), bias ? Weight(1, true) : null, projected, k);
            Project(value, valueWidth, Weight(2, false), bias ? Weight(2, true) : null, projectedValue, v);

            // Keras: query = ops.multiply(query, ops.cast(1.0 / math.sqrt(float(key_dim)), query.dtype)).
            float inverseSqrtKeyDim = (float)(1.0 / Math.Sqrt(keyDim));
            for (int i = 0; i < q.Length; i++)
            {
                q[i] *= inverseSqrtKeyDim;
            }

            for (int head = 0; head < heads; head++)
            {
                for (int i = 0; i < queryTimesteps; i++)
                {
                    // The causal mask (row >= column) leaves timesteps 0..i; Keras's masked softmax gives the others 0.
                    int attended = causal && !masked ? Math.Min(i + 1, valueTimesteps) : valueTimesteps;
                    ReadOnlySpan<float> qi = q.Slice(i * projected + head * keyDim, keyDim);
                    bool attends = false;
                    for (int j = 0; j < attended; j++)
                    {
                        if (masked && !Attends(queryMask, valueMask, keyMask, causal, i, j))
                        {
                            scores[j] = float.NegativeInfinity; // a weight of exactly 0
                            continue;
                        }

                        ReadOnlySpan<float> kj = k.Slice(j * projected + head * keyDim, keyDim);
                        float score = 0f;
                        for (int d = 0; d < keyDim; d++)
                        {
                            score += qi[d] * kj[d];
                        }

                        scores[j] = score;
                        attends = true;
                    }

                    if (!attends)
                    {
                        // Every logit masked: Keras's softmax of equal logits, the same weight for each value timestep.
                        scores.Slice(0, attended).Clear();
                    }

                    Span<float> row = headOutputs.Slice(i * projectedValue + head * valueDim, valueDim);
                    WeighValues(scores.Slice(0, attended), v.Slice(head * valueDim), projectedValue, row);
                }
            }

            Project(headOutputs, projectedValue, Weight(3, false), bias ? Weight(3, true) : null, outputWidth, output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    // Keras's attention mask at (i, j): query_mask[i] & value_mask[j] & key_mask[j] (& j <= i, causal).
    private static bool Attends(ReadOnlySpan<bool> queryMask, ReadOnlySpan<bool> valueMask, ReadOnlySpan<bool> keyMask, bool causal, int i, int j) =>
        (queryMask.IsEmpty || queryMask[i]) && (valueMask.IsEmpty || valueMask[j]) && (keyMask.IsEmpty || keyMask[j]) && (!causal || j <= i);

    /// <summary>
    /// A fresh <c>MultiHeadAttention</c>'s arrays in Keras <c>get_weights()</c> order, initialized as Keras initializes
    /// them: kernels <c>glorot_uniform</c> with Keras's fans for a 3-D kernel (<c>compute_fans</c>: the leading axis is
    /// the receptive field), biases zeros. Drawn from RnnGen's seeded generator, so the values are RnnGen's, not Keras's.
    /// </summary>
    public static float[][] NewMultiHeadAttentionWeights(int queryWidth, int valueWidth, int keyWidth, int heads, int keyDim, int valueDim, int outputWidth, bool useBias)
    {
        (string Name, int[] Shape)[] shapes = Shared.MultiHeadAttentionShapes.Weights(queryWidth, valueWidth, keyWidth, heads, keyDim, valueDim, outputWidth, useBias);
        var arrays = new float[shapes.Length][];
        for (int i = 0; i < shapes.Length; i++)
        {
            int[] shape = shapes[i].Shape;
            arrays[i] = new float[Shared.MultiHeadAttentionShapes.Length(shape)];
            if (shape.Length == 3)
            {
                // A kernel [leading, middle, last]: fan_in = middle * leading, fan_out = last * leading.
                Initializers.Fill(arrays[i], "glorot_uniform", shape[0] * shape[1], shape[2], seed: 0, stream: i, receptiveField: shape[0]);
            }
        }

        return arrays;
    }

    // Larger scratch comes from the shared pool (no allocation once warm).
    private const int MaxStackScratch = 4096;

    // Each row of input (rows x inputWidth) times kernel (inputWidth x width, row-major), plus bias: Keras's EinsumDense.
    private static void Project(ReadOnlySpan<float> input, int inputWidth, float[] kernel, float[]? bias, int width, Span<float> destination)
    {
        int rows = input.Length / inputWidth;
        for (int row = 0; row < rows; row++)
        {
            Span<float> target = destination.Slice(row * width, width);
            target.Clear();
            for (int c = 0; c < inputWidth; c++)
            {
                // target += x * kernel row c, a vector at a time: a multiply and an add, the same roundings as the
                // scalar tail (no fused multiply-add), so the result does not depend on the vector width.
                float x = input[row * inputWidth + c];
                ReadOnlySpan<float> weights = kernel.AsSpan(c * width, width);
                var scale = new Vector<float>(x);
                int o = 0;
                for (; o <= width - Vector<float>.Count; o += Vector<float>.Count)
                {
                    (new Vector<float>(target.Slice(o)) + scale * new Vector<float>(weights.Slice(o))).CopyTo(target.Slice(o));
                }

                for (; o < width; o++)
                {
                    target[o] += x * weights[o];
                }
            }

            if (bias is not null)
            {
                for (int o = 0; o < width; o++)
                {
                    target[o] += bias[o];
                }
            }
        }
    }

    // softmax(scores) (Keras ops.softmax: exp(x - max) / Σ) applied to the value rows, which start every valueStride
    // floats of value and are row.Length wide: the attention's output row.
    private static void WeighValues(Span<float> scores, ReadOnlySpan<float> value, int valueStride, Span<float> row)
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
            ReadOnlySpan<float> v = value.Slice(j * valueStride, row.Length);
            for (int d = 0; d < row.Length; d++)
            {
                row[d] += weight * v[d];
            }
        }
    }
}
