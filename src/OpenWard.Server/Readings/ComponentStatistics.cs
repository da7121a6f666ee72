namespace OpenWard.Server.Readings;

/// <summary>Minimum, maximum and mean of one component within a bucket.</summary>
public sealed record ComponentStatistics(double Min, double Max, double Mean);
