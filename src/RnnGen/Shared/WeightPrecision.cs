namespace RnnGen;

/// <summary>
/// How a model stores the weights its kernels read: <see cref="SequentialAttribute.WeightPrecision"/>. Biases, states
/// and every activation stay float32 whatever the choice; only the packed kernel matrices of the recurrent layers change.
/// </summary>
#if RNNGEN_GENERATOR
internal
#else
public
#endif
enum WeightPrecision
{
    /// <summary>float32, as Keras stores them (the default): the kernels compute what Keras computes, within a few ulp.</summary>
    Float32 = 0,

    /// <summary>
    /// bfloat16 (float32's sign and 8-bit exponent, 7 stored mantissa bits), rounded to nearest even from float32 when the
    /// weights are set. Halves the bytes a step streams from the cache; each weight then carries a relative error of at
    /// most 2^-8 (about 0.4%), which the recurrent sums carry into the outputs (docs/performance.md states the error
    /// measured against Keras on the golden cases, and the speed).
    /// </summary>
    BFloat16 = 1,
}
