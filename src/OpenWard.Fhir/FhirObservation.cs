using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Fhir;

/// <summary>One Observation of a FHIR request, read into a reading, or why it could not be.</summary>
public sealed record FhirObservation
{
    /// <summary>Position in the request (0 for a single Observation, the entry index in a Bundle).</summary>
    public required int Index { get; init; }

    /// <summary>The device from <c>Observation.device</c> (reference <c>Device/{id}</c> or identifier value).</summary>
    public string? DeviceId { get; init; }

    /// <summary>
    /// Identifiers (and the id) of the Device entry of the same Bundle that <c>Observation.device</c>
    /// references by <c>urn:uuid</c>, as Personal Health Device gateways send them; the first that is
    /// a registered device is the device.
    /// </summary>
    public IReadOnlyList<string> DeviceCandidates { get; init; } = [];

    /// <summary>The patient from <c>Observation.subject</c> (reference <c>Patient/{id}</c> or identifier value).</summary>
    public string? PatientId { get; init; }

    /// <summary>The Observation as received (FHIR JSON, cut to 2 KiB), for the dead-letter store.</summary>
    public required string Raw { get; init; }

    /// <summary>The reading, or null when <see cref="Problem"/> says why not.</summary>
    public ReadingSubmission? Submission { get; init; }

    /// <summary>Why the Observation cannot become a reading.</summary>
    public string? Problem { get; init; }

    /// <summary>
    /// For a Bundle entry that is context rather than a vital sign (a Device or Patient a gateway
    /// sends along, a battery or time-synchronisation Observation): why it is acknowledged without
    /// being stored.
    /// </summary>
    public string? Note { get; init; }
}
