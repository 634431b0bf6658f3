using System;
using System.IO;

namespace RnnGen.Tool;

/// <summary>Entry point of <c>rnngen</c>.</summary>
internal static class Program
{
    private const string Usage =
        """
        rnngen - RnnGen's companion for Keras weight files

        Usage:
          rnngen inspect <file> [--class <Name>] [--timesteps <N>] [--no-using]
                       what a .keras, .weights.h5, legacy .h5 or .npz file holds (Keras version, layers, configs,
                       weight shapes), whether [KerasModel("file")] can compile it at build time (and the lines to
                       add), and the C# declaration that loads it with KerasWeights.Load / LoadWeights
            --class      the class name to declare (default: from the file name)
            --timesteps  the sequence length to declare; weights-only files do not store it, and a model built
                         with Input(shape=(None, ...)) leaves it open (RNN weights fit any length)
            --no-using   print the declaration without the `using RnnGen;` line, its names qualified
                         ([RnnGen.Lstm(...)]), to paste into an existing file at any place a class may go;
                         by default it is a whole file of its own, starting with `using RnnGen;`
          rnngen --help  this text

        Exit codes: 0 success, 1 the file could not be read, 2 wrong usage.
        """;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == Import.ImportCommand.Name)
        {
            return Import.ImportCommand.Run(args, error);
        }

        if (args[0] != "inspect")
        {
            error.WriteLine($"rnngen: unknown command '{args[0]}'.");
            error.WriteLine(Usage);
            return 2;
        }

        string? path = null;
        string? className = null;
        int? timesteps = null;
        bool withoutUsing = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--no-using")
            {
                withoutUsing = true;
            }
            else if (args[i] == "--class" && i + 1 < args.Length)
            {
                className = args[++i];
            }
            else if (args[i] == "--timesteps" && i + 1 < args.Length)
            {
                if (!int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int steps) || steps <= 0)
                {
                    error.WriteLine($"rnngen inspect: --timesteps wants a positive whole number, not '{args[i]}'.");
                    return 2;
                }

                timesteps = steps;
            }
            else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                path = args[i];
            }
            else
            {
                error.WriteLine($"rnngen inspect: unexpected argument '{args[i]}'.");
                error.WriteLine(Usage);
                return 2;
            }
        }

        if (path is null)
        {
            error.WriteLine("rnngen inspect: which file? Usage: rnngen inspect <file> [--class <Name>] [--timesteps <N>] [--no-using]");
            return 2;
        }

        string report;
        try
        {
            KerasFileInfo info = KerasWeights.Inspect(path);
            string declaration = info.ToDeclaration(className ?? ClassNameFor(path), timesteps);
            report = info + Environment.NewLine + Import.KerasModelAdvice.For(path, className ?? ClassNameFor(path), timesteps) + Environment.NewLine +
                "C# declaration" + (withoutUsing ? " (names qualified, no using line: paste it where a class may go)" : "") + ":" + Environment.NewLine + Environment.NewLine +
                (withoutUsing ? WithoutUsing(declaration) : declaration);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"rnngen inspect: {path}: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            // KerasWeights reports damaged files as InvalidDataException; anything else is a defect of RnnGen, still
            // answered with one line (no stack trace) and exit code 1.
            error.WriteLine($"rnngen inspect: {path}: could not be read ({e.GetType().Name}: {OneLine(e.Message)}).");
            return 1;
        }

        output.Write(report);
        return 0;
    }

    /// <summary>
    /// The declaration of <see cref="KerasFileInfo.ToDeclaration"/> without its <c>using RnnGen;</c> line: each
    /// attribute and the enum values in its arguments named as <c>RnnGen.X</c>, so the block compiles wherever it is
    /// pasted (in a namespace, beside other usings, in a file that declares other classes). Comment lines are left as
    /// they are.
    /// </summary>
    internal static string WithoutUsing(string declaration)
    {
        const string UsingLine = "using RnnGen;";
        string[] lines = declaration.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var text = new System.Text.StringBuilder();
        int start = lines.Length > 0 && lines[0] == UsingLine ? (lines.Length > 1 && lines[1].Length == 0 ? 2 : 1) : 0;
        for (int i = start; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            if (trimmed.Length > 1 && trimmed[0] == '[' && char.IsLetter(trimmed[1]))
            {
                int indent = line.Length - trimmed.Length;
                line = line[..indent] + "[RnnGen." + System.Text.RegularExpressions.Regex.Replace(trimmed[1..], @"= (MergeMode)\.", "= RnnGen.$1.");
            }

            text.Append(line);
            if (i < lines.Length - 1)
            {
                text.Append(Environment.NewLine);
            }
        }

        return text.ToString();
    }

    /// <summary>The longest error line printed; a hostile file can make a message long (a mismatch report is summarized).</summary>
    internal const int MaxErrorLength = 2000;

    /// <summary>A message on one line of at most <see cref="MaxErrorLength"/> characters.</summary>
    internal static string OneLine(string message)
    {
        var line = new System.Text.StringBuilder(Math.Min(message.Length, MaxErrorLength + 3));
        foreach (char ch in message)
        {
            if (line.Length >= MaxErrorLength)
            {
                return line.Append("...").ToString();
            }

            line.Append(ch is '\r' or '\n' ? ' ' : ch);
        }

        return line.ToString();
    }

    /// <summary>A PascalCase class name from the file name: <c>my_model.weights.h5</c> gives <c>MyModel</c>.</summary>
    internal static string ClassNameFor(string path)
    {
        string stem = Path.GetFileName(path);
        foreach (string suffix in new[] { ".weights.h5", ".keras", ".h5", ".hdf5", ".npz" })
        {
            if (stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        }

        var name = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char ch in stem)
        {
            if (!char.IsLetterOrDigit(ch))
            {
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            name.Insert(0, "Model");
        }

        return name.ToString();
    }
}
