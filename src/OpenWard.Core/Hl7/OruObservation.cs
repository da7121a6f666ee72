using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Hl7;

/// <summary>One reading an ORU^R01 carried (from one OBX, or the OBXs of one blood pressure), or why it was refused.</summary>
public sealed record OruObservation
{
    /// <summary>The device that measured (OBX-18, inherited from an earlier OBX, or MSH-3).</summary>
    public required string DeviceId { get; init; }

    /// <summary>OBX-1 (set id) of the first OBX it came from.</summary>
    public required int Index { get; init; }

    /// <summary>The OBX segment text, for the dead-letter store.</summary>
    public required string Raw { get; init; }

    /// <summary>The reading, or null when <see cref="Problem"/> says why not.</summary>
    public ReadingSubmission? Submission { get; init; }

    /// <summary>Why the observation was refused.</summary>
    public string? Problem { get; init; }
}
