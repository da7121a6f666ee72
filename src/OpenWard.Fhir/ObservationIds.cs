using System.Globalization;

namespace OpenWard.Fhir;

/// <summary>
/// The id of the Observation a stored reading is served as: its device time (UTC milliseconds) and
/// its row key in the store, <c>1764959400000-4711</c>. Both are fixed when the reading is stored, so
/// the same reading always has the same id; the time lets the store find the row by its time
/// partition (PostgreSQL) as well as by its key.
/// </summary>
public static class ObservationIds
{
    /// <summary>The id of the reading stored under <paramref name="storedId"/> with this device time.</summary>
    public static string Of(long storedId, DateTimeOffset deviceTime) =>
        string.Create(CultureInfo.InvariantCulture, $"{deviceTime.ToUnixTimeMilliseconds()}-{storedId}");

    /// <summary>Reads an id back into its stored key and device time; false for an id OpenWard did not give.</summary>
    public static bool TryParse(string id, out long storedId, out DateTimeOffset deviceTime)
    {
        storedId = 0;
        deviceTime = default;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || !long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out storedId)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        deviceTime = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }
}
