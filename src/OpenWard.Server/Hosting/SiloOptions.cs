using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OpenWard.Server.Hosting;

/// <summary>
/// The in-process Orleans silo (<c>OpenWard:Orleans:…</c>): its ports, bound to loopback on a single node,
/// and in a cluster to the address the other nodes reach it on (<see cref="AdvertisedAddress"/>).
/// </summary>
public sealed class SiloOptions : IValidatableObject
{
    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>In a cluster: the IP address the other nodes reach this node's silo on (it listens there only).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            yield return new ValidationResult(
                $"must be an IP address of this machine that the other nodes can reach, not \"{AdvertisedAddress}\"", [nameof(AdvertisedAddress)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult("the silo port and the gateway port must differ", [nameof(GatewayPort)]);
        }
    }
}
