using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>Where devices connect over MQTT (<c>OpenWard:Mqtt:…</c>).</summary>
public sealed class MqttListenerOptions
{
    /// <summary>Plain MQTT port; 0 turns the listener off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Address of the plain listener. Loopback by default: devices outside this machine connect
    /// over TLS (<see cref="TlsPort"/>).
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>MQTT over TLS port; 0 turns the listener off.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; } = 8883;

    /// <summary>Address of the TLS listener.</summary>
    public string TlsBindAddress { get; set; } = "0.0.0.0";
}
