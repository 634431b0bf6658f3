using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Shared;

namespace RnnGen;

// The model's Keras 3 configuration (config.json of a .keras archive), written from its ModelInfo: one entry per layer,
// with Keras's class names, option names and defaults.
public static partial class KerasWeights
{
    /// <summary>
    /// The Keras 3 <c>config.json</c> of a model declared as <paramref name="info"/>: what <c>serialize_keras_object</c>
    /// gives for a <c>Sequential</c> of an <c>InputLayer</c> and the layers, each with the constructor arguments that
    /// decide what it computes (initializers, regularizers and constraints are left at Keras's defaults: they do not
    /// change a loaded model).
    /// </summary>
    /// <exception cref="ArgumentException">A layer has no Keras 3 <c>Sequential</c> configuration; lists every one.</exception>
    internal static byte[] ModelConfig(ModelInfo info)
    {
        var problems = new List<string>();
        foreach (LayerInfo layer in info.Layers)
        {
            string name = $"layer '{layer.Name}'";
            if (layer.ReturnState)
            {
                problems.Add($"{name} has ReturnState = true: it returns several tensors, which a Keras Sequential cannot pass on");
            }

            if (layer.Bidirectional && layer.MergeMode == MergeMode.None)
            {
                problems.Add($"{name} has MergeMode.None: it returns two tensors, which a Keras Sequential cannot pass on");
            }

            if (layer.Stateful)
            {
                problems.Add($"{name} is stateful: Keras needs the batch size in the input shape, which the declaration does not state");
            }

            foreach (string? activation in new[] { layer.Activation, layer.RecurrentActivation })
            {
                if (activation == "hard_sigmoid_keras2")
                {
                    problems.Add($"{name} uses hard_sigmoid_keras2 (clip(0.2x + 0.5, 0, 1)): Keras 3's hard_sigmoid computes clip(x/6 + 0.5, 0, 1) and no Keras 3 activation computes the Keras 2 one");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"{info.Name} cannot be saved as a .keras archive, whose config.json must rebuild it as a Keras 3 Sequential; nothing was written:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  " + p)) + Environment.NewLine +
                "Save it as .weights.h5 instead and build the model in Keras, then call model.load_weights.",
                nameof(info));
        }

        return JsonObject(json =>
        {
            json.WriteString("module", "keras");
            json.WriteString("class_name", "Sequential");
            json.WriteStartObject("config");
            json.WriteString("name", "sequential");
            json.WriteBoolean("trainable", true);
            json.WriteString("dtype", "float32");
            json.WriteStartArray("layers");
            WrappedLayer(json, "InputLayer", config =>
            {
                BatchShape(config, "batch_shape", info);
                config.WriteString("dtype", "float32");
                config.WriteBoolean("sparse", false);
                config.WriteString("name", "input_layer");
            });
            foreach (LayerInfo layer in info.Layers)
            {
                LayerConfig(json, layer);
            }

            json.WriteEndArray();
            BatchShape(json, "build_input_shape", info);
            json.WriteEndObject();
            json.WriteNull("registered_name");
            json.WriteStartObject("build_config");
            BatchShape(json, "input_shape", info);
            json.WriteEndObject();
            json.WriteNull("compile_config");
        });
    }

    // A 1-D size as Keras 3 writes it: [n].
    private static void OneTuple(Utf8JsonWriter config, string name, int value)
    {
        config.WriteStartArray(name);
        config.WriteNumberValue(value);
        config.WriteEndArray();
    }

    private static void LayerConfig(Utf8JsonWriter json, LayerInfo layer)
    {
        if (layer.Kind == LayerKind.Dropout)
        {
            WrappedLayer(json, "Dropout", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("rate", layer.DropoutRate);
            });
        }
        else if (layer.Kind == LayerKind.Dense)
        {
            WrappedLayer(json, "Dense", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("units", layer.Units);
                config.WriteString("activation", layer.Activation);
                config.WriteBoolean("use_bias", layer.UseBias);
            });
        }
        else if (Shared.LayerShapes.IsGlobalPooling(layer.Kind))
        {
            // GlobalAveragePooling1D.get_config / GlobalMaxPooling1D.get_config (BaseGlobalPooling): data_format and
            // keepdims, at Keras's defaults, the only form RnnGen declares.
            WrappedLayer(json, Shared.LayerShapes.KerasClassName(layer.Kind), config =>
            {
                Common(config, layer.Name);
                config.WriteString("data_format", "channels_last");
                config.WriteBoolean("keepdims", false);
            });
        }
        else if (Shared.LayerShapes.IsPooling(layer.Kind))
        {
            // MaxPooling1D.get_config / AveragePooling1D.get_config (BasePooling): pool_size, strides, padding and
            // data_format, each 1-D size a list of one as standardize_tuple leaves it.
            WrappedLayer(json, Shared.LayerShapes.KerasClassName(layer.Kind), config =>
            {
                Common(config, layer.Name);
                OneTuple(config, "pool_size", layer.PoolSize);
                OneTuple(config, "strides", layer.Strides);
                config.WriteString("padding", layer.Padding);
                config.WriteString("data_format", "channels_last");
            });
        }
        else if (Shared.LayerShapes.IsReshaping(layer.Kind))
        {
            // Flatten.get_config: data_format; Reshape.get_config: target_shape; RepeatVector.get_config: n.
            WrappedLayer(json, Shared.LayerShapes.KerasClassName(layer.Kind), config =>
            {
                Common(config, layer.Name);
                if (layer.Kind == LayerKind.Flatten)
                {
                    config.WriteString("data_format", "channels_last");
                }
                else if (layer.Kind == LayerKind.RepeatVector)
                {
                    config.WriteNumber("n", layer.OutputTimesteps);
                }
                else
                {
                    config.WriteStartArray("target_shape");
                    if (layer.OutputIsSequence)
                    {
                        config.WriteNumberValue(layer.OutputTimesteps);
                    }

                    config.WriteNumberValue(layer.OutputWidth);
                    config.WriteEndArray();
                }
            });
        }
        else if (layer.Kind == LayerKind.Conv1D)
        {
            // Conv1D.get_config (BaseConv): filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
            // activation, use_bias.
            WrappedLayer(json, "Conv1D", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("filters", layer.Units);
                OneTuple(config, "kernel_size", layer.KernelSize);
                OneTuple(config, "strides", layer.Strides);
                config.WriteString("padding", layer.Padding);
                config.WriteString("data_format", "channels_last");
                OneTuple(config, "dilation_rate", layer.DilationRate);
                config.WriteNumber("groups", layer.Groups);
                config.WriteString("activation", layer.Activation);
                config.WriteBoolean("use_bias", layer.UseBias);
            });
        }
        else if (layer.Kind == LayerKind.Activation)
        {
            // Activation.get_config: the activation's name.
            WrappedLayer(json, "Activation", config =>
            {
                Common(config, layer.Name);
                config.WriteString("activation", layer.Activation);
            });
        }
        else if (layer.Kind == LayerKind.Embedding)
        {
            // Embedding.get_config: input_dim, output_dim, mask_zero.
            WrappedLayer(json, "Embedding", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("input_dim", layer.Weights[0].Dimensions[0]);
                config.WriteNumber("output_dim", layer.Units);
                config.WriteBoolean("mask_zero", layer.MaskZero);
            });
        }
        else if (layer.Kind == LayerKind.Masking)
        {
            // Masking.get_config: mask_value.
            WrappedLayer(json, "Masking", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("mask_value", (double)(float)layer.MaskValue);
            });
        }
        else if (layer.Kind == LayerKind.Rescaling)
        {
            // Rescaling.get_config: scale and offset.
            WrappedLayer(json, "Rescaling", config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("scale", (double)(float)layer.RescalingScale);
                config.WriteNumber("offset", (double)(float)layer.RescalingOffset);
            });
        }
        else if (layer.Kind == LayerKind.Normalization)
        {
            // Normalization.get_config: axis (a tuple, written as a list), invert, and the constructor's mean and
            // variance, None for an adapted layer, whose statistics are its weights.
            WrappedLayer(json, "Normalization", config =>
            {
                Common(config, layer.Name);
                config.WriteStartArray("axis");
                config.WriteNumberValue(-1);
                config.WriteEndArray();
                config.WriteBoolean("invert", layer.Invert);
                config.WriteNull("mean");
                config.WriteNull("variance");
            });
        }
        else if (layer.IsNormalization)
        {
            // LayerNormalization.get_config / BatchNormalization.get_config (the options RnnGen computes with).
            WrappedLayer(json, LayerShapes.KerasClassName(layer.Kind), config =>
            {
                Common(config, layer.Name);
                config.WriteNumber("axis", -1);
                config.WriteNumber("epsilon", (double)(float)layer.Epsilon);
                config.WriteBoolean("center", layer.Center);
                config.WriteBoolean("scale", layer.Scale);
            });
        }
        else if (layer.Bidirectional)
        {
            // Bidirectional.get_config: merge_mode, the forward layer as "layer" (renamed forward_<name>) and
            // "backward_layer", which runs the other way (Keras refuses two layers with the same go_backwards).
            string inner = LayerShapes.KerasNameStem(layer.Kind);
            WrappedLayer(json, "Bidirectional", config =>
            {
                Common(config, layer.Name);
                config.WriteString("merge_mode", KerasFileLayer.MergeModeText(layer.MergeMode));
                config.WritePropertyName("layer");
                RecurrentLayer(config, layer, "forward_" + inner, goBackwards: false);
                config.WritePropertyName("backward_layer");
                RecurrentLayer(config, layer, "backward_" + inner, goBackwards: true);
            });
        }
        else
        {
            RecurrentLayer(json, layer, layer.Name, layer.GoBackwards);
        }
    }

    private static void RecurrentLayer(Utf8JsonWriter json, LayerInfo layer, string name, bool goBackwards) =>
        WrappedLayer(json, LayerShapes.KerasClassName(layer.Kind), config =>
        {
            Common(config, name);
            config.WriteBoolean("return_sequences", layer.ReturnSequences);
            config.WriteBoolean("return_state", false);
            config.WriteBoolean("go_backwards", goBackwards);
            config.WriteBoolean("stateful", false);
            config.WriteBoolean("unroll", false);
            config.WriteNumber("units", layer.Units);
            config.WriteString("activation", layer.Activation);
            if (layer.Kind is LayerKind.Lstm or LayerKind.Gru)
            {
                config.WriteString("recurrent_activation", layer.RecurrentActivation ?? "sigmoid");
            }

            config.WriteBoolean("use_bias", layer.UseBias);
            if (layer.Kind == LayerKind.Lstm)
            {
                config.WriteBoolean("unit_forget_bias", layer.UnitForgetBias);
            }

            if (layer.Kind == LayerKind.Gru)
            {
                config.WriteBoolean("reset_after", layer.ResetAfter);
            }

            config.WriteNumber("dropout", layer.DropoutRate);
            config.WriteNumber("recurrent_dropout", layer.RecurrentDropoutRate);
        });

    /// <summary><c>{"module": "keras.layers", "class_name": ..., "config": {...}, "registered_name": null}</c>.</summary>
    private static void WrappedLayer(Utf8JsonWriter json, string className, Action<Utf8JsonWriter> config)
    {
        json.WriteStartObject();
        json.WriteString("module", "keras.layers");
        json.WriteString("class_name", className);
        json.WriteStartObject("config");
        config(json);
        json.WriteEndObject();
        json.WriteNull("registered_name");
        json.WriteEndObject();
    }

    private static void Common(Utf8JsonWriter config, string name)
    {
        config.WriteString("name", name);
        config.WriteBoolean("trainable", true);
        config.WriteString("dtype", "float32");
    }

    private static void BatchShape(Utf8JsonWriter json, string property, ModelInfo info)
    {
        json.WriteStartArray(property);
        json.WriteNullValue();
        json.WriteNumberValue(info.Timesteps);
        if (info.Layers.Count == 0 || info.Layers[0].Kind != LayerKind.Embedding)
        {
            json.WriteNumberValue(info.InputDim); // an Embedding's input is (batch, timesteps) tokens: no feature axis
        }

        json.WriteEndArray();
    }
}
