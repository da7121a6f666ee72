namespace OpenWard.Mapping.Templates;

/// <summary>
/// One thing wrong with a mapping template, and where: the line and position in the template file
/// and the JSON path of the offending element.
/// </summary>
public sealed record TemplateProblem(int Line, int Position, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Path.Length == 0 ? $"line {Line}, position {Position}: {Message}" : $"line {Line}, position {Position} ({Path}): {Message}";
}
