using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// The kick-off request's parameters, checked: <c>Prefer: respond-async</c> is required, <c>_type</c>
/// names only types OpenWard exports, <c>_since</c> is a FHIR instant and <c>_outputFormat</c> is ndjson.
/// Anything else is refused with its reason rather than ignored.
/// </summary>
public sealed partial record ExportParameters(IReadOnlyList<string>? Types, DateTimeOffset? Since)
{
    private static readonly string[] Known = ["_type", "_since", "_outputFormat"];
    private static readonly string[] Ndjson = ["application/fhir+ndjson", "application/ndjson", "ndjson"];

    /// <summary>The parameters of the request (<see cref="Types"/> null when <c>_type</c> names none: every type the caller may export), or the reason they cannot be used.</summary>
    public static (ExportParameters? Parameters, string? Problem) Read(HttpRequest request, IReadOnlyList<string> exportable)
    {
        if (!request.Headers["Prefer"].Any(p => p is not null && p.Split(',').Any(v => v.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase))))
        {
            return (null, "a bulk export runs asynchronously: send the header \"Prefer: respond-async\"");
        }

        if (request.Query.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, $"the parameter \"{unknown}\" is not supported; use {string.Join(", ", Known)}");
        }

        if (request.Query["_outputFormat"].FirstOrDefault() is { } format && !Ndjson.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            return (null, $"_outputFormat \"{format}\" is not supported; exports are written as application/fhir+ndjson");
        }

        var types = new List<string>();
        foreach (var type in request.Query["_type"].SelectMany(v => (v ?? "").Split(',')).Select(t => t.Trim()))
        {
            if (!exportable.Contains(type, StringComparer.Ordinal))
            {
                return (null, $"_type \"{type}\" is not a resource type OpenWard exports; use {string.Join(", ", exportable)}");
            }

            if (!types.Contains(type, StringComparer.Ordinal))
            {
                types.Add(type);
            }
        }

        DateTimeOffset? since = null;
        if (request.Query["_since"].FirstOrDefault() is { } text)
        {
            // A "+" left unencoded in a query string arrives as a space.
            text = text.Replace(' ', '+');
            if (!Instant().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                return (null, $"_since \"{text}\" is not a FHIR instant (e.g. 2026-01-31T08:00:00Z, with seconds and a time zone)");
            }

            since = instant;
        }

        return (new ExportParameters(types.Count == 0 ? null : types, since), null);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Instant();
}
