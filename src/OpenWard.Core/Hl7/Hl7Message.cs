namespace OpenWard.Core.Hl7;

/// <summary>An HL7 v2 message split into segments with the delimiters its MSH declares.</summary>
public sealed class Hl7Message
{
    /// <summary>The largest message accepted (1 MiB of text).</summary>
    public const int MaxLength = 1024 * 1024;

    private Hl7Message(Hl7Separators separators, IReadOnlyList<Hl7Segment> segments)
    {
        Separators = separators;
        Segments = segments;
    }

    /// <summary>The message's delimiters.</summary>
    public Hl7Separators Separators { get; }

    /// <summary>Every segment in order, MSH first.</summary>
    public IReadOnlyList<Hl7Segment> Segments { get; }

    /// <summary>The MSH segment.</summary>
    public Hl7Segment Header => Segments[0];

    /// <summary>The first segment with this id, or null.</summary>
    public Hl7Segment? First(string id) => Segments.FirstOrDefault(s => s.Id == id);

    /// <summary>Parses a message; segments may end in CR, LF or CRLF. Never throws on bad input.</summary>
    public static bool TryParse(string text, out Hl7Message? message, out string? problem)
    {
        message = null;
        if (text.Length > MaxLength)
        {
            problem = FormattableString.Invariant($"message of {text.Length} characters is longer than {MaxLength}");
            return false;
        }

        var lines = text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("MSH", StringComparison.Ordinal) || lines[0].Length < 8)
        {
            problem = "message does not start with an MSH segment";
            return false;
        }

        var msh = lines[0];
        var field = msh[3];
        var encoding = msh[4..].Split(field)[0];
        if (encoding.Length < 4 || char.IsLetterOrDigit(field) || encoding.Distinct().Count() != encoding.Length || encoding.Contains(field, StringComparison.Ordinal))
        {
            problem = "MSH-1 and MSH-2 do not declare five distinct delimiters";
            return false;
        }

        var separators = new Hl7Separators(field, encoding[0], encoding[1], encoding[2], encoding[3]);
        var segments = new List<Hl7Segment>(lines.Length);
        foreach (var line in lines)
        {
            if (line.Length < 3)
            {
                problem = $"segment \"{line}\" has no segment id";
                return false;
            }

            segments.Add(new Hl7Segment(line, separators));
        }

        message = new Hl7Message(separators, segments);
        problem = null;
        return true;
    }
}
