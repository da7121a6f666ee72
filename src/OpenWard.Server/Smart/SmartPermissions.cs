namespace OpenWard.Server.Smart;

/// <summary>What a SMART scope lets its holder do to a resource type: SMART v2's c, r, u, d and s.</summary>
[Flags]
public enum SmartPermissions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>c</c>: create.</summary>
    Create = 1,

    /// <summary><c>r</c>: read one resource by its id.</summary>
    Read = 2,

    /// <summary><c>u</c>: update.</summary>
    Update = 4,

    /// <summary><c>d</c>: delete.</summary>
    Delete = 8,

    /// <summary><c>s</c>: search.</summary>
    Search = 16,
}
