using OpenWard.Core.Alerting;

namespace OpenWard.Core.Alerts;

/// <summary>
/// The rules of an alert's life — raised → acknowledged → resolved, one open alert per patient and
/// condition, escalation by tier while nobody acknowledges it. Pure: each transition takes the alert
/// as it is and the time, and returns the step (the alert as it becomes, and the history entry), or
/// for a person's request a refusal saying why not. Storing the step is the caller's.
/// </summary>
/// <param name="tiers">Who is told, in order, while an alert stays unacknowledged; the first at once.</param>
public sealed class AlertLifecycle(IReadOnlyList<AlertTier> tiers)
{
    /// <summary>The actor of the steps OpenWard takes by itself (raising, updating, escalating, resolving a cleared condition).</summary>
    public const string OpenWard = "openward";

    /// <summary>
    /// A rule's finding about a condition, given the condition's open alert (null when none): raises
    /// a new alert, updates the open one, or resolves it when the condition cleared; null when there
    /// is nothing to do (a cleared condition with no open alert).
    /// </summary>
    public AlertStep? Apply(AlertStatus? open, RuleFinding finding, DateTimeOffset now)
    {
        open = open is { State: not AlertState.Resolved } ? open : null;
        return (finding.Severity, open) switch
        {
            ({ } severity, null) => Raise(severity, finding.Summary, now),
            ({ } severity, { } alert) => Update(alert, severity, finding.Summary, now),
            (null, { } alert) => Clear(alert, finding.Summary, now),
            (null, null) => null,
        };
    }

    /// <summary>A new alert: raised at <paramref name="now"/>, the first tier told at once, the next one scheduled.</summary>
    public AlertStep Raise(AlertSeverity severity, string summary, DateTimeOffset now) => new(
        new AlertStatus
        {
            Severity = severity,
            State = AlertState.Raised,
            Summary = summary,
            RaisedAt = now,
            UpdatedAt = now,
            EscalationTier = 0,
            NextEscalationAt = NextEscalation(now, 0),
        },
        AlertChange.Raised, OpenWard, $"{severity}: {summary}");

    /// <summary>The condition holds again: the latest evidence replaces the summary; the severity never falls while open.</summary>
    public static AlertStep Update(AlertStatus open, AlertSeverity severity, string summary, DateTimeOffset now) => new(
        open with { Severity = severity > open.Severity ? severity : open.Severity, Summary = summary, UpdatedAt = now },
        AlertChange.Updated, OpenWard, $"{severity}: {summary}");

    /// <summary>The condition cleared: OpenWard resolves the alert, unlabelled.</summary>
    public static AlertStep Clear(AlertStatus open, string summary, DateTimeOffset now) => new(
        open with { State = AlertState.Resolved, ResolvedBy = OpenWard, ResolvedAt = now, UpdatedAt = now, NextEscalationAt = null, Actionable = null },
        AlertChange.Resolved, OpenWard, summary);

    /// <summary>A clinician takes the alert on and escalation stops; only a raised alert can be acknowledged.</summary>
    public static AlertDecision Acknowledge(AlertStatus alert, string actor, string? note, DateTimeOffset now) =>
        alert.State != AlertState.Raised
            ? AlertDecision.Refuse(alert.State, $"the alert is {AlertNames.Of(alert.State)}")
            : AlertDecision.Take(new AlertStep(
                alert with { State = AlertState.Acknowledged, AcknowledgedBy = actor, AcknowledgedAt = now, UpdatedAt = now, NextEscalationAt = null },
                AlertChange.Acknowledged, actor, note));

    /// <summary>
    /// A clinician resolves the alert with a note and whether it was actionable — the label is given
    /// here, once; a resolved alert cannot be resolved again.
    /// </summary>
    public static AlertDecision Resolve(AlertStatus alert, string actor, string note, bool actionable, DateTimeOffset now) =>
        alert.State == AlertState.Resolved
            ? AlertDecision.Refuse(alert.State, "the alert is already resolved")
            : AlertDecision.Take(new AlertStep(
                alert with { State = AlertState.Resolved, ResolvedBy = actor, ResolvedAt = now, UpdatedAt = now, NextEscalationAt = null, Actionable = actionable },
                AlertChange.Resolved, actor, note, actionable));

    /// <summary>A comment joins the history, in any state; the alert itself does not change.</summary>
    public static AlertStep Comment(AlertStatus alert, string actor, string text) => new(alert, AlertChange.Commented, actor, text);

    /// <summary>Whether a raised alert's next tier is due at <paramref name="now"/>.</summary>
    public static bool IsDue(AlertStatus alert, DateTimeOffset now) =>
        alert is { State: AlertState.Raised, NextEscalationAt: { } next } && next <= now;

    /// <summary>
    /// A raised alert nobody acknowledged moves to the next tier when it is due, and the one after is
    /// scheduled from when it was raised; null when it is not due, not raised, or at the last tier.
    /// </summary>
    public AlertStep? Escalate(AlertStatus alert, DateTimeOffset now)
    {
        var tier = alert.EscalationTier + 1;
        if (!IsDue(alert, now) || tier >= tiers.Count)
        {
            return null;
        }

        return new AlertStep(
            alert with { EscalationTier = tier, NextEscalationAt = NextEscalation(alert.RaisedAt, tier), UpdatedAt = now },
            AlertChange.Escalated, OpenWard, $"to {tiers[tier].Name} (not acknowledged)");
    }

    /// <summary>The name of the tier an alert has reached, or null past the configured tiers.</summary>
    public string? TierName(int tier) => tier >= 0 && tier < tiers.Count ? tiers[tier].Name : null;

    private DateTimeOffset? NextEscalation(DateTimeOffset raisedAt, int tier) =>
        tier + 1 < tiers.Count ? raisedAt + tiers[tier + 1].After : null;
}
