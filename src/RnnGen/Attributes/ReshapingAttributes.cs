using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras <c>Flatten</c> layer in a <see cref="SequentialAttribute"/> stack: a sequence
/// <c>(timesteps, features)</c> becomes one vector of <c>timesteps * features</c> values, timestep after timestep
/// (<c>keras/src/layers/reshaping/flatten.py</c>); a vector passes through unchanged. It has no weights.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}

/// <summary>
/// Declares a Keras <c>Reshape</c> layer in a <see cref="SequentialAttribute"/> stack: the same values, in row-major
/// order, as a vector <c>(targetFeatures)</c> or a sequence <c>(targetTimesteps, targetFeatures)</c>
/// (<c>keras/src/layers/reshaping/reshape.py</c>). One of the two may be -1: it is what the other leaves, as in Keras.
/// The target must hold as many values as the input. It has no weights.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute : Attribute
{
    /// <summary>Declares <c>Reshape((targetFeatures,))</c>: the values as one vector.</summary>
    /// <param name="targetFeatures">The vector's length (the input's value count), or -1.</param>
    public ReshapeAttribute(int targetFeatures) => TargetFeatures = targetFeatures;

    /// <summary>Declares <c>Reshape((targetTimesteps, targetFeatures))</c>: the values as a sequence.</summary>
    /// <param name="targetTimesteps">Timesteps of the output sequence, or -1.</param>
    /// <param name="targetFeatures">Features per timestep, or -1.</param>
    public ReshapeAttribute(int targetTimesteps, int targetFeatures)
    {
        TargetTimesteps = targetTimesteps;
        TargetFeatures = targetFeatures;
    }

    /// <summary>Timesteps of the output sequence (0 when the target is a vector).</summary>
    public int TargetTimesteps { get; }

    /// <summary>Features per timestep of the output, or the vector's length.</summary>
    public int TargetFeatures { get; }
}

/// <summary>
/// Declares a Keras <c>RepeatVector</c> layer in a <see cref="SequentialAttribute"/> stack: a vector
/// <c>(features)</c> repeated <c>n</c> times, a sequence <c>(n, features)</c> (<c>keras/src/layers/reshaping/repeat_vector.py</c>):
/// the bridge from an encoder's last output to a decoder that returns sequences. It has no weights.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RepeatVectorAttribute : Attribute
{
    /// <summary>Declares <c>RepeatVector(n)</c>.</summary>
    /// <param name="n">Timesteps of the output sequence; positive.</param>
    public RepeatVectorAttribute(int n) => N = n;

    /// <summary>Timesteps of the output sequence: Keras <c>n</c>.</summary>
    public int N { get; }
}
