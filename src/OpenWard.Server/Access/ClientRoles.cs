namespace OpenWard.Server.Access;

/// <summary>The roles an API client can hold.</summary>
public static class ClientRoles
{
    /// <summary>Full administration (the bootstrap client has it).</summary>
    public const string Administrator = "administrator";

    /// <summary>An integration that reads clinical data (e.g. a record system).</summary>
    public const string Integration = "integration";

    /// <summary>Every role, for validation.</summary>
    public static readonly IReadOnlyList<string> All = [Administrator, Integration];
}
