using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private sealed partial class ModelParser
    {
        // Keras Conv1D (keras/src/layers/convolutional/conv1d.py, base_conv.py): a sequence in, a sequence of `filters`
        // features out, its timesteps from TimeWindows. BaseConv.__init__ and build reject what RNNG057, RNNG060 and
        // RNNG061 report; compute_conv_output_shape rejects a valid convolution longer than the sequence (RNNG059).
        private LayerSpec? ParseConv1D(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            int filters = WindowSize(layer, number, "filters", null, MaxWidth);
            int kernelSize = WindowSize(layer, number, "kernelSize", null, MaxTimesteps);
            int strides = WindowSize(layer, number, "Strides", TimeWindows.DefaultStrides, MaxTimesteps);
            int dilation = WindowSize(layer, number, "DilationRate", 1, MaxTimesteps);
            int groups = WindowSize(layer, number, "Groups", 1, MaxWidth);
            string padding = Padding(layer, number, LayerKind.Conv1D);
            string activation = Activation(layer, number, LayerOptions.Activation, LayerOptions.DefaultDenseActivation, allowSoftmax: false);
            bool useBias = Bool(layer, LayerOptions.UseBias, LayerOptions.DefaultUseBias);
            string kernelInitializer = Initializer(layer, number, LayerOptions.KernelInitializer, LayerOptions.DefaultKernelInitializer, isMatrix: true);
            string biasInitializer = Initializer(layer, number, LayerOptions.BiasInitializer, LayerOptions.DefaultBiasInitializer, isMatrix: false);

            if (strides > 1 && dilation > 1)
            {
                Report(DiagnosticDescriptors.StridesWithDilation, (layer.Find("DilationRate") ?? layer.Find("Strides"))?.Location ?? layer.Location,
                    number, strides, dilation);
            }

            if (groups > 1 && filters > 0 && incoming.Width is int features && (features % groups != 0 || filters % groups != 0))
            {
                string which = features % groups != 0 && filters % groups != 0 ? $"neither {features} nor {filters} is a multiple of {groups}"
                    : features % groups != 0 ? $"the {features} input features are not a multiple of {groups}"
                    : $"the {filters} filters are not a multiple of {groups}";
                Report(DiagnosticDescriptors.GroupsDoNotDivide, layer.Find("Groups")!.Location, number, groups, features, filters, which);
            }

            LayerSpec? spec = WindowSpec(layers, layer, number, incoming, LayerKind.Conv1D, kernelSize, strides, dilation, padding, errors);
            return spec is null ? null : spec with
            {
                Units = filters,
                OutputWidth = filters,
                Groups = groups,
                Activation = activation,
                UseBias = useBias,
                KernelInitializer = kernelInitializer,
                BiasInitializer = biasInitializer,
            };
        }

        // Keras MaxPooling1D / AveragePooling1D (keras/src/layers/pooling/base_pooling.py): windows of pool_size timesteps,
        // strides apart (None: the pool size), features unchanged.
        private LayerSpec? ParsePooling1D(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            LayerKind kind = layer.Kind == AttributeKind.MaxPooling1D ? LayerKind.MaxPooling1D : LayerKind.AveragePooling1D;
            int poolSize = WindowSize(layer, number, "poolSize", TimeWindows.DefaultPoolSize, MaxTimesteps);
            int strides = WindowSize(layer, number, "Strides", poolSize, MaxTimesteps);
            string padding = Padding(layer, number, kind);
            return WindowSpec(layers, layer, number, incoming, kind, poolSize, strides, dilation: 1, padding, errors);
        }

        // What Conv1D and the pooling layers share: a sequence in (RNNG012 / RNNG056 otherwise), no mask before them
        // (RNNG062), at least one timestep out (RNNG059), and the spec with its window.
        private LayerSpec? WindowSpec(List<AttributeInput> layers, AttributeInput layer, int number, Incoming incoming,
            LayerKind kind, int window, int strides, int dilation, string padding, int errors)
        {
            if (incoming.IsSequence == false)
            {
                ReportNoSequence(layers, layer, number, incoming);
            }

            CheckNoMaskBefore(layers, layer, number);

            long outputTimesteps = 0;
            if (incoming.Timesteps is int timesteps && window > 0 && strides > 0 && dilation > 0)
            {
                outputTimesteps = TimeWindows.OutputTimesteps(timesteps, window, strides, dilation, padding);
                if (outputTimesteps <= 0)
                {
                    string span = dilation > 1
                        ? $"{TimeWindows.Span(window, dilation)} timesteps (KernelSize = {window} with DilationRate = {dilation})"
                        : $"{window} timesteps ({(kind == LayerKind.Conv1D ? "KernelSize" : "poolSize")} = {window})";
                    Report(DiagnosticDescriptors.SequenceShorterThanWindow, layer.Location, number, layer.Kind, timesteps, span);
                }
            }

            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            int width = incoming.Width ?? 0;
            return new LayerSpec
            {
                Kind = kind,
                Index = number - 1,
                Name = _names.Next(LayerShapes.KerasNameStem(kind)),
                Units = 0,
                InputWidth = width,
                InputIsSequence = true,
                OutputWidth = width,
                OutputIsSequence = true,
                UseBias = false,
                Window = window,
                Strides = strides,
                DilationRate = dilation,
                Padding = padding,
                OutputTimesteps = (int)outputTimesteps,
            };
        }

        private static bool IsTimeWindow(AttributeKind kind) => kind is AttributeKind.Conv1D or AttributeKind.MaxPooling1D or AttributeKind.AveragePooling1D;

        // The layers whose output timesteps are not their input's (LayerShapes.ChangesTimeAxis).
        private static bool ChangesTimeAxis(AttributeKind kind) => IsTimeWindow(kind) || kind is AttributeKind.Flatten or AttributeKind.Reshape or AttributeKind.RepeatVector;

        // RNNG062: Keras's window and reshaping layers do not support masking, and a mask of the input's timesteps would
        // not fit their output; the mask comes from the first layer ([Masking], [Embedding(MaskZero = true)]).
        private void CheckNoMaskBefore(List<AttributeInput> layers, AttributeInput layer, int number)
        {
            AttributeInput first = layers[0];
            if (first.Kind == AttributeKind.Masking || (first.Kind == AttributeKind.Embedding && Bool(first, "MaskZero", false)))
            {
                Report(DiagnosticDescriptors.TimeWindowAfterMask, layer.Location, number, layer.Kind, first.Kind,
                    first.Kind == AttributeKind.Masking ? "remove [Masking]" : "set MaskZero = false");
            }
        }

        // A positive size of a window layer, at most max (RNNG057 otherwise, on the argument). Left out: defaultValue
        // (null: a constructor argument, always present).
        private int WindowSize(AttributeInput layer, int number, string name, int? defaultValue, int max)
        {
            ArgumentInput? argument = layer.Find(name);
            if (argument is null)
            {
                return defaultValue ?? 0;
            }

            if (argument.HasError || argument.Value is not int value)
            {
                return 0; // the compiler reports a bad constant itself
            }

            if (value <= 0 || value > max)
            {
                Report(DiagnosticDescriptors.WindowSizeOutOfRange, argument.Location, number, layer.Kind, name, value, max);
                return 0;
            }

            return value;
        }

        // Keras standardize_padding: lower-cased, "valid" or "same", and "causal" for Conv1D (RNNG058 otherwise).
        private string Padding(AttributeInput layer, int number, LayerKind kind)
        {
            ArgumentInput? argument = layer.Find("Padding");
            if (argument is null || argument.HasError || argument.Value is not string written)
            {
                return TimeWindows.Valid;
            }

            string padding = written.ToLowerInvariant();
            if (TimeWindows.IsPadding(kind, padding))
            {
                return padding;
            }

            string[] allowed = kind == LayerKind.Conv1D
                ? new[] { TimeWindows.Valid, TimeWindows.Same, TimeWindows.Causal }
                : new[] { TimeWindows.Valid, TimeWindows.Same };
            string? nearest = NameSuggester.Nearest(padding, allowed);
            string why = padding == TimeWindows.Causal ? " (causal padding is Conv1D's only)" : string.Empty;
            Report(DiagnosticDescriptors.UnknownPadding, argument.Location, number, layer.Kind, written,
                ListOf(allowed.Select(a => "\"" + a + "\"").ToList()).Replace(" and ", " or ") + why,
                nearest is null || nearest == padding ? string.Empty : $" Did you mean \"{nearest}\"?");
            return TimeWindows.Valid;
        }
    }
}
