using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The forward pass: <c>Run</c> chains the layers; each layer has a method that walks the timesteps and calls, through
/// a dispatch on the hardware's vector width, the SIMD kernel of its cell (ModelEmitter.Kernels.cs). Hot methods are
/// compiled fully optimized from their first call (AggressiveOptimization), so a real-time caller never runs the
/// unoptimized first tier.
/// </summary>
internal sealed partial class ModelEmitter
{
    private const string Vector512Accelerated = "global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated";
    private const string Vector256Accelerated = "global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated";

    private void WriteCompute()
    {
        WritePacking();
        WriteDrivers(Pass.Single);
        foreach (LayerLayout layer in _layout.ComputeLayers.Where(l => l.Spec.Kind == LayerKind.Dense))
        {
            WriteDenseDispatch(layer);
            foreach (int lanes in layer.DistinctLanes)
            {
                WriteDenseKernel(layer, lanes);
            }
        }

        WriteActivationHelpers();
        WriteBatchCompute();
    }

    private string PackedOffsetName(DirectionLayout direction, int tier) =>
        $"{direction.Pascal}PackedOffset{Tiers[tier].Bits}";

    private void WritePacking()
    {
        _writer.Line("// The weights in the order the kernels read them (Kernels.KernelPacking), for the vector width this machine runs.");
        _writer.Line("// Rebuilt by every SetWeights; GetWeights still answers from _parameters, in Keras layout.");
        using (_writer.Braces("private void PackWeights()"))
        {
            _writer.Line($"{ReadOnlySpan} parameters = _parameters;");
            _writer.Line($"{Span} packed = {Support}.AlignedSpan(_packed, PackedLength);");
            for (int tier = 0; tier < Tiers.Length; tier++)
            {
                string condition = tier switch
                {
                    0 => $"if ({Vector512Accelerated})",
                    1 => $"else if ({Vector256Accelerated})",
                    _ => "else",
                };
                using (_writer.Braces(condition))
                {
                    foreach (LayerLayout layer in _layout.ComputeLayers)
                    {
                        LayerSpec s = layer.Spec;
                        int lanes = layer.Lanes[tier];
                        foreach (DirectionLayout direction in layer.Directions)
                        {
                            string Weight(string name) =>
                                direction.Weights.TryGetValue(name, out WeightLayout? w)
                                    ? $"parameters.Slice({w.ConstantName}, {Int(w.Length)})"
                                    : $"{ReadOnlySpan}.Empty";
                            string target = $"packed.Slice({PackedOffsetName(direction, tier)})";
                            if (s.Kind == LayerKind.Dense)
                            {
                                _writer.Line(layer.DenseUsesRows
                                    ? $"global::RnnGen.Kernels.KernelPacking.PackDenseRows({Weight("kernel")}, {Weight("bias")}, {target}, inputs: {Int(s.InputWidth)}, units: {Int(s.Units)});"
                                    : $"global::RnnGen.Kernels.KernelPacking.PackDenseColumns({Weight("kernel")}, {Weight("bias")}, {target}, inputs: {Int(s.InputWidth)}, units: {Int(s.Units)}, lanes: {Int(lanes)});");
                            }
                            else
                            {
                                _writer.Line($"global::RnnGen.Kernels.KernelPacking.PackRecurrent({Weight("kernel")}, {Weight("recurrent_kernel")}, {Weight("bias")}, {target},");
                                _writer.Line($"    inputs: {Int(s.InputWidth)}, units: {Int(s.Units)}, gates: {Int(s.GateCount)}, lanes: {Int(lanes)}, biasRows: {Int(LayerShapes.BiasRows(s.Kind, s.ResetAfter))});");
                            }
                        }
                    }
                }
            }
        }

        _writer.Line();
    }

    private void WriteDenseDispatch(LayerLayout layer)
    {
        LayerSpec s = layer.Spec;
        DirectionLayout direction = layer.Directions[0];
        _writer.Line($"// One row of {s.Name}, with the kernel for this machine's vector width{(layer.DenseUsesRows ? string.Empty : "; scratch[rowOffset..] takes the padded row")}.");
        _writer.Line(MethodImplInline);
        using (_writer.Braces($"private void {layer.Pascal}Row({ReadOnlySpan} x, {Span} y, float[] scratch, int rowOffset)"))
        {
            _writer.Line($"ref float weights = ref {Support}.AlignedStart(_packed);");
            _writer.Line($"ref float input = ref {MemoryMarshal}.GetReference(x);");
            string destination = layer.DenseUsesRows ? "y" : "padded";
            if (!layer.DenseUsesRows)
            {
                // The kernel writes whole vectors, so it writes a padded row that is then copied.
                _writer.Line($"{Span} padded = new {Span}(scratch, rowOffset, {Int(PaddedUnits(s.Units))});");
            }

            WriteTierDispatch(layer, (tier, lanes) =>
                $"{Kernels}.{layer.Pascal}RowX{Int(lanes)}(ref input, ref {MemoryMarshal}.GetReference({destination}), ref {Unsafe}.Add(ref weights, {PackedOffsetName(direction, tier)}));");
            if (!layer.DenseUsesRows)
            {
                _writer.Line($"padded.Slice(0, {Int(s.Units)}).CopyTo(y);");
            }

            if (s.Activation == "softmax")
            {
                _writer.Line($"{Activations}.Softmax(y);");
            }
        }

        _writer.Line();
    }

    // if (Vector512...) call(tier 0) else if (Vector256...) call(tier 1) else call(tier 2); the JIT keeps one branch.
    private void WriteTierDispatch(LayerLayout layer, System.Func<int, int, string> call)
    {
        for (int tier = 0; tier < Tiers.Length; tier++)
        {
            _writer.Line(tier switch
            {
                0 => $"if ({Vector512Accelerated})",
                1 => $"else if ({Vector256Accelerated})",
                _ => "else",
            });
            _writer.Line("{");
            _writer.Line("    " + call(tier, layer.Lanes[tier]));
            _writer.Line("}");
        }
    }


}
