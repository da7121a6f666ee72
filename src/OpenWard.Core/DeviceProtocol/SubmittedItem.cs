namespace OpenWard.Core.DeviceProtocol;

/// <summary>
/// One element of a device's batch: where it stood, its raw text (kept for the dead-letter store),
/// and either the decoded submission or the reason it could not be decoded.
/// </summary>
public sealed record SubmittedItem
{
    /// <summary>Zero-based position in the batch.</summary>
    public required int Index { get; init; }

    /// <summary>
    /// The element's text as received (cut to <see cref="DeviceJsonFormat.MaxRawFragmentLength"/>).
    /// Null where the decoder can give it again should validation refuse the element: device JSON
    /// keeps it only for elements it could not decode, so a valid reading costs no copy of its text
    /// (<see cref="DeviceJsonFormat.RawElement"/> reads it back from the payload).
    /// </summary>
    public string? RawJson { get; init; }

    /// <summary>The decoded reading, or null when <see cref="Problem"/> says why it could not be decoded.</summary>
    public ReadingSubmission? Submission { get; init; }

    /// <summary>Why the element could not be decoded; null when it could.</summary>
    public string? Problem { get; init; }

    /// <summary>
    /// The patient the message itself identified (e.g. HL7 PID-3 of a bedside monitor that is not
    /// assigned to anyone), used when the device has no assignment at the reading's time.
    /// </summary>
    public string? IdentifiedPatientId { get; init; }

    /// <summary>
    /// The device the message names for this item, where one message speaks for several devices
    /// (HL7 OBX-18, a FHIR Observation's device); null where the sender is the device.
    /// </summary>
    public string? DeviceId { get; init; }

    /// <summary>
    /// The patient the message says the reading is about (a FHIR Observation's subject), which must be
    /// the one the device was assigned to at the reading's time; it attributes nothing.
    /// </summary>
    public string? SubjectPatientId { get; init; }

    /// <summary>
    /// For an item that is context rather than a reading (a Device or Patient a gateway sends along,
    /// a battery Observation): why it is acknowledged without being stored. Such an item has neither
    /// a submission nor a problem.
    /// </summary>
    public string? Note { get; init; }
}
