using System.Text;
using System.Text.RegularExpressions;

namespace OpenWard.Server.Smart;

/// <summary>
/// One SMART on FHIR scope for a backend service: <c>system/{ResourceType|*}.{permissions}</c>, in SMART v2's
/// form (<c>system/Observation.rs</c>: the letters c, r, u, d, s in that order) or v1's
/// (<c>system/Observation.read</c>, which is v2's <c>rs</c>; <c>.write</c>, which is <c>cud</c>; <c>.*</c>, all five).
/// </summary>
public sealed partial record SmartScope(string ResourceType, SmartPermissions Permissions)
{
    /// <summary>The only context OpenWard grants: a backend service acting as itself, for no user or patient.</summary>
    public const string SystemContext = "system";

    /// <summary>The resource type that stands for every resource type.</summary>
    public const string AnyResource = "*";

    private static readonly (char Letter, SmartPermissions Permission)[] Letters =
    [
        ('c', SmartPermissions.Create), ('r', SmartPermissions.Read), ('u', SmartPermissions.Update),
        ('d', SmartPermissions.Delete), ('s', SmartPermissions.Search),
    ];

    /// <summary>Reads a scope, or says why it is not one OpenWard understands.</summary>
    public static bool TryParse(string text, out SmartScope scope, out string reason)
    {
        scope = new SmartScope(AnyResource, SmartPermissions.None);
        var match = Form().Match(text);
        if (!match.Success)
        {
            reason = $"'{text}' is not a SMART scope of the form system/Observation.rs (system/<resource type or *>.<permissions>)";
            return false;
        }

        if (match.Groups["context"].Value != SystemContext)
        {
            reason = $"'{text}': a backend service's scopes are system/ scopes (patient/ and user/ need a signed-in person)";
            return false;
        }

        if (PermissionsOf(match.Groups["permissions"].Value) is not { } permissions)
        {
            reason = $"'{text}': the permissions must be read, write, * or some of c, r, u, d, s in that order";
            return false;
        }

        scope = new SmartScope(match.Groups["type"].Value, permissions);
        reason = "";
        return true;
    }

    /// <summary>Whether this scope lets its holder do <paramref name="permission"/> to <paramref name="resourceType"/>.</summary>
    public bool Allows(string resourceType, SmartPermissions permission) =>
        (ResourceType == AnyResource || ResourceType == resourceType) && (Permissions & permission) == permission;

    /// <summary>
    /// What this scope and <paramref name="other"/> both allow, or null when they share nothing
    /// (<c>system/*.rs</c> and <c>system/Observation.r</c> share <c>system/Observation.r</c>).
    /// </summary>
    public SmartScope? Intersect(SmartScope other)
    {
        var type = ResourceType == AnyResource ? other.ResourceType
            : other.ResourceType == AnyResource || other.ResourceType == ResourceType ? ResourceType
            : null;
        var permissions = Permissions & other.Permissions;
        return type is null || permissions == SmartPermissions.None ? null : new SmartScope(type, permissions);
    }

    /// <summary>The scope in SMART v2's form, e.g. <c>system/Observation.rs</c>.</summary>
    public override string ToString()
    {
        var letters = new StringBuilder();
        foreach (var (letter, permission) in Letters)
        {
            if ((Permissions & permission) != 0)
            {
                letters.Append(letter);
            }
        }

        return $"{SystemContext}/{ResourceType}.{letters}";
    }

    private static SmartPermissions? PermissionsOf(string text)
    {
        switch (text)
        {
            case "read":
                return SmartPermissions.Read | SmartPermissions.Search;
            case "write":
                return SmartPermissions.Create | SmartPermissions.Update | SmartPermissions.Delete;
            case "*":
                return SmartPermissions.Create | SmartPermissions.Read | SmartPermissions.Update | SmartPermissions.Delete | SmartPermissions.Search;
        }

        // v2: each letter at most once, in the order c, r, u, d, s.
        var permissions = SmartPermissions.None;
        var next = 0;
        foreach (var letter in text)
        {
            var index = Array.FindIndex(Letters, next, entry => entry.Letter == letter);
            if (index < 0)
            {
                return null;
            }

            permissions |= Letters[index].Permission;
            next = index + 1;
        }

        return permissions == SmartPermissions.None ? null : permissions;
    }

    [GeneratedRegex(@"^(?<context>[a-z]+)/(?<type>[A-Z][A-Za-z]{0,63}|\*)\.(?<permissions>[a-z]+|\*)$")]
    private static partial Regex Form();
}
