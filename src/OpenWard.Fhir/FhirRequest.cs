namespace OpenWard.Fhir;

/// <summary>A FHIR request body read into Observations: one, or the entries of a batch or transaction Bundle.</summary>
public sealed record FhirRequest
{
    /// <summary>The Observations, in order.</summary>
    public IReadOnlyList<FhirObservation> Observations { get; init; } = [];

    /// <summary><c>batch</c> or <c>transaction</c> for a Bundle; null for a single Observation.</summary>
    public string? BundleType { get; init; }

    /// <summary>Why the body as a whole cannot be taken.</summary>
    public string? Problem { get; init; }
}
