using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>Ports of the in-process Orleans silo (<c>OpenWard:Orleans:…</c>), bound to loopback.</summary>
public sealed class SiloOptions
{
    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
