using System;
using System.Text;

namespace RnnGen.Generators.Helpers;

/// <summary>An indenting text writer for generated source; always writes '\n' so output is byte-identical everywhere.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    /// <summary>Writes one line at the current indentation, wrapped by <see cref="LineWrapper"/> when it is too long to read.</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }

        LineWrapper.Write(_builder, _indent * 4, text);
        return this;
    }

    /// <summary>Writes several lines, each indented at the current level (a leading '\n' in a raw block is ignored).</summary>
    public SourceWriter Lines(string block)
    {
        foreach (string line in block.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line.TrimEnd());
        }

        return this;
    }

    /// <summary>Appends text another writer wrote, as it is (its lines carry their own indentation).</summary>
    public SourceWriter Raw(string text)
    {
        _builder.Append(text);
        return this;
    }

    public SourceWriter OpenBrace()
    {
        Line("{");
        Indent();
        return this;
    }

    public SourceWriter CloseBrace(string suffix = "")
    {
        Unindent();
        Line("}" + suffix);
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (if any) and opens a brace block that closes when the returned scope is disposed.</summary>
    public Block Braces(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        OpenBrace();
        return new Block(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;

        public Block(SourceWriter writer) => _writer = writer;

        public void Dispose() => _writer.CloseBrace();
    }
}
