using System;
using System.Collections.Generic;
using System.Text;

namespace RnnGen.Generators.Helpers;

/// <summary>
/// Breaks a generated line that is too long to read without scrolling, as a person would: a comment at the spaces
/// between words, code after the commas of its outermost list (arguments, parameters, declarators) and before a
/// <c>=&gt;</c>, each piece filled up to <see cref="FillWidth"/> with the continuation indented one level deeper.
/// Only whitespace changes, so the compiled code is the same; a line the scan cannot follow (an unbalanced bracket,
/// an unterminated string) is left whole. Widths count the line's text, not the indentation the writer adds, so a
/// model declared in a nested namespace gets the same line breaks as one at the top level.
/// </summary>
internal static class LineWrapper
{
    /// <summary>A line whose text is longer than this is wrapped.</summary>
    public const int MaxLength = 140;

    /// <summary>How wide the pieces of a wrapped line are filled (text only).</summary>
    public const int FillWidth = 100;

    private const string ContinuationIndent = "    ";

    /// <summary>The lines to write for <paramref name="text"/>, without the writer's indentation.</summary>
    public static IReadOnlyList<string> Wrap(string text)
    {
        if (text.Length <= MaxLength)
        {
            return new[] { text };
        }

        string trimmed = text.TrimStart();
        string lead = text.Substring(0, text.Length - trimmed.Length);
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            string prefix = trimmed.StartsWith("/// ", StringComparison.Ordinal) ? "/// " : "// ";
            return Fill(WordPieces(text, prefix), lead + prefix);
        }

        // A trailing comment goes above its code when that alone fits.
        int comment = CommentStart(text);
        if (comment > 0 && text.Substring(0, comment).TrimEnd().Length <= MaxLength)
        {
            return new[] { lead + text.Substring(comment), text.Substring(0, comment).TrimEnd() };
        }

        List<string>? pieces = CodePieces(text);
        return pieces is null ? new[] { text } : Fill(pieces, lead + ContinuationIndent);
    }

    // Where a trailing "//" comment starts outside strings; -1 when there is none (or the scan loses its way).
    private static int CommentStart(string text)
    {
        int i = 0;
        while (i >= 0 && i < text.Length)
        {
            char c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                return i;
            }

            i = c == '"' || (c is '$' or '@' && i + 1 < text.Length && text[i + 1] is '"' or '$' or '@') ? SkipString(text, i)
                : c == '\'' ? SkipCharLiteral(text, i)
                : i + 1;
        }

        return -1;
    }

    // Greedy fill: pieces join on one line while it stays within FillWidth; a new line starts with the continuation.
    private static IReadOnlyList<string> Fill(List<string> pieces, string continuation)
    {
        var lines = new List<string>();
        var current = new StringBuilder(pieces[0]);
        for (int i = 1; i < pieces.Count; i++)
        {
            string piece = pieces[i];
            if (current.Length + 1 + piece.Length <= FillWidth)
            {
                current.Append(' ').Append(piece);
            }
            else
            {
                lines.Add(current.ToString());
                current.Clear().Append(continuation).Append(piece);
            }
        }

        lines.Add(current.ToString());
        return lines;
    }

    // A comment's words after its "//" or "///" prefix (the first piece keeps the prefix).
    private static List<string> WordPieces(string text, string prefix)
    {
        int start = text.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        var pieces = new List<string> { text.Substring(0, start).TrimEnd() };
        // A tag's words stay together: "<see cref=...>" is not cut between "see" and "cref".
        var tag = new StringBuilder();
        foreach (string word in text.Substring(start).Split(' '))
        {
            if (word.Length == 0)
            {
                continue;
            }

            tag.Append(tag.Length > 0 ? " " : "").Append(word);
            if (tag.ToString().LastIndexOf('<') <= tag.ToString().LastIndexOf('>'))
            {
                pieces.Add(tag.ToString());
                tag.Clear();
            }
        }

        if (tag.Length > 0)
        {
            pieces.Add(tag.ToString());
        }

        if (pieces.Count > 1)
        {
            // The prefix and the first word stay together.
            pieces[0] = pieces[0] + " " + pieces[1];
            pieces.RemoveAt(1);
        }

        return pieces;
    }

    // Code cut after each comma of the shallowest bracket depth that has commas, and before a " => " outside brackets;
    // null when the line has no such place or the scan loses its way.
    private static List<string>? CodePieces(string text)
    {
        var cuts = new List<(int Position, int Depth, bool Before)>();
        var brackets = new Stack<char>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                break; // a trailing comment stays with the last piece
            }

            if (c == '"' || (c is '$' or '@' && i + 1 < text.Length && text[i + 1] is '"' or '$' or '@'))
            {
                i = SkipString(text, i);
                if (i < 0)
                {
                    return null;
                }

                continue;
            }

            if (c == '\'')
            {
                i = SkipCharLiteral(text, i);
                if (i < 0)
                {
                    return null;
                }

                continue;
            }

            switch (c)
            {
                case '(' or '[' or '{':
                    brackets.Push(c);
                    break;
                case '<' when i > 0 && IsIdentifierChar(text[i - 1]):
                    brackets.Push('<'); // a type argument list: generated code writes "a < b" with spaces
                    break;
                case '>' when brackets.Count > 0 && brackets.Peek() == '<':
                    brackets.Pop();
                    break;
                case ')' or ']' or '}':
                    // A closer with nothing open ends a list an earlier line opened (the emitter continued it by hand).
                    if (brackets.Count > 0 && brackets.Pop() != Opening(c))
                    {
                        return null;
                    }

                    break;
                case ',' when brackets.Count == 0 || brackets.Peek() != '<':
                    cuts.Add((i + 1, brackets.Count, false));
                    break;
                case '=' when brackets.Count == 0 && i > 0 && text[i - 1] == ' ' && i + 2 < text.Length && text[i + 1] == '>' && text[i + 2] == ' ':
                    cuts.Add((i, 0, true));
                    break;
            }

            i++;
        }

        // Brackets left open continue on the next line the emitter writes; a type argument list left open is a misread.
        if (cuts.Count == 0 || brackets.Contains('<'))
        {
            return null;
        }

        int depth = int.MaxValue;
        foreach (var cut in cuts)
        {
            if (!cut.Before)
            {
                depth = Math.Min(depth, cut.Depth);
            }
        }

        var pieces = new List<string>();
        int start = 0;
        foreach (var (position, cutDepth, before) in cuts)
        {
            if (before || cutDepth == depth)
            {
                pieces.Add(text.Substring(start, position - start).Trim());
                start = position;
            }
        }

        pieces.Add(text.Substring(start).Trim());
        pieces.RemoveAll(piece => piece.Length == 0); // after a line's last comma
        pieces[0] = text.Substring(0, text.Length - text.TrimStart().Length) + pieces[0];
        return pieces;
    }

    private static char Opening(char closing) => closing switch { ')' => '(', ']' => '[', _ => '{' };

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // From a string literal's start ("...", @"...", $"...", $@"...", @$"..."), the index just past its end; -1 when it
    // does not end on this line. Interpolation holes are skipped with the strings inside them.
    private static int SkipString(string text, int i)
    {
        bool verbatim = false, interpolated = false;
        while (text[i] != '"')
        {
            verbatim |= text[i] == '@';
            interpolated |= text[i] == '$';
            i++;
        }

        i++;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && !verbatim)
            {
                i += 2;
                continue;
            }

            if (c == '"')
            {
                if (verbatim && i + 1 < text.Length && text[i + 1] == '"')
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            if (interpolated && c == '{')
            {
                if (i + 1 < text.Length && text[i + 1] == '{')
                {
                    i += 2;
                    continue;
                }

                i = SkipHole(text, i + 1);
                if (i < 0)
                {
                    return -1;
                }

                continue;
            }

            i++;
        }

        return -1;
    }

    // From inside an interpolation hole, the index just past its closing brace.
    private static int SkipHole(string text, int i)
    {
        int depth = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' || (c is '$' or '@' && i + 1 < text.Length && text[i + 1] is '"' or '$' or '@'))
            {
                i = SkipString(text, i);
                if (i < 0)
                {
                    return -1;
                }

                continue;
            }

            if (c == '\'')
            {
                i = SkipCharLiteral(text, i);
                if (i < 0)
                {
                    return -1;
                }

                continue;
            }

            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                if (depth == 0)
                {
                    return i + 1;
                }

                depth--;
            }

            i++;
        }

        return -1;
    }

    private static int SkipCharLiteral(string text, int i)
    {
        int end = text.IndexOf('\'', text[i + 1] == '\\' ? i + 3 : i + 2);
        return end < 0 ? -1 : end + 1;
    }
}
