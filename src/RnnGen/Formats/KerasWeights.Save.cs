using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Shared;

namespace RnnGen;

// Saving for Keras 3: the .weights.h5 layout of keras/src/saving/saving_lib.py (save_weights_only, H5IOStore) and the
// .keras zip of _save_model_to_fileobj, written by RnnGen's managed HDF5 writer.
public static partial class KerasWeights
{
    /// <summary>
    /// Saves the weights of <paramref name="model"/> where Keras 3 loads them: <c>model.load_weights(path)</c> for a
    /// <c>.weights.h5</c> path, <c>keras.saving.load_model(path)</c> for a <c>.keras</c> path (which also holds the model's
    /// configuration, so Keras rebuilds the model without its code). RnnGen's <see cref="Load(IRnnModel, string)"/> reads
    /// both back.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A <c>.weights.h5</c> holds one group per layer, named as Keras 3 names it (the snake-case class name, then
    /// <c>_1</c>, <c>_2</c>, ... for later layers of the same class): <c>layers/lstm/cell/vars/0..2</c>,
    /// <c>layers/bidirectional/forward_layer/cell/vars/0..2</c>, <c>layers/dense/vars/0..1</c>, with the empty <c>vars</c>
    /// groups Keras 3.0 to 3.9 write (Keras 3.10 and later read them too). Each array is a contiguous little-endian float32
    /// dataset of the <c>get_weights()</c> shape, bit for bit.
    /// </para>
    /// <para>
    /// A <c>.keras</c> archive adds <c>config.json</c>, the Keras 3 configuration of the model as a <c>Sequential</c> of
    /// its layers after an <c>InputLayer</c> of shape <c>(None, Timesteps, InputDim)</c>, and <c>metadata.json</c>. It is
    /// refused for models a Keras <c>Sequential</c> cannot express: layers with <c>ReturnState</c>, a Bidirectional layer
    /// with <c>MergeMode.None</c> (both return several tensors), stateful layers (Keras would need the batch size), and
    /// the activation <c>hard_sigmoid_keras2</c> (Keras 3 has no activation that computes it); save those as
    /// <c>.weights.h5</c> and rebuild the model in Keras.
    /// </para>
    /// <para>
    /// Everything is checked and encoded before the file is touched; the file is then written beside the target and
    /// moved over it, so a failed save leaves an existing file as it was.
    /// </para>
    /// </remarks>
    /// <param name="model">The model whose weights are saved.</param>
    /// <param name="path">A path ending in <c>.weights.h5</c> or <c>.keras</c>, as Keras requires.</param>
    /// <example>
    /// <code>
    /// KerasWeights.Save(model, "forecaster.weights.h5");   // Python: model.load_weights("forecaster.weights.h5")
    /// KerasWeights.Save(model, "forecaster.keras");        // Python: keras.saving.load_model("forecaster.keras")
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The path has another extension, the model's weights do not match its
    /// declaration, or (<c>.keras</c>) the model has no Keras 3 configuration; nothing was written.</exception>
    public static void Save(IRnnModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        WeightFormat format = path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase) ? WeightFormat.WeightsH5
            : path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase) ? WeightFormat.Keras
            : throw new ArgumentException(
                $"'{path}' ends in neither .weights.h5 nor .keras. Keras 3 reads a plain .h5 as the legacy Keras 2 format, so it " +
                "would not load this layout; name the file model.weights.h5 (model.load_weights) or model.keras (keras.saving.load_model). " +
                "For numpy.load, use SaveNpz.",
                nameof(path));
        byte[] bytes = Encode(model, format);

        string full = Path.GetFullPath(path);
        string temporary = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Writes the weights of <paramref name="model"/> to <paramref name="stream"/> as a Keras 3 <c>.weights.h5</c>
    /// (<see cref="WeightFormat.WeightsH5"/>) or <c>.keras</c> archive (<see cref="WeightFormat.Keras"/>); see
    /// <see cref="Save(IRnnModel, string)"/>. The stream need not be seekable; nothing is written if a check fails.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is another format, the stream cannot be written, the
    /// model's weights do not match its declaration, or (<c>.keras</c>) the model has no Keras 3 configuration.</exception>
    public static void Save(IRnnModel model, Stream stream, WeightFormat format = WeightFormat.WeightsH5)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        byte[] bytes = Encode(model, format);
        stream.Write(bytes, 0, bytes.Length);
    }

    private static byte[] Encode(IRnnModel model, WeightFormat format)
    {
        if (format is not (WeightFormat.WeightsH5 or WeightFormat.Keras))
        {
            throw new ArgumentException(
                $"Save writes WeightFormat.WeightsH5 or WeightFormat.Keras, not {format}" +
                (format == WeightFormat.Npz ? "; use SaveNpz for an .npz." : "; RnnGen does not write the legacy Keras 2 .h5 layout."),
                nameof(format));
        }

        float[][] weights = model.GetWeights();
        GeneratedModelSupport.ValidateWeights(weights, model.Info, nameof(model));
        return format == WeightFormat.WeightsH5 ? WeightsFile(model.Info, weights) : KerasArchive(model.Info, weights);
    }

    /// <summary>The Keras 3 <c>.weights.h5</c> of a model declared as <paramref name="info"/> holding <paramref name="weights"/>.</summary>
    internal static byte[] WeightsFile(ModelInfo info, IReadOnlyList<float[]> weights)
    {
        // saving_lib._save_state: every saveable gets <path>/vars for its own variables (the model's is /vars), and its
        // saveable attributes are walked in sorted order: a recurrent layer's cell, a Bidirectional's backward_layer
        // then forward_layer. Layer.save_own_variables numbers the variables 0, 1, ... in get_weights() order.
        var file = new Hdf5Writer();
        file.Root.Group("vars");
        Hdf5WriterGroup layers = file.Root.Group("layers");
        string[] names = RnnGen.Formats.Keras.WeightMatcher.GroupNames(info);
        int next = 0;
        for (int l = 0; l < info.Layers.Count; l++)
        {
            LayerInfo layer = info.Layers[l];
            Hdf5WriterGroup group = layers.Group(names[l]);
            Hdf5WriterGroup own = group.Group("vars");
            if (layer.Kind is LayerKind.Dense or LayerKind.Embedding or LayerKind.Conv1D || layer.IsNormalization)
            {
                WriteVars(own, layer.Weights, weights, next, layer.Kind);
            }
            else if (layer.Bidirectional)
            {
                int perDirection = layer.Weights.Count / 2;
                foreach (var (direction, first) in new[] { ("backward_layer", perDirection), ("forward_layer", 0) })
                {
                    Hdf5WriterGroup wrapped = group.Group(direction);
                    wrapped.Group("vars");
                    WriteVars(wrapped.Group("cell").Group("vars"), layer.Weights.Skip(first).Take(perDirection).ToList(), weights, next + first, layer.Kind);
                }
            }
            else if (layer.IsRecurrent)
            {
                WriteVars(group.Group("cell").Group("vars"), layer.Weights, weights, next, layer.Kind);
            }

            next += layer.Weights.Count;
        }

        return file.ToArray();
    }

    private static void WriteVars(Hdf5WriterGroup vars, IReadOnlyList<WeightShape> shapes, IReadOnlyList<float[]> weights, int first, LayerKind kind)
    {
        for (int i = 0; i < shapes.Count; i++)
        {
            string name = i.ToString(CultureInfo.InvariantCulture);
            if (Shared.LayerShapes.IsScalarWeight(kind, shapes[i].Name[(shapes[i].Name.LastIndexOf('/') + 1)..]))
            {
                // Normalization's count is an int64 variable in Keras (add_weight(dtype="int")): Keras assigns what it
                // reads to it, so it is written as the integer it is.
                vars.Dataset(name, checked((long)Math.Round(weights[first + i][0])));
                continue;
            }

            vars.Dataset(name, weights[first + i], shapes[i].Dimensions);
        }
    }

    /// <summary>
    /// The <c>.keras</c> zip of a model: <c>metadata.json</c>, <c>config.json</c> and <c>model.weights.h5</c>, stored
    /// uncompressed in that order, as saving_lib._save_model_to_fileobj writes them with Python's zipfile defaults.
    /// </summary>
    internal static byte[] KerasArchive(ModelInfo info, IReadOnlyList<float[]> weights)
    {
        byte[] config = ModelConfig(info);
        byte[] weightsFile = WeightsFile(info, weights);
        byte[] metadata = JsonObject(json =>
        {
            // keras_version: the Keras that defines what the file means (RnnGen reads "hard_sigmoid" by it, for one);
            // Keras's loader does not read metadata.json. 3.0.0 is the first release whose loader reads this layout.
            json.WriteString("keras_version", "3.0.0");
            json.WriteString("date_saved", DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture));
        });

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[] { ("metadata.json", metadata), ("config.json", config), ("model.weights.h5", weightsFile) })
            {
                ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                using Stream stream = entry.Open();
                stream.Write(bytes, 0, bytes.Length);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] JsonObject(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
