using System.CommandLine;
using System.Globalization;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward readings PATIENT_ID --vital V [--from T --to T --resolution 1h --limit N]</c>.</summary>
public static class ReadingsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var patient = new Argument<string>("PATIENT_ID") { Description = "Patient id" };
        var vital = new Option<string>("--vital") { Description = "Vital sign, e.g. heart-rate", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start (inclusive), ISO 8601 with offset" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End (exclusive), ISO 8601 with offset" };
        var resolution = new Option<string?>("--resolution") { Description = "Bucket readings: 1m, 5m, 1h or 1d" };
        var limit = new Option<int?>("--limit") { Description = "Readings or buckets per page (default 500)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue from a previous page's \"next\"" };
        var command = new Command("readings", "A patient's readings of one vital sign, raw or bucketed")
        {
            patient, vital, from, to, resolution, limit, cursor,
        };
        command.SetAction((parse, ct) =>
        {
            var query = new List<string> { "vital=" + Uri.EscapeDataString(parse.GetValue(vital)!) };
            Add(query, "from", parse.GetValue(from)?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            Add(query, "to", parse.GetValue(to)?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            Add(query, "resolution", parse.GetValue(resolution));
            Add(query, "limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            Add(query, "cursor", parse.GetValue(cursor));
            var path = $"/api/v1/patients/{Uri.EscapeDataString(parse.GetValue(patient)!)}/readings?{string.Join('&', query)}";
            return GlobalOptions.PrintAsync(parse, api => api.GetAsync(path, ct));
        });
        return command;
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
