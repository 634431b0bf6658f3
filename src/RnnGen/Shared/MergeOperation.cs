namespace RnnGen;

/// <summary>
/// The Keras merge layer a <see cref="MergeAttribute"/> node applies to its inputs
/// (<c>keras/src/layers/merging/*.py</c>).
/// </summary>
#if RNNGEN_GENERATOR
internal
#else
public
#endif
enum MergeOperation
{
    /// <summary><c>Concatenate()</c> on the last axis: the inputs' features side by side, in the order they are named.</summary>
    Concatenate = 0,

    /// <summary><c>Add()</c>: the element-wise sum of the inputs.</summary>
    Add = 1,

    /// <summary><c>Subtract()</c>: the first input minus the second (exactly two inputs).</summary>
    Subtract = 2,

    /// <summary><c>Multiply()</c>: the element-wise product of the inputs.</summary>
    Multiply = 3,

    /// <summary><c>Average()</c>: the element-wise sum of the inputs divided by their count.</summary>
    Average = 4,

    /// <summary><c>Maximum()</c>: the element-wise largest input.</summary>
    Maximum = 5,

    /// <summary><c>Minimum()</c>: the element-wise smallest input.</summary>
    Minimum = 6,

    /// <summary>
    /// <c>Dot(axes, normalize)</c> of exactly two inputs: sums of products over one axis of each (the last by default;
    /// <see cref="MergeAttribute.Axes"/>), after L2-normalizing along it with <see cref="MergeAttribute.Normalize"/>
    /// (cosine similarity). Two vectors give one value; two sequences a sequence (<c>(Tx, Ty)</c> over the features).
    /// </summary>
    Dot = 7,
}
