namespace OpenWard.Server.People;

/// <summary>
/// The sessions a person has signed in with. A seam: people declares it, so that a password change or
/// disabling an account ends them at once, and identity (which people must not import) implements it.
/// </summary>
public interface IPersonSessions
{
    /// <summary>Ends the person's sessions; false when there is no such account.</summary>
    Task<bool> EndAsync(string userId, CancellationToken cancellationToken);
}
