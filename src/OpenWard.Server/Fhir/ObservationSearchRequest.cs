using System.Globalization;
using OpenWard.Server.Readings;

namespace OpenWard.Server.Fhir;

/// <summary>
/// An Observation search (<c>GET /fhir/Observation?…</c>) or <c>$lastn</c> read from its parameters:
/// the patient, the vital signs that <c>category</c> and <c>code</c> leave, the device time range of
/// the <c>date</c> values, the page size and order, and where the page starts. Every parameter is
/// known and well formed, or the request is refused with the reasons.
/// </summary>
public sealed record ObservationSearchRequest
{
    /// <summary>The most Observations a page holds.</summary>
    public const int MaxCount = 1000;

    /// <summary>The most Observations per code <c>$lastn</c> gives.</summary>
    public const int MaxLastN = 100;

    /// <summary>The parameters of a search, as the CapabilityStatement lists them.</summary>
    public static readonly string[] SearchParameters = ["patient", "category", "code", "date", "_count", "_sort"];

    /// <summary>The parameters of <c>$lastn</c>.</summary>
    public static readonly string[] LastNParameters = ["patient", "category", "code", "max"];

    /// <summary>The patient.</summary>
    public required string PatientId { get; init; }

    /// <summary>The vital signs searched.</summary>
    public required IReadOnlySet<string> Vitals { get; init; }

    /// <summary>The device time range.</summary>
    public DateParameter Range { get; init; } = new(null, null);

    /// <summary>The page size (search) or the number per code (<c>$lastn</c>).</summary>
    public int Count { get; init; } = 100;

    /// <summary>Whether newest first (<c>_sort=-date</c>).</summary>
    public bool NewestFirst { get; init; }

    /// <summary>Where the page starts (the <c>_cursor</c> of a next link).</summary>
    public ReadingKeyset? After { get; init; }

    /// <summary>Reads a search's parameters; null with the reasons when any is unknown, repeated where it may not be, or malformed.</summary>
    public static ObservationSearchRequest? Parse(IQueryCollection query, bool lastN, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        var known = lastN ? LastNParameters : [.. SearchParameters, "_cursor"];
        foreach (var name in query.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add($"search parameter \"{name}\" is not supported here; supported: {string.Join(", ", lastN ? LastNParameters : SearchParameters)}");
        }

        var patient = Single(query, "patient", errors);
        if (patient is null && !query.ContainsKey("patient"))
        {
            errors.Add("patient is required: patient={id} or patient=Patient/{id}");
        }
        else if (patient?.StartsWith("Patient/", StringComparison.Ordinal) == true)
        {
            patient = patient!["Patient/".Length..];
        }

        var vitals = new HashSet<string>(ObservationCodes.All, StringComparer.Ordinal);
        foreach (var category in query["category"])
        {
            vitals.IntersectWith(ObservationCodes.ByCategory(category ?? "", out var problem) ?? NoVitals(problem));
        }

        foreach (var code in query["code"])
        {
            vitals.IntersectWith(ObservationCodes.ByCode(code ?? "", out var problem) ?? NoVitals(problem));
        }

        var dates = new List<DateParameter>();
        foreach (var date in query["date"])
        {
            if (DateParameter.Parse(date ?? "", out var problem) is { } parameter)
            {
                dates.Add(parameter);
            }
            else
            {
                errors.Add(problem!);
            }
        }

        var count = Number(query, lastN ? "max" : "_count", lastN ? 1 : 100, lastN ? MaxLastN : MaxCount, errors);
        var newestFirst = Single(query, "_sort", errors) switch
        {
            null or "date" => false,
            "-date" => true,
            var other => Refuse<bool>($"_sort \"{other}\" is not supported; sort by date or -date"),
        };
        ReadingKeyset? after = null;
        if (Single(query, "_cursor", errors) is { } cursor)
        {
            after = ReadingKeyset.TryParse(cursor, out var keyset) ? keyset : Refuse<ReadingKeyset?>("_cursor is not one this server gave in a next link");
        }

        problems = errors;
        return errors.Count > 0 ? null : new ObservationSearchRequest
        {
            PatientId = patient!,
            Vitals = vitals,
            Range = DateParameter.Intersect(dates),
            Count = count,
            NewestFirst = newestFirst,
            After = after,
        };

        HashSet<string> NoVitals(string? problem)
        {
            errors.Add(problem!);
            return [];
        }

        T Refuse<T>(string problem)
        {
            errors.Add(problem);
            return default!;
        }
    }

    private static string? Single(IQueryCollection query, string name, List<string> errors)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            errors.Add($"{name} may be given once");
        }

        return values.Count == 0 ? null : values[0] is { Length: > 0 } value ? value : Empty(name, errors);
    }

    private static string? Empty(string name, List<string> errors)
    {
        errors.Add($"{name} has no value");
        return null;
    }

    private static int Number(IQueryCollection query, string name, int fallback, int max, List<string> errors)
    {
        if (Single(query, name, errors) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            errors.Add($"{name} \"{text}\" must be a whole number from 1");
            return fallback;
        }

        // A larger page than the server gives is allowed by FHIR: the server gives its most.
        return Math.Min(number, max);
    }
}
