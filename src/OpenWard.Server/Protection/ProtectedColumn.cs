namespace OpenWard.Server.Protection;

/// <summary>
/// A column whose values <see cref="FieldProtector"/> seals at rest, and how to find its rows again when
/// they are all sealed anew (at a key rotation, or at the start that seals values an older OpenWard wrote in clear).
/// </summary>
/// <param name="Name">The column as <c>table.column</c>; a sealed value is bound to it, so it cannot be moved to another column.</param>
/// <param name="Key">The table's key columns, which name the row each re-sealed value is written back to.</param>
public sealed record ProtectedColumn(string Name, IReadOnlyList<string> Key)
{
    /// <summary>The table.</summary>
    public string Table => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The column within <see cref="Table"/>.</summary>
    public string Column => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>A column of the same row that holds the value's blind index (<see cref="FieldProtector.Index"/>), written with it; null if none.</summary>
    public string? BlindIndex { get; init; }
}
