namespace RnnGen.Shared;

/// <summary>
/// Keras <c>MultiHeadAttention</c>'s weight arrays (<c>keras/src/layers/attention/multi_head_attention.py</c>, its four
/// <c>EinsumDense</c> projections), one rule for the generator (the graph's fields, <c>GetWeights</c> order and the
/// shapes a file must have) and the runtime (a fresh layer's arrays, the kernel's checks).
/// </summary>
internal static class MultiHeadAttentionShapes
{
    /// <summary>
    /// The arrays in Keras <c>get_weights()</c> order, each named as a file layer holds it: <c>query/kernel</c>
    /// <c>[dq, heads, key_dim]</c> and <c>query/bias</c> <c>[heads, key_dim]</c>, then <c>key</c> (<c>dk</c> rows) and
    /// <c>value</c> (<c>dv</c> rows, <c>value_dim</c> per head) alike, then <c>attention_output/kernel</c>
    /// <c>[heads, value_dim, out]</c> and <c>attention_output/bias</c> <c>[out]</c>; the biases only with <c>use_bias</c>.
    /// </summary>
    public static (string Name, int[] Shape)[] Weights(
        int queryWidth, int valueWidth, int keyWidth, int heads, int keyDim, int valueDim, int outputWidth, bool useBias)
    {
        var projections = new (string Name, int[] Kernel, int[] Bias)[]
        {
            ("query", new[] { queryWidth, heads, keyDim }, new[] { heads, keyDim }),
            ("key", new[] { keyWidth, heads, keyDim }, new[] { heads, keyDim }),
            ("value", new[] { valueWidth, heads, valueDim }, new[] { heads, valueDim }),
            ("attention_output", new[] { heads, valueDim, outputWidth }, new[] { outputWidth }),
        };
        var weights = new System.Collections.Generic.List<(string, int[])>(8);
        foreach ((string name, int[] kernel, int[] bias) in projections)
        {
            weights.Add((name + "/kernel", kernel));
            if (useBias)
            {
                weights.Add((name + "/bias", bias));
            }
        }

        return weights.ToArray();
    }

    /// <summary>The number of floats of an array of <paramref name="shape"/>.</summary>
    public static int Length(int[] shape)
    {
        int length = 1;
        foreach (int size in shape)
        {
            length *= size;
        }

        return length;
    }
}
