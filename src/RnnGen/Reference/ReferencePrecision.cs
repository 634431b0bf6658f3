namespace RnnGen.Reference;

/// <summary>The arithmetic a <see cref="ReferenceModel"/> uses.</summary>
internal enum ReferencePrecision
{
    /// <summary>
    /// Every operation rounded to float32, as Keras computes (a float32 sum or product computed in double and rounded
    /// once is the correctly rounded float32 result).
    /// </summary>
    Float32 = 0,

    /// <summary>
    /// Everything in float64: the Keras equations almost exactly. Comparing it with <see cref="Float32"/> measures how
    /// much float32 rounding a given model and input amplify.
    /// </summary>
    Float64 = 1,
}
