namespace OpenWard.Server.Storage;

/// <summary>Why a change a user asked for was not made.</summary>
public enum ProblemKind
{
    /// <summary>The change was made.</summary>
    None,

    /// <summary>Something it names does not exist.</summary>
    NotFound,

    /// <summary>It conflicts with what exists (an id already taken, a revoked device).</summary>
    Conflict,

    /// <summary>The request itself is invalid.</summary>
    Invalid,
}

/// <summary>The result of a change: the value, or the kind of problem and a reason a person can read.</summary>
public sealed record Outcome<T>(T? Value, ProblemKind Problem, string? Reason)
{
    /// <summary>A successful change.</summary>
    public static Outcome<T> Done(T value) => new(value, ProblemKind.None, null);

    /// <summary>A refused change.</summary>
    public static Outcome<T> Refused(ProblemKind problem, string reason) => new(default, problem, reason);
}
