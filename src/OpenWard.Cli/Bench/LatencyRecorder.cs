namespace OpenWard.Cli.Bench;

/// <summary>Collects latencies from many devices and reports percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> milliseconds = [];
    private readonly Lock gate = new();

    /// <summary>Records one latency.</summary>
    public void Record(TimeSpan latency)
    {
        lock (gate)
        {
            milliseconds.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>p50, p95, p99 and max in milliseconds (zeros when nothing was recorded).</summary>
    public LatencySummary Summarise()
    {
        lock (gate)
        {
            if (milliseconds.Count == 0)
            {
                return new LatencySummary(0, 0, 0, 0);
            }

            var sorted = milliseconds.Order().ToArray();
            return new LatencySummary(At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted[^1]);
        }
    }

    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
