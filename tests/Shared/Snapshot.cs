using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace RnnGen.Testing;

/// <summary>
/// Snapshot assertions with Verify.Xunit's file conventions: the expected text lives in
/// <c>{Class}.{Method}.verified.{ext}</c> beside the test file (<c>{Class}.{Method}_{parameters}.verified.{ext}</c>
/// for a theory); on a mismatch the actual text is written to <c>*.received.{ext}</c> and the test fails with a diff.
/// Accept the received files with <c>tests/accept-snapshots.sh</c>.
/// </summary>
internal static class Snapshot
{
    /// <summary>Compares <paramref name="actual"/> with the verified snapshot of the calling test.</summary>
    public static Task Verify(
        string actual,
        string extension = "txt",
        string? parameters = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string method = "")
    {
        string directory = Path.GetDirectoryName(sourceFile)!;
        string className = Path.GetFileNameWithoutExtension(sourceFile);
        string name = parameters is null ? $"{className}.{method}" : $"{className}.{method}_{parameters}";
        string verifiedPath = Path.Combine(directory, $"{name}.verified.{extension}");
        string receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        string normalized = Normalize(actual);

        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == normalized)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return Task.CompletedTask;
        }

        File.WriteAllText(receivedPath, normalized, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string message = verified is null
            ? $"No verified snapshot {Path.GetFileName(verifiedPath)} yet. The received text is in {Path.GetFileName(receivedPath)}; review it and run tests/accept-snapshots.sh."
            : $"{Path.GetFileName(verifiedPath)} differs from the received text ({Path.GetFileName(receivedPath)}); review and run tests/accept-snapshots.sh if the change is intended.\n{Diff(verified, normalized)}";
        throw new Xunit.Sdk.XunitException(message);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string Diff(string verified, string received)
    {
        DiffPaneModel model = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(verified, received);
        var builder = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < model.Lines.Count && shown < 80; i++)
        {
            DiffPiece line = model.Lines[i];
            if (line.Type == ChangeType.Unchanged)
            {
                continue;
            }

            builder.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").Append(line.Position?.ToString() ?? "?").Append(": ").AppendLine(line.Text);
            shown++;
        }

        return builder.ToString();
    }
}
