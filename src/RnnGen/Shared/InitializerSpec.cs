using System;
using System.Globalization;

namespace RnnGen.Shared;

/// <summary>
/// A parsed Keras initializer: a snake_case name with optional numeric arguments in parentheses, such as
/// <c>"glorot_uniform"</c>, <c>"constant(0.1)"</c> or <c>"random_uniform(-0.1, 0.1)"</c>. The names, defaults and
/// argument order follow <c>keras/src/initializers/</c>.
/// </summary>
internal readonly struct InitializerSpec
{
    /// <summary>Every accepted initializer name.</summary>
    public static readonly string[] Names =
    {
        "zeros", "ones", "constant", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
        "lecun_normal", "orthogonal", "random_uniform", "random_normal", "truncated_normal", "identity",
    };

    private InitializerSpec(string name, double[] arguments)
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    /// <summary>The arguments with Keras defaults filled in (e.g. <c>random_uniform</c> always has two).</summary>
    public double[] Arguments { get; }

    /// <summary>
    /// Parses <paramref name="text"/>. On failure <paramref name="error"/> says what is wrong and
    /// <paramref name="unknownName"/> is true when the name itself is not an initializer.
    /// </summary>
    public static bool TryParse(string? text, out InitializerSpec spec, out string error, out bool unknownName)
    {
        spec = default;
        error = string.Empty;
        unknownName = false;
        string source = (text ?? string.Empty).Trim();
        int open = source.IndexOf('(');
        string name = (open < 0 ? source : source.Substring(0, open)).Trim();
        if (Array.IndexOf(Names, name) < 0)
        {
            unknownName = true;
            error = $"'{source}' is not a Keras initializer";
            return false;
        }

        double[] given = new double[0];
        if (open >= 0)
        {
            if (!source.EndsWith(")", StringComparison.Ordinal))
            {
                error = $"'{source}' has no closing parenthesis";
                return false;
            }

            string inner = source.Substring(open + 1, source.Length - open - 2).Trim();
            if (inner.Length > 0)
            {
                string[] parts = inner.Split(',');
                given = new double[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out given[i])
                        || double.IsNaN(given[i]) || double.IsInfinity(given[i]))
                    {
                        error = $"'{parts[i].Trim()}' in '{source}' is not a finite number (use '.' as the decimal separator)";
                        return false;
                    }
                }
            }
        }

        // (count of arguments allowed, defaults when omitted, usage text)
        double[] defaults;
        string usage;
        switch (name)
        {
            case "constant":
                defaults = new double[] { double.NaN };
                usage = "constant(value)";
                break;
            case "random_uniform":
                defaults = new[] { -0.05, 0.05 };
                usage = "random_uniform or random_uniform(minval, maxval)";
                break;
            case "random_normal":
            case "truncated_normal":
                defaults = new[] { 0.0, 0.05 };
                usage = name + " or " + name + "(mean, stddev)";
                break;
            case "orthogonal":
            case "identity":
                defaults = new[] { 1.0 };
                usage = name + " or " + name + "(gain)";
                break;
            default:
                defaults = new double[0];
                usage = name;
                break;
        }

        bool requiresAll = name == "constant";
        if (given.Length != 0 && given.Length != defaults.Length || requiresAll && given.Length == 0)
        {
            error = $"'{source}' has {given.Length} argument(s); write {usage}";
            return false;
        }

        double[] arguments = given.Length == 0 ? defaults : given;
        if ((name == "random_normal" || name == "truncated_normal") && arguments[1] < 0)
        {
            error = $"'{source}' has a negative stddev";
            return false;
        }

        if (name == "random_uniform" && arguments[0] > arguments[1])
        {
            error = $"'{source}' has minval greater than maxval";
            return false;
        }

        spec = new InitializerSpec(name, arguments);
        return true;
    }

    /// <summary>The canonical text, arguments printed with the invariant culture ("R" round-trip format).</summary>
    public override string ToString()
    {
        if (Arguments.Length == 0)
        {
            return Name;
        }

        var parts = new string[Arguments.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Arguments[i].ToString("R", CultureInfo.InvariantCulture);
        }

        return Name + "(" + string.Join(", ", parts) + ")";
    }
}
