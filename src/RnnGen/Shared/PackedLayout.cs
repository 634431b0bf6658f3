namespace RnnGen.Shared;

/// <summary>
/// The sizes of the packed weights the generated kernels read: the generator lays its packed buffer out with them
/// (ModelLayout) and the runtime writes that many floats (Kernels.KernelPacking, whose remarks give the element order).
/// </summary>
internal static class PackedLayout
{
    /// <summary>Unit blocks of <paramref name="lanes"/> floats that hold <paramref name="units"/>, the last one padded.</summary>
    public static int Blocks(int units, int lanes) => (units + lanes - 1) / lanes;

    /// <summary>
    /// Floats of one packed direction of a recurrent layer: per unit block, every input and recurrent row of every gate,
    /// then its <paramref name="biasRows"/> bias rows.
    /// </summary>
    public static int RecurrentLength(int inputs, int units, int gates, int lanes, int biasRows) =>
        Blocks(units, lanes) * ((inputs + units) * gates * lanes + biasRows * gates * lanes);

    /// <summary>
    /// Floats of one packed direction of a recurrent layer with bfloat16 weights: the same elements in the same order as
    /// <see cref="RecurrentLength"/>, the weights as two bfloat16 per float (every block's run is a whole number of
    /// vectors, so an even count), then the bias rows in float32.
    /// </summary>
    public static int RecurrentLengthBFloat16(int inputs, int units, int gates, int lanes, int biasRows) =>
        RecurrentWeightFloatsBFloat16(inputs, units, gates, lanes) + Blocks(units, lanes) * biasRows * gates * lanes;

    /// <summary>Floats the bfloat16 weights of <see cref="RecurrentLengthBFloat16"/> take before its bias rows.</summary>
    public static int RecurrentWeightFloatsBFloat16(int inputs, int units, int gates, int lanes) =>
        Blocks(units, lanes) * (inputs + units) * gates * lanes / 2;

    /// <summary>Floats of a Dense layer packed for the column kernel: the kernel with its columns padded to whole vectors, then the bias.</summary>
    public static int DenseColumnsLength(int inputs, int units, int lanes) => (inputs + 1) * Blocks(units, lanes) * lanes;

    /// <summary>Floats of a Dense layer packed for the row kernel: the transposed kernel, then the bias.</summary>
    public static int DenseRowsLength(int inputs, int units) => (inputs + 1) * units;

    /// <summary>Floats of a packed LayerNormalization or BatchNormalization of <paramref name="width"/> features: a scale and a shift vector.</summary>
    public static int NormalizationLength(int width) => 2 * width;
}
