using OpenWard.Core.Vitals;
using OpenWard.Fhir;

namespace OpenWard.Server.Fhir;

/// <summary>
/// Which of the catalogue's vital signs a <c>code</c> or <c>category</c> search token names, as the
/// Observations carry them (<see cref="ObservationResources"/>): a token is <c>system|code</c>,
/// <c>code</c> (any system) or <c>|code</c> (no system), and a comma between tokens means either.
/// </summary>
public static class ObservationCodes
{
    private static readonly (string System, string Code, string Vital)[] Codes =
        [.. VitalSignCatalogue.All.SelectMany(vital => ObservationResources.Code(vital).Coding.Select(c => (c.System!, c.Code!, vital.Key)))];

    private static readonly (string System, string Code, string Vital)[] Categories =
        [.. VitalSignCatalogue.All.Select(vital => (ObservationResources.Category(vital).System!, ObservationResources.Category(vital).Code!, vital.Key))];

    /// <summary>The vital signs a <c>code</c> value names (empty when none), or null with the problem when it is malformed.</summary>
    public static IReadOnlySet<string>? ByCode(string value, out string? problem) => Match(value, Codes, "code", out problem);

    /// <summary>The vital signs a <c>category</c> value names (empty when none), or null with the problem when it is malformed.</summary>
    public static IReadOnlySet<string>? ByCategory(string value, out string? problem) => Match(value, Categories, "category", out problem);

    private static HashSet<string>? Match(string value, (string System, string Code, string Vital)[] known, string parameter, out string? problem)
    {
        problem = null;
        var vitals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in value.Split(','))
        {
            var bar = token.IndexOf('|', StringComparison.Ordinal);
            var (system, code) = bar < 0 ? (null, token) : (token[..bar], token[(bar + 1)..]);
            if (code.Length == 0 || code.Contains('|', StringComparison.Ordinal))
            {
                problem = $"{parameter} \"{value}\" is not a token: give system|code or code, several separated by commas";
                return null;
            }

            foreach (var entry in known)
            {
                if (entry.Code == code && (system is null || entry.System == system))
                {
                    vitals.Add(entry.Vital);
                }
            }
        }

        return vitals;
    }

    /// <summary>Every vital sign, in catalogue order.</summary>
    public static IReadOnlySet<string> All { get; } = VitalSignCatalogue.All.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
}
