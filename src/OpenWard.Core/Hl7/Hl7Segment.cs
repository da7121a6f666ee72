using System.Globalization;
using System.Text;

namespace OpenWard.Core.Hl7;

/// <summary>
/// One segment of an HL7 v2 message. Fields are numbered as the standard numbers them (for MSH,
/// MSH-1 is the field separator itself); text comes back with escape sequences resolved.
/// </summary>
public sealed class Hl7Segment
{
    private readonly string[] fields;
    private readonly Hl7Separators separators;

    internal Hl7Segment(string text, Hl7Separators separators)
    {
        this.separators = separators;
        fields = text.Split(separators.Field);
        Id = fields[0];
        Text = text;
    }

    /// <summary>The segment as received.</summary>
    public string Text { get; }

    /// <summary>The segment id, e.g. <c>OBX</c>.</summary>
    public string Id { get; }

    /// <summary>Field <paramref name="number"/> as sent (escapes not resolved), or empty.</summary>
    public string RawField(int number)
    {
        // In MSH the separator itself is MSH-1, so the split is one position behind the numbering.
        var index = Id == "MSH" ? number - 1 : number;
        if (Id == "MSH" && number == 1)
        {
            return separators.Field.ToString();
        }

        return index > 0 && index < fields.Length ? fields[index] : "";
    }

    /// <summary>
    /// Component <paramref name="component"/> (1-based) of the first repetition of field
    /// <paramref name="number"/>, its first subcomponent, escapes resolved; empty when absent.
    /// </summary>
    public string Get(int number, int component = 1)
    {
        var field = RawField(number);
        if (Id == "MSH" && number == 2)
        {
            return field;
        }

        var repetition = field.Split(separators.Repetition)[0];
        var components = repetition.Split(separators.Component);
        if (component < 1 || component > components.Length)
        {
            return "";
        }

        return Unescape(components[component - 1].Split(separators.Subcomponent)[0]);
    }

    /// <summary>Resolves \F\ \S\ \T\ \R\ \E\, \Xhh…\ and \.br\; other escapes are dropped.</summary>
    public string Unescape(string text)
    {
        var escape = separators.Escape;
        if (text.IndexOf(escape, StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var end = c == escape ? text.IndexOf(escape, i + 1) : -1;
            if (end < 0)
            {
                result.Append(c);
                i++;
                continue;
            }

            var sequence = text[(i + 1)..end];
            switch (sequence)
            {
                case "F": result.Append(separators.Field); break;
                case "S": result.Append(separators.Component); break;
                case "T": result.Append(separators.Subcomponent); break;
                case "R": result.Append(separators.Repetition); break;
                case "E": result.Append(separators.Escape); break;
                case ".br": result.Append('\n'); break;
                default:
                    if (sequence.Length > 1 && sequence[0] == 'X' && sequence.Length % 2 == 1)
                    {
                        for (var h = 1; h + 1 < sequence.Length; h += 2)
                        {
                            if (byte.TryParse(sequence.AsSpan(h, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                            {
                                result.Append((char)b);
                            }
                        }
                    }

                    // Formatting and character-set escapes (\H\, \N\, \Cxxyy\ …) carry no text.
                    break;
            }

            i = end + 1;
        }

        return result.ToString();
    }
}
