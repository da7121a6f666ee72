using System.Globalization;
using OpenWard.Simulator.Mqtt;
using Spectre.Console;

namespace OpenWard.Cli.Simulate;

/// <summary>How a running simulation reports itself: a table redrawn on a terminal, one plain line at a time into a log.</summary>
public static class SimulationStatus
{
    /// <summary>The counters as a table, for a terminal.</summary>
    public static Table Table(SimulationStatistics statistics, TimeSpan elapsed)
    {
        var table = new Table().AddColumns("simulated ward", "").HideHeaders();
        foreach (var (label, value) in Rows(statistics, elapsed))
        {
            table.AddRow(label, value);
        }

        return table;
    }

    /// <summary>The counters as one line with the time, for a log.</summary>
    public static string Line(SimulationStatistics statistics, TimeSpan elapsed, DateTimeOffset now) =>
        $"{now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} simulated ward: "
        + string.Join(", ", Rows(statistics, elapsed).Select(row => $"{row.Label} {row.Value}"));

    private static IEnumerable<(string Label, string Value)> Rows(SimulationStatistics statistics, TimeSpan elapsed) =>
    [
        ("running for", elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)),
        ("devices online", statistics.DevicesOnline.ToString(CultureInfo.InvariantCulture)),
        ("messages acknowledged", statistics.MessagesAcknowledged.ToString("N0", CultureInfo.InvariantCulture)),
        ("readings acknowledged", statistics.ReadingsAcknowledged.ToString("N0", CultureInfo.InvariantCulture)),
        ("readings/s", (statistics.ReadingsAcknowledged / Math.Max(elapsed.TotalSeconds, 1)).ToString("N0", CultureInfo.InvariantCulture)),
        ("refused", statistics.MessagesRefused.ToString(CultureInfo.InvariantCulture)),
        ("reconnects after drop-outs", statistics.Reconnects.ToString(CultureInfo.InvariantCulture)),
    ];
}
