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
        // Keras Flatten (keras/src/layers/reshaping/flatten.py): (batch, timesteps, features) -> (batch, timesteps *
        // features); a vector stays as it is.
        private LayerSpec? ParseFlatten(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            CheckNoMaskBefore(layers, layer, number);
            long width = (long)(incoming.Width ?? 0) * (incoming.IsSequence == true ? incoming.Timesteps ?? 0 : 1);
            if (width > MaxWidth)
            {
                Report(DiagnosticDescriptors.SizeTooLarge, layer.Location, LayerLabel(number, layer.Kind),
                    $"the flattened width (Timesteps x features = {incoming.Timesteps} x {incoming.Width})", width, MaxWidth);
            }

            return Diagnostics.Skip(errors).Any(IsError) ? null : ReshapedSpec(LayerKind.Flatten, number, incoming, (int)width, isSequence: false, timesteps: 1);
        }

        // Keras RepeatVector(n) (keras/src/layers/reshaping/repeat_vector.py): (batch, features) -> (batch, n, features);
        // its input_spec takes a vector only (RNNG063).
        private LayerSpec? ParseRepeatVector(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            int n = WindowSize(layer, number, "n", null, MaxTimesteps);
            CheckNoMaskBefore(layers, layer, number);
            if (incoming.IsSequence == true)
            {
                string source = incoming.Producer == 0 ? "the model input" : $"the output of layer {incoming.Producer} ({incoming.ProducerKind})";
                Report(DiagnosticDescriptors.WrongRankForLayer, layer.Location, number, layer.Kind, "a vector",
                    $"its input, {source}, is a sequence of {incoming.Timesteps} timesteps",
                    "put it after a layer that returns one vector (a recurrent layer without ReturnSequences, a global pooling layer or [Flatten])");
            }

            return Diagnostics.Skip(errors).Any(IsError) ? null : ReshapedSpec(LayerKind.RepeatVector, number, incoming, incoming.Width ?? 0, isSequence: true, timesteps: n);
        }

        // Keras Reshape(target_shape) (keras/src/layers/reshaping/reshape.py): the input's values in row-major order, as
        // (features) or (timesteps, features); one size may be -1, what the other leaves (RNNG064 when nothing fits).
        private LayerSpec? ParseReshape(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            bool toSequence = layer.Find("targetTimesteps") is not null;
            int? targetTimesteps = toSequence ? TargetSize(layer, number, "targetTimesteps", MaxTimesteps) : 1;
            int? targetFeatures = TargetSize(layer, number, "targetFeatures", MaxWidth);
            CheckNoMaskBefore(layers, layer, number);
            string target = toSequence ? $"({Text(targetTimesteps)}, {Text(targetFeatures)})" : $"({Text(targetFeatures)},)";
            int timesteps = 1, features = 0;
            if (targetTimesteps is int tt && targetFeatures is int tf && incoming.Width is int width && (incoming.IsSequence == false || incoming.Timesteps is not null))
            {
                long values = (long)width * (incoming.IsSequence == true ? incoming.Timesteps!.Value : 1);
                string input = incoming.IsSequence == true ? $"({incoming.Timesteps}, {width})" : $"({width},)";
                string? problem = tt == -1 && tf == -1 ? "only one size may be -1"
                    : tt == -1 && values % tf != 0 ? $"-1 would be {values} / {tf}, not a whole number"
                    : tf == -1 && values % tt != 0 ? $"-1 would be {values} / {tt}, not a whole number"
                    : tt != -1 && tf != -1 && (long)tt * tf != values ? $"it holds {(long)tt * tf} values, and Keras requires as many as the input's"
                    : null;
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.ReshapeDoesNotFit, layer.Location, number, target, values, input, problem);
                }
                else
                {
                    timesteps = tt == -1 ? (int)(values / tf) : tt;
                    features = tf == -1 ? (int)(values / tt) : tf;
                    if (features > MaxWidth || timesteps > MaxTimesteps)
                    {
                        Report(DiagnosticDescriptors.SizeTooLarge, layer.Location, LayerLabel(number, layer.Kind),
                            features > MaxWidth ? "the target features" : "the target timesteps", features > MaxWidth ? features : timesteps, features > MaxWidth ? MaxWidth : MaxTimesteps);
                    }
                }
            }

            return Diagnostics.Skip(errors).Any(IsError) ? null : ReshapedSpec(LayerKind.Reshape, number, incoming, features, toSequence, timesteps);
        }

        private static string Text(int? size) => size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

        // A Reshape size: positive up to max, or -1 (RNNG057 otherwise); null where the compiler reports the constant.
        private int? TargetSize(AttributeInput layer, int number, string name, int max)
        {
            ArgumentInput? argument = layer.Find(name);
            if (argument is null || argument.HasError || argument.Value is not int value)
            {
                return null;
            }

            if (value == 0 || value < -1 || value > max)
            {
                Report(DiagnosticDescriptors.WindowSizeOutOfRange, argument.Location, number, layer.Kind, name, value, $"{max}, or -1 for what the other size leaves");
                return null;
            }

            return value;
        }

        private LayerSpec ReshapedSpec(LayerKind kind, int number, Incoming incoming, int width, bool isSequence, int timesteps) => new()
        {
            Kind = kind,
            Index = number - 1,
            Name = _names.Next(LayerShapes.KerasNameStem(kind)),
            Units = width,
            InputWidth = incoming.Width ?? 0,
            InputIsSequence = incoming.IsSequence ?? true,
            OutputWidth = width,
            OutputIsSequence = isSequence,
            OutputTimesteps = timesteps,
            UseBias = false,
        };
    }
}
