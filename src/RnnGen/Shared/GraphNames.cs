namespace RnnGen.Shared;

/// <summary>
/// C# names from Keras names, as a [Graph]'s generated members and rnngen inspect's declarations write them:
/// <c>encoder_inputs</c> is the property <c>EncoderInputs</c>, the parameter <c>encoderInputs</c>.
/// </summary>
internal static class GraphNames
{
    public static string Pascal(string kerasName)
    {
        var name = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char ch in kerasName)
        {
            if (!char.IsLetterOrDigit(ch))
            {
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        return name.ToString();
    }

    public static string Camel(string kerasName)
    {
        string pascal = Pascal(kerasName);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }
}
