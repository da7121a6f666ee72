namespace OpenWard.Mapping.Measurements;

/// <summary>
/// A part of a message that a template matched but could not turn into a measurement (a required
/// value missing, a time that is not a time), with the matched JSON so it can be dead-lettered.
/// </summary>
public sealed record MeasurementProblem(string Type, string Reason, string MatchedJson);
