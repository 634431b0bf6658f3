using System;
using System.IO;

namespace RnnGen.Tool.Import;

/// <summary>
/// <c>rnngen import &lt;file&gt; --description &lt;out&gt; [--weights &lt;out.npz&gt;]</c>: the build step behind
/// <c>[KerasModel]</c>, run by the RnnGen package's MSBuild targets once per <c>KerasModel</c> item whose file changed.
/// Not listed in the usage text: users write the attribute and the item, and the build runs this.
/// </summary>
internal static class ImportCommand
{
    public const string Name = "import";

    /// <summary>
    /// Writes the description (always, also for a file that cannot be used: the generator turns its error lines into
    /// build errors on the attribute) and the weights as an <c>.npz</c> (empty when the file cannot be used, so that the
    /// build reports the model's error, not a missing resource). Exit codes: 0 written, 1 could not write, 2 wrong usage.
    /// </summary>
    public static int Run(string[] args, TextWriter error)
    {
        string? model = null, descriptionPath = null, weightsPath = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--description" && i + 1 < args.Length)
            {
                descriptionPath = args[++i];
            }
            else if (args[i] == "--weights" && i + 1 < args.Length)
            {
                weightsPath = args[++i];
            }
            else if (model is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                model = args[i];
            }
            else
            {
                error.WriteLine($"rnngen import: unexpected argument '{args[i]}'.");
                return 2;
            }
        }

        if (model is null || descriptionPath is null)
        {
            error.WriteLine("rnngen import: usage: rnngen import <file> --description <out> [--weights <out.npz>]");
            return 2;
        }

        KerasImport.Result result;
        try
        {
            result = KerasImport.Read(model);
        }
        catch (Exception e)
        {
            // A defect of RnnGen rather than of the file; still a build error on the attribute, not a crashed build.
            var description = new ModelDescription { Source = Path.GetFileName(model) };
            description.Errors.Add(("unreadable", $"could not be read ({e.GetType().Name}: {e.Message})."));
            result = new KerasImport.Result(description, null, null);
        }

        try
        {
            WriteIfChanged(descriptionPath, System.Text.Encoding.UTF8.GetBytes(result.Description.ToString()));
            if (weightsPath is not null)
            {
                using var weights = new MemoryStream();
                result.WriteWeights(weights);

                WriteIfChanged(weightsPath, weights.ToArray());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"rnngen import: {e.Message}");
            return 1;
        }

        return 0;
    }

    // An unchanged output keeps its time stamp, so a file touched but not changed rebuilds nothing after this step.
    private static void WriteIfChanged(string path, byte[] content)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // still newer than the input: the target stays up to date
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, content);
    }
}
