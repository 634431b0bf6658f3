using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Npz;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Keras;

/// <summary>
/// Opens any Keras weight file RnnGen reads and describes it as layers of readable weight arrays. The format is decided
/// by the content: a zip is a <c>.keras</c> archive if it holds <c>model.weights.h5</c> and an <c>.npz</c> if it holds
/// <c>.npy</c> arrays; an HDF5 file is a Keras 3 <c>.weights.h5</c> if it has a <c>layers</c> (or, from tf.keras
/// 2.13-2.15, <c>_layer_checkpoint_dependencies</c>) group, and a legacy <c>.h5</c> if it has <c>model_weights</c> or
/// a <c>layer_names</c> attribute.
/// </summary>
internal static partial class KerasFileReader
{
    /// <summary>The largest weight file or archive entry read (the largest .NET byte array).</summary>
    public const long MaxBytes = int.MaxValue - 1024;

    /// <summary>
    /// The largest <c>config.json</c> read from a <c>.keras</c> archive. Keras writes about 1-2 KB per layer, so 16 MiB
    /// is some ten thousand layers; a larger one is refused before it is inflated (a deflated run of zeros could
    /// otherwise make a small archive cost gigabytes).
    /// </summary>
    public const long MaxConfigBytes = 16L << 20;

    /// <summary>
    /// The most layers a file may list (in its configuration, its <c>layer_names</c> or its <c>layers</c> group).
    /// Describing a layer costs a few kilobytes whatever the file spends on it (a link to a group is some 20 bytes), so
    /// this keeps a file of nothing but layer links within a fixed amount of memory. RnnGen models have tens of layers;
    /// a generated model of thousands would itself be megabytes of code.
    /// </summary>
    public const int MaxLayers = 4096;

    /// <summary>The error for a file listing more than <see cref="MaxLayers"/> layers.</summary>
    internal static InvalidDataException TooManyLayers(string what, int count) =>
        new($"The {what} lists {count} layers, more than the {MaxLayers} RnnGen reads from one file.");

    /// <summary>The largest <c>metadata.json</c> read (Keras writes about 100 bytes: version and date).</summary>
    public const long MaxMetadataBytes = 1L << 20;

    public static WeightFormat Detect(byte[] data)
    {
        if (ZipContainer.HasSignature(data))
        {
            var zip = new ZipContainer(data, "zip archive");
            return DetectZip(zip);
        }

        if (Hdf5File.HasSignature(data))
        {
            return DetectHdf5(Hdf5File.Open(data));
        }

        throw new InvalidDataException(
            $"Not a Keras weight file: expected a zip archive (.keras, .npz; starts with \"PK\") or an HDF5 file (.h5; starts with \"\\x89HDF\"), but the file starts with {Hdf5Cursor.Printable(data.AsSpan(0, Math.Min(8, data.Length)))}.");
    }

    /// <summary>
    /// The most bytes a load inflates out of an archive (model.weights.h5 of a .keras, the arrays of an .npz) for a
    /// model declared as <paramref name="info"/>: 16 MiB plus 16 times the declared weights as float32. That leaves
    /// room for float64 weights, an optimizer's slots (Adam keeps two per weight) and the HDF5 structure around them,
    /// and refuses a decompression bomb before it is inflated.
    /// </summary>
    public static long InflateLimit(ModelInfo info)
    {
        long elements = 0;
        foreach (WeightShape shape in info.Weights)
        {
            elements += shape.Length;
        }

        return Math.Min(MaxBytes, BaseInflateBytes + 16 * 4 * elements);
    }

    /// <summary>
    /// The most bytes <c>Inspect</c>, which has no declaration to go by, inflates out of an archive: 64 MiB, or 100
    /// times the archive's size when that is more. Real weights barely compress (float32 noise deflates by a few
    /// percent); only an archive of almost nothing but zeros expands further.
    /// </summary>
    public static long InspectInflateLimit(long archiveBytes) => Math.Min(MaxBytes, Math.Max(InspectInflateBytes, InspectInflateRatio * archiveBytes));

    private const long BaseInflateBytes = 16L << 20;
    private const long InspectInflateBytes = 64L << 20;
    private const long InspectInflateRatio = 100;

    /// <summary>
    /// Reads a weight file. <paramref name="inflateLimit"/> bounds what is inflated out of an archive (see
    /// <see cref="InflateLimit"/>); <see langword="null"/> applies <see cref="InspectInflateLimit"/>.
    /// </summary>
    public static KerasFileContents Read(byte[] data, WeightFormat requested, string source, long? inflateLimit = null)
    {
        WeightFormat detected;
        ZipContainer? zip = null;
        Hdf5File? hdf5 = null;
        if (ZipContainer.HasSignature(data))
        {
            zip = new ZipContainer(data, $"zip archive '{source}'");
            detected = DetectZip(zip);
        }
        else if (Hdf5File.HasSignature(data))
        {
            hdf5 = Hdf5File.Open(data);
            detected = DetectHdf5(hdf5);
        }
        else
        {
            detected = Detect(data); // throws with the reason
        }

        if (requested != WeightFormat.Detect && requested != detected)
        {
            throw new InvalidDataException($"'{source}' was read as {Describe(requested)}, but it is {Describe(detected)}.");
        }

        return detected switch
        {
            WeightFormat.LegacyH5 => ReadLegacy(hdf5!, source),
            WeightFormat.WeightsH5 => ReadWeightsH5(hdf5!, source, null, null, null),
            WeightFormat.Keras => ReadArchive(zip!, source, Limit(zip!, inflateLimit)),
            _ => ReadNpz(zip!, source, Limit(zip!, inflateLimit)),
        };
    }

    private static (long Bytes, string Text) Limit(ZipContainer zip, long? inflateLimit) => inflateLimit is long limit
        ? (limit, "the load inflates for the declared weights (16 MiB + 16 x their float32 size)")
        : (InspectInflateLimit(zip.Size), "Inspect inflates (64 MiB, or 100 x the archive's size)");

    public static string Describe(WeightFormat format) => format switch
    {
        WeightFormat.Keras => "a .keras archive",
        WeightFormat.WeightsH5 => "a Keras 3 .weights.h5 file",
        WeightFormat.LegacyH5 => "a legacy Keras .h5 file",
        WeightFormat.Npz => "a NumPy .npz archive",
        _ => "a file of undetected format",
    };

    private static WeightFormat DetectZip(ZipContainer zip)
    {
        if (zip.Contains("model.weights.h5") || zip.Contains("config.json") || zip.Contains("metadata.json"))
        {
            return WeightFormat.Keras;
        }

        if (zip.EntryNames.Any(n => n.EndsWith(".npy", StringComparison.Ordinal)))
        {
            return WeightFormat.Npz;
        }

        throw new InvalidDataException(
            "A zip archive without model.weights.h5 (so not a .keras file) and without .npy arrays (so not an .npz file); " +
            $"it holds: {string.Join(", ", zip.EntryNames.Take(10).DefaultIfEmpty("nothing"))}.");
    }

    private static WeightFormat DetectHdf5(Hdf5File file)
    {
        Hdf5Object root = file.Root;
        if (root.HasChild("layers") || root.HasChild("_layer_checkpoint_dependencies"))
        {
            return WeightFormat.WeightsH5;
        }

        if (root.HasChild("model_weights") || root.Attribute("layer_names") is not null || root.Attribute("layer_names0") is not null)
        {
            return WeightFormat.LegacyH5;
        }

        if (root.HasChild("vars"))
        {
            return WeightFormat.WeightsH5; // a Keras 3 model without layers
        }

        throw new InvalidDataException(
            "An HDF5 file, but not a Keras weight file: it has neither a 'layers' group (Keras 3 .weights.h5) nor 'model_weights' or a 'layer_names' attribute (legacy Keras .h5). " +
            $"Its root holds: {string.Join(", ", root.ChildNames.Take(10).DefaultIfEmpty("nothing"))}.");
    }

    // ---- helpers ----

    private static FileWeight Weight(string name, Hdf5Object data)
    {
        Hdf5Dataset dataset = data.Dataset;
        // An integer scalar is Normalization's count (an int64 of shape ()): read as the one float RnnGen keeps of it.
        // Integer arrays stay refused by ReadFloats, with the type named.
        return dataset.Datatype.Class == Hdf5TypeClass.FixedPoint && dataset.Dataspace.Dimensions.Length == 0
            ? new FileWeight(name, dataset.Dataspace.Dimensions, _ => new[] { (float)dataset.ReadInteger() })
            : new FileWeight(name, dataset.Dataspace.Dimensions, max => dataset.ReadFloats(max));
    }

    /// <summary>
    /// A string-list attribute, or its pieces <c>name0</c>, <c>name1</c>, ... that Keras writes when the list is too big
    /// for an object header (legacy_h5_format.save_attributes_to_hdf5_group, HDF5_OBJECT_HEADER_LIMIT = 64512).
    /// </summary>
    private static string[]? StringList(Hdf5Object owner, string name)
    {
        Hdf5Attribute? whole = owner.Attribute(name);
        if (whole is not null)
        {
            return whole.ReadStrings();
        }

        var parts = new List<string>();
        int chunk = 0;
        for (Hdf5Attribute? part = owner.Attribute(name + "0"); part is not null; part = owner.Attribute(name + (++chunk).ToString(CultureInfo.InvariantCulture)))
        {
            parts.AddRange(part.ReadStrings());
        }

        return chunk == 0 ? null : parts.ToArray();
    }

    private static string? OptionalString(Hdf5Object owner, string name)
    {
        Hdf5Attribute? attribute = owner.Attribute(name);
        return attribute is null ? null : attribute.ReadString();
    }

    private static int? FirstKernelRows(List<FileLayer> layers)
    {
        FileLayer? first = layers.FirstOrDefault(l => l.Weights.Count > 0);
        return first is null ? null
            : first.Description.Kind == LayerKind.Embedding ? 1 // its input is one token per timestep; the table's rows are input_dim
            : first.Weights[0].Dimensions.Length == 2 ? first.Weights[0].Dimensions[0]
            : first.Description.Kind is LayerKind.LayerNormalization or LayerKind.BatchNormalization or LayerKind.Normalization ? first.Weights[0].Dimensions[0]
            : null;
    }

    private static string NaturalKey(string name)
    {
        // lstm, lstm_1, lstm_2, ..., lstm_10: pad the counter so that names sort in creation order.
        int underscore = name.LastIndexOf('_');
        return underscore > 0 && int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? name[..underscore] + "\u0001" + n.ToString("D9", CultureInfo.InvariantCulture)
            : name + "\u0000";
    }
}
