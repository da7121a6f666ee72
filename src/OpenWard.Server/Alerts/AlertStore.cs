using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Alerts and their history in the store. Every transition is written with its actor and time in
/// the same transaction as the alert itself; one open alert per patient and condition is enforced
/// by a unique index. Summaries, like notes, are sealed at rest.
/// </summary>
public sealed class AlertStore(ClinicalDatabase database, FieldProtector protector, IOptions<OpenWardOptions> options, TimeProvider clock)
{
    /// <summary>The actor of transitions OpenWard makes by itself.</summary>
    public const string System = "openward";

    private const string Columns = """
        id, patient_id, condition, severity, state, summary, raised_at, updated_at, acknowledged_by, acknowledged_at,
        resolved_by, resolved_at, escalation_tier, next_escalation_at, actionable
        """;

    private EscalationTier[] Tiers => options.Value.Alerting.Tiers;

    /// <summary>Applies a rule's finding: raises a new alert, updates the open one, or resolves it when the condition cleared.</summary>
    public async Task<Alert?> ApplyAsync(string patientId, RuleFinding finding, CancellationToken cancellationToken)
    {
        string? id;
        using (await database.WaitToWriteAsync(cancellationToken))
        {
            id = await WriteFindingAsync(patientId, finding, cancellationToken);
        }

        return id is null ? null : await FindAsync(id, withEvents: false, cancellationToken);
    }

    /// <summary>A clinician takes the alert on: escalation stops.</summary>
    public Task<Outcome<Alert>> AcknowledgeAsync(string id, string actor, string? note, CancellationToken cancellationToken) =>
        TransitionAsync(id, actor, "acknowledged", note, cancellationToken, async (connection, transaction, alert, now) =>
        {
            if (alert.State != AlertStates.Raised)
            {
                return $"the alert is {alert.State}";
            }

            await ExecuteAsync(connection, transaction,
                "UPDATE alerts SET state = 'acknowledged', acknowledged_by = $actor, acknowledged_at = $now, updated_at = $now, next_escalation_at = NULL WHERE id = $id;",
                cancellationToken, ("$id", id), ("$actor", actor), ("$now", now.ToUnixTimeMilliseconds()));
            return null;
        });

    /// <summary>A clinician resolves the alert, with a note saying why and whether it was actionable.</summary>
    public Task<Outcome<Alert>> ResolveAsync(string id, string actor, string note, bool actionable, CancellationToken cancellationToken) =>
        TransitionAsync(id, actor, "resolved", note, cancellationToken, async (connection, transaction, alert, now) =>
        {
            if (alert.State == AlertStates.Resolved)
            {
                return "the alert is already resolved";
            }

            await ResolveRowAsync(connection, transaction, id, now, actor, cancellationToken, actionable);
            return null;
        }, actionable);

    /// <summary>Adds a comment to the alert's history.</summary>
    public Task<Outcome<Alert>> CommentAsync(string id, string actor, string text, CancellationToken cancellationToken) =>
        TransitionAsync(id, actor, "commented", text, cancellationToken, (_, _, _, _) => Task.FromResult<string?>(null));

    /// <summary>Moves an unacknowledged alert to the next tier and schedules the one after.</summary>
    public async Task<Alert?> EscalateAsync(Alert alert, CancellationToken cancellationToken)
    {
        var tier = alert.EscalationTier + 1;
        if (tier >= Tiers.Length)
        {
            return null;
        }

        using var turn = await database.WaitToWriteAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, """
            UPDATE alerts SET escalation_tier = $tier, next_escalation_at = $next, updated_at = $now
            WHERE id = $id AND state = 'raised' AND escalation_tier = $previous;
            """, cancellationToken, ("$id", alert.Id), ("$tier", tier), ("$previous", alert.EscalationTier),
            ("$next", NextEscalation(alert.RaisedAt, tier)?.ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds()));
        if (changed == 0)
        {
            return null; // acknowledged or resolved meanwhile
        }

        await EventAsync(connection, transaction, alert.Id, now, "escalated", System, $"to {Tiers[tier].Name} (not acknowledged)", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await FindAsync(alert.Id, withEvents: false, cancellationToken);
    }

    /// <summary>Unacknowledged alerts whose next escalation is due.</summary>
    public async Task<IReadOnlyList<Alert>> DueForEscalationAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "state = 'raised' AND next_escalation_at <= $now ORDER BY next_escalation_at LIMIT 500",
            cancellationToken, ("$now", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>A patient's open (raised or acknowledged) alerts.</summary>
    public async Task<IReadOnlyList<Alert>> OpenForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "patient_id = $patient AND state <> 'resolved'", cancellationToken, ("$patient", patientId));
    }

    /// <summary>Open alerts, of any patient, whose condition starts with <paramref name="prefix"/> (e.g. every open "device offline").</summary>
    public async Task<IReadOnlyList<Alert>> OpenWithConditionAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, "state <> 'resolved' AND substr(condition, 1, length($prefix)) = $prefix", cancellationToken, ("$prefix", prefix));
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
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        switch (query.State)
        {
            case null or "active":
                conditions.Add("state <> 'resolved'");
                break;
            case "all":
                break;
            default:
                conditions.Add("state = $state");
                parameters.Add(("$state", query.State));
                break;
        }

        if (query.PatientId is { } patient)
        {
            conditions.Add("patient_id = $patient");
            parameters.Add(("$patient", patient));
        }

        conditions.Add("patient_id IN (SELECT value FROM json_each($visible))");
        parameters.Add(("$visible", JsonSerializer.Serialize(query.VisiblePatients)));

        if (query.MinimumSeverity is { } severity)
        {
            conditions.Add("severity >= $severity");
            parameters.Add(("$severity", (int)severity));
        }

        parameters.Add(("$limit", query.Limit));
        var where = conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadManyAsync(connection, $"{where} ORDER BY severity DESC, raised_at LIMIT $limit", cancellationToken, [.. parameters]);
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
        query.CommandText = """
            SELECT condition, actionable, count(*) FROM alerts
            WHERE raised_at >= $from AND raised_at < $to AND patient_id IN (SELECT value FROM json_each($patients))
            GROUP BY condition, actionable;
            """;
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$patients", JsonSerializer.Serialize(patients));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var tallies = new List<ConditionTally>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tallies.Add(new ConditionTally(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetBoolean(1), reader.GetInt32(2)));
        }

        return tallies;
    }

    /// <summary>The patient an alert is about, or null when there is no such alert.</summary>
    public async Task<string?> PatientOfAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT patient_id FROM alerts WHERE id = $id;";
        query.Parameters.AddWithValue("$id", id);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>One alert, with its history when asked.</summary>
    public async Task<Alert?> FindAsync(string id, bool withEvents, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var alert = await ReadOneAsync(connection, null, "id = $id", cancellationToken, ("$id", id));
        if (alert is null || !withEvents)
        {
            return alert;
        }

        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT at, kind, actor, detail, actionable FROM alert_events WHERE alert_id = $id ORDER BY id;";
        query.Parameters.AddWithValue("$id", id);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var events = new List<AlertEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AlertEvent(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : protector.Unprotect(reader.GetString(3), FieldProtector.AlertNote),
                reader.IsDBNull(4) ? null : reader.GetBoolean(4)));
        }

        return alert with { Events = events };
    }

    // The finding's change in one transaction; the changed alert's id, or null when nothing changed.
    private async Task<string?> WriteFindingAsync(string patientId, RuleFinding finding, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var open = await ReadOneAsync(connection, transaction, "patient_id = $patient AND condition = $condition AND state <> 'resolved'",
            cancellationToken, ("$patient", patientId), ("$condition", finding.Condition));
        string id;
        if (finding.Severity is { } severity && open is null)
        {
            id = "alt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            await ExecuteAsync(connection, transaction, """
                INSERT INTO alerts (id, patient_id, condition, severity, state, summary, raised_at, updated_at, escalation_tier, next_escalation_at)
                VALUES ($id, $patient, $condition, $severity, 'raised', $summary, $now, $now, 0, $next);
                """, cancellationToken, ("$id", id), ("$patient", patientId), ("$condition", finding.Condition), ("$severity", (int)severity),
                ("$summary", protector.Protect(finding.Summary, FieldProtector.AlertSummary)), ("$now", now.ToUnixTimeMilliseconds()), ("$next", NextEscalation(now, 0)?.ToUnixTimeMilliseconds()));
            await EventAsync(connection, transaction, id, now, "raised", System, $"{severity}: {finding.Summary}", cancellationToken);
        }
        else if (finding.Severity is { } update && open is not null)
        {
            id = open.Id;
            await ExecuteAsync(connection, transaction, "UPDATE alerts SET severity = MAX(severity, $severity), summary = $summary, updated_at = $now WHERE id = $id;",
                cancellationToken, ("$id", id), ("$severity", (int)update), ("$summary", protector.Protect(finding.Summary, FieldProtector.AlertSummary)), ("$now", now.ToUnixTimeMilliseconds()));
            await EventAsync(connection, transaction, id, now, "updated", System, $"{update}: {finding.Summary}", cancellationToken);
        }
        else if (finding.Cleared && open is not null)
        {
            id = open.Id;
            await ResolveRowAsync(connection, transaction, id, now, System, cancellationToken);
            await EventAsync(connection, transaction, id, now, "resolved", System, finding.Summary, cancellationToken);
        }
        else
        {
            return null;
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    private async Task<Outcome<Alert>> TransitionAsync(
        string id, string actor, string kind, string? detail, CancellationToken cancellationToken,
        Func<SqliteConnection, SqliteTransaction, Alert, DateTimeOffset, Task<string?>> change, bool? actionable = null)
    {
        using var turn = await database.WaitToWriteAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadOneAsync(connection, transaction, "id = $id", cancellationToken, ("$id", id)) is not { } alert)
        {
            return Outcome<Alert>.Refused(ProblemKind.NotFound, $"no alert {id}");
        }

        if (await change(connection, transaction, alert, now) is { } refusal)
        {
            return Outcome<Alert>.Refused(ProblemKind.Conflict, refusal);
        }

        await EventAsync(connection, transaction, id, now, kind, actor, detail, cancellationToken, actionable);
        await transaction.CommitAsync(cancellationToken);
        return Outcome<Alert>.Done((await FindAsync(id, withEvents: true, cancellationToken))!);
    }

    private DateTimeOffset? NextEscalation(DateTimeOffset raisedAt, int tier) =>
        tier + 1 < Tiers.Length ? raisedAt + Tiers[tier + 1].After : null;

    private static Task<int> ResolveRowAsync(
        SqliteConnection connection, SqliteTransaction transaction, string id, DateTimeOffset now, string actor, CancellationToken cancellationToken, bool? actionable = null) =>
        ExecuteAsync(connection, transaction, """
            UPDATE alerts SET state = 'resolved', resolved_by = $actor, resolved_at = $now, updated_at = $now, next_escalation_at = NULL, actionable = $actionable
            WHERE id = $id;
            """, cancellationToken, ("$id", id), ("$actor", actor), ("$now", now.ToUnixTimeMilliseconds()), ("$actionable", actionable));

    private Task<int> EventAsync(
        SqliteConnection connection, SqliteTransaction transaction, string id, DateTimeOffset at, string kind, string actor, string? detail, CancellationToken cancellationToken,
        bool? actionable = null) =>
        ExecuteAsync(connection, transaction, "INSERT INTO alert_events (alert_id, at, kind, actor, detail, actionable) VALUES ($id, $at, $kind, $actor, $detail, $actionable);",
            cancellationToken, ("$id", id), ("$at", at.ToUnixTimeMilliseconds()), ("$kind", kind), ("$actor", actor), ("$detail", protector.Protect(detail, FieldProtector.AlertNote)),
            ("$actionable", actionable));

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<Alert?> ReadOneAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE {where} LIMIT 1;";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task<IReadOnlyList<Alert>> ReadManyAsync(
        SqliteConnection connection, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE {where};";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var alerts = new List<Alert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(Read(reader));
        }

        return alerts;
    }

    private Alert Read(SqliteDataReader reader)
    {
        static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        var tier = reader.GetInt32(12);
        return new Alert
        {
            Id = reader.GetString(0),
            PatientId = reader.GetString(1),
            Condition = reader.GetString(2),
            Severity = (AlertSeverity)reader.GetInt32(3),
            State = reader.GetString(4),
            Summary = protector.Unprotect(reader.GetString(5), FieldProtector.AlertSummary)!,
            RaisedAt = Time(reader, 6)!.Value,
            UpdatedAt = Time(reader, 7)!.Value,
            AcknowledgedBy = reader.IsDBNull(8) ? null : reader.GetString(8),
            AcknowledgedAt = Time(reader, 9),
            ResolvedBy = reader.IsDBNull(10) ? null : reader.GetString(10),
            ResolvedAt = Time(reader, 11),
            EscalationTier = tier,
            EscalatedTo = tier < Tiers.Length ? Tiers[tier].Name : null,
            NextEscalationAt = Time(reader, 13),
            Actionable = reader.IsDBNull(14) ? null : reader.GetBoolean(14),
        };
    }
}
