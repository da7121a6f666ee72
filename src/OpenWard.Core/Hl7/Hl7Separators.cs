namespace OpenWard.Core.Hl7;

/// <summary>The delimiters a message declares in MSH-1 and MSH-2 (usually <c>|^~\&amp;</c>).</summary>
public sealed record Hl7Separators(char Field, char Component, char Repetition, char Escape, char Subcomponent)
{
    /// <summary>The standard delimiters.</summary>
    public static Hl7Separators Standard { get; } = new('|', '^', '~', '\\', '&');

    /// <summary>Replaces delimiters in <paramref name="text"/> with escape sequences, so it can be sent inside a field.</summary>
    public string EscapeText(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == Escape)
            {
                result.Append(Escape).Append('E').Append(Escape);
            }
            else if (c == Field)
            {
                result.Append(Escape).Append('F').Append(Escape);
            }
            else if (c == Component)
            {
                result.Append(Escape).Append('S').Append(Escape);
            }
            else if (c == Subcomponent)
            {
                result.Append(Escape).Append('T').Append(Escape);
            }
            else if (c == Repetition)
            {
                result.Append(Escape).Append('R').Append(Escape);
            }
            else if (c is '\r' or '\n')
            {
                result.Append(' ');
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
