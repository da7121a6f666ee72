using System.Security.Claims;

namespace OpenWard.Server.Access;

/// <summary>Who is calling, read from their access token: a person (user account) or an API client, and their role.</summary>
public sealed record Caller(string Subject, string Role, bool IsPerson)
{
    /// <summary>The token claim that says whether the subject is a person or a client.</summary>
    public const string KindClaim = "openward_kind";

    /// <summary>The claim of a person's cookie and tokens that carries their session generation (see <c>Identity.PersonSessions</c>).</summary>
    public const string SessionClaim = "openward_session";

    /// <summary>The value of <see cref="KindClaim"/> for people.</summary>
    public const string PersonKind = "user";

    /// <summary>The value of <see cref="KindClaim"/> for API clients.</summary>
    public const string ClientKind = "client";

    /// <summary>The caller a signed-in principal stands for, or null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst("sub")?.Value;
        var role = principal.FindFirst("role")?.Value;
        return subject is null || role is null ? null : new Caller(subject, role, principal.FindFirst(KindClaim)?.Value == PersonKind);
    }

    /// <summary>How the audit trail and alert history name the caller: <c>user:usr-…</c> or <c>client:client-…</c>.</summary>
    public string AuditName => IsPerson ? PersonAuditName(Subject) : "client:" + Subject;

    /// <summary>How the audit trail names the person with this account id.</summary>
    public static string PersonAuditName(string userId) => "user:" + userId;
}
