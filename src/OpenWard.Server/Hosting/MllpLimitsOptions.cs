using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>
/// How much of the HL7 v2 MLLP listeners one sender may hold (<c>OpenWard:Mllp:…</c>, beside the
/// listener settings in <see cref="OpenWardOptions.Mllp"/>).
/// </summary>
public sealed class MllpLimitsOptions
{
    /// <summary>The configuration section, shared with the MLLP listener settings.</summary>
    public const string Section = OpenWardOptions.Section + ":Mllp";

    /// <summary>Open connections one network address may hold; a further one is closed at once. An interface engine or a monitor gateway needs a few.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerAddress { get; set; } = 8;

    /// <summary>Seconds a connection may go without starting a frame (after it opened, or after its last frame) before it is closed.</summary>
    [Range(1, 86_400)]
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds within which a started frame must end; a sender trickling a frame in cannot hold its buffer longer.</summary>
    [Range(1, 3_600)]
    public int FrameTimeoutSeconds { get; set; } = 30;
}
