using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The text of Keras's <c>model.summary()</c> in the tf.keras 2 layout the seed notebooks print
/// (<c>keras/utils/layer_utils.py</c> <c>print_summary</c>: line length 65, columns ending at 45%, 85% and 100%).
/// </summary>
internal static class SummaryEmitter
{
    private const int LineLength = 65;
    private static readonly int[] s_positions = { (int)(LineLength * 0.45), (int)(LineLength * 0.85), LineLength };

    public static string Text(ModelLayout layout)
    {
        var lines = new List<string>
        {
            $"Model: \"{layout.Spec.ClassName}\"",
            new string('_', LineLength),
            Row("Layer (type)", "Output Shape", "Param #"),
            new string('=', LineLength),
        };

        long total = 0;
        long nonTrainable = 0;
        for (int i = 0; i < layout.Layers.Count; i++)
        {
            LayerLayout layer = layout.Layers[i];
            long parameters = layout.Weights.Where(w => w.Layer == layer).Sum(w => (long)w.Length);
            total += parameters;
            // BatchNormalization's moving statistics and Normalization's adapted ones are weights Keras counts but does not train.
            nonTrainable += layout.Weights.Where(w => w.Layer == layer && (w.Name is "moving_mean" or "moving_variance" || LayerShapes.HasOnlyStatistics(layer.Spec.Kind))).Sum(w => (long)w.Length);
            lines.Add(Row($"{layer.Spec.Name} ({KerasClass(layer.Spec)})", OutputShape(layout, layer), parameters.ToString(CultureInfo.InvariantCulture)));
            lines.Add(new string(i == layout.Layers.Count - 1 ? '=' : '_', LineLength));
        }

        lines.Add("Total params: " + Thousands(total));
        lines.Add("Trainable params: " + Thousands(total - nonTrainable));
        lines.Add("Non-trainable params: " + Thousands(nonTrainable));
        lines.Add(new string('_', LineLength));
        return string.Join("\n", lines);
    }

    /// <summary>
    /// The summary as C# source: one string literal per printed line, joined by <c>+</c> (a constant all the same), so
    /// that the generated file shows the table as Keras prints it.
    /// </summary>
    public static IReadOnlyList<string> LiteralLines(ModelLayout layout)
    {
        string[] lines = Text(layout).Split('\n');
        var literals = new string[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
            literals[i] = SymbolDisplay.FormatLiteral(line, quote: true) + (i < lines.Length - 1 ? " +" : ";");
        }

        return literals;
    }

    private static string KerasClass(LayerSpec spec) => spec.Bidirectional ? "Bidirectional" : LayerShapes.KerasClassName(spec.Kind);

    private static string OutputShape(ModelLayout layout, LayerLayout layer)
    {
        LayerSpec spec = layer.Spec;
        string main = Shape(spec.OutputTimesteps, spec.OutputIsSequence, spec.Bidirectional && spec.MergeMode == MergeMode.None ? spec.Units : spec.OutputWidth);
        var shapes = new List<string> { main };
        if (spec.Bidirectional && spec.MergeMode == MergeMode.None)
        {
            shapes.Add(main);
        }

        if (spec.IsRecurrent && spec.ReturnState)
        {
            shapes.AddRange(layer.States.Select(_ => Shape(0, false, spec.Units)));
        }

        return shapes.Count == 1 ? shapes[0] : "[" + string.Join(", ", shapes) + "]";
    }

    private static string Shape(int timesteps, bool isSequence, int width) =>
        isSequence
            ? $"(None, {timesteps.ToString(CultureInfo.InvariantCulture)}, {width.ToString(CultureInfo.InvariantCulture)})"
            : $"(None, {width.ToString(CultureInfo.InvariantCulture)})";

    // Python's '{:,}'.format(n).
    private static string Thousands(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    // keras print_row: each field is cut at its column end; a cut field loses its last character to a space.
    private static string Row(params string[] fields)
    {
        string line = string.Empty;
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                line = line.Substring(0, line.Length - 1) + " ";
            }

            line += fields[i];
            if (line.Length > s_positions[i])
            {
                line = line.Substring(0, s_positions[i]);
            }

            line += new string(' ', s_positions[i] - line.Length);
        }

        return line;
    }
}
