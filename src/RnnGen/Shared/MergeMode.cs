namespace RnnGen;

/// <summary>
/// How a bidirectional layer combines its forward and backward outputs: Keras <c>Bidirectional(merge_mode=...)</c>.
/// </summary>
#if RNNGEN_GENERATOR
internal
#else
public
#endif
enum MergeMode
{
    /// <summary><c>"concat"</c> (Keras default): forward and backward outputs side by side on the last axis, forward first.</summary>
    Concat = 0,

    /// <summary><c>"sum"</c>: element-wise <c>forward + backward</c>.</summary>
    Sum = 1,

    /// <summary><c>"mul"</c>: element-wise <c>forward * backward</c>.</summary>
    Mul = 2,

    /// <summary><c>"ave"</c>: element-wise <c>(forward + backward) / 2</c>.</summary>
    Ave = 3,

    /// <summary><c>None</c>: no merge; the forward and backward outputs are returned separately.</summary>
    None = 4,
}
