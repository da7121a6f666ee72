using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Fhir;

/// <summary>
/// A FHIR request through the decoder seam: its Observations as items (each naming its device and,
/// when given, its subject; context entries with a note), and the Bundle's type.
/// </summary>
public sealed record FhirBatch : DecodedBatch
{
    /// <summary><c>batch</c> or <c>transaction</c> for a Bundle; null for a single Observation.</summary>
    public string? BundleType { get; init; }
}
