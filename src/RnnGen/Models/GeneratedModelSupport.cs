using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen;

/// <summary>
/// Checks and conversions that generated models share, kept out of the generated code so that each message is written
/// once. Not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class GeneratedModelSupport
{
    /// <summary>
    /// A generated model's <c>SaveWeights(path)</c>: <see cref="KerasWeights.Save(IRnnModel, string)"/> for a path ending
    /// in <c>.weights.h5</c> or <c>.keras</c> (what Keras 3's <c>load_weights</c> and <c>load_model</c> read), otherwise
    /// <see cref="KerasWeights.SaveNpz(IRnnModel, string)"/>, as before those formats could be written.
    /// </summary>
    public static void SaveWeights(IRnnModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
        {
            KerasWeights.Save(model, path);
        }
        else
        {
            KerasWeights.SaveNpz(model, path);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="weights"/> has exactly the arrays of
    /// <paramref name="info"/>, in order, with the right lengths. Called before anything is copied, so a bad call
    /// changes nothing.
    /// </summary>
    public static void ValidateWeights(IReadOnlyList<float[]>? weights, ModelInfo info, string parameterName = "weights")
    {
        if (weights is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        IReadOnlyList<WeightShape> expected = info.Weights;
        if (weights.Count != expected.Count)
        {
            throw new ArgumentException(
                $"{info.Name} expects {expected.Count} weight array(s) in Keras get_weights() order " +
                $"({string.Join(", ", expected.Select(w => w.Name + " " + w.ShapeText))}) but got {weights.Count}.",
                parameterName);
        }

        for (int i = 0; i < expected.Count; i++)
        {
            float[]? array = weights[i];
            WeightShape shape = expected[i];
            if (array is null)
            {
                throw new ArgumentException($"{parameterName}[{i}] ({shape.Name}) is null; expected {shape.ShapeText} = {shape.Length} floats.", parameterName);
            }

            if (array.Length != shape.Length)
            {
                throw new ArgumentException(
                    $"{parameterName}[{i}] ({shape.Name}) must be {shape.ShapeText} = {shape.Length} floats flattened row-major, but has {array.Length}.",
                    parameterName);
            }
        }
    }

    /// <summary>Copies the concatenated weights <paramref name="parameters"/> into one array per weight of <paramref name="info"/>.</summary>
    public static float[][] SplitWeights(ReadOnlySpan<float> parameters, ModelInfo info)
    {
        var result = new float[info.Weights.Count][];
        int offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            int length = info.Weights[i].Length;
            result[i] = parameters.Slice(offset, length).ToArray();
            offset += length;
        }

        return result;
    }

    /// <summary>
    /// Copies validated <paramref name="weights"/> one after the other into <paramref name="parameters"/>, reading them
    /// through the indexer as <see cref="ValidateWeights"/> does. Prefer <see cref="CopyWeights"/>, which cannot be
    /// half-applied by a list that answers differently on a second read.
    /// </summary>
    public static void JoinWeights(IReadOnlyList<float[]> weights, Span<float> parameters)
    {
        int offset = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            float[] array = weights[i];
            array.AsSpan().CopyTo(parameters.Slice(offset));
            offset += array.Length;
        }
    }

    /// <summary>
    /// Validates <paramref name="weights"/> against <paramref name="info"/> (see <see cref="ValidateWeights"/>) and
    /// copies them into <paramref name="parameters"/>. The list is read once (its count, then each element through the
    /// indexer) into a snapshot that is both checked and copied, so a list whose indexer and enumerator disagree, or
    /// whose answers change between reads, either fails before anything is copied or is copied as checked.
    /// </summary>
    /// <exception cref="ArgumentException">The count or a length is wrong; <paramref name="parameters"/> is unchanged.</exception>
    public static void CopyWeights(IReadOnlyList<float[]>? weights, ModelInfo info, Span<float> parameters, string parameterName = "weights")
    {
        if (weights is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        int count = weights.Count;
        if (count != info.Weights.Count)
        {
            ValidateWeights(weights, info, parameterName); // throws the count message
        }

        var snapshot = new float[count][];
        for (int i = 0; i < count; i++)
        {
            snapshot[i] = weights[i];
        }

        ValidateWeights(snapshot, info, parameterName);
        JoinWeights(snapshot, parameters);
    }

    /// <summary>
    /// The batch size of a flat input of <paramref name="length"/> floats, or an <see cref="ArgumentException"/> that
    /// states the expected shape.
    /// </summary>
    public static int BatchSize(int length, ModelInfo info, string parameterName = "input")
    {
        int row = info.InputLength;
        if (length <= 0 || length % row != 0)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} expects batch x {1} x {2} floats (Timesteps x InputDim, a positive multiple of {3}), but the input has {4}.",
                    info.Name, info.Timesteps, info.InputDim, row, length),
                parameterName);
        }

        return length / row;
    }

    /// <summary>
    /// Checks an initial state list for a batch of <paramref name="batch"/> rows: one array per expected state
    /// (named in <paramref name="names"/>) of <c>batch * width</c> floats.
    /// </summary>
    public static void ValidateInitialState(IReadOnlyList<float[]>? initialState, int batch, string modelName, string[] names, int[] widths)
    {
        if (initialState is null)
        {
            throw new ArgumentNullException(nameof(initialState));
        }

        if (initialState.Count != names.Length)
        {
            throw new ArgumentException(
                $"{modelName} expects {names.Length} initial state array(s) ({string.Join(", ", names.Select((n, i) => $"{n} [batch, {widths[i]}]"))}) but got {initialState.Count}.",
                nameof(initialState));
        }

        for (int i = 0; i < names.Length; i++)
        {
            int expected = batch * widths[i];
            if (initialState[i] is null || initialState[i].Length != expected)
            {
                throw new ArgumentException(
                    $"initialState[{i}] ({names[i]}) must be [{batch}, {widths[i]}] = {expected} floats, but has {initialState[i]?.Length.ToString(CultureInfo.InvariantCulture) ?? "null"}.",
                    nameof(initialState));
            }
        }
    }

    /// <summary>
    /// The floats of a generated fixed-size tensor (an <c>[InlineArray]</c> of floats, or a struct of them) as a span
    /// over the value itself. Its length is a constant of the type, folded by the JIT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<float> AsFloats<T>(ref T tensor)
        where T : struct =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref tensor), Unsafe.SizeOf<T>() / sizeof(float));

    /// <summary>Read-only <see cref="AsFloats{T}(ref T)"/> for an <c>in</c> argument.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<float> AsReadOnlyFloats<T>(in T tensor)
        where T : struct =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref Unsafe.AsRef(in tensor)), Unsafe.SizeOf<T>() / sizeof(float));

    /// <summary>
    /// Guards the typed wiring of generated models (<c>Forward&lt;TInput&gt;</c>), which reinterprets one fixed-size tensor as
    /// another of the same shape: a type that implements the shape interface by hand but is not that size is refused
    /// instead of read past its end. Free for generated types: the sizes are JIT-time constants.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireSameSize<TFrom, TTo>()
        where TFrom : struct
        where TTo : struct
    {
        if (Unsafe.SizeOf<TFrom>() != Unsafe.SizeOf<TTo>())
        {
            throw new ArgumentException(
                $"{typeof(TFrom).Name} declares the shape of {typeof(TTo).Name} but holds {Unsafe.SizeOf<TFrom>() / sizeof(float)} floats instead of {Unsafe.SizeOf<TTo>() / sizeof(float)}.");
        }
    }

    /// <summary>Throws the <see cref="ArgumentException"/> of a streaming <c>Step</c> given the wrong number of input floats.</summary>
    [DoesNotReturn]
    public static void ThrowStepInputLength(string modelName, int inputDim, int length) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "{0}.Step expects one timestep of {1} floats, but the input has {2}.", modelName, inputDim, length),
            "input");

    /// <summary>Throws the <see cref="ArgumentException"/> of a streaming <c>Step</c> given room for the wrong number of output floats.</summary>
    [DoesNotReturn]
    public static void ThrowStepOutputLength(string modelName, int outputDim, int length) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "{0}.Step writes {1} floats, but the output has room for {2}.", modelName, outputDim, length),
            "output");

    /// <summary>The exception for a stateful call whose batch size differs from the stored states'.</summary>
    public static InvalidOperationException StatefulBatchMismatch(string modelName, int storedBatch, int batch) =>
        new(string.Format(
            CultureInfo.InvariantCulture,
            "{0} is stateful and holds states for a batch of {1}, but was called with a batch of {2}. Call ResetStates() before changing the batch size (Keras fixes the batch size of a stateful layer the same way).",
            modelName, storedBatch, batch));

    /// <summary>Bytes a packed weight buffer is aligned to: one cache line, and one 512-bit vector.</summary>
    private const int WeightAlignment = 64;

    /// <summary>
    /// Allocates a buffer of packed weights: <paramref name="length"/> floats that start, at <see cref="AlignedStart"/>,
    /// on a 64-byte boundary, so that no 512-bit (or narrower) weight load of the kernels straddles two cache lines.
    /// A straddling load costs two: a 20 KB LSTM(32) matrix-vector product read from unaligned memory took 93 ns, from
    /// aligned memory 50 ns (docs/performance.md). The array is pinned (allocated on the pinned object heap), so the
    /// garbage collector never moves it and the offset of its aligned start never changes.
    /// </summary>
    public static float[] AllocateAligned(int length) =>
        GC.AllocateArray<float>(length + (WeightAlignment / sizeof(float)) - 1, pinned: true);

    /// <summary>The first 64-byte aligned element of an array from <see cref="AllocateAligned"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe ref float AlignedStart(float[] buffer)
    {
        ref float first = ref MemoryMarshal.GetArrayDataReference(buffer);
        nint misalignment = (nint)Unsafe.AsPointer(ref first) & (WeightAlignment - 1);
        return ref Unsafe.AddByteOffset(ref first, (WeightAlignment - misalignment) & (WeightAlignment - 1));
    }

    /// <summary>
    /// The working memory of a parallel call's workers: one array of <paramref name="length"/> floats per worker, made at
    /// the first call that needs that many workers and kept in <paramref name="cache"/>, so that a warm parallel call
    /// allocates nothing.
    /// </summary>
    public static float[][] WorkerArrays(ref float[][]? cache, int workers, int length)
    {
        float[][]? arrays = cache;
        if (arrays is null || arrays.Length < workers)
        {
            arrays = new float[workers][];
            for (int i = 0; i < workers; i++)
            {
                arrays[i] = new float[length];
            }

            cache = arrays;
        }

        return arrays;
    }

    /// <summary>The <paramref name="length"/> floats from <see cref="AlignedStart"/> of a buffer from <see cref="AllocateAligned"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<float> AlignedSpan(float[] buffer, int length) => MemoryMarshal.CreateSpan(ref AlignedStart(buffer), length);
}
