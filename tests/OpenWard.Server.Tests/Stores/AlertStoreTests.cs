using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;
using OpenWard.Server.Alerts;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Alerts are kept the same on SQLite and on PostgreSQL: one open alert per patient and condition through
/// its life (raised, updated, acknowledged, commented, escalated, resolved) with its history, requests the
/// lifecycle refuses, and every query over them.
/// </summary>
public sealed class AlertStoreTests
{
    private const string HighHeartRate = "threshold:heart-rate:high";
    private const string LowSpO2 = "threshold:spo2:low";
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Findings_RaiseUpdateAndClearOneOpenAlert_WithItsHistory(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;

        var raised = await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, AlertSeverity.Urgent, "Heart rate 134 /min"), ct);
        ward.Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, AlertSeverity.Warning, "Heart rate 126 /min"), ct);
        ward.Clock.Advance(TimeSpan.FromMinutes(1));
        var cleared = await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, null, "Heart rate 88 /min"), ct);

        Assert.Equal(("raised", AlertState.Raised, "ward nurse"), (raised!.Change, raised.Alert.State, raised.Alert.EscalatedTo));
        Assert.Equal(Start, raised.Alert.RaisedAt);
        // An update is of the same alert; its severity never falls while open.
        Assert.Equal(("updated", raised.Alert.Id, AlertSeverity.Urgent, "Heart rate 126 /min", Start.AddMinutes(1)),
            (updated!.Change, updated.Alert.Id, updated.Alert.Severity, updated.Alert.Summary, updated.Alert.UpdatedAt));
        Assert.Equal(("resolved", raised.Alert.Id, AlertState.Resolved, AlertLifecycle.OpenWard, Start.AddMinutes(2)),
            (cleared!.Change, cleared.Alert.Id, cleared.Alert.State, cleared.Alert.ResolvedBy, cleared.Alert.ResolvedAt));
        Assert.Null(cleared.Alert.Actionable);

        var stored = await ward.Alerts.FindAsync(raised.Alert.Id, withEvents: true, ct);
        Assert.Equal(cleared.Alert, stored! with { Events = null });
        Assert.Equal(
            [(Start, "raised", "openward", "Urgent: Heart rate 134 /min"), (Start.AddMinutes(1), "updated", "openward", "Warning: Heart rate 126 /min"),
             (Start.AddMinutes(2), "resolved", "openward", "Heart rate 88 /min")],
            stored.Events!.Select(e => (e.At, e.Kind, e.Actor, e.Detail)));
        Assert.Null((await ward.Alerts.FindAsync(raised.Alert.Id, withEvents: false, ct))!.Events);

        // A cleared condition with nothing open changes nothing; the condition holding again raises a new alert.
        Assert.Null(await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, null, "Heart rate 86 /min"), ct));
        var again = await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, AlertSeverity.Warning, "Heart rate 122 /min"), ct);
        Assert.Equal("raised", again!.Change);
        Assert.NotEqual(raised.Alert.Id, again.Alert.Id);
        Assert.Equal([again.Alert.Id], (await ward.Alerts.OpenForPatientAsync("pat-1", ct)).Select(a => a.Id));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AClinician_AcknowledgesCommentsAndResolves_AndWhatTheLifecycleRefusesIsRefused(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var id = (await ward.Alerts.ApplyAsync("pat-1", Finding(LowSpO2, AlertSeverity.Critical, "SpO2 84 %"), ct))!.Alert.Id;

        ward.Clock.Advance(TimeSpan.FromMinutes(2));
        var acknowledged = await ward.Alerts.AcknowledgeAsync(id, "user:nurse-1", "on my way", ct);
        var acknowledgedAgain = await ward.Alerts.AcknowledgeAsync(id, "user:nurse-2", null, ct);
        ward.Clock.Advance(TimeSpan.FromMinutes(3));
        var commented = await ward.Alerts.CommentAsync(id, "user:doctor-1", "probe had slipped off", ct);
        ward.Clock.Advance(TimeSpan.FromMinutes(1));
        var resolved = await ward.Alerts.ResolveAsync(id, "user:doctor-1", "probe refitted, SpO2 97 %", actionable: false, ct);
        var resolvedAgain = await ward.Alerts.ResolveAsync(id, "user:doctor-2", "again", actionable: true, ct);

        Assert.Equal((AlertState.Acknowledged, "user:nurse-1", Start.AddMinutes(2), null),
            (acknowledged.Value!.State, acknowledged.Value.AcknowledgedBy, acknowledged.Value.AcknowledgedAt, acknowledged.Value.NextEscalationAt));
        Assert.Equal((ProblemKind.Conflict, "the alert is acknowledged"), (acknowledgedAgain.Problem, acknowledgedAgain.Reason));
        // A comment joins the history and leaves the alert as it was.
        Assert.Equal(acknowledged.Value with { Events = null }, commented.Value! with { Events = null });
        Assert.Equal((AlertState.Resolved, "user:doctor-1", Start.AddMinutes(6), false),
            (resolved.Value!.State, resolved.Value.ResolvedBy, resolved.Value.ResolvedAt, resolved.Value.Actionable));
        Assert.Equal((ProblemKind.Conflict, "the alert is already resolved"), (resolvedAgain.Problem, resolvedAgain.Reason));
        Assert.Equal(
            new (string, string, string?)[]
            {
                ("raised", "openward", "Critical: SpO2 84 %"), ("acknowledged", "user:nurse-1", "on my way"), ("commented", "user:doctor-1", "probe had slipped off"),
                ("resolved", "user:doctor-1", "probe refitted, SpO2 97 %"),
            },
            resolved.Value.Events!.Select(e => (e.Kind, e.Actor, e.Detail)));
        Assert.Equal(new bool?[] { null, null, null, false }, resolved.Value.Events!.Select(e => e.Actionable));
        Assert.Equal(resolved.Value, await ward.Alerts.FindAsync(id, withEvents: true, ct), AlertComparer);

        Assert.Equal(ProblemKind.NotFound, (await ward.Alerts.AcknowledgeAsync("alt-none", "user:nurse-1", null, ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await ward.Alerts.CommentAsync("alt-none", "user:nurse-1", "?", ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await ward.Alerts.ResolveAsync("alt-none", "user:nurse-1", "?", actionable: true, ct)).Problem);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SummariesAndNotes_AreSealedAtRest(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var id = (await ward.Alerts.ApplyAsync("pat-1", Finding(LowSpO2, AlertSeverity.Urgent, "SpO2 88 %"), ct))!.Alert.Id;
        await ward.Alerts.CommentAsync(id, "user:nurse-1", "patient asleep, mouth breathing", ct);

        var summary = (string)(await StoredValues.ScalarAsync(ward.Database, "SELECT summary FROM alerts WHERE id = @id;", ("@id", id)))!;
        var note = (string)(await StoredValues.ScalarAsync(ward.Database, "SELECT detail FROM alert_events WHERE alert_id = @id AND kind = 'commented';", ("@id", id)))!;

        Assert.StartsWith("enc1:", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("SpO2 88 %", summary, StringComparison.Ordinal); // the whole summary: "88" alone may turn up in a key id or the sealed text
        Assert.StartsWith("enc1:", note, StringComparison.Ordinal);
        Assert.DoesNotContain("asleep", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnUnacknowledgedAlert_IsDueAndEscalatesTierByTier_OnceForEachTier(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var first = (await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, AlertSeverity.Urgent, "Heart rate 140 /min"), ct))!.Alert;
        ward.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await ward.Alerts.ApplyAsync("pat-2", Finding(HighHeartRate, AlertSeverity.Urgent, "Heart rate 138 /min"), ct))!.Alert;
        var acknowledged = (await ward.Alerts.ApplyAsync("pat-3", Finding(HighHeartRate, AlertSeverity.Urgent, "Heart rate 137 /min"), ct))!.Alert;
        await ward.Alerts.AcknowledgeAsync(acknowledged.Id, "user:nurse-3", null, ct);

        Assert.Equal(Start.AddMinutes(5), first.NextEscalationAt);
        Assert.Empty(await ward.Alerts.DueForEscalationAsync(Start.AddMinutes(5).AddMilliseconds(-1), ct));
        Assert.Equal([first.Id], (await ward.Alerts.DueForEscalationAsync(Start.AddMinutes(5), ct)).Select(a => a.Id));
        Assert.Null(await ward.Alerts.EscalateAsync(first, ct)); // not due yet at minute 1

        ward.Clock.Advance(TimeSpan.FromMinutes(4));
        var escalated = await ward.Alerts.EscalateAsync(first, ct);
        Assert.Equal((1, "charge nurse", Start.AddMinutes(15), Start.AddMinutes(5)),
            (escalated!.EscalationTier, escalated.EscalatedTo, escalated.NextEscalationAt, escalated.UpdatedAt));
        // The alert as read before that step is not escalated a second time.
        Assert.Null(await ward.Alerts.EscalateAsync(first, ct));

        // Due in the order of their next escalation; an acknowledged alert is never due.
        Assert.Equal([second.Id, first.Id], (await ward.Alerts.DueForEscalationAsync(Start.AddHours(1), ct)).Select(a => a.Id));
        ward.Clock.Advance(TimeSpan.FromMinutes(10));
        var last = await ward.Alerts.EscalateAsync(escalated, ct);
        Assert.Equal((2, "on-call physician", null), (last!.EscalationTier, last.EscalatedTo, last.NextEscalationAt));
        Assert.Equal([second.Id], (await ward.Alerts.DueForEscalationAsync(Start.AddHours(1), ct)).Select(a => a.Id));
        Assert.Equal(["raised", "escalated", "escalated"], (await ward.Alerts.FindAsync(first.Id, withEvents: true, ct))!.Events!.Select(e => e.Kind));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoClinicians_AcknowledgingAtOnce_OneIsRefused(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        for (var patient = 1; patient <= 5; patient++)
        {
            ids.Add((await ward.Alerts.ApplyAsync($"pat-{patient}", Finding(LowSpO2, AlertSeverity.Critical, "SpO2 85 %"), ct))!.Alert.Id);
        }

        var outcomes = await Task.WhenAll(ids.SelectMany(id => new[]
        {
            Task.Run(() => ward.Alerts.AcknowledgeAsync(id, "user:nurse-1", null, ct), ct),
            Task.Run(() => ward.Alerts.AcknowledgeAsync(id, "user:nurse-2", null, ct), ct),
        }));

        foreach (var id in ids)
        {
            var stored = (await ward.Alerts.FindAsync(id, withEvents: true, ct))!;
            var acknowledgement = Assert.Single(stored.Events!, e => e.Kind == "acknowledged");
            Assert.Equal(acknowledgement.Actor, stored.AcknowledgedBy);
        }

        Assert.Equal(ids.Count, outcomes.Count(o => o.Problem == ProblemKind.None));
        Assert.Equal(ids.Count, outcomes.Count(o => o.Problem == ProblemKind.Conflict));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AFindingAndAnAcknowledgementAtOnce_NeitherUndoesTheOther(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        for (var patient = 1; patient <= 5; patient++)
        {
            ids.Add((await ward.Alerts.ApplyAsync($"pat-{patient}", Finding(LowSpO2, AlertSeverity.Urgent, "SpO2 88 %"), ct))!.Alert.Id);
        }

        await Task.WhenAll(Enumerable.Range(1, 5).SelectMany(patient => new Task[]
        {
            Task.Run(() => ward.Alerts.ApplyAsync($"pat-{patient}", Finding(LowSpO2, AlertSeverity.Critical, "SpO2 84 %"), ct), ct),
            Task.Run(() => ward.Alerts.AcknowledgeAsync(ids[patient - 1], "user:nurse-1", null, ct), ct),
        }));

        foreach (var id in ids)
        {
            var stored = (await ward.Alerts.FindAsync(id, withEvents: true, ct))!;
            Assert.Equal((AlertState.Acknowledged, AlertSeverity.Critical, "SpO2 84 %"), (stored.State, stored.Severity, stored.Summary));
            Assert.Equal(["acknowledged", "raised", "updated"], stored.Events!.Select(e => e.Kind).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task OpenAlerts_AreFoundByPatient_ByConditionPrefix_AndById(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        var raised = (await ward.Alerts.ApplyAsync("pat-1", Finding(HighHeartRate, AlertSeverity.Urgent, "Heart rate 130 /min"), ct))!.Alert;
        var offline = (await ward.Alerts.ApplyAsync("pat-1", Finding("device-offline:oxi-7", AlertSeverity.Warning, "Oximeter silent"), ct))!.Alert;
        await ward.Alerts.AcknowledgeAsync(offline.Id, "user:nurse-1", null, ct);
        var resolved = (await ward.Alerts.ApplyAsync("pat-1", Finding(LowSpO2, AlertSeverity.Urgent, "SpO2 89 %"), ct))!.Alert;
        await ward.Alerts.ResolveAsync(resolved.Id, "user:nurse-1", "recovered", actionable: true, ct);
        await ward.Alerts.ApplyAsync("pat-2", Finding("device-offline:oxi-8", AlertSeverity.Warning, "Oximeter silent"), ct);
        await ward.Alerts.ApplyAsync("pat-2", Finding("device-offline:oxi-8", null, "Oximeter back"), ct);
        await ward.Alerts.ApplyAsync("pat-3", Finding("device-offline:oxi-9", AlertSeverity.Warning, "Oximeter silent"), ct);
        // A condition that only looks like the prefix where a pattern would match it.
        await ward.Alerts.ApplyAsync("pat-4", Finding("device_offline:oxi-10", AlertSeverity.Warning, "Oximeter silent"), ct);

        Assert.Equal(new[] { offline.Id, raised.Id }.Order(StringComparer.Ordinal), (await ward.Alerts.OpenForPatientAsync("pat-1", ct)).Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await ward.Alerts.OpenForPatientAsync("pat-9", ct));
        Assert.Equal(["device-offline:oxi-7", "device-offline:oxi-9"],
            (await ward.Alerts.OpenWithConditionAsync("device-offline:", ct)).Select(a => a.Condition).Order(StringComparer.Ordinal));
        Assert.Equal(["pat-1", "pat-3", "pat-4"], (await ward.Alerts.PatientsWithOpenAlertsAsync(ct)).Order(StringComparer.Ordinal));
        Assert.Equal("pat-1", await ward.Alerts.PatientOfAsync(resolved.Id, ct));
        Assert.Null(await ward.Alerts.PatientOfAsync("alt-none", ct));
        Assert.Null(await ward.Alerts.FindAsync("alt-none", withEvents: true, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AList_IsOfVisiblePatientsOnly_FilteredByStatePatientAndSeverity_MostSevereAndOldestFirst(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        async Task<string> RaiseAsync(string patient, string condition, AlertSeverity severity)
        {
            ward.Clock.Advance(TimeSpan.FromMinutes(1));
            return (await ward.Alerts.ApplyAsync(patient, Finding(condition, severity, "evidence"), ct))!.Alert.Id;
        }

        var warning = await RaiseAsync("pat-1", "a", AlertSeverity.Warning);
        var critical = await RaiseAsync("pat-1", "b", AlertSeverity.Critical);
        var urgent = await RaiseAsync("pat-1", "c", AlertSeverity.Urgent);
        var otherCritical = await RaiseAsync("pat-2", "a", AlertSeverity.Critical);
        await RaiseAsync("pat-3", "a", AlertSeverity.Critical);
        var resolved = await RaiseAsync("pat-1", "d", AlertSeverity.Critical);
        await ward.Alerts.ResolveAsync(resolved, "user:doctor-1", "treated", actionable: true, ct);
        var acknowledged = await RaiseAsync("pat-2", "b", AlertSeverity.Warning);
        await ward.Alerts.AcknowledgeAsync(acknowledged, "user:nurse-1", null, ct);
        HashSet<string> visible = ["pat-1", "pat-2"];

        async Task<IEnumerable<string>> ListAsync(string? state, string? patient = null, AlertSeverity? minimum = null, int limit = 100, IReadOnlySet<string>? to = null) =>
            (await ward.Alerts.ListAsync(new AlertQuery(state, patient, minimum, limit, to ?? visible), ct)).Select(a => a.Id);

        Assert.Equal([critical, otherCritical, urgent, warning, acknowledged], await ListAsync(null));
        Assert.Equal(await ListAsync(null), await ListAsync("active"));
        Assert.Equal([critical, otherCritical, resolved, urgent, warning, acknowledged], await ListAsync("all"));
        Assert.Equal([resolved], await ListAsync("resolved"));
        Assert.Equal([acknowledged], await ListAsync("acknowledged"));
        Assert.Equal([critical, urgent, warning], await ListAsync(null, patient: "pat-1"));
        Assert.Empty(await ListAsync(null, patient: "pat-3"));
        Assert.Equal([critical, otherCritical, urgent], await ListAsync(null, minimum: AlertSeverity.Urgent));
        Assert.Equal([critical, otherCritical], await ListAsync(null, limit: 2));
        Assert.Empty(await ListAsync("all", to: new HashSet<string>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task RaisedAlerts_AreTallied_ByConditionAndLabel_WithinThePeriodAndPatients(string engine)
    {
        await using var ward = await StoredAlerts.CreateAsync(engine, Start);
        var ct = TestContext.Current.CancellationToken;
        async Task RaiseAsync(string patient, string condition, bool? actionable)
        {
            var id = (await ward.Alerts.ApplyAsync(patient, Finding(condition, AlertSeverity.Warning, "evidence"), ct))!.Alert.Id;
            if (actionable is { } label)
            {
                await ward.Alerts.ResolveAsync(id, "user:nurse-1", "reviewed", label, ct);
            }
        }

        await RaiseAsync("pat-1", HighHeartRate, true); // before the period
        ward.Clock.Advance(TimeSpan.FromHours(1));
        await RaiseAsync("pat-1", HighHeartRate, true);
        await RaiseAsync("pat-1", HighHeartRate, false);
        await RaiseAsync("pat-2", HighHeartRate, false);
        await RaiseAsync("pat-2", HighHeartRate, null);
        await RaiseAsync("pat-1", LowSpO2, true);
        await RaiseAsync("pat-3", LowSpO2, true); // not among the patients
        ward.Clock.Advance(TimeSpan.FromHours(1));
        await RaiseAsync("pat-1", LowSpO2, false); // at the end of the period, which it excludes

        var tallies = await ward.Alerts.TallyRaisedAsync(Start.AddHours(1), Start.AddHours(2), new HashSet<string> { "pat-1", "pat-2" }, ct);

        Assert.Equal(
            [new ConditionTally(HighHeartRate, null, 1), new ConditionTally(HighHeartRate, false, 2), new ConditionTally(HighHeartRate, true, 1), new ConditionTally(LowSpO2, true, 1)],
            tallies.OrderBy(t => t.Condition, StringComparer.Ordinal).ThenBy(t => t.Actionable));
        Assert.Empty(await ward.Alerts.TallyRaisedAsync(Start.AddHours(1), Start.AddHours(2), new HashSet<string>(), ct));
    }

    private static RuleFinding Finding(string condition, AlertSeverity? severity, string summary) => new(condition, severity, summary, Start);

    private static readonly IEqualityComparer<Alert?> AlertComparer = EqualityComparer<Alert?>.Create(
        (a, b) => a is null || b is null ? a is null && b is null
            : a with { Events = null } == b with { Events = null } && (a.Events ?? []).SequenceEqual(b.Events ?? []));
}
