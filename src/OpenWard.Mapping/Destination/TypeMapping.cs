using OpenWard.Core.Vitals;

namespace OpenWard.Mapping.Destination;

/// <summary>
/// What one <c>CodeValueFhir</c> template ties a measurement type to: a catalogue vital sign and
/// where its value or components come from, or the reason its measurements cannot be stored.
/// </summary>
internal sealed record TypeMapping
{
    public required string TypeName { get; init; }

    public VitalSign? Vital { get; init; }

    public IReadOnlyList<ValueMapping> Values { get; init; } = [];

    /// <summary>Why measurements of this type cannot become readings; null when they can.</summary>
    public string? Unmapped { get; init; }
}
