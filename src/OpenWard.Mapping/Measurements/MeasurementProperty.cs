namespace OpenWard.Mapping.Measurements;

/// <summary>One named value of a measurement, as the template's <c>values[]</c> extracted it.</summary>
public sealed record MeasurementProperty(string Name, string Value);
