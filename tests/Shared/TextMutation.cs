namespace OpenWard.Tests.Shared;

/// <summary>Mutates text for property tests: each edit deletes a character or inserts one.</summary>
internal static class TextMutation
{
    /// <summary>The text with the edits applied (positions wrap around; every third position deletes).</summary>
    public static string Apply(string text, (int Position, char Character)[] edits)
    {
        var chars = text.ToList();
        foreach (var (position, character) in edits)
        {
            var at = position % (chars.Count + 1);
            if (position % 3 == 0 && at < chars.Count)
            {
                chars.RemoveAt(at);
            }
            else
            {
                chars.Insert(at, character);
            }
        }

        return new string([.. chars]);
    }
}
