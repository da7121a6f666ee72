namespace OpenWard.Server.People;

/// <summary>How a sign-in attempt with a user name and password ended.</summary>
public enum PasswordCheck
{
    /// <summary>The password is right and the account may sign in.</summary>
    Accepted,

    /// <summary>No such user, or the password is wrong (the two are not told apart to the caller).</summary>
    Refused,

    /// <summary>Too many recent failures: refused until the lockout ends, even with the right password.</summary>
    LockedOut,

    /// <summary>The account is disabled.</summary>
    Disabled,
}
