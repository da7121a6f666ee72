using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Mapping.Destination;

/// <summary>A measurement turned into a reading submission, or the reason it could not be.</summary>
public sealed record ReadingConversion(ReadingSubmission? Reading, string? Problem);
