namespace RnnGen;

/// <summary>The Keras weight file layouts <see cref="KerasWeights"/> reads.</summary>
public enum WeightFormat
{
    /// <summary>Work the format out from the content (zip or HDF5, then what the archive or file holds).</summary>
    Detect = 0,

    /// <summary>
    /// A Keras 3 <c>.keras</c> archive from <c>model.save("m.keras")</c>: a zip of <c>config.json</c>,
    /// <c>metadata.json</c> and <c>model.weights.h5</c> (also written by tf.keras 2.13-2.15).
    /// </summary>
    Keras = 1,

    /// <summary>
    /// A Keras 3 <c>.weights.h5</c> from <c>model.save_weights("m.weights.h5")</c>: groups
    /// <c>layers/&lt;layer&gt;/.../vars/0, 1, ...</c> (tf.keras 2.13-2.15: <c>_layer_checkpoint_dependencies/...</c>).
    /// </summary>
    WeightsH5 = 2,

    /// <summary>
    /// A legacy Keras 2 / tf.keras HDF5 file from <c>model.save("m.h5")</c> (weights under <c>model_weights</c>,
    /// architecture in the root attribute <c>model_config</c>) or <c>model.save_weights("m.h5")</c>.
    /// </summary>
    LegacyH5 = 3,

    /// <summary>A NumPy <c>.npz</c> from <c>numpy.savez(path, *model.get_weights())</c>.</summary>
    Npz = 4,
}
