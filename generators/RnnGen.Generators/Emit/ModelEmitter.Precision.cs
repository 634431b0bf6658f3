using System.Linq;
using RnnGen.Generators.Model;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Reduced-precision weights (<c>[Sequential(WeightPrecision = WeightPrecision.BFloat16)]</c>): the few places where a
/// bfloat16 model's code differs from a float32 one's. The recurrent kernels keep their loops, tiling and order of
/// sums; only the weight rows are <c>ushort</c>s, loaded through <c>BFloat16.LoadFirstOfPair*</c> /
/// <c>LoadSecondOfPair*</c> (gates packed in pairs) or <c>BFloat16.LoadVector*</c> (an odd last gate), which make float32
/// of them in registers, and the bias rows start after half as many floats. A float32 model's code is unchanged.
/// </summary>
internal sealed partial class ModelEmitter
{
    private bool WeightsInBFloat16 => _layout.RecurrentWeightsInBFloat16;

    /// <summary>The KernelPacking method that packs a recurrent direction.</summary>
    private string RecurrentPackingMethod => WeightsInBFloat16 ? "PackRecurrentBFloat16" : "PackRecurrent";

    private void WriteWeightPrecisionComment()
    {
        if (WeightsInBFloat16)
        {
            _kernels.Line("// WeightPrecision.BFloat16: the weights are bfloat16 (KernelPacking.PackRecurrentBFloat16), two per float of the buffer,");
            _kernels.Line(_kernelGates == 1
                ? "// in that order; each run is widened to float32 as it is loaded, exactly, so the sums are those of a float32 model"
                : "// each row's gates in pairs interleaved lane by lane, shifted or masked out of the pair's vector (an odd last gate is a");
            _kernels.Line(_kernelGates == 1
                ? "// whose weights were rounded to bfloat16. The bias rows stay float32, after the bfloat16 weights."
                : "// run, widened): exactly, so the sums are those of a float32 model whose weights were rounded. The bias rows stay float32.");
        }
    }

    /// <summary>Where the bias rows start, in floats from the direction's packed weights.</summary>
    private string BiasStartConstant(int blocks) => WeightsInBFloat16
        ? $"const int BiasStart = {Int(blocks)} * BlockStride / 2; // floats: the bfloat16 weights take two per float"
        : $"const int BiasStart = {Int(blocks)} * BlockStride;";

    /// <summary>The ref to the weight rows of block <paramref name="j"/> of the group that starts at block <paramref name="index"/>.</summary>
    private string WeightBlockReference(int j, string index) => WeightsInBFloat16
        ? $"ref ushort block{Int(j)} = ref Unsafe.Add(ref Unsafe.As<float, ushort>(ref weights), ({index}) * BlockStride); // bfloat16"
        : $"ref float block{Int(j)} = ref Unsafe.Add(ref weights, ({index}) * BlockStride);";

    /// <summary>The gate count of the recurrent kernel being written (set by WriteRecurrentKernel): with bfloat16, an even count packs the gates in pairs.</summary>
    private int _kernelGates;

    /// <summary>
    /// One vector of weights of block <paramref name="j"/>, row at <paramref name="rowOffset"/>, gate <paramref name="gate"/>,
    /// as float32. bfloat16 gates are packed in pairs lane by lane (KernelPacking.PackRecurrentBFloat16): the pair's vector
    /// is loaded and the gate shifted or masked out; an odd last gate is a plain run, loaded and widened.
    /// </summary>
    private string WeightLoad(string vector, int j, string rowOffset, int gate)
    {
        if (!WeightsInBFloat16)
        {
            return $"{vector}.LoadUnsafe(ref block{Int(j)}, (nuint)({rowOffset}{Int(gate)} * Lanes))";
        }

        if (gate < _kernelGates - _kernelGates % 2)
        {
            string half = gate % 2 == 0 ? "First" : "Second";
            return $"BFloat16.Load{half}OfPair{vector.Substring("Vector".Length)}(ref block{Int(j)}, (nuint)({rowOffset}{Int(gate - gate % 2)} * Lanes))";
        }

        return $"BFloat16.Load{vector}(ref block{Int(j)}, (nuint)({rowOffset}{Int(gate)} * Lanes))";
    }

    /// <summary>
    /// GetWeights: the parameters in Keras layout. With bfloat16 weights the recurrent layers' kernels come back rounded,
    /// as the model computes with them; <c>_parameters</c> keeps the float32 values that were set or trained.
    /// </summary>
    private void WriteGetWeights()
    {
        if (!WeightsInBFloat16)
        {
            _writer.Line("public float[][] GetWeights() => " + Support + ".SplitWeights(_parameters, Info);");
            return;
        }

        _writer.Line("/// <remarks>WeightPrecision.BFloat16: the recurrent layers' kernels come back rounded to bfloat16, the values this model computes with.</remarks>");
        using (_writer.Braces("public float[][] GetWeights()"))
        {
            _writer.Line($"float[][] weights = {Support}.SplitWeights(_parameters, Info);");
            _writer.Line("// WeightPrecision.BFloat16: the recurrent kernels as the model computes with them, rounded to bfloat16.");
            for (int i = 0; i < _layout.Weights.Count; i++)
            {
                WeightLayout weight = _layout.Weights[i];
                if (weight.Layer.Spec.IsRecurrent && weight.Name is "kernel" or "recurrent_kernel")
                {
                    _writer.Line($"global::RnnGen.Kernels.BFloat16.RoundInPlace(weights[{Int(i)}]); // {weight.KerasName}");
                }
            }

            _writer.Line("return weights;");
        }
    }
}
