using Microsoft.Extensions.Options;
using OpenWard.Server.Devices;
using OpenWard.Server.Hl7;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Gateway.Mllp;

/// <summary>
/// Who is speaking on an MLLP connection: on the TLS port, the registered sender (or the device)
/// whose pinned certificate the connection presented; on the plain loopback port, the sender named
/// by <c>OpenWard:Mllp:LoopbackSender</c>. Asked again before every message, so that revoking a
/// sender, a device or a pin takes effect on open connections.
/// </summary>
public sealed class Hl7SenderRecognition(Hl7SenderRegistry registry, DeviceDirectory devices, IOptions<OpenWardOptions> options)
{
    /// <summary>The active sender, or null when the connection speaks for no one OpenWard knows.</summary>
    /// <param name="certificateFingerprint">The client certificate's fingerprint on the TLS port; null on the plain port.</param>
    public Hl7Sender? Recognise(string? certificateFingerprint)
    {
        if (certificateFingerprint is null)
        {
            return options.Value.Mllp.LoopbackSender is { Length: > 0 } name ? registry.FindActive(name) : null;
        }

        return registry.FindByCertificate(certificateFingerprint)
            ?? (devices.DeviceWithCertificate(certificateFingerprint) is { } deviceId ? Hl7Sender.ForDevice(deviceId, certificateFingerprint) : null);
    }
}
