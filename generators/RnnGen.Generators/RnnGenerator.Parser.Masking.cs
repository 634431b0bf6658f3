using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private sealed partial class ModelParser
    {
        // Keras Masking (keras/src/layers/core/masking.py): a timestep whose features all equal mask_value is zeroed and
        // masked for the layers after it. RnnGen computes that mask from the model input, so the layer must read the
        // model input: it is the first layer (RNNG050 elsewhere). Any mask value is valid, NaN included (Keras then
        // masks nothing, since NaN differs from every value).
        private LayerSpec? ParseMasking(AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            float maskValue = Float(layer, "MaskValue", 0f, out _);
            if (number != 1)
            {
                Report(DiagnosticDescriptors.MaskingNotFirst, layer.Location, number, incoming.Producer, incoming.ProducerKind);
            }

            return Diagnostics.Skip(errors).Any(IsError)
                ? null
                : ShapeKeepingSpec(LayerKind.Masking, number, incoming) with { MaskValue = maskValue };
        }
    }
}
