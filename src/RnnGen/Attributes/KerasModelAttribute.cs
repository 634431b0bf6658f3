using System;

namespace RnnGen;

/// <summary>
/// Declares a model by a trained Keras file: the generator builds the class that the equivalent layer attributes
/// (<see cref="SequentialAttribute"/>, <see cref="LstmAttribute"/>, ...) would build, and by default compiles the file's
/// weights into the assembly, so that the parameterless constructor loads them and no weight file is needed at run time.
/// </summary>
/// <remarks>
/// <para>
/// The file must be part of the build as a <c>KerasModel</c> item, which the RnnGen package's MSBuild targets read at
/// build time (the generator itself never reads a file):
/// <code>&lt;ItemGroup&gt;&lt;KerasModel Include="models/forecaster.keras" /&gt;&lt;/ItemGroup&gt;</code>
/// Supported: a <c>.keras</c> archive (<c>model.save()</c>), a legacy full-model <c>.h5</c>, and an architecture JSON
/// (<c>model.to_json()</c>) with its <c>.weights.h5</c> beside it (<c>model.json</c> and <c>model.weights.h5</c>).
/// Everything <c>LoadWeights</c> checks is checked at build time, as an RNNG04x error on the path.
/// </para>
/// <para>
/// <c>&lt;KerasModel Include="big.keras" EmbedWeights="false" /&gt;</c> keeps the weights out of the assembly: the
/// constructor then draws initial weights as for a hand-written declaration, and the app calls <c>LoadWeights</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [KerasModel("models/forecaster.keras")]
/// public partial class Forecaster;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KerasModelAttribute : Attribute
{
    /// <summary>Declares the model of the Keras file at <paramref name="path"/>.</summary>
    /// <param name="path">The file, relative to the project file, as the <c>KerasModel</c> item names it.</param>
    public KerasModelAttribute(string path) => Path = path;

    /// <summary>The Keras file, relative to the project file.</summary>
    public string Path { get; }

    /// <summary>
    /// The sequence length to compile for, where the Keras model leaves it open (<c>Input(shape=(None, features))</c>)
    /// or differs from it (RNN weights fit any length). 0 (the default) takes the file's.
    /// </summary>
    public int Timesteps { get; set; }
}
