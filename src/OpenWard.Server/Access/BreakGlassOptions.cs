using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Access;

/// <summary>Break-glass access (<c>OpenWard:SignIn:BreakGlassMinutes</c>, kept in the sign-in section where it has always been set).</summary>
public sealed class BreakGlassOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:SignIn";

    /// <summary>How long a break-glass access to a patient outside one's care teams lasts.</summary>
    [Range(5, 720)]
    public int BreakGlassMinutes { get; set; } = 60;
}
