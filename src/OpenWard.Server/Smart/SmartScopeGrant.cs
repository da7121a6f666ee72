using OpenWard.Server.Storage;

namespace OpenWard.Server.Smart;

/// <summary>
/// Which SMART scopes a token gets: those the client asks for, as far as the scopes it was registered with
/// allow (asking for <c>system/*.rs</c> with <c>system/Observation.rs</c> registered gives
/// <c>system/Observation.rs</c>); all of its registered scopes when it asks for none.
/// </summary>
public static class SmartScopeGrant
{
    /// <summary>The scopes to grant, or why none can be: the token request is then refused with <c>invalid_scope</c>.</summary>
    public static Outcome<IReadOnlyList<string>> Grant(IReadOnlyList<string> requested, IReadOnlyList<string> registered)
    {
        if (registered.Count == 0)
        {
            return requested.Count == 0
                ? Outcome<IReadOnlyList<string>>.Done([])
                : Outcome<IReadOnlyList<string>>.Refused(ProblemKind.Invalid,
                    "this client holds no SMART scopes: a backend service registered with a key set (clients add --jwks) reads through FHIR");
        }

        if (requested.Count == 0)
        {
            return Outcome<IReadOnlyList<string>>.Done(registered);
        }

        var allowed = registered.Select(Parse).ToList();
        var granted = new List<string>();
        foreach (var text in requested)
        {
            var asked = Parse(text);
            foreach (var shared in allowed.Select(asked.Intersect).OfType<SmartScope>())
            {
                // Granted as asked where the whole of it is allowed, so that the client finds its own words in the answer.
                granted.Add(shared == asked ? text : shared.ToString());
            }
        }

        return granted.Count == 0
            ? Outcome<IReadOnlyList<string>>.Refused(ProblemKind.Invalid,
                $"none of the scopes asked for is granted to this client; it may have {string.Join(" ", registered)}")
            : Outcome<IReadOnlyList<string>>.Done([.. granted.Distinct(StringComparer.Ordinal)]);
    }

    private static SmartScope Parse(string text) =>
        SmartScope.TryParse(text, out var scope, out var reason) ? scope : throw new ArgumentException(reason, nameof(text));
}
