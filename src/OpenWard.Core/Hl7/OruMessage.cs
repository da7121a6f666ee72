namespace OpenWard.Core.Hl7;

/// <summary>What an ORU^R01 held: who sent it, the patient it names, and its readings.</summary>
public sealed record OruMessage
{
    /// <summary>MSH-10, echoed in the acknowledgement.</summary>
    public required string ControlId { get; init; }

    /// <summary>MSH-3, the sending application.</summary>
    public required string SendingApplication { get; init; }

    /// <summary>MSH-4, the sending facility.</summary>
    public required string SendingFacility { get; init; }

    /// <summary>PID-3, the patient identifier the sender used (first repetition), if any.</summary>
    public string? PatientIdentifier { get; init; }

    /// <summary>The readings, in message order.</summary>
    public IReadOnlyList<OruObservation> Observations { get; init; } = [];

    /// <summary>OBX segments whose codes are outside the catalogue (settings, alarms, other metrics): not readings.</summary>
    public int IgnoredObservations { get; init; }

    /// <summary>Why the message as a whole cannot be accepted; null when it can.</summary>
    public string? Problem { get; init; }
}
