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
                ReportNoSequence(layers, layer, number, incoming);
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

        // The layers after which the stack may have no time axis: a recurrent layer (unless ReturnSequences), a global
        // pooling layer, Flatten and a Reshape to a vector.
        private static bool DropsTimeAxis(AttributeKind kind) => IsRecurrent(kind) || IsGlobalPooling(kind) || kind is AttributeKind.Flatten or AttributeKind.Reshape;

        // A layer that needs a sequence where the stack has none, reported at the layer that took the time axis away:
        // RNNG056 after global pooling, RNNG063 after Flatten or a Reshape to a vector, RNNG012 after a recurrent layer.
        private void ReportNoSequence(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            if (IsGlobalPooling(incoming.LastRecurrentKind))
            {
                ReportSequenceAfterGlobalPooling(layer, number, incoming);
            }
            else if (incoming.LastRecurrentKind is AttributeKind.Flatten or AttributeKind.Reshape)
            {
                Report(DiagnosticDescriptors.WrongRankForLayer, layer.Location, number, layer.Kind, "a sequence",
                    $"layer {incoming.LastRecurrent} ({incoming.LastRecurrentKind}) has made its input one vector",
                    $"put layer {number} before layer {incoming.LastRecurrent}, or reshape to (timesteps, features) with [Reshape(timesteps, features)]");
            }
            else
            {
                ReportWithoutSequence(layers, layer, number, incoming);
            }
        }
    }
}
