using System.Globalization;
using System.Text.Json;

namespace OpenWard.Cli.Commands;

/// <summary>The device status as a table: one line per device.</summary>
public static class DeviceStatusTable
{
    /// <summary>Writes the answer of <c>GET /api/v1/device-status</c>.</summary>
    public static void Write(JsonElement devices, TextWriter output)
    {
        var rows = devices.EnumerateArray().Select(d => new[]
        {
            d.GetProperty("id").GetString()!,
            d.GetProperty("connected").GetBoolean() ? "connected" : "offline",
            d.TryGetProperty("lastSeenAt", out var seen) && seen.ValueKind == JsonValueKind.String
                ? seen.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never",
            d.TryGetProperty("batteryPercent", out var battery) && battery.ValueKind == JsonValueKind.Number
                ? battery.GetDouble().ToString("0", CultureInfo.InvariantCulture) + " %" : "-",
            d.TryGetProperty("refusedTopics", out var refused) ? refused.GetInt64().ToString(CultureInfo.InvariantCulture) : "0",
        }).ToList();
        if (rows.Count == 0)
        {
            output.WriteLine("no devices are registered");
            return;
        }

        string[] header = ["DEVICE", "CONNECTION", "LAST SEEN", "BATTERY", "REFUSED TOPICS"];
        var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var longest && longest > h.Length ? longest : h.Length).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
