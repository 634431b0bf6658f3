using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnnGen;

public static partial class GeneratedModelSupport
{
    /// <summary>
    /// A <see cref="MergeOperation.Concatenate"/> input's part of a graph's merge: each of the
    /// <c>source.Length / sourceWidth</c> rows of <paramref name="source"/> goes to columns
    /// <paramref name="offset"/>.. of the same row of <paramref name="destination"/>, which is
    /// <paramref name="destinationWidth"/> wide (Keras <c>Concatenate(axis=-1)</c>).
    /// </summary>
    public static void ConcatenateInto(ReadOnlySpan<float> source, int sourceWidth, Span<float> destination, int destinationWidth, int offset)
    {
        int rows = source.Length / sourceWidth;
        for (int row = 0; row < rows; row++)
        {
            source.Slice(row * sourceWidth, sourceWidth).CopyTo(destination.Slice(row * destinationWidth + offset, sourceWidth));
        }
    }

    /// <summary>
    /// Folds the next input of an element-wise graph merge into <paramref name="destination"/>, which holds the result
    /// over the inputs before it (the first input is copied there): Keras's merge layers fold their inputs left to
    /// right in this way (<c>keras/src/layers/merging/add.py</c>, <c>subtract.py</c>, <c>multiply.py</c>,
    /// <c>average.py</c>, <c>maximum.py</c>, <c>minimum.py</c>). <see cref="MergeOperation.Average"/> adds here; the
    /// caller divides once at the end (<see cref="DivideBy"/>), as Keras does.
    /// </summary>
    public static void MergeInto(MergeOperation operation, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"A merge's inputs must have one shape: {source.Length} floats against {destination.Length}.", nameof(source));
        }

        for (int i = 0; i < destination.Length; i++)
        {
            float a = destination[i];
            float b = source[i];
            destination[i] = operation switch
            {
                MergeOperation.Add or MergeOperation.Average => a + b,
                MergeOperation.Subtract => a - b,
                MergeOperation.Multiply => a * b,
                MergeOperation.Maximum => MathF.Max(a, b),
                MergeOperation.Minimum => MathF.Min(a, b),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Concatenate is not element-wise."),
            };
        }
    }

    /// <summary>
    /// Keras's <c>Dot</c> merge of <paramref name="x"/> and <paramref name="y"/> into <paramref name="destination"/>
    /// (<c>keras/src/layers/merging/dot.py</c>): each tensor is a vector (timesteps 0) or a row-major sequence, summed
    /// over its time axis (<paramref name="xOverTime"/>) or its features; the result holds, for each of x's other
    /// indices, the sums against each of y's (<see cref="Shared.DotShapes"/>). With <paramref name="normalize"/> each
    /// is first L2-normalized along its dot axis as Keras 3's <c>ops.normalize</c> does,
    /// <c>x * min(rsqrt(sum(x^2)), 1 / 1e-7)</c>.
    /// </summary>
    public static void DotInto(ReadOnlySpan<float> x, int xTimesteps, int xWidth, bool xOverTime,
        ReadOnlySpan<float> y, int yTimesteps, int yWidth, bool yOverTime, bool normalize, Span<float> destination)
    {
        int depth = xOverTime ? xTimesteps : xWidth;
        int xFree = xOverTime ? xWidth : Math.Max(xTimesteps, 1);
        int yFree = yOverTime ? yWidth : Math.Max(yTimesteps, 1);
        if (x.Length != Math.Max(xTimesteps, 1) * xWidth || y.Length != Math.Max(yTimesteps, 1) * yWidth
            || depth != (yOverTime ? yTimesteps : yWidth) || destination.Length != xFree * yFree)
        {
            throw new ArgumentException($"Dot: {x.Length} and {y.Length} floats do not have the shapes given, or {destination.Length} floats do not hold the result.", nameof(destination));
        }

        // Element (free index i, summed index k) of a row-major (timesteps, width) tensor.
        static float At(ReadOnlySpan<float> t, int width, bool overTime, int i, int k) => overTime ? t[k * width + i] : t[i * width + k];

        static float InverseNorm(ReadOnlySpan<float> t, int width, bool overTime, int i, int depth)
        {
            float squares = 0;
            for (int k = 0; k < depth; k++)
            {
                float v = At(t, width, overTime, i, k);
                squares += v * v;
            }

            return MathF.Min(1f / MathF.Sqrt(squares), 1f / Shared.LayerOptions.BackendEpsilon);
        }

        // y's inverse norms once each, not once per row of x (a graph tensor is at most 16 KiB, so is this).
        Span<float> yScales = normalize ? stackalloc float[yFree] : Span<float>.Empty;
        for (int j = 0; j < yScales.Length; j++)
        {
            yScales[j] = InverseNorm(y, yWidth, yOverTime, j, depth);
        }

        for (int i = 0; i < xFree; i++)
        {
            float xScale = normalize ? InverseNorm(x, xWidth, xOverTime, i, depth) : 1f;
            for (int j = 0; j < yFree; j++)
            {
                float yScale = normalize ? yScales[j] : 1f;
                float sum = 0;
                for (int k = 0; k < depth; k++)
                {
                    float a = At(x, xWidth, xOverTime, i, k);
                    float b = At(y, yWidth, yOverTime, j, k);
                    sum += normalize ? a * xScale * (b * yScale) : a * b;
                }

                destination[i * yFree + j] = sum;
            }
        }
    }

    /// <summary>The end of <see cref="MergeOperation.Average"/>: every value divided by the input count (Keras divides, it does not multiply by the reciprocal).</summary>
    public static void DivideBy(Span<float> values, int count)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= count;
        }
    }

    /// <summary>
    /// A graph's <c>GetWeights()</c>: the arrays of each node that owns its model (a node that shares one adds nothing),
    /// node after node in declaration order, each in its chain's Keras <c>get_weights()</c> order; then copies of
    /// <paramref name="extra"/>, the attention layers' arrays.
    /// </summary>
    public static float[][] GetGraphWeights(IReadOnlyList<IRnnModel> nodes, IReadOnlyList<float[]>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes.SelectMany(node => node.GetWeights()).Concat((extra ?? Array.Empty<float[]>()).Select(array => array.ToArray())).ToArray();
    }

    /// <summary>
    /// A graph's <c>SetWeights(weights)</c>, in <see cref="GetGraphWeights"/>'s order: every node's part is checked
    /// first (count, then each array's length), so a bad call changes no node.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not fit; the message names the node and the array.</exception>
    public static void SetGraphWeights(
        IReadOnlyList<float[]> weights, string graph, IReadOnlyList<string> names, IReadOnlyList<IRnnModel> nodes,
        IReadOnlyList<string>? extraNames = null, IReadOnlyList<float[]>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        extra ??= Array.Empty<float[]>();
        int chainArrays = nodes.Sum(node => node.Info.Weights.Count);
        int expected = chainArrays + extra.Count;
        if (weights.Count != expected)
        {
            string parts = string.Join(", ", nodes.Select((node, i) => $"'{names[i]}' {node.Info.Weights.Count}")
                .Concat(extra.Select((_, i) => $"'{extraNames![i]}' 1")));
            throw new ArgumentException(
                $"{graph} expects {expected} weight array(s), node after node in declaration order ({parts}), but got {weights.Count}.",
                nameof(weights));
        }

        var checkedParts = new float[nodes.Count][][];
        int start = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            int count = nodes[i].Info.Weights.Count;
            checkedParts[i] = weights.Skip(start).Take(count).ToArray();
            try
            {
                ValidateWeights(checkedParts[i], nodes[i].Info);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{graph}, node '{names[i]}' (arrays {start} to {start + count - 1}): {e.Message}", nameof(weights), e);
            }

            start += count;
        }

        CheckExtraLengths(weights.Skip(chainArrays).ToList(), graph, extraNames, extra, nameof(weights));
        for (int i = 0; i < nodes.Count; i++)
        {
            nodes[i].SetWeights(checkedParts[i]);
        }

        for (int i = 0; i < extra.Count; i++)
        {
            weights[chainArrays + i].CopyTo(extra[i], 0);
        }
    }

    private static void CheckExtraLengths(IReadOnlyList<float[]?> given, string graph, IReadOnlyList<string>? names, IReadOnlyList<float[]> extra, string parameter)
    {
        for (int i = 0; i < extra.Count; i++)
        {
            if (given[i] is not float[] array || array.Length != extra[i].Length)
            {
                throw new ArgumentException(
                    $"{graph}: '{names![i]}' holds {extra[i].Length} float(s), but {(given[i] is null ? "null" : given[i]!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))} were given. Nothing was changed.", parameter);
            }
        }
    }

    /// <summary>The floats of a generated tensor passed by <c>in</c> (a graph input), as a read-only span over it.</summary>
    public static ReadOnlySpan<float> FloatsOf<TTensor>(in TTensor tensor)
        where TTensor : struct =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<TTensor, float>(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(in tensor, 1));

    /// <summary>
    /// A graph's <c>LoadWeights(path)</c>: each owning node's chain from the file layers named in
    /// <paramref name="fileLayers"/>, through <see cref="KerasWeights.Read(Stream, WeightFormat, ModelInfo, IEnumerable{string})"/>
    /// with every other file layer passed over, so each chain is checked against the file exactly as its own load checks
    /// it. All nodes are read and checked first; only then are their weights set.
    /// </summary>
    /// <remarks>
    /// <paramref name="extraShapes"/> gives, for each of <paramref name="extra"/>, the shape the file must store it in, or
    /// null to check its length only (MultiHeadAttention's kernels are checked by shape: a <c>[dq, heads, key_dim]</c>
    /// kernel has the length of one with the two sizes swapped).
    /// </remarks>
    /// <exception cref="ArgumentException">The file does not fit a node (named in the message); nothing was loaded.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static void LoadGraphWeights(
        string path, string graph, IReadOnlyList<string> names, IReadOnlyList<string[]> fileLayers, IReadOnlyList<IRnnModel> nodes,
        IReadOnlyList<string>? extraNames = null, IReadOnlyList<float[]>? extra = null, IReadOnlyList<int[]?>? extraShapes = null)
    {
        extra ??= Array.Empty<float[]>();
        ArgumentNullException.ThrowIfNull(path);
        byte[] data = KerasWeights.ReadFile(path);
        KerasFile file = KerasFile.Open(new MemoryStream(data, writable: false));
        string source = Path.GetFileName(path);
        if (file.Info.Format == WeightFormat.Npz)
        {
            throw new ArgumentException(
                $"{graph}.LoadWeights: '{source}' is an .npz, whose arrays have no layer names to split between the graph's nodes; " +
                "load each node's chain from its own file, or pass all arrays to SetWeights. Nothing was loaded.", nameof(path));
        }

        string[] present = file.Layers.Select(l => l.Name).ToArray();
        var arrays = new float[nodes.Count][][];
        for (int i = 0; i < nodes.Count; i++)
        {
            if (fileLayers[i].Length == 0)
            {
                throw new ArgumentException(
                    $"{graph}.LoadWeights: node '{names[i]}' does not say which file layers hold its chain's weights; set Layers = new[] {{ ... }} " +
                    $"on its [GraphNode] to the file's layer names (the file has {string.Join(", ", present.Select(n => "'" + n + "'"))}). Nothing was loaded.", nameof(path));
            }

            string[] missing = fileLayers[i].Where(n => !present.Contains(n, StringComparer.Ordinal)).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException(
                    $"{graph}.LoadWeights: node '{names[i]}' reads file layer(s) {string.Join(", ", missing.Select(n => "'" + n + "'"))}, which '{source}' does not have; " +
                    $"its layers are {string.Join(", ", present.Select(n => "'" + n + "'"))}. Nothing was loaded.", nameof(path));
            }

            string[] others = present.Except(fileLayers[i], StringComparer.Ordinal).ToArray();
            try
            {
                arrays[i] = KerasWeights.Read(new MemoryStream(data, writable: false), file.Info.Format, nodes[i].Info, others);
            }
            catch (ArgumentException e)
            {
                string loaded = e.Message.Contains("Nothing was loaded", StringComparison.Ordinal) ? string.Empty : " Nothing was loaded.";
                throw new ArgumentException(
                    $"{graph}.LoadWeights: node '{names[i]}' (file layers {string.Join(", ", fileLayers[i].Select(n => "'" + n + "'"))}): {e.Message}{loaded}", nameof(path), e);
            }
        }

        // The attention layers' arrays ("attention/scale", "mha/query/kernel"): the file layer's arrays in order, checked by
        // length, and by shape where one is given.
        var extraArrays = new float[extra.Count][];
        foreach (IGrouping<string, int> layer in Enumerable.Range(0, extra.Count).GroupBy(i => extraNames![i].Split('/')[0], StringComparer.Ordinal))
        {
            if (!present.Contains(layer.Key, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"{graph}.LoadWeights: the attention layer '{layer.Key}' is not in '{source}'; its layers are {string.Join(", ", present.Select(n => "'" + n + "'"))}. Nothing was loaded.", nameof(path));
            }

            IReadOnlyList<KerasWeightArray> stored = file.Layer(layer.Key).Weights;
            int[] indices = layer.ToArray();
            bool multiHead = extraNames![indices[0]].EndsWith("/kernel", StringComparison.Ordinal);
            string options = multiHead ? "NumHeads, KeyDim, ValueDim, OutputShape and UseBias" : "UseScale and ScoreMode";
            if (stored.Count != indices.Length)
            {
                throw new ArgumentException(
                    $"{graph}.LoadWeights: the attention layer '{layer.Key}' has {indices.Length} weight array(s) ({string.Join(", ", indices.Select(i => extraNames![i]))}), but '{source}' holds {stored.Count}; check {options} against the Keras layer. Nothing was loaded.", nameof(path));
            }

            for (int k = 0; k < indices.Length; k++)
            {
                if (extraShapes?[indices[k]] is int[] shape && !stored[k].Shape.SequenceEqual(shape))
                {
                    throw new ArgumentException(
                        $"{graph}.LoadWeights: '{extraNames[indices[k]]}' is {KerasFileLayerWeights.ShapeText(shape)} in the graph, but '{source}' stores it as {KerasFileLayerWeights.ShapeText(stored[k].Shape)}; check {options} against the Keras layer. Nothing was loaded.", nameof(path));
                }

                extraArrays[indices[k]] = stored[k].Read();
            }
        }

        // Every file layer with weights is read by some node: a layer the graph does not declare (or an attention layer
        // declared without the use_scale or concat score its file layer has) would otherwise be left out in silence.
        var read = new HashSet<string>(fileLayers.SelectMany(l => l), StringComparer.Ordinal);
        read.UnionWith(Enumerable.Range(0, extra.Count).Select(i => extraNames![i].Split('/')[0]));
        foreach (KerasFileLayerWeights unread in file.Layers.Where(l => l.Weights.Count > 0 && !read.Contains(l.Name)))
        {
            string attention = unread.ClassName is "Attention" or "AdditiveAttention"
                ? $"; if the graph's [{unread.ClassName}] '{unread.Name}' is this layer, declare its UseScale and ScoreMode as the file's config has them"
                : unread.ClassName == "MultiHeadAttention"
                ? $"; declare it as [MultiHeadAttention(\"{unread.Name}\", ...)] with the file's num_heads and key_dim (rnngen inspect prints it)"
                : string.Empty;
            throw new ArgumentException(
                $"{graph}.LoadWeights: the file layer '{unread.Name}' ({unread.ClassName}, weights {string.Join(", ", unread.Weights.Select(w => KerasFileLayerWeights.ShapeText(w.Shape)))}) is read by no node of the graph{attention}. " +
                "Declare it (name it in a [GraphNode]'s Layers), or load the nodes you need one by one with KerasWeights.Load(node, path, ignoredLayers). Nothing was loaded.", nameof(path));
        }

        CheckExtraLengths(extraArrays, graph, extraNames, extra, nameof(path));
        for (int i = 0; i < nodes.Count; i++)
        {
            nodes[i].SetWeights(arrays[i]);
        }

        for (int i = 0; i < extra.Count; i++)
        {
            extraArrays[i].CopyTo(extra[i], 0);
        }
    }
}
