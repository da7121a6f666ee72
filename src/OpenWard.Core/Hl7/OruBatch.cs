using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Hl7;

/// <summary>
/// An HL7 v2 ORU^R01 through the decoder seam: its readings as items (each naming its device, OBX-18),
/// and what the acknowledgement echoes and the patient checks need from its header.
/// </summary>
public sealed record OruBatch : DecodedBatch
{
    /// <summary>MSH-10, echoed in the acknowledgement; empty when the message could not be parsed.</summary>
    public string ControlId { get; init; } = "";

    /// <summary>MSH-3, the sending application; empty when the message could not be parsed.</summary>
    public string SendingApplication { get; init; } = "";

    /// <summary>MSH-4, the sending facility; empty when the message could not be parsed.</summary>
    public string SendingFacility { get; init; } = "";

    /// <summary>PID-3, the patient identifier the sender used (first repetition), if any.</summary>
    public string? PatientIdentifier { get; init; }
}
