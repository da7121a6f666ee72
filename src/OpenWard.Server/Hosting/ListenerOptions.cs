using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>
/// A protocol's pair of listeners: plain on <see cref="Port"/> (loopback by default: devices and
/// senders elsewhere connect over TLS) and TLS on <see cref="TlsPort"/>. A port of 0 turns that
/// listener off.
/// </summary>
public class ListenerOptions
{
    /// <summary>Plain port; 0 turns the listener off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Address of the plain listener.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>TLS port; 0 turns the listener off.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; }

    /// <summary>Address of the TLS listener.</summary>
    public string TlsBindAddress { get; set; } = "0.0.0.0";
}
