namespace OpenWard.Cli.Bench;

/// <summary>Compares what the broker acknowledged with what ended up where it should.</summary>
public static class IngestVerification
{
    /// <summary>
    /// Readings acknowledged to a device but missing from what was found for it (stored by OpenWard,
    /// or delivered to the subscriber for a pass-through broker). Extra readings found do not
    /// offset missing ones of another device.
    /// </summary>
    public static long Lost(IEnumerable<string> deviceIds, IReadOnlyDictionary<string, long> acknowledged, IReadOnlyDictionary<string, long> found)
    {
        long lost = 0;
        foreach (var device in deviceIds)
        {
            lost += Math.Max(0, acknowledged.GetValueOrDefault(device) - found.GetValueOrDefault(device));
        }

        return lost;
    }
}
