namespace OpenWard.Core.Alerting;

/// <summary>Service-wide timing of the rules.</summary>
public sealed record AlertingPolicy
{
    /// <summary>How long values must stay back inside a limit before its condition clears.</summary>
    public TimeSpan HoldOff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How old a value may be and still count towards NEWS2.</summary>
    public TimeSpan News2Freshness { get; init; } = TimeSpan.FromHours(4);

    /// <summary>How long a rising NEWS2 response level must hold before it alerts.</summary>
    public TimeSpan News2Confirmation { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a falling NEWS2 response level must hold before the alert follows it down (or clears).</summary>
    public TimeSpan News2HoldOff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Whether the personalised early warning runs (on by default; off only to measure what it costs).</summary>
    public bool EarlyWarning { get; init; } = true;
}
