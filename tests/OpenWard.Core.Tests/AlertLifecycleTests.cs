using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;

namespace OpenWard.Core.Tests;

/// <summary>The alert lifecycle, step by step, with times the test gives: raise, update, clear, acknowledge, resolve, comment, escalate.</summary>
public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static readonly AlertLifecycle Lifecycle = new(
    [
        new AlertTier("ward nurse", TimeSpan.Zero),
        new AlertTier("charge nurse", TimeSpan.FromMinutes(5)),
        new AlertTier("on-call physician", TimeSpan.FromMinutes(15)),
    ]);

    private static RuleFinding Finding(AlertSeverity? severity, string summary = "SpO2 86 %") => new("threshold:spo2:low", severity, summary, Start);

    private static AlertStatus Raised(AlertSeverity severity = AlertSeverity.Urgent) => Lifecycle.Raise(severity, "SpO2 86 %", Start).Alert;

    [Fact]
    public void Finding_WithNoOpenAlert_RaisesOne_AtTheFirstTier_WithTheNextScheduled()
    {
        var step = Lifecycle.Apply(null, Finding(AlertSeverity.Urgent), Start)!;

        Assert.Equal((AlertChange.Raised, AlertLifecycle.OpenWard, "Urgent: SpO2 86 %"), (step.Change, step.Actor, step.Detail));
        Assert.Equal((AlertState.Raised, AlertSeverity.Urgent, Start, Start), (step.Alert.State, step.Alert.Severity, step.Alert.RaisedAt, step.Alert.UpdatedAt));
        Assert.Equal((0, "ward nurse", Start.AddMinutes(5)), (step.Alert.EscalationTier, Lifecycle.TierName(0), step.Alert.NextEscalationAt));
    }

    [Fact]
    public void Finding_WithAnOpenAlert_UpdatesIt_AndTheSeverityNeverFallsWhileOpen()
    {
        var open = Raised(AlertSeverity.Critical);

        var step = Lifecycle.Apply(open, Finding(AlertSeverity.Warning, "SpO2 90 %"), Start.AddMinutes(2))!;

        Assert.Equal((AlertChange.Updated, "Warning: SpO2 90 %"), (step.Change, step.Detail));
        Assert.Equal((AlertSeverity.Critical, "SpO2 90 %", Start.AddMinutes(2), Start), (step.Alert.Severity, step.Alert.Summary, step.Alert.UpdatedAt, step.Alert.RaisedAt));
        Assert.Equal(AlertSeverity.Critical, Lifecycle.Apply(Raised(AlertSeverity.Warning), Finding(AlertSeverity.Critical), Start)!.Alert.Severity);
    }

    [Fact]
    public void ClearedFinding_ResolvesTheOpenAlert_AsOpenWard_Unlabelled()
    {
        var step = Lifecycle.Apply(Raised(), Finding(null, "SpO2 back to 95 %"), Start.AddMinutes(10))!;

        Assert.Equal((AlertChange.Resolved, AlertLifecycle.OpenWard, "SpO2 back to 95 %", (bool?)null), (step.Change, step.Actor, step.Detail, step.Actionable));
        Assert.Equal((AlertState.Resolved, AlertLifecycle.OpenWard, Start.AddMinutes(10)), (step.Alert.State, step.Alert.ResolvedBy, step.Alert.ResolvedAt));
        Assert.Null(step.Alert.NextEscalationAt);
        Assert.Null(step.Alert.Actionable);
    }

    [Fact]
    public void ClearedFinding_WithNothingOpen_DoesNothing()
    {
        Assert.Null(Lifecycle.Apply(null, Finding(null), Start));
        var resolved = Lifecycle.Apply(Raised(), Finding(null), Start)!.Alert;
        Assert.Null(Lifecycle.Apply(resolved, Finding(null), Start));
    }

    [Fact]
    public void FindingAfterTheAlertWasResolved_RaisesANewOne()
    {
        var resolved = AlertLifecycle.Resolve(Raised(), "user:usr-1", "seen", actionable: true, Start).Step!.Alert;

        var step = Lifecycle.Apply(resolved, Finding(AlertSeverity.Warning), Start.AddHours(1))!;

        Assert.Equal((AlertChange.Raised, AlertState.Raised, Start.AddHours(1)), (step.Change, step.Alert.State, step.Alert.RaisedAt));
    }

    [Fact]
    public void Acknowledging_ARaisedAlert_StopsEscalation()
    {
        var decision = AlertLifecycle.Acknowledge(Raised(), "user:usr-7", "on my way", Start.AddMinutes(3));

        var step = decision.Step!;
        Assert.Null(decision.Refusal);
        Assert.Equal((AlertChange.Acknowledged, "user:usr-7", "on my way"), (step.Change, step.Actor, step.Detail));
        Assert.Equal((AlertState.Acknowledged, "user:usr-7", Start.AddMinutes(3)), (step.Alert.State, step.Alert.AcknowledgedBy, step.Alert.AcknowledgedAt));
        Assert.Null(step.Alert.NextEscalationAt);
        Assert.Null(Lifecycle.Escalate(step.Alert, Start.AddHours(1)));
    }

    [Fact]
    public void Acknowledging_AnAlertNotRaised_IsRefused_SayingItsState()
    {
        var acknowledged = AlertLifecycle.Acknowledge(Raised(), "user:usr-7", null, Start).Step!.Alert;
        var resolved = AlertLifecycle.Resolve(Raised(), "user:usr-7", "seen", actionable: false, Start).Step!.Alert;

        Assert.Equal("the alert is acknowledged", AlertLifecycle.Acknowledge(acknowledged, "user:usr-8", null, Start).Refusal!.Reason);
        Assert.Equal("the alert is resolved", AlertLifecycle.Acknowledge(resolved, "user:usr-8", null, Start).Refusal!.Reason);
        Assert.Null(AlertLifecycle.Acknowledge(resolved, "user:usr-8", null, Start).Step);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resolving_ByAPerson_KeepsTheirLabel_OnTheAlertAndTheStep(bool actionable)
    {
        var acknowledged = AlertLifecycle.Acknowledge(Raised(), "user:usr-7", null, Start).Step!.Alert;

        var step = AlertLifecycle.Resolve(acknowledged, "user:usr-7", "treated", actionable, Start.AddMinutes(20)).Step!;

        Assert.Equal((AlertChange.Resolved, "user:usr-7", "treated", (bool?)actionable), (step.Change, step.Actor, step.Detail, step.Actionable));
        Assert.Equal((AlertState.Resolved, "user:usr-7", Start.AddMinutes(20), (bool?)actionable), (step.Alert.State, step.Alert.ResolvedBy, step.Alert.ResolvedAt, step.Alert.Actionable));
        Assert.Equal("user:usr-7", step.Alert.AcknowledgedBy); // the acknowledgement stays on record
    }

    [Fact]
    public void Resolving_AResolvedAlert_IsRefused_AndTheLabelIsNotChanged()
    {
        var resolved = AlertLifecycle.Resolve(Raised(), "user:usr-7", "treated", actionable: true, Start).Step!.Alert;

        var decision = AlertLifecycle.Resolve(resolved, "user:usr-8", "not really", actionable: false, Start.AddMinutes(1));

        Assert.Null(decision.Step);
        Assert.Equal((AlertState.Resolved, "the alert is already resolved"), (decision.Refusal!.State, decision.Refusal.Reason));
        Assert.True(resolved.Actionable);
    }

    [Fact]
    public void Commenting_InAnyState_LeavesTheAlertAsItWas()
    {
        var resolved = AlertLifecycle.Resolve(Raised(), "user:usr-7", "treated", actionable: true, Start).Step!.Alert;

        foreach (var alert in new[] { Raised(), resolved })
        {
            var step = AlertLifecycle.Comment(alert, "user:usr-9", "family informed");
            Assert.Equal((AlertChange.Commented, "user:usr-9", "family informed"), (step.Change, step.Actor, step.Detail));
            Assert.Same(alert, step.Alert);
        }
    }

    [Fact]
    public void UnacknowledgedAlert_EscalatesThroughEachTierWhenDue_ScheduledFromWhenItWasRaised()
    {
        var alert = Raised();

        Assert.Null(Lifecycle.Escalate(alert, Start.AddMinutes(5).AddTicks(-1)));
        var charge = Lifecycle.Escalate(alert, Start.AddMinutes(6))!;
        Assert.Equal((AlertChange.Escalated, AlertLifecycle.OpenWard, "to charge nurse (not acknowledged)"), (charge.Change, charge.Actor, charge.Detail));
        Assert.Equal((1, Start.AddMinutes(15), Start.AddMinutes(6)), (charge.Alert.EscalationTier, charge.Alert.NextEscalationAt, charge.Alert.UpdatedAt));

        Assert.Null(Lifecycle.Escalate(charge.Alert, Start.AddMinutes(14)));
        var physician = Lifecycle.Escalate(charge.Alert, Start.AddMinutes(15))!;
        Assert.Equal((2, "on-call physician"), (physician.Alert.EscalationTier, Lifecycle.TierName(physician.Alert.EscalationTier)));
        Assert.Null(physician.Alert.NextEscalationAt); // the last tier

        Assert.Null(Lifecycle.Escalate(physician.Alert, Start.AddDays(1)));
    }

    [Fact]
    public void ResolvedAlert_NeverEscalates_EvenIfItWasDue()
    {
        var resolved = Raised() with { State = AlertState.Resolved };

        Assert.False(AlertLifecycle.IsDue(resolved, Start.AddHours(1)));
        Assert.Null(Lifecycle.Escalate(resolved, Start.AddHours(1)));
    }

    [Fact]
    public void WithOneTier_NothingIsScheduled()
    {
        var single = new AlertLifecycle([new AlertTier("ward nurse", TimeSpan.Zero)]);

        var raised = single.Raise(AlertSeverity.Critical, "Emergency call", Start).Alert;

        Assert.Null(raised.NextEscalationAt);
        Assert.Null(single.Escalate(raised, Start.AddHours(1)));
        Assert.Null(single.TierName(1));
    }

    [Fact]
    public void Names_AreThoseTheApiAndTheStoreUse()
    {
        Assert.Equal(["raised", "acknowledged", "resolved"], Enum.GetValues<AlertState>().Select(AlertNames.Of));
        Assert.Equal(["raised", "updated", "escalated", "acknowledged", "commented", "resolved"], Enum.GetValues<AlertChange>().Select(AlertNames.Of));
        Assert.All(Enum.GetValues<AlertState>(), state => Assert.Equal(state, AlertNames.StateNamed(AlertNames.Of(state))));
    }
}
