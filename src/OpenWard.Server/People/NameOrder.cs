namespace OpenWard.Server.People;

/// <summary>
/// The order people and care teams are listed in: by name, character by character, the case of A to Z
/// ignored. It is SQLite's NOCASE order, kept here rather than in the query so that every engine lists
/// the same way (PostgreSQL's case-insensitive collation orders as a dictionary does, punctuation first).
/// </summary>
internal sealed class NameOrder : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static NameOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return (x is null ? 0 : 1) - (y is null ? 0 : 1);
        }

        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var difference = Fold(x[i]) - Fold(y[i]);
            if (difference != 0)
            {
                return difference;
            }
        }

        return x.Length - y.Length;
    }

    private static int Fold(char c) => char.IsAsciiLetterUpper(c) ? c + ('a' - 'A') : c;
}
