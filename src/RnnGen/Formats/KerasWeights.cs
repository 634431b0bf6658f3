using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RnnGen.Formats.Keras;
using RnnGen.Formats.Npz;

namespace RnnGen;

/// <summary>
/// Loads real Keras weight files into RnnGen models with a managed reader (no Python, no native HDF5): Keras 3
/// <c>.keras</c> archives and <c>.weights.h5</c> files, legacy Keras 2 / tf.keras <c>.h5</c> files (full model or
/// weights only) and NumPy <c>.npz</c> files of <c>model.get_weights()</c>; and saves weights as <c>.npz</c>.
/// </summary>
/// <remarks>
/// <para>
/// Layers are matched by position and kind among the layers that hold weights (a Bidirectional layer holds the forward
/// arrays, then the backward ones). Where the file carries the model configuration (<c>.keras</c>, full-model
/// <c>.h5</c>) each layer's options are checked against the declaration too, with activations read the way the
/// file's Keras version computes them (Keras 2's <c>hard_sigmoid</c> is RnnGen's <c>hard_sigmoid_keras2</c>). Any
/// difference throws one <see cref="ArgumentException"/> that lists, layer by layer, what the model declares and what
/// the file holds, and nothing is loaded.
/// </para>
/// <para>
/// A layer without weights in a file that records the configuration is passed over only when it changes nothing at
/// inference (InputLayer, Dropout, SpatialDropout, GaussianNoise, GaussianDropout, AlphaDropout,
/// ActivityRegularization, <c>Activation('linear')</c>). An <c>Activation</c>, <c>Rescaling</c> or <c>Masking</c> pairs
/// with the declared <c>[Activation]</c>, <c>[Rescaling]</c> or <c>[Masking]</c> at the same place, or an
/// <c>Activation(a)</c> directly after a linear Dense folds into a Dense declared with <c>Activation = a</c>. Any other
/// (one of those the declaration lacks, Lambda, Permute, RepeatVector, ...) makes the load fail, because the declaration would compute something
/// else; a caller who applies such a layer itself names it in the <c>ignoredLayers</c> overloads.
/// </para>
/// <para>
/// A damaged, foreign or hostile file throws <see cref="InvalidDataException"/> saying what was expected, in time and
/// memory proportional to its size: every structure the file declares (HDF5 links, B-trees, chunks, archive entries,
/// JSON) is bounded by the file's size or a documented limit (docs/hostile-files.md), and a load that passes one names
/// it. Only <see cref="InvalidDataException"/>, a plain <see cref="ArgumentException"/> (a file that does not match the
/// declaration) and <see cref="IOException"/> come out of these members.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var model = new Forecaster();
/// KerasWeights.Load(model, "forecaster.keras");
/// Console.WriteLine(KerasWeights.Inspect("forecaster.keras").ToDeclaration("Forecaster"));
/// </code>
/// </example>
public static partial class KerasWeights
{
    /// <summary>Loads the weights in <paramref name="path"/> (format detected from the content) into <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The file does not match the model's declaration; nothing was loaded.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static void Load(IRnnModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.SetWeights(Read(path, model.Info));
    }

    /// <summary>
    /// Loads the weights in <paramref name="path"/> into <paramref name="model"/>, passing over the file layers named in
    /// <paramref name="ignoredLayers"/>: layers the declaration does not have (an <c>Activation('relu')</c> after a
    /// recurrent layer, a <c>Masking</c> whose mask the caller passes to the masked overloads, a <c>Lambda</c>, ...) that
    /// the caller applies to the inputs or outputs itself. Only those are
    /// passed over; any other difference still fails the load.
    /// </summary>
    /// <param name="model">The model to load into; unchanged if the load fails.</param>
    /// <param name="path">A <c>.keras</c>, <c>.weights.h5</c>, legacy <c>.h5</c> or <c>.npz</c> file.</param>
    /// <param name="ignoredLayers">Names of file layers as the file spells them (<c>activation_5</c>), as
    /// <see cref="Inspect(string)"/> and <c>rnngen inspect</c> list them.</param>
    /// <example><c>KerasWeights.Load(model, "model.h5", new[] { "activation_5" });</c> then apply relu to the outputs.</example>
    /// <exception cref="ArgumentException">The file does not match the model's declaration, or has no layer of a name in
    /// <paramref name="ignoredLayers"/>; nothing was loaded.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static void Load(IRnnModel model, string path, IEnumerable<string> ignoredLayers)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.SetWeights(Read(path, model.Info, ignoredLayers));
    }

    /// <summary>Loads weights of <paramref name="format"/> (or <see cref="WeightFormat.Detect"/>) from <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">The file does not match the model's declaration; nothing was loaded.</exception>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of that format.</exception>
    public static void Load(IRnnModel model, Stream stream, WeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.SetWeights(Read(stream, format, model.Info));
    }

    /// <summary>
    /// Loads weights of <paramref name="format"/> from <paramref name="stream"/>, passing over the file layers named in
    /// <paramref name="ignoredLayers"/>; see <see cref="Load(IRnnModel, string, IEnumerable{string})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The file does not match the model's declaration, or has no layer of a name in
    /// <paramref name="ignoredLayers"/>; nothing was loaded.</exception>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of that format.</exception>
    public static void Load(IRnnModel model, Stream stream, WeightFormat format, IEnumerable<string> ignoredLayers)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.SetWeights(Read(stream, format, model.Info, ignoredLayers));
    }

    /// <summary>
    /// Reads the weights in <paramref name="path"/> for a model declared as <paramref name="info"/>, checked against the
    /// declaration: one array per <see cref="ModelInfo.Weights"/> entry, in Keras <c>get_weights()</c> order.
    /// </summary>
    /// <exception cref="ArgumentException">The file does not match <paramref name="info"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static float[][] Read(string path, ModelInfo info) => Read(path, info, Array.Empty<string>());

    /// <summary>
    /// Reads the weights in <paramref name="path"/> for a model declared as <paramref name="info"/>, passing over the file
    /// layers named in <paramref name="ignoredLayers"/>; see <see cref="Load(IRnnModel, string, IEnumerable{string})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The file does not match <paramref name="info"/>, or has no layer of a name in
    /// <paramref name="ignoredLayers"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static float[][] Read(string path, ModelInfo info, IEnumerable<string> ignoredLayers)
    {
        ArgumentNullException.ThrowIfNull(info);
        string[] ignored = IgnoredNames(ignoredLayers);
        string source = Path.GetFileName(path);
        byte[] data = ReadFile(path);
        return Guarded(source, () => WeightMatcher.Match(KerasFileReader.Read(data, WeightFormat.Detect, source, KerasFileReader.InflateLimit(info)), info, ignored));
    }

    /// <summary>Reads weights of <paramref name="format"/> from <paramref name="stream"/>, passing over the file layers named in <paramref name="ignoredLayers"/>.</summary>
    /// <exception cref="ArgumentException">The stream does not match <paramref name="info"/>, or has no layer of a name in
    /// <paramref name="ignoredLayers"/>.</exception>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of that format.</exception>
    public static float[][] Read(Stream stream, WeightFormat format, ModelInfo info, IEnumerable<string> ignoredLayers)
    {
        ArgumentNullException.ThrowIfNull(info);
        string[] ignored = IgnoredNames(ignoredLayers);
        byte[] data = ReadStream(stream);
        return Guarded("stream", () => WeightMatcher.Match(KerasFileReader.Read(data, format, "stream", KerasFileReader.InflateLimit(info)), info, ignored));
    }

    /// <summary>Reads weights of <paramref name="format"/> from <paramref name="stream"/> for a model declared as <paramref name="info"/>.</summary>
    /// <exception cref="ArgumentException">The stream does not match <paramref name="info"/>.</exception>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of that format.</exception>
    public static float[][] Read(Stream stream, WeightFormat format, ModelInfo info) => Read(stream, format, info, Array.Empty<string>());

    /// <summary>Describes what <paramref name="path"/> holds: format, Keras version, layers, configurations and weight shapes.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable Keras weight file.</exception>
    public static KerasFileInfo Inspect(string path)
    {
        byte[] data = ReadFile(path);
        string source = Path.GetFileName(path);
        return Guarded(source, () => KerasFileReader.Read(data, WeightFormat.Detect, source).Info);
    }

    /// <summary>Describes what <paramref name="stream"/> holds; see <see cref="Inspect(string)"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a readable Keras weight file of that format.</exception>
    public static KerasFileInfo Inspect(Stream stream, WeightFormat format = WeightFormat.Detect)
    {
        byte[] data = ReadStream(stream);
        return Guarded("stream", () => KerasFileReader.Read(data, format, "stream").Info);
    }

    /// <summary>Which of the <see cref="WeightFormat"/> layouts the file at <paramref name="path"/> is, judged by its content.</summary>
    /// <exception cref="InvalidDataException">The file is none of them.</exception>
    public static WeightFormat DetectFormat(string path)
    {
        byte[] data = ReadFile(path);
        return Guarded(Path.GetFileName(path), () => KerasFileReader.Detect(data));
    }

    /// <summary>
    /// Saves the weights of <paramref name="model"/> as <c>numpy.savez(path, *model.get_weights())</c> would: arrays
    /// <c>arr_0</c>, <c>arr_1</c>, ... of float32 in C order. <see cref="Load(IRnnModel, string)"/> and
    /// <c>numpy.load</c> read it back.
    /// </summary>
    public static void SaveNpz(IRnnModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        SaveNpz(model, file);
    }

    /// <summary>Writes the weights of <paramref name="model"/> to <paramref name="stream"/> as an <c>.npz</c> archive.</summary>
    public static void SaveNpz(IRnnModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        float[][] weights = model.GetWeights();
        GeneratedModelSupport.ValidateWeights(weights, model.Info, nameof(model));
        NpzArchive.Write(stream, weights, model.Info.Weights);
    }

    private static string[] IgnoredNames(IEnumerable<string> ignoredLayers)
    {
        ArgumentNullException.ThrowIfNull(ignoredLayers);
        string[] names = ignoredLayers.ToArray();
        if (names.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("ignoredLayers holds a null or empty name; name file layers as rnngen inspect lists them.", nameof(ignoredLayers));
        }

        return names;
    }

    /// <summary>
    /// Runs a read of <paramref name="source"/> so that only the documented exceptions leave it:
    /// <see cref="InvalidDataException"/> (a damaged or hostile file), a plain <see cref="ArgumentException"/> (a readable
    /// file that does not match the declaration) and <see cref="IOException"/>. The readers check what they read and
    /// throw <see cref="InvalidDataException"/> themselves; anything else that escapes a parser is a gap in those checks,
    /// and is reported as a damaged file naming the source and the exception rather than as an unexplained
    /// <see cref="InvalidOperationException"/>, <see cref="IndexOutOfRangeException"/> or the like.
    /// <see cref="OutOfMemoryException"/> passes through: every allocation is bounded by the file's size and the limits
    /// in docs/hostile-files.md, so it means the process ran short of memory, not that the file is bad.
    /// </summary>
    internal static T Guarded<T>(string source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (InvalidDataException or IOException or OutOfMemoryException) && e.GetType() != typeof(ArgumentException))
        {
            throw new InvalidDataException($"'{source}' is not a readable Keras weight file: reading it failed with {e.GetType().Name} ({e.Message}).", e);
        }
    }

    internal static byte[] ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileInfo(path);
        if (file.Exists && file.Length > KerasFileReader.MaxBytes)
        {
            throw new InvalidDataException($"'{path}' is {file.Length} bytes; RnnGen reads weight files of up to 2 GiB.");
        }

        return File.ReadAllBytes(path);
    }

    private const int InitialStreamBuffer = 16 << 20;

    internal static byte[] ReadStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        // The whole file is needed (HDF5 and zip are read by offset), so buffer it; a non-seekable stream works too. The
        // stated length only sizes the first buffer, up to 16 MiB: a stream may claim gigabytes and hold four bytes.
        long stated = stream.CanSeek ? stream.Length - stream.Position : 0;
        using var buffer = new MemoryStream((int)Math.Clamp(stated, 0, InitialStreamBuffer));
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > KerasFileReader.MaxBytes)
            {
                throw new InvalidDataException("The stream holds more than 2 GiB; RnnGen reads weight files of up to 2 GiB.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
