using OpenIddict.Abstractions;
using OpenWard.Server.Access;
using OpenWard.Server.Alerts;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// Ends every session of a person at once — after a password change, a sign-out or disabling: their
/// session generation moves on (so sign-in cookies and refresh tokens issued before are refused),
/// their tokens are revoked (so access tokens are refused at the next call), and their live alerts
/// connections are closed.
/// </summary>
public sealed class PersonSessions(UserDirectory users, IOpenIddictTokenManager tokens, LiveAlertConnections connections) : IPersonSessions
{
    /// <summary>Ends the person's sessions; false when there is no such account.</summary>
    public async Task<bool> EndAsync(string userId, CancellationToken cancellationToken)
    {
        var found = await users.EndSessionsAsync(userId, cancellationToken);
        await tokens.RevokeBySubjectAsync(userId, cancellationToken);
        connections.Close(Caller.PersonAuditName(userId));
        return found;
    }
}
