using System.Security.Cryptography;
using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;
using OpenWard.Server.Access;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Alerts and their history in the store. What each transition does is the lifecycle's
/// (<see cref="AlertLifecycle"/>, in Core); the store reads the alert, asks the lifecycle, and writes
/// the step it returns — the alert as it now is and its history entry, with actor and time — in one
/// transaction under the write turn, and in that same transaction queues the change's deliveries to every
/// target of every channel (<see cref="PatientAudience"/>, <see cref="DeliveryQueue"/>): a change is never
/// stored without them, even if the server stops the moment after. One open alert per patient and condition
/// is enforced by a unique index; a node sharing the store that loses a race to raise one applies its finding to
/// the alert the other raised. Summaries, like notes, are sealed at rest.
/// </summary>
public sealed class AlertStore(
    ClinicalDatabase database, FieldProtector protector, DeliveryQueue deliveries, PatientAudience audience,
    IOptions<AlertingOptions> options, TimeProvider clock) : IAlertPatients
{
    private const string Columns = """
        id, patient_id, condition, severity, state, summary, raised_at, updated_at, acknowledged_by, acknowledged_at,
        resolved_by, resolved_at, escalation_tier, next_escalation_at, actionable
        """;

    private readonly AlertLifecycle lifecycle = new([.. options.Value.Tiers.Select(t => new AlertTier(t.Name, t.After))]);

    /// <summary>
    /// Stores what the lifecycle makes of a rule's finding — a new alert, an update of the open one, or its
    /// resolution when the condition cleared — with its deliveries, and returns the change; null when nothing changed.
    /// </summary>
    public async Task<AlertNotice?> ApplyAsync(string patientId, RuleFinding finding, CancellationToken cancellationToken)
    {
        var targets = audience.DeliveryTargets(); // decided before the turn: a write only writes
        try
        {
            return await ApplyOnceAsync(patientId, finding, targets, cancellationToken);
        }
        catch (DbException exception) when (exception.IsConstraintViolation())
        {
            // Another node sharing the store raised the condition's alert after this one found none open and before it
            // stored its own, and the unique index refused the second. Applied again, the finding meets that alert —
            // an update, as on SQLite, whose write turn would have put the two findings one after the other.
            return await ApplyOnceAsync(patientId, finding, targets, cancellationToken);
        }
    }

    /// <summary>A clinician takes the alert on: escalation stops.</summary>
    public Task<Outcome<Alert>> AcknowledgeAsync(string id, string actor, string? note, CancellationToken cancellationToken) =>
        RequestAsync(id, (alert, now) => AlertLifecycle.Acknowledge(alert, actor, note, now), cancellationToken);

    /// <summary>A clinician resolves the alert, with a note saying why and whether it was actionable.</summary>
    public Task<Outcome<Alert>> ResolveAsync(string id, string actor, string note, bool actionable, CancellationToken cancellationToken) =>
        RequestAsync(id, (alert, now) => AlertLifecycle.Resolve(alert, actor, note, actionable, now), cancellationToken);

    /// <summary>Adds a comment to the alert's history.</summary>
    public Task<Outcome<Alert>> CommentAsync(string id, string actor, string text, CancellationToken cancellationToken) =>
        RequestAsync(id, (alert, _) => AlertDecision.Take(AlertLifecycle.Comment(alert, actor, text)), cancellationToken);

    /// <summary>
    /// Moves an unacknowledged alert to the next tier and schedules the one after; null when the lifecycle says
    /// it does not escalate now, or when it changed since <paramref name="alert"/> was read (a step is never taken twice).
    /// </summary>
    public async Task<Alert?> EscalateAsync(Alert alert, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync(alert.Id, (current, now) =>
            current.EscalationTier == alert.EscalationTier && lifecycle.Escalate(current, now) is { } step ? AlertDecision.Take(step) : null,
            cancellationToken);
        return outcome?.Value;
    }

    /// <summary>Unacknowledged alerts whose next escalation is due.</summary>
    public async Task<IReadOnlyList<Alert>> DueForEscalationAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "state = 'raised' AND next_escalation_at <= @now ORDER BY next_escalation_at LIMIT 500",
            cancellationToken, ("@now", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>A patient's open (raised or acknowledged) alerts.</summary>
    public async Task<IReadOnlyList<Alert>> OpenForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "patient_id = @patient AND state <> 'resolved'", cancellationToken, ("@patient", patientId));
    }

    /// <summary>Open alerts, of any patient, whose condition starts with <paramref name="prefix"/> (e.g. every open "device offline").</summary>
    public async Task<IReadOnlyList<Alert>> OpenWithConditionAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "state <> 'resolved' AND substr(condition, 1, length(@prefix)) = @prefix", cancellationToken, ("@prefix", prefix));
    }

    /// <summary>Patients with at least one open alert.</summary>
    public async Task<IReadOnlyList<string>> PatientsWithOpenAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT DISTINCT patient_id FROM alerts WHERE state <> 'resolved';";
        var patients = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(reader.GetString(0));
        }

        return patients;
    }

    /// <summary>Alerts matching a query, most severe and oldest first for open ones, newest first otherwise.</summary>
    public async Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var conditions = new List<string>();
        switch (query.State)
        {
            case null or "active":
                conditions.Add("state <> 'resolved'");
                break;
            case "all":
                break;
            default:
                conditions.Add("state = @state");
                command.AddParameter("@state", query.State);
                break;
        }

        if (query.PatientId is { } patient)
        {
            conditions.Add("patient_id = @patient");
            command.AddParameter("@patient", patient);
        }

        conditions.Add($"patient_id {command.InList("@visible", query.VisiblePatients)}");

        if (query.MinimumSeverity is { } severity)
        {
            conditions.Add("severity >= @severity");
            command.AddParameter("@severity", (int)severity);
        }

        command.AddParameter("@limit", query.Limit);
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE {string.Join(" AND ", conditions)} ORDER BY severity DESC, raised_at LIMIT @limit;";
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>
    /// How many alerts were raised from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive)
    /// for these patients, by condition and by how the person who resolved them labelled them.
    /// </summary>
    public async Task<IReadOnlyList<ConditionTally>> TallyRaisedAsync(
        DateTimeOffset from, DateTimeOffset to, IReadOnlySet<string> patients, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT condition, actionable, count(*) FROM alerts
            WHERE raised_at >= @from AND raised_at < @to AND patient_id {query.InList("@patients", patients)}
            GROUP BY condition, actionable;
            """;
        query.AddParameter("@from", from.ToUnixTimeMilliseconds());
        query.AddParameter("@to", to.ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var tallies = new List<ConditionTally>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tallies.Add(new ConditionTally(reader.GetString(0), Flag(reader, 1), (int)reader.GetInt64(2)));
        }

        return tallies;
    }

    /// <summary>The patient an alert is about, or null when there is no such alert.</summary>
    public async Task<string?> PatientOfAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT patient_id FROM alerts WHERE id = @id;";
        query.AddParameter("@id", id);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>One alert, with its history when asked.</summary>
    public async Task<Alert?> FindAsync(string id, bool withEvents, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var alert = await ReadOneAsync(connection, "id = @id", cancellationToken, ("@id", id));
        if (alert is null || !withEvents)
        {
            return alert;
        }

        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT at, kind, actor, detail, actionable FROM alert_events WHERE alert_id = @id ORDER BY id;";
        query.AddParameter("@id", id);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var events = new List<AlertEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AlertEvent(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : protector.Unprotect(reader.GetString(3), FieldProtector.AlertNote),
                Flag(reader, 4)));
        }

        return alert with { Events = events };
    }

    // A finding: the lifecycle's step on the condition's open alert (or none), stored with its history and deliveries.
    private Task<AlertNotice?> ApplyOnceAsync(
        string patientId, RuleFinding finding, IReadOnlyList<(string Channel, string Target)> targets, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var now = Now(); // in the turn, so that decisions are dated in the order they are stored
            const string Open = "patient_id = @patient AND condition = @condition AND state <> 'resolved'";
            var open = await LockAndReadAsync(connection, Open, cancellationToken, ("@patient", patientId), ("@condition", finding.Condition));
            if (lifecycle.Apply(open, finding, now) is not { } step)
            {
                return null;
            }

            var stored = open is null
                ? await InsertAsync(connection, patientId, finding.Condition, step.Alert, cancellationToken)
                : await SaveAsync(connection, open, step.Alert, cancellationToken);
            return await RecordAsync(connection, stored, now, step, targets, cancellationToken);
        }, cancellationToken);

    // A person's request: the lifecycle's step stored, then the alert read back with its history for the answer.
    private async Task<Outcome<Alert>> RequestAsync(string id, Func<AlertStatus, DateTimeOffset, AlertDecision> decide, CancellationToken cancellationToken)
    {
        var outcome = (await ChangeAsync(id, decide, cancellationToken))!;
        return outcome.Problem != ProblemKind.None ? outcome : Outcome<Alert>.Done((await FindAsync(id, withEvents: true, cancellationToken))!);
    }

    // The lifecycle's decision on one alert, stored with its history entry and its deliveries in one transaction
    // under the write turn; null when the decision is that nothing happens.
    private async Task<Outcome<Alert>?> ChangeAsync(string id, Func<AlertStatus, DateTimeOffset, AlertDecision?> decide, CancellationToken cancellationToken)
    {
        var targets = audience.DeliveryTargets(); // decided before the turn: a write only writes
        return await database.WriteAsync(async connection =>
        {
            var now = Now(); // in the turn, so that decisions are dated in the order they are stored
            if (await LockAndReadAsync(connection, "id = @id", cancellationToken, ("@id", id)) is not { } stored)
            {
                return Outcome<Alert>.Refused(ProblemKind.NotFound, $"no alert {id}");
            }

            switch (decide(stored, now))
            {
                case { Refusal: { } refusal }:
                    return Outcome<Alert>.Refused(ProblemKind.Conflict, refusal.Reason);
                case { Step: { } step }:
                    var changed = await SaveAsync(connection, stored, step.Alert, cancellationToken);
                    await RecordAsync(connection, changed, now, step, targets, cancellationToken);
                    return Outcome<Alert>.Done(changed);
                default:
                    return null;
            }
        }, cancellationToken);
    }

    // The store keeps milliseconds: decisions are taken at the time as it reads back.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<Alert> InsertAsync(
        DbConnection connection, string patientId, string condition, AlertStatus status, CancellationToken cancellationToken)
    {
        var stored = new Alert(status, "alt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), patientId, condition, lifecycle.TierName(status.EscalationTier));
        await ExecuteAsync(connection, """
            INSERT INTO alerts (id, patient_id, condition, severity, state, summary, raised_at, updated_at, acknowledged_by, acknowledged_at,
                                resolved_by, resolved_at, escalation_tier, next_escalation_at, actionable)
            VALUES (@id, @patient, @condition, @severity, @state, @summary, @raised, @updated, @acknowledgedBy, @acknowledgedAt,
                    @resolvedBy, @resolvedAt, @tier, @next, @actionable);
            """, cancellationToken, [("@patient", patientId), ("@condition", condition), .. Parameters(stored.Id, status)]);
        return stored;
    }

    // A comment leaves the alert as it was (the same status): only its history grows.
    private async Task<Alert> SaveAsync(
        DbConnection connection, Alert stored, AlertStatus status, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(status, stored))
        {
            await ExecuteAsync(connection, """
                UPDATE alerts SET severity = @severity, state = @state, summary = @summary, raised_at = @raised, updated_at = @updated,
                    acknowledged_by = @acknowledgedBy, acknowledged_at = @acknowledgedAt, resolved_by = @resolvedBy, resolved_at = @resolvedAt,
                    escalation_tier = @tier, next_escalation_at = @next, actionable = @actionable
                WHERE id = @id;
                """, cancellationToken, Parameters(stored.Id, status));
        }

        return new Alert(status, stored.Id, stored.PatientId, stored.Condition, lifecycle.TierName(status.EscalationTier));
    }

    private (string Name, object? Value)[] Parameters(string id, AlertStatus status) =>
    [
        ("@id", id), ("@severity", (int)status.Severity), ("@state", AlertNames.Of(status.State)),
        ("@summary", protector.Protect(status.Summary, FieldProtector.AlertSummary)),
        ("@raised", status.RaisedAt.ToUnixTimeMilliseconds()), ("@updated", status.UpdatedAt.ToUnixTimeMilliseconds()),
        ("@acknowledgedBy", status.AcknowledgedBy), ("@acknowledgedAt", status.AcknowledgedAt?.ToUnixTimeMilliseconds()),
        ("@resolvedBy", status.ResolvedBy), ("@resolvedAt", status.ResolvedAt?.ToUnixTimeMilliseconds()),
        ("@tier", status.EscalationTier), ("@next", status.NextEscalationAt?.ToUnixTimeMilliseconds()), ("@actionable", Flag(status.Actionable)),
    ];

    // What a step adds beside the alert itself, in the same write: its history entry, and its notice queued for every target.
    private async Task<AlertNotice> RecordAsync(
        DbConnection connection, Alert changed, DateTimeOffset now, AlertStep step,
        IReadOnlyList<(string Channel, string Target)> targets, CancellationToken cancellationToken)
    {
        await HistoryAsync(connection, changed.Id, now, step, cancellationToken);
        var notice = new AlertNotice(AlertNames.Of(step.Change), changed);
        await deliveries.EnqueueAsync(connection, notice, targets, cancellationToken);
        return notice;
    }

    private Task<int> HistoryAsync(
        DbConnection connection, string id, DateTimeOffset at, AlertStep step, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "INSERT INTO alert_events (alert_id, at, kind, actor, detail, actionable) VALUES (@id, @at, @kind, @actor, @detail, @actionable);",
            cancellationToken, ("@id", id), ("@at", at.ToUnixTimeMilliseconds()), ("@kind", AlertNames.Of(step.Change)), ("@actor", step.Actor),
            ("@detail", protector.Protect(step.Detail, FieldProtector.AlertNote)), ("@actionable", Flag(step.Actionable)));

    private static async Task<int> ExecuteAsync(
        DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // PostgreSQL runs writes side by side where SQLite has one write turn: the alert's row is locked before it is read,
    // so that a decision is taken on the alert as the decision before it left it (two clinicians acknowledging at once:
    // the second is refused; two nodes escalating it at once: the second finds it moved on and leaves it) and not on a
    // copy that another write is changing. A row that does not exist yet cannot be locked: the unique index on open
    // alerts settles two nodes raising the same one (ApplyAsync).
    // One round trip for both: the row is locked by a no-op update that returns it as it stands.
    private Task<Alert?> LockAndReadAsync(
        DbConnection connection, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadFirstAsync(connection, $"UPDATE alerts SET state = state WHERE {where} RETURNING {Columns};", cancellationToken, parameters);

    private Task<Alert?> ReadOneAsync(
        DbConnection connection, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadFirstAsync(connection, $"SELECT {Columns} FROM alerts WHERE {where} LIMIT 1;", cancellationToken, parameters);

    private async Task<Alert?> ReadFirstAsync(
        DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task<IReadOnlyList<Alert>> ReadManyAsync(
        DbConnection connection, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE {where};";
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        return await ReadAllAsync(command, cancellationToken);
    }

    private async Task<IReadOnlyList<Alert>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var alerts = new List<Alert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(Read(reader));
        }

        return alerts;
    }

    private Alert Read(DbDataReader reader)
    {
        static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        var tier = reader.GetInt32(12);
        return new Alert
        {
            Id = reader.GetString(0),
            PatientId = reader.GetString(1),
            Condition = reader.GetString(2),
            Severity = (AlertSeverity)reader.GetInt32(3),
            State = AlertNames.StateNamed(reader.GetString(4)),
            Summary = protector.Unprotect(reader.GetString(5), FieldProtector.AlertSummary)!,
            RaisedAt = Time(reader, 6)!.Value,
            UpdatedAt = Time(reader, 7)!.Value,
            AcknowledgedBy = reader.IsDBNull(8) ? null : reader.GetString(8),
            AcknowledgedAt = Time(reader, 9),
            ResolvedBy = reader.IsDBNull(10) ? null : reader.GetString(10),
            ResolvedAt = Time(reader, 11),
            EscalationTier = tier,
            EscalatedTo = lifecycle.TierName(tier),
            NextEscalationAt = Time(reader, 13),
            Actionable = Flag(reader, 14),
        };
    }

    // Yes/no columns are integers 1 and 0 on both engines (PostgreSQL does not read an integer as a boolean).
    private static bool? Flag(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i) != 0;

    private static long? Flag(bool? value) => value is { } flag ? (flag ? 1 : 0) : null;
}
