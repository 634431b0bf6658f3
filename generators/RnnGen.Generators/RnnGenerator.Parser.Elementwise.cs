using System.Globalization;
using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private sealed partial class ModelParser
    {
        // Keras Activation (keras/src/layers/activations/activation.py): the activation of every value, shape unchanged.
        // The name is checked as every activation option is, with a did-you-mean (RNNG003); softmax is allowed, over
        // the last axis as Keras's activations.softmax defaults to.
        private LayerSpec? ParseActivationLayer(AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            string activation = Activation(layer, number, "activation", LayerOptions.DefaultDenseActivation, allowSoftmax: true);
            return Diagnostics.Skip(errors).Any(IsError) ? null : ShapeKeepingSpec(LayerKind.Activation, number, incoming) with { Activation = activation };
        }

        // Keras Rescaling (keras/src/layers/preprocessing/rescaling.py): x * scale + offset, shape unchanged.
        private LayerSpec? ParseRescaling(AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            float scale = FiniteFloat(layer, number, "scale", "Scale", 1f);
            float offset = FiniteFloat(layer, number, LayerOptions.Offset, LayerOptions.Offset, 0f);
            return Diagnostics.Skip(errors).Any(IsError)
                ? null
                : ShapeKeepingSpec(LayerKind.Rescaling, number, incoming) with { RescalingScale = scale, RescalingOffset = offset };
        }

        // A float argument that must be finite (RNNG055 on the argument when it is not).
        private float FiniteFloat(AttributeInput layer, int number, string property, string shownAs, float defaultValue)
        {
            float value = Float(layer, property, defaultValue, out ArgumentInput? argument);
            if (float.IsNaN(value) || float.IsInfinity(value))
            {
                Report(DiagnosticDescriptors.RescalingNotFinite, argument?.Location ?? layer.Location, number, layer.Kind, shownAs,
                    value.ToString("R", CultureInfo.InvariantCulture));
            }

            return value;
        }

        // The spec of a layer whose output has its input's shape (Dropout, the elementwise and the normalization layers:
        // LayerShapes.KeepsWidth, the rule rnngen's import follows too); callers add their options with `with`.
        private LayerSpec ShapeKeepingSpec(LayerKind kind, int number, Incoming incoming)
        {
            int width = incoming.Width ?? 0;
            bool isSequence = incoming.IsSequence ?? true;
            return new LayerSpec
            {
                Kind = kind,
                Index = number - 1,
                Name = _names.Next(LayerShapes.KerasNameStem(kind)),
                Units = 0,
                InputWidth = width,
                InputIsSequence = isSequence,
                OutputWidth = LayerShapes.OutputWidth(kind, width, units: 0, bidirectional: false, MergeMode.Concat),
                OutputIsSequence = LayerShapes.OutputIsSequence(kind, isSequence, returnSequences: false),
                UseBias = false,
            };
        }
    }
}
