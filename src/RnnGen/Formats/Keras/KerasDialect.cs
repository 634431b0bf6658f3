using System;
using System.Globalization;

namespace RnnGen.Formats.Keras;

/// <summary>
/// What the names in a file's configuration compute under the Keras version that wrote it. The same name can mean
/// different things: <c>hard_sigmoid</c> is <c>clip(0.2x + 0.5, 0, 1)</c> in Keras 2 / tf.keras 2 (backend
/// <c>hard_sigmoid</c>) but <c>relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)</c> in Keras 3
/// (<c>keras/src/activations/activations.py</c>), and defaults changed between versions (GRU <c>reset_after</c> did not
/// exist before Keras 2.1.3 and means <see langword="false"/> when absent; standalone Keras before 2.3 defaulted
/// <c>recurrent_activation</c> to <c>hard_sigmoid</c>, tf.keras and Keras 2.3+ to <c>sigmoid</c>).
/// </summary>
internal sealed class KerasDialect
{
    public KerasDialect(string? version, int assumedMajor)
    {
        Version = string.IsNullOrWhiteSpace(version) ? null : version.Trim();
        (Major, Minor) = ParseVersion(Version, assumedMajor);
        IsTfKeras = Version is not null && Version.Contains("-tf", StringComparison.Ordinal);
    }

    /// <summary>The version string as stored, or <see langword="null"/>.</summary>
    public string? Version { get; }

    public int Major { get; }

    public int Minor { get; }

    /// <summary>tf.keras (versions like <c>2.2.4-tf</c>).</summary>
    public bool IsTfKeras { get; }

    public bool IsKeras3 => Major >= 3;

    /// <summary>"Keras 2.4.0", or "Keras 2 (version not stated)".</summary>
    public string Describe() => Version is null ? $"Keras {Major} (version not stated)" : "Keras " + Version;

    /// <summary>
    /// The RnnGen name of what <paramref name="fileName"/> computes under this version, or <see langword="null"/> if RnnGen
    /// has no such activation. <see langword="null"/> or empty means linear, as in Keras.
    /// </summary>
    public string? Canonical(string? fileName)
    {
        if (fileName == "hard_sigmoid")
        {
            return IsKeras3 ? "hard_sigmoid" : "hard_sigmoid_keras2";
        }

        return Shared.ActivationCatalog.Canonical(fileName);
    }

    /// <summary>The <c>recurrent_activation</c> a config that omits it used (LSTM and GRU).</summary>
    public string DefaultRecurrentActivation =>
        !IsKeras3 && !IsTfKeras && (Major < 2 || (Major == 2 && Minor < 3)) ? "hard_sigmoid" : "sigmoid";

    /// <summary>How <c>hard_sigmoid</c> is computed by this version, for messages.</summary>
    public string HardSigmoidFormula => IsKeras3 ? "clip(x/6 + 0.5, 0, 1)" : "clip(0.2x + 0.5, 0, 1)";

    private static (int, int) ParseVersion(string? version, int assumedMajor)
    {
        if (version is null)
        {
            return (assumedMajor, 0);
        }

        string[] parts = version.Split('.', '-', '+');
        int major = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : assumedMajor;
        int minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
        return (major, minor);
    }
}
