using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RnnGen.Tool.Import;

/// <summary>
/// The text <c>rnngen import</c> writes for the source generator, which reads it as an AdditionalFile (the generator
/// never opens the Keras file itself). Line-based, so that the generator needs no JSON parser:
/// <code>
/// rnngen-keras-model 1
/// source keras3_stack.keras
/// error unsupported dense_2 (Conv1D): RnnGen has no Conv1D layer. ...
/// declaration
/// [Sequential(Timesteps = 5, InputDim = 3)]
/// [Lstm(4, ...)]
/// public partial class Model;
/// </code>
/// The error kinds are <c>unreadable</c>, <c>unsupported</c> and <c>weights</c>; after <c>declaration</c> comes the
/// declaration <c>rnngen inspect</c> prints (the one rule that turns a Keras file into RnnGen attributes), which the
/// generator reads as if it were written on the class. The generator's KerasModelDescription parses this format.
/// </summary>
internal sealed class ModelDescription
{
    /// <summary>The first line; the number changes when the format does.</summary>
    public const string Header = "rnngen-keras-model 1";

    public string Source { get; init; } = "";

    public List<(string Kind, string Message)> Errors { get; } = new();

    public string? Declaration { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("source ").Append(OneLine(Source)).Append('\n');
        foreach (var (kind, message) in Errors)
        {
            text.Append("error ").Append(kind).Append(' ').Append(OneLine(message)).Append('\n');
        }

        if (Declaration is not null)
        {
            text.Append("declaration\n").Append(Declaration.Replace("\r\n", "\n", System.StringComparison.Ordinal));
        }

        return text.ToString();
    }

    private static string OneLine(string text) => Program.OneLine(text);

    /// <summary>Numbers as the generated code prints them.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
