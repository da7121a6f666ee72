using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>
/// The HL7 v2 MLLP listeners (<c>OpenWard:Mllp:…</c>). Senders elsewhere connect over TLS
/// (<see cref="ListenerOptions.TlsPort"/>) and identify themselves with the client certificate
/// registered for them. The plain port is off unless set, listens on loopback only, and speaks for
/// one registered sender, <see cref="LoopbackSender"/> — an interface engine on the same host.
/// How much of the listeners one sender may hold is set here too.
/// </summary>
public sealed class MllpOptions : ListenerOptions
{
    /// <summary>The registered HL7 sender whose permissions apply to messages on the plain port.</summary>
    public string? LoopbackSender { get; set; }

    /// <summary>Open connections one network address may hold; a further one is closed at once. An interface engine or a monitor gateway needs a few.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerAddress { get; set; } = 8;

    /// <summary>Seconds a connection may go without starting a frame (after it opened, or after its last frame) before it is closed.</summary>
    [Range(1, 86_400)]
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds within which a started frame must end; a sender trickling a frame in cannot hold its buffer longer.</summary>
    [Range(1, 3_600)]
    public int FrameTimeoutSeconds { get; set; } = 30;

    /// <summary>Why these settings cannot start, or null when they can.</summary>
    public string? Problem()
    {
        if (Port == 0)
        {
            return null;
        }

        if (!System.Net.IPAddress.TryParse(BindAddress.Trim('[', ']'), out var address) || !System.Net.IPAddress.IsLoopback(address))
        {
            return "OpenWard:Mllp:BindAddress must be a loopback address: the plain MLLP port has no authentication, so HL7 senders elsewhere connect over TLS (OpenWard:Mllp:TlsPort)";
        }

        return string.IsNullOrWhiteSpace(LoopbackSender)
            ? "OpenWard:Mllp:Port is set but OpenWard:Mllp:LoopbackSender is not: name the registered HL7 sender (openward hl7-senders add) whose messages arrive on the plain port"
            : null;
    }
}
