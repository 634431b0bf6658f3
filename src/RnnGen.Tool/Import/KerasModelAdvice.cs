using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace RnnGen.Tool.Import;

/// <summary>
/// The part of <c>rnngen inspect</c>'s report that says whether the file can be the declaration itself
/// (<c>[KerasModel]</c>, compiled at build time with its weights) and prints the two lines to add, or why not. It runs
/// the same check as the build step (<see cref="KerasImport"/>), so what it promises the build keeps.
/// </summary>
internal static class KerasModelAdvice
{
    public static string For(string path, string className, int? timesteps)
    {
        KerasImport.Result result = KerasImport.Read(path);
        string file = path.Replace('\\', '/');
        var text = new StringBuilder();
        if (result.Description.Errors.Count > 0)
        {
            var (_, message) = result.Description.Errors[0];
            text.AppendLine("As [KerasModel]: this file cannot be compiled as the declaration: " + Program.OneLine(message));
            text.AppendLine("Declare the model by hand (below) and load the weights with LoadWeights.");
            return text.ToString();
        }

        bool open = result.Description.Declaration!.Contains("TIMESTEPS", StringComparison.Ordinal);
        string length = timesteps is int t ? ", Timesteps = " + t.ToString(CultureInfo.InvariantCulture)
            : open ? ", Timesteps = TIMESTEPS" : "";
        text.AppendLine("As [KerasModel]: the file can be the declaration, compiled at build time with its weights in the assembly");
        text.AppendLine("(docs/from-keras.md). Add to the project file (the path relative to it):");
        text.AppendLine();
        text.Append("  <ItemGroup><KerasModel Include=\"").Append(file).AppendLine("\" /></ItemGroup>");
        text.AppendLine();
        text.AppendLine("and in C#:");
        text.AppendLine();
        text.Append("  [RnnGen.KerasModel(\"").Append(file).Append('"').Append(length).Append(")] public partial class ").Append(className).AppendLine(";");
        if (open && timesteps is null)
        {
            text.AppendLine();
            text.AppendLine("TIMESTEPS: the Keras model leaves the sequence length open (None); set the length you will feed.");
        }

        return text.ToString();
    }
}
