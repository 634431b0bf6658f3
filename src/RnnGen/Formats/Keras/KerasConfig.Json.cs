using System;
using System.Text.Json;

namespace RnnGen.Formats.Keras;

// Typed reads of a configuration's JSON values: a value that is absent, null or of another type reads as null, and the
// caller applies Keras's default or reports it.
internal static partial class KerasConfig
{
    private static bool Has(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out _);

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? String(JsonElement parent, string name, bool allowObject = false)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        // Keras 3 may serialize a function as {"module": ..., "class_name": "function", "config": "relu", ...}.
        if (allowObject && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("config", out JsonElement inner) && inner.ValueKind == JsonValueKind.String)
        {
            return inner.GetString();
        }

        return null;
    }

    private static int? Int(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : null;

    // A Keras 1-D size: a number, or a list of one number (Keras 2 and 3 write kernel_size, strides, pool_size and
    // dilation_rate as [n] after standardize_tuple; a hand-written config may hold n).
    private static int? Size(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1)
        {
            value = value[0];
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : null;
    }

    // A list of whole numbers (Reshape's target_shape; -1 and null both mean "what the rest leaves": tf.keras writes
    // -1, Keras 3 may write null), or null when it is anything else.
    private static int[]? Sizes(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 8)
        {
            return null;
        }

        var sizes = new int[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement size in value.EnumerateArray())
        {
            if (size.ValueKind == JsonValueKind.Null)
            {
                sizes[i++] = -1;
            }
            else if (size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out int n))
            {
                sizes[i++] = n;
            }
            else
            {
                return null;
            }
        }

        return sizes;
    }

    private static double? Double(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) ? d : null;

    // Whether the member is there and not null (Keras writes np.array(None).tolist(), null, for an option left unset).
    private static bool HasValue(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    private static bool? Bool(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
