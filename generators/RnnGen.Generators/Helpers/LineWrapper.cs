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

    // The characters the scans act on; the scans jump from one to the next with IndexOfAny (vectorized by the runtime)
    // instead of looking at every character in C#. A generated long line has one of them every 6 to 10 characters, and
    // the compiler often runs a generator before the JIT has optimized it: a character loop in unoptimized code cost
    // about 5 us per long line, a fifth of the whole generator's time for 200 classes (docs/generator.md).
    private static readonly char[] s_commentScanStops = { '/', '"', '$', '@', '\'' };
    private static readonly char[] s_codeScanStops = { '/', '"', '$', '@', '\'', '(', '[', '{', '<', '>', ')', ']', '}', ',', '=' };

    // The cuts of the line being wrapped (position, then the bracket depth, or -1 for a cut before "=>") and its open
    // brackets, reused from line to line so that a wrapped line allocates nothing. The compiler may run generators on
    // several threads at once, so each thread has its own.
    [ThreadStatic] private static int[]? t_cuts;
    [ThreadStatic] private static char[]? t_brackets;

    /// <summary>The lines to write for <paramref name="text"/>, without the writer's indentation (for tests).</summary>
    public static IReadOnlyList<string> Wrap(string text)
    {
        var builder = new StringBuilder();
        Write(builder, 0, text);
        return builder.ToString(0, builder.Length - 1).Split('\n');
    }

    /// <summary>
    /// Appends <paramref name="text"/> to <paramref name="output"/> as one or more lines, each indented by
    /// <paramref name="indentation"/> spaces and ended by '\n'. Pieces are appended as ranges of the text: nothing is
    /// allocated per line (the generator writes some 2,000 lines per model).
    /// </summary>
    public static void Write(StringBuilder output, int indentation, string text)
    {
        // A line the scan cannot follow is written whole; the scan writes nothing before it knows it can.
        if (text.Length <= MaxLength || !TryWriteWrapped(output, indentation, text))
        {
            output.Append(' ', indentation).Append(text).Append('\n');
        }
    }

    private static bool TryWriteWrapped(StringBuilder output, int indentation, string text)
    {
        int lead = 0;
        while (lead < text.Length && char.IsWhiteSpace(text[lead]))
        {
            lead++;
        }

        if (string.CompareOrdinal(text, lead, "//", 0, 2) == 0)
        {
            string prefix = string.CompareOrdinal(text, lead, "/// ", 0, 4) == 0 ? "/// " : "// ";
            WriteComment(output, indentation, text, lead, prefix);
            return true;
        }

        // A trailing comment goes above its code when that alone fits.
        int comment = CommentStart(text);
        if (comment > 0 && TrimmedEnd(text, 0, comment) <= MaxLength)
        {
            output.Append(' ', indentation).Append(text, 0, lead).Append(text, comment, text.Length - comment).Append('\n');
            output.Append(' ', indentation).Append(text, 0, TrimmedEnd(text, 0, comment)).Append('\n');
            return true;
        }

        return TryWriteCode(output, indentation, text, lead);
    }

    // Where a trailing "//" comment starts outside strings; -1 when there is none (or the scan loses its way).
    private static int CommentStart(string text)
    {
        int i = 0;
        while (i >= 0 && i < text.Length)
        {
            i = text.IndexOfAny(s_commentScanStops, i);
            if (i < 0)
            {
                break;
            }

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

    // A comment filled between words after its "//" or "///" prefix, the prefix and the first word together, a tag's
    // words together ("<see cref=...>" is not cut between "see" and "cref"), single spaces between words.
    private static void WriteComment(StringBuilder output, int indentation, string text, int lead, string prefix)
    {
        int start = text.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        output.Append(' ', indentation).Append(text, 0, TrimmedEnd(text, 0, start));
        int lineLength = -1; // -1: the first piece, which joins the prefix, is still to come
        int i = start;
        while (i < text.Length)
        {
            // One piece: words up to one that leaves no tag open.
            int pieceStart = -1, pieceLength = 0, lastOpen = -1, lastClose = -1;
            while (i < text.Length)
            {
                int wordEnd = text.IndexOf(' ', i);
                wordEnd = wordEnd < 0 ? text.Length : wordEnd;
                if (wordEnd > i)
                {
                    pieceLength += pieceStart < 0 ? wordEnd - i : wordEnd - i + 1;
                    pieceStart = pieceStart < 0 ? i : pieceStart;
                    lastOpen = Math.Max(lastOpen, text.LastIndexOf('<', wordEnd - 1, wordEnd - i));
                    lastClose = Math.Max(lastClose, text.LastIndexOf('>', wordEnd - 1, wordEnd - i));
                }

                i = wordEnd + 1;
                if (pieceStart >= 0 && lastOpen <= lastClose)
                {
                    break;
                }
            }

            if (pieceStart < 0)
            {
                break;
            }

            if (lineLength < 0)
            {
                lineLength = TrimmedEnd(text, 0, start) + 1 + pieceLength;
                output.Append(' ');
            }
            else if (lineLength + 1 + pieceLength <= FillWidth)
            {
                lineLength += 1 + pieceLength;
                output.Append(' ');
            }
            else
            {
                lineLength = lead + prefix.Length + pieceLength;
                output.Append('\n').Append(' ', indentation).Append(text, 0, lead).Append(prefix);
            }

            AppendSingleSpaced(output, text, pieceStart, Math.Min(i, text.Length));
        }

        output.Append('\n');
    }

    // Code cut after each comma of the shallowest bracket depth that has commas, and before a " => " outside brackets;
    // false (nothing written) when the line has no such place or the scan loses its way.
    private static bool TryWriteCode(StringBuilder output, int indentation, string text, int lead)
    {
        int[] cuts = t_cuts ??= new int[64];
        char[] brackets = t_brackets ??= new char[16];
        int cutCount = 0, depth = 0;
        int i = 0;
        while (i < text.Length)
        {
            i = text.IndexOfAny(s_codeScanStops, i);
            if (i < 0)
            {
                break;
            }

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
                    return false;
                }

                continue;
            }

            if (c == '\'')
            {
                i = SkipCharLiteral(text, i);
                if (i < 0)
                {
                    return false;
                }

                continue;
            }

            int cutDepth = int.MinValue;
            switch (c)
            {
                case '(' or '[' or '{':
                    Push(ref brackets, ref depth, c);
                    break;
                case '<' when i > 0 && IsIdentifierChar(text[i - 1]):
                    Push(ref brackets, ref depth, '<'); // a type argument list: generated code writes "a < b" with spaces
                    break;
                case '>' when depth > 0 && brackets[depth - 1] == '<':
                    depth--;
                    break;
                case ')' or ']' or '}':
                    // A closer with nothing open ends a list an earlier line opened (the emitter continued it by hand).
                    if (depth > 0 && brackets[--depth] != Opening(c))
                    {
                        return false;
                    }

                    break;
                case ',' when depth == 0 || brackets[depth - 1] != '<':
                    cutDepth = depth;
                    break;
                case '=' when depth == 0 && i > 0 && text[i - 1] == ' ' && i + 2 < text.Length && text[i + 1] == '>' && text[i + 2] == ' ':
                    cutDepth = -1;
                    break;
            }

            if (cutDepth != int.MinValue)
            {
                if (cutCount + 2 > cuts.Length)
                {
                    Array.Resize(ref cuts, cuts.Length * 2);
                    t_cuts = cuts;
                }

                cuts[cutCount++] = cutDepth < 0 ? i : i + 1;
                cuts[cutCount++] = cutDepth;
            }

            i++;
        }

        // Brackets left open continue on the next line the emitter writes; a type argument list left open is a misread.
        if (cutCount == 0 || Array.IndexOf(brackets, '<', 0, depth) >= 0)
        {
            return false;
        }

        int cutAt = int.MaxValue;
        for (int k = 1; k < cutCount; k += 2)
        {
            if (cuts[k] >= 0)
            {
                cutAt = Math.Min(cutAt, cuts[k]);
            }
        }

        int lineLength = -1, start = 0;
        for (int k = 0; k <= cutCount; k += 2)
        {
            bool last = k == cutCount;
            if (!last && cuts[k + 1] >= 0 && cuts[k + 1] != cutAt)
            {
                continue;
            }

            int end = last ? text.Length : cuts[k];
            int pieceStart = start;
            while (pieceStart < end && char.IsWhiteSpace(text[pieceStart]))
            {
                pieceStart++;
            }

            int pieceLength = TrimmedEnd(text, pieceStart, end) - pieceStart;
            start = end;
            if (pieceLength == 0)
            {
                continue; // after a line's last comma
            }

            if (lineLength < 0)
            {
                lineLength = lead + pieceLength;
                output.Append(' ', indentation).Append(text, 0, lead);
            }
            else if (lineLength + 1 + pieceLength <= FillWidth)
            {
                lineLength += 1 + pieceLength;
                output.Append(' ');
            }
            else
            {
                lineLength = lead + ContinuationIndent.Length + pieceLength;
                output.Append('\n').Append(' ', indentation).Append(text, 0, lead).Append(ContinuationIndent);
            }

            output.Append(text, pieceStart, pieceLength);
        }

        output.Append('\n');
        return true;
    }

    private static void Push(ref char[] brackets, ref int depth, char c)
    {
        if (depth == brackets.Length)
        {
            Array.Resize(ref brackets, brackets.Length * 2);
            t_brackets = brackets;
        }

        brackets[depth++] = c;
    }

    // The end of text[start..end] without its trailing white space.
    private static int TrimmedEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end;
    }

    // text[start..end] with each run of spaces written as one space.
    private static void AppendSingleSpaced(StringBuilder output, string text, int start, int end)
    {
        while (start < end)
        {
            int space = text.IndexOf(' ', start, end - start);
            int wordEnd = space < 0 ? end : space;
            output.Append(text, start, wordEnd - start);
            start = wordEnd;
            while (start < end && text[start] == ' ')
            {
                start++;
            }

            if (start < end)
            {
                output.Append(' ');
            }
        }
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
