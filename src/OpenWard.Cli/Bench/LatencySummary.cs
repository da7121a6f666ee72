namespace OpenWard.Cli.Bench;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P95, double P99, double Max);
