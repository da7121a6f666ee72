namespace OpenWard.Simulator.Physiology;

/// <summary>A hash that is the same in every process (unlike <see cref="HashCode"/>), for reproducible simulations.</summary>
public static class StableHash
{
    /// <summary>FNV-1a over the text, mixed with a number.</summary>
    public static int Of(string text, long number)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (ulong)number) * 1099511628211UL;
        return (int)(hash ^ (hash >> 32));
    }
}
