using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private sealed partial class ModelParser
    {
        // Keras GlobalAveragePooling1D / GlobalMaxPooling1D (keras/src/layers/pooling/global_*_pooling1d.py): a
        // (timesteps, features) sequence in, (features) out; no weights, no options RnnGen needs (channels_last and
        // keepdims=False, Keras's defaults, are the only forms the attributes declare).
        private LayerSpec? ParseGlobalPooling(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            LayerKind kind = layer.Kind == AttributeKind.GlobalAveragePooling1D ? LayerKind.GlobalAveragePooling1D : LayerKind.GlobalMaxPooling1D;
            if (incoming.IsSequence == false)
            {
                if (IsGlobalPooling(incoming.LastRecurrentKind))
                {
                    ReportSequenceAfterGlobalPooling(layer, number, incoming);
                }
                else
                {
                    // The same mistake as a recurrent layer after one that returns its last output only (RNNG012).
                    ReportWithoutSequence(layers, layer, number, incoming);
                }

                return null;
            }

            return ShapeKeepingSpec(kind, number, incoming); // no time axis out: LayerShapes.OutputIsSequence
        }

        // RNNG056: a layer that needs a sequence after a global pooling layer, which has reduced it to one vector.
        private void ReportSequenceAfterGlobalPooling(AttributeInput layer, int number, Incoming incoming)
        {
            string passedOn = incoming.Producer == incoming.LastRecurrent
                ? string.Empty
                : $" (layer {incoming.Producer} ({incoming.ProducerKind}) passes on its vector)";
            string fix = IsGlobalPooling(layer.Kind)
                ? "remove one of the two pooling layers"
                : $"put layer {number} before layer {incoming.LastRecurrent}, or remove layer {incoming.LastRecurrent}";
            Report(DiagnosticDescriptors.SequenceAfterGlobalPooling, layer.Location, number, layer.Kind,
                incoming.LastRecurrent, incoming.LastRecurrentKind, passedOn, fix);
        }

        private static bool IsGlobalPooling(AttributeKind kind) => kind is AttributeKind.GlobalAveragePooling1D or AttributeKind.GlobalMaxPooling1D;

        // The layers after which the stack may have no time axis: a recurrent layer (unless ReturnSequences) and a
        // global pooling layer.
        private static bool DropsTimeAxis(AttributeKind kind) => IsRecurrent(kind) || IsGlobalPooling(kind);
    }
}
