namespace OpenWard.Core.Text;

/// <summary>Device-supplied text quoted in a reason: cut so that a hostile payload cannot bloat errors and logs.</summary>
public static class Quote
{
    /// <summary>The text, cut to <paramref name="length"/> characters with an ellipsis.</summary>
    public static string Shorten(string text, int length = 64) => text.Length <= length ? text : text[..length] + "…";
}
