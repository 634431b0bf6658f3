using System.Collections.Generic;
using System.IO;

namespace RnnGen.Formats.Npz;

/// <summary>
/// Parses the one Python literal an NPY header holds (numpy writes it with <c>repr</c>, read back with
/// <c>ast.literal_eval</c>): a dict of string keys to strings, booleans and tuples of integers.
/// </summary>
internal static class PythonLiteral
{
    private const int MaxDimensions = 64;

    public static Dictionary<string, object> ParseDict(string text, string what)
    {
        var parser = new Parser(text, what);
        Dictionary<string, object> result = parser.Dict();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Fail("nothing after the header dict");
        }

        return result;
    }

    private sealed class Parser
    {
        private readonly string _text;
        private readonly string _what;
        private int _position;

        public Parser(string text, string what)
        {
            _text = text;
            _what = what;
        }

        public bool AtEnd => _position >= _text.Length;

        public Dictionary<string, object> Dict()
        {
            var result = new Dictionary<string, object>();
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}')
                {
                    _position++;
                    return result;
                }

                string key = String();
                Expect(':');
                result[key] = Value();
                SkipSpace();
                if (Peek() == ',')
                {
                    _position++;
                }
                else if (Peek() != '}')
                {
                    throw Fail("',' or '}' after a value");
                }
            }
        }

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(_text[_position]))
            {
                _position++;
            }
        }

        public InvalidDataException Fail(string expected) =>
            new($"The {_what} header is not a valid NPY header dict: expected {expected} at character {_position} of \"{_text.Trim()}\".");

        private object Value()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"')
            {
                return String();
            }

            if (c == '(')
            {
                return Tuple();
            }

            if (Match("True"))
            {
                return true;
            }

            if (Match("False"))
            {
                return false;
            }

            throw Fail("a string, True, False or a tuple");
        }

        private long[] Tuple()
        {
            Expect('(');
            var values = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')')
                {
                    _position++;
                    return values.ToArray();
                }

                if (values.Count >= MaxDimensions)
                {
                    throw Fail($"at most {MaxDimensions} dimensions");
                }

                values.Add(Integer());
                SkipSpace();
                if (Peek() == ',')
                {
                    _position++;
                }
                else if (Peek() != ')')
                {
                    throw Fail("',' or ')' in the shape tuple");
                }
            }
        }

        private long Integer()
        {
            SkipSpace();
            int start = _position;
            long value = 0;
            while (!AtEnd && char.IsAsciiDigit(_text[_position]))
            {
                if (value > (long.MaxValue - 9) / 10)
                {
                    throw Fail("a dimension that fits in 64 bits");
                }

                value = value * 10 + (_text[_position] - '0');
                _position++;
            }

            if (Peek() == 'L')
            {
                _position++; // Python 2 long suffix, as old numpy wrote it
            }

            return _position == start ? throw Fail("an integer") : value;
        }

        private string String()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Fail("a quoted string");
            }

            int start = ++_position;
            while (!AtEnd && _text[_position] != quote)
            {
                _position++;
            }

            if (AtEnd)
            {
                throw Fail("a closing quote");
            }

            return _text.Substring(start, _position++ - start);
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0)
            {
                _position += word.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                throw Fail($"'{c}'");
            }

            _position++;
        }

        private char Peek() => AtEnd ? '\0' : _text[_position];
    }
}
