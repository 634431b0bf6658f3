using System;

namespace RnnGen.Shared;

/// <summary>
/// The activations RnnGen computes, by Keras name (<c>keras/src/activations/activations.py</c>), and the member of
/// <c>RnnGen.Activations</c> that computes each. Aliases map to one canonical name.
/// </summary>
internal static class ActivationCatalog
{
    /// <summary>Every accepted name, canonical names first, in the order they are listed in messages.</summary>
    public static readonly string[] Names =
    {
        "tanh", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2", "relu", "relu6", "leaky_relu", "linear", "elu",
        "selu", "celu", "softplus", "softsign", "silu", "swish", "hard_silu", "hard_swish", "mish", "log_sigmoid",
        "hard_tanh", "exponential", "softmax",
    };

    /// <summary>The canonical Keras name for <paramref name="name"/>, or <see langword="null"/> if it is unknown.</summary>
    public static string? Canonical(string? name)
    {
        // Keras treats activation=None as linear.
        if (name is null || name.Length == 0)
        {
            return "linear";
        }

        switch (name)
        {
            case "swish":
                return "silu";
            case "hard_swish":
                return "hard_silu";
        }

        return Array.IndexOf(Names, name) >= 0 ? name : null;
    }

    /// <summary>Whether the activation couples the elements of a vector (softmax) rather than acting on each alone.</summary>
    public static bool IsVectorWise(string canonical) => canonical == "softmax";

    /// <summary>The static method of <c>RnnGen.Activations</c> computing the canonical activation on one float.</summary>
    public static string MemberName(string canonical)
    {
        var builder = new System.Text.StringBuilder(canonical.Length);
        bool upper = true;
        foreach (char ch in canonical)
        {
            if (ch == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>The valid names as a comma-separated list for messages.</summary>
    public static string ListForMessage(bool includeSoftmax) =>
        string.Join(", ", includeSoftmax ? Names : Array.FindAll(Names, n => n != "softmax"));
}
